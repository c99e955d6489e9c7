import type { Request, Response, Router } from 'express';
import { errors, RestliHttpError } from './errors';
import { contextOf } from './gate';
import { RestliQuery, urn, type RestliValue } from './restli';
import type { CreativeRecord, LinkedInWorld } from './state';

const DAY_MS = 86_400_000;
export const ANALYTICS_MAX_ELEMENTS = 15_000;
const MAX_FIELDS = 20;
const METRICS = ['impressions', 'clicks', 'costInLocalCurrency', 'externalWebsiteConversions', 'oneClickLeads', 'landingPageClicks', 'totalEngagements'] as const;
type Metric = (typeof METRICS)[number];
const PIVOTS = ['CREATIVE', 'CAMPAIGN', 'CAMPAIGN_GROUP', 'ACCOUNT'] as const;
type Pivot = (typeof PIVOTS)[number];

type DayMetrics = Record<Metric, number>;

function hash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * Deterministic daily numbers for a creative: it delivers from the day after creation until
 * today while serving, or until its last change when it was approved and later stopped.
 */
export function creativeDay(world: LinkedInWorld, creative: CreativeRecord, day: number): DayMetrics | undefined {
  const first = Math.floor(creative.createdAt / DAY_MS) + 1;
  const serving = world.servingOf(creative).isServing;
  const approved = world.reviewOf(creative)?.status === 'APPROVED';
  const last = serving ? Math.floor(world.now() / DAY_MS) : approved ? Math.floor(creative.lastModifiedAt / DAY_MS) : first - 1;
  if (day < first || day > last) return undefined;
  const h = hash(creative.id, day);
  const impressions = 150 + (h % 1850);
  const clicks = Math.floor((impressions * (4 + ((h >>> 11) % 30))) / 1000);
  const cost = clicks * (3 + ((h >>> 5) % 5)) + ((h >>> 17) % 100) / 100;
  return {
    impressions,
    clicks,
    costInLocalCurrency: Math.round(cost * 100_000) / 100_000,
    // Conversions uploaded for a click on the creative count on the day of the click (§4.2, li_fat_id).
    externalWebsiteConversions: (clicks > 10 ? (h >>> 3) % 3 : 0) + (world.creditedConversions.get(`${creative.id}|${day}`) ?? 0),
    oneClickLeads: creative.leadFormId !== undefined ? (h >>> 7) % 4 : 0,
    landingPageClicks: Math.floor(clicks * 0.8),
    totalEngagements: clicks + ((h >>> 9) % 20),
  };
}

function dateOf(value: RestliValue | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const { year, month, day } = (typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, RestliValue | undefined>;
  const parts = [year, month, day].map((p) => (typeof p === 'string' && /^\d+$/.test(p) ? Number(p) : NaN));
  const [y = NaN, m = NaN, d = NaN] = parts;
  const ms = Date.UTC(y, m - 1, d);
  if (Number.isNaN(ms)) throw errors.invalid(`dateRange.${name} must be (year:YYYY,month:M,day:D)`);
  return Math.floor(ms / DAY_MS);
}

function ymd(day: number) {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function bucketOf(day: number, granularity: string, from: number, to: number): [number, number] {
  if (granularity === 'DAILY') return [day, day];
  if (granularity === 'ALL') return [from, to];
  const d = new Date(day * DAY_MS);
  const start = granularity === 'MONTHLY' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) : Date.UTC(d.getUTCFullYear(), 0, 1);
  const end = granularity === 'MONTHLY' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) : Date.UTC(d.getUTCFullYear(), 11, 31);
  return [Math.max(from, start / DAY_MS), Math.min(to, end / DAY_MS)];
}

/** §5: `GET /rest/adAnalytics?q=analytics&pivot=...&timeGranularity=...&dateRange=(...)&accounts=List(...)`. */
export function mountAnalyticsRoutes(rest: Router, world: LinkedInWorld): void {
  rest.get('/adAnalytics', (req: Request, res: Response) => {
    const query = new RestliQuery(req);
    if (query.string('q') !== 'analytics') throw errors.invalid('Finder q=analytics is required (this emulator does not model q=statistics)');
    const pivot = query.string('pivot') as Pivot | undefined;
    if (!pivot || !PIVOTS.includes(pivot)) throw errors.invalid(`pivot must be one of ${PIVOTS.join(', ')}`);
    const granularity = query.string('timeGranularity');
    if (!granularity || !['DAILY', 'MONTHLY', 'YEARLY', 'ALL'].includes(granularity)) throw errors.invalid('timeGranularity must be DAILY, MONTHLY, YEARLY or ALL');
    const range = query.record('dateRange');
    const from = dateOf(range?.start, 'start');
    if (from === undefined) throw errors.invalid('dateRange.start is required');
    const to = dateOf(range?.end, 'end') ?? Math.floor(world.now() / DAY_MS);
    if (to < from) throw errors.invalid('dateRange.end must not be before dateRange.start');

    const fields = query.fields() ?? ['impressions', 'clicks', 'pivotValues', 'dateRange'];
    if (fields.length > MAX_FIELDS) throw errors.invalid(`At most ${MAX_FIELDS} fields may be requested`);
    for (const f of fields) {
      if (f !== 'pivotValues' && f !== 'dateRange' && !(METRICS as readonly string[]).includes(f)) throw errors.invalid(`Unknown field ${f}`);
    }

    const facets = {
      accounts: query.list('accounts'),
      campaignGroups: query.list('campaignGroups'),
      campaigns: query.list('campaigns'),
      creatives: query.list('creatives'),
    };
    if (!Object.values(facets).some(Boolean)) throw errors.invalid('At least one facet (accounts, campaignGroups, campaigns, creatives) is required');
    const member = contextOf(res).member.urn;
    const creatives = [...world.creatives.values()].filter((c) => {
      const campaign = world.campaigns.get(c.campaignId);
      // §5: no access → simply no data.
      return (
        campaign !== undefined &&
        world.roleOf(member, c.accountId) !== undefined &&
        (!facets.accounts || facets.accounts.includes(urn.account(c.accountId))) &&
        (!facets.campaignGroups || facets.campaignGroups.includes(urn.group(campaign.groupId))) &&
        (!facets.campaigns || facets.campaigns.includes(urn.campaign(c.campaignId))) &&
        (!facets.creatives || facets.creatives.includes(urn.creative(c.id)))
      );
    });

    const rows = new Map<string, { pivot: string; bucket: [number, number]; metrics: DayMetrics }>();
    for (const creative of creatives) {
      const campaign = world.campaigns.get(creative.campaignId);
      const pivotValue =
        pivot === 'CREATIVE' ? urn.creative(creative.id) : pivot === 'CAMPAIGN' ? urn.campaign(creative.campaignId) : pivot === 'CAMPAIGN_GROUP' ? urn.group(campaign?.groupId ?? 0) : urn.account(creative.accountId);
      for (let day = from; day <= to; day += 1) {
        const metrics = creativeDay(world, creative, day);
        if (!metrics) continue;
        const bucket = bucketOf(day, granularity, from, to);
        const key = `${pivotValue}|${bucket[0]}`;
        const row = rows.get(key) ?? { pivot: pivotValue, bucket, metrics: Object.fromEntries(METRICS.map((m) => [m, 0])) as DayMetrics };
        for (const m of METRICS) row.metrics[m] += metrics[m];
        rows.set(key, row);
      }
    }
    // unconfirmed (§5): past the 15,000-element cap we answer 400 rather than truncate.
    if (rows.size > ANALYTICS_MAX_ELEMENTS) throw new RestliHttpError(400, 'Request would return too many entities. ');

    const elements = [...rows.values()]
      .sort((a, b) => a.bucket[0] - b.bucket[0] || a.pivot.localeCompare(b.pivot))
      .map((row) => {
        const element: Record<string, unknown> = {};
        for (const f of fields) {
          if (f === 'pivotValues') element.pivotValues = [row.pivot];
          else if (f === 'dateRange') element.dateRange = { start: ymd(row.bucket[0]), end: ymd(row.bucket[1]) };
          else if (f === 'costInLocalCurrency') element.costInLocalCurrency = row.metrics.costInLocalCurrency.toFixed(5).replace(/0+$/, '').replace(/\.$/, '.0');
          else element[f] = row.metrics[f as Metric];
        }
        return element;
      });
    res.json({ elements, paging: { start: 0, count: 10, links: [] } });
  });
}
