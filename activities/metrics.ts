import { heartbeat } from '@temporalio/activity';
import type { Models } from '../src/db/models';
import { bulkWriteInChunks } from '../src/db/bulk';
import { adKeyOf } from '../src/db/models/ad';
import { loadAccount } from './accounts';
import { withAccessToken, type TokenDeps } from './tokens';

const DAY_MS = 86_400_000;

export function createMetricsActivities(deps: TokenDeps & { models: Models }) {
  return {
    /**
     * REP-1: impressions, clicks, spend and network conversions per ad per day for every ad, tracked
     * or not, re-reading the last `lookbackDays` because networks report late. Upserts by ad + day.
     */
    async syncAdMetrics(input: { accountKey: string; lookbackDays: number; today: string }): Promise<number> {
      const account = await loadAccount(deps, input.accountKey);
      // Networks report by the account's own calendar day: one day on each side of the UTC dates
      // covers every time zone (a future day simply has no rows).
      const todayMs = Date.parse(`${input.today}T00:00:00Z`);
      const to = new Date(todayMs + DAY_MS).toISOString().slice(0, 10);
      const from = new Date(todayMs - (input.lookbackDays + 1) * DAY_MS).toISOString().slice(0, 10);
      return withAccessToken(deps, account.connectionId, async (accessToken, client) => {
        let cursor: string | undefined;
        let rows = 0;
        do {
          const page = await client.getAdMetrics(accessToken, account.externalId, { from, to, ...(cursor ? { cursor } : {}) });
          const valid = page.items.filter((m) => /^\d{4}-\d{2}-\d{2}$/.test(m.date) && m.adId);
          if (valid.length) {
            await bulkWriteInChunks(
              deps.models.AdMetric,
              valid.map((m) => {
                const adKey = adKeyOf(account.network, m.adId);
                return {
                  updateOne: {
                    filter: { _id: `${adKey}:${m.date}` },
                    update: {
                      $set: {
                        accountKey: account.accountKey,
                        adKey,
                        date: m.date,
                        impressions: finite(m.impressions),
                        clicks: finite(m.clicks),
                        spend: finite(m.spend),
                        conversions: finite(m.conversions),
                        syncedAt: new Date(),
                      },
                    },
                    upsert: true,
                  },
                };
              }),
              { ordered: false },
            );
          }
          rows += valid.length;
          heartbeat({ rows });
          cursor = page.nextCursor;
        } while (cursor);
        return rows;
      });
    },
  };
}

const finite = (n: number) => (Number.isFinite(n) && n >= 0 ? n : 0);
