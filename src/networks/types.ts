/**
 * The one interface every ad-network client implements. Activities talk to networks only through
 * this; workflows never see it. Everything here is a plain, JSON-safe DTO (ISO date strings, string
 * ids) so it can cross the activity boundary unchanged.
 */
export const NETWORKS = ['facebook', 'google', 'linkedin'] as const;
export type Network = (typeof NETWORKS)[number];

export interface TokenSet {
  accessToken: string;
  /** Google and LinkedIn issue refresh tokens; Facebook long-lived user tokens have none. */
  refreshToken?: string;
  /** ISO time the access token stops working; absent when the network does not say. */
  expiresAt?: string;
  refreshTokenExpiresAt?: string;
  scopes?: string[];
}

export interface AdAccountInfo {
  /** The network's own id as used in API paths: "act_123" (FB), "1234567890" (Google), "507404993" (LinkedIn). */
  externalId: string;
  name: string;
  currency?: string;
  timezone?: string;
  /** Facebook Business Manager id owning the account; null when it has none (CONV-3). */
  businessId?: string | null;
  /** The network's account status, verbatim. */
  status: string;
}

/** Delivery status normalised across networks; `rawStatus` keeps the network's own value. */
export type DeliveryStatus = 'active' | 'pending_review' | 'paused' | 'disapproved' | 'archived' | 'deleted' | 'other';

export interface Ref {
  id: string;
  name: string;
}

/** Facebook: where tracking lives on the ad's current creative. */
export interface FacebookAdTracking {
  network: 'facebook';
  creativeId: string;
  /** The creative's current `url_tags` query string ("" when none). */
  urlTags: string;
  /** link | lead | messenger | carousel | carousel_pac | post | video | other (see the FB client). */
  format: string;
  isLeadAd: boolean;
  /** Post engagements (reactions + comments + shares) of the ad's post; TRK-4. */
  engagements: number;
  /**
   * The ad set's `targeting.publisher_platforms` (facebook, instagram, messenger, audience_network);
   * absent when the ad set leaves placements to Meta (automatic placements).
   */
  placements?: string[];
}

export interface CustomParameter {
  key: string;
  value: string;
}

/** Google: tracking settings at every level that can override the campaign template (TRK-6). */
export interface GoogleAdTracking {
  network: 'google';
  /** SEARCH | DISPLAY | SMART | DEMAND_GEN | VIDEO | PERFORMANCE_MAX | ... (v22 AdvertisingChannelType) */
  channelType: string;
  customerTrackingUrlTemplate: string;
  campaignTrackingUrlTemplate: string;
  campaignCustomParameters: CustomParameter[];
  campaignFinalUrlSuffix: string;
  adGroupTrackingUrlTemplate: string;
  adTrackingUrlTemplate: string;
}

/** LinkedIn: campaign-level URL parameters plus where the creative's landing URL lives. */
export interface LinkedInAdTracking {
  network: 'linkedin';
  /** SPONSORED_UPDATE (single image/video/document) | CAROUSEL | SPONSORED_INMAILS | CONVERSATION | TEXT_AD | ... */
  format: string;
  /** Campaign group id (hsa_cam). */
  campaignGroupId: string;
  /** URL parameters set on the LinkedIn campaign, in order. */
  campaignUrlParameters: CustomParameter[];
  /** The post (share/ugcPost urn) the creative promotes, if any. */
  postUrn?: string;
}

export type AdTracking = FacebookAdTracking | GoogleAdTracking | LinkedInAdTracking;

/**
 * One ad as the network reports it. Hierarchy mapping:
 * - Facebook: campaign → ad set (adGroup) → ad
 * - Google: campaign → ad group (adGroup) → ad (adGroupAd)
 * - LinkedIn: campaign group (tracking.campaignGroupId) → campaign → creative (ad); `campaign` is the
 *   LinkedIn campaign and `adGroup` repeats it, since LinkedIn has no separate ad-group level.
 */
export interface AdRecord {
  network: Network;
  accountId: string;
  adId: string;
  name: string;
  status: DeliveryStatus;
  rawStatus: string;
  /** ISO time of the last change the network reports for the ad. */
  updatedTime: string;
  campaign: Ref;
  adGroup: Ref;
  /** The final/landing URL the ad sends people to, without the network's tracking added. */
  landingUrl: string | null;
  tracking: AdTracking;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; absent on the last page. */
  nextCursor?: string;
}

export interface ListAdsOptions {
  cursor?: string;
  /** Only ads changed at or after this ISO time (the networks' cheap change filters). */
  updatedSince?: string;
  /** `deliverable` = active or pending review (what auto-tracking touches); `all` = every ad. */
  scope: 'deliverable' | 'all';
  pageSize?: number;
}

/** A change to tracking, at the level each network is tagged at. */
export type TrackingWrite =
  /** New creative copied from the current one with new url_tags, then the ad points at it. */
  | { network: 'facebook'; key: string; adId: string; creativeId: string; urlTags: string }
  /** Campaign-level tracking template + custom parameters (whole-list replacement). */
  | {
      network: 'google';
      key: string;
      campaignId: string;
      trackingUrlTemplate: string;
      urlCustomParameters: CustomParameter[];
    }
  /** Campaign-level URL tracking parameters (whole-list replacement). */
  | { network: 'linkedin'; key: string; campaignId: string; urlParameters: CustomParameter[] };

export interface WriteResult {
  /** The `key` of the write this result answers. */
  key: string;
  ok: boolean;
  /** New object id created by the write (FB: the new creative id). */
  createdId?: string;
  error?: NetworkErrorInfo;
}

export interface AdDayMetrics {
  adId: string;
  /** YYYY-MM-DD in the account's time zone. */
  date: string;
  impressions: number;
  clicks: number;
  /** In the account currency, as a decimal number. */
  spend: number;
  /** Conversions the network counts (actions, not people; REP-2). */
  conversions: number;
}

export interface MetricsQuery {
  from: string;
  to: string;
  cursor?: string;
}

export interface LeadForm {
  formId: string;
  name: string;
  status: string;
}

export interface NetworkLead {
  network: Network;
  leadId: string;
  formId: string;
  adId?: string;
  adGroupId?: string;
  campaignId?: string;
  /** ISO time of the submission. */
  createdTime: string;
  isOrganic: boolean;
  /** Answers by field name (e.g. email, full_name, phone_number), verbatim from the network. */
  fields: Record<string, string>;
}

export interface ListLeadsOptions {
  formId: string;
  /** Only leads created at or after this ISO time. */
  since?: string;
  cursor?: string;
  pageSize?: number;
}

export type NetworkErrorKind =
  | 'auth' // token expired, revoked or invalid: the account needs a reconnect
  | 'rate_limited' // back off; retryAfterMs says how long when the network tells
  | 'transient' // 5xx, timeouts, concurrent modification: retry
  | 'invalid' // the request is wrong: do not retry as is
  | 'permission' // the token lacks a role/scope
  | 'not_found';

export interface NetworkErrorInfo {
  kind: NetworkErrorKind;
  /** The network's own error code, e.g. "190", "UNAUTHENTICATED", "CLICK_CONVERSION_ALREADY_EXISTS". */
  code: string;
  message: string;
  httpStatus?: number;
  retryAfterMs?: number;
}

/** What a network says about a conversion destination (CONV-1): usable, or why events sent to it would fail. */
export type ConversionDestinationCheck = { ok: true } | { ok: false; problem: 'not_found' | 'not_usable'; message: string };

export interface AdNetworkClient {
  readonly network: Network;
  /** Documented maxima the callers chunk by. */
  /** `changedAdsAccountsMax`: accounts per `listChangedAds` request, where the network can ask for several. */
  readonly limits: { writeBatchMax: number; adsPageSizeMax: number; changedAdsAccountsMax?: number };
  /** `codeVerifier`: the PKCE verifier when the authorization request carried a challenge (Google). */
  exchangeCode(input: { code: string; redirectUri: string; codeVerifier?: string }): Promise<TokenSet>;
  /** Refreshes (Google/LinkedIn refresh grant) or re-extends (Facebook long-lived exchange). */
  refreshToken(tokens: TokenSet): Promise<TokenSet>;
  listAdAccounts(accessToken: string): Promise<AdAccountInfo[]>;
  listAds(accessToken: string, accountId: string, options: ListAdsOptions): Promise<Page<AdRecord>>;
  /**
   * The first page of each account's deliverable ads changed since a time, for up to
   * `limits.changedAdsAccountsMax` accounts of one token in one request (the ads watcher, issue 12);
   * an account's failure is its entry. Networks without a multi-account read leave it out.
   */
  listChangedAds?(accessToken: string, accountIds: readonly string[], options: { updatedSince: string; pageSize: number }): Promise<Map<string, Page<AdRecord> | Error>>;
  /** Applies up to `limits.writeBatchMax` writes in as few requests as the network allows. */
  applyTracking(accessToken: string, accountId: string, writes: TrackingWrite[]): Promise<WriteResult[]>;
  getAdMetrics(accessToken: string, accountId: string, query: MetricsQuery): Promise<Page<AdDayMetrics>>;
  listLeadForms(accessToken: string, accountId: string): Promise<LeadForm[]>;
  listLeads(accessToken: string, accountId: string, options: ListLeadsOptions): Promise<Page<NetworkLead>>;
  /**
   * Reads where the account's conversion events would go — the Facebook pixel (dataset) id, the Google
   * conversion action resource name, the LinkedIn conversion rule URN — with the account's token:
   * `not_found` when the network says it does not exist or the token cannot reach it, `not_usable`
   * when it exists but cannot take uploaded events. Throws a NetworkError when the network cannot say.
   */
  checkConversionDestination(accessToken: string, accountId: string, destination: string): Promise<ConversionDestinationCheck>;
}
