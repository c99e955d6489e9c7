/**
 * Page URLs as stored with page views and sessions: absolute http(s) only, without fragment or
 * credentials, and capped in length so one hostile beacon cannot bloat storage.
 *
 * Extract a session's source (tracking parameters) from the raw landing URL BEFORE normalising it:
 * the cap may cut the end of a very long query string.
 */

export const PAGE_URL_MAX_LENGTH = 2048;

export type PageUrlResult =
  | { ok: true; url: string; truncated: boolean }
  | { ok: false; reason: 'empty' | 'not_a_url' | 'unsupported_scheme' };

/** A trailing, incomplete percent escape (`%` or `%4`) left behind by the length cap. */
const DANGLING_ESCAPE = /%[0-9A-Fa-f]?$/;

export function normalisePageUrl(raw: unknown, maxLength = PAGE_URL_MAX_LENGTH): PageUrlResult {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: 'empty' };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'not_a_url' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'unsupported_scheme' };
  // Fragments never reach a server and only split one page into many; credentials are personal data.
  url.hash = '';
  url.username = '';
  url.password = '';
  const full = url.toString();
  if (full.length <= maxLength) return { ok: true, url: full, truncated: false };
  return { ok: true, url: full.slice(0, maxLength).replace(DANGLING_ESCAPE, ''), truncated: true };
}

/** The host of an absolute URL in lower case, or undefined. */
export function hostOf(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  try {
    return new URL(url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}
