import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { useSandboxes } from '../support/sandboxes';
import { connectAccount, connectNetwork, listAds, sandboxRequests, waitForSweeps } from '../support/tracking-helpers';

/**
 * Issue 4 "Performance by design": tagging an account with many eligible ads makes no more write
 * requests than the batch maximum requires (two operations per ad since issue 11: create the
 * creative, point the ad at it), and the workflow history grows with pages, not ads.
 */

const ADS = 500;
const FACEBOOK_BATCH_MAX = 50;
/** Meta's documented path: POST /act_<id>/adcreatives, then the ad update with creative_id. */
const OPERATIONS_PER_AD = 2;
const FACEBOOK_PAGE_SIZE = 100;

describe('Tagging a large account', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });

  it(`Facebook: ${ADS} eligible ads → ceil(2n/50) batch writes, at most one activity per page, a small history`, async () => {
    const seeded = await sandboxes.seed('facebook', { seed: 4051, accounts: 1, adsPerAccount: 0 });
    const accountId: string = seeded.accounts[0].id;
    const fb = sandboxes.control('facebook');
    const landing = sandboxes.running.urls.landing;
    for (let i = 0; i < ADS; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, k) => fb.post('/_sandbox/ads', { accountId, kind: 'link', status: 'ACTIVE', name: `Bulk ${i + k}`, landingUrl: `${landing}/p/bulk-${i + k}` })));
    }
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const startedAt = new Date().toISOString();
    const account = await connectAccount(stack, connection.id, accountId);
    const live = await waitForSweeps(stack, account.id, 1, 60_000);
    expect(live.counts.tracked).toBe(ADS);
    expect((await listAds(stack, account.id, 'tracked')).length).toBe(ADS);

    // Writes: POST /batch only, each ≤ 50 operations, exactly as many as the batch maximum requires.
    // The ads watcher's Graph batches only read: they are not writes.
    const posts = (await sandboxRequests(sandboxes, 'facebook', { since: startedAt })).filter((r) => r.method === 'POST' && r.batchWrites !== 0);
    expect(new Set(posts.map((r) => r.endpoint))).toEqual(new Set(['POST /batch']));
    expect(posts.length).toBe(Math.ceil((OPERATIONS_PER_AD * ADS) / FACEBOOK_BATCH_MAX));
    expect(posts.every((r) => r.batchSize! <= FACEBOOK_BATCH_MAX)).toBe(true);
    expect(posts.reduce((sum, r) => sum + r.batchSize!, 0)).toBe(OPERATIONS_PER_AD * ADS);
    const listCalls = (await sandboxRequests(sandboxes, 'facebook', { endpoint: 'GET /act_{id}/ads', since: startedAt })).filter((r) => r.at <= live.lastSweepAt!);
    expect(listCalls.length).toBe(Math.ceil(ADS / FACEBOOK_PAGE_SIZE));

    // History: at most one activity per page (issue 12: pages share a `sweepAds` call while it has
    // time), never per ad; the whole first sweep fits in a small history.
    const history = await stack.client.workflow.getHandle(account.workflowId).fetchHistory();
    const scheduled = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    const sweepCalls = scheduled.filter((name) => name === 'sweepAds').length;
    expect(scheduled.filter((name) => name === 'sweepAdsPage' || name === 'recordSweep')).toEqual([]);
    expect(sweepCalls).toBeGreaterThanOrEqual(live.sweeps);
    expect(sweepCalls).toBeLessThanOrEqual(Math.ceil(ADS / FACEBOOK_PAGE_SIZE) + 2 * live.sweeps);
    expect(history.events!.length).toBeLessThan(150);
    expect(history.events!.length).toBeLessThan(ADS / 3);
  });
});
