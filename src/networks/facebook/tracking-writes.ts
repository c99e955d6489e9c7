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

/** Two operations per write (create the creative, point the ad at it), so 25 writes fill a batch. */
export const WRITES_PER_BATCH = BATCH_MAX_OPERATIONS / 2;

/**
 * Creatives are immutable (§3.3), so a url_tags change follows Meta's documented path: read the
 * ad's current creative, `POST /act_<id>/adcreatives` a copy carrying the new url_tags, then
 * `POST /<ad id>` with `creative={"creative_id": …}`. Both steps of ≤ 25 writes share one batch
 * request (≤ 50 operations): each create is a named operation whose id the ad update takes through
 * a `{result=<name>:$.id}` reference, and `omit_response_on_success: false` keeps the create's
 * answer, so the new creative id needs no read-back.
 *
 * Requests per 50 writes: one read of the ads plus two batch requests (1,000 writes → 20 + 40).
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
  let applied = false;
  for (const [index, part] of chunks.entries()) {
    try {
      results.push(
        ...(await applyChunk(transport, accessToken, accountId, part, () => {
          applied = true;
        })),
      );
    } catch (error) {
      if ((index === 0 && !applied) || !isNetworkError(error)) throw error;
      const info = error.toInfo();
      const answered = new Set(results.map((r) => r.key));
      for (const write of chunks.slice(index).flat()) if (!answered.has(write.key)) results.push(failure(write.key, info));
      break;
    }
  }
  return results;
}

async function applyChunk(transport: GraphTransport, accessToken: string, accountId: string, writes: FacebookWrite[], onApplied: () => void): Promise<WriteResult[]> {
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
  for (const part of chunk(planned, WRITES_PER_BATCH)) {
    try {
      const operations = part.flatMap((write, i) => twoStepOperations(actAccountId(accountId), current.get(write.adId) as CurrentAd, write, `creative${i}`));
      const items = await transport.post<BatchItem[]>('', accessToken, { batch: operations, include_headers: true });
      onApplied();
      await transport.observeItemHeaders([...items].reverse().find((item) => item?.headers?.length)?.headers);
      part.forEach((write, i) => results.set(write.key, twoStepResult(write.key, items[2 * i], items[2 * i + 1])));
    } catch (error) {
      // Writes of earlier batches are done: answer the rest with this error instead of losing those.
      if (results.size === writes.length - planned.length || !isNetworkError(error)) throw error;
      for (const write of part) results.set(write.key, failure(write.key, error.toInfo()));
    }
  }
  return writes.map((write) => results.get(write.key) ?? failure(write.key, { kind: 'transient', code: 'no_result', message: 'write was not answered' }));
}

/** The create (named, its answer kept) and the ad update that references the new creative's id. */
function twoStepOperations(act: string, ad: CurrentAd, write: FacebookWrite, name: string): Record<string, unknown>[] {
  // The reference stays literal in the form body: Graph substitutes it before decoding the form.
  const adBody = `creative=${encodeURIComponent('{"creative_id":"')}{result=${name}:$.id}${encodeURIComponent('"}')}`;
  return [
    { method: 'POST', name, relative_url: `${act}/adcreatives`, body: new URLSearchParams(creativeCopy(ad, write.urlTags)).toString(), omit_response_on_success: false },
    { method: 'POST', relative_url: write.adId, body: adBody },
  ];
}

/** A creative spec without the read-only fields (§3.3 step 2), carrying the new url_tags, as form fields. */
function creativeCopy(ad: CurrentAd, urlTags: string): Record<string, string> {
  const creative = ad.creative ?? { id: '' };
  const fields: Record<string, unknown> = {
    name: creative.name,
    object_story_spec: creative.object_story_spec,
    object_story_id: creative.object_story_spec ? undefined : creative.object_story_id,
    asset_feed_spec: creative.asset_feed_spec,
    call_to_action_type: creative.object_story_spec ? undefined : creative.call_to_action_type,
    url_tags: urlTags,
  };
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
  );
}

/** The write's outcome from its two batch items: the create's failure wins; else the update decides. */
function twoStepResult(key: string, created: BatchItem | undefined, updated: BatchItem | undefined): WriteResult {
  const create = itemResult(key, created);
  if (!create.ok) return create;
  const createdId = (parseBody(created?.body) as { id?: unknown } | undefined)?.id;
  const update = itemResult(key, updated);
  if (!update.ok) return update;
  return typeof createdId === 'string' ? { key, ok: true, createdId } : { key, ok: true };
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
