import { createHash } from 'node:crypto';
import type { AdRecord } from '../../networks/types';

/**
 * What the ads watcher remembers of an account between checks (issue 12): one entry per ad the
 * network listed as changed inside the check window, naming the ad and a digest of what it carries.
 * The network's change time is left out: the windows of two checks overlap (clock skew), and Google
 * reports the listing time for every ad its change_status names, so only content tells a change the
 * previous check already saw from a new one. `more` marks a window with more changes than one page.
 */
export function changeFingerprints(ads: AdRecord[], more: boolean): string[] {
  const entries = ads.map((ad) => {
    const { updatedTime: _changedAt, ...content } = ad;
    return `${ad.adId}:${createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 16)}`;
  });
  if (more) entries.push('+more');
  return [...new Set(entries)].sort();
}

/** True when the window holds an entry the previous check did not see: the account has work. */
export function hasUnseenChanges(previous: readonly string[] | undefined, current: readonly string[]): boolean {
  const seen = new Set(previous ?? []);
  return current.some((entry) => entry === '+more' || !seen.has(entry));
}

/** Writing the remembered entries is only needed when they differ (most checks of an idle account: never). */
export function sameFingerprints(previous: readonly string[] | undefined, current: readonly string[]): boolean {
  const before = previous ?? [];
  return before.length === current.length && before.every((entry, i) => entry === current[i]);
}
