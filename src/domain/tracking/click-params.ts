/**
 * The tracking parameters seen on a landing URL, and the ones a click on a given ad must carry.
 * Attribution (ATT-1) uses these to recognise which ad a visit came from.
 */
import type { AdRecord, Network } from '../../networks/types';
import { plainAccountId, plainObjectId } from './ids';
import { parseQuery, queryOfUrl } from './query-string';

export type TrackingParams = Record<string, string>;

const TRACKING_KEY = /^(utm|hsa)_/;
/** Macros the network failed to replace ({{ad.id}}, {keyword}, {_utmcampaign}) carry no information. */
const UNREPLACED_MACRO = /\{\{[^{}]*\}\}|^\{[^{}]*\}$/;

/**
 * utm_* and hsa_* parameters of a URL (or of a bare query string), decoded. The first occurrence of
 * a key wins: the landing URL's own query comes before anything a network appends, so an advertiser's
 * own UTM keeps precedence over a duplicate added at campaign level. Empty values and unreplaced
 * macros are treated as missing.
 */
export function parseTrackingParams(urlOrQuery: string): TrackingParams {
  const query = urlOrQuery.includes('?') || urlOrQuery.includes('#') ? queryOfUrl(urlOrQuery) : urlOrQuery;
  const found = new Map<string, string>();
  for (const { key, value } of parseQuery(query)) {
    const name = key.toLowerCase();
    if (!TRACKING_KEY.test(name) || found.has(name)) continue;
    const trimmed = value.trim();
    if (trimmed === '' || UNREPLACED_MACRO.test(trimmed)) continue;
    found.set(name, trimmed);
  }
  return Object.fromEntries(found);
}

/** Channels whose clicks carry no ad group / ad ids (Smart: no ad-group or ad reporting, TRK-6). */
const GOOGLE_CHANNELS_WITHOUT_AD_IDS = new Set(['SMART', 'PERFORMANCE_MAX']);

/**
 * The parameters every correctly tagged click on the ad carries, with their values: the hsa_*
 * identity of the ad (network, account, campaign, ad group, ad, version, and hsa_la on Facebook lead
 * ads). utm_* are left out on purpose: the advertiser's own UTMs win over ours (TRK-2/5), and
 * utm_campaign keeps the name from tagging time after a rename (TRK-10).
 */
export function expectedParams(ad: AdRecord): TrackingParams {
  const tracking = ad.tracking;
  const ids = {
    hsa_acc: plainAccountId(ad.accountId),
    hsa_cam: plainObjectId(ad.campaign.id),
    hsa_grp: plainObjectId(ad.adGroup.id),
    hsa_ad: plainObjectId(ad.adId),
  };
  switch (tracking.network) {
    case 'facebook':
      return { hsa_net: 'facebook', ...ids, hsa_ver: '3', ...(tracking.isLeadAd ? { hsa_la: 'true' } : {}) };
    case 'google': {
      const params: TrackingParams = { hsa_net: 'adwords', ...ids, hsa_ver: '3' };
      if (GOOGLE_CHANNELS_WITHOUT_AD_IDS.has(tracking.channelType.toUpperCase())) {
        delete params.hsa_grp;
        delete params.hsa_ad;
      }
      return params;
    }
    case 'linkedin':
      // LinkedIn: campaign group → hsa_cam, campaign → hsa_grp, creative → hsa_ad.
      return {
        hsa_net: 'linkedin',
        ...ids,
        hsa_cam: plainObjectId(tracking.campaignGroupId),
        hsa_grp: plainObjectId(ad.campaign.id),
        hsa_ver: '3',
      };
  }
}

const NETWORK_BY_HSA_NET: Record<string, Network> = { facebook: 'facebook', adwords: 'google', linkedin: 'linkedin' };

function normalise(key: string, value: string): string {
  if (key === 'hsa_acc') return plainAccountId(value);
  if (key === 'hsa_cam' || key === 'hsa_grp' || key === 'hsa_ad') return plainObjectId(value);
  return value.toLowerCase();
}

/** True when the click's parameters carry every expected parameter of the ad. */
export function clickMatchesAd(params: TrackingParams, ad: AdRecord): boolean {
  return Object.entries(expectedParams(ad)).every(([key, value]) => {
    const seen = params[key];
    return seen !== undefined && normalise(key, seen) === normalise(key, value);
  });
}

export interface ClickIdentity {
  network: Network;
  accountId?: string;
  /** LinkedIn only: the campaign group (hsa_cam). */
  campaignGroupId?: string;
  /** The AdRecord `campaign.id` (on LinkedIn the campaign, hsa_grp). */
  campaignId?: string;
  adGroupId?: string;
  adId?: string;
}

/** Which network object a tagged click points at, from its hsa_* parameters; null when untagged. */
export function identifyClick(params: TrackingParams): ClickIdentity | null {
  const network = params.hsa_net === undefined ? undefined : NETWORK_BY_HSA_NET[params.hsa_net.toLowerCase()];
  if (network === undefined) return null;
  const identity: ClickIdentity = { network };
  if (params.hsa_acc !== undefined) identity.accountId = plainAccountId(params.hsa_acc);
  const { hsa_cam: top, hsa_grp: group } = params;
  if (network === 'linkedin') {
    // LinkedIn has no ad-group level: hsa_cam is the campaign group, hsa_grp the campaign (TRK-8).
    if (top !== undefined) identity.campaignGroupId = plainObjectId(top);
    if (group !== undefined) identity.campaignId = identity.adGroupId = plainObjectId(group);
  } else {
    if (top !== undefined) identity.campaignId = plainObjectId(top);
    if (group !== undefined) identity.adGroupId = plainObjectId(group);
  }
  if (params.hsa_ad !== undefined) identity.adId = plainObjectId(params.hsa_ad);
  return identity;
}
