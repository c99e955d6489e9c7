/**
 * Google Ads campaign-level tracking template (TRK-5) and the documented account-level template
 * (TRK-7). Campaign URL fields change without sending ads back to review, hence campaign level.
 *
 * Google resolves `{_utmcampaign}` from the campaign's custom parameter `utmcampaign` (the API key
 * has no underscore). The template is written once per campaign and merged with what the advertiser
 * already has; the custom parameter list is replaced wholesale by the API, so the full merged list is
 * returned.
 */
import type { CustomParameter } from '../../../networks/types';
import { plainAccountId } from '../ids';
import { decodeComponent, mergeMissing, parseQuery, percentEncode, queryKeys, serialiseQuery, toQueryParam } from '../query-string';
import type { QueryParam } from '../query-string';
import type { TemplateOverride, TemplateParam } from '../types';
import { oursNowDoubled, withoutOwnKeys } from '../campaign-keys';
import { resolveUtmDefaults } from './override';

export const GOOGLE_UTM_DEFAULTS = { utmSource: 'adwords', utmMedium: 'ppc' } as const;
export const LPURL_TAG = '{lpurl}';
/** Custom parameter holding the campaign name; templates reference it as `{_utmcampaign}`. */
export const GOOGLE_CAMPAIGN_NAME_PARAMETER = 'utmcampaign';
export const GOOGLE_CAMPAIGN_NAME_REFERENCE = `{_${GOOGLE_CAMPAIGN_NAME_PARAMETER}}`;

/** Custom parameter limits (Ads Scripts docs; API-side numbers unconfirmed, see reference §3.4). */
export const GOOGLE_CUSTOM_PARAMETER_LIMITS = { maxPerEntity: 8, maxKeyBytes: 16, maxValueBytes: 200 } as const;

/**
 * TRK-7, verbatim: the template users may set by hand at account level (with auto-tagging on).
 * `{customer id}` is a placeholder, not a ValueTrack tag (there is none for the customer id):
 * use `googleAccountLevelTemplate(customerId)` for the ready-to-paste text.
 */
export const GOOGLE_ACCOUNT_LEVEL_TEMPLATE =
  '{lpurl}?utm_feeditemid={feeditemid}&utm_device={device}&utm_term={keyword}&utm_source=google&utm_medium=ppc' +
  '&utm_campaign={_utmcampaign}&hsa_cam={campaignid}&hsa_grp={adgroupid}&hsa_mt={matchtype}&hsa_src={network}' +
  '&hsa_ad={creative}&hsa_acc={customer id}&hsa_net=adwords&hsa_kw={keyword}&hsa_tgt={targetid}&hsa_ver=3';

export function googleAccountLevelTemplate(customerId: string): string {
  return GOOGLE_ACCOUNT_LEVEL_TEMPLATE.replace('{customer id}', plainAccountId(customerId));
}

/**
 * The custom parameter value for a campaign name. Values may not contain whitespace and are
 * substituted into the URL as they are, so the name is percent-encoded ("Brand - Search" →
 * "Brand%20-%20Search", which a landing page decodes back) and cut to 200 bytes on a whole
 * character. An empty name yields ''.
 * unconfirmed: that Google substitutes custom parameter values without encoding them again.
 */
export function googleCampaignNameValue(campaignName: string): string {
  let value = '';
  for (const character of campaignName.trim()) {
    const encoded = percentEncode(character);
    if (value.length + encoded.length > GOOGLE_CUSTOM_PARAMETER_LIMITS.maxValueBytes) break;
    value += encoded;
  }
  return value;
}

export interface GoogleTemplateInput {
  customerId: string;
  override?: TemplateOverride | undefined;
}

/** The parameters of TRK-5, in the documented order. ValueTrack tags stay as tags. */
export function googleTemplateParams(input: GoogleTemplateInput): TemplateParam[] {
  const utm = resolveUtmDefaults(GOOGLE_UTM_DEFAULTS, input.override);
  const tag = (key: string, value: string): TemplateParam => ({ key, value, kind: 'macro' });
  const literal = (key: string, value: string): TemplateParam => ({ key, value, kind: 'literal' });
  return [
    tag('utm_term', '{keyword}'),
    literal('utm_source', utm.utmSource),
    literal('utm_medium', utm.utmMedium),
    tag('utm_campaign', GOOGLE_CAMPAIGN_NAME_REFERENCE),
    tag('hsa_cam', '{campaignid}'),
    tag('hsa_grp', '{adgroupid}'),
    tag('hsa_mt', '{matchtype}'),
    tag('hsa_src', '{network}'),
    tag('hsa_ad', '{creative}'),
    literal('hsa_acc', plainAccountId(input.customerId)),
    literal('hsa_net', 'adwords'),
    tag('hsa_kw', '{keyword}'),
    tag('hsa_tgt', '{targetid}'),
    literal('hsa_ver', '3'),
  ];
}

function serialiseTemplate(params: readonly QueryParam[]): string {
  return params.length === 0 ? LPURL_TAG : `${LPURL_TAG}?${serialiseQuery(params)}`;
}

/** The campaign template for a campaign that has none (and no account template to keep). */
export function buildGoogleTrackingTemplate(input: GoogleTemplateInput): string {
  return serialiseTemplate(googleTemplateParams(input).map((param) => toQueryParam(param, percentEncode)));
}

/**
 * The parameters of a template that starts with {lpurl} ('' counts, with none); null when the
 * template cannot be merged into (it does not start with {lpurl}, or {lpurl} is followed by
 * something other than a query).
 */
export function lpurlTemplateParams(template: string): QueryParam[] | null {
  const trimmed = template.trim();
  if (trimmed === '') return [];
  if (!trimmed.startsWith(LPURL_TAG)) return null;
  const rest = trimmed.slice(LPURL_TAG.length);
  if (rest === '') return [];
  return rest.startsWith('?') ? parseQuery(rest.slice(1)) : null;
}

export interface GoogleCampaignState {
  customerId: string;
  campaignName: string;
  campaignTrackingUrlTemplate: string;
  customerTrackingUrlTemplate: string;
  campaignFinalUrlSuffix: string;
  campaignCustomParameters: readonly CustomParameter[];
  override?: TemplateOverride | undefined;
  /** Keys any ad of the campaign sets in its own final URL (campaign-keys.ts). */
  adOwnKeys?: ReadonlySet<string>;
}

export type GoogleCampaignMerge =
  | {
      ok: true;
      /** False when everything is already in place: no write. */
      changed: boolean;
      trackingUrlTemplate: string;
      urlCustomParameters: CustomParameter[];
      /** Added parameters by key (decoded); the custom parameter as `_utmcampaign`. */
      added: Record<string, string>;
      /** Keys the template leaves out because an ad of the campaign sets them in its own final URL. */
      leftOut: string[];
    }
  | { ok: false; template: string };

/**
 * Merges the TRK-5 template into what reaches the campaign's clicks today and never overwrites a
 * key the advertiser set:
 * - a non-empty campaign template must start with {lpurl}; its pairs are kept as written and the
 *   missing ones appended;
 * - with no campaign template, the account template is what applies today, so its pairs are carried
 *   into the campaign template (a campaign template replaces the account one entirely). An account
 *   template that does not start with {lpurl} (a third-party click tracker) cannot be merged and is
 *   left to be overridden at campaign level;
 * - keys in the campaign's final URL suffix already reach the landing page and are not added again;
 * - keys an ad of the campaign sets in its own final URL are left out (and reported in `leftOut`),
 *   since the one template serves every ad of the campaign (issue 15 item 1, campaign-keys.ts);
 * - `utm_campaign={_utmcampaign}` plus the `utmcampaign` custom parameter (campaign name) when
 *   missing. With 8 custom parameters already taken, the name is written into the template literally
 *   instead, so the campaign still gets a utm_campaign.
 */
export function mergeGoogleCampaignTracking(state: GoogleCampaignState): GoogleCampaignMerge {
  const campaignTemplate = state.campaignTrackingUrlTemplate.trim();
  const campaignParams = lpurlTemplateParams(campaignTemplate);
  if (campaignParams === null) return { ok: false, template: campaignTemplate };
  const accountParams = lpurlTemplateParams(state.customerTrackingUrlTemplate) ?? [];
  const copying = campaignTemplate === '';
  const inherited = copying ? accountParams : campaignParams;
  const adKeys = state.adOwnKeys ?? new Set<string>();

  const customParameters = [...state.campaignCustomParameters];
  const hasNameParameter = customParameters.some((parameter) => parameter.key === GOOGLE_CAMPAIGN_NAME_PARAMETER);
  const roomForParameter = customParameters.length < GOOGLE_CUSTOM_PARAMETER_LIMITS.maxPerEntity;
  const template = googleTemplateParams(state).map((param): TemplateParam => {
    if (param.key !== 'utm_campaign' || hasNameParameter || roomForParameter) return param;
    return { key: 'utm_campaign', value: state.campaignName.trim(), kind: 'literal' };
  });
  const ours = template.map((param) => toQueryParam(param, percentEncode));

  // Issue 15 item 1: the campaign template we write must not double a key an ad sets itself. An
  // account template copied into it becomes ours to write; pairs an earlier sweep copied or added
  // are recognised by their exact text, so the advertiser's own campaign pairs are never removed.
  const dropped = copying
    ? inherited.filter((param) => adKeys.has(param.key))
    : oursNowDoubled(inherited, [...ours, ...accountParams], adKeys, (a, b) => a.raw === b.raw, (param) => param.key);
  const base = inherited.filter((param) => !dropped.includes(param));
  const suffixKeys = queryKeys(parseQuery(state.campaignFinalUrlSuffix));
  const { merged, added } = mergeMissing(base, withoutOwnKeys(ours, adKeys), suffixKeys);
  const addedRecord: Record<string, string> = Object.fromEntries(added.map((param) => [param.key, param.value]));
  const present = new Set([...queryKeys(merged), ...suffixKeys]);
  const leftOut = [...new Set([...ours, ...dropped].map((param) => param.key))].filter((key) => adKeys.has(key) && !present.has(key));
  const templateChanged = added.length > 0 || dropped.length > 0;

  const referencesName = merged.some((param) => param.raw.includes(GOOGLE_CAMPAIGN_NAME_REFERENCE));
  let parameterAdded = false;
  if (referencesName && !hasNameParameter && roomForParameter) {
    const value = googleCampaignNameValue(state.campaignName);
    customParameters.push({ key: GOOGLE_CAMPAIGN_NAME_PARAMETER, value });
    addedRecord[`_${GOOGLE_CAMPAIGN_NAME_PARAMETER}`] = decodeComponent(value);
    parameterAdded = true;
  }

  return {
    ok: true,
    changed: templateChanged || parameterAdded,
    // Unchanged pairs → keep the campaign's own text (an empty one keeps the account template in force).
    trackingUrlTemplate: templateChanged ? serialiseTemplate(merged) : state.campaignTrackingUrlTemplate,
    urlCustomParameters: customParameters,
    added: addedRecord,
    leftOut,
  };
}
