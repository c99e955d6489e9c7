import type { TrackingParameter } from './url-tracking';

/** The entities of the emulated LinkedIn world (records, not API views; see representations.ts). */

/** Ad kinds the seed cycles through; each maps to one LinkedIn campaign format. */
export const AD_KINDS = ['single_image', 'video', 'carousel', 'message', 'conversation', 'text', 'document', 'lead_gen'] as const;
export type AdKind = (typeof AD_KINDS)[number];

export type AccountRole = 'ACCOUNT_BILLING_ADMIN' | 'ACCOUNT_MANAGER' | 'CAMPAIGN_MANAGER' | 'CREATIVE_MANAGER' | 'VIEWER';
export type CampaignType = 'SPONSORED_UPDATES' | 'TEXT_AD' | 'SPONSORED_INMAILS';
export type CampaignFormat = 'STANDARD_UPDATE' | 'SINGLE_VIDEO' | 'CAROUSEL' | 'SPONSORED_INMAIL' | 'SPONSORED_MESSAGE' | 'TEXT_AD';
export type ReviewStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'NEEDS_REVIEW';

export interface Member {
  handle: string;
  urn: string;
}

export interface AccountRecord {
  id: number;
  name: string;
  currency: string;
  status: 'ACTIVE' | 'CANCELED' | 'DRAFT' | 'PENDING_DELETION' | 'REMOVED';
  type: 'BUSINESS' | 'ENTERPRISE';
  test: boolean;
  /** The company page behind the account (`urn:li:organization:...`). */
  reference: string;
  /** Account setting that makes LinkedIn append `li_fat_id` to clicks (first-party cookie). */
  firstPartyCookie: boolean;
  createdAt: number;
  lastModifiedAt: number;
  version: number;
}

export interface RoleRecord {
  accountId: number;
  memberUrn: string;
  role: AccountRole;
  createdAt: number;
}

export interface CampaignGroupRecord {
  id: number;
  accountId: number;
  name: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'CANCELED' | 'DRAFT' | 'PAUSED' | 'PENDING_DELETION' | 'REMOVED';
  backfilled: boolean;
  runStart: number;
  createdAt: number;
  lastModifiedAt: number;
}

export type CampaignStatus = 'ACTIVE' | 'PAUSED' | 'ARCHIVED' | 'COMPLETED' | 'CANCELED' | 'DRAFT' | 'PENDING_DELETION' | 'REMOVED';

export interface CampaignRecord {
  id: number;
  accountId: number;
  groupId: number;
  name: string;
  status: CampaignStatus;
  type: CampaignType;
  format: CampaignFormat;
  objectiveType: string;
  costType: 'CPC' | 'CPM' | 'CPV';
  dailyBudget: string;
  unitCost: string;
  trackingParameters: TrackingParameter[];
  runStart: number;
  createdAt: number;
  lastModifiedAt: number;
  version: number;
}

export interface TextAdContent {
  headline: string;
  description: string;
  landingPage: string;
}

export type CreativeIntendedStatus = 'ACTIVE' | 'PAUSED' | 'DRAFT' | 'ARCHIVED' | 'CANCELED' | 'PENDING_DELETION' | 'REMOVED';

export interface CreativeRecord {
  id: number;
  accountId: number;
  campaignId: number;
  name: string;
  kind: AdKind;
  content: { reference: string } | { textAd: TextAdContent };
  intendedStatus: CreativeIntendedStatus;
  review: { status: ReviewStatus; rejectionReasons?: string[] } | null;
  /** Sandbox time the current review started, for the optional auto-approval delay. */
  reviewStartedAt?: number;
  leadFormId?: number;
  createdAt: number;
  createdBy: string;
  lastModifiedAt: number;
  lastModifiedBy: string;
}

export type PostMedia = 'image' | 'video' | 'document' | 'carousel' | 'article';

export interface PostRecord {
  urn: string;
  accountId: number;
  author: string;
  commentary: string;
  media: PostMedia;
  /** Click-through URL of image/video/document posts. */
  contentLandingPage?: string;
  /** `content.article.source` of link posts. */
  articleSource?: string;
  carouselCards?: { landingPage: string }[];
  callToActionLabel?: string;
  /** A `https://lnkd.in/...` link LinkedIn itself made for the URL (allowed by TRK-8). */
  shortLink?: string;
  createdAt: number;
  lastModifiedAt: number;
}

/** Message (sponsored InMail) and conversation ad content (`urn:li:adInMailContent:...`). */
export interface InMailContentRecord {
  urn: string;
  accountId: number;
  kind: 'message' | 'conversation';
  subject: string;
  /** The call-to-action URL (first button of a conversation). */
  landingUrl: string;
}

export interface LeadQuestion {
  questionId: number;
  name: string;
  predefinedField?: string;
  label: string;
  options?: { id: number; text: string }[];
}

export interface LeadFormRecord {
  id: number;
  accountId: number;
  owner: { sponsoredAccount: string } | { organization: string };
  name: string;
  state: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';
  versionId: number;
  questions: LeadQuestion[];
  createdAt: number;
}

export type LeadType = 'SPONSORED' | 'EVENT' | 'COMPANY' | 'ORGANIZATION_PRODUCT';

export interface LeadAnswer {
  questionId: number;
  text?: string;
  optionIds?: number[];
}

export interface LeadResponseRecord {
  id: string;
  accountId: number;
  formId: number;
  formVersion: number;
  submittedAt: number;
  leadType: LeadType;
  testLead: boolean;
  owner: LeadFormRecord['owner'];
  submitter: string;
  creativeId?: number;
  campaignId?: number;
  answers: LeadAnswer[];
}

export interface ConversionRuleRecord {
  id: number;
  accountId: number;
  name: string;
  type: string;
  enabled: boolean;
  attributionType: string;
  postClickAttributionWindowSize: number;
  viewThroughAttributionWindowSize: number;
  campaignIds: number[];
  createdAt: number;
  lastModifiedAt: number;
}

export interface ConversionEventRecord {
  receivedAt: string;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  httpStatus: number;
  reason?: string;
  batch: boolean;
  ruleId?: number;
  eventId?: string;
  /** Creative of the click whose `li_fat_id` the event carried, when the sandbox knows it. */
  matchedCreativeId?: number;
  event: unknown;
}

export interface RefreshGrant {
  refreshToken: string;
  memberUrn: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

export interface TokenRecord {
  accessToken: string;
  grant: RefreshGrant;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export interface CodeRecord {
  code: string;
  memberUrn: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export interface ClickRecord {
  liFatId: string;
  creativeId: number;
  at: number;
  landingUrl: string;
}

export interface Settings {
  /** When set, a pending review turns APPROVED this many seconds after it started. */
  reviewDelaySeconds: number | null;
  /** Daily call budgets per endpoint (§6: per application and per member, reset at UTC midnight). */
  quotas: { applicationDaily: number | null; memberDaily: number | null };
}
