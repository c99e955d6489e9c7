import type { CustomParameter } from '../types';

/**
 * Campaign-level URL tracking parameters (LinkedIn "Dynamic UTM Tracking", reference §2.7).
 *
 * unconfirmed: LinkedIn documents that parameters set on a campaign are appended to the landing
 * URL of every creative under it and that values may be dynamic tokens (`campaign=CAMPAIGN_ID`),
 * but we could not confirm the campaign field's name/shape or the token list. This adapter is the
 * ONLY place the client knows them; fix it here (and in the emulator's url-tracking module).
 *
 * Assumed wire shape on adCampaigns (read from GET, written by PARTIAL_UPDATE `$set`):
 *   "trackingParameters": [ { "key": "utm_source", "value": { "customValue": "linkedin" } },
 *                            { "key": "hsa_ad", "value": { "dynamicValue": "CREATIVE_ID" } } ]
 *
 * In `CustomParameter` a value that is exactly a token name (e.g. "CREATIVE_ID") means the
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
] as const;
export type LinkedInDynamicToken = (typeof LINKEDIN_DYNAMIC_TOKENS)[number];

/** The token LinkedIn replaces with the creative id at serve time (hsa_ad, TRK-8). */
export const LINKEDIN_CREATIVE_ID_TOKEN: LinkedInDynamicToken = 'CREATIVE_ID';

interface WireParameter {
  key: string;
  value: { dynamicValue: string } | { customValue: string };
}

const isToken = (value: string): value is LinkedInDynamicToken => (LINKEDIN_DYNAMIC_TOKENS as readonly string[]).includes(value);

export const campaignUrlParametersAdapter = {
  /** The campaign field that holds the parameters. */
  field: 'trackingParameters',

  /** Campaign JSON → parameters in order (empty when the campaign has none). */
  read(campaign: Record<string, unknown>): CustomParameter[] {
    const raw = campaign[this.field];
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((item: unknown) => {
      const { key, value } = (item ?? {}) as { key?: unknown; value?: { dynamicValue?: unknown; customValue?: unknown } };
      if (typeof key !== 'string') return [];
      const v = typeof value?.dynamicValue === 'string' ? value.dynamicValue : typeof value?.customValue === 'string' ? value.customValue : undefined;
      return v === undefined ? [] : [{ key, value: v }];
    });
  },

  /** Parameters → the PARTIAL_UPDATE `$set` patch that replaces the whole list. */
  patch(parameters: CustomParameter[]): { patch: { $set: Record<string, WireParameter[]> } } {
    const wire = parameters.map((p): WireParameter => ({ key: p.key, value: isToken(p.value) ? { dynamicValue: p.value } : { customValue: p.value } }));
    return { patch: { $set: { [this.field]: wire } } };
  },
};
