/**
 * The Facebook sandbox's object graph: user → ad accounts → campaigns → ad sets → ads → creatives,
 * pages → lead forms → leads, pixels, and the OAuth token store. Plain data plus the few derived
 * values every route needs (effective status, owning account). Times are Unix seconds.
 */
import type {
  Ad,
  AdAccount,
  AdSet,
  AuthCode,
  Business,
  Campaign,
  Creative,
  Lead,
  LeadForm,
  NameSnapshot,
  NodeType,
  Page,
  Pixel,
  SandboxApp,
  TokenRecord,
  User,
} from './model';
import { ClickAttribution } from './click-attribution';

export * from './model';

export class FacebookWorld {
  seed = 0;
  landingBaseUrl = 'http://127.0.0.1:4567';
  private idCounter = 0;
  private leadCounter = 0;
  private clockOffsetSeconds = 0;

  readonly users = new Map<string, User>();
  readonly accounts = new Map<string, AdAccount>();
  readonly campaigns = new Map<string, Campaign>();
  readonly adsets = new Map<string, AdSet>();
  readonly ads = new Map<string, Ad>();
  readonly creatives = new Map<string, Creative>();
  readonly pages = new Map<string, Page>();
  readonly forms = new Map<string, LeadForm>();
  readonly leads = new Map<string, Lead>();
  readonly pixels = new Map<string, Pixel>();
  readonly businesses = new Map<string, Business>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly codes = new Map<string, AuthCode>();
  /** Link clicks (`fbclid`) and the website leads credited to them. */
  readonly clickAttribution = new ClickAttribution();

  /** Per account, its ads newest first; rebuilt when ads were added (ads are never removed but by reset). */
  private readonly adsNewestFirst = new Map<string, { adsInWorld: number; ads: Ad[]; position: Map<string, number> }>();

  constructor(readonly app: SandboxApp) {}

  /**
   * An account's ads in the order the ads edges list them (newest first, ties by id), with each ad's
   * position. Kept between requests: sorting every ad of the account for each page made paging through
   * a large account quadratic (issue 12), a cost the real network does not have.
   */
  accountAdsNewestFirst(accountId: string): { ads: readonly Ad[]; position: ReadonlyMap<string, number> } {
    const cached = this.adsNewestFirst.get(accountId);
    if (cached && cached.adsInWorld === this.ads.size) return cached;
    const ads = [...this.ads.values()].filter((ad) => ad.accountId === accountId).sort((a, b) => b.createdTime - a.createdTime || b.id.localeCompare(a.id));
    const entry = { adsInWorld: this.ads.size, ads, position: new Map(ads.map((ad, index) => [ad.id, index])) };
    this.adsNewestFirst.set(accountId, entry);
    return entry;
  }

  reset(seed = 0): void {
    this.seed = seed;
    this.idCounter = 0;
    this.leadCounter = 0;
    this.clockOffsetSeconds = 0;
    this.clickAttribution.reset();
    this.adsNewestFirst.clear();
    for (const map of [
      this.users, this.accounts, this.campaigns, this.adsets, this.ads, this.creatives, this.pages,
      this.forms, this.leads, this.pixels, this.businesses, this.tokens, this.codes,
    ] as Map<string, unknown>[]) {
      map.clear();
    }
  }

  nowSeconds(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffsetSeconds;
  }

  /** The same clock to the millisecond, for what decays continuously (usage scores). */
  nowMs(): number {
    return Date.now() + this.clockOffsetSeconds * 1000;
  }

  advanceClock(seconds: number): number {
    this.clockOffsetSeconds += seconds;
    return this.nowSeconds();
  }

  /** 18-digit numeric-string ids, deterministic for a seed. */
  newId(): string {
    this.idCounter += 1;
    return `1202${String(this.seed % 10_000).padStart(4, '0')}${String(this.idCounter).padStart(10, '0')}`;
  }

  /** Lead ids are 15 digits (CAPI CRM events validate `lead_id` as 15–17 digits, §8.6). */
  newLeadId(): string {
    this.leadCounter += 1;
    return `9${String(this.seed % 100).padStart(2, '0')}${String(this.leadCounter).padStart(12, '0')}`;
  }

  userById(id: string): User | undefined {
    for (const user of this.users.values()) if (user.id === id) return user;
    return undefined;
  }

  nodeType(id: string): NodeType | undefined {
    if (this.ads.has(id)) return 'ad';
    if (this.adsets.has(id)) return 'adset';
    if (this.campaigns.has(id)) return 'campaign';
    if (this.creatives.has(id)) return 'creative';
    if (this.pages.has(id)) return 'page';
    if (this.forms.has(id)) return 'form';
    if (this.leads.has(id)) return 'lead';
    if (this.pixels.has(id)) return 'pixel';
    if (this.businesses.has(id)) return 'business';
    if (this.userById(id)) return 'user';
    return undefined;
  }

  /** The ad account (`act_…`) a node belongs to, for access checks and usage accounting. */
  accountOf(id: string): string | undefined {
    if (id.startsWith('act_')) return this.accounts.has(id) ? id : undefined;
    const owned = this.ads.get(id) ?? this.adsets.get(id) ?? this.campaigns.get(id) ?? this.creatives.get(id) ?? this.pages.get(id) ?? this.pixels.get(id);
    if (owned) return owned.accountId;
    const form = this.forms.get(id);
    if (form) return this.pages.get(form.pageId)?.accountId;
    const lead = this.leads.get(id);
    if (lead) return this.accountOf(lead.formId);
    return undefined;
  }

  campaignEffectiveStatus(campaign: Campaign): string {
    return campaign.status;
  }

  adsetEffectiveStatus(adset: AdSet): string {
    if (adset.status !== 'ACTIVE') return adset.status;
    const campaign = this.campaigns.get(adset.campaignId);
    if (campaign && campaign.status !== 'ACTIVE') return campaign.status === 'PAUSED' ? 'CAMPAIGN_PAUSED' : campaign.status;
    return 'ACTIVE';
  }

  /** Computed from the ad's own status, its parents and review (§2.4, §11.4). */
  adEffectiveStatus(ad: Ad): string {
    if (ad.status === 'DELETED' || ad.status === 'ARCHIVED') return ad.status;
    if (ad.status === 'PAUSED') return 'PAUSED';
    const campaign = this.campaigns.get(ad.campaignId);
    if (campaign && campaign.status !== 'ACTIVE') return campaign.status === 'PAUSED' ? 'CAMPAIGN_PAUSED' : campaign.status;
    const adset = this.adsets.get(ad.adsetId);
    if (adset && adset.status !== 'ACTIVE') return adset.status === 'PAUSED' ? 'ADSET_PAUSED' : adset.status;
    switch (ad.review) {
      case 'pending_review':
        return 'PENDING_REVIEW';
      case 'in_process':
        return 'IN_PROCESS';
      case 'disapproved':
        return 'DISAPPROVED';
      case 'with_issues':
        return 'WITH_ISSUES';
      case 'approved':
        return 'ACTIVE';
    }
  }

  currentNames(ad: Ad): NameSnapshot {
    return {
      campaignName: this.campaigns.get(ad.campaignId)?.name ?? '',
      adsetName: this.adsets.get(ad.adsetId)?.name ?? '',
      adName: ad.name,
    };
  }

  /** First publish freezes the names the `{{…name}}` macros resolve to. */
  markPublished(ad: Ad): void {
    ad.publishSnapshot ??= this.currentNames(ad);
  }

  touch(object: { updatedTime: number }): void {
    // Strictly increasing, so two writes in the same second still order.
    object.updatedTime = Math.max(this.nowSeconds(), object.updatedTime + 1);
  }

  formsOfAccount(accountId: string): LeadForm[] {
    return [...this.forms.values()].filter((form) => this.pages.get(form.pageId)?.accountId === accountId);
  }
}

/** Graph node timestamp: `2026-03-14T09:30:00+0000`. */
export function graphTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/** ISO-8601 with `Z`, for the control API (not a Graph format). */
export function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

/** Insights dates are calendar days. */
export function graphDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}
