import { buildAdsReport } from '../../domain/attribution';
import { UNIQUE_VISITORS_NOTE } from '../../domain/visitors';
import { loadAdsReportData } from '../../reports/ads-report-data';
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
  const data = await loadAdsReportData(models, account, range);
  // The database already limited metrics and attributions to the range.
  const report = buildAdsReport({ network: account.network, accountId: account.externalId, ...data, attributions: [] });
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
