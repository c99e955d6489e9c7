import { z } from 'zod';
import { seededRandom } from '../kit/rng';
import { LANDING_KINDS, createAd, createCampaign, landingUrlFor, totalEngagement, type AdStatusInput } from './advertiser';
import { createLeads } from './leads';
import { AD_KINDS, type AdAccount, type AdKind, type FacebookWorld, type LeadForm } from './world';

export const DEFAULT_USER = 'demo-user';
export const MAX_SEED_ACCOUNTS = 5_000;
/** A world stays small enough to build in a second or two. */
const MAX_SEED_ADS = 100_000;

export const seedRequestSchema = z
  .object({
    seed: z.number().int().min(0).default(1),
    // Account ids carry the index in six digits; 5,000 covers the scale benchmark's 1,000 idle accounts (issue 12).
    accounts: z.number().int().min(1).max(MAX_SEED_ACCOUNTS).default(2),
    adsPerAccount: z.number().int().min(0).max(20_000).default(12),
    landingBaseUrl: z.url().default('http://127.0.0.1:4567'),
    user: z.string().min(1).default(DEFAULT_USER),
  })
  .strict()
  .refine((r) => r.accounts * r.adsPerAccount <= MAX_SEED_ADS, { message: `at most ${MAX_SEED_ADS} ads in one seed (accounts × adsPerAccount)`, path: ['adsPerAccount'] });
export type SeedRequest = z.infer<typeof seedRequestSchema>;

/** Cycled per ad index; 5 statuses against 6 kinds so every kind meets every status. */
const SEED_STATUSES: AdStatusInput[] = ['ACTIVE', 'PENDING_REVIEW', 'IN_PROCESS', 'PAUSED', 'WITH_ISSUES'];
const BRANDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay'];
const CURRENCIES: [string, string][] = [['USD', 'America/New_York'], ['EUR', 'Europe/Berlin'], ['GBP', 'Europe/London']];
// Names with spaces, punctuation and non-ASCII, so macro resolution must encode.
const CAMPAIGN_NAMES = ['Spring Sale 2026 – EU', 'Q3 Webinar & Demo', 'Brand Awareness (Always On)', 'Retargeting: Cart Abandoners', 'Lead Gen / Enterprise', 'Summer Launch 50% off'];
const KIND_LABELS: Record<AdKind, string> = {
  link: 'Link',
  lead: 'Lead form',
  messenger: 'Messenger',
  carousel: 'Carousel',
  carousel_pac: 'Carousel PAC',
  instagram_link: 'Instagram link',
};
const ADVERTISER_URL_TAGS = 'utm_source=newsletter&utm_medium=email';
const DAY = 86_400;

export interface SeedSummary {
  seed: number;
  user: { handle: string; id: string };
  accounts: { id: string; name: string; businessId: string | null; pageId: string; formIds: string[]; pixelId: string; campaignIds: string[] }[];
  ads: {
    all: string[];
    byKind: Record<AdKind, string[]>;
    byStatus: Record<string, string[]>;
    /** Ads with 20 or more engagements (TRK-4). */
    engagementCapped: string[];
    /** Ads whose creative carries the advertiser's own url_tags. */
    withAdvertiserUrlTags: string[];
  };
  leads: { total: number; organic: number };
}

/** Resets the world and builds a deterministic one from the seed number. */
export function seedWorld(world: FacebookWorld, request: SeedRequest): SeedSummary {
  world.reset(request.seed);
  world.landingBaseUrl = request.landingBaseUrl.replace(/\/$/, '');
  const random = seededRandom(request.seed);
  const now = world.nowSeconds();
  const user = { handle: request.user, id: `1015${String(request.seed % 1e6).padStart(6, '0')}0000001`, name: 'Dana Demo', accountIds: new Set<string>() };
  world.users.set(user.handle, user);

  const summary: SeedSummary = {
    seed: request.seed,
    user: { handle: user.handle, id: user.id },
    accounts: [],
    ads: { all: [], byKind: Object.fromEntries(AD_KINDS.map((k) => [k, []])) as unknown as Record<AdKind, string[]>, byStatus: {}, engagementCapped: [], withAdvertiserUrlTags: [] },
    leads: { total: 0, organic: 0 },
  };

  for (let a = 0; a < request.accounts; a++) {
    const brand = `${BRANDS[a % BRANDS.length] ?? 'Acme'}${a >= BRANDS.length ? ` ${Math.floor(a / BRANDS.length) + 1}` : ''}`;
    // CONV-3: the last of several accounts is not owned by a Business Manager.
    const account = addAccount(world, request.seed, a, brand, request.accounts >= 2 && a === request.accounts - 1, now - 400 * DAY);
    user.accountIds.add(account.id);
    const page = { id: world.newId(), accountId: account.id, name: `${brand} Page`, instagramUserId: world.newId() };
    world.pages.set(page.id, page);
    const form = addLeadForm(world, page.id, now - 200 * DAY);
    const pixel = { id: world.newId(), accountId: account.id, name: `${brand} Pixel` };
    world.pixels.set(pixel.id, pixel);

    const campaignCount = Math.max(1, Math.ceil(request.adsPerAccount / AD_KINDS.length));
    const campaigns = Array.from({ length: campaignCount }, (_, c) => {
      const base = CAMPAIGN_NAMES[c % CAMPAIGN_NAMES.length] ?? 'Campaign';
      return createCampaign(world, account.id, c >= CAMPAIGN_NAMES.length ? `${base} #${Math.floor(c / CAMPAIGN_NAMES.length) + 1}` : base, now - 90 * DAY);
    });

    for (let i = 0; i < request.adsPerAccount; i++) {
      const kind = AD_KINDS[i % AD_KINDS.length] ?? 'link';
      const status = SEED_STATUSES[i % SEED_STATUSES.length] ?? 'ACTIVE';
      // Shifted by one every full round of kinds, so each kind meets each landing-URL kind.
      const landingKind = LANDING_KINDS[(i + Math.floor(i / AD_KINDS.length)) % LANDING_KINDS.length] ?? 'page';
      const slug = `${brand.toLowerCase().replace(/\s+/g, '-')}-${kind.replace('_', '-')}-${i + 1}`;
      const engagements = i % 4 === 1 ? 20 + Math.floor(random() * 280) : Math.floor(random() * 20);
      const urlTags = i % 7 === 3 ? ADVERTISER_URL_TAGS : undefined;
      const ad = createAd(world, {
        accountId: account.id,
        kind,
        campaignId: (campaigns[Math.floor(i / AD_KINDS.length) % campaigns.length] ?? campaigns[0])?.id,
        name: `${KIND_LABELS[kind]} ${i + 1} – ${brand}`,
        status,
        landingUrl: landingUrlFor(landingKind, world.landingBaseUrl, slug, i),
        ...(urlTags ? { urlTags } : {}),
        engagements,
        createdTime: now - (10 + Math.floor(random() * 50)) * DAY - Math.floor(random() * DAY),
      });
      summary.ads.all.push(ad.id);
      summary.ads.byKind[kind].push(ad.id);
      (summary.ads.byStatus[status] ??= []).push(ad.id);
      if (totalEngagement(ad.engagement) >= 20) summary.ads.engagementCapped.push(ad.id);
      if (urlTags) summary.ads.withAdvertiserUrlTags.push(ad.id);
      if (kind === 'lead') {
        const leads = createLeads(world, form, [0, 1].map((k) => ({ adId: ad.id, createdTime: now - (i * 7 + k * 3 + 1) * 3600 })));
        summary.leads.total += leads.length;
      }
    }
    // LEAD-3: organic submissions of the same form (no ad ids).
    const organic = createLeads(world, form, [0, 1].map((k) => ({ organic: true, createdTime: now - (k * 11 + 2) * 3600 - Math.floor(random() * 600) })));
    summary.leads.total += organic.length;
    summary.leads.organic += organic.length;

    summary.accounts.push({
      id: account.id,
      name: account.name,
      businessId: account.business?.id ?? null,
      pageId: page.id,
      formIds: [form.id],
      pixelId: pixel.id,
      campaignIds: campaigns.map((c) => c.id),
    });
  }
  return summary;
}

function addAccount(world: FacebookWorld, seed: number, index: number, brand: string, withoutBusiness: boolean, createdTime: number): AdAccount {
  const accountId = `${1000 + (seed % 9000)}${String(index + 1).padStart(6, '0')}`;
  const [currency, timezoneName] = CURRENCIES[index % CURRENCIES.length] ?? ['USD', 'America/New_York'];
  const business = withoutBusiness ? undefined : { id: world.newId(), name: `${brand} Inc` };
  if (business) world.businesses.set(business.id, business);
  const account: AdAccount = {
    id: `act_${accountId}`,
    accountId,
    name: `${brand} ${index % 2 === 0 ? 'Main' : 'Growth'}`,
    accountStatus: 1,
    currency,
    timezoneName,
    ...(business ? { business } : {}),
    createdTime,
  };
  world.accounts.set(account.id, account);
  return account;
}

function addLeadForm(world: FacebookWorld, pageId: string, createdTime: number): LeadForm {
  const form: LeadForm = {
    id: world.newId(),
    pageId,
    name: 'Demo request',
    status: 'ACTIVE',
    locale: 'en_US',
    createdTime,
    questions: [
      { key: 'email', label: 'Email', type: 'EMAIL', id: world.newId() },
      { key: 'full_name', label: 'Full name', type: 'FULL_NAME', id: world.newId() },
    ],
  };
  world.forms.set(form.id, form);
  return form;
}
