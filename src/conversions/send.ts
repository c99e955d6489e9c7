/**
 * Step 4 of the conversion workflow: sends one batch of pending (outbox) events to the definition's
 * network and settles every one. Whole-request failures that may pass (rate limits, 5xx, timeouts,
 * auth) are thrown as `NetworkError` for the activity to turn into a Temporal retry; per-row answers
 * settle events one by one. Each answer is recorded (journal → ledger → out of the outbox) before the
 * next request, so a retried batch never sends an event the network already accepted.
 */
import type { Models } from '../db/models';
import type { ConversionDefinitionRecord } from '../db/models/conversion-definition';
import type { LedgerReason } from '../db/models/conversion-ledger';
import type { FacebookServerEvent as DomainFacebookEvent, GoogleClickConversion as DomainGoogleConversion, LinkedInConversionEvent as DomainLinkedInEvent } from '../domain/conversions';
import { isNetworkError } from '../networks/errors';
import type { FacebookClient } from '../networks/facebook';
import type { GoogleAdsClient } from '../networks/google';
import type { LinkedInClient } from '../networks/linkedin';
import type { AdNetworkClient, NetworkErrorInfo } from '../networks/types';
import { markRetrying, settleRows, type LedgerRow, type Outcome } from './ledger';
import { toFacebookClientEvent, toGoogleClientConversion, toLinkedInClientEvent } from './network-adapters';

export type PendingRow = LedgerRow;

export interface RowRetry {
  eventId: string;
  occurredAt: number;
  retryAfterMs: number;
}

export interface SendOutcome {
  sent: number;
  failed: number;
  retry: RowRetry[];
  /** The first per-row or whole-batch refusal, for the definition's "last error". */
  lastError?: string;
}

export interface SendContext {
  models: Pick<Models, 'ConversionLedger' | 'ConversionOutbox'>;
  definition: ConversionDefinitionRecord;
  rows: PendingRow[];
  accessToken: string;
  client: AdNetworkClient;
  heartbeat: () => void;
  /** Send attempt of this batch (recorded on the settled rows). */
  attempt: number;
}

function settle(ctx: SendContext, rows: PendingRow[], outcome: Outcome): Promise<number> {
  return settleRows(ctx.models, rows.map((row) => ({ row, outcome })), ctx.attempt);
}

function settleEach(ctx: SendContext, items: { row: PendingRow; outcome: Outcome }[]): Promise<number> {
  return settleRows(ctx.models, items, ctx.attempt);
}

const failedOutcome = (reason: LedgerReason, response: Record<string, unknown> | null = null): Outcome => ({ status: 'failed', reason, response });

/** Google answers these for an order id / click it already recorded: the event is there, from an earlier attempt. */
const GOOGLE_ALREADY_RECORDED = new Set(['ORDER_ID_ALREADY_IN_USE', 'CLICK_CONVERSION_ALREADY_EXISTS']);
const ROW_RETRY_DEFAULT_MS = 60_000;

function reasonOf(error: NetworkErrorInfo): LedgerReason {
  return { code: error.code, message: error.message };
}

function describe(error: NetworkErrorInfo): string {
  return `${error.code}: ${error.message}`;
}

export async function sendRows(ctx: SendContext): Promise<SendOutcome> {
  switch (ctx.definition.network) {
    case 'facebook':
      return sendFacebook(ctx);
    case 'google':
      return sendGoogle(ctx);
    case 'linkedin':
      return sendLinkedIn(ctx);
  }
}

/** Refusals of the request as a whole that no retry will fix: every row of it fails with that reason. */
function isWholeRequestRefusal(error: unknown): error is NetworkErrorInfo {
  return isNetworkError(error) && (error.kind === 'invalid' || error.kind === 'permission' || error.kind === 'not_found');
}

/**
 * Facebook takes up to 1,000 events per request and rejects the whole request when one event is
 * invalid (reference §8.1). Such a request is split in halves until the invalid events stand alone:
 * they fail with Facebook's reason, every other event is sent.
 */
async function sendFacebook(ctx: SendContext): Promise<SendOutcome> {
  const client = ctx.client as unknown as FacebookClient;
  const pixelId = ctx.definition.pixelId;
  const outcome: SendOutcome = { sent: 0, failed: 0, retry: [] };
  if (!pixelId) {
    outcome.failed += await settle(ctx, ctx.rows, failedOutcome({ code: 'PIXEL_REQUIRED', message: 'The conversion event has no Facebook pixel (dataset).' }));
    outcome.lastError = 'The conversion event has no Facebook pixel (dataset).';
    return outcome;
  }
  const send = async (rows: PendingRow[]): Promise<void> => {
    ctx.heartbeat();
    try {
      const events = rows.map((r) => toFacebookClientEvent(r.payload as unknown as DomainFacebookEvent));
      const answer = await client.sendEvents(ctx.accessToken, pixelId, events);
      outcome.sent += await settle(ctx, rows, {
        status: 'sent',
        reason: null,
        response: { eventsReceived: answer.eventsReceived, batchSize: rows.length, ...(answer.fbtraceId ? { fbtraceId: answer.fbtraceId } : {}) },
      });
    } catch (error) {
      if (!isWholeRequestRefusal(error)) throw error;
      if (error.kind === 'invalid' && rows.length > 1) {
        const half = Math.ceil(rows.length / 2);
        await send(rows.slice(0, half));
        await send(rows.slice(half));
        return;
      }
      outcome.lastError ??= describe(error);
      outcome.failed += await settle(ctx, rows, failedOutcome(reasonOf(error), { httpStatus: error.httpStatus ?? null }));
    }
  };
  await send(ctx.rows);
  return outcome;
}

/** Google: one upload of ≤ 2,000 with partial failure; per-row errors settle rows one by one (reference §4.2). */
function sendGoogle(ctx: SendContext): Promise<SendOutcome> {
  const client = ctx.client as unknown as GoogleAdsClient;
  const conversions = ctx.rows.map((r) => toGoogleClientConversion(r.payload as unknown as DomainGoogleConversion, r.occurredAt));
  return sendWithRowResults(ctx, () => client.uploadClickConversions(ctx.accessToken, ctx.definition.adAccountId, conversions), {
    network: 'Google',
    sentResponse: () => ({ ok: true }),
    alreadyRecorded: (result) => (result.error && GOOGLE_ALREADY_RECORDED.has(result.error.code) ? { alreadyRecorded: result.error.code } : undefined),
    failureDetail: (error) => ({ code: error.code }),
  });
}

/** LinkedIn: BATCH_CREATE of ≤ 5,000 with a status per event (reference §4.2). */
function sendLinkedIn(ctx: SendContext): Promise<SendOutcome> {
  const client = ctx.client as unknown as LinkedInClient;
  const events = ctx.rows.map((r) => toLinkedInClientEvent(r.payload as unknown as DomainLinkedInEvent));
  return sendWithRowResults(ctx, () => client.sendConversionEvents(ctx.accessToken, events), {
    network: 'LinkedIn',
    sentResponse: () => ({ status: 201 }),
    failureDetail: (error) => ({ httpStatus: error.httpStatus ?? null }),
  });
}

/** One request answered per row; a refusal of the whole request fails every row with its reason. */
async function sendWithRowResults<R extends RowResult>(ctx: SendContext, request: () => Promise<readonly R[]>, how: RowSettlement<R>): Promise<SendOutcome> {
  const outcome: SendOutcome = { sent: 0, failed: 0, retry: [] };
  ctx.heartbeat();
  let results;
  try {
    results = await request();
  } catch (error) {
    if (!isWholeRequestRefusal(error)) throw error;
    outcome.lastError = describe(error);
    outcome.failed += await settle(ctx, ctx.rows, failedOutcome(reasonOf(error)));
    return outcome;
  }
  await settleRowResults(ctx, outcome, results, how);
  return outcome;
}

interface RowResult {
  index: number;
  ok: boolean;
  error?: NetworkErrorInfo;
}

interface RowSettlement<R extends RowResult> {
  network: string;
  sentResponse: (result: R) => Record<string, unknown>;
  alreadyRecorded?: (result: R) => Record<string, unknown> | undefined;
  failureDetail: (error: NetworkErrorInfo) => Record<string, unknown>;
}

/**
 * Per-row answers (Google partial failure, LinkedIn BATCH_CREATE): accepted rows are sent, rows the
 * network already holds count as sent, transient/rate-limited rows are deferred, the rest fail
 * with the network's reason.
 */
async function settleRowResults<R extends RowResult>(
  ctx: SendContext,
  outcome: SendOutcome,
  results: readonly R[],
  how: RowSettlement<R>,
): Promise<void> {
  const settled: { row: PendingRow; outcome: Outcome }[] = [];
  const retries: { eventId: string; reason: LedgerReason }[] = [];
  for (const result of results) {
    const row = ctx.rows[result.index];
    if (!row) continue;
    const already = result.ok ? undefined : how.alreadyRecorded?.(result);
    if (result.ok) settled.push({ row, outcome: { status: 'sent', reason: null, response: how.sentResponse(result) } });
    else if (already) settled.push({ row, outcome: { status: 'sent', reason: null, response: already } });
    else if (result.error && (result.error.kind === 'transient' || result.error.kind === 'rate_limited')) {
      retries.push({ eventId: row.eventId, reason: reasonOf(result.error) });
      outcome.retry.push({ eventId: row.eventId, occurredAt: row.occurredAt.getTime(), retryAfterMs: result.error.retryAfterMs ?? ROW_RETRY_DEFAULT_MS });
    } else {
      const error: NetworkErrorInfo = result.error ?? { kind: 'invalid', code: 'UNKNOWN', message: `${how.network} gave no result for this conversion` };
      outcome.lastError ??= describe(error);
      settled.push({ row, outcome: failedOutcome(reasonOf(error), how.failureDetail(error)) });
    }
  }
  await settleEach(ctx, settled);
  outcome.sent += settled.filter((s) => s.outcome.status === 'sent').length;
  outcome.failed += settled.filter((s) => s.outcome.status === 'failed').length;
  await markRetrying(ctx.models, retries);
}
