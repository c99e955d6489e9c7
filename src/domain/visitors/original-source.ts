/**
 * A coarse channel for a session ("original source" of a contact = channel of its first session),
 * so contacts can be filtered by where they came from. Checked in order: our ad tags, click ids,
 * UTM medium, then the referrer.
 */
import type { SessionSource } from './session-source';

export const TRAFFIC_SOURCES = [
  'paid_search',
  'paid_social',
  'email_marketing',
  'other_campaigns',
  'organic_search',
  'social_media',
  'referrals',
  'direct_traffic',
] as const;
export type TrafficSource = (typeof TRAFFIC_SOURCES)[number];

const PAID_MEDIA = new Set(['cpc', 'ppc', 'paid', 'paidsearch', 'paid_search', 'paidsocial', 'paid_social', 'cpm', 'display']);
const SEARCH_SOURCES = new Set(['google', 'adwords', 'bing', 'microsoft', 'yahoo', 'duckduckgo', 'baidu', 'yandex']);
const SOCIAL_SOURCES = new Set(['facebook', 'instagram', 'linkedin', 'twitter', 'x', 'meta', 'fb', 'ig']);
/** Hosts are matched on their registrable part, so www./m./l. sub-domains count too. */
const SEARCH_HOSTS = ['google.', 'bing.com', 'yahoo.', 'duckduckgo.com', 'baidu.com', 'yandex.', 'ecosia.org'];
const SOCIAL_HOSTS = ['facebook.com', 'instagram.com', 'linkedin.com', 'lnkd.in', 't.co', 'twitter.com', 'x.com', 'youtube.com', 'reddit.com'];

function hostMatches(host: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) =>
    pattern.endsWith('.')
      ? host.startsWith(pattern) || host.includes(`.${pattern}`)
      : host === pattern || host.endsWith(`.${pattern}`),
  );
}

/**
 * @param referrerHost host of the document referrer of the landing page view, if any
 * @param siteHost host of the landing page; a referrer on the same site is not a referral
 */
export function classifyTrafficSource(source: SessionSource, referrerHost?: string, siteHost?: string): TrafficSource {
  const network = source.adClick?.network;
  if (network === 'google') return 'paid_search';
  if (network === 'facebook' || network === 'linkedin') return 'paid_social';
  if (source.clickIds.gclid !== undefined || source.clickIds.gbraid !== undefined || source.clickIds.wbraid !== undefined) return 'paid_search';
  if (source.clickIds.fbclid !== undefined || source.clickIds.li_fat_id !== undefined) {
    // fbclid is also added to organic links shared on Facebook: only a paid medium makes it paid.
    const medium = source.utm.utm_medium?.toLowerCase();
    return medium !== undefined && PAID_MEDIA.has(medium) ? 'paid_social' : 'social_media';
  }
  const medium = source.utm.utm_medium?.toLowerCase();
  const utmSource = source.utm.utm_source?.toLowerCase();
  if (medium !== undefined && PAID_MEDIA.has(medium)) {
    if (utmSource !== undefined && SOCIAL_SOURCES.has(utmSource)) return 'paid_social';
    if (utmSource !== undefined && SEARCH_SOURCES.has(utmSource)) return 'paid_search';
    return 'other_campaigns';
  }
  if (medium === 'email' || medium === 'e-mail' || medium === 'newsletter' || utmSource === 'newsletter') return 'email_marketing';
  if (Object.keys(source.utm).length > 0) return 'other_campaigns';
  const host = referrerHost?.toLowerCase();
  if (host === undefined || host === '' || host === siteHost?.toLowerCase()) return 'direct_traffic';
  if (hostMatches(host, SEARCH_HOSTS)) return 'organic_search';
  if (hostMatches(host, SOCIAL_HOSTS)) return 'social_media';
  return 'referrals';
}
