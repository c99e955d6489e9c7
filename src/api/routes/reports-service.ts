import { buildAdsReport, type AdAttributionRef, type ReportAd } from '../../domain/attribution';
import { UNIQUE_VISITORS_NOTE } from '../../domain/visitors';
import type { AdDoc } from '../../db/models/ad';
import type { AdMetricDay } from '../../db/models/ad-metric';
import type { ContactDoc } from '../../db/models/contact';
import type { ApiContext } from '../context';
import { findAccount } from './accounts-service';

/**
 * REP-1/REP-2, shared by `GET /api/reports/ads` and the console's report page: per ad, the network's
 * numbers (impressions, clicks, spend, conversions) next to the distinct contacts this system
 * attributed, with the ad's tracking status — and why they differ.
 */
export async function adsReport(ctx: ApiContext, query: { accountId: string; from?: string | undefined; to?: string | undefined }) {
  const { models } = ctx.db;
  const account = await findAccount(ctx, query.accountId);
  const range = query.from !== undefined && query.to !== undefined ? { from: query.from, to: query.to } : undefined;
  const ads = await models.Ad.find({ accountKey: account._id }).limit(20_000).lean<AdDoc[]>();
  const metricDocs = await models.AdMetric.find({ accountKey: account._id, ...(range ? { date: { $gte: range.from, $lte: range.to } } : {}) })
    .limit(500_000)
    .lean<AdMetricDay[]>();
  const contacts = await models.Contact.find({ 'attribution.attributed': true, 'attribution.ad.accountKey': account._id }, { attribution: 1 })
    .limit(500_000)
    .lean<Pick<ContactDoc, '_id' | 'attribution'>[]>();
  const prefix = `${account.network}:`;
  const reportAds: ReportAd[] = ads.map((ad) => ({
    network: ad.network,
    accountId: account.externalId,
    adId: ad.adId,
    name: ad.name,
    campaign: ad.campaign,
    trackingStatus: ad.trackingStatus,
    status: ad.status,
    networkStatus: ad.rawStatus,
    ...(ad.reason ? { trackingReason: ad.reason.message } : {}),
  }));
  const attributions: AdAttributionRef[] = contacts
    .filter((c) => c.attribution?.ad?.adId)
    .map((c) => ({ contactId: c._id, adId: c.attribution!.ad!.adId!, clickAt: new Date(c.attribution!.ad!.clickAt).toISOString() }));
  const report = buildAdsReport({
    network: account.network,
    accountId: account.externalId,
    ads: reportAds,
    metrics: metricDocs.map((m) => ({
      adId: m.adKey.startsWith(prefix) ? m.adKey.slice(prefix.length) : m.adKey,
      date: m.date,
      impressions: m.impressions,
      clicks: m.clicks,
      spend: m.spend,
      conversions: m.conversions,
    })),
    attributions,
    ...(range ? { range } : {}),
  });
  return {
    accountId: account._id,
    network: account.network,
    currency: account.currency,
    from: range?.from ?? null,
    to: range?.to ?? null,
    rows: report.rows.map((row) => ({ ...row, adKey: `${account.network}:${row.adId}` })),
    totals: report.totals,
    notes: { networkConversionsVsContacts: report.note, uniqueVisitors: UNIQUE_VISITORS_NOTE },
  };
}

export type AdsReport = Awaited<ReturnType<typeof adsReport>>;
