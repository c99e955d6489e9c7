import type { AdRecord, CustomParameter, DeliveryStatus, ListAdsOptions, Page } from '../types';
import { readCampaignUrlParameters } from './campaign-url-parameters';
import type { BatchGetResponse, CollectionResponse, RestliTransport } from './http';
import { buildQuery, encodeRestli, idOf, List } from './restli';

/** Wire shapes (§2.4, §2.5, §2.7), only the fields we read. */
interface CreativeWire {
  id: string;
  campaign: string;
  name?: string;
  content?: { reference?: string; textAd?: { landingPage?: string } } & Record<string, unknown>;
  intendedStatus: string;
  isServing?: boolean;
  servingHoldReasons?: string[];
  review?: { status?: string } | null;
  leadgenCallToAction?: { destination?: string };
  lastModifiedAt?: number;
  createdAt?: number;
}

interface CampaignWire extends Record<string, unknown> {
  id: number;
  name: string;
  status: string;
  campaignGroup: string;
  format?: string;
  changeAuditStamps?: { lastModified?: { time?: number } };
}

interface PostWire {
  id: string;
  contentLandingPage?: string;
  content?: { article?: { source?: string }; carousel?: { cards?: { landingPage?: string }[] } };
  lastModifiedAt?: number;
}

/** §2.5 + §2.6: creatives are cursor-paged, at most 100 per page. */
export const CREATIVES_PAGE_MAX = 100;
/** Empty pages (everything filtered out) are skipped, up to this many per call. */
const MAX_PAGES_PER_CALL = 10;
const PENDING_REVIEW = ['PENDING', 'NEEDS_REVIEW'];

function statusOf(creative: CreativeWire, campaign: CampaignWire | undefined): DeliveryStatus {
  const review = creative.review?.status;
  switch (creative.intendedStatus) {
    case 'ACTIVE':
      if (review === 'REJECTED') return 'disapproved';
      if (review && PENDING_REVIEW.includes(review)) return 'pending_review';
      return campaign?.status === 'ACTIVE' && creative.isServing ? 'active' : 'paused';
    case 'PAUSED':
      return 'paused';
    case 'ARCHIVED':
      return 'archived';
    case 'CANCELED':
    case 'REMOVED':
    case 'PENDING_DELETION':
      return 'deleted';
    default:
      return 'other';
  }
}

/** Reference §2.5: "active or pending review" = intended ACTIVE, serving or in review, campaign ACTIVE. */
function isDeliverable(creative: CreativeWire, campaign: CampaignWire | undefined): boolean {
  const review = creative.review?.status;
  return creative.intendedStatus === 'ACTIVE' && campaign?.status === 'ACTIVE' && (creative.isServing === true || (review !== undefined && PENDING_REVIEW.includes(review)));
}

function formatOf(creative: CreativeWire, campaign: CampaignWire | undefined, post: PostWire | undefined): string {
  const content = creative.content ?? {};
  if (content.textAd) return 'TEXT_AD';
  const ref = content.reference ?? '';
  // Message vs conversation ads share the InMail content URN; the campaign format tells them apart.
  if (ref.startsWith('urn:li:adInMailContent:')) return campaign?.format === 'SPONSORED_MESSAGE' ? 'CONVERSATION' : 'SPONSORED_INMAILS';
  if (post?.content?.carousel || campaign?.format === 'CAROUSEL') return 'CAROUSEL';
  if (ref) return 'SPONSORED_UPDATE';
  return Object.keys(content)[0]?.toUpperCase() ?? 'OTHER';
}

function landingUrlOf(creative: CreativeWire, post: PostWire | undefined): string | null {
  if (creative.content?.textAd) return creative.content.textAd.landingPage ?? null;
  if (!post) return null;
  return post.contentLandingPage ?? post.content?.article?.source ?? post.content?.carousel?.cards?.[0]?.landingPage ?? null;
}

function toAdRecord(accountId: string, creative: CreativeWire, campaign: CampaignWire | undefined, post: PostWire | undefined, urlParameters: CustomParameter[]): AdRecord {
  const campaignId = idOf(creative.campaign);
  const campaignRef = { id: campaignId, name: campaign?.name ?? '' };
  const status = statusOf(creative, campaign);
  const updated = Math.max(creative.lastModifiedAt ?? 0, campaign?.changeAuditStamps?.lastModified?.time ?? 0, post?.lastModifiedAt ?? 0);
  const holds = creative.isServing ? [] : (creative.servingHoldReasons ?? []);
  const ref = creative.content?.reference;
  return {
    network: 'linkedin',
    accountId,
    adId: idOf(creative.id),
    name: creative.name ?? '',
    status,
    rawStatus: holds.length > 0 ? `${creative.intendedStatus} (${holds.join(', ')})` : creative.intendedStatus,
    updatedTime: new Date(updated || (creative.createdAt ?? 0)).toISOString(),
    campaign: campaignRef,
    // LinkedIn has no ad-group level: the campaign stands in for it (see AdRecord).
    adGroup: campaignRef,
    landingUrl: landingUrlOf(creative, post),
    tracking: {
      network: 'linkedin',
      format: formatOf(creative, campaign, post),
      campaignGroupId: idOf(campaign?.campaignGroup),
      campaignUrlParameters: urlParameters,
      ...(ref && /^urn:li:(share|ugcPost):/.test(ref) ? { postUrn: ref } : {}),
    },
  };
}

/**
 * Creatives joined with their campaign (BATCH_GET), post (BATCH_GET on /posts) and the campaign's
 * tracking parameters (one GET per campaign on the page: LinkedIn documents no BATCH_GET for that
 * resource), one finder page per round. The finder has no change filter, so `updatedSince` is applied here on the
 * newest of the creative's, campaign's and post's modification times: a campaign whose URL
 * parameters changed shows up as a change of each of its ads.
 */
export async function listAds(api: RestliTransport, accessToken: string, accountId: string, options: ListAdsOptions): Promise<Page<AdRecord>> {
  const pageSize = Math.min(Math.max(options.pageSize ?? CREATIVES_PAGE_MAX, 1), CREATIVES_PAGE_MAX);
  const since = options.updatedSince ? Date.parse(options.updatedSince) : undefined;
  let cursor = options.cursor;

  for (let round = 0; round < MAX_PAGES_PER_CALL; round += 1) {
    const query = buildQuery({
      q: 'criteria',
      intendedStatuses: options.scope === 'deliverable' ? List('ACTIVE') : undefined,
      sortOrder: 'ASCENDING',
      pageSize,
      pageToken: cursor,
    });
    const page = await api.get<CollectionResponse<CreativeWire>>(accessToken, `/adAccounts/${accountId}/creatives`, query);
    const creatives = page.elements ?? [];
    const [campaigns, posts] = await Promise.all([
      batchGet<CampaignWire>(api, accessToken, `/adAccounts/${accountId}/adCampaigns`, [...new Set(creatives.map((c) => idOf(c.campaign)))]),
      batchGet<PostWire>(api, accessToken, '/posts', [...new Set(creatives.map((c) => c.content?.reference ?? '').filter((r) => /^urn:li:(share|ugcPost):/.test(r)))]),
    ]);
    const kept = creatives
      .map((c) => ({ creative: c, campaign: campaigns[idOf(c.campaign)], post: c.content?.reference ? posts[c.content.reference] : undefined }))
      .filter(({ creative, campaign }) => options.scope === 'all' || isDeliverable(creative, campaign));
    const parameters = await urlParametersOf(api, accessToken, [...new Set(kept.map(({ creative }) => idOf(creative.campaign)))]);
    const items = kept
      .map(({ creative, campaign, post }) => toAdRecord(accountId, creative, campaign, post, parameters.get(idOf(creative.campaign)) ?? []))
      .filter((ad) => since === undefined || Date.parse(ad.updatedTime) >= since);
    cursor = page.metadata?.nextPageToken;
    if (items.length > 0 || !cursor) return { items, ...(cursor ? { nextCursor: cursor } : {}) };
  }
  return { items: [], ...(cursor ? { nextCursor: cursor } : {}) };
}

async function urlParametersOf(api: RestliTransport, accessToken: string, campaignIds: string[]): Promise<Map<string, CustomParameter[]>> {
  const entries = await Promise.all(campaignIds.map(async (id) => [id, await readCampaignUrlParameters(api, accessToken, id)] as const));
  return new Map(entries);
}

/** Rest.li BATCH_GET `?ids=List(...)`; keys that fail are simply absent from the result. */
async function batchGet<T>(api: RestliTransport, accessToken: string, path: string, keys: string[]): Promise<Record<string, T>> {
  if (keys.length === 0) return {};
  const query = `ids=List(${keys.map(encodeRestli).join(',')})`;
  const response = await api.get<BatchGetResponse<T>>(accessToken, path, query);
  return response.results ?? {};
}
