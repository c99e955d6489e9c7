/**
 * Delivers recorded CRM activity (the `crm_activity_outbox`) to the conversion workflows of the
 * enabled definitions it triggers, and deletes an outbox row only after Temporal acknowledged every
 * signal-with-start it needed. Two callers:
 *
 * - the fast path: right after a write, the API delivers the activities it just recorded, in the
 *   background (the request does not wait for Temporal);
 * - the relay loop (`startCrmActivityRelay`, every CRM_OUTBOX_RELAY_SECONDS in the API process):
 *   whatever is still in the outbox, in bounded batches (oldest first where the database sorts
 *   cheaply) — activities recorded by lead sync in the worker, and everything a Temporal or worker
 *   outage held back.
 *
 * At least once, never lost: a crash or a failed signal leaves the row for the next round. Twice is
 * harmless: the conversion workflow derives the same event id from the same activity and the ledger
 * counts the repeat as a duplicate (test/integration/conversions-outage.test.ts proves it). Several
 * API processes may relay the same row at once for the same reason.
 */
import type { Client } from '@temporalio/client';
import type { ApiContext } from '../api/context';
import type { ConversionActivityRef } from '../../workflows/conversions-definitions';
import { confirmedActivityIds, discardCrmActivities } from '../contacts/crm-activity';
import { deleteByIds, findByIds } from '../db/by-ids';
import { traitsOfConnection } from '../db/flavor';
import type { Models } from '../db/models';
import type { CrmActivityOutboxDoc } from '../db/models/crm-activity';
import type { ConversionTrigger } from '../domain/conversions';
import type { Logger } from '../logging';
import { enabledAt, signalConversionActivity, toActivityRef, triggers } from './routing';

export interface RelayDeps {
  models: Pick<Models, 'CrmActivity' | 'CrmActivityOutbox' | 'ConversionDefinition' | 'Contact' | 'FormSubmission'>;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
}

/** Outbox rows per round. */
export const RELAY_BATCH = 200;
/** A record whose change is still not stored after this long belongs to a write that never finished. */
export const ORPHAN_AFTER_MS = 2 * 60_000;
/** One signal may wait this long for Temporal; the row is retried next round. */
const SIGNAL_DEADLINE_MS = 10_000;

export interface RelayRound {
  picked: number;
  delivered: number;
  waiting: number;
  discarded: number;
}

/** Rows being delivered by this process (fast path and loop do not signal the same row at once). */
const inFlight = new Set<string>();

export async function deliverCrmActivities(deps: RelayDeps, options: { ids?: readonly string[] } = {}): Promise<RelayRound> {
  const { models } = deps;
  const ids = options.ids?.filter((id) => !inFlight.has(id));
  if (ids !== undefined && ids.length === 0) return { picked: 0, delivered: 0, waiting: 0, discarded: 0 };
  // The fast path reads its rows by `_id` (findByIds): `$in` makes the embedded database scan the outbox.
  const found = ids ? await findByIds(models.CrmActivityOutbox, ids) : await nextBatch(models.CrmActivityOutbox);
  const rows = found.filter((row) => !inFlight.has(row._id));
  for (const row of rows) inFlight.add(row._id);
  try {
    return await deliverRows(deps, rows);
  } finally {
    for (const row of rows) inFlight.delete(row._id);
  }
}

/**
 * The relay's next rows: oldest first where the database sorts from the `createdAt` index (MongoDB).
 * FerretDB v1 pushes a limit down to PostgreSQL only for a find without filter and sort; sorted, it
 * reads and sorts the whole outbox for every batch, so draining a 5,000-lead backfill's activity read
 * 65,000 rows (14.5 CPU s, 10 s). There the batch is the first rows PostgreSQL finds: every row is
 * still delivered (a delivered row leaves, a waiting one is read again next round, as when sorted).
 */
function nextBatch(outbox: Models['CrmActivityOutbox']): Promise<CrmActivityOutboxDoc[]> {
  const query = outbox.find({}).limit(RELAY_BATCH);
  return (traitsOfConnection(outbox.db).flavor === 'ferretdb' ? query : query.sort({ createdAt: 1 })).lean<CrmActivityOutboxDoc[]>().exec();
}

async function deliverRows(deps: RelayDeps, rows: CrmActivityOutboxDoc[]): Promise<RelayRound> {
  const { models } = deps;
  const round: RelayRound = { picked: rows.length, delivered: 0, waiting: 0, discarded: 0 };
  if (rows.length === 0) return round;
  const confirmed = await confirmedActivityIds(models, rows);
  const now = Date.now();
  const orphans = rows.filter((row) => !confirmed.has(row._id) && now - new Date(row.createdAt).getTime() >= ORPHAN_AFTER_MS).map((row) => row._id);
  const ready = rows.filter((row) => confirmed.has(row._id));
  round.waiting = rows.length - ready.length - orphans.length;
  if (orphans.length > 0) {
    await discardCrmActivities(models, orphans);
    round.discarded = orphans.length;
    deps.logger.warn({ count: orphans.length }, 'crm activity records without their change discarded (a write did not finish)');
  }
  if (ready.length === 0) return round;

  // Switched-off definitions too: an activity from before the switch is still theirs (enabledAt).
  const definitions = await models.ConversionDefinition.find({ status: 'active' }, { _id: 1, trigger: 1, enabled: 1, enabledHistory: 1 }).lean<
    { _id: string; trigger: ConversionTrigger; enabled: boolean; enabledHistory?: { enabled: boolean; at: Date }[] }[]
  >();
  const groups = new Map<string, { rowIds: string[]; refs: ConversionActivityRef[] }>();
  for (const row of ready) {
    const ref = toActivityRef(row);
    for (const definition of definitions) {
      if (!triggers(definition.trigger, ref) || !enabledAt(definition, ref.at) || (row.deliveredTo ?? []).includes(definition._id)) continue;
      const group = groups.get(definition._id) ?? { rowIds: [], refs: [] };
      group.rowIds.push(row._id);
      group.refs.push(ref);
      groups.set(definition._id, group);
    }
  }

  const acknowledged = new Map<string, string[]>();
  const failed = new Map<string, string>();
  for (const [definitionId, group] of groups) {
    try {
      await deps.temporal.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () => signalConversionActivity(deps.temporal, deps.taskQueue, definitionId, group.refs));
      for (const id of group.rowIds) acknowledged.set(id, [...(acknowledged.get(id) ?? []), definitionId]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const id of group.rowIds) failed.set(id, message);
    }
  }

  const done = ready.filter((row) => !failed.has(row._id)).map((row) => row._id);
  if (done.length > 0) await deleteByIds(models.CrmActivityOutbox, done);
  round.delivered = done.length;
  if (groups.size > 0) deps.logger.debug({ activities: done.length, definitions: groups.size }, 'crm activity routed to conversion events');
  for (const [id, message] of failed) {
    await models.CrmActivityOutbox.updateOne(
      { _id: id },
      { $inc: { attempts: 1 }, $set: { lastError: message.slice(0, 500) }, $addToSet: { deliveredTo: { $each: acknowledged.get(id) ?? [] } } },
    );
  }
  if (failed.size > 0) {
    round.waiting += failed.size;
    deps.logger.warn({ count: failed.size, err: [...failed.values()][0] }, 'crm activity not acknowledged by Temporal; kept for the relay');
  }
  return round;
}

/** The fast path: delivers just-recorded activities without holding up the caller; the relay retries whatever fails. */
export function deliverSoon(deps: RelayDeps, ids: readonly string[]): void {
  if (ids.length === 0) return;
  void deliverCrmActivities(deps, { ids }).catch((error: unknown) => {
    deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'crm activity fast delivery failed; the relay retries');
  });
}

export interface RunningRelay {
  stop(): Promise<void>;
}

/** Drains the outbox every `intervalMs` (full batches back to back, a failing round waits for the next tick). */
export function startCrmActivityRelay(deps: RelayDeps, intervalMs: number): RunningRelay {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const drain = async () => {
    for (;;) {
      const round = await deliverCrmActivities(deps);
      if (stopped || round.picked < RELAY_BATCH || round.delivered + round.discarded < round.picked) return;
    }
  };
  const tick = () => {
    running = drain()
      .catch((error: unknown) => deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'crm activity relay round failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export function relayDepsOf(ctx: Pick<ApiContext, 'db' | 'temporal' | 'config' | 'logger'>): RelayDeps {
  return { models: ctx.db.models, temporal: ctx.temporal, taskQueue: ctx.config.TEMPORAL_TASK_QUEUE, logger: ctx.logger };
}
