/**
 * Facebook url_tags (TRK-2). url_tags is a query string Meta appends to the ad's off-Facebook links
 * on paid impressions. Names and ids are written as literals, not as {{campaign.name}}-style macros,
 * so the value is fixed at tagging time and a later rename does not change it (TRK-10); only the
 * site source is left to Meta, as `{{site_source_name}}` (facebook / instagram / ...).
 *
 * Lead ads: they get tags too, with `hsa_la=true` (the instant form's website link carries them).
 * `hsa_ol` is never written: url_tags only reach clicks from paid impressions, so a URL built from
 * them cannot come from an organic lead. Whether a lead is organic is known from the synced lead
 * itself (LEAD-3), and lead-ad contacts are attributed directly (ATT-3); `hsa_ol` stays absent,
 * which TRK-2 allows ("false or absent otherwise").
 */
import { plainAccountId, plainObjectId } from '../ids';
import { formEncode, mergeMissing, parseQuery, queryKeys, queryOfUrl, serialiseQuery, toQueryParam } from '../query-string';
import type { QueryParam } from '../query-string';
import type { TemplateOverride, TemplateParam } from '../types';
import { resolveUtmDefaults } from './override';

export const FACEBOOK_SITE_SOURCE_MACRO = '{{site_source_name}}';
export const FACEBOOK_UTM_DEFAULTS = { utmSource: 'facebook', utmMedium: 'paid' } as const;

export interface FacebookTemplateInput {
  /** `act_123` or `123`; written without `act_`. */
  accountId: string;
  campaignId: string;
  /** The campaign's current name. */
  campaignName: string;
  adSetId: string;
  adId: string;
  isLeadAd: boolean;
  override?: TemplateOverride | undefined;
}

/** The parameters of TRK-2, in the documented order. */
export function facebookTemplateParams(input: FacebookTemplateInput): TemplateParam[] {
  const utm = resolveUtmDefaults(FACEBOOK_UTM_DEFAULTS, input.override);
  const literal = (key: string, value: string): TemplateParam => ({ key, value, kind: 'literal' });
  const params: TemplateParam[] = [
    literal('utm_source', utm.utmSource),
    literal('utm_medium', utm.utmMedium),
    literal('utm_campaign', input.campaignName),
    literal('hsa_acc', plainAccountId(input.accountId)),
    literal('hsa_cam', plainObjectId(input.campaignId)),
    literal('hsa_grp', plainObjectId(input.adSetId)),
    literal('hsa_ad', plainObjectId(input.adId)),
    literal('hsa_net', 'facebook'),
    { key: 'hsa_src', value: FACEBOOK_SITE_SOURCE_MACRO, kind: 'macro' },
    literal('hsa_ver', '3'),
  ];
  if (input.isLeadAd) params.push(literal('hsa_la', 'true'));
  return params;
}

/** Form-encoded pairs as url_tags expects them (`Spring+Sale`, macros verbatim). */
export function facebookTemplatePairs(input: FacebookTemplateInput): QueryParam[] {
  return facebookTemplateParams(input).map((param) => toQueryParam(param, formEncode));
}

/** url_tags for an ad that has none yet. */
export function buildFacebookUrlTags(input: FacebookTemplateInput): string {
  return serialiseQuery(facebookTemplatePairs(input));
}

export interface FacebookMerge {
  urlTags: string;
  added: QueryParam[];
}

/**
 * Keeps the creative's url_tags as they are and appends the missing template parameters. Keys the
 * advertiser put in the link itself count as set too: adding them again in url_tags would give the
 * URL two values for one key.
 */
export function mergeFacebookUrlTags(existingUrlTags: string, landingUrl: string | null, template: readonly QueryParam[]): FacebookMerge {
  const inLink = queryKeys(parseQuery(queryOfUrl(landingUrl ?? '')));
  const { merged, added } = mergeMissing(parseQuery(existingUrlTags), template, inLink);
  return { urlTags: added.length === 0 ? existingUrlTags : serialiseQuery(merged), added };
}
