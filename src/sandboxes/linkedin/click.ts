import { randomUUID } from 'node:crypto';
import type { CreativeRecord, LinkedInWorld } from './state';
import { appendToLandingUrl, resolveTrackingParameters } from './url-tracking';

/** Where the creative's destination lives (§2.7): on the post, on the text ad, or on the InMail content. */
export function baseLandingUrl(world: LinkedInWorld, creative: CreativeRecord): string | null {
  if ('textAd' in creative.content) return creative.content.textAd.landingPage;
  const ref = creative.content.reference;
  const inMail = world.inMails.get(ref);
  if (inMail) return inMail.landingUrl;
  const post = world.posts.get(ref);
  if (!post) return null;
  return post.contentLandingPage ?? post.articleSource ?? post.carouselCards?.[0]?.landingPage ?? null;
}

/** The advertiser edits the destination in Campaign Manager (control route, not an API call). */
export function setBaseLandingUrl(world: LinkedInWorld, creative: CreativeRecord, url: string): void {
  const now = world.now();
  if ('textAd' in creative.content) {
    creative.content.textAd.landingPage = url;
    creative.lastModifiedAt = now;
    return;
  }
  const ref = creative.content.reference;
  const inMail = world.inMails.get(ref);
  if (inMail) {
    inMail.landingUrl = url;
    creative.lastModifiedAt = now;
    return;
  }
  const post = world.posts.get(ref);
  if (!post) return;
  if (post.contentLandingPage !== undefined) post.contentLandingPage = url;
  else if (post.articleSource !== undefined) post.articleSource = url;
  else if (post.carouselCards?.[0]) post.carouselCards[0].landingPage = url;
  post.lastModifiedAt = now;
}

export interface ClickResult {
  /** The URL the member's browser opens, campaign parameters and click id included. */
  landingUrl: string;
  /** LinkedIn's own short link the member clicked, when the post carries one (allowed by TRK-8). */
  clickedUrl?: string;
  liFatId?: string;
  isServing: boolean;
  creativeId: number;
}

/**
 * A member clicks the ad: the destination plus the campaign's URL tracking parameters with the
 * tokens resolved, plus `li_fat_id` when the account has LinkedIn's first-party cookie on (the id
 * the Conversions API accepts as LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID, §4.2).
 */
export function simulateClick(world: LinkedInWorld, creative: CreativeRecord): ClickResult | undefined {
  const base = baseLandingUrl(world, creative);
  const campaign = world.campaigns.get(creative.campaignId);
  const account = world.accounts.get(creative.accountId);
  const group = campaign ? world.groups.get(campaign.groupId) : undefined;
  if (!base || !campaign || !account || !group) return undefined;

  const pairs = resolveTrackingParameters(campaign.trackingParameters, {
    accountId: account.id,
    accountName: account.name,
    campaignGroupId: group.id,
    campaignGroupName: group.name,
    campaignId: campaign.id,
    campaignName: campaign.name,
    creativeId: creative.id,
    creativeName: creative.name,
  });
  const liFatId = account.firstPartyCookie ? randomUUID() : undefined;
  if (liFatId) pairs.push(['li_fat_id', liFatId]);
  const landingUrl = appendToLandingUrl(base, pairs);
  if (liFatId) world.clicks.set(liFatId, { liFatId, creativeId: creative.id, at: world.now(), landingUrl });

  const post = 'reference' in creative.content ? world.posts.get(creative.content.reference) : undefined;
  return {
    landingUrl,
    ...(post?.shortLink ? { clickedUrl: post.shortLink } : {}),
    ...(liFatId ? { liFatId } : {}),
    isServing: world.servingOf(creative).isServing,
    creativeId: creative.id,
  };
}
