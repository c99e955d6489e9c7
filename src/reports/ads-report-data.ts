/**
 * REP-1/REP-2 inputs summed by the database: a report over an account with years of daily metrics
 * and many attributed contacts moves one row per ad over the wire, not every day and every contact.
 * Only $match/$group/$sum are used: FerretDB v1 supports them, and each $match starts on an indexed
 * field ({accountKey, date} on ad_metrics, attribution.ad.accountKey on contacts).
 */
import type { AdAttributionCount, AdMetricsInput, ReportAd } from '../domain/attribution';
import type { AdAccountRecord } from '../db/models/ad-account';
import type { AdDoc } from '../db/models/ad';
import type { Models } from '../db/models';

export interface ReportRange {
  from: string;
  to: string;
}

export interface AdsReportData {
  ads: ReportAd[];
  metrics: AdMetricsInput[];
  attributionCounts: AdAttributionCount[];
}

type Account = Pick<AdAccountRecord, '_id' | 'network' | 'externalId'>;

const DAY_MS = 86_400_000;

export async function loadAdsReportData(models: Pick<Models, 'Ad' | 'AdMetric' | 'Contact'>, account: Account, range: ReportRange | undefined): Promise<AdsReportData> {
  const [ads, metrics, attributionCounts] = await Promise.all([
    models.Ad.find({ accountKey: account._id }, { network: 1, adId: 1, name: 1, campaign: 1, trackingStatus: 1, status: 1, rawStatus: 1, reason: 1 })
      .limit(20_000)
      .lean<AdDoc[]>(),
    metricTotals(models, account, range),
    attributedContactCounts(models, account, range),
  ]);
  return {
    ads: ads.map((ad) => ({
      network: ad.network,
      accountId: account.externalId,
      adId: ad.adId,
      name: ad.name,
      campaign: ad.campaign,
      trackingStatus: ad.trackingStatus,
      status: ad.status,
      networkStatus: ad.rawStatus,
      ...(ad.reason ? { trackingReason: ad.reason.message } : {}),
    })),
    metrics,
    attributionCounts,
  };
}

const MEASURES = ['impressions', 'clicks', 'spend', 'conversions'] as const;

/**
 * One aggregate per measure: FerretDB v1 (1.24.2) answers 0 for every accumulator of a $group after
 * the first, so a single $group with four $sum would report no clicks, spend or conversions.
 */
async function metricTotals(models: Pick<Models, 'AdMetric'>, account: Account, range: ReportRange | undefined): Promise<AdMetricsInput[]> {
  const match = { $match: { accountKey: account._id, ...(range ? { date: { $gte: range.from, $lte: range.to } } : {}) } };
  const sums = await Promise.all(
    MEASURES.map((measure) => models.AdMetric.aggregate<{ _id: string; total: number }>([match, { $group: { _id: '$adKey', total: { $sum: `$${measure}` } } }])),
  );
  const prefix = `${account.network}:`;
  const byAd = new Map<string, AdMetricsInput>();
  MEASURES.forEach((measure, i) => {
    for (const { _id: adKey, total } of sums[i]!) {
      let row = byAd.get(adKey);
      if (row === undefined) {
        row = { adId: adKey.startsWith(prefix) ? adKey.slice(prefix.length) : adKey, impressions: 0, clicks: 0, spend: 0, conversions: 0 };
        byAd.set(adKey, row);
      }
      row[measure] = total;
    }
  });
  return [...byAd.values()];
}

async function attributedContactCounts(models: Pick<Models, 'Contact'>, account: Account, range: ReportRange | undefined): Promise<AdAttributionCount[]> {
  const clickAt = range ? { 'attribution.ad.clickAt': { $gte: new Date(`${range.from}T00:00:00.000Z`), $lt: new Date(Date.parse(`${range.to}T00:00:00.000Z`) + DAY_MS) } } : {};
  const groups = await models.Contact.aggregate<{ _id: string | null; contacts: number }>([
    { $match: { 'attribution.ad.accountKey': account._id, 'attribution.attributed': true, ...clickAt } },
    { $group: { _id: '$attribution.ad.adId', contacts: { $sum: 1 } } },
  ]);
  return groups.filter((g): g is { _id: string; contacts: number } => typeof g._id === 'string' && g._id !== '').map((g) => ({ adId: g._id, contacts: g.contacts }));
}
