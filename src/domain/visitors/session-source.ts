/**
 * The "source" of a web session: what its landing URL says about where the visitor came from.
 * Attribution (ATT-1) reads the hsa_* identity of the ad; campaign metrics (ATT-4) read
 * utm_campaign; click ids are kept for conversion upload and for explaining attribution.
 */
import type { Network } from '../../networks/types';
import { identifyClick, parseQuery, parseTrackingParams, queryOfUrl, type ClickIdentity } from '../tracking';

/**
 * Click ids the networks append on their own (auto-tagging). Only the connected networks' ids are
 * kept; others (e.g. Microsoft's `msclkid`) are ignored — supporting one is a single entry here.
 */
export const CLICK_ID_NETWORKS = {
  gclid: 'google',
  gbraid: 'google',
  wbraid: 'google',
  fbclid: 'facebook',
  li_fat_id: 'linkedin',
} as const satisfies Record<string, Network>;
export type ClickIdKey = keyof typeof CLICK_ID_NETWORKS;

/** Click ids are opaque; anything longer than this is not a real one. */
const CLICK_ID_MAX_LENGTH = 512;

export interface SessionSource {
  /** utm_* parameters of the landing URL (all of them, e.g. also utm_device from TRK-7). */
  utm: Record<string, string>;
  /** hsa_* parameters of the landing URL. */
  hsa: Record<string, string>;
  clickIds: Partial<Record<ClickIdKey, string>>;
  /** The ad the hsa_* parameters point at (identifyClick); null when the URL is not a tagged ad click. */
  adClick: ClickIdentity | null;
}

function isClickIdKey(key: string): key is ClickIdKey {
  return Object.prototype.hasOwnProperty.call(CLICK_ID_NETWORKS, key);
}

/** Reads the source of a session from its (raw, not yet length-capped) landing URL. */
export function extractSessionSource(landingUrl: string): SessionSource {
  const tracking = parseTrackingParams(landingUrl);
  const utm: Record<string, string> = {};
  const hsa: Record<string, string> = {};
  for (const [key, value] of Object.entries(tracking)) {
    if (key.startsWith('utm_')) utm[key] = value;
    else hsa[key] = value;
  }
  const clickIds: Partial<Record<ClickIdKey, string>> = {};
  for (const { key, value } of parseQuery(queryOfUrl(landingUrl))) {
    const name = key.toLowerCase();
    const trimmed = value.trim();
    // The first occurrence wins, as for tracking parameters.
    if (!isClickIdKey(name) || clickIds[name] !== undefined) continue;
    if (trimmed === '' || trimmed.length > CLICK_ID_MAX_LENGTH) continue;
    clickIds[name] = trimmed;
  }
  return { utm, hsa, clickIds, adClick: identifyClick(hsa) };
}

/** True when the URL came from an ad click: tagged with our hsa_* parameters or carrying a click id. */
export function isAdClickSource(source: SessionSource): boolean {
  return source.adClick !== null || Object.keys(source.clickIds).length > 0;
}

/**
 * A stable key for "which click is this": the ad identity plus the click ids. Two page views with
 * the same key are the same click (e.g. a reload of the landing page).
 */
export function adClickKey(source: Pick<SessionSource, 'adClick' | 'clickIds'>): string {
  const identity = source.adClick === null ? [] : Object.entries(source.adClick).sort(([a], [b]) => a.localeCompare(b));
  const clickIds = Object.entries(source.clickIds).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([identity, clickIds]);
}
