/**
 * Writing the conversion ledger (see `src/db/models/conversion-ledger.ts`: settled events in
 * `conversion_ledger`, pending ones in `conversion_outbox`) and the counts an admin sees per
 * definition (CONV-8).
 *
 * Settling a batch: (1) a journal with every outcome goes into the outbox, (2) the event rows are
 * inserted into the ledger, (3) the outbox rows and the journal are deleted. After a crash the next
 * send of the definition replays leftover journals first, so an answered batch is recorded, never
 * sent again.
 */
import { randomUUID } from 'node:crypto';
import { insertRows } from '../db/bulk';
import type { Models } from '../db/models';
import type { ConversionJournalRecord, ConversionLedgerRecord, LedgerReason, LedgerStatus } from '../db/models/conversion-ledger';
import { countConversionOutcomes } from '../metrics/registry';

type LedgerModels = Pick<Models, 'ConversionLedger' | 'ConversionOutbox'>;
export type LedgerRow = ConversionLedgerRecord;

export interface Outcome {
  status: 'sent' | 'failed' | 'skipped';
  reason: LedgerReason | null;
  response: Record<string, unknown> | null;
}

function eventRow(pending: LedgerRow, outcome: Outcome, attempts: number, at: Date): LedgerRow {
  return {
    ...pending,
    status: outcome.status,
    reason: outcome.reason,
    response: outcome.response,
    payload: null,
    attempts,
    sentAt: outcome.status === 'sent' ? at : null,
    settledAt: at,
  };
}

/** Writes the ledger rows (an earlier failed/skipped row of the same event is replaced; a `sent` one stays). */
async function writeEventRows(models: LedgerModels, docs: LedgerRow[]): Promise<number> {
  const duplicates = await insertRows(models.ConversionLedger, docs);
  let written = docs.length - duplicates.size;
  countConversionOutcomes(docs.filter((_, index) => !duplicates.has(index)));
  for (const index of duplicates) {
    const doc = docs[index]!;
    const replaced = await models.ConversionLedger.replaceOne({ _id: doc._id, status: { $ne: 'sent' } }, doc);
    written += replaced.modifiedCount;
    if (replaced.modifiedCount > 0) countConversionOutcomes([doc]);
  }
  return written;
}

/**
 * Settles outbox rows with one outcome each (journal → ledger → outbox). Returns how many events
 * got their outcome written.
 */
export async function settleRows(models: LedgerModels, settled: { row: LedgerRow; outcome: Outcome }[], attempts: number): Promise<number> {
  if (settled.length === 0) return 0;
  const at = new Date();
  const definitionId = settled[0]!.row.definitionId;
  const journal: ConversionJournalRecord = {
    _id: `journal:${randomUUID()}`,
    entry: 'journal',
    definitionId,
    attempts,
    outcomes: settled.map(({ row, outcome }) => ({ eventId: row._id, ...outcome })),
    createdAt: at,
  };
  await insertRows(models.ConversionOutbox, [journal]);
  const written = await writeEventRows(models, settled.map(({ row, outcome }) => eventRow(row, outcome, attempts, at)));
  await models.ConversionOutbox.deleteMany({ _id: { $in: [...settled.map(({ row }) => row._id), journal._id] } });
  return written;
}

/** Finishes batches whose settling was interrupted (their network answer is in a journal). */
export async function replayJournals(models: LedgerModels, definitionId: string): Promise<number> {
  const journals = await models.ConversionOutbox.find({ definitionId, entry: 'journal' }).lean<ConversionJournalRecord[]>();
  let replayed = 0;
  for (const journal of journals) {
    const eventIds = journal.outcomes.map((o) => o.eventId);
    const rows = await models.ConversionOutbox.find({ _id: { $in: eventIds }, entry: { $ne: 'journal' } }).lean<LedgerRow[]>();
    const outcomeOf = new Map(journal.outcomes.map((o) => [o.eventId, o]));
    await writeEventRows(
      models,
      rows.map((row) => eventRow(row, outcomeOf.get(row._id)!, journal.attempts, journal.createdAt)),
    );
    await models.ConversionOutbox.deleteMany({ _id: { $in: [...eventIds, journal._id] } });
    replayed += rows.length;
  }
  return replayed;
}

/** Outbox rows of these events that belong to the definition. */
export async function pendingRows(models: LedgerModels, definitionId: string, eventIds: string[]): Promise<LedgerRow[]> {
  if (eventIds.length === 0) return [];
  return models.ConversionOutbox.find({ _id: { $in: eventIds }, definitionId, status: 'pending' }).lean<LedgerRow[]>();
}

/** Pending events of the definition that will not be sent (too old, switched off, deleted). */
export async function markSkipped(models: LedgerModels, definitionId: string, eventIds: string[], reason: LedgerReason): Promise<number> {
  const rows = await pendingRows(models, definitionId, eventIds);
  const attempts = rows.reduce((max, r) => Math.max(max, r.attempts ?? 0), 0);
  return settleRows(models, rows.map((row) => ({ row, outcome: { status: 'skipped' as const, reason, response: null } })), attempts);
}

/** A per-row "try later": the event stays pending, with the network's reason for the delay. */
export async function markRetrying(models: LedgerModels, retries: { eventId: string; reason: LedgerReason }[]): Promise<void> {
  for (const r of retries) {
    await models.ConversionOutbox.updateOne({ _id: r.eventId, status: 'pending' }, { $set: { reason: r.reason }, $inc: { attempts: 1 } });
  }
}

export interface LedgerCounts {
  total: number;
  pending: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Activities that arrived again for an event already recorded (one event each, CONV-7). */
  duplicates: number;
  /** Why events failed, were skipped, or wait for a retry — most frequent first. */
  reasons: { status: LedgerStatus; code: string; message: string; count: number }[];
}

export async function ledgerCounts(models: LedgerModels, definitionId: string): Promise<LedgerCounts> {
  const groups = await models.ConversionLedger.aggregate<{ _id: { status: LedgerStatus; code?: string | null }; count: number }>([
    { $match: { definitionId } },
    { $group: { _id: { status: '$status', code: '$reason.code' }, count: { $sum: 1 } } },
  ]);
  const pending = await models.ConversionOutbox.find({ definitionId, status: 'pending' }).select({ reason: 1, seen: 1 }).lean<Pick<LedgerRow, 'reason' | 'seen'>[]>();
  const counts: LedgerCounts = { total: pending.length, pending: pending.length, sent: 0, failed: 0, skipped: 0, duplicates: 0, reasons: [] };
  for (const g of groups) {
    counts.total += g.count;
    if (g._id.status !== 'pending') counts[g._id.status] += g.count;
    const code = g._id.code;
    if (code && g._id.status !== 'sent') {
      const example = await models.ConversionLedger.findOne({ definitionId, status: g._id.status, 'reason.code': code })
        .select({ reason: 1 })
        .lean<Pick<LedgerRow, 'reason'>>();
      counts.reasons.push({ status: g._id.status, code, message: example?.reason?.message ?? '', count: g.count });
    }
  }
  const retrying = new Map<string, { message: string; count: number }>();
  for (const p of pending) {
    if (!p.reason) continue;
    const entry = retrying.get(p.reason.code) ?? { message: p.reason.message, count: 0 };
    entry.count += 1;
    retrying.set(p.reason.code, entry);
  }
  for (const [code, { message, count }] of retrying) counts.reasons.push({ status: 'pending', code, message, count });
  counts.reasons.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  const repeated = await models.ConversionLedger.find({ definitionId, seen: { $gt: 1 } }).select({ seen: 1 }).lean<Pick<LedgerRow, 'seen'>[]>();
  counts.duplicates =
    repeated.reduce((sum, r) => sum + (r.seen - 1), 0) + pending.reduce((sum, r) => sum + Math.max(0, (r.seen ?? 1) - 1), 0);
  return counts;
}

export type LedgerSummary = Pick<LedgerCounts, 'pending' | 'sent' | 'failed' | 'skipped' | 'reasons'>;

/**
 * The counts of many definitions at once, for a list (the details call has `ledgerCounts`): one
 * aggregate over settled events and one over pending ones, whatever the number of definitions.
 */
export async function ledgerSummaries(models: LedgerModels, definitionIds: string[]): Promise<Map<string, LedgerSummary>> {
  type Group = { _id: { definitionId: string; status: LedgerStatus; code?: string | null; message?: string | null }; count: number };
  // FerretDB v1 groups with $sum / $count only (no $first), so the message is part of the key and merged below.
  const group = { _id: { definitionId: '$definitionId', status: '$status', code: '$reason.code', message: '$reason.message' }, count: { $sum: 1 } };
  const [settled, pending] = await Promise.all([
    models.ConversionLedger.aggregate<Group>([{ $match: { definitionId: { $in: definitionIds } } }, { $group: group }]),
    models.ConversionOutbox.aggregate<Group>([{ $match: { definitionId: { $in: definitionIds }, status: 'pending' } }, { $group: group }]),
  ]);
  const summaries = new Map<string, LedgerSummary>(definitionIds.map((id) => [id, { pending: 0, sent: 0, failed: 0, skipped: 0, reasons: [] }]));
  for (const { _id: key, count } of [...settled, ...pending]) {
    const summary = summaries.get(key.definitionId);
    if (!summary) continue;
    summary[key.status] += count;
    if (!key.code || key.status === 'sent') continue;
    const same = summary.reasons.find((r) => r.status === key.status && r.code === key.code);
    if (same) same.count += count;
    else summary.reasons.push({ status: key.status, code: key.code, message: key.message ?? '', count });
  }
  for (const summary of summaries.values()) summary.reasons.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return summaries;
}
