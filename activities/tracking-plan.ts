import { findByIds } from '../src/db/by-ids';
import { adKeyOf, type AdDoc } from '../src/db/models/ad';
import type { AdAccountRecord } from '../src/db/models/ad-account';
import {
  campaignOwnKeys,
  engagementCapMeasuresNow,
  foldWrites,
  landingUrlToProbe,
  planAdTracking,
  type AccountTrackingContext,
  type AdTrackingPlan,
  type LandingCheck,
  type OwnKeys,
  type TrackingReason,
} from '../src/domain/tracking';
import type { AdRecord, TrackingWrite } from '../src/networks/types';
import type { Models } from '../src/db/models';
import type { LoadedAccount } from './accounts';
import type { TrackingDeps } from './tracking';

export interface PlannedPage {
  /** One folded plan per ad, in the order of `ads`. */
  plans: AdTrackingPlan[];
  writes: TrackingWrite[];
  storedById: Map<string, AdDoc>;
}

/**
 * The planning half of a sweep page: what earlier sweeps stored, the account's template, the landing
 * probes, then the pure planner and the fold. The sweep applies what this returns; the console's
 * preview (issue 13) shows it without writing, so both can never disagree about an ad.
 */
export async function planAccountAds(
  deps: TrackingDeps,
  account: LoadedAccount,
  ads: AdRecord[],
  options: { autoTracking: boolean; workflowFirstSweep: boolean; now: Date; preview?: boolean },
): Promise<PlannedPage> {
  const template = await deps.models.TrackingTemplate.findById(account.network).lean();
  const record = await deps.models.AdAccount.findById(account.accountKey, { autoTrackingHistory: 1 }).lean<Pick<AdAccountRecord, 'autoTrackingHistory'>>();
  const startedAt = trackingStartedAt(record, options.now);
  const stored = await findByIds(deps.models.Ad, ads.map((ad) => adKeyOf(ad.network, ad.adId)));
  const storedById = new Map(stored.map((doc) => [doc.adId, doc]));
  const context: AccountTrackingContext = {
    autoTracking: options.autoTracking,
    isFirstSweep: options.workflowFirstSweep,
    engagementCapOverrides: stored.filter((doc) => doc.engagementCapOverride).map((doc) => doc.adId),
    linkedInCreativeToken: deps.linkedInCreativeToken,
    campaignOwnKeys: await campaignOwnKeysOf(deps.models, account.accountKey, ads),
    ...(deps.ownShortenerDomain ? { ownShortenerDomain: deps.ownShortenerDomain } : {}),
    ...(template ? { templateOverride: { ...(template.utmSource ? { utmSource: template.utmSource } : {}), ...(template.utmMedium ? { utmMedium: template.utmMedium } : {}) } } : {}),
  };
  const landing = await checkLandingUrls(deps, ads, context);
  const now = options.now.toISOString();
  const planned = ads.map((ad) => {
    const stored = storedById.get(ad.adId);
    const isFirstSweep = engagementCapMeasuresNow({
      workflowFirstSweep: options.workflowFirstSweep,
      trackingStartedAt: startedAt,
      // An ad the preview meets before the first sweep stored it will have been stored by then.
      adFirstSeenAt: stored ? stored.firstSeenAt.toISOString() : options.preview ? (startedAt ?? undefined) : undefined,
      adNeverPlannedOn: !stored || stored.reason?.code === 'AUTO_TRACKING_OFF',
    });
    return planAdTracking(ad, { ...context, isFirstSweep }, storedStateOf(stored), landing.get(ad.adId), now);
  });
  return { ...foldWrites(planned), storedById };
}

/**
 * TRK-4 after a connection with auto-tracking off: when tracking was first switched on (`now` while
 * it never was, as the preview asks); null for an account connected with it on.
 */
export function trackingStartedAt(account: Pick<AdAccountRecord, 'autoTrackingHistory'> | null, now: Date): string | null {
  const history = account?.autoTrackingHistory ?? [];
  if (history[0]?.enabled !== false) return null;
  const firstOn = history.find((entry) => entry.enabled);
  return new Date(firstOn ? firstOn.at : now).toISOString();
}

/** Only ads of the account's network, each id once: nothing from the network is trusted blindly. */
export function distinctAdsOf(account: LoadedAccount, items: AdRecord[]): AdRecord[] {
  return [...new Map(items.filter((ad) => ad.network === account.network && ad.adId).map((ad) => [ad.adId, ad])).values()];
}

/**
 * Issue 15 item 1: the keys every ad of the page's campaigns sets itself — the page's ads as listed
 * now, their siblings as stored by earlier pages and sweeps (an incremental sweep lists only changed
 * ads). Facebook tags per ad and needs none of this.
 */
async function campaignOwnKeysOf(models: Models, accountKey: string, ads: AdRecord[]): Promise<Map<string, OwnKeys>> {
  const campaignIds = [...new Set(ads.filter((ad) => ad.network !== 'facebook').map((ad) => ad.campaign.id))];
  if (campaignIds.length === 0) return new Map();
  // One equality read per campaign (served by the (accountKey, campaign.id) index): FerretDB scans the
  // whole collection for $in. A page's ads belong to a handful of campaigns.
  const siblings = (
    await Promise.all(campaignIds.map((id) => models.Ad.find({ accountKey, 'campaign.id': id }, { adId: 1, name: 1, landingUrl: 1, status: 1, campaign: 1 }).lean<AdDoc[]>()))
  ).flat();
  const toCampaignAd = (ad: Pick<AdRecord, 'adId' | 'name' | 'landingUrl' | 'status' | 'campaign'>) => ({ campaignId: ad.campaign.id, adId: ad.adId, name: ad.name, landingUrl: ad.landingUrl, status: ad.status });
  return campaignOwnKeys([...ads.map(toCampaignAd), ...siblings.map(toCampaignAd)]);
}

function storedStateOf(doc: AdDoc | undefined) {
  if (!doc) return {};
  return {
    trackingStatus: doc.trackingStatus,
    ...(doc.reason ? { reason: doc.reason as TrackingReason } : {}),
    firstSeenAt: doc.firstSeenAt.toISOString(),
    engagementCapped: doc.engagementCapped,
    ...(doc.nextRetryAt ? { retryNotBefore: new Date(doc.nextRetryAt).toISOString() } : {}),
    ...(doc.networkUpdatedTime ? { networkUpdatedTime: doc.networkUpdatedTime } : {}),
  };
}

/** Probes the landing URLs that need it (cached per URL, the page's cache reads and writes batched). */
async function checkLandingUrls(deps: TrackingDeps, ads: AdRecord[], context: AccountTrackingContext): Promise<Map<string, LandingCheck>> {
  const todo = ads
    .filter((ad) => context.autoTracking && (ad.status === 'active' || ad.status === 'pending_review'))
    .map((ad) => ({ ad, url: landingUrlToProbe(ad.landingUrl, { network: ad.network, ...(context.ownShortenerDomain ? { ownShortenerDomain: context.ownShortenerDomain } : {}) }) }))
    .filter((item): item is { ad: AdRecord; url: string } => item.url !== null);
  if (todo.length === 0) return new Map();
  const checks = await deps.landing.checkMany(todo.map((item) => item.url));
  return new Map(todo.map((item) => [item.ad.adId, checks.get(item.url)!]));
}
