import { describe, expect, it } from 'vitest';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { connectAccount, connectNetwork, facebookWriteBatches, sweepNow, waitForSweeps } from '../support/tracking-helpers';

/**
 * Issue 15 item 3 (TRK-11): a write the network refused is retried at the time its backoff announced,
 * not at every sweep that lists the ad again — incremental sweeps every second and forced full sweeps
 * included. (Before the fix every sweep re-wrote the ad and bumped its attempts.)
 */
describe('TRK-11 backoff', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '1', TRACKING_RETRY_BASE_SECONDS: '3600' }) });

  it('issue15-3 a refused write waits for its retry time however many sweeps list the ad', async () => {
    const fb = sandboxes.control('facebook');
    const seeded = await sandboxes.seed('facebook', { seed: 4091, accounts: 1, adsPerAccount: 8 });
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    await fb.put('/_sandbox/faults', { batchItemFailureRate: 1 });
    try {
      const account = await connectAccount(stack, connection.id, seeded.accounts[0].id);
      const first = await waitForSweeps(stack, account.id, 1);
      const refused = await eventually(async () => {
        const docs = await stack.db.models.Ad.find({ accountKey: account.id, 'reason.code': 'NETWORK_REJECTED' }).lean();
        return docs.length > 0 ? docs : undefined;
      }, { what: 'refused writes' });
      for (const doc of refused) expect(doc.attempts).toBe(1);
      const writesAfterFirst = await facebookWriteBatches(sandboxes, first.lastSweepAt!);

      // Incremental sweeps every second, and two forced full sweeps, list the ads again.
      await waitForSweeps(stack, account.id, first.sweeps + 3);
      await sweepNow(stack, account.id, { full: true });
      const last = await sweepNow(stack, account.id, { full: true });
      expect(last.sweeps).toBeGreaterThanOrEqual(first.sweeps + 5);

      expect(await facebookWriteBatches(sandboxes, first.lastSweepAt!)).toHaveLength(writesAfterFirst.length);
      const after = new Map((await stack.db.models.Ad.find({ _id: { $in: refused.map((d) => d._id) } }).lean()).map((d) => [d._id, d]));
      for (const doc of refused) {
        expect(after.get(doc._id)).toMatchObject({ trackingStatus: 'error', attempts: 1, nextRetryAt: doc.nextRetryAt, reason: { code: 'NETWORK_REJECTED' } });
      }
    } finally {
      await fb.put('/_sandbox/faults', { batchItemFailureRate: 0 });
    }
  });
});
