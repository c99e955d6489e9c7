/**
 * ACC-5: contacts can be attributed only to ad clicks that happened while auto-tracking was on.
 * The account's switch history comes in as data; times are ISO strings.
 */

export interface AutoTrackingToggle {
  /** ISO time the switch changed. */
  at: string;
  enabled: boolean;
}

/**
 * Whether auto-tracking was on at `clickAt`: the latest toggle at or before that instant decides;
 * before the first toggle it was off. Unparseable times never count as on.
 */
export function autoTrackingWasOn(history: readonly AutoTrackingToggle[], clickAt: string): boolean {
  const clickTime = Date.parse(clickAt);
  if (Number.isNaN(clickTime)) return false;
  let latest: { time: number; enabled: boolean } | undefined;
  for (const toggle of history) {
    const time = Date.parse(toggle.at);
    if (Number.isNaN(time) || time > clickTime) continue;
    // Ties resolve to the later entry in the history (the last write for that instant).
    if (latest === undefined || time >= latest.time) latest = { time, enabled: toggle.enabled };
  }
  return latest?.enabled ?? false;
}
