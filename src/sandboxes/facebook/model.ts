/**
 * The data model of the Facebook sandbox's world (see world.ts for the graph that holds it).
 * Times are Unix seconds.
 */

export type ConfiguredStatus = 'ACTIVE' | 'PAUSED' | 'DELETED' | 'ARCHIVED';
export type ReviewState = 'approved' | 'pending_review' | 'in_process' | 'disapproved' | 'with_issues';
export type AdKind = 'link' | 'lead' | 'messenger' | 'carousel' | 'carousel_pac' | 'instagram_link';
export const AD_KINDS: readonly AdKind[] = ['link', 'lead', 'messenger', 'carousel', 'carousel_pac', 'instagram_link'];
export type Placement = 'facebook' | 'instagram' | 'messenger' | 'audience_network';

export interface SandboxApp {
  id: string;
  secret: string;
  name: string;
}

export interface User {
  handle: string;
  id: string;
  name: string;
  /** Ad accounts the user has a role on. */
  accountIds: Set<string>;
}

export interface Business {
  id: string;
  name: string;
}

export interface AdAccount {
  /** `act_<account_id>` */
  id: string;
  accountId: string;
  name: string;
  accountStatus: number;
  currency: string;
  timezoneName: string;
  business?: Business;
  createdTime: number;
}

export interface Campaign {
  id: string;
  accountId: string;
  name: string;
  objective: string;
  status: ConfiguredStatus;
  createdTime: number;
  updatedTime: number;
}

export interface AdSet {
  id: string;
  accountId: string;
  campaignId: string;
  name: string;
  status: ConfiguredStatus;
  publisherPlatforms: Placement[];
  createdTime: number;
  updatedTime: number;
  /** Significant edits (creative swaps) restart learning (§4.2). */
  lastSigEditTime: number;
}

export interface Engagement {
  reactions: number;
  comments: number;
  shares: number;
}

export interface NameSnapshot {
  campaignName: string;
  adsetName: string;
  adName: string;
}

export interface Ad {
  id: string;
  accountId: string;
  campaignId: string;
  adsetId: string;
  name: string;
  status: ConfiguredStatus;
  review: ReviewState;
  creativeId: string;
  kind: AdKind;
  createdTime: number;
  updatedTime: number;
  engagement: Engagement;
  /** Names as they were at first publish; `{{campaign.name}}` etc. resolve from this (§3.2). */
  publishSnapshot?: NameSnapshot;
}

export interface Creative {
  id: string;
  accountId: string;
  name: string;
  status: 'ACTIVE' | 'DELETED';
  urlTags?: string;
  objectStorySpec?: Record<string, unknown>;
  assetFeedSpec?: Record<string, unknown>;
  objectStoryId?: string;
  callToActionType?: string;
  adlabels?: unknown;
  createdTime: number;
}

export interface Page {
  id: string;
  accountId: string;
  name: string;
  instagramUserId: string;
}

export interface LeadQuestion {
  key: string;
  label: string;
  type: string;
  id: string;
}

export interface LeadForm {
  id: string;
  pageId: string;
  name: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DELETED' | 'DRAFT';
  locale: string;
  createdTime: number;
  questions: LeadQuestion[];
}

export interface Lead {
  id: string;
  formId: string;
  createdTime: number;
  adId?: string;
  adsetId?: string;
  campaignId?: string;
  isOrganic: boolean;
  platform: 'fb' | 'ig';
  fieldData: { name: string; values: string[] }[];
}

export interface Pixel {
  id: string;
  accountId: string;
  name: string;
}

export type TokenKind = 'short' | 'long' | 'page';

export interface TokenRecord {
  token: string;
  kind: TokenKind;
  userId: string;
  issuedAt: number;
  /** 0 = never expires. */
  expiresAt: number;
  scopes: string[];
  accountIds: string[];
  pageId?: string;
  invalidated?: { subcode: number; message: string };
}

export interface AuthCode {
  code: string;
  userId: string;
  redirectUri: string;
  accountIds: string[];
  scopes: string[];
  issuedAt: number;
  used: boolean;
}

export type NodeType = 'ad' | 'adset' | 'campaign' | 'creative' | 'page' | 'form' | 'lead' | 'pixel' | 'user' | 'business';

export const ALL_SCOPES = [
  'ads_read',
  'ads_management',
  'leads_retrieval',
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_ads',
  'pages_manage_metadata',
  'business_management',
] as const;
