/**
 * LinkedIn "Dynamic UTM Tracking": URL parameters kept per campaign in their own Rest.li resource,
 * `/rest/adTrackingParameters/(adEntity:(sponsoredCampaign:<urn>))` (GET / PUT / DELETE), whose
 * body carries two maps — `dynamicValueParameters` (key → token) and `customValueParameters`
 * (key → literal). Facts and sources: docs/linkedin-tracking-parameters.md. There is no
 * `trackingParameters` field on the campaign; the sandbox keeps the list on its campaign record
 * only as internal state.
 */

/** The token enum; CREATIVE_NAME exists from version 202606 on. */
export const DYNAMIC_TOKENS = [
  'ACCOUNT_ID',
  'ACCOUNT_NAME',
  'CAMPAIGN_GROUP_ID',
  'CAMPAIGN_GROUP_NAME',
  'CAMPAIGN_ID',
  'CAMPAIGN_NAME',
  'CREATIVE_ID',
  'CREATIVE_NAME',
] as const;
export type DynamicToken = (typeof DYNAMIC_TOKENS)[number];
const TOKEN_SINCE: Partial<Record<DynamicToken, string>> = { CREATIVE_NAME: '202606' };

/** unconfirmed: limits (none found in the docs). */
export const TRACKING_LIMITS = { maxParameters: 30, maxKeyLength: 100, maxValueLength: 500 };

export interface TrackingParameter {
  key: string;
  value: { dynamicValue: DynamicToken } | { customValue: string };
}

/** The resource's wire shape. */
export interface AdTrackingParametersBody {
  adEntity: { sponsoredCampaign: string };
  dynamicValueParameters: Record<string, string>;
  customValueParameters: Record<string, string>;
}

export type ParseResult = { ok: true; value: TrackingParameter[] } | { ok: false; message: string };

function isToken(value: unknown): value is DynamicToken {
  return typeof value === 'string' && (DYNAMIC_TOKENS as readonly string[]).includes(value);
}

const BODY_FIELDS = ['adEntity', 'dynamicValueParameters', 'customValueParameters'];
/** Rest.li's data-validation wording (`ERROR :: /path :: problem`). */
const restliProblem = (path: string, problem: string) => `ERROR :: /${path} :: ${problem}`;
const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates a PUT body for `campaignUrn` the way the API would (messages in Rest.li's validation
 * format); `version` is the request's LinkedIn-Version, for the tokens that came later.
 */
export function parseAdTrackingParameters(body: unknown, campaignUrn: string, version: string): ParseResult {
  if (!isMap(body)) return { ok: false, message: restliProblem('', 'body must be a record') };
  const unknown = Object.keys(body).find((field) => !BODY_FIELDS.includes(field));
  if (unknown) return { ok: false, message: restliProblem(unknown, 'unrecognized field found but not allowed') };
  if (body.adEntity === undefined) return { ok: false, message: restliProblem('adEntity', 'field is required') };
  const entity = body.adEntity as { sponsoredCampaign?: unknown };
  if (!isMap(entity) || entity.sponsoredCampaign !== campaignUrn) {
    return { ok: false, message: restliProblem('adEntity', `must be {"sponsoredCampaign": "${campaignUrn}"}, the entity of the resource key`) };
  }
  const out: TrackingParameter[] = [];
  for (const field of ['customValueParameters', 'dynamicValueParameters'] as const) {
    const map = body[field] ?? {};
    if (!isMap(map)) return { ok: false, message: restliProblem(field, 'must be a map of string to string') };
    for (const [key, value] of Object.entries(map)) {
      const where = `${field}/${key}`;
      if (!/^[A-Za-z0-9_.-]+$/.test(key) || key.length > TRACKING_LIMITS.maxKeyLength) {
        return { ok: false, message: restliProblem(where, `key must be 1-${TRACKING_LIMITS.maxKeyLength} characters of [A-Za-z0-9_.-]`) };
      }
      if (out.some((p) => p.key === key)) return { ok: false, message: restliProblem(where, 'key is set in both maps; keys must be unique') };
      if (field === 'dynamicValueParameters') {
        const since = isToken(value) ? TOKEN_SINCE[value] : undefined;
        if (!isToken(value) || (since !== undefined && version.slice(0, 6) < since)) {
          return { ok: false, message: restliProblem(where, `"${String(value)}" is not a symbol of AdDynamicTrackingParameterValue`) };
        }
        out.push({ key, value: { dynamicValue: value } });
      } else {
        if (typeof value !== 'string' || !value || value.length > TRACKING_LIMITS.maxValueLength) {
          return { ok: false, message: restliProblem(where, `must be a non-empty string of at most ${TRACKING_LIMITS.maxValueLength} characters`) };
        }
        out.push({ key, value: { customValue: value } });
      }
    }
  }
  if (out.length > TRACKING_LIMITS.maxParameters) return { ok: false, message: restliProblem('', `at most ${TRACKING_LIMITS.maxParameters} parameters`) };
  return { ok: true, value: out };
}

/** The resource as GET answers it. */
export function adTrackingParametersView(campaignUrn: string, params: TrackingParameter[]): AdTrackingParametersBody {
  const dynamicValueParameters: Record<string, string> = {};
  const customValueParameters: Record<string, string> = {};
  for (const p of params) {
    if ('dynamicValue' in p.value) dynamicValueParameters[p.key] = p.value.dynamicValue;
    else customValueParameters[p.key] = p.value.customValue;
  }
  return { adEntity: { sponsoredCampaign: campaignUrn }, dynamicValueParameters, customValueParameters };
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
  creativeName: string;
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
    case 'CREATIVE_NAME':
      return ctx.creativeName;
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
