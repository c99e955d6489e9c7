import { seededRandom } from '../kit/rng';
import { formatDate } from './time';
import type { Ad, GoogleWorld } from './world';

export interface MetricValues {
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number;
  conversionsValue: number;
}

export const ZERO_METRICS: MetricValues = { impressions: 0, clicks: 0, costMicros: 0, conversions: 0, conversionsValue: 0 };

const createdDates = new WeakMap<Ad, string>();
function createdDate(ad: Ad, timeZone: string): string {
  let d = createdDates.get(ad);
  if (d === undefined) {
    d = formatDate(ad.createdAt, timeZone);
    createdDates.set(ad, d);
  }
  return d;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * Daily metrics of one ad: deterministic per (seed, ad, date), zero before the ad existed, after
 * "today" (account time zone) and on some quiet days, plus one click per simulated click that day
 * and the click conversions imported for those clicks.
 */
export function adDayMetrics(world: GoogleWorld, ad: Ad, date: string, timeZone: string, today: string): MetricValues {
  if (date > today || date < createdDate(ad, timeZone)) return ZERO_METRICS;
  let simulatedClicks = 0;
  // Imported click conversions count on the day of their click, as `metrics.conversions` reports them.
  let uploadedConversions = 0;
  for (const [gclid, c] of world.clicks) {
    if (c.adId !== ad.id || formatDate(c.at, timeZone) !== date) continue;
    simulatedClicks += 1;
    uploadedConversions += world.uploadedConversionsByClick.get(gclid) ?? 0;
  }
  const random = seededRandom(hash(`${world.seed}:${ad.id}:${date}`));
  const quiet = random() < 0.15 || ad.status !== 'ENABLED';
  if (quiet && simulatedClicks === 0) return ZERO_METRICS;
  const impressions = (quiet ? 0 : 50 + Math.floor(random() * 2000)) + simulatedClicks;
  const clicks = (quiet ? 0 : Math.floor(impressions * (0.01 + random() * 0.04))) + simulatedClicks;
  const costMicros = clicks * (200_000 + Math.floor(random() * 1_800_000));
  const conversions = Math.floor(clicks * random() * 0.2) + uploadedConversions;
  return { impressions, clicks, costMicros, conversions, conversionsValue: conversions * 40 };
}

export function addMetrics(a: MetricValues, b: MetricValues): MetricValues {
  return {
    impressions: a.impressions + b.impressions,
    clicks: a.clicks + b.clicks,
    costMicros: a.costMicros + b.costMicros,
    conversions: a.conversions + b.conversions,
    conversionsValue: a.conversionsValue + b.conversionsValue,
  };
}
