/**
 * Order-preserving query-string handling for url_tags, Google tracking templates and landing URLs.
 *
 * Each pair keeps the exact text the advertiser wrote (`raw`), so re-serialising an untouched string
 * gives it back byte for byte: macros such as `{{ad.id}}` or `{keyword}` and the advertiser's own
 * encoding choices survive a merge. Keys are compared after decoding.
 */
import type { TemplateParam } from './types';

export interface QueryParam {
  /** Decoded key. */
  key: string;
  /** Decoded value ('' when the pair has no '='). */
  value: string;
  /** The pair exactly as written, e.g. `utm_campaign=Spring+Sale`. */
  raw: string;
}

/** Decodes one x-www-form-urlencoded component; text that is not valid percent-encoding stays as is. */
export function decodeComponent(text: string): string {
  const plusAsSpace = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plusAsSpace);
  } catch {
    return plusAsSpace;
  }
}

/** Encodes like an HTML form / URLSearchParams: space → '+', everything but `A-Za-z0-9*-._` escaped. */
export function formEncode(text: string): string {
  return new URLSearchParams([['', text]]).toString().slice(1);
}

/** Encodes like encodeURIComponent (space → %20): the style Google templates and URL paths use. */
export function percentEncode(text: string): string {
  return encodeURIComponent(text);
}

/** Parses `a=1&b=2` (a leading '?' is ignored, empty pieces are dropped). */
export function parseQuery(query: string): QueryParam[] {
  const body = query.startsWith('?') ? query.slice(1) : query;
  if (body === '') return [];
  return body
    .split('&')
    .filter((piece) => piece !== '')
    .map((raw) => {
      const eq = raw.indexOf('=');
      const rawKey = eq === -1 ? raw : raw.slice(0, eq);
      const rawValue = eq === -1 ? '' : raw.slice(eq + 1);
      return { key: decodeComponent(rawKey), value: decodeComponent(rawValue), raw };
    });
}

export function serialiseQuery(params: readonly QueryParam[]): string {
  return params.map((param) => param.raw).join('&');
}

/** The query part of a URL (between '?' and '#'); '' when there is none. */
export function queryOfUrl(url: string): string {
  const withoutFragment = url.split('#', 1)[0] ?? '';
  const question = withoutFragment.indexOf('?');
  return question === -1 ? '' : withoutFragment.slice(question + 1);
}

export function queryKeys(params: readonly QueryParam[]): Set<string> {
  return new Set(params.map((param) => param.key));
}

/** First value of `key`, or undefined. */
export function firstValue(params: readonly QueryParam[], key: string): string | undefined {
  return params.find((param) => param.key === key)?.value;
}

/** Turns a template parameter into a query pair with the given encoder for literal values. */
export function toQueryParam(param: TemplateParam, encodeLiteral: (text: string) => string): QueryParam {
  const rawValue = param.kind === 'macro' ? param.value : encodeLiteral(param.value);
  return { key: param.key, value: param.value, raw: `${encodeLiteral(param.key)}=${rawValue}` };
}

export interface MergeResult {
  /** The advertiser's pairs untouched and in their order, then the missing template pairs. */
  merged: QueryParam[];
  /** The template pairs that were missing and got appended. */
  added: QueryParam[];
}

/**
 * Appends every template pair whose key is not already set. An existing key is never overwritten,
 * whatever its value (TRK-2, TRK-5): the advertiser's UTMs win, and so does anything an earlier run
 * wrote, which keeps the merge idempotent and keeps a renamed campaign's old utm_campaign (TRK-10).
 * `alsoPresent` lists keys set elsewhere (e.g. in the landing URL itself) that count as present too.
 */
export function mergeMissing(
  existing: readonly QueryParam[],
  template: readonly QueryParam[],
  alsoPresent: ReadonlySet<string> = new Set(),
): MergeResult {
  const present = new Set([...queryKeys(existing), ...alsoPresent]);
  const added: QueryParam[] = [];
  for (const param of template) {
    if (present.has(param.key)) continue;
    present.add(param.key);
    added.push(param);
  }
  return { merged: [...existing, ...added], added };
}

/** `{ key: decoded value }` of the given pairs (first occurrence wins). */
export function toRecord(params: readonly QueryParam[]): Record<string, string> {
  const firstByKey = new Map<string, string>();
  for (const param of params) {
    if (!firstByKey.has(param.key)) firstByKey.set(param.key, param.value);
  }
  return Object.fromEntries(firstByKey);
}
