/** Entities of the emulated Google Ads world (what GAQL reads and mutates write). */

export interface CustomParameter {
  key: string;
  value: string;
}

export const CAMPAIGN_KINDS = ['search', 'display', 'smart', 'demand_gen', 'demand_gen_video', 'video'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

export const CHANNEL_TYPE: Record<CampaignKind, string> = {
  search: 'SEARCH',
  display: 'DISPLAY',
  smart: 'SMART',
  demand_gen: 'DEMAND_GEN',
  // v21/v22 have no DISCOVERY channel or ad types: upgraded Discovery campaigns are Demand Gen
  // (googleapis google/ads/googleads/v22/enums/advertising_channel_type.proto, ad_type.proto).
  demand_gen_video: 'DEMAND_GEN',
  video: 'VIDEO',
};

export const AD_TYPE: Record<CampaignKind, string> = {
  search: 'RESPONSIVE_SEARCH_AD',
  display: 'RESPONSIVE_DISPLAY_AD',
  smart: 'SMART_CAMPAIGN_AD',
  demand_gen: 'DEMAND_GEN_MULTI_ASSET_AD',
  demand_gen_video: 'DEMAND_GEN_VIDEO_RESPONSIVE_AD',
  video: 'VIDEO_RESPONSIVE_AD',
};

export type EntityStatus = 'ENABLED' | 'PAUSED' | 'REMOVED';
export const ENTITY_STATUSES: readonly EntityStatus[] = ['ENABLED', 'PAUSED', 'REMOVED'];

/** URL fields shared by every level that can carry tracking (reference §3.1). */
export interface UrlFields {
  trackingUrlTemplate?: string;
  finalUrlSuffix?: string;
  urlCustomParameters: CustomParameter[];
}

export interface Timestamps {
  createdAt: number;
  modifiedAt: number;
}

export interface Customer {
  id: string;
  descriptiveName: string;
  currencyCode: string;
  timeZone: string;
  autoTaggingEnabled: boolean;
  trackingUrlTemplate?: string;
  finalUrlSuffix?: string;
  manager: boolean;
  testAccount: boolean;
  status: 'ENABLED' | 'CANCELED' | 'SUSPENDED' | 'CLOSED';
  /** The manager (MCC) this account is linked under, if any. */
  managerId?: string;
  acceptedCustomerDataTerms: boolean;
  enhancedConversionsForLeadsEnabled: boolean;
}

export interface Campaign extends UrlFields, Timestamps {
  id: string;
  customerId: string;
  name: string;
  status: EntityStatus;
  kind: CampaignKind;
  channelType: string;
}

export interface AdGroup extends UrlFields, Timestamps {
  id: string;
  customerId: string;
  campaignId: string;
  name: string;
  status: EntityStatus;
}

export interface Ad extends UrlFields, Timestamps {
  id: string;
  customerId: string;
  campaignId: string;
  adGroupId: string;
  type: string;
  /** Only some ad types carry a name in Google Ads (display upload, image, video). */
  name?: string;
  /** ad_group_ad.status */
  status: EntityStatus;
  finalUrls: string[];
  approvalStatus?: 'APPROVED' | 'APPROVED_LIMITED' | 'AREA_OF_INTEREST_ONLY' | 'DISAPPROVED';
  reviewStatus: 'REVIEW_IN_PROGRESS' | 'REVIEWED' | 'UNDER_APPEAL' | 'ELIGIBLE_MAY_SERVE';
}

export interface Keyword extends UrlFields, Timestamps {
  id: string;
  customerId: string;
  campaignId: string;
  adGroupId: string;
  text: string;
  matchType: 'EXACT' | 'PHRASE' | 'BROAD';
  status: EntityStatus;
  finalUrls: string[];
}

export interface ConversionAction {
  id: string;
  customerId: string;
  name: string;
  type: 'UPLOAD_CLICKS' | 'WEBPAGE';
  status: 'ENABLED' | 'REMOVED' | 'HIDDEN';
  createdAt: number;
}

export interface WebhookConfig {
  url: string;
  googleKey: string;
  payloadSchemaVersion: number;
}

export interface LeadFormAsset extends Timestamps {
  id: string;
  customerId: string;
  name: string;
  headline: string;
  businessName: string;
  /** Standard field input types, e.g. FULL_NAME, EMAIL, PHONE_NUMBER. */
  fields: string[];
  customQuestions: { id: string; questionText: string }[];
  campaignIds: string[];
  webhook?: WebhookConfig;
}

export interface LeadSubmission {
  id: string;
  customerId: string;
  assetId: string;
  campaignId?: string;
  adGroupId?: string;
  adId?: string;
  gclid?: string;
  submittedAt: number;
  fields: { fieldType: string; fieldValue: string }[];
  customFields: { questionId: string; questionText: string; fieldValue: string }[];
  isTest: boolean;
}

export interface Click {
  gclid: string;
  customerId: string;
  campaignId: string;
  adGroupId: string;
  adId: string;
  keywordId?: string;
  at: number;
  device: string;
  network: string;
  landingUrl: string;
}

export interface RecordedConversion {
  at: string;
  customerId: string;
  jobId: string;
  index: number;
  accepted: boolean;
  error?: { family: string; code: string; message: string };
  /** Whether the identifiers matched a click the sandbox knows (a real upload is processed later). */
  matched?: boolean;
  conversion: Record<string, unknown>;
}

export interface Grant {
  id: string;
  user: string;
  customerIds: string[];
  refreshToken: string;
  refreshExpiresAt?: number;
  revoked: boolean;
}

export interface AccessToken {
  token: string;
  grantId: string;
  expiresAt: number;
}

export interface AuthCode {
  code: string;
  user: string;
  customerIds: string[];
  redirectUri: string;
  used: boolean;
  expiresAt: number;
  /** PKCE (S256) challenge of the authorization request, when it had one. */
  codeChallenge?: string;
}

export interface WebhookDelivery {
  leadId: string;
  formId: string;
  url: string;
  attempt: number;
  duplicate: boolean;
  status: number | 'network_error' | 'dropped';
  at: string;
}
