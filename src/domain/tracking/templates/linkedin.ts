/**
 * LinkedIn campaign-level URL tracking parameters (TRK-8). LinkedIn appends the campaign's
 * parameters to the landing URL of every creative under it, including creatives created later,
 * without a new review. Because one list serves all creatives of the campaign, `hsa_ad` must be a
 * dynamic token LinkedIn replaces with the creative id at serve time; the LinkedIn client owns the
 * token's syntax and passes it in.
 *
 * Values are kept unencoded (`Q2 Webinar`): they are key/value fields, not a query string.
 * unconfirmed: that LinkedIn encodes parameter values itself when it builds the served URL.
 */
import type { CustomParameter } from '../../../networks/types';
import { plainAccountId, plainObjectId } from '../ids';
import type { TemplateOverride } from '../types';
import { oursNowDoubled, withoutOwnKeys } from '../campaign-keys';
import { resolveUtmDefaults } from './override';

export const LINKEDIN_UTM_DEFAULTS = { utmSource: 'linkedin', utmMedium: 'paid' } as const;

export interface LinkedInTemplateInput {
  accountId: string;
  campaignGroupId: string;
  campaignId: string;
  /** The LinkedIn campaign's current name. */
  campaignName: string;
  /** Dynamic token for the creative id, e.g. what the client documents for CREATIVE_ID. */
  creativeToken: string;
  override?: TemplateOverride | undefined;
}

/** The parameters of TRK-8, in the documented order. */
export function linkedInTemplateParams(input: LinkedInTemplateInput): CustomParameter[] {
  const utm = resolveUtmDefaults(LINKEDIN_UTM_DEFAULTS, input.override);
  return [
    { key: 'utm_source', value: utm.utmSource },
    { key: 'utm_medium', value: utm.utmMedium },
    { key: 'utm_campaign', value: input.campaignName.trim() },
    { key: 'hsa_net', value: 'linkedin' },
    { key: 'hsa_ver', value: '3' },
    { key: 'hsa_acc', value: plainAccountId(input.accountId) },
    { key: 'hsa_cam', value: plainObjectId(input.campaignGroupId) },
    { key: 'hsa_grp', value: plainObjectId(input.campaignId) },
    { key: 'hsa_ad', value: input.creativeToken },
  ];
}

export interface LinkedInMerge {
  /** The advertiser's parameters untouched and in order, then the missing template ones. */
  urlParameters: CustomParameter[];
  added: CustomParameter[];
  /** Ours that an ad of the campaign now sets itself, taken off again (issue 15 item 1). */
  removed: CustomParameter[];
  /** Template keys left out because an ad of the campaign sets them in its own landing URL. */
  leftOut: string[];
}

/**
 * Appends the template parameters whose key the campaign does not have yet; never overwrites.
 * LinkedIn appends the campaign's parameters to every creative's landing URL, so keys a creative's
 * own URL sets (`adOwnKeys`) are left out, and ours already there with such a key are removed.
 */
export function mergeLinkedInUrlParameters(
  existing: readonly CustomParameter[],
  template: readonly CustomParameter[],
  adOwnKeys: ReadonlySet<string> = new Set(),
): LinkedInMerge {
  const same = (a: CustomParameter, b: CustomParameter) => a.key === b.key && a.value === b.value;
  const removed = oursNowDoubled(existing, template, adOwnKeys, same, (parameter) => parameter.key);
  const kept = existing.filter((parameter) => !removed.includes(parameter));
  const present = new Set(kept.map((parameter) => parameter.key));
  const added = withoutOwnKeys(template, adOwnKeys).filter((parameter) => !present.has(parameter.key));
  const leftOut = template.map((parameter) => parameter.key).filter((key) => adOwnKeys.has(key) && !present.has(key));
  return { urlParameters: [...kept, ...added], added, removed, leftOut };
}
