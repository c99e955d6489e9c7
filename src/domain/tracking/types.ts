/**
 * Types of the auto-tracking rules (SPEC §2 TRK, ACC-4/ACC-5). Everything in src/domain/tracking is
 * pure: no I/O, no clock. Whatever depends on the world (the landing-page probe, the current time,
 * what earlier sweeps stored) comes in as an argument, so the same inputs always give the same plan.
 */
import type { Network, NetworkErrorInfo, TrackingWrite } from '../../networks/types';
import type { OwnKeys } from './campaign-keys';

/**
 * - `tracked`: every parameter we need is on the ad; nothing to write.
 * - `pending`: the plan carries a write; the caller marks the ad tracked once the write succeeds.
 * - `error`: the ad cannot be tracked right now (TRK-11); `reason` says why.
 * - `excluded`: the system deliberately leaves the ad alone (auto-tracking off, ad not deliverable).
 */
export type TrackingStatus = 'tracked' | 'pending' | 'error' | 'excluded';

export const TRACKING_REASON_CODES = [
  'UNSUPPORTED_AD_TYPE',
  'SHORTENED_URL',
  'REDIRECTING_URL',
  'URL_HAS_FRAGMENT',
  'INVALID_URL',
  'ENGAGEMENT_CAP',
  'TEMPLATE_WITHOUT_LPURL',
  'TRACKING_SET_BELOW_CAMPAIGN',
  'NETWORK_REJECTED',
  // Not errors: why an ad is `excluded` or keeps its earlier status.
  'AUTO_TRACKING_OFF',
  'NOT_DELIVERABLE',
  // Not an error: a note on a tracked (or pending) ad, kept when its write succeeds.
  'TEMPLATE_KEYS_LEFT_OUT',
] as const;
export type TrackingReasonCode = (typeof TRACKING_REASON_CODES)[number];

/** Reasons that annotate a tracked ad instead of explaining why it is not tracked. */
export const NOTICE_REASON_CODES: ReadonlySet<TrackingReasonCode> = new Set(['TEMPLATE_KEYS_LEFT_OUT']);

export interface TrackingReason {
  code: TrackingReasonCode;
  /** Human explanation shown next to the ad: what is wrong and how the advertiser fixes it. */
  message: string;
  /**
   * True when repeating the same write unchanged may succeed (rate limits, transient network
   * failures): the caller retries with backoff. False when the advertiser or an admin must change
   * something first; such ads are still re-evaluated on every sweep, so tracking resumes by itself
   * once the cause is gone (TRK-11).
   */
  retryable: boolean;
  /** For NETWORK_REJECTED: the network's error as the client mapped it. */
  networkError?: NetworkErrorInfo;
}

/** TRK-9: the admin may replace the default utm_source / utm_medium per network. */
export interface TemplateOverride {
  utmSource?: string;
  utmMedium?: string;
}

/** What the planner needs to know about the ad account (one network). */
export interface AccountTrackingContext {
  /** ACC-4 per-account switch. */
  autoTracking: boolean;
  templateOverride?: TemplateOverride;
  /** The product's own link shortener host (e.g. "go.example.com"); exempt from TRK-3/6/8 URL rules. */
  ownShortenerDomain?: string;
  /**
   * True during the first sweep that applies tracking after the account was connected: TRK-4
   * measures engagements then. The caller decides (e.g. the first sweep with auto-tracking on).
   */
  isFirstSweep: boolean;
  /** Ad ids an admin cleared to be tagged despite the engagement cap (TRK-4 "fix alert"). */
  engagementCapOverrides?: ReadonlySet<string> | readonly string[];
  /**
   * LinkedIn only: the dynamic token that LinkedIn replaces with the creative id at serve time. The
   * LinkedIn client owns its syntax (unconfirmed upstream), so it is passed in rather than hard-coded.
   */
  linkedInCreativeToken?: string;
  /**
   * Google and LinkedIn: by campaign id, the keys the campaign's ads set in their own final URLs and
   * which ads set them (`campaignOwnKeys`); the campaign template leaves those keys out.
   */
  campaignOwnKeys?: ReadonlyMap<string, OwnKeys>;
}

/** What earlier sweeps stored for the ad. */
export interface StoredAdTrackingState {
  trackingStatus?: TrackingStatus;
  reason?: TrackingReason;
  /** ISO time the system first saw the ad. */
  firstSeenAt?: string;
  /**
   * TRK-4: the cap blocked tagging this ad during the first sweep (≥ 20 engagements then). Sticky:
   * the ad stays capped on later sweeps until an admin override lists it.
   */
  engagementCapped?: boolean;
  /** TRK-11: ISO time before which a retryable error is not retried (the backoff, or the network's hint). */
  retryNotBefore?: string;
  /** The ad's `updatedTime` at the network when it was last planned: an edit since then re-plans it at once. */
  networkUpdatedTime?: string;
}

/** Result of the landing-page probe the activity performs on the ad's URL (no redirects followed). */
export interface LandingCheck {
  redirects: boolean;
  /** The Location header when it redirects. */
  location?: string;
}

/** The state the caller should store for the ad after this plan (input of the next sweep). */
export interface NextAdTrackingState {
  trackingStatus: TrackingStatus;
  reason?: TrackingReason;
  firstSeenAt?: string;
  engagementCapped: boolean;
}

export interface AdTrackingPlan {
  adId: string;
  network: Network;
  /** Campaign the ad belongs to (Google and LinkedIn writes are per campaign). */
  campaignId: string;
  trackingStatus: TrackingStatus;
  reason?: TrackingReason;
  /** The change to make; absent when nothing must change (already tagged, error, excluded). */
  write?: TrackingWrite;
  /**
   * Key of the write whose result decides this ad's status. Equals `write.key` on per-ad plans;
   * after folding per campaign, sibling ads point at the one campaign write.
   */
  writeKey?: string;
  /**
   * What this plan adds (TRK-12), decoded values by parameter key. A Google custom parameter is
   * listed as `_<key>` (how templates reference it), e.g. `_utmcampaign`.
   */
  appliedParams?: Record<string, string>;
  /**
   * TRK-11: a retryable error whose retry time has not come, on an ad nobody edited since: no write
   * now, and the stored backoff (attempts, next retry) stays as it is.
   */
  waitingForRetry?: true;
  nextState: NextAdTrackingState;
}

/** One parameter of a template before encoding: a literal value or a network macro kept verbatim. */
export interface TemplateParam {
  key: string;
  value: string;
  /** `macro`: a network placeholder ({{site_source_name}}, {keyword}, a LinkedIn token) written raw. */
  kind: 'literal' | 'macro';
}
