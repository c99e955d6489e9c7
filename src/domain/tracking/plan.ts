/**
 * The per-ad plan of a tracking sweep (TRK-1…TRK-11, ACC-4): given the ad as the network reports it,
 * the account's settings, what earlier sweeps stored and the landing-page probe, decide the ad's
 * status and the one write (if any) that brings it up to the template.
 *
 * Idempotent by construction: parameters are only ever added when their key is missing, so planning
 * an ad that is already tagged yields no write, and a renamed campaign whose ads still carry the old
 * utm_campaign yields none either (TRK-10) — while an ad that lost its utm_campaign gets it back with
 * the campaign's current name.
 */
import type { AdRecord } from '../../networks/types';
import { planFacebook, planGoogle, planLinkedIn } from './planners';
import type { NetworkOutcome } from './planners';
import { reasons } from './reasons';
import type {
  AccountTrackingContext,
  AdTrackingPlan,
  LandingCheck,
  NextAdTrackingState,
  StoredAdTrackingState,
  TrackingReason,
  TrackingStatus,
} from './types';

/** TRK-4: engagements at first connection from which an existing Facebook ad is left alone. */
export const FACEBOOK_ENGAGEMENT_CAP = 20;

function hasOverride(overrides: AccountTrackingContext['engagementCapOverrides'], adId: string): boolean {
  if (overrides === undefined) return false;
  return 'has' in overrides ? overrides.has(adId) : overrides.includes(adId);
}

function networkOutcome(ad: AdRecord, account: AccountTrackingContext, landing: LandingCheck | undefined): NetworkOutcome {
  const tracking = ad.tracking;
  switch (tracking.network) {
    case 'facebook':
      return planFacebook(ad, tracking, account, landing);
    case 'google':
      return planGoogle(ad, tracking, account, landing);
    case 'linkedin':
      return planLinkedIn(ad, tracking, account, landing);
  }
}

/**
 * Plans one ad.
 *
 * - Auto-tracking off (ACC-4) or an ad that is not active / pending review (TRK-1): no write, and
 *   the stored status is kept (`excluded` for an ad never evaluated); nothing is ever stripped.
 * - TRK-4: a Facebook ad that needs a write during the first sweep after connection while it has
 *   ≥ 20 engagements becomes ENGAGEMENT_CAP, and stays capped on later sweeps (the flag is sticky in
 *   `nextState`) until its id is in `engagementCapOverrides`. An ad that is already tagged needs no
 *   write and is never capped; an ad first seen later is never capped.
 * - TRK-11: an ad whose write failed retryably waits for its retry time (exponential backoff, or the
 *   network's own hint), however often sweeps list it, unless it was edited at the network since.
 * - `now` (ISO) stamps `firstSeenAt` for an ad seen for the first time.
 */
export function planAdTracking(
  ad: AdRecord,
  account: AccountTrackingContext,
  stored: StoredAdTrackingState = {},
  landing?: LandingCheck,
  now?: string,
): AdTrackingPlan {
  const firstSeenAt = stored.firstSeenAt ?? now;
  const base = { adId: ad.adId, network: ad.tracking.network, campaignId: ad.campaign.id };
  const next = (trackingStatus: TrackingStatus, reason: TrackingReason | undefined, engagementCapped: boolean): NextAdTrackingState => ({
    trackingStatus,
    ...(reason ? { reason } : {}),
    ...(firstSeenAt !== undefined ? { firstSeenAt } : {}),
    engagementCapped,
  });
  const wasCapped = stored.engagementCapped === true;

  const keep = (whyIfNew: TrackingReason): AdTrackingPlan => {
    const trackingStatus = stored.trackingStatus ?? 'excluded';
    const reason = stored.trackingStatus === undefined ? whyIfNew : stored.reason;
    return { ...base, trackingStatus, ...(reason ? { reason } : {}), nextState: next(trackingStatus, reason, wasCapped) };
  };
  if (!account.autoTracking) return keep(reasons.autoTrackingOff());
  if (ad.status !== 'active' && ad.status !== 'pending_review') return keep(reasons.notDeliverable(ad.rawStatus));
  if (isWaitingForRetry(ad, stored, now)) {
    return { ...base, trackingStatus: 'error', reason: stored.reason!, waitingForRetry: true, nextState: next('error', stored.reason, wasCapped) };
  }

  const outcome = networkOutcome(ad, account, landing);
  if (outcome.kind === 'error') {
    return { ...base, trackingStatus: 'error', reason: outcome.reason, nextState: next('error', outcome.reason, wasCapped) };
  }
  if (outcome.kind === 'tracked') {
    return { ...base, trackingStatus: 'tracked', ...(outcome.notice ? { reason: outcome.notice } : {}), nextState: next('tracked', outcome.notice, wasCapped) };
  }

  let capped = wasCapped;
  if (ad.tracking.network === 'facebook') {
    const { engagements } = ad.tracking;
    capped ||= account.isFirstSweep && engagements >= FACEBOOK_ENGAGEMENT_CAP;
    if (capped && !hasOverride(account.engagementCapOverrides, ad.adId)) {
      const reason = reasons.engagementCap(engagements);
      return { ...base, trackingStatus: 'error', reason, nextState: next('error', reason, true) };
    }
  }
  return {
    ...base,
    trackingStatus: 'pending',
    ...(outcome.notice ? { reason: outcome.notice } : {}),
    write: outcome.write,
    writeKey: outcome.write.key,
    appliedParams: outcome.appliedParams,
    nextState: next('pending', outcome.notice, capped),
  };
}

function isWaitingForRetry(ad: AdRecord, stored: StoredAdTrackingState, now: string | undefined): boolean {
  if (stored.trackingStatus !== 'error' || !stored.reason?.retryable || !stored.retryNotBefore || now === undefined) return false;
  if (stored.networkUpdatedTime !== undefined && stored.networkUpdatedTime !== ad.updatedTime) return false;
  return Date.parse(now) < Date.parse(stored.retryNotBefore);
}
