import { Router } from 'express';
import { z } from 'zod';
import { buildAdsReport } from '../../domain/attribution';
import { UNIQUE_VISITORS_NOTE } from '../../domain/visitors';
import { loadAdsReportData } from '../../reports/ads-report-data';
import type { ApiContext } from '../context';
import { parseInput } from '../errors';
import { findAccount } from './accounts-service';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const querySchema = z
  .object({ accountId: z.string().min(1).max(200), from: day.optional(), to: day.optional() })
  .refine((q) => (q.from === undefined) === (q.to === undefined), 'give both from and to, or neither')
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, 'from must not be after to');

/**
 * REP-1/REP-2: per ad, the network's numbers (impressions, clicks, spend, conversions) next to the
 * distinct contacts this system attributed, with the ad's tracking status — and why they differ.
 */
export function reportRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/reports/ads', async (req, res) => {
    const query = parseInput(querySchema, req.query, 'query');
    const account = await findAccount(ctx, query.accountId);
    const range = query.from !== undefined && query.to !== undefined ? { from: query.from, to: query.to } : undefined;
    const data = await loadAdsReportData(ctx.db.models, account, range);
    // The database already limited metrics and attributions to the range.
    const report = buildAdsReport({ network: account.network, accountId: account.externalId, ...data, attributions: [] });
    res.json({
      accountId: account._id,
      network: account.network,
      currency: account.currency,
      from: range?.from ?? null,
      to: range?.to ?? null,
      rows: report.rows.map((row) => ({ ...row, adKey: `${account.network}:${row.adId}` })),
      totals: report.totals,
      notes: { networkConversionsVsContacts: report.note, uniqueVisitors: UNIQUE_VISITORS_NOTE },
    });
  });

  return router;
}
