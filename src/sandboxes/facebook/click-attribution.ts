import { createHash } from 'node:crypto';

/**
 * Link clicks and the website conversions Facebook credits back to them. A click opens the landing
 * URL with an `fbclid`; a Conversions API event whose `user_data.fbc` (`fb.{subdomain}.{ms}.{fbclid}`,
 * reference facebook §8.3) names that click, within the default 7-day click window, is counted as a
 * lead of the clicked ad on the click's day (insights' default `action_report_time` is the ad
 * interaction, not the conversion).
 */
export interface RecordedClick {
  adId: string;
  /** Unix seconds. */
  at: number;
}

const CLICK_WINDOW_SECONDS = 7 * 86_400;
const FBC = /^fb\.\d+\.\d+\.(.+)$/;

export class ClickAttribution {
  private readonly clicks = new Map<string, RecordedClick>();
  /** `${adId}|${YYYY-MM-DD}` → credited leads. */
  private readonly leads = new Map<string, number>();
  private counter = 0;

  reset(): void {
    this.clicks.clear();
    this.leads.clear();
    this.counter = 0;
  }

  /** A new click id, deterministic for a seed; the shape of a real one (opaque base64url). */
  recordClick(seed: number, adId: string, at: number): string {
    this.counter += 1;
    const fbclid = `IwAR${createHash('sha256').update(`${seed}:${this.counter}:${adId}`).digest('base64url')}`;
    this.clicks.set(fbclid, { adId, at });
    return fbclid;
  }

  /** Credits a Lead event to the ad whose click its `fbc` names, if any. */
  creditLead(event: { event_name?: unknown; event_time?: unknown; user_data?: unknown }): void {
    if (event.event_name !== 'Lead' || typeof event.event_time !== 'number') return;
    const fbc = (event.user_data as { fbc?: unknown } | undefined)?.fbc;
    const fbclid = typeof fbc === 'string' ? FBC.exec(fbc)?.[1] : undefined;
    const click = fbclid === undefined ? undefined : this.clicks.get(fbclid);
    if (!click || event.event_time < click.at - 60 || event.event_time - click.at > CLICK_WINDOW_SECONDS) return;
    const key = `${click.adId}|${new Date(click.at * 1000).toISOString().slice(0, 10)}`;
    this.leads.set(key, (this.leads.get(key) ?? 0) + 1);
  }

  leadsOn(adId: string, day: string): number {
    return this.leads.get(`${adId}|${day}`) ?? 0;
  }
}
