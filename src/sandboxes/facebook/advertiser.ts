import { buildCreativeSpec, withLandingUrl, type CreativeSpec } from './creative-specs';
import { swapCreative } from './write-routes';
import type { Ad, AdKind, AdSet, Campaign, Creative, Engagement, FacebookWorld, Placement } from './world';

/**
 * What an advertiser does in Ads Manager, applied straight to the world: the control routes and
 * the seeder both go through here so seeded and hand-made ads behave alike.
 */

export const LANDING_KINDS = ['page', 'redirect', 'upgrade', 'shortened', 'fragment', 'own_utms'] as const;
export type LandingKind = (typeof LANDING_KINDS)[number];
const SHORTENER_HOSTS = ['bit.ly', 'tinyurl.com', 'ow.ly'];

/** The landing-site conventions shared by every sandbox (see the landing sandbox). */
export function landingUrlFor(kind: LandingKind, baseUrl: string, slug: string, n: number): string {
  switch (kind) {
    case 'page':
      return `${baseUrl}/p/${slug}`;
    case 'redirect':
      return `${baseUrl}/r/${slug}`;
    case 'upgrade':
      return `${baseUrl}/upgrade/${slug}`;
    case 'shortened':
      return `https://${SHORTENER_HOSTS[n % SHORTENER_HOSTS.length] ?? 'bit.ly'}/${slug.replace(/[^a-z0-9]/gi, '').slice(-6)}${n}`;
    case 'fragment':
      return `${baseUrl}/p/${slug}#offer`;
    case 'own_utms':
      return `${baseUrl}/p/${slug}?utm_source=newsletter&utm_content=hero`;
  }
}

/** Review-side statuses an advertiser or a test may put an ad in, besides the configured ones. */
export const AD_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED', 'PENDING_REVIEW', 'IN_PROCESS', 'WITH_ISSUES', 'DISAPPROVED'] as const;
export type AdStatusInput = (typeof AD_STATUSES)[number];

const PLACEMENTS_BY_KIND: Record<AdKind, Placement[]> = {
  link: ['facebook'],
  lead: ['facebook'],
  messenger: ['facebook', 'messenger'],
  carousel: ['facebook'],
  carousel_pac: ['facebook', 'instagram'],
  instagram_link: ['instagram'],
};

export interface CreateAdInput {
  accountId: string;
  kind: AdKind;
  campaignId?: string;
  name?: string;
  status?: AdStatusInput;
  landingUrl?: string;
  urlTags?: string;
  engagements?: number;
  createdTime?: number;
}

export function createCampaign(world: FacebookWorld, accountId: string, name: string, createdTime = world.nowSeconds()): Campaign {
  const campaign: Campaign = { id: world.newId(), accountId, name, objective: 'OUTCOME_TRAFFIC', status: 'ACTIVE', createdTime, updatedTime: createdTime };
  world.campaigns.set(campaign.id, campaign);
  return campaign;
}

function adsetFor(world: FacebookWorld, campaign: Campaign, placements: Placement[]): AdSet {
  const key = placements.join('+');
  const existing = [...world.adsets.values()].find((s) => s.campaignId === campaign.id && s.publisherPlatforms.join('+') === key);
  if (existing) return existing;
  const label = { facebook: 'Facebook feed', instagram: 'Instagram feed', 'facebook+messenger': 'Messenger conversations', 'facebook+instagram': 'Advantage+ placements' }[key] ?? key;
  const adset: AdSet = {
    id: world.newId(),
    accountId: campaign.accountId,
    campaignId: campaign.id,
    name: `${campaign.name} – ${label}`,
    status: 'ACTIVE',
    publisherPlatforms: placements,
    createdTime: campaign.createdTime,
    updatedTime: campaign.createdTime,
    lastSigEditTime: campaign.createdTime,
  };
  world.adsets.set(adset.id, adset);
  return adset;
}

export function createAd(world: FacebookWorld, input: CreateAdInput): Ad {
  const account = world.accounts.get(input.accountId);
  if (!account) throw new Error(`unknown ad account ${input.accountId}`);
  const campaign =
    (input.campaignId ? world.campaigns.get(input.campaignId) : [...world.campaigns.values()].find((c) => c.accountId === account.id)) ??
    createCampaign(world, account.id, `${account.name} – Always on`);
  if (campaign.accountId !== account.id) throw new Error(`campaign ${campaign.id} is not in ${account.id}`);
  const page = [...world.pages.values()].find((p) => p.accountId === account.id);
  if (!page) throw new Error(`ad account ${account.id} has no Page`);
  const adId = world.newId();
  const slug = `${input.kind.replace('_', '-')}-${adId.slice(-6)}`;
  const landingUrl = input.landingUrl ?? landingUrlFor('page', world.landingBaseUrl, slug, 0);
  const name = input.name ?? `${input.kind} ad ${adId.slice(-4)}`;
  const spec = buildCreativeSpec(input.kind, {
    page,
    landingUrl,
    extraUrls: [`${world.landingBaseUrl}/p/${slug}-2`, `${world.landingBaseUrl}/p/${slug}-3`],
    ...(input.kind === 'lead' ? { formId: world.formsOfAccount(account.id)[0]?.id } : {}),
    headline: name,
  });
  const createdTime = input.createdTime ?? world.nowSeconds();
  const creative = newCreative(world, account.id, `${name} creative`, spec, input.urlTags, createdTime);
  const ad: Ad = {
    id: adId,
    accountId: account.id,
    campaignId: campaign.id,
    adsetId: adsetFor(world, campaign, PLACEMENTS_BY_KIND[input.kind]).id,
    name,
    status: 'ACTIVE',
    review: 'pending_review',
    creativeId: creative.id,
    kind: input.kind,
    createdTime,
    updatedTime: createdTime,
    engagement: splitEngagement(input.engagements ?? 0),
  };
  world.ads.set(ad.id, ad);
  setAdStatus(world, ad, input.status ?? 'ACTIVE');
  ad.updatedTime = createdTime;
  return ad;
}

function newCreative(world: FacebookWorld, accountId: string, name: string, spec: CreativeSpec, urlTags: string | undefined, createdTime: number): Creative {
  const creative: Creative = {
    id: world.newId(),
    accountId,
    name,
    status: 'ACTIVE',
    objectStorySpec: spec.objectStorySpec,
    ...(spec.assetFeedSpec ? { assetFeedSpec: spec.assetFeedSpec } : {}),
    ...(urlTags ? { urlTags } : {}),
    createdTime,
  };
  world.creatives.set(creative.id, creative);
  return creative;
}

/** Sets what Ads Manager would show; approved-and-running states freeze the publish snapshot. */
export function setAdStatus(world: FacebookWorld, ad: Ad, status: AdStatusInput): void {
  switch (status) {
    case 'ACTIVE':
    case 'PAUSED':
      ad.status = status;
      if (ad.review === 'pending_review' || ad.review === 'in_process') ad.review = 'approved';
      break;
    case 'ARCHIVED':
    case 'DELETED':
      ad.status = status;
      break;
    case 'PENDING_REVIEW':
      ad.status = 'ACTIVE';
      ad.review = 'pending_review';
      break;
    case 'IN_PROCESS':
      ad.status = 'ACTIVE';
      ad.review = 'in_process';
      break;
    case 'WITH_ISSUES':
      ad.status = 'ACTIVE';
      ad.review = 'with_issues';
      break;
    case 'DISAPPROVED':
      ad.status = 'ACTIVE';
      ad.review = 'disapproved';
      break;
  }
  if (ad.review === 'approved' || ad.review === 'with_issues') world.markPublished(ad);
  world.touch(ad);
}

/** Finishes review (§11.4): approve → ACTIVE, else DISAPPROVED. */
export function finishReview(world: FacebookWorld, ad: Ad, approve: boolean): void {
  ad.review = approve ? 'approved' : 'disapproved';
  if (approve) world.markPublished(ad);
  world.touch(ad);
}

/** An Ads Manager edit of a creative: a new creative replaces the old one and the ad goes to review. */
export function editCreative(world: FacebookWorld, ad: Ad, edit: { urlTags?: string; landingUrl?: string }): Creative {
  const current = world.creatives.get(ad.creativeId);
  if (!current) throw new Error(`ad ${ad.id} has no creative`);
  const spec: CreativeSpec = edit.landingUrl
    ? withLandingUrl(current, edit.landingUrl)
    : { objectStorySpec: structuredClone(current.objectStorySpec ?? {}), ...(current.assetFeedSpec ? { assetFeedSpec: structuredClone(current.assetFeedSpec) } : {}) };
  const urlTags = edit.urlTags ?? current.urlTags;
  const creative = newCreative(world, ad.accountId, current.name, spec, urlTags, world.nowSeconds());
  swapCreative(world, ad, creative.id);
  world.touch(ad);
  return creative;
}

/** Deletes a parameter wherever the ad keeps it: its url_tags first, else the link's own query. */
export function removeParam(world: FacebookWorld, ad: Ad, key: string): boolean {
  const creative = world.creatives.get(ad.creativeId);
  if (!creative) return false;
  const tags = new URLSearchParams(creative.urlTags ?? '');
  if (tags.has(key)) {
    const kept = (creative.urlTags ?? '').split('&').filter((pair) => decodeURIComponent(pair.split('=')[0] ?? '') !== key);
    editCreative(world, ad, { urlTags: kept.join('&') });
    return true;
  }
  const link = (creative.objectStorySpec?.link_data as { link?: string } | undefined)?.link;
  if (!link || !URL.canParse(link)) return false;
  const url = new URL(link);
  if (!url.searchParams.has(key)) return false;
  url.searchParams.delete(key);
  editCreative(world, ad, { landingUrl: url.toString() });
  return true;
}

export function splitEngagement(total: number): Engagement {
  const reactions = Math.round(total * 0.7);
  const comments = Math.round(total * 0.2);
  return { reactions, comments, shares: Math.max(0, total - reactions - comments) };
}

export function totalEngagement(engagement: Engagement): number {
  return engagement.reactions + engagement.comments + engagement.shares;
}
