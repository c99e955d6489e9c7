import { describe, expect, it } from 'vitest';
import { registerDatabaseGauges } from '../../src/metrics/database-gauges';
import {
  adsSwept,
  conversions,
  httpRequestDuration,
  leadsMissingFound,
  leadsStored,
  networkRateLimited,
  registry,
  sweepPages,
  sweepsCompleted,
  trackingWrites,
  visitorEvents,
  webhookDeliveries,
} from '../../src/metrics/registry';
import { TRACKING_REASON_CODES } from '../../src/domain/tracking/types';
import { parseExposition } from '../support/prometheus';

const NETWORKS = ['facebook', 'google', 'linkedin'] as const;
const STATUSES = ['tracked', 'pending', 'error', 'excluded'] as const;
const ACCOUNT_STATUSES = ['active', 'needs_reconnect', 'disconnected'] as const;
const SKIP_REASONS = ['NO_CONSENT', 'STAGE_NOT_SELECTED', 'AUDIENCE_NOT_INTERACTED', 'NO_FB_LEAD_ID', 'OUTSIDE_NETWORK_WINDOW'];
const FAILURE_REASONS = ['PIXEL_REQUIRED', 'INVALID_GCLID', 'UNKNOWN', 'facebook-code-100'];

/**
 * Every product metric fed as `accounts` accounts would feed it — each account on each network reaching
 * every status, reason and outcome — and the database gauges over that many account rows; the
 * series count of the `adtrack_*` metrics is the same for 100 and 1,000 accounts, because no label
 * carries an account, ad or contact.
 */
async function seriesFor(accounts: number): Promise<{ adtrack: number; total: number }> {
  registry.resetMetrics();
  const accountRows = Array.from({ length: accounts }, (_, i) => ({
    network: NETWORKS[i % 3]!,
    status: ACCOUNT_STATUSES[i % 3]!,
    lastSweepAt: new Date(1_000_000 + i),
    connectedAt: new Date(0),
  }));
  const adGroups = NETWORKS.flatMap((network) => STATUSES.flatMap((status) => [null, ...TRACKING_REASON_CODES].map((reason) => ({ _id: { network, status, reason }, count: accounts }))));
  const models = {
    Ad: { aggregate: async () => adGroups },
    AdAccount: { find: () => ({ lean: () => Promise.resolve(accountRows) }) },
  };
  registerDatabaseGauges(models as never, () => 2_000_000);
  for (let i = 0; i < accounts; i += 1) {
    for (const network of NETWORKS) {
      sweepPages.inc({ network });
      sweepsCompleted.inc({ network });
      for (const status of STATUSES) adsSwept.inc({ network, tracking_status: status });
      for (const outcome of ['applied', 'failed']) trackingWrites.inc({ network, outcome });
      leadsStored.inc({ network, mode: 'poll' });
      leadsStored.inc({ network, mode: 'reconcile' });
      leadsMissingFound.inc({ network });
      networkRateLimited.inc({ network });
      for (const outcome of ['accepted', 'rejected_signature', 'rejected']) webhookDeliveries.inc({ network, outcome });
      conversions.inc({ network, outcome: 'sent', reason: 'none' });
      for (const reason of SKIP_REASONS) conversions.inc({ network, outcome: 'skipped', reason });
      for (const reason of FAILURE_REASONS) conversions.inc({ network, outcome: 'failed', reason: reason.startsWith('facebook') ? 'OTHER' : reason });
    }
    for (const kind of ['pageview', 'submission']) for (const outcome of ['accepted', 'rate_limited', 'refused']) visitorEvents.inc({ kind, outcome });
    // Every account's pages hit the same route templates: the route label never carries its id.
    for (const status of ['200', '404']) httpRequestDuration.observe({ method: 'GET', route: '/api/accounts/:id', status }, 0.01);
  }
  const { samples } = parseExposition(await registry.metrics());
  return { adtrack: samples.filter((s) => s.name.startsWith('adtrack_')).length, total: samples.length };
}

describe('OPS metrics: label cardinality is bounded by configuration, not by customers', () => {
  it('100 and 1,000 connected accounts produce the same number of series', async () => {
    const hundred = await seriesFor(100);
    const thousand = await seriesFor(1000);
    expect(thousand.adtrack).toBe(hundred.adtrack);
    // Printed for the operations notes (README): the measured numbers.
    console.log(`series for 100 accounts: ${hundred.adtrack} adtrack_* (${hundred.total} with process metrics); for 1,000: ${thousand.adtrack}`);
    expect(hundred.adtrack).toBeLessThan(1000);
  });

  it('a reason that is not one of our upper-case codes folds into OTHER', async () => {
    const { boundedReason } = await import('../../src/metrics/registry');
    expect([boundedReason('NO_CONSENT'), boundedReason('(#100) Invalid parameter'), boundedReason('someone@example.com'), boundedReason(null)]).toEqual(['NO_CONSENT', 'OTHER', 'OTHER', 'none']);
  });
});
