/**
 * Step 2 of the conversion workflow: turns activity references into ledger rows. Loads the contacts
 * and submissions in bulk, applies the pure rules (`decideConversion`), builds and hashes the payloads
 * (`buildConversionPayload`) and writes one row per stable event id — `pending` with the payload or
 * `skipped` with the reason. Only event ids and times go back to the workflow.
 */
import type { Models } from '../db/models';
import type { ContactDoc } from '../db/models/contact';
import type { ConversionDefinitionRecord } from '../db/models/conversion-definition';
import type { ConversionLedgerRecord, LedgerReason } from '../db/models/conversion-ledger';
import type { FormSubmissionDoc } from '../db/models/form-submission';
import { buildConversionPayload, decideConversion, eventIdFor, matchKeys, type PayloadOptions } from '../domain/conversions';
import type { ConversionActivityRef } from '../../workflows/conversions-definitions';
import { insertRows } from '../db/bulk';
import { countConversionOutcomes } from '../metrics/registry';
import { toContactSnapshot, toCrmActivity, toDomainDefinition, type SubmissionContext } from './records';

export interface PrepareInput {
  definitionId: string;
  /** Unique per workflow step: a retried activity recognises the rows it wrote itself. */
  token: string;
  refs: ConversionActivityRef[];
}

export interface PrepareResult {
  /** Decided to send and queued in the ledger, in reference order. */
  queued: { eventId: string; occurredAt: number }[];
  /** Written as skipped (with the reason). */
  skipped: number;
  /** The event was already sent, or is already waiting: counted on its row, not sent again. */
  duplicates: number;
}

export interface PrepareDeps {
  models: Pick<Models, 'ConversionDefinition' | 'ConversionLedger' | 'ConversionOutbox' | 'Contact' | 'FormSubmission'>;
  payloadOptions?: PayloadOptions;
  now?: () => number;
}

export class DefinitionNotFoundError extends Error {
  constructor(readonly definitionId: string) {
    super(`conversion definition ${definitionId} does not exist`);
  }
}

type ExistingRow = Pick<ConversionLedgerRecord, '_id' | 'eventId' | 'status' | 'definitionId' | 'prepareToken' | 'occurredAt'>;

const CONTACT_NOT_FOUND: LedgerReason = { code: 'CONTACT_NOT_FOUND', message: 'The contact no longer exists.' };

export async function loadDefinitionRecord(models: Pick<Models, 'ConversionDefinition'>, definitionId: string): Promise<ConversionDefinitionRecord> {
  const record = await models.ConversionDefinition.findById(definitionId).lean<ConversionDefinitionRecord>();
  if (!record) throw new DefinitionNotFoundError(definitionId);
  return record;
}

export async function prepareConversions(deps: PrepareDeps, input: PrepareInput): Promise<PrepareResult> {
  const { models } = deps;
  const record = await loadDefinitionRecord(models, input.definitionId);
  const definition = toDomainDefinition(record);
  const now = deps.now?.() ?? Date.now();

  // One decision per event id: the same submission twice in one chunk is one event.
  const unique = new Map<string, ConversionActivityRef>();
  const repeats = new Map<string, number>();
  for (const ref of input.refs) {
    const eventId = eventIdFor(definition, toCrmActivity(ref, undefined));
    if (unique.has(eventId)) repeats.set(eventId, (repeats.get(eventId) ?? 0) + 1);
    else unique.set(eventId, ref);
  }
  const eventIds = [...unique.keys()];
  const select = { _id: 1, eventId: 1, status: 1, definitionId: 1, prepareToken: 1, occurredAt: 1 };
  const pendingRow = new Map(
    (await models.ConversionOutbox.find({ _id: { $in: eventIds }, entry: { $ne: 'journal' } }).select(select).lean<ExistingRow[]>()).map((r) => [r._id, r]),
  );
  const settledRow = new Map((await models.ConversionLedger.find({ _id: { $in: eventIds } }).select(select).lean<ExistingRow[]>()).map((r) => [r._id, r]));

  const result: PrepareResult = { queued: [], skipped: 0, duplicates: 0 };
  const seenAgain: { _id: string; times: number; pending: boolean }[] = [];
  const toDecide: [string, ConversionActivityRef][] = [];
  for (const [eventId, ref] of unique) {
    const repeated = repeats.get(eventId) ?? 0;
    const pending = pendingRow.get(eventId);
    const settled = settledRow.get(eventId);
    if (pending) {
      if (pending.prepareToken === input.token) {
        // This very step wrote it before a retry: same outcome, nothing counted twice.
        if (pending.definitionId === input.definitionId) result.queued.push({ eventId, occurredAt: pending.occurredAt.getTime() });
      } else {
        // Waiting in a batch already — ours, or the replaced definition's that is still draining (CONV-8).
        result.duplicates += 1 + repeated;
        seenAgain.push({ _id: pending._id, times: 1 + repeated, pending: true });
      }
      continue;
    }
    if (settled?.prepareToken === input.token) {
      if (settled.status === 'skipped') result.skipped += 1;
      continue;
    }
    if (settled?.status === 'sent') {
      // Sent already: never again (CONV-7).
      result.duplicates += 1 + repeated;
      seenAgain.push({ _id: settled._id, times: 1 + repeated, pending: false });
      continue;
    }
    result.duplicates += repeated;
    toDecide.push([eventId, ref]);
  }

  const contacts = await loadContacts(models, toDecide.map(([, ref]) => ref.contactId));
  // The contact's last submission usually is the one: only the others are looked up.
  const submissions = await loadSubmissions(
    models,
    toDecide.flatMap(([, ref]) => (ref.kind === 'form_submission' && contacts.get(ref.contactId)?.lastSubmission?.submissionId !== ref.submissionId ? [ref.submissionId] : [])),
  );

  const outbox: ConversionLedgerRecord[] = [];
  const skippedRows: ConversionLedgerRecord[] = [];
  const replacements: ConversionLedgerRecord[] = [];
  for (const [eventId, ref] of toDecide) {
    const contact = contacts.get(ref.contactId);
    const context = ref.kind === 'form_submission' ? submissionContext(ref.submissionId, submissions, contact) : undefined;
    const activity = toCrmActivity(ref, context);
    const base: ConversionLedgerRecord = {
      _id: eventId,
      eventId,
      definitionId: input.definitionId,
      network: definition.network,
      kind: ref.kind,
      contactId: ref.contactId,
      stage: ref.kind === 'lifecycle_stage' ? ref.stage : null,
      formId: ref.kind === 'form_submission' ? ref.formId : null,
      submissionId: ref.kind === 'form_submission' ? ref.submissionId : null,
      occurredAt: new Date(Number.isNaN(Date.parse(ref.at)) ? now : Date.parse(ref.at)),
      status: 'skipped',
      reason: null,
      payload: null,
      matchKeys: [],
      response: null,
      attempts: 0,
      seen: 1 + (repeats.get(eventId) ?? 0),
      prepareToken: input.token,
      enqueuedAt: null,
      sentAt: null,
      settledAt: new Date(now),
      createdAt: new Date(now),
    };
    const snapshot = contact ? toContactSnapshot(contact) : undefined;
    const decision = snapshot ? decideConversion(definition, activity, snapshot, now, deps.payloadOptions) : undefined;
    if (!snapshot || !decision || decision.action === 'skip') {
      result.skipped += 1;
      const row = { ...base, reason: decision?.action === 'skip' ? decision.reason : CONTACT_NOT_FOUND };
      (settledRow.has(eventId) ? replacements : skippedRows).push(row);
      continue;
    }
    const payload = buildConversionPayload({ definition, activity, contact: snapshot, eventId, ...(deps.payloadOptions ? { options: deps.payloadOptions } : {}) });
    outbox.push({
      ...base,
      occurredAt: new Date(decision.occurredAt),
      status: 'pending',
      payload: payload.item as unknown as Record<string, unknown>,
      matchKeys: matchKeys(definition, activity, snapshot, deps.payloadOptions),
      enqueuedAt: new Date(now),
      settledAt: null,
    });
    result.queued.push({ eventId, occurredAt: decision.occurredAt });
  }

  const clashes = await insertRows(models.ConversionOutbox, outbox);
  if (clashes.size > 0) {
    // Queued meanwhile by someone else (a replacement pair deciding the same event): theirs stands.
    const lost = new Set([...clashes].map((i) => outbox[i]!._id));
    result.queued = result.queued.filter((q) => !lost.has(q.eventId));
    result.duplicates += lost.size;
  }
  const skippedBefore = await insertRows(models.ConversionLedger, skippedRows);
  countConversionOutcomes(skippedRows.filter((_, index) => !skippedBefore.has(index)));
  for (const row of replacements) {
    const replaced = await models.ConversionLedger.replaceOne({ _id: row._id, status: { $ne: 'sent' } }, row);
    if (replaced.modifiedCount > 0) countConversionOutcomes([row]);
  }
  for (const again of seenAgain) {
    if (again.pending) await models.ConversionOutbox.updateOne({ _id: again._id }, { $inc: { seen: again.times } });
    else await models.ConversionLedger.updateOne({ _id: again._id }, { $inc: { seen: again.times } });
  }
  return result;
}

async function loadContacts(models: PrepareDeps['models'], ids: string[]): Promise<Map<string, ContactDoc>> {
  if (ids.length === 0) return new Map();
  const contacts = await models.Contact.find({ _id: { $in: [...new Set(ids)] } }).lean<ContactDoc[]>();
  return new Map(contacts.map((c) => [c._id, c]));
}

async function loadSubmissions(models: PrepareDeps['models'], ids: string[]): Promise<Map<string, SubmissionContext>> {
  if (ids.length === 0) return new Map();
  const rows = await models.FormSubmission.find({ _id: { $in: [...new Set(ids)] } })
    .select({ _id: 1, pageUrl: 1, userAgent: 1, ip: 1, fbc: 1, fbp: 1 })
    .lean<Pick<FormSubmissionDoc, '_id' | 'pageUrl' | 'userAgent' | 'ip' | 'fbc' | 'fbp'>[]>();
  return new Map(rows.map((r) => [r._id, r]));
}

function submissionContext(submissionId: string, stored: Map<string, SubmissionContext>, contact: ContactDoc | undefined): SubmissionContext | undefined {
  const found = stored.get(submissionId);
  if (found) return found;
  const last = contact?.lastSubmission;
  return last && last.submissionId === submissionId ? { pageUrl: last.pageUrl, userAgent: last.userAgent, ip: last.ip, fbc: last.fbc ?? null, fbp: last.fbp ?? null } : undefined;
}

