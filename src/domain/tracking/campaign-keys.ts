/**
 * Issue 15 item 1 (TRK-5, TRK-8): Google and LinkedIn are tagged once per campaign, and the network
 * appends the campaign's parameters to the final URL of EVERY ad of the campaign. A key an ad's own
 * final URL already sets would then reach its clicks twice (`?utm_source=newsletter&…&utm_source=adwords`),
 * and landing stacks that read the last value would see ours instead of the advertiser's.
 *
 * Why the decision is per campaign and leaves keys out instead of placing them per ad:
 * - Google: a tracking template, final URL suffix and custom parameters exist at ad level too
 *   (reference §3.1), but editing an ad's URL fields sends it back to review, and a template below
 *   campaign level replaces ours entirely (TRK-6). Ad-group fields avoid review but are shared by the
 *   ad group's ads just the same, and a custom parameter left undefined still emits its key
 *   (`utm_source=`), so no level lets one ad skip a key the campaign template carries.
 * - LinkedIn: URL tracking parameters exist only on the campaign (and, from 202608, the account),
 *   never per creative (reference §2.7).
 * So the campaign template carries only the keys no ad of the campaign sets itself, and every ad of
 * such a campaign says which keys were left out and why (TEMPLATE_KEYS_LEFT_OUT), instead of a
 * silent double. Facebook tags per ad and already checks the ad's own link (templates/facebook.ts).
 */
import type { DeliveryStatus } from '../../networks/types';
import { parseQuery, queryOfUrl } from './query-string';

export interface CampaignAd {
  campaignId: string;
  adId: string;
  name: string;
  landingUrl: string | null;
  status: DeliveryStatus;
}

export interface AdRef {
  adId: string;
  name: string;
}

/** Per key, the ads whose own final URL sets it (in input order). */
export type OwnKeys = ReadonlyMap<string, readonly AdRef[]>;

/** Ads that can never serve again cannot receive a doubled key, so they do not hold keys back. */
const GONE: ReadonlySet<DeliveryStatus> = new Set(['archived', 'deleted']);

/**
 * The query keys each campaign's ads set in their own final URLs, by campaign id. Paused,
 * disapproved and in-review ads count: they may serve again under the same campaign template.
 * An ad listed twice counts once, with its first entry (callers put the freshest record first).
 */
export function campaignOwnKeys(ads: readonly CampaignAd[]): Map<string, OwnKeys> {
  const seen = new Set<string>();
  const out = new Map<string, Map<string, AdRef[]>>();
  for (const ad of ads) {
    if (seen.has(ad.adId)) continue;
    seen.add(ad.adId);
    if (GONE.has(ad.status) || ad.landingUrl === null) continue;
    const keys = new Set(parseQuery(queryOfUrl(ad.landingUrl)).map((param) => param.key));
    if (keys.size === 0) continue;
    let byKey = out.get(ad.campaignId);
    if (!byKey) out.set(ad.campaignId, (byKey = new Map<string, AdRef[]>()));
    for (const key of keys) byKey.set(key, [...(byKey.get(key) ?? []), { adId: ad.adId, name: ad.name }]);
  }
  return out;
}

/** The keys of `ownKeys` as a set (empty for a campaign none of whose ads sets any). */
export function ownKeySet(ownKeys: OwnKeys | undefined): ReadonlySet<string> {
  return new Set(ownKeys?.keys() ?? []);
}

/** Leaves out the template entries whose key an ad of the campaign sets itself. */
export function withoutOwnKeys<T extends { key: string }>(template: readonly T[], ownKeys: ReadonlySet<string>): T[] {
  return template.filter((param) => !ownKeys.has(param.key));
}

/**
 * Entries of the campaign's current list to drop: ours (exactly as our template writes them, so the
 * advertiser's own entries are never touched) whose key an ad of the campaign now sets itself —
 * written by an earlier sweep before that ad appeared, or before this rule existed.
 */
export function oursNowDoubled<T>(existing: readonly T[], ours: readonly T[], ownKeys: ReadonlySet<string>, same: (a: T, b: T) => boolean, keyOf: (p: T) => string): T[] {
  return existing.filter((param) => ownKeys.has(keyOf(param)) && ours.some((mine) => same(mine, param)));
}
