import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BATCH_MAX, MAX_BATCH_WAIT_MS, nextBatch, type QueuedConversion } from '../src/domain/conversions/workflow-safe';
import type { Network } from '../src/networks/types';
import {
  conversionActivitySignal,
  conversionStateQuery,
  conversionWorkflowId,
  deleteConversionSignal,
  handOverConversionSignal,
  setConversionEnabledSignal,
  type ConversionActivityRef,
  type ConversionLiveState,
  type ConversionWorkflowCarry,
  type ConversionWorkflowInput,
  type DeferredEventRef,
  type QueuedEventRef,
} from './conversions-definitions';
import { continueAsNewAfterHandlers, continueAsNewSuggested, historyTooLong, publishAccountAttributes } from './entity';
import { isAuthFailure, messageOf, retryPolicy } from './failures';

/**
 * One durable process per conversion-event definition (`conversions/<definitionId>`, SPEC §7):
 *
 * 1. CRM activity arrives by signal, as references only (contact id, submission id, stage, time).
 * 2. `prepareConversions` (one activity per chunk of up to PREPARE_MAX references) loads the
 *    contacts, applies the pure rules (`decideConversion`: CONV-4/5/7, consent, audience, window),
 *    builds and hashes the network payloads and writes every event into the ledger — `pending` with
 *    its payload, or `skipped` with the reason — keyed by its stable event id. Only event ids and
 *    times come back into the workflow.
 * 3. The queue of event ids is cut by `nextBatch`: a batch goes out when it reaches the network's
 *    maximum or when its oldest event has waited MAX_BATCH_WAIT_MS (10 s); events that fell out of
 *    the network's window are marked, never sent.
 * 4. `sendConversionBatch` (one activity per batch) sends the ledger's pending payloads and settles
 *    each row; it never sends a row the ledger already shows as sent. Whole-request failures are
 *    retried by Temporal with backoff, honouring the network's rate-limit hint (`nextRetryDelay`);
 *    per-row "try later" answers come back as deferred events.
 *
 * Switched off: references are dropped (not sent, not queued), queued events are marked skipped.
 * Deleted: queued events are marked skipped, the workflow ends. Replaced (CONV-8): new references
 * are forwarded to the replacement, what is already queued is sent at once, then the workflow ends.
 * History stays bounded with continue-as-new, carrying the queues.
 */
const bookkeeping = wf.proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: retryPolicy('database', { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 }),
});
const sender = wf.proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: retryPolicy('send', { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 8 }),
});

/** References evaluated per prepare activity. */
export const PREPARE_MAX = 2_000;
/** After a batch exhausted its retries, it waits this long before it is tried again (the window still bounds it). */
const FAILED_BATCH_PAUSE_MS = 5 * 60_000;
const AUTH_PAUSE_MS = 15 * 60_000;

export async function conversionWorkflow(input: ConversionWorkflowInput): Promise<void> {
  const { definitionId } = input;
  const carried = input.carried;
  let network: Network | null = carried?.network ?? null;
  let enabled = carried?.enabled ?? true;
  let handOverTo: string | null = carried?.handOverTo ?? null;
  let deleteRequested = carried?.deleteRequested ?? false;
  let intake: ConversionActivityRef[] = carried?.intake ?? [];
  let queue: QueuedEventRef[] = carried?.queue ?? [];
  let deferred: DeferredEventRef[] = carried?.deferred ?? [];
  let step = carried?.step ?? 0;
  const state: ConversionLiveState = carried?.state ?? {
    definitionId,
    network: null,
    enabled: true,
    phase: 'running',
    handOverTo: null,
    intake: 0,
    queued: 0,
    deferred: 0,
    nextFlushAt: null,
    batches: 0,
    sent: 0,
    failed: 0,
    skipped: 0,
    duplicates: 0,
    droppedWhileOff: 0,
    lastBatch: null,
    lastError: null,
    generation: 0,
  };
  /** Bumped by every signal, so the main loop wakes up for it. */
  let signals = 0;

  wf.setHandler(conversionActivitySignal, ({ refs }) => {
    signals += 1;
    if (!Array.isArray(refs)) return;
    // Switched off: not sent, and not kept for later either.
    if (!enabled && !handOverTo) state.droppedWhileOff += refs.length;
    else intake.push(...refs);
  });
  wf.setHandler(setConversionEnabledSignal, (arg) => {
    signals += 1;
    if (typeof arg?.enabled === 'boolean') enabled = arg.enabled;
  });
  wf.setHandler(deleteConversionSignal, () => {
    signals += 1;
    deleteRequested = true;
  });
  wf.setHandler(handOverConversionSignal, (arg) => {
    signals += 1;
    if (typeof arg?.to === 'string' && arg.to !== definitionId) handOverTo = arg.to;
  });
  wf.setHandler(conversionStateQuery, () => snapshot());

  function snapshot(): ConversionLiveState {
    state.network = network;
    state.enabled = enabled;
    state.handOverTo = handOverTo;
    state.intake = intake.length;
    state.queued = queue.length;
    state.deferred = deferred.length;
    return state;
  }

  if (!carried) {
    const definition = await bookkeeping.loadConversionDefinition({ definitionId });
    if (!definition.found || definition.status === 'deleted') {
      // Deleted (or never stored): a late signal-with-start must not bring it back.
      state.phase = 'ended';
      return;
    }
    network = definition.network;
    enabled = definition.enabled;
    if (definition.status === 'replaced' && definition.replacedBy) handOverTo = definition.replacedBy;
    publishAccountAttributes({ network: definition.network, externalId: definition.adAccountId });
  }
  if (!network) throw wf.ApplicationFailure.nonRetryable(`conversion definition ${definitionId} has no network`, 'InvalidInput');
  const net: Network = network;

  for (;;) {
    if (deleteRequested) {
      await settleAll('DEFINITION_DELETED', 'The conversion event was deleted before this event was sent.');
      intake = [];
      state.phase = 'ended';
      return;
    }

    if (handOverTo) {
      state.phase = 'handing_over';
      if (intake.length > 0) {
        const refs = intake;
        intake = [];
        await forward(handOverTo, refs);
      }
      // What is already queued goes out now, without waiting for a fuller batch: no gap, and the
      // replacement never sends these events itself (their ledger rows stay this definition's).
      const now = Date.now();
      queue = queue.map((q) => ({ ...q, enqueuedAt: Math.min(q.enqueuedAt, now - MAX_BATCH_WAIT_MS) }));
    } else if (!enabled) {
      if (queue.length > 0 || deferred.length > 0) {
        await settleAll('DISABLED', 'The conversion event was switched off before this event was sent; it is not kept for later.');
      }
      state.droppedWhileOff += intake.length;
      intake = [];
    } else if (intake.length > 0 && queue.length < BATCH_MAX[net]) {
      // Full batches go out before more references are evaluated, so the queue stays about one batch long.
      const refs = intake.splice(0, PREPARE_MAX);
      step += 1;
      const info = wf.workflowInfo();
      const prepared = await bookkeeping.prepareConversions({ definitionId, token: `${info.runId}:${step}`, refs });
      const enqueuedAt = Date.now();
      for (const q of prepared.queued) queue.push({ eventId: q.eventId, occurredAt: q.occurredAt, enqueuedAt });
      state.skipped += prepared.skipped;
      state.duplicates += prepared.duplicates;
    }

    const now = Date.now();
    // Per-row retries whose time has come rejoin the queue.
    const due = deferred.filter((d) => d.notBefore <= now);
    if (due.length > 0) {
      deferred = deferred.filter((d) => d.notBefore > now);
      for (const d of due) queue.push({ eventId: d.eventId, occurredAt: d.occurredAt, enqueuedAt: now - MAX_BATCH_WAIT_MS });
    }

    const plan = nextBatch<null>(net, queue.map(withoutPayload), now);
    queue = plan.remaining.map(toRef);
    if (plan.expired.length > 0) {
      const eventIds = plan.expired.map((e) => e.eventId);
      const settled = await bookkeeping.settleConversions({
        definitionId,
        eventIds,
        reason: { code: 'OUTSIDE_NETWORK_WINDOW', message: 'The event became too old for the network before it could be sent.' },
      });
      state.skipped += settled;
    }
    if (plan.flush) await sendBatch(plan.flush.map(toRef), plan.reason ?? 'deadline');

    if (handOverTo && queue.length === 0 && deferred.length === 0 && intake.length === 0) {
      state.phase = 'ended';
      return;
    }

    // More to evaluate, or a batch or a retry already due: keep going without waiting.
    const t = Date.now();
    const moreNow =
      ((enabled || handOverTo !== null) && intake.length > 0) ||
      (queue.length > 0 && (handOverTo !== null || (plan.wakeAt !== null && plan.wakeAt <= t))) ||
      deferred.some((d) => d.notBefore <= t);
    // Between steps when the server suggests it; at once when the history grows large under a steady stream.
    if ((!moreNow && continueAsNewSuggested()) || historyTooLong()) {
      return continueAsNewAfterHandlers<typeof conversionWorkflow>(state, () => {
        const carry: ConversionWorkflowCarry = { network: net, enabled, handOverTo, deleteRequested, intake, queue, deferred, state: snapshot(), step };
        return [{ definitionId, carried: carry }];
      });
    }
    if (moreNow) continue;

    const wakeAt = Math.min(plan.wakeAt ?? Infinity, ...deferred.map((d) => d.notBefore));
    state.nextFlushAt = Number.isFinite(wakeAt) ? wakeAt : null;
    const seen = signals;
    if (Number.isFinite(wakeAt)) await wf.condition(() => signals !== seen, Math.max(1, wakeAt - Date.now()));
    else await wf.condition(() => signals !== seen);
  }

  async function sendBatch(batch: QueuedEventRef[], reason: string): Promise<void> {
    const eventIds = batch.map((e) => e.eventId);
    try {
      const result = await sender.sendConversionBatch({ definitionId, eventIds });
      state.batches += 1;
      state.sent += result.sent;
      state.failed += result.failed;
      state.skipped += result.skipped;
      state.lastBatch = { size: eventIds.length, reason, at: new Date().toISOString() };
      if (result.lastError) state.lastError = result.lastError;
      const now = Date.now();
      for (const r of result.retry) deferred.push({ eventId: r.eventId, occurredAt: r.occurredAt, notBefore: now + Math.max(1_000, r.retryAfterMs) });
    } catch (error) {
      // Retries are exhausted (or the token is gone): nothing is lost — the batch waits and is tried
      // again; the network's window, checked at every cut, bounds how long.
      const message = messageOf(error);
      state.lastError = message;
      await bookkeeping.recordConversionError({ definitionId, message });
      const pause = isAuthFailure(error) ? AUTH_PAUSE_MS : FAILED_BATCH_PAUSE_MS;
      const now = Date.now();
      for (const e of batch) deferred.push({ eventId: e.eventId, occurredAt: e.occurredAt, notBefore: now + pause });
    }
  }

  async function settleAll(code: string, message: string): Promise<void> {
    const eventIds = [...queue.map((q) => q.eventId), ...deferred.map((d) => d.eventId)];
    queue = [];
    deferred = [];
    for (let i = 0; i < eventIds.length; i += PREPARE_MAX) {
      state.skipped += await bookkeeping.settleConversions({ definitionId, eventIds: eventIds.slice(i, i + PREPARE_MAX), reason: { code, message } });
    }
  }

  async function forward(to: string, refs: ConversionActivityRef[]): Promise<void> {
    try {
      for (let i = 0; i < refs.length; i += PREPARE_MAX) {
        await wf.getExternalWorkflowHandle(conversionWorkflowId(to)).signal(conversionActivitySignal, { refs: refs.slice(i, i + PREPARE_MAX) });
      }
    } catch (error) {
      // The replacement is gone (deleted): there is nobody left to send for.
      state.lastError = `could not hand activity over to ${to}: ${messageOf(error)}`;
    }
  }
}

function withoutPayload(q: QueuedEventRef): QueuedConversion<null> {
  return { eventId: q.eventId, occurredAt: q.occurredAt, enqueuedAt: q.enqueuedAt, payload: null };
}

function toRef(q: QueuedConversion<null>): QueuedEventRef {
  return { eventId: q.eventId, occurredAt: q.occurredAt, enqueuedAt: q.enqueuedAt };
}
