import { seededRandom } from '../kit/rng';
import { GraphError, invalidParameter } from './graph-error';
import type { RouteContext, RouteTable } from './graph-router';
import { paginate } from './paging';
import { graphDate, type Ad, type FacebookWorld } from './world';

/** Deterministic per-ad daily counters behind `/insights` (§6, §11.6). */
interface DayCounters {
  impressions: number;
  clicks: number;
  linkClicks: number;
  spend: number;
  /** Leads from instant forms (lead ads) and from the pixel (website ads). */
  onsiteLeads: number;
  pixelLeads: number;
  reactions: number;
  comments: number;
  shares: number;
}

const LEVELS = ['account', 'campaign', 'adset', 'ad'] as const;
type Level = (typeof LEVELS)[number];

const INSIGHT_FIELDS = [
  'account_id', 'account_name', 'account_currency', 'campaign_id', 'campaign_name', 'adset_id', 'adset_name', 'ad_id', 'ad_name',
  'impressions', 'reach', 'clicks', 'inline_link_clicks', 'spend', 'ctr', 'cpc', 'cpm', 'actions', 'inline_post_engagement',
  'date_start', 'date_stop',
];
const DEFAULT_FIELDS = ['impressions', 'clicks', 'spend'];
const DAY = 86_400_000;

function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/**
 * One ad's delivery on one day. The ad's post engagements are all booked on its first day, so the
 * `date_preset=maximum` totals equal what the ad carries (TRK-4 reads them from there).
 */
export function countersFor(world: FacebookWorld, ad: Ad, day: string): DayCounters | undefined {
  const seeded = seededCounters(world, ad, day);
  const websiteLeads = world.clickAttribution.leadsOn(ad.id, day);
  if (websiteLeads === 0) return seeded;
  // Leads credited to simulated clicks come on top; each came through at least one click and impression.
  const base = seeded ?? { impressions: 0, clicks: 0, linkClicks: 0, spend: 0, onsiteLeads: 0, pixelLeads: 0, reactions: 0, comments: 0, shares: 0 };
  return {
    ...base,
    impressions: Math.max(base.impressions, 1),
    clicks: Math.max(base.clicks, 1),
    linkClicks: Math.max(base.linkClicks, 1),
    pixelLeads: base.pixelLeads + websiteLeads,
  };
}

function seededCounters(world: FacebookWorld, ad: Ad, day: string): DayCounters | undefined {
  const firstDay = graphDate(ad.createdTime);
  if (day < firstDay) return undefined;
  const random = seededRandom(hashSeed(`${world.seed}:${ad.id}:${day}`));
  let impressions = random() < 0.1 ? 0 : Math.floor(200 + random() * 3800);
  const isFirstDay = day === firstDay;
  if (isFirstDay) impressions = Math.max(impressions, 150);
  if (impressions === 0) return undefined;
  const clicks = Math.floor(impressions * (0.005 + random() * 0.025));
  const linkClicks = ad.kind === 'messenger' ? 0 : Math.floor(clicks * 0.8);
  const leads = Math.floor(clicks * (ad.kind === 'lead' ? 0.12 : 0.04) * random());
  return {
    impressions,
    clicks,
    linkClicks,
    spend: Math.round(impressions * (2 + random() * 10)) / 1000,
    onsiteLeads: ad.kind === 'lead' ? leads : 0,
    pixelLeads: ad.kind === 'lead' ? 0 : leads,
    reactions: isFirstDay ? ad.engagement.reactions : 0,
    comments: isFirstDay ? ad.engagement.comments : 0,
    shares: isFirstDay ? ad.engagement.shares : 0,
  };
}

function add(a: DayCounters, b: DayCounters): DayCounters {
  return {
    impressions: a.impressions + b.impressions,
    clicks: a.clicks + b.clicks,
    linkClicks: a.linkClicks + b.linkClicks,
    spend: a.spend + b.spend,
    onsiteLeads: a.onsiteLeads + b.onsiteLeads,
    pixelLeads: a.pixelLeads + b.pixelLeads,
    reactions: a.reactions + b.reactions,
    comments: a.comments + b.comments,
    shares: a.shares + b.shares,
  };
}

/** `actions` lists only non-zero types (§6); `lead` totals the on-Facebook and pixel lead types. */
function actionsOf(c: DayCounters): { action_type: string; value: string }[] {
  const engagement = c.reactions + c.comments + c.shares + c.linkClicks;
  const entries: [string, number][] = [
    ['link_click', c.linkClicks],
    ['post_reaction', c.reactions],
    ['comment', c.comments],
    ['post', c.shares],
    ['post_engagement', engagement],
    ['page_engagement', engagement],
    ['lead', c.onsiteLeads + c.pixelLeads],
    ['onsite_conversion.lead_grouped', c.onsiteLeads],
    ['offsite_conversion.fb_pixel_lead', c.pixelLeads],
  ];
  return entries.filter(([, v]) => v > 0).map(([action_type, v]) => ({ action_type, value: String(v) }));
}

function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

const PRESET_DAYS: Record<string, [number, number]> = {
  today: [0, 0],
  yesterday: [1, 1],
  last_3d: [3, 1],
  last_7d: [7, 1],
  last_14d: [14, 1],
  last_28d: [28, 1],
  last_30d: [30, 1],
  last_90d: [90, 1],
};

function dateWindow(ctx: RouteContext, ads: Ad[]): { since: string; until: string } {
  const today = graphDate(ctx.world.nowSeconds());
  const range = ctx.json('time_range') as { since?: unknown; until?: unknown } | undefined;
  if (range !== undefined) {
    const { since, until } = range ?? {};
    const valid = (d: unknown): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(dayMs(d));
    if (!valid(since) || !valid(until) || since > until) throw invalidParameter('Param time_range must be {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"} with since <= until');
    // Graph reports nothing for days that have not happened yet: the window ends today.
    return { since, until: until > today ? today : until };
  }
  const preset = ctx.string('date_preset') ?? 'last_30d';
  if (preset === 'maximum' || preset === 'data_maximum') {
    const first = Math.min(...ads.map((ad) => ad.createdTime), ctx.world.nowSeconds());
    return { since: graphDate(first), until: today };
  }
  const days = PRESET_DAYS[preset];
  if (!days) throw invalidParameter(`Param date_preset must be one of {${[...Object.keys(PRESET_DAYS), 'maximum', 'data_maximum'].join(', ')}}`);
  return { since: dayString(dayMs(today) - days[0] * DAY), until: dayString(dayMs(today) - days[1] * DAY) };
}

function adFilter(ctx: RouteContext): (ad: Ad) => boolean {
  const filtering = ctx.json('filtering');
  if (filtering === undefined) return () => true;
  if (!Array.isArray(filtering)) throw invalidParameter('Param filtering must be an array');
  const rules = (filtering as { field?: string; operator?: string; value?: unknown }[]).map((rule) => {
    const key = { 'ad.id': 'id', 'adset.id': 'adsetId', 'campaign.id': 'campaignId' }[String(rule.field)] as 'id' | 'adsetId' | 'campaignId' | undefined;
    const values = rule.operator === 'IN' && Array.isArray(rule.value) ? rule.value.map(String) : rule.operator === 'EQUAL' ? [String(rule.value)] : undefined;
    if (!key || !values) throw invalidParameter(`Filtering field ${String(rule.field)} with operator ${String(rule.operator)} is not supported`);
    return (ad: Ad) => values.includes(ad[key]);
  });
  return (ad) => rules.every((rule) => rule(ad));
}

function insights(scope: 'account' | Level) {
  return (ctx: RouteContext): unknown => {
    const accountId = ctx.requireVisible(ctx.nodeId);
    ctx.auth().requireScope('ads_read', 'ads_management');
    const level = (ctx.string('level') ?? scope) as Level;
    if (!LEVELS.includes(level)) {
      throw new GraphError(400, { message: 'An unknown error occurred', type: 'OAuthException', code: 1, error_subcode: 99, error_user_msg: `Invalid level ${level}` });
    }
    const fields = ctx.string('fields')?.split(',').map((f) => f.trim()).filter(Boolean) ?? DEFAULT_FIELDS;
    const unknown = fields.find((f) => !INSIGHT_FIELDS.includes(f));
    if (unknown) throw invalidParameter(`${unknown} is not valid for fields param. please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/`);
    const inScope = (ad: Ad) =>
      scope === 'account' ? ad.accountId === accountId : ad[{ campaign: 'campaignId', adset: 'adsetId', ad: 'id' }[scope] as 'campaignId' | 'adsetId' | 'id'] === ctx.nodeId;
    const keep = adFilter(ctx);
    const ads = [...ctx.world.ads.values()].filter((ad) => inScope(ad) && keep(ad));
    const { since, until } = dateWindow(ctx, ads);
    const increment = ctx.string('time_increment') ?? 'all_days';
    const bucketDays = increment === 'all_days' ? Infinity : Number(increment);
    if (!(bucketDays === Infinity || (Number.isInteger(bucketDays) && bucketDays >= 1 && bucketDays <= 90))) {
      throw invalidParameter('Param time_increment must be an integer 1-90 or all_days');
    }
    const rows = buildRows(ctx.world, ads, level, since, until, bucketDays);
    const page = paginate(rows, (row) => row.key, ctx.links());
    const selected = new Set([...fields, 'date_start', 'date_stop']);
    return { ...page, data: page.data.map((row) => Object.fromEntries(Object.entries(row.fields).filter(([k]) => selected.has(k)))) };
  };
}

interface Row {
  key: string;
  fields: Record<string, unknown>;
}

function buildRows(world: FacebookWorld, ads: Ad[], level: Level, since: string, until: string, bucketDays: number): Row[] {
  const groups = new Map<string, { ad: Ad; start: string; stop: string; counters: DayCounters }>();
  const firstMs = dayMs(since);
  for (let ms = firstMs; ms <= dayMs(until); ms += DAY) {
    const day = dayString(ms);
    const bucket = bucketDays === Infinity ? 0 : Math.floor((ms - firstMs) / DAY / bucketDays);
    const start = bucketDays === Infinity ? since : dayString(firstMs + bucket * bucketDays * DAY);
    const stopMs = bucketDays === Infinity ? dayMs(until) : Math.min(dayMs(start) + (bucketDays - 1) * DAY, dayMs(until));
    for (const ad of ads) {
      const counters = countersFor(world, ad, day);
      if (!counters) continue;
      const entity = { account: ad.accountId, campaign: ad.campaignId, adset: ad.adsetId, ad: ad.id }[level];
      const key = `${start}|${entity}`;
      const group = groups.get(key);
      if (group) group.counters = add(group.counters, counters);
      else groups.set(key, { ad, start, stop: dayString(stopMs), counters });
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, { ad, start, stop, counters: c }]) => ({ key, fields: rowFields(world, ad, level, start, stop, c) }));
}

function rowFields(world: FacebookWorld, ad: Ad, level: Level, start: string, stop: string, c: DayCounters): Record<string, unknown> {
  const account = world.accounts.get(ad.accountId);
  const depth = LEVELS.indexOf(level);
  const names = world.currentNames(ad);
  return {
    account_id: account?.accountId,
    account_name: account?.name,
    account_currency: account?.currency,
    ...(depth >= 1 ? { campaign_id: ad.campaignId, campaign_name: names.campaignName } : {}),
    ...(depth >= 2 ? { adset_id: ad.adsetId, adset_name: names.adsetName } : {}),
    ...(depth >= 3 ? { ad_id: ad.id, ad_name: ad.name } : {}),
    impressions: String(c.impressions),
    reach: String(Math.floor(c.impressions * 0.8)),
    clicks: String(c.clicks),
    inline_link_clicks: String(c.linkClicks),
    spend: c.spend.toFixed(2),
    ctr: ((c.clicks / c.impressions) * 100).toFixed(6),
    cpc: c.clicks > 0 ? (c.spend / c.clicks).toFixed(6) : undefined,
    cpm: ((c.spend / c.impressions) * 1000).toFixed(6),
    actions: actionsOf(c),
    inline_post_engagement: String(c.reactions + c.comments + c.shares + c.linkClicks),
    date_start: start,
    date_stop: stop,
  };
}

const route = (scope: 'account' | Level) => ({ handler: insights(scope), auth: true, buc: 'ads_insights' as const });

export const insightsRoutes: RouteTable = {
  'GET act/insights': route('account'),
  'GET campaign/insights': route('campaign'),
  'GET adset/insights': route('adset'),
  'GET ad/insights': route('ad'),
};

