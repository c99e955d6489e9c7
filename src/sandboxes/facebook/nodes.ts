import type { NodeSchema, NodeView } from './fields';
import {
  graphTime,
  type Ad,
  type AdAccount,
  type AdSet,
  type Campaign,
  type Creative,
  type FacebookWorld,
  type Lead,
  type LeadForm,
  type Page,
  type Pixel,
  type User,
} from './world';

type SchemaName = 'user' | 'business' | 'adAccount' | 'campaign' | 'adset' | 'ad' | 'creative' | 'page' | 'form' | 'lead' | 'pixel';

/** Field lists follow the SDK field lists quoted in the reference (§2, §3, §7). */
export const SCHEMAS: Record<SchemaName, NodeSchema> = {
  user: { type: 'User', defaults: ['id', 'name'], values: ['id', 'name'] },
  business: { type: 'Business', defaults: ['id', 'name'], values: ['id', 'name'] },
  adAccount: {
    type: 'AdAccount',
    defaults: ['id'],
    values: ['id', 'account_id', 'name', 'account_status', 'currency', 'timezone_name', 'business_name', 'amount_spent', 'disable_reason', 'created_time'],
    refs: { business: () => SCHEMAS.business },
  },
  campaign: {
    type: 'Campaign',
    defaults: ['id'],
    values: ['id', 'name', 'account_id', 'objective', 'status', 'configured_status', 'effective_status', 'created_time', 'updated_time'],
  },
  adset: {
    type: 'AdSet',
    defaults: ['id'],
    values: ['id', 'name', 'account_id', 'campaign_id', 'status', 'configured_status', 'effective_status', 'targeting', 'learning_stage_info', 'created_time', 'updated_time'],
    refs: { campaign: () => SCHEMAS.campaign },
  },
  ad: {
    type: 'Ad',
    defaults: ['id'],
    values: ['id', 'name', 'account_id', 'adset_id', 'campaign_id', 'status', 'configured_status', 'effective_status', 'created_time', 'updated_time', 'issues_info', 'ad_review_feedback'],
    refs: { creative: () => SCHEMAS.creative, adset: () => SCHEMAS.adset, campaign: () => SCHEMAS.campaign },
  },
  creative: {
    type: 'AdCreative',
    defaults: ['id'],
    values: ['id', 'name', 'account_id', 'status', 'url_tags', 'object_story_spec', 'object_story_id', 'effective_object_story_id', 'asset_feed_spec', 'call_to_action_type', 'adlabels', 'object_type', 'thumbnail_url'],
  },
  page: { type: 'Page', defaults: ['id', 'name'], values: ['id', 'name', 'access_token', 'category', 'instagram_business_account'] },
  form: {
    type: 'LeadgenForm',
    defaults: ['id', 'name', 'status', 'locale'],
    values: ['id', 'name', 'status', 'locale', 'leads_count', 'organic_leads_count', 'expired_leads_count', 'created_time', 'questions', 'page_id', 'privacy_policy_url'],
  },
  lead: {
    type: 'Lead',
    defaults: ['id', 'created_time', 'field_data'],
    values: ['id', 'created_time', 'ad_id', 'ad_name', 'adset_id', 'adset_name', 'campaign_id', 'campaign_name', 'form_id', 'field_data', 'is_organic', 'platform', 'custom_disclaimer_responses'],
  },
  pixel: { type: 'AdsPixel', defaults: ['id', 'name'], values: ['id', 'name', 'last_fired_time'] },
};

export function userView(user: User): NodeView {
  return { id: user.id, name: user.name };
}

export function accountView(account: AdAccount): NodeView {
  return {
    id: account.id,
    account_id: account.accountId,
    name: account.name,
    account_status: account.accountStatus,
    currency: account.currency,
    timezone_name: account.timezoneName,
    business: account.business,
    business_name: account.business?.name,
    amount_spent: '0',
    disable_reason: 0,
    created_time: graphTime(account.createdTime),
  };
}

export function campaignView(world: FacebookWorld, campaign: Campaign): NodeView {
  return {
    id: campaign.id,
    name: campaign.name,
    account_id: campaign.accountId.replace(/^act_/, ''),
    objective: campaign.objective,
    status: campaign.status,
    configured_status: campaign.status,
    effective_status: world.campaignEffectiveStatus(campaign),
    created_time: graphTime(campaign.createdTime),
    updated_time: graphTime(campaign.updatedTime),
  };
}

export function adsetView(world: FacebookWorld, adset: AdSet): NodeView {
  return {
    id: adset.id,
    name: adset.name,
    account_id: adset.accountId.replace(/^act_/, ''),
    campaign_id: adset.campaignId,
    status: adset.status,
    configured_status: adset.status,
    effective_status: world.adsetEffectiveStatus(adset),
    targeting: { publisher_platforms: adset.publisherPlatforms, geo_locations: { countries: ['US'] } },
    learning_stage_info: { status: 'LEARNING', conversions: 0, last_sig_edit_ts: adset.lastSigEditTime },
    created_time: graphTime(adset.createdTime),
    updated_time: graphTime(adset.updatedTime),
    campaign: () => campaignOrUndefined(world, adset.campaignId),
  };
}

export function adView(world: FacebookWorld, ad: Ad): NodeView {
  const effective = world.adEffectiveStatus(ad);
  return {
    id: ad.id,
    name: ad.name,
    account_id: ad.accountId.replace(/^act_/, ''),
    adset_id: ad.adsetId,
    campaign_id: ad.campaignId,
    status: ad.status,
    configured_status: ad.status,
    effective_status: effective,
    created_time: graphTime(ad.createdTime),
    updated_time: graphTime(ad.updatedTime),
    ad_review_feedback: effective === 'DISAPPROVED' ? { global: { LANDING_PAGE_FAIL: 'The landing page does not work.' } } : undefined,
    issues_info: effective === 'WITH_ISSUES' ? [{ level: 'AD', error_code: 1815869, error_summary: 'Ad account has issues', error_type: 'SOFT_ERROR' }] : undefined,
    creative: () => {
      const creative = world.creatives.get(ad.creativeId);
      return creative ? creativeView(world, creative) : undefined;
    },
    adset: () => {
      const adset = world.adsets.get(ad.adsetId);
      return adset ? adsetView(world, adset) : undefined;
    },
    campaign: () => campaignOrUndefined(world, ad.campaignId),
  };
}

export function creativeView(world: FacebookWorld, creative: Creative): NodeView {
  const pageId = creative.objectStorySpec?.page_id;
  return {
    id: creative.id,
    name: creative.name,
    account_id: creative.accountId.replace(/^act_/, ''),
    status: creative.status,
    url_tags: creative.urlTags,
    object_story_spec: creative.objectStorySpec,
    object_story_id: creative.objectStoryId,
    // Each creative gets its own unpublished "ad post" (§3.3 step 4).
    effective_object_story_id: creative.objectStoryId ?? (typeof pageId === 'string' ? `${pageId}_${creative.id.slice(-12)}` : undefined),
    asset_feed_spec: creative.assetFeedSpec,
    call_to_action_type: creative.callToActionType ?? callToActionOf(creative),
    adlabels: creative.adlabels,
    object_type: 'SHARE',
    thumbnail_url: `https://scontent.example/${world.seed}/${creative.id}.jpg`,
  };
}

function callToActionOf(creative: Creative): string | undefined {
  const linkData = creative.objectStorySpec?.link_data as { call_to_action?: { type?: string } } | undefined;
  return linkData?.call_to_action?.type;
}

export function pageView(page: Page, accessToken?: string): NodeView {
  return {
    id: page.id,
    name: page.name,
    category: 'Software',
    access_token: accessToken,
    instagram_business_account: { id: page.instagramUserId },
  };
}

export function formView(world: FacebookWorld, form: LeadForm): NodeView {
  const leads = [...world.leads.values()].filter((lead) => lead.formId === form.id);
  return {
    id: form.id,
    name: form.name,
    status: form.status,
    locale: form.locale,
    leads_count: leads.length,
    organic_leads_count: leads.filter((lead) => lead.isOrganic).length,
    expired_leads_count: 0,
    created_time: graphTime(form.createdTime),
    questions: form.questions,
    page_id: form.pageId,
    privacy_policy_url: `${world.landingBaseUrl}/p/privacy`,
  };
}

export function leadView(world: FacebookWorld, lead: Lead): NodeView {
  const ad = lead.adId ? world.ads.get(lead.adId) : undefined;
  return {
    id: lead.id,
    created_time: graphTime(lead.createdTime),
    ad_id: lead.adId,
    ad_name: ad?.name,
    adset_id: lead.adsetId,
    adset_name: lead.adsetId ? world.adsets.get(lead.adsetId)?.name : undefined,
    campaign_id: lead.campaignId,
    campaign_name: lead.campaignId ? world.campaigns.get(lead.campaignId)?.name : undefined,
    form_id: lead.formId,
    field_data: lead.fieldData,
    is_organic: lead.isOrganic,
    platform: lead.platform,
    custom_disclaimer_responses: [],
  };
}

export function pixelView(pixel: Pixel): NodeView {
  return { id: pixel.id, name: pixel.name };
}

function campaignOrUndefined(world: FacebookWorld, id: string): NodeView | undefined {
  const campaign = world.campaigns.get(id);
  return campaign ? campaignView(world, campaign) : undefined;
}
