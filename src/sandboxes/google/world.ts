import { randomBytes } from 'node:crypto';
import { seededRandom } from '../kit/rng';
import { defaultConfig, type GoogleSandboxConfig } from './config';
import type {
  AccessToken,
  Ad,
  AdGroup,
  AuthCode,
  Campaign,
  Click,
  ConversionAction,
  Customer,
  Grant,
  Keyword,
  LeadFormAsset,
  LeadSubmission,
  RecordedConversion,
  Timestamps,
  WebhookConfig,
  WebhookDelivery,
} from './entities';

export * from './entities';
export * from './config';

/** The state of the emulated Google Ads world: accounts, their entities, OAuth grants, clicks, leads. */

const ID_BASES = {
  campaign: 20_000_000_000,
  adGroup: 30_000_000_000,
  asset: 40_000_000_000,
  ad: 50_000_000_000,
  conversionAction: 60_000_000_000,
  criterion: 70_000_000_000,
  changeStatus: 1,
} as const;

export class GoogleWorld {
  config: GoogleSandboxConfig = defaultConfig();
  seed = 1;
  random: () => number = seededRandom(1);
  /** Sandbox clock = wall clock + offset (POST /_sandbox/clock). */
  clockOffsetMs = 0;

  customers = new Map<string, Customer>();
  campaigns = new Map<string, Campaign>();
  adGroups = new Map<string, AdGroup>();
  ads = new Map<string, Ad>();
  keywords = new Map<string, Keyword>();
  conversionActions = new Map<string, ConversionAction>();
  leadForms = new Map<string, LeadFormAsset>();
  submissions: LeadSubmission[] = [];
  clicks = new Map<string, Click>();
  conversions: RecordedConversion[] = [];
  /** gclid → accepted click conversions uploaded for it; reported in the click's ad metrics. */
  uploadedConversionsByClick = new Map<string, number>();
  users = new Map<string, string[]>();
  grants = new Map<string, Grant>();
  accessTokens = new Map<string, AccessToken>();
  authCodes = new Map<string, AuthCode>();
  webhookDeliveries: WebhookDelivery[] = [];
  /** Base URL of the landing site the seeded ads point at. */
  landingBaseUrl = 'http://127.0.0.1:4567';
  /** The user seeding created (the consent stub signs in as this user by default). */
  defaultUser?: string;
  /** Used by PUT /_sandbox/webhook for forms created later. */
  defaultWebhook?: WebhookConfig;
  /** Operation timestamps for the daily quota and per-customer request counts. */
  operations: { at: number; count: number }[] = [];
  customerRequests = new Map<string, { windowStart: number; count: number }>();
  /** Bumped on reset so pending webhook retries of an old world stop. */
  generation = 0;
  private counters: Record<keyof typeof ID_BASES, number> = { campaign: 0, adGroup: 0, asset: 0, ad: 0, conversionAction: 0, criterion: 0, changeStatus: 0 };

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  reset(seed = 1): void {
    const keep = { config: this.config, clockOffsetMs: this.clockOffsetMs };
    const fresh = new GoogleWorld();
    Object.assign(this, fresh, { generation: this.generation + 1, seed, random: seededRandom(seed) }, keep);
  }

  nextId(kind: keyof typeof ID_BASES): string {
    this.counters[kind] += 1;
    const base = ID_BASES[kind];
    // Spread ids a little so they look like Google's, but stay unique and deterministic per seed.
    return String(base + this.counters[kind] * 7 + (this.seed % 7));
  }

  /** A random token-ish string from the seeded PRNG (deterministic ids for a given seed). */
  randomToken(length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.random() * alphabet.length)] ?? 'x';
    return out;
  }

  newGclid(): string {
    return `Cj0KCQjw${this.randomToken(72)}`;
  }

  /** Credentials are unpredictable on purpose (not from the seed). */
  secret(prefix: string, bytes = 24): string {
    return `${prefix}${randomBytes(bytes).toString('base64url')}`;
  }

  touch(entity: Timestamps): void {
    entity.modifiedAt = this.now();
  }

  campaignsOf(customerId: string): Campaign[] {
    return [...this.campaigns.values()].filter((c) => c.customerId === customerId);
  }

  adGroupsOf(customerId: string): AdGroup[] {
    return [...this.adGroups.values()].filter((g) => g.customerId === customerId);
  }

  adsOf(customerId: string): Ad[] {
    return [...this.ads.values()].filter((a) => a.customerId === customerId);
  }

  keywordsOfAdGroup(adGroupId: string): Keyword[] {
    return [...this.keywords.values()].filter((k) => k.adGroupId === adGroupId);
  }

  /** Managers above a customer, nearest first. */
  managersOf(customerId: string): string[] {
    const out: string[] = [];
    let current = this.customers.get(customerId)?.managerId;
    while (current && !out.includes(current)) {
      out.push(current);
      current = this.customers.get(current)?.managerId;
    }
    return out;
  }

  /** Every customer below a manager with its depth (the manager itself at level 0). */
  clientTree(managerId: string): { customer: Customer; level: number }[] {
    const root = this.customers.get(managerId);
    if (!root) return [];
    const out = [{ customer: root, level: 0 }];
    for (let i = 0; i < out.length; i++) {
      const parent = out[i];
      if (!parent) break;
      for (const c of this.customers.values()) {
        if (c.managerId === parent.customer.id) out.push({ customer: c, level: parent.level + 1 });
      }
    }
    return out;
  }
}
