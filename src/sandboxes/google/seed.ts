import { createAd, createAdGroup, createCampaign } from './builders';
import { createLeadForm, createLeads } from './leads';
import { CAMPAIGN_KINDS, type Ad, type CampaignKind, type Customer, type GoogleWorld } from './world';

/**
 * Deterministic world from a seed number: one manager account over N client accounts, each with
 * campaigns of every kind (search, display, smart, demand gen image and video, YouTube video) and the tracking
 * situations the product must handle, cycled so that even 6 ads per account cover every kind and
 * 5 campaigns cover every campaign-level situation.
 */

export interface SeedInput {
  seed: number;
  accounts: number;
  adsPerAccount: number;
  landingBaseUrl: string;
  user?: string;
}

const DAY = 86_400_000;
const TIME_ZONES = ['America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'UTC'];
const CURRENCIES = ['USD', 'EUR', 'INR', 'GBP'];
const LANDING_KINDS = ['page', 'redirect', 'upgrade', 'shortener', 'fragment', 'own_utms'] as const;
const SHORTENERS = ['bit.ly', 'tinyurl.com', 'ow.ly'];
const CAMPAIGN_VARIANTS = ['plain', 'adgroup_template', 'non_lpurl_template', 'advertiser_lpurl_template', 'paused'] as const;
const THEMES = ['Brand & Co', 'Generic', 'Retargeting', 'Spring Sale', 'Competitors'];
const KIND_LABEL: Record<CampaignKind, string> = {
  search: 'Search',
  display: 'Display',
  smart: 'Smart',
  demand_gen: 'Demand Gen',
  demand_gen_video: 'Demand Gen video',
  video: 'YouTube',
};

/** A template an advertiser set by hand on the account (TRK-7 style, with an lpurl tag). */
export const SEEDED_ACCOUNT_TEMPLATE = '{lpurl}?utm_source=google&utm_medium=cpc&device={device}';
export const SEEDED_ADGROUP_TEMPLATE = '{lpurl}?adgroup_src=google&kw={keyword}';
export const SEEDED_AD_TEMPLATE = '{lpurl}?ad_src=google&creative={creative}';
export const SEEDED_TRACKER_TEMPLATE = 'https://track.example-tracker.com/click?cid={campaignid}&url={escapedlpurl}';
export const SEEDED_ADVERTISER_TEMPLATE = '{lpurl}?utm_source=google&utm_content={_content}&promo={_promo}';

export function landingUrl(base: string, kind: (typeof LANDING_KINDS)[number], slug: string, n: number): string {
  switch (kind) {
    case 'page':
      return `${base}/p/${slug}`;
    case 'redirect':
      return `${base}/r/${slug}`;
    case 'upgrade':
      return `${base}/upgrade/${slug}`;
    case 'shortener':
      return `https://${SHORTENERS[n % SHORTENERS.length] ?? 'bit.ly'}/${slug.replace(/[^a-z0-9]/gi, '')}x${n}`;
    case 'fragment':
      return `${base}/p/${slug}#offer`;
    case 'own_utms':
      return `${base}/p/${slug}?utm_source=newsletter&utm_content=hero`;
  }
}

function emptySummary(input: SeedInput, user: string, managerId: string) {
  const byKind = () => Object.fromEntries(CAMPAIGN_KINDS.map((k) => [k, [] as string[]])) as Record<CampaignKind, string[]>;
  return {
    seed: input.seed,
    user,
    managerId,
    accountIds: [] as string[],
    adIdsByKind: byKind(),
    campaignIdsByKind: byKind(),
    adIdsByLandingKind: Object.fromEntries(LANDING_KINDS.map((k) => [k, [] as string[]])) as Record<(typeof LANDING_KINDS)[number], string[]>,
    scenarios: {
      accountTemplateCustomerIds: [] as string[],
      autoTaggingOffCustomerIds: [] as string[],
      adGroupTemplateAdIds: [] as string[],
      adTemplateAdIds: [] as string[],
      nonLpurlTemplateCampaignIds: [] as string[],
      advertiserTemplateCampaignIds: [] as string[],
      pausedCampaignIds: [] as string[],
      pausedAdIds: [] as string[],
      underReviewAdIds: [] as string[],
      disapprovedAdIds: [] as string[],
    },
    conversionActionIds: [] as string[],
    leadFormIds: [] as string[],
    gclids: [] as string[],
  };
}

export type SeedSummary = ReturnType<typeof emptySummary>;

function newCustomer(world: GoogleWorld, id: string, a: number, fields: Partial<Customer>): Customer {
  const customer: Customer = {
    id,
    descriptiveName: `Sandbox Account ${a + 1}`,
    currencyCode: CURRENCIES[a % CURRENCIES.length] ?? 'USD',
    timeZone: TIME_ZONES[a % TIME_ZONES.length] ?? 'UTC',
    autoTaggingEnabled: a % 4 !== 3,
    manager: false,
    testAccount: true,
    status: 'ENABLED',
    acceptedCustomerDataTerms: true,
    enhancedConversionsForLeadsEnabled: true,
    ...fields,
  };
  world.customers.set(id, customer);
  return customer;
}

export function seedWorld(world: GoogleWorld, input: SeedInput): SeedSummary {
  world.reset(input.seed);
  const user = input.user ?? 'user-1';
  const base = input.landingBaseUrl.replace(/\/+$/, '');
  const now = world.now();
  const idBase = 1_000_000_000 + (Math.abs(input.seed) % 4000) * 1_000_000;
  const manager = newCustomer(world, String(idBase + 999_999), -1, { descriptiveName: 'Sandbox Manager (MCC)', manager: true, autoTaggingEnabled: false });
  const summary = emptySummary(input, user, manager.id);

  for (let a = 0; a < input.accounts; a++) {
    const customer = newCustomer(world, String(idBase + 1000 + a * 17), a, {
      managerId: manager.id,
      ...(a % 2 === 0 ? { trackingUrlTemplate: SEEDED_ACCOUNT_TEMPLATE } : {}),
      ...(a % 3 === 2 ? { finalUrlSuffix: 'ref=gads' } : {}),
    });
    summary.accountIds.push(customer.id);
    if (customer.trackingUrlTemplate) summary.scenarios.accountTemplateCustomerIds.push(customer.id);
    if (!customer.autoTaggingEnabled) summary.scenarios.autoTaggingOffCustomerIds.push(customer.id);

    const M = input.adsPerAccount;
    const campaignCount = M <= 12 ? Math.max(M, 1) : Math.max(12, Math.ceil(M / 4));
    const adGroups = [];
    for (let c = 0; c < campaignCount; c++) {
      const kind = CAMPAIGN_KINDS[c % CAMPAIGN_KINDS.length] ?? 'search';
      const variant = CAMPAIGN_VARIANTS[c % CAMPAIGN_VARIANTS.length] ?? 'plain';
      const createdAt = now - 60 * DAY;
      const campaign = createCampaign(world, {
        customerId: customer.id,
        kind,
        name: `${KIND_LABEL[kind]} - ${THEMES[c % THEMES.length] ?? 'Generic'} ${c + 1}`,
        status: variant === 'paused' ? 'PAUSED' : 'ENABLED',
        createdAt,
        ...(c % 4 === 3 ? { finalUrlSuffix: 'campaign_sfx=1' } : {}),
        ...(variant === 'non_lpurl_template' ? { trackingUrlTemplate: SEEDED_TRACKER_TEMPLATE } : {}),
        ...(variant === 'advertiser_lpurl_template'
          ? {
              trackingUrlTemplate: SEEDED_ADVERTISER_TEMPLATE,
              urlCustomParameters: [
                { key: 'content', value: 'spring' },
                { key: 'promo', value: 'P10' },
              ],
            }
          : {}),
      });
      summary.campaignIdsByKind[kind].push(campaign.id);
      if (variant === 'non_lpurl_template') summary.scenarios.nonLpurlTemplateCampaignIds.push(campaign.id);
      if (variant === 'advertiser_lpurl_template') summary.scenarios.advertiserTemplateCampaignIds.push(campaign.id);
      if (variant === 'paused') summary.scenarios.pausedCampaignIds.push(campaign.id);
      adGroups.push({
        kind,
        variant,
        adGroup: createAdGroup(world, campaign, {
          name: `${campaign.name} - Ad group 1`,
          createdAt,
          ...(variant === 'adgroup_template' ? { trackingUrlTemplate: SEEDED_ADGROUP_TEMPLATE } : {}),
        }),
      });
    }

    const ads: Ad[] = [];
    for (let i = 0; i < M; i++) {
      const slot = adGroups[i % adGroups.length];
      if (!slot) break;
      const landingKind = LANDING_KINDS[(i + a) % LANDING_KINDS.length] ?? 'page';
      const inReview = i % 4 === 1;
      const disapproved = !inReview && i % 9 === 6;
      const ad = createAd(world, {
        adGroup: slot.adGroup,
        kind: slot.kind,
        finalUrl: landingUrl(base, landingKind, `g${a}-${i}`, i),
        status: i % 7 === 4 ? 'PAUSED' : 'ENABLED',
        reviewStatus: inReview ? 'REVIEW_IN_PROGRESS' : 'REVIEWED',
        ...(disapproved ? { approvalStatus: 'DISAPPROVED' as const } : {}),
        ...(i % 8 === 5 ? { trackingUrlTemplate: SEEDED_AD_TEMPLATE } : {}),
        createdAt: now - 60 * DAY,
      });
      ads.push(ad);
      summary.adIdsByKind[slot.kind].push(ad.id);
      summary.adIdsByLandingKind[landingKind].push(ad.id);
      if (slot.variant === 'adgroup_template') summary.scenarios.adGroupTemplateAdIds.push(ad.id);
      if (ad.trackingUrlTemplate) summary.scenarios.adTemplateAdIds.push(ad.id);
      if (ad.status === 'PAUSED') summary.scenarios.pausedAdIds.push(ad.id);
      if (inReview) summary.scenarios.underReviewAdIds.push(ad.id);
      if (disapproved) summary.scenarios.disapprovedAdIds.push(ad.id);
    }

    for (const [name, type] of [
      ['Offline deal won (CRM upload)', 'UPLOAD_CLICKS'],
      ['Website signup', 'WEBPAGE'],
    ] as const) {
      const action = { id: world.nextId('conversionAction'), customerId: customer.id, name, type, status: 'ENABLED' as const, createdAt: now - 30 * DAY };
      world.conversionActions.set(action.id, action);
      if (type === 'UPLOAD_CLICKS') summary.conversionActionIds.push(action.id);
    }

    const leadCampaigns = [...world.campaignsOf(customer.id)].filter((c) => c.kind === 'search' || c.kind === 'demand_gen').map((c) => c.id);
    const form = createLeadForm(world, customer.id, leadCampaigns, now - 45 * DAY);
    summary.leadFormIds.push(form.id);
    createLeads(world, form, [{ email: `lead.${a}.1@example.com`, fullName: 'Ada Lovelace' }, { email: `Lead.${a}.2@Gmail.com`, fullName: 'Grace Hopper' }, { organic: true, email: `lead.${a}.3@example.com`, fullName: 'Alan Turing' }], {
      submittedAt: (k) => now - (3 - k) * DAY,
    });

    // Older clicks (two days ago) so conversion uploads can succeed without waiting 6 hours.
    if (customer.autoTaggingEnabled) {
      for (const ad of ads.filter((x) => x.status === 'ENABLED').slice(0, 3)) {
        const gclid = world.newGclid();
        world.clicks.set(gclid, { gclid, customerId: customer.id, campaignId: ad.campaignId, adGroupId: ad.adGroupId, adId: ad.id, at: now - 2 * DAY, device: 'c', network: 'g', landingUrl: ad.finalUrls[0] ?? '' });
        summary.gclids.push(gclid);
      }
    }
  }
  world.users.set(user, [manager.id, ...summary.accountIds]);
  world.defaultUser = user;
  world.landingBaseUrl = base;
  return summary;
}
