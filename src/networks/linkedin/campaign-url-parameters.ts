import { isNetworkError } from '../errors';
import type { CustomParameter } from '../types';
import type { RestliTransport } from './http';
import { encodeRestli, urns } from './restli';

/**
 * Campaign URL tracking parameters — LinkedIn "Dynamic UTM Tracking", its own Rest.li resource
 * (facts and sources: docs/linkedin-tracking-parameters.md):
 *   GET | PUT | DELETE /rest/adTrackingParameters/(adEntity:(sponsoredCampaign:<encoded urn>))
 *   { "adEntity": { "sponsoredCampaign": "<urn>" },
 *     "dynamicValueParameters": { "hsa_ad": "CREATIVE_ID" },
 *     "customValueParameters": { "utm_source": "linkedin" } }
 *
 * In `CustomParameter` a value that is exactly a token name (e.g. "CREATIVE_ID") stands for the
 * dynamic token; anything else is a literal value.
 */
export const LINKEDIN_DYNAMIC_TOKENS = [
  'ACCOUNT_ID',
  'ACCOUNT_NAME',
  'CAMPAIGN_GROUP_ID',
  'CAMPAIGN_GROUP_NAME',
  'CAMPAIGN_ID',
  'CAMPAIGN_NAME',
  'CREATIVE_ID',
  'CREATIVE_NAME',
] as const;
export type LinkedInDynamicToken = (typeof LINKEDIN_DYNAMIC_TOKENS)[number];

/** The token LinkedIn replaces with the creative id at serve time (hsa_ad, TRK-8). */
export const LINKEDIN_CREATIVE_ID_TOKEN: LinkedInDynamicToken = 'CREATIVE_ID';

export interface AdTrackingParametersWire {
  adEntity: { sponsoredCampaign: string };
  dynamicValueParameters?: Record<string, string>;
  customValueParameters?: Record<string, string>;
}

const isToken = (value: string): value is LinkedInDynamicToken => (LINKEDIN_DYNAMIC_TOKENS as readonly string[]).includes(value);

export const campaignUrlParametersAdapter = {
  /** The resource path of one campaign's parameters (the URN percent-encoded inside the key). */
  path(campaignId: string): string {
    return `/adTrackingParameters/(adEntity:(sponsoredCampaign:${encodeRestli(urns.campaign(campaignId))}))`;
  },

  /** Resource JSON → parameters (literal ones first, each map in its own order). */
  read(resource: Partial<AdTrackingParametersWire> | undefined): CustomParameter[] {
    const pairs = (map: unknown) =>
      typeof map === 'object' && map !== null ? Object.entries(map).filter((e): e is [string, string] => typeof e[1] === 'string').map(([key, value]) => ({ key, value })) : [];
    return [...pairs(resource?.customValueParameters), ...pairs(resource?.dynamicValueParameters)];
  },

  /** Parameters → the PUT body that replaces the campaign's whole set. */
  body(campaignId: string, parameters: CustomParameter[]): AdTrackingParametersWire {
    const dynamicValueParameters: Record<string, string> = {};
    const customValueParameters: Record<string, string> = {};
    for (const p of parameters) (isToken(p.value) ? dynamicValueParameters : customValueParameters)[p.key] = p.value;
    return { adEntity: { sponsoredCampaign: urns.campaign(campaignId) }, dynamicValueParameters, customValueParameters };
  },
};

/** One campaign's parameters; a campaign that has none answers 404. */
export async function readCampaignUrlParameters(api: RestliTransport, accessToken: string, campaignId: string): Promise<CustomParameter[]> {
  try {
    return campaignUrlParametersAdapter.read(await api.get<AdTrackingParametersWire>(accessToken, campaignUrlParametersAdapter.path(campaignId)));
  } catch (error) {
    if (isNetworkError(error) && error.kind === 'not_found') return [];
    throw error;
  }
}

/** Replaces the whole set with one PUT (idempotent: the same PUT twice leaves the same state). */
export async function writeCampaignUrlParameters(api: RestliTransport, accessToken: string, campaignId: string, parameters: CustomParameter[]): Promise<void> {
  await api.send(accessToken, 'PUT', campaignUrlParametersAdapter.path(campaignId), campaignUrlParametersAdapter.body(campaignId, parameters));
}
