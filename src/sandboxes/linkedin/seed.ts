import { z } from 'zod';
import { pick, seededRandom } from '../kit/rng';
import { campaignForKind, createAccount, createAd, createCampaign, createGroup, createLeadForm, type AdState } from './factory';
import { addLead } from './leads';
import { AD_KINDS, type AccountRecord, type AdKind, type CampaignGroupRecord, type LinkedInWorld } from './state';
import { trackingParameter, type TrackingParameter } from './url-tracking';

export const seedRequestSchema = z.object({
  seed: z.number().int().default(1),
  accounts: z.number().int().min(1).max(50).default(2),
  adsPerAccount: z.number().int().min(0).max(5_000).default(16),
  landingBaseUrl: z.string().default('http://127.0.0.1:4567'),
  user: z.string().min(1).default('demo'),
});
export type SeedRequest = z.infer<typeof seedRequestSchema>;

const DAY_MS = 86_400_000;
const ACCOUNT_NAMES = ['Acme Ads', 'Globex Marketing', 'Initech Growth', 'Umbrella B2B', 'Hooli Demand Gen', 'Stark Industries EMEA'];
const CAMPAIGN_TOPICS = ['Q4 Webinar', 'Product Launch', 'Retargeting', 'ABM Tier 1', 'Brand Awareness', 'Free Trial', 'Case Study'];
const FIRST_NAMES = ['Jane', 'Omar', 'Li', 'Priya', 'Marco', 'Sofia', 'Tom', 'Aiko'];
const LAST_NAMES = ['Doe', 'Haddad', 'Wei', 'Patel', 'Rossi', 'Garcia', 'Becker', 'Sato'];

/** Delivery situations, cycled so every seed has ads serving, under review, paused, rejected... */
const STATE_CYCLE: AdState[] = ['serving', 'serving', 'under_review', 'paused', 'serving', 'rejected', 'under_review', 'draft', 'serving', 'archived'];
/** Landing URL kinds of the landing-site convention, cycled independently of the ad kinds. */
const LANDING_KINDS = ['page', 'redirect', 'fragment', 'own_utms', 'upgrade', 'shortener', 'page', 'page'] as const;
type LandingKind = (typeof LANDING_KINDS)[number];

function landingUrl(base: string, kind: LandingKind, slug: string, code: string): string {
  switch (kind) {
    case 'page':
      return `${base}/p/${slug}`;
    case 'redirect':
      return `${base}/r/${slug}`;
    case 'upgrade':
      return `${base}/upgrade/${slug}`;
    case 'shortener':
      return `https://${code.length % 2 === 0 ? 'bit.ly' : 'tinyurl.com'}/${code}`;
    case 'fragment':
      return `${base}/p/${slug}#offer`;
    case 'own_utms':
      return `${base}/p/${slug}?utm_source=newsletter&utm_content=hero`;
  }
}

/** Advertiser URL parameters some campaigns already carry before we connect. */
function advertiserParameters(campaignIndex: number): TrackingParameter[] {
  if (campaignIndex % 3 === 1) return [trackingParameter('utm_source', 'partner')];
  if (campaignIndex % 5 === 2) return [trackingParameter('utm_content', 'spring-promo'), trackingParameter('li_cid', 'CAMPAIGN_ID')];
  return [];
}

export interface SeedSummary {
  seed: number;
  user: { handle: string; urn: string };
  accounts: { id: string; name: string; campaignGroupIds: string[]; campaignIds: string[]; adIds: string[]; leadFormIds: string[]; conversionRuleIds: string[] }[];
  adIdsByKind: Record<AdKind, string[]>;
  ads: { id: string; accountId: string; campaignId: string; kind: AdKind; state: AdState; landingUrl: string | null }[];
}

/** Builds a deterministic world: N accounts × M ads, kinds cycled so small M covers every kind. */
export function seedWorld(world: LinkedInWorld, request: SeedRequest): SeedSummary {
  world.reset();
  world.idOffset = (Math.abs(request.seed) % 1000) * 1_000_000;
  world.landingBaseUrl = request.landingBaseUrl.replace(/\/+$/, '');
  const random = seededRandom(request.seed);
  const member = world.memberByHandle(request.user);
  const viewer = world.memberByHandle('viewer');
  const summary: SeedSummary = {
    seed: request.seed,
    user: { handle: member.handle, urn: member.urn },
    accounts: [],
    adIdsByKind: Object.fromEntries(AD_KINDS.map((k) => [k, []])) as unknown as Record<AdKind, string[]>,
    ads: [],
  };
  let campaignIndex = 0;

  for (let a = 0; a < request.accounts; a += 1) {
    const account = createAccount(world, {
      name: `${ACCOUNT_NAMES[a % ACCOUNT_NAMES.length] ?? 'Account'}${a >= ACCOUNT_NAMES.length ? ` ${a + 1}` : ''}`,
      currency: ['USD', 'EUR', 'GBP'][a % 3] ?? 'USD',
      index: a,
      firstPartyCookie: a % 3 !== 2,
    });
    world.grantRole(member.urn, account.id, 'ACCOUNT_MANAGER');
    if (a === 0) world.grantRole(viewer.urn, account.id, 'VIEWER');
    const groups: CampaignGroupRecord[] = [createGroup(world, account, 'Default Campaign Group', true), createGroup(world, account, `${pick(random, CAMPAIGN_TOPICS)} Program`, false)];
    const forms = [
      createLeadForm(world, account, { name: 'Webinar signup', organic: false }),
      createLeadForm(world, account, { name: 'Demo request', organic: false }),
      createLeadForm(world, account, { name: 'Newsletter (Page form)', organic: true }),
    ];
    const accountSummary: SeedSummary['accounts'][number] = {
      id: String(account.id),
      name: account.name,
      campaignGroupIds: groups.map((g) => String(g.id)),
      campaignIds: [],
      adIds: [],
      leadFormIds: forms.map((f) => String(f.id)),
      conversionRuleIds: [],
    };

    for (let i = 0; i < request.adsPerAccount; i += 1) {
      const kind = AD_KINDS[i % AD_KINDS.length] as AdKind;
      const state = STATE_CYCLE[(i + request.seed) % STATE_CYCLE.length] as AdState;
      let campaign = campaignForKind(world, account, kind, 3);
      if (!campaign) {
        campaign = createCampaign(world, {
          account,
          group: groups[campaignIndex % groups.length] as CampaignGroupRecord,
          kind,
          name: `${pick(random, CAMPAIGN_TOPICS)} - ${kind.replace('_', ' ')} ${campaignIndex + 1}`,
          status: campaignIndex % 4 === 3 ? 'PAUSED' : 'ACTIVE',
          trackingParameters: advertiserParameters(campaignIndex),
          ageDays: 90 + Math.floor(random() * 60),
        });
        campaignIndex += 1;
        accountSummary.campaignIds.push(String(campaign.id));
      }
      const slug = `${kind.replace('_', '-')}-${a + 1}-${i + 1}`;
      const code = Math.floor(random() * 36 ** 6).toString(36);
      const landing = kind === 'lead_gen' ? null : landingUrl(world.landingBaseUrl, LANDING_KINDS[(i + a) % LANDING_KINDS.length] as LandingKind, slug, code);
      const ad = createAd(world, {
        account,
        campaign,
        kind,
        state,
        landingUrl: landing,
        member: member.urn,
        // Alternate the two ad forms between successive lead gen ads.
        ...(kind === 'lead_gen' ? { leadFormId: forms[Math.floor(i / AD_KINDS.length) % 2]?.id } : {}),
        ageDays: 20 + Math.floor(random() * 60),
      });
      accountSummary.adIds.push(String(ad.id));
      summary.adIdsByKind[kind].push(String(ad.id));
      summary.ads.push({ id: String(ad.id), accountId: String(account.id), campaignId: String(campaign.id), kind, state, landingUrl: landing });
    }

    seedLeads(world, account, forms, random);
    accountSummary.conversionRuleIds = seedConversionRules(world, account).map(String);
    summary.accounts.push(accountSummary);
  }
  return summary;
}

function seedLeads(world: LinkedInWorld, account: AccountRecord, forms: ReturnType<typeof createLeadForm>[], random: () => number): void {
  const person = () => {
    const first = pick(random, FIRST_NAMES);
    const last = pick(random, LAST_NAMES);
    return { fullName: `${first} ${last}`, email: `${first}.${last}${Math.floor(random() * 1000)}@example.com`.toLowerCase() };
  };
  const now = world.now();
  const leadAds = [...world.creatives.values()].filter((c) => c.accountId === account.id && c.leadFormId !== undefined);
  for (const ad of leadAds) {
    const form = world.leadForms.get(ad.leadFormId as number);
    if (!form) continue;
    for (let k = 0; k < 2; k += 1) addLead(world, { form, ...person(), creative: ad, submittedAt: now - Math.floor(random() * 10 * DAY_MS) });
  }
  const [sponsoredForm, , pageForm] = forms;
  if (pageForm) for (let k = 0; k < 2; k += 1) addLead(world, { form: pageForm, ...person(), submittedAt: now - Math.floor(random() * 10 * DAY_MS) });
  if (sponsoredForm) addLead(world, { form: sponsoredForm, ...person(), testLead: true, submittedAt: now - DAY_MS });
}

function seedConversionRules(world: LinkedInWorld, account: AccountRecord): number[] {
  const campaignIds = [...world.campaigns.values()].filter((c) => c.accountId === account.id).map((c) => c.id);
  const now = world.now();
  return [
    { name: 'CRM - Lead', type: 'LEAD' },
    { name: 'CRM - Sales qualified lead', type: 'QUALIFIED_LEAD' },
  ].map(({ name, type }) => {
    const id = world.nextId('conversion', 104000);
    world.conversionRules.set(id, {
      id,
      accountId: account.id,
      name,
      type,
      enabled: true,
      attributionType: 'LAST_TOUCH_BY_CAMPAIGN',
      postClickAttributionWindowSize: 30,
      viewThroughAttributionWindowSize: 7,
      campaignIds,
      createdAt: now - 100 * DAY_MS,
      lastModifiedAt: now - 100 * DAY_MS,
    });
    return id;
  });
}

