import { isNetworkError } from '../errors';
import type { AdDayMetrics, MetricsQuery, Page } from '../types';
import type { CollectionResponse, RestliTransport } from './http';
import { buildQuery, idOf, List, Raw, Rec, urns } from './restli';

interface AnalyticsRow {
  pivotValues?: string[];
  dateRange?: { start?: { year: number; month: number; day: number } };
  impressions?: number;
  clicks?: number;
  costInLocalCurrency?: string;
  externalWebsiteConversions?: number;
  oneClickLeads?: number;
}

const DAY_MS = 86_400_000;
/** Days per page; adAnalytics has no paging (§5), so the date range is the page. */
const WINDOW_DAYS = 30;
const FIELDS = 'dateRange,pivotValues,impressions,clicks,costInLocalCurrency,externalWebsiteConversions,oneClickLeads';

const dayOf = (iso: string) => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS);
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dateParam = (day: number) => {
  const d = new Date(day * DAY_MS);
  return Rec({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
};

async function fetchWindow(api: RestliTransport, accessToken: string, accountId: string, from: number, to: number): Promise<AnalyticsRow[]> {
  const query = buildQuery({
    q: 'analytics',
    pivot: 'CREATIVE',
    timeGranularity: 'DAILY',
    dateRange: Rec({ start: dateParam(from), end: dateParam(to) }),
    accounts: List(urns.account(accountId)),
    fields: Raw(FIELDS),
  });
  try {
    return (await api.get<CollectionResponse<AnalyticsRow>>(accessToken, '/adAnalytics', query)).elements ?? [];
  } catch (error) {
    // §5: at most 15,000 rows per answer — split the date range and ask again.
    if (isNetworkError(error) && error.kind === 'invalid' && /too many/i.test(error.message) && to > from) {
      const mid = Math.floor((from + to) / 2);
      return [...(await fetchWindow(api, accessToken, accountId, from, mid)), ...(await fetchWindow(api, accessToken, accountId, mid + 1, to))];
    }
    throw error;
  }
}

/** §5 `adAnalytics` pivot CREATIVE, daily; one page = up to 30 days, the cursor is the next day. */
export async function getAdMetrics(api: RestliTransport, accessToken: string, accountId: string, query: MetricsQuery): Promise<Page<AdDayMetrics>> {
  const last = dayOf(query.to);
  const from = query.cursor ? dayOf(query.cursor) : dayOf(query.from);
  if (from > last) return { items: [] };
  const to = Math.min(last, from + WINDOW_DAYS - 1);
  const rows = await fetchWindow(api, accessToken, accountId, from, to);
  const items = rows.flatMap((row): AdDayMetrics[] => {
    const start = row.dateRange?.start;
    const adId = idOf(row.pivotValues?.[0]);
    if (!start || !adId) return [];
    return [
      {
        adId,
        date: `${start.year}-${String(start.month).padStart(2, '0')}-${String(start.day).padStart(2, '0')}`,
        impressions: row.impressions ?? 0,
        clicks: row.clicks ?? 0,
        // §5: cost is a decimal string in the account currency.
        spend: Number(row.costInLocalCurrency ?? 0),
        conversions: (row.externalWebsiteConversions ?? 0) + (row.oneClickLeads ?? 0),
      },
    ];
  });
  return { items, ...(to < last ? { nextCursor: isoOf(to + 1) } : {}) };
}
