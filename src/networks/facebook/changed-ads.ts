import type { NetworkBudget } from '../budget';
import { NetworkError } from '../errors';
import type { AdRecord, Page } from '../types';
import { AD_FIELDS, DELIVERABLE_STATUSES, actAccountId, toAdRecord, type GraphAd } from './ad-mapping';
import { graphErrorInfo, hasGraphError } from './errors';
import type { GraphTransport } from './graph-transport';
import { BATCH_MAX_OPERATIONS } from './tracking-writes';

type BatchItem = { code: number; headers?: { name: string; value: string }[]; body?: string } | null;

interface GraphAdList {
  data?: GraphAd[];
  paging?: { cursors?: { after?: string }; next?: string };
}

/** Each account's answer: its first page of changed ads, or why the network would not say. */
export type ChangedAdsByAccount = Map<string, Page<AdRecord> | NetworkError>;

/**
 * The ads watcher's question for up to 50 accounts of one token in one request (issue 12): a Graph
 * batch (§5) of one `GET act_<id>/ads?updated_since=…` per account, so N idle accounts cost
 * ceil(N / 50) requests per interval instead of N. Each operation still counts against the rate
 * limits (§5), so the usage is the same as N single reads; what the batch saves is round trips and
 * connections. This is the one place the watcher's Facebook request is made, so a rate budget can
 * wrap it.
 *
 * Engagements (insights) are left out: the watcher only needs to know whether something changed;
 * the account's sweep reads them. A request-level failure is thrown; an operation's failure is that
 * account's answer, so one broken account does not hide the others' changes. With a rate budget, an
 * account under an announced wait is not asked (its answer is that wait), and an operation refused
 * for throttling blocks its account: the batch must not ask into a block at every interval.
 */
export async function listChangedAdsBatch(
  transport: GraphTransport,
  accessToken: string,
  accountIds: readonly string[],
  options: { updatedSince: string; pageSize: number },
  budget?: NetworkBudget,
): Promise<ChangedAdsByAccount> {
  if (accountIds.length > BATCH_MAX_OPERATIONS) {
    throw new NetworkError('facebook', { kind: 'invalid', code: 'batch_too_large', message: `at most ${BATCH_MAX_OPERATIONS} accounts per batch (got ${accountIds.length})` });
  }
  const out: ChangedAdsByAccount = new Map();
  const asked: string[] = [];
  for (const accountId of accountIds) {
    const waitMs = budget?.accountBlockedFor(accountId) ?? 0;
    if (waitMs > 0) out.set(accountId, new NetworkError('facebook', { kind: 'rate_limited', code: 'rate_budget', message: `throttled; retry in ${Math.ceil(waitMs / 1000)} s`, retryAfterMs: waitMs }));
    else asked.push(accountId);
  }
  if (asked.length === 0) return out;
  const query = new URLSearchParams({
    fields: AD_FIELDS,
    effective_status: JSON.stringify(DELIVERABLE_STATUSES),
    limit: String(options.pageSize),
    updated_since: String(Math.floor(Date.parse(options.updatedSince) / 1000)),
  }).toString();
  const acts = asked.map(actAccountId);
  const operations = acts.map((act) => ({ method: 'GET', relative_url: `${act}/ads?${query}` }));
  const items = await transport.post<BatchItem[]>('', accessToken, { batch: operations, include_headers: false });
  for (const [i, act] of acts.entries()) {
    const answer = answerOf(act, items[i]);
    if (answer instanceof NetworkError && answer.kind === 'rate_limited') await budget?.afterOperation(asked[i]!, answer);
    out.set(asked[i]!, answer);
  }
  return out;
}

function answerOf(act: string, item: BatchItem | undefined): Page<AdRecord> | NetworkError {
  // §5: an operation that did not complete comes back as null.
  if (!item) return new NetworkError('facebook', { kind: 'transient', code: 'batch_item_incomplete', message: 'the batch operation did not complete' });
  const body = parse(item.body);
  if (item.code < 200 || item.code >= 300 || typeof body !== 'object' || body === null || hasGraphError(body)) {
    const header = (name: string) => item.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
    return new NetworkError('facebook', graphErrorInfo(item.code, body, header));
  }
  const list = body as GraphAdList;
  const nextCursor = list.paging?.next ? list.paging.cursors?.after : undefined;
  return { items: (list.data ?? []).map((ad) => toAdRecord(act, ad, 0)), ...(nextCursor ? { nextCursor } : {}) };
}

function parse(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
