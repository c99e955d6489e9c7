import { NetworkError } from '../errors';
import type { GoogleAdsHttp } from './http';
import { idFromResourceName, type ChangeStatusRow } from './mappers';
import { CHANGE_STATUS_LIMIT, changesQuery } from './queries';
import { toAccountDateTime } from './time';

/** Ids per IN (...) list when re-reading changed entities; Google's cap is unpublished. */
const IDS_PER_FILTER = 500;
/** change_status only reaches 90 days back; older "since" values fall back to a full listing. */
const CHANGE_STATUS_MAX_AGE_MS = 89 * 86_400_000;
const DAY_MS = 86_400_000;

/**
 * Entities changed since `since` (change_status), as GAQL filters over ad_group_ad: changed
 * campaigns and ad groups re-list all their ads, so an ad may show up more than once across the
 * pages of one change listing. Too old a `since`, or the 10,000-row cap hit → 'full_listing'.
 * Account-level (customer) changes are not in change_status; periodic full listings cover them.
 */
export async function changedEntityFilters(
  http: GoogleAdsHttp,
  accessToken: string,
  customerId: string,
  since: string,
  timeZone: string,
): Promise<string[] | 'full_listing'> {
  const sinceDate = new Date(since);
  if (Number.isNaN(sinceDate.getTime())) throw new NetworkError('google', { kind: 'invalid', code: 'INVALID_UPDATED_SINCE', message: `Not a date: ${since}` });
  if (Date.now() - sinceDate.getTime() > CHANGE_STATUS_MAX_AGE_MS) return 'full_listing';
  // The upper bound must be finite; a day ahead absorbs clock skew with Google.
  const until = new Date(Date.now() + DAY_MS);
  const rows = await http.searchAll<ChangeStatusRow>(accessToken, customerId, changesQuery(toAccountDateTime(sinceDate, timeZone), toAccountDateTime(until, timeZone)));
  if (rows.length >= CHANGE_STATUS_LIMIT) return 'full_listing';
  const ids = { campaign: new Set<string>(), adGroup: new Set<string>(), ad: new Set<string>() };
  for (const { changeStatus: c } of rows) {
    if (c?.resourceType === 'CAMPAIGN' && c.campaign) ids.campaign.add(idFromResourceName(c.campaign) ?? '');
    if (c?.resourceType === 'AD_GROUP' && c.adGroup) ids.adGroup.add(idFromResourceName(c.adGroup) ?? '');
    if (c?.resourceType === 'AD_GROUP_AD' && c.adGroupAd) ids.ad.add(idFromResourceName(c.adGroupAd) ?? '');
  }
  const filters: string[] = [];
  for (const [field, set] of [
    ['campaign.id', ids.campaign],
    ['ad_group.id', ids.adGroup],
    ['ad_group_ad.ad.id', ids.ad],
  ] as const) {
    const list = [...set].filter((id) => /^\d+$/.test(id));
    for (let i = 0; i < list.length; i += IDS_PER_FILTER) filters.push(`${field} IN (${list.slice(i, i + IDS_PER_FILTER).join(', ')})`);
  }
  return filters;
}

/** Splits items into requests of at most `max`, never putting two items with the same key in one request. */
export function batchesWithoutRepeats<T>(items: T[], max: number, keyOf: (item: T) => string): { item: T; index: number }[][] {
  const rounds: { item: T; index: number }[][] = [];
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const round = seen.get(keyOf(item)) ?? 0;
    seen.set(keyOf(item), round + 1);
    (rounds[round] ??= []).push({ item, index });
  });
  return rounds.flatMap((round) => Array.from({ length: Math.ceil(round.length / max) }, (_v, i) => round.slice(i * max, (i + 1) * max)));
}
