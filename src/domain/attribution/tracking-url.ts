/**
 * Tracking URLs (a page URL plus utm_* parameters, created in the campaign tool) are campaign
 * assets. A page view touches one when it is the same page and carries all of its utm_* values.
 */
import { parseTrackingParams } from '../tracking';

function pageOf(url: string): { host: string; path: string } | undefined {
  try {
    const parsed = new URL(url);
    return { host: parsed.hostname.toLowerCase(), path: parsed.pathname.replace(/\/+$/, '') || '/' };
  } catch {
    return undefined;
  }
}

export function pageViewMatchesTrackingUrl(trackingUrl: string, pageUrl: string): boolean {
  const expected = pageOf(trackingUrl);
  const seen = pageOf(pageUrl);
  if (expected === undefined || seen === undefined) return false;
  if (expected.host !== seen.host || expected.path !== seen.path) return false;
  const wanted = Object.entries(parseTrackingParams(trackingUrl)).filter(([key]) => key.startsWith('utm_'));
  if (wanted.length === 0) return false;
  const carried = parseTrackingParams(pageUrl);
  return wanted.every(([key, value]) => carried[key]?.toLowerCase() === value.toLowerCase());
}
