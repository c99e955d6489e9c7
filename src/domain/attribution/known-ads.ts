/**
 * Ads known to this system, as attribution needs them, and how a click's hsa_* identity finds one.
 * Ids are compared in their plain form (act_123 = 123, LinkedIn urns = their number), the same
 * way tracking writes them (src/domain/tracking/ids.ts).
 */
import type { Network } from '../../networks/types';
import { identifyClick, plainAccountId, plainObjectId, type AutoTrackingToggle, type ClickIdentity } from '../tracking';
import type { SessionSource } from '../visitors';

export interface KnownAd {
  network: Network;
  /** The account id as stored (e.g. act_123). */
  accountId: string;
  /** As AdRecord.campaign.id (on LinkedIn the campaign, hsa_grp). */
  campaignId: string;
  adGroupId?: string;
  adId: string;
  /** ISO time our tracking was first in force on the ad; null when it never was (TRK-11). */
  trackedSince: string | null;
  /** The ad account's auto-tracking switches (ACC-5). */
  autoTrackingHistory: readonly AutoTrackingToggle[];
}

/** The distinct ad identities the sessions point at: what the caller loads as KnownAds. */
export function clickIdentitiesOf(sources: readonly Pick<SessionSource, 'hsa'>[]): ClickIdentity[] {
  const seen = new Map<string, ClickIdentity>();
  for (const { hsa } of sources) {
    const identity = identifyClick(hsa);
    if (identity !== null) seen.set(JSON.stringify(identity), identity);
  }
  return [...seen.values()];
}

/**
 * The known ad a click identity points at. The account and at least the campaign must be named;
 * every id the click carries must agree. Clicks without an ad id (Google Smart / Performance Max,
 * TRK-6) match the campaign's ads; they share the campaign-level template, so the first one stands
 * for the campaign.
 */
export function findKnownAd(identity: ClickIdentity, ads: readonly KnownAd[]): KnownAd | undefined {
  if (identity.accountId === undefined || (identity.campaignId === undefined && identity.adId === undefined)) return undefined;
  return ads.find(
    (ad) =>
      ad.network === identity.network &&
      plainAccountId(ad.accountId) === identity.accountId &&
      (identity.adId === undefined || plainObjectId(ad.adId) === identity.adId) &&
      (identity.campaignId === undefined || plainObjectId(ad.campaignId) === identity.campaignId) &&
      (identity.adGroupId === undefined || ad.adGroupId === undefined || plainObjectId(ad.adGroupId) === identity.adGroupId),
  );
}
