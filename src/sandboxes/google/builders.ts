import {
  AD_TYPE,
  CHANNEL_TYPE,
  type Ad,
  type AdGroup,
  type Campaign,
  type CampaignKind,
  type CustomParameter,
  type EntityStatus,
  type GoogleWorld,
  type Keyword,
} from './world';

/** Creation of entities, shared by seeding and the advertiser-action control routes. */

export interface CampaignInput {
  customerId: string;
  kind: CampaignKind;
  name: string;
  status?: EntityStatus;
  trackingUrlTemplate?: string;
  finalUrlSuffix?: string;
  urlCustomParameters?: CustomParameter[];
  createdAt?: number;
}

export function createCampaign(world: GoogleWorld, input: CampaignInput): Campaign {
  const at = input.createdAt ?? world.now();
  const campaign: Campaign = {
    id: world.nextId('campaign'),
    customerId: input.customerId,
    name: input.name,
    status: input.status ?? 'ENABLED',
    kind: input.kind,
    channelType: CHANNEL_TYPE[input.kind],
    urlCustomParameters: input.urlCustomParameters ?? [],
    ...(input.trackingUrlTemplate ? { trackingUrlTemplate: input.trackingUrlTemplate } : {}),
    ...(input.finalUrlSuffix ? { finalUrlSuffix: input.finalUrlSuffix } : {}),
    createdAt: at,
    modifiedAt: at,
  };
  world.campaigns.set(campaign.id, campaign);
  return campaign;
}

export function createAdGroup(world: GoogleWorld, campaign: Campaign, input: { name: string; trackingUrlTemplate?: string; createdAt?: number }): AdGroup {
  const at = input.createdAt ?? world.now();
  const adGroup: AdGroup = {
    id: world.nextId('adGroup'),
    customerId: campaign.customerId,
    campaignId: campaign.id,
    name: input.name,
    status: 'ENABLED',
    urlCustomParameters: [],
    ...(input.trackingUrlTemplate ? { trackingUrlTemplate: input.trackingUrlTemplate } : {}),
    createdAt: at,
    modifiedAt: at,
  };
  world.adGroups.set(adGroup.id, adGroup);
  if (campaign.kind === 'search') {
    const words = ['running shoes', 'trail shoes', 'marathon training', 'buy sneakers'];
    const matchTypes: Keyword['matchType'][] = ['EXACT', 'PHRASE', 'BROAD'];
    for (let i = 0; i < 2; i++) {
      const keyword: Keyword = {
        id: world.nextId('criterion'),
        customerId: campaign.customerId,
        campaignId: campaign.id,
        adGroupId: adGroup.id,
        text: words[(world.keywords.size + i) % words.length] ?? 'shoes',
        matchType: matchTypes[(world.keywords.size + i) % matchTypes.length] ?? 'BROAD',
        status: 'ENABLED',
        finalUrls: [],
        urlCustomParameters: [],
        createdAt: at,
        modifiedAt: at,
      };
      world.keywords.set(keyword.id, keyword);
    }
  }
  return adGroup;
}

export interface AdInput {
  adGroup: AdGroup;
  kind: CampaignKind;
  finalUrl: string;
  status?: EntityStatus;
  reviewStatus?: Ad['reviewStatus'];
  approvalStatus?: Ad['approvalStatus'];
  trackingUrlTemplate?: string;
  name?: string;
  createdAt?: number;
}

export function createAd(world: GoogleWorld, input: AdInput): Ad {
  const at = input.createdAt ?? world.now();
  const reviewStatus = input.reviewStatus ?? 'REVIEWED';
  const approvalStatus = input.approvalStatus ?? (reviewStatus === 'REVIEW_IN_PROGRESS' ? undefined : 'APPROVED');
  // Only display/video ad types carry a name in Google Ads.
  const named = input.kind === 'display' || input.kind === 'video';
  const ad: Ad = {
    id: world.nextId('ad'),
    customerId: input.adGroup.customerId,
    campaignId: input.adGroup.campaignId,
    adGroupId: input.adGroup.id,
    type: AD_TYPE[input.kind],
    ...(named ? { name: input.name ?? `${input.kind} ad ${world.ads.size + 1}` } : {}),
    status: input.status ?? 'ENABLED',
    finalUrls: [input.finalUrl],
    urlCustomParameters: [],
    ...(input.trackingUrlTemplate ? { trackingUrlTemplate: input.trackingUrlTemplate } : {}),
    reviewStatus,
    ...(approvalStatus ? { approvalStatus } : {}),
    createdAt: at,
    modifiedAt: at,
  };
  world.ads.set(ad.id, ad);
  return ad;
}
