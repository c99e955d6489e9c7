import { NetworkError, isNetworkError } from '../errors';
import type { NetworkErrorInfo, TrackingWrite, WriteResult } from '../types';
import { CREATIVE_FIELDS, actAccountId, type GraphCreative } from './ad-mapping';
import { graphErrorInfo, hasGraphError } from './errors';
import type { GraphTransport } from './graph-transport';

/** §5: at most 50 operations per batch request. */
export const BATCH_MAX_OPERATIONS = 50;

type FacebookWrite = Extract<TrackingWrite, { network: 'facebook' }>;

interface CurrentAd {
  id: string;
  account_id?: string;
  creative?: GraphCreative;
}

type BatchItem = { code: number; headers?: { name: string; value: string }[]; body?: string } | null;

const chunk = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Creatives are immutable (§3.3), so a url_tags change is: read the ad's current creative, post the
 * ad an inline copy of that creative with the new url_tags (which makes Meta create the creative and
 * swap it in one operation, §3.3 step 3), then read back the new creative id.
 *
 * One batch operation per write, ≤ 50 per batch request. The two-operation form (create, then
 * `creative_id`) would need batch JSONPath references, which the reference marks unconfirmed.
 *
 * Failures: a request-level error before anything was applied is thrown (the caller's usual
 * back-off / reconnect path); once some writes went through, the rest are answered with that error
 * so applied work is not lost.
 */
export async function applyFacebookTracking(transport: GraphTransport, accessToken: string, accountId: string, writes: TrackingWrite[]): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  const wrongNetwork = writes.filter((w) => w.network !== 'facebook');
  for (const write of wrongNetwork) results.push(failure(write.key, { kind: 'invalid', code: 'wrong_network', message: `a ${write.network} write was sent to the Facebook client` }));
  const chunks = chunk(writes.filter((w): w is FacebookWrite => w.network === 'facebook'), BATCH_MAX_OPERATIONS);
  for (const [index, part] of chunks.entries()) {
    try {
      results.push(...(await applyChunk(transport, accessToken, accountId, part)));
    } catch (error) {
      if (index === 0 || !isNetworkError(error)) throw error;
      const info = error.toInfo();
      for (const write of chunks.slice(index).flat()) results.push(failure(write.key, info));
      break;
    }
  }
  return results;
}

async function applyChunk(transport: GraphTransport, accessToken: string, accountId: string, writes: FacebookWrite[]): Promise<WriteResult[]> {
  const current = await readCurrentAds(transport, accessToken, writes.map((w) => w.adId));
  const results = new Map<string, WriteResult>();
  const planned: FacebookWrite[] = [];
  const plainAccount = actAccountId(accountId).slice('act_'.length);
  for (const write of writes) {
    const ad = current.get(write.adId);
    if (ad === undefined || ad instanceof NetworkError) {
      results.set(write.key, failure(write.key, ad?.toInfo() ?? { kind: 'not_found', code: 'ad_not_found', message: `ad ${write.adId} was not returned` }));
    } else if (ad.account_id !== undefined && ad.account_id !== plainAccount) {
      results.set(write.key, failure(write.key, { kind: 'invalid', code: 'wrong_account', message: `ad ${write.adId} is not in ${actAccountId(accountId)}` }));
    } else if (ad.creative?.id !== write.creativeId) {
      // Someone swapped the creative since the write was planned: re-plan rather than revert them.
      results.set(write.key, failure(write.key, { kind: 'transient', code: 'creative_changed', message: `ad ${write.adId} now uses creative ${ad.creative?.id ?? '?'}, not ${write.creativeId}` }));
    } else {
      planned.push(write);
    }
  }
  if (planned.length > 0) {
    const operations = planned.map((write) => ({
      method: 'POST',
      relative_url: write.adId,
      body: new URLSearchParams({ creative: JSON.stringify(copyWithUrlTags(current.get(write.adId) as CurrentAd, write.urlTags)) }).toString(),
    }));
    const items = await transport.post<BatchItem[]>('', accessToken, { batch: operations, include_headers: true });
    planned.forEach((write, i) => results.set(write.key, itemResult(write.key, items[i])));
    await addCreatedIds(transport, accessToken, planned, results);
  }
  return writes.map((write) => results.get(write.key) ?? failure(write.key, { kind: 'transient', code: 'no_result', message: 'write was not answered' }));
}

/** A creative spec without the read-only fields (§3.3 step 2), carrying the new url_tags. */
function copyWithUrlTags(ad: CurrentAd, urlTags: string): Record<string, unknown> {
  const creative = ad.creative ?? { id: '' };
  return Object.fromEntries(
    Object.entries({
      name: creative.name,
      object_story_spec: creative.object_story_spec,
      object_story_id: creative.object_story_spec ? undefined : creative.object_story_id,
      asset_feed_spec: creative.asset_feed_spec,
      call_to_action_type: creative.object_story_spec ? undefined : creative.call_to_action_type,
      url_tags: urlTags,
    }).filter(([, value]) => value !== undefined),
  );
}

function itemResult(key: string, item: BatchItem | undefined): WriteResult {
  // §5: items that did not complete come back as null.
  if (!item) return failure(key, { kind: 'transient', code: 'batch_item_incomplete', message: 'the batch operation did not complete' });
  const body = parseBody(item.body);
  if (item.code >= 200 && item.code < 300 && !hasGraphError(body)) return { key, ok: true };
  const header = (name: string) => item.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
  return failure(key, graphErrorInfo(item.code, body, header));
}

/** `GET /?ids=…` (≤ 50 ids); when one id is unknown the call fails as a whole, so fall back to one read per ad. */
async function readCurrentAds(transport: GraphTransport, accessToken: string, adIds: string[]): Promise<Map<string, CurrentAd | NetworkError>> {
  const fields = `id,account_id,creative{${CREATIVE_FIELDS}}`;
  const ids = [...new Set(adIds)];
  try {
    const byId = await transport.get<Record<string, CurrentAd>>('', accessToken, { ids: ids.join(','), fields });
    return new Map(ids.map((id) => [id, byId[id] ?? new NetworkError('facebook', { kind: 'not_found', code: '803', message: `ad ${id} not returned` })]));
  } catch (error) {
    if (!isNetworkError(error) || (error.kind !== 'not_found' && error.kind !== 'invalid')) throw error;
  }
  const entries = await Promise.all(
    ids.map(async (id): Promise<[string, CurrentAd | NetworkError]> => {
      try {
        return [id, await transport.get<CurrentAd>(id, accessToken, { fields })];
      } catch (error) {
        if (isNetworkError(error) && (error.kind === 'not_found' || error.kind === 'invalid' || error.kind === 'permission')) return [id, error];
        throw error;
      }
    }),
  );
  return new Map(entries);
}

/** The write already happened; a failed read-back only leaves `createdId` unset. */
async function addCreatedIds(transport: GraphTransport, accessToken: string, writes: FacebookWrite[], results: Map<string, WriteResult>): Promise<void> {
  const applied = writes.filter((w) => results.get(w.key)?.ok);
  if (applied.length === 0) return;
  try {
    const byId = await transport.get<Record<string, { creative?: { id?: string } }>>('', accessToken, {
      ids: [...new Set(applied.map((w) => w.adId))].join(','),
      fields: 'creative{id}',
    });
    for (const write of applied) {
      const createdId = byId[write.adId]?.creative?.id;
      if (createdId && createdId !== write.creativeId) results.set(write.key, { key: write.key, ok: true, createdId });
    }
  } catch (error) {
    if (!isNetworkError(error)) throw error;
  }
}

function parseBody(body: string | undefined): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function failure(key: string, error: NetworkErrorInfo): WriteResult {
  return { key, ok: false, error };
}
