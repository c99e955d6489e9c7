import type { AdRecord, DeliveryStatus, FacebookAdTracking } from '../types';

/** The creative fields read for tracking, and copied when a new creative replaces it (§3.3 step 1). */
export const CREATIVE_FIELDS = 'id,name,url_tags,object_story_spec,object_story_id,asset_feed_spec,call_to_action_type';
export const AD_FIELDS = `id,name,status,effective_status,updated_time,campaign{id,name},adset{id,name,targeting},creative{${CREATIVE_FIELDS}}`;

/** `effective_status` values auto-tracking touches: active or pending review (TRK-1). */
export const DELIVERABLE_STATUSES = ['ACTIVE', 'PENDING_REVIEW', 'IN_PROCESS'];
/** Every ad `effective_status` (§2.4); the edge's default without a filter is unconfirmed, so always pass one. */
export const ALL_AD_STATUSES = [
  'ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'PENDING_REVIEW', 'DISAPPROVED', 'PREAPPROVED',
  'PENDING_BILLING_INFO', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'IN_PROCESS', 'WITH_ISSUES',
];

interface CallToAction {
  type?: string;
  value?: { link?: string; lead_gen_form_id?: string | number; app_destination?: string };
}

interface LinkData {
  link?: string;
  call_to_action?: CallToAction;
  child_attachments?: { link?: string }[];
}

export interface GraphCreative {
  id: string;
  name?: string;
  url_tags?: string;
  object_story_spec?: {
    page_id?: string;
    link_data?: LinkData;
    video_data?: { call_to_action?: CallToAction };
    template_data?: unknown;
    photo_data?: unknown;
    [key: string]: unknown;
  };
  object_story_id?: string;
  asset_feed_spec?: {
    ad_formats?: string[];
    link_urls?: { website_url?: string }[];
    asset_customization_rules?: unknown[];
    [key: string]: unknown;
  };
  call_to_action_type?: string;
}

export interface GraphAd {
  id: string;
  name?: string;
  status?: string;
  effective_status?: string;
  updated_time?: string;
  campaign?: { id: string; name?: string };
  adset?: { id: string; name?: string; targeting?: { publisher_platforms?: string[] } };
  creative?: GraphCreative;
}

// Facebook-owned placeholders a creative may carry instead of an advertiser URL.
const PLACEHOLDER_LINK = /^https?:\/\/(fb\.me|(www\.)?fb\.com\/messenger_doc|m\.me)(\/|$)/i;

function isMessenger(cta: CallToAction | undefined, link: string | undefined): boolean {
  return cta?.value?.app_destination === 'MESSENGER' || cta?.type === 'MESSAGE_PAGE' || /fb\.com\/messenger_doc/i.test(link ?? '');
}

/** link | lead | messenger | carousel | carousel_pac | post | video | other */
export function creativeFormat(creative: GraphCreative): string {
  const spec = creative.object_story_spec;
  const feed = creative.asset_feed_spec;
  const linkData = spec?.link_data;
  const cta = linkData?.call_to_action ?? spec?.video_data?.call_to_action;
  if (feed) {
    // Placement Asset Customization: per-placement rules in asset_feed_spec (TRK-3).
    const isCarousel = (feed.ad_formats ?? []).some((format) => format.toUpperCase().includes('CAROUSEL'));
    if (isCarousel && (feed.asset_customization_rules?.length ?? 0) > 0) return 'carousel_pac';
  }
  if (cta?.value?.lead_gen_form_id !== undefined) return 'lead';
  if (isMessenger(cta, linkData?.link)) return 'messenger';
  if (linkData?.child_attachments?.length) return 'carousel';
  if (linkData) return 'link';
  if (spec?.video_data) return 'video';
  if (feed) return 'other';
  if (!spec && creative.object_story_id) return 'post';
  return 'other';
}

/** The advertiser's destination URL (before Meta appends url_tags), or null when there is none. */
export function landingUrlOf(creative: GraphCreative): string | null {
  const spec = creative.object_story_spec;
  const linkData = spec?.link_data;
  const cta = linkData?.call_to_action ?? spec?.video_data?.call_to_action;
  const candidate =
    creativeFormat(creative) === 'messenger' ? undefined
    : (creative.asset_feed_spec?.link_urls?.[0]?.website_url ?? linkData?.child_attachments?.[0]?.link ?? linkData?.link ?? cta?.value?.link);
  return candidate && !PLACEHOLDER_LINK.test(candidate) ? candidate : null;
}

export function normaliseStatus(effectiveStatus: string): DeliveryStatus {
  switch (effectiveStatus) {
    case 'ACTIVE':
      return 'active';
    case 'PENDING_REVIEW':
    case 'IN_PROCESS':
    case 'PREAPPROVED':
      return 'pending_review';
    case 'PAUSED':
    case 'CAMPAIGN_PAUSED':
    case 'ADSET_PAUSED':
      return 'paused';
    case 'DISAPPROVED':
      return 'disapproved';
    case 'ARCHIVED':
      return 'archived';
    case 'DELETED':
      return 'deleted';
    default:
      return 'other';
  }
}

/** `2026-03-14T09:30:00+0000` → ISO-8601 with `Z`. */
export function isoFromGraphTime(value: string | undefined): string {
  if (!value) return new Date(0).toISOString();
  const parsed = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(parsed.getTime()) ? new Date(0).toISOString() : parsed.toISOString();
}

export function actAccountId(accountId: string): string {
  return accountId.startsWith('act_') ? accountId : `act_${accountId}`;
}

export function toAdRecord(accountId: string, ad: GraphAd, engagements: number): AdRecord {
  const creative = ad.creative ?? { id: '' };
  const format = creativeFormat(creative);
  const rawStatus = ad.effective_status ?? ad.status ?? 'UNKNOWN';
  const tracking: FacebookAdTracking = {
    network: 'facebook',
    creativeId: creative.id,
    urlTags: creative.url_tags ?? '',
    format,
    isLeadAd: format === 'lead',
    engagements,
    ...(ad.adset?.targeting?.publisher_platforms?.length ? { placements: ad.adset.targeting.publisher_platforms } : {}),
  };
  return {
    network: 'facebook',
    accountId: actAccountId(accountId),
    adId: ad.id,
    name: ad.name ?? '',
    status: normaliseStatus(rawStatus),
    rawStatus,
    updatedTime: isoFromGraphTime(ad.updated_time),
    campaign: { id: ad.campaign?.id ?? '', name: ad.campaign?.name ?? '' },
    adGroup: { id: ad.adset?.id ?? '', name: ad.adset?.name ?? '' },
    landingUrl: landingUrlOf(creative),
    tracking,
  };
}
