/**
 * Landing-URL rules shared by the three networks (TRK-3, TRK-6, TRK-8): a full http(s) URL, no link
 * shortener (they drop the parameters at the end of the URL), no redirect (same reason; http→https
 * counts), and on LinkedIn and Google no '#'.
 */
import type { Network } from '../../networks/types';
import { reasons } from './reasons';
import type { LandingCheck, TrackingReason } from './types';

/** Public link shorteners. Keep sorted; add hosts as advertisers run into them. */
export const SHORTENER_HOSTS: readonly string[] = [
  'amzn.to',
  'bit.do',
  'bit.ly',
  'bitly.com',
  'bl.ink',
  'buff.ly',
  'cutt.ly',
  'fb.me',
  'goo.gl',
  'is.gd',
  'lnkd.in',
  'ow.ly',
  'rb.gy',
  'rebrand.ly',
  's.id',
  'shorturl.at',
  't.co',
  't.ly',
  'tiny.cc',
  'tinyurl.com',
  'tr.im',
  'v.gd',
];

/** LinkedIn shortens long ad URLs itself; that shortening keeps the parameters (TRK-8). */
const LINKEDIN_OWN_SHORTENER = 'lnkd.in';

function hostMatches(host: string, domain: string): boolean {
  const wanted = domain.trim().toLowerCase().replace(/\.$/, '');
  return wanted !== '' && (host === wanted || host.endsWith(`.${wanted}`));
}

/** The URL if it is an absolute http(s) URL with a host, else null. */
export function parseAbsoluteHttpUrl(url: string | null): URL | null {
  if (url === null) return null;
  const trimmed = url.trim();
  if (trimmed === '' || /\s/.test(trimmed)) return null;
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.hostname === '' ? null : parsed;
}

export interface UrlRuleOptions {
  network: Network;
  ownShortenerDomain?: string | undefined;
}

/**
 * True when the host is a shortener that keeps parameters: the product's own shortener, and on
 * LinkedIn LinkedIn's own lnkd.in. Such URLs are exempt from the shortener AND the redirect rule,
 * because redirecting is what a shortener does; the exemption is meaningless otherwise.
 */
export function isTrustedShortener(host: string, options: UrlRuleOptions): boolean {
  if (options.ownShortenerDomain !== undefined && hostMatches(host, options.ownShortenerDomain)) return true;
  return options.network === 'linkedin' && hostMatches(host, LINKEDIN_OWN_SHORTENER);
}

/** The shortener the host belongs to, or null (trusted shorteners return null). */
export function shortenerOf(host: string, options: UrlRuleOptions): string | null {
  const lowered = host.toLowerCase();
  if (isTrustedShortener(lowered, options)) return null;
  return SHORTENER_HOSTS.find((domain) => hostMatches(lowered, domain)) ?? null;
}

/**
 * Checks the ad's landing URL; returns the first rule it breaks, or null when it can be tracked.
 * `landing` is the activity's probe of the URL; without it the redirect rule is not evaluated.
 */
export function checkLandingUrl(
  url: string | null,
  options: UrlRuleOptions,
  landing?: LandingCheck,
): TrackingReason | null {
  const parsed = parseAbsoluteHttpUrl(url);
  if (parsed === null || url === null) return reasons.invalidUrl(url);
  const host = parsed.hostname.toLowerCase();
  const shortener = shortenerOf(host, options);
  if (shortener !== null) return reasons.shortenedUrl(shortener);
  // Facebook puts url_tags before the '#'; LinkedIn's campaign parameters and Google's {lpurl} templates
  // append after it, where the browser never sends them (TRK-5, TRK-8).
  if ((options.network === 'linkedin' || options.network === 'google') && url.includes('#')) return reasons.urlHasFragment(options.network);
  if (landing?.redirects === true && !isTrustedShortener(host, options)) return reasons.redirectingUrl(landing.location);
  return null;
}

/**
 * The URL the activity should probe for redirects, or null when no probe is needed (the URL
 * already fails a static rule or is a trusted shortener).
 */
export function landingUrlToProbe(url: string | null, options: UrlRuleOptions): string | null {
  if (checkLandingUrl(url, options) !== null || url === null) return null;
  const parsed = parseAbsoluteHttpUrl(url);
  if (parsed === null || isTrustedShortener(parsed.hostname.toLowerCase(), options)) return null;
  return url.trim();
}
