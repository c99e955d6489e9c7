import type { CustomParameter } from './world';

/**
 * Validation of URL fields as Google applies it on writes (reference §3.3, §3.4 limits). Each check
 * returns the first problem found as { family, code, message, subPath? } so mutates can place it at
 * the right field path.
 */
export interface UrlProblem {
  family: string;
  code: string;
  message: string;
  /** Extra field path below the field itself, e.g. [{ fieldName: 'url_custom_parameters', index: 2 }, { fieldName: 'key' }]. */
  subPath?: { fieldName: string; index?: number }[];
  trigger?: string;
}

export type UrlLevel = 'customer' | 'campaign' | 'adGroup' | 'ad' | 'keyword';

/** Tags that insert the landing page. */
export const LPURL_TAGS = ['lpurl', 'unescapedlpurl', 'escapedlpurl', 'lpurl+2', 'lpurl+3'] as const;
/** Tags a tracking template may start with in place of a protocol. */
const LEADING_LPURL_TAGS = ['{lpurl}', '{unescapedlpurl}', '{escapedlpurl}', '{lpurl+2}', '{lpurl+3}'];

/** ValueTrack tags the sandbox knows (reference §3.5 plus the common others). */
export const VALUETRACK_TAGS = new Set([
  'campaignid',
  'adgroupid',
  'creative',
  'keyword',
  'matchtype',
  'network',
  'device',
  'devicemodel',
  'targetid',
  'feeditemid',
  'extensionid',
  'gclid',
  'placement',
  'adposition',
  'random',
  'ignore',
  'loc_physical_ms',
  'loc_interest_ms',
  'sourceid',
  'adtype',
  'target',
  'assetgroupid',
  'merchant_id',
  'product_id',
  'product_channel',
  'product_country',
  'product_language',
  'product_partition_id',
  'store',
]);

const CONDITIONAL_TAG = /^(ifmobile|ifnotmobile|ifsearch|ifcontent):[^{}]*$/;
const CUSTOM_TAG = /^_[A-Za-z0-9]+$/;

export function tagsIn(text: string): string[] | 'malformed' {
  const tags: string[] = [];
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') {
      if (open >= 0) return 'malformed';
      open = i;
    } else if (ch === '}') {
      if (open < 0) return 'malformed';
      tags.push(text.slice(open + 1, i));
      open = -1;
    }
  }
  return open >= 0 ? 'malformed' : tags;
}

const isLpurlTag = (tag: string) => (LPURL_TAGS as readonly string[]).includes(tag);
const isKnownTag = (tag: string) => isLpurlTag(tag) || VALUETRACK_TAGS.has(tag) || CUSTOM_TAG.test(tag) || CONDITIONAL_TAG.test(tag);

const problem = (code: string, message: string, trigger?: string): UrlProblem => ({
  family: 'urlFieldError',
  code,
  message,
  ...(trigger !== undefined ? { trigger } : {}),
});

export function trackingTemplateProblem(template: string, level: UrlLevel): UrlProblem | undefined {
  if (template === '') return undefined;
  if (template.length > 2047) return problem('INVALID_TRACKING_URL_TEMPLATE', 'The tracking url template is invalid.');
  const tags = tagsIn(template);
  if (tags === 'malformed') return problem('MALFORMED_TRACKING_URL_TEMPLATE', 'The tracking url template contains illegal characters.');
  // Tags first, so an app placeholder such as {customer id} is reported as the bad tag it is.
  const unknown = tags.find((t) => !isKnownTag(t));
  if (unknown !== undefined) {
    return problem('INVALID_TAG_IN_TRACKING_URL_TEMPLATE', 'The tracking url template contains invalid tag.', `{${unknown}}`);
  }
  if (/\s/.test(template)) return problem('MALFORMED_TRACKING_URL_TEMPLATE', 'The tracking url template contains illegal characters.');
  const startsWithLpurl = LEADING_LPURL_TAGS.some((t) => template.startsWith(t));
  if (!startsWithLpurl) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(template) && !/^https?:\/\//i.test(template)) {
      return problem('INVALID_PROTOCOL_IN_TRACKING_URL_TEMPLATE', 'The tracking url template starts with an invalid protocol.');
    }
    if (!/^https?:\/\/[^/?#{}]+/i.test(template)) {
      return problem('MISSING_PROTOCOL_IN_TRACKING_URL_TEMPLATE', 'The tracking url template must start with a valid protocol (or lpurl tag).');
    }
  }
  // Account, campaign and ad-group templates must insert the landing page (reference §3.4 rule 6).
  if ((level === 'customer' || level === 'campaign' || level === 'adGroup') && !tags.some(isLpurlTag)) {
    return problem('MISSING_TRACKING_URL_TEMPLATE_TAG', 'The tracking url template must contain at least one tag (for example, {lpurl}).');
  }
  return undefined;
}

export function finalUrlSuffixProblem(suffix: string): UrlProblem | undefined {
  if (suffix === '') return undefined;
  if (/^[?&]/.test(suffix) || /\s/.test(suffix)) {
    return problem('FINAL_URL_SUFFIX_MALFORMED', "The final url suffix cannot begin with '?' or '&' characters and must be a valid query string.");
  }
  const tags = tagsIn(suffix);
  if (tags === 'malformed') return problem('FINAL_URL_SUFFIX_MALFORMED', 'The final url suffix must be a valid query string.');
  const bad = tags.find((t) => isLpurlTag(t) || t === 'ignore' || !isKnownTag(t));
  if (bad !== undefined) return problem('INVALID_TAG_IN_FINAL_URL_SUFFIX', 'The final url suffix cannot contain {lpurl} related or {ignore} tags.', `{${bad}}`);
  return undefined;
}

export function finalUrlProblem(url: string): UrlProblem | undefined {
  if (/\s/.test(url)) return problem('MALFORMED_FINAL_URL', 'The final url contains illegal characters.');
  const tags = tagsIn(url);
  if (tags === 'malformed') return problem('MALFORMED_FINAL_URL', 'The final url contains illegal characters.');
  const bad = tags.find((t) => isLpurlTag(t) || !isKnownTag(t));
  if (bad !== undefined) return problem('INVALID_TAG_IN_FINAL_URL', 'The final url contains invalid tag.', `{${bad}}`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^https?:\/\//i.test(url)) {
    return problem('INVALID_PROTOCOL_IN_FINAL_URL', 'The final url starts with an invalid protocol.');
  }
  if (!/^https?:\/\//i.test(url)) return problem('MISSING_PROTOCOL_IN_FINAL_URL', 'The final url must start with a valid protocol.');
  try {
    const parsed = new URL(url.replace(/\{[^}]*\}/g, 'x'));
    if (!parsed.hostname) return problem('MISSING_HOST_IN_FINAL_URL', 'The final url must contain a host name.');
  } catch {
    return problem('INVALID_FINAL_URL', 'The final url is invalid.');
  }
  return undefined;
}

/** Custom parameter limits (reference §3.4: ≤ 8, key ≤ 16 bytes alnum, value ≤ 200 bytes, no whitespace). */
export const CUSTOM_PARAMETER_LIMITS = { maxCount: 8, maxKeyBytes: 16, maxValueBytes: 200 } as const;

export function customParametersProblem(params: unknown): UrlProblem | undefined {
  if (!Array.isArray(params)) return { family: 'fieldError', code: 'INVALID_VALUE', message: 'The field is not a list of custom parameters.' };
  if (params.length > CUSTOM_PARAMETER_LIMITS.maxCount) {
    return problem('URL_CUSTOM_PARAMETERS_COUNT_EXCEEDS_LIMIT', 'The number of url custom parameters for an resource exceeds the maximum limit allowed.');
  }
  const seen = new Set<string>();
  for (const [index, raw] of params.entries()) {
    const at = (field: string) => [{ fieldName: 'url_custom_parameters', index }, { fieldName: field }];
    const p = (raw ?? {}) as Partial<CustomParameter>;
    const key = typeof p.key === 'string' ? p.key : '';
    const value = typeof p.value === 'string' ? p.value : undefined;
    if (!/^[A-Za-z0-9]+$/.test(key)) {
      return { ...problem('INVALID_CHARACTERS_IN_URL_CUSTOM_PARAMETER_KEY', 'An invalid character appears in the parameter key.', key), subPath: at('key') };
    }
    if (Buffer.byteLength(key) > CUSTOM_PARAMETER_LIMITS.maxKeyBytes) {
      // unconfirmed: Google's family for an over-long key; the usual string length error is used.
      return { family: 'stringLengthError', code: 'TOO_LONG', message: 'Too long.', subPath: at('key'), trigger: key };
    }
    if (seen.has(key)) {
      // unconfirmed: the error for a repeated key (reference: "errors for ... duplicate custom parameters").
      return { family: 'fieldError', code: 'INVALID_VALUE', message: `Duplicate custom parameter key '${key}'.`, subPath: at('key'), trigger: key };
    }
    seen.add(key);
    if (value === undefined || value === '') {
      return { ...problem('NULL_CUSTOM_PARAMETER_VALUE', 'Custom parameter value cannot be null.'), subPath: at('value') };
    }
    if (/\s/.test(value)) {
      return { ...problem('INVALID_CHARACTERS_IN_URL_CUSTOM_PARAMETER_VALUE', 'An invalid character appears in the parameter value.', value), subPath: at('value') };
    }
    if (Buffer.byteLength(value) > CUSTOM_PARAMETER_LIMITS.maxValueBytes) {
      return { family: 'stringLengthError', code: 'TOO_LONG', message: 'Too long.', subPath: at('value') };
    }
    const tags = tagsIn(value);
    if (tags === 'malformed' || tags.some((t) => isLpurlTag(t) || !isKnownTag(t))) {
      return { ...problem('INVALID_TAG_IN_URL_CUSTOM_PARAMETER_VALUE', 'The url custom parameter value fails url tag validation.', value), subPath: at('value') };
    }
  }
  return undefined;
}
