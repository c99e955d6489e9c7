/**
 * Campaign-level "URL tracking parameters" (Dynamic UTM Tracking, reference §2.7).
 *
 * unconfirmed: LinkedIn documents the feature (parameters set on a campaign are appended to the
 * landing URL of every creative under it; values may be dynamic tokens such as CAMPAIGN_ID) but we
 * could not confirm the campaign field's name and shape, the list of tokens, the limits, or exactly
 * how the parameters are glued onto a URL. Every one of those choices lives in this module, and in
 * the client's `campaign-url-parameters.ts`, so correcting them is a one-file change on each side.
 *
 * Chosen wire shape (on the adCampaigns entity, writable by PARTIAL_UPDATE `$set`):
 *   "trackingParameters": [
 *     { "key": "utm_source", "value": { "customValue": "linkedin" } },
 *     { "key": "hsa_ad",     "value": { "dynamicValue": "CREATIVE_ID" } } ]
 */

export const TRACKING_PARAMETERS_FIELD = 'trackingParameters';

/** unconfirmed: token names; the docs' only example is `campaign=CAMPAIGN_ID`. */
export const DYNAMIC_TOKENS = [
  'ACCOUNT_ID',
  'ACCOUNT_NAME',
  'CAMPAIGN_GROUP_ID',
  'CAMPAIGN_GROUP_NAME',
  'CAMPAIGN_ID',
  'CAMPAIGN_NAME',
  'CREATIVE_ID',
] as const;
export type DynamicToken = (typeof DYNAMIC_TOKENS)[number];

/** unconfirmed: limits. */
export const TRACKING_LIMITS = { maxParameters: 30, maxKeyLength: 100, maxValueLength: 500 };

export interface TrackingParameter {
  key: string;
  value: { dynamicValue: DynamicToken } | { customValue: string };
}

export type ParseResult = { ok: true; value: TrackingParameter[] } | { ok: false; message: string };

function isToken(value: unknown): value is DynamicToken {
  return typeof value === 'string' && (DYNAMIC_TOKENS as readonly string[]).includes(value);
}

/** Validates a `$set` value the way the API would; the message names the offending element. */
export function parseTrackingParameters(input: unknown): ParseResult {
  if (!Array.isArray(input)) return { ok: false, message: `${TRACKING_PARAMETERS_FIELD} must be an array` };
  if (input.length > TRACKING_LIMITS.maxParameters) {
    return { ok: false, message: `${TRACKING_PARAMETERS_FIELD} allows at most ${TRACKING_LIMITS.maxParameters} parameters` };
  }
  const seen = new Set<string>();
  const out: TrackingParameter[] = [];
  for (const [i, item] of input.entries()) {
    const where = `${TRACKING_PARAMETERS_FIELD}[${i}]`;
    if (typeof item !== 'object' || item === null) return { ok: false, message: `${where} must be an object` };
    const { key, value } = item as { key?: unknown; value?: unknown };
    if (typeof key !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(key) || key.length > TRACKING_LIMITS.maxKeyLength) {
      return { ok: false, message: `${where}.key must be 1-${TRACKING_LIMITS.maxKeyLength} characters of [A-Za-z0-9_.-]` };
    }
    if (seen.has(key)) return { ok: false, message: `${where}.key "${key}" is duplicated` };
    seen.add(key);
    if (typeof value !== 'object' || value === null) return { ok: false, message: `${where}.value is required` };
    const { dynamicValue, customValue } = value as { dynamicValue?: unknown; customValue?: unknown };
    if ((dynamicValue === undefined) === (customValue === undefined)) {
      return { ok: false, message: `${where}.value must have exactly one of dynamicValue, customValue` };
    }
    if (dynamicValue !== undefined) {
      if (!isToken(dynamicValue)) return { ok: false, message: `${where}.value.dynamicValue must be one of ${DYNAMIC_TOKENS.join(', ')}` };
      out.push({ key, value: { dynamicValue } });
    } else {
      if (typeof customValue !== 'string' || !customValue || customValue.length > TRACKING_LIMITS.maxValueLength) {
        return { ok: false, message: `${where}.value.customValue must be a non-empty string of at most ${TRACKING_LIMITS.maxValueLength} characters` };
      }
      out.push({ key, value: { customValue } });
    }
  }
  return { ok: true, value: out };
}

/** Seeding and the advertiser control routes speak in plain `key=value` pairs; a value that is a token name is dynamic. */
export function trackingParameter(key: string, value: string): TrackingParameter {
  return isToken(value) ? { key, value: { dynamicValue: value } } : { key, value: { customValue: value } };
}

export interface TokenContext {
  accountId: number;
  accountName: string;
  campaignGroupId: number;
  campaignGroupName: string;
  campaignId: number;
  campaignName: string;
  creativeId: number;
}

function tokenValue(token: DynamicToken, ctx: TokenContext): string {
  switch (token) {
    case 'ACCOUNT_ID':
      return String(ctx.accountId);
    case 'ACCOUNT_NAME':
      return ctx.accountName;
    case 'CAMPAIGN_GROUP_ID':
      return String(ctx.campaignGroupId);
    case 'CAMPAIGN_GROUP_NAME':
      return ctx.campaignGroupName;
    case 'CAMPAIGN_ID':
      return String(ctx.campaignId);
    case 'CAMPAIGN_NAME':
      return ctx.campaignName;
    case 'CREATIVE_ID':
      return String(ctx.creativeId);
  }
}

/** The parameters as served for one creative, tokens replaced. */
export function resolveTrackingParameters(params: TrackingParameter[], ctx: TokenContext): [string, string][] {
  return params.map((p) => [p.key, 'dynamicValue' in p.value ? tokenValue(p.value.dynamicValue, ctx) : p.value.customValue]);
}

/**
 * Glues served parameters onto a landing URL.
 * unconfirmed: LinkedIn appends to the end of the URL string. For a URL with a `#fragment` that
 * puts the parameters inside the fragment, where they never reach the server — the reason SPEC
 * TRK-8 treats such URLs as not trackable.
 */
export function appendToLandingUrl(url: string, pairs: [string, string][]): string {
  if (pairs.length === 0) return url;
  const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

export function withoutParameter(params: TrackingParameter[], key: string): TrackingParameter[] {
  return params.filter((p) => p.key !== key);
}
