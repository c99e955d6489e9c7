import type {
  AccountRecord,
  AccountRole,
  CampaignGroupRecord,
  CampaignRecord,
  ClickRecord,
  CodeRecord,
  ConversionEventRecord,
  ConversionRuleRecord,
  CreativeRecord,
  InMailContentRecord,
  LeadFormRecord,
  LeadResponseRecord,
  Member,
  PostRecord,
  RefreshGrant,
  RoleRecord,
  Settings,
  TokenRecord,
} from './model';

export * from './model';

const DAY_MS = 86_400_000;
export const ACCESS_TOKEN_SECONDS = 60 * 86_400;
export const REFRESH_TOKEN_SECONDS = 365 * 86_400;
export const CODE_TTL_MS = 30 * 60_000;
export const CONVERSION_MAX_AGE_MS = 90 * DAY_MS;

/** The whole LinkedIn world of one sandbox instance. Plain maps; routes read and mutate it. */
export class LinkedInWorld {
  clockOffsetMs = 0;
  landingBaseUrl = 'http://127.0.0.1:4567';
  members = new Map<string, Member>();
  accounts = new Map<number, AccountRecord>();
  roles: RoleRecord[] = [];
  groups = new Map<number, CampaignGroupRecord>();
  campaigns = new Map<number, CampaignRecord>();
  creatives = new Map<number, CreativeRecord>();
  posts = new Map<string, PostRecord>();
  inMails = new Map<string, InMailContentRecord>();
  leadForms = new Map<number, LeadFormRecord>();
  leadResponses: LeadResponseRecord[] = [];
  conversionRules = new Map<number, ConversionRuleRecord>();
  conversionEvents: ConversionEventRecord[] = [];
  acceptedEventIds = new Set<string>();
  tokens = new Map<string, TokenRecord>();
  grants = new Map<string, RefreshGrant>();
  codes = new Map<string, CodeRecord>();
  clicks = new Map<string, ClickRecord>();
  /** `${creativeId}|${epoch day of the click}` → accepted conversions matched to a click (li_fat_id). */
  creditedConversions = new Map<string, number>();
  quotaCounters = new Map<string, number>();
  settings: Settings = { reviewDelaySeconds: null, quotas: { applicationDaily: null, memberDaily: null } };
  private counters = new Map<string, number>();
  /** Shifts every id by the seed, so two worlds seeded differently never share ids (tests share one Temporal). */
  idOffset = 0;

  /** Sandbox time in epoch ms; tests move it with POST /_sandbox/clock. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  reset(): void {
    const fresh = new LinkedInWorld();
    Object.assign(this, fresh);
  }

  /** Deterministic ids per entity type, starting at realistic magnitudes. */
  nextId(kind: string, base: number): number {
    const next = (this.counters.get(kind) ?? base + this.idOffset) + 1;
    this.counters.set(kind, next);
    return next;
  }

  memberByHandle(handle: string): Member {
    const urn = `urn:li:person:${memberSlug(handle)}`;
    let member = this.members.get(urn);
    if (!member) {
      member = { handle, urn };
      this.members.set(urn, member);
    }
    return member;
  }

  roleOf(memberUrn: string, accountId: number): AccountRole | undefined {
    return this.roles.find((r) => r.memberUrn === memberUrn && r.accountId === accountId)?.role;
  }

  grantRole(memberUrn: string, accountId: number, role: AccountRole): void {
    const existing = this.roles.find((r) => r.memberUrn === memberUrn && r.accountId === accountId);
    if (existing) existing.role = role;
    else this.roles.push({ accountId, memberUrn, role, createdAt: this.now() });
  }

  /** Applies the optional auto-approval delay, then answers the review as it stands now. */
  reviewOf(creative: CreativeRecord): CreativeRecord['review'] {
    const delay = this.settings.reviewDelaySeconds;
    if (
      delay !== null &&
      creative.review &&
      (creative.review.status === 'PENDING' || creative.review.status === 'NEEDS_REVIEW') &&
      creative.reviewStartedAt !== undefined &&
      this.now() >= creative.reviewStartedAt + delay * 1000
    ) {
      creative.review = { status: 'APPROVED' };
      creative.lastModifiedAt = creative.reviewStartedAt + delay * 1000;
    }
    return creative.review;
  }

  /** §2.5 derived fields: `isServing` is true only when nothing holds delivery back. */
  servingOf(creative: CreativeRecord): { isServing: boolean; holdReasons: string[] } {
    const holds: string[] = [];
    const review = this.reviewOf(creative);
    if (creative.intendedStatus !== 'ACTIVE') holds.push('STOPPED');
    if (review?.status === 'PENDING' || review?.status === 'NEEDS_REVIEW') holds.push('UNDER_REVIEW');
    if (review?.status === 'REJECTED') holds.push('REJECTED');
    const campaign = this.campaigns.get(creative.campaignId);
    if (campaign?.status !== 'ACTIVE') holds.push('CAMPAIGN_STOPPED');
    if (campaign && this.groups.get(campaign.groupId)?.status !== 'ACTIVE') holds.push('CAMPAIGN_GROUP_STATUS_HOLD');
    if (this.accounts.get(creative.accountId)?.status !== 'ACTIVE') holds.push('ACCOUNT_STATUS_HOLD');
    return { isServing: holds.length === 0, holdReasons: holds };
  }

  /** Starts (or restarts) the review of a creative that has just been activated or edited. */
  startReview(creative: CreativeRecord): void {
    creative.review = { status: 'PENDING' };
    creative.reviewStartedAt = this.now();
  }

  /** Finds a creative by numeric id or `urn:li:sponsoredCreative:` URN. */
  creativeByKey(key: string): CreativeRecord | undefined {
    const match = /^(?:urn:li:sponsoredCreative:)?(\d+)$/.exec(key);
    return match ? this.creatives.get(Number(match[1])) : undefined;
  }
}

function memberSlug(handle: string): string {
  // A stable, URN-safe id per handle, shaped like LinkedIn's opaque person ids.
  let h = 2166136261;
  for (const ch of handle) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `${handle.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'member'}${h.toString(36)}`;
}
