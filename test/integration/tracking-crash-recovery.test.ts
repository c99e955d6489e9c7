import { describe, expect, it } from 'vitest';
import { useSandboxes } from '../support/sandboxes';
import { useStack } from '../support/stack';
import { clickAd, connectAccount, connectNetwork, getAd, listAds, facebookWriteBatches, waitForSweeps } from '../support/tracking-helpers';

/**
 * Issue 15 item 15 (TRK-12 across crashes): a worker that stops after the network accepted a page's
 * writes but before their outcome was stored. The retried page finds the ads tagged; the write
 * journal says the parameters are ours, so every ad still gets its `applied` audit entry with the
 * parameters, and nothing is written twice. The stop is made exact by failing the first audit write
 * (the first database write after the network call) once.
 */
let stopAfterNetworkWrite = false;

describe('TRK-12 audit across a crash between the network write and storing it', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({
    env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '3600' }),
    deps: (base) => ({
      ...base,
      models: {
        ...base.models,
        AdAudit: new Proxy(base.models.AdAudit, {
          get(target, prop, receiver) {
            if (prop === 'bulkWrite' && stopAfterNetworkWrite) {
              return async () => {
                stopAfterNetworkWrite = false;
                throw new Error('worker stopped between the network write and storing its outcome');
              };
            }
            return Reflect.get(target, prop, receiver);
          },
        }),
      },
    }),
  });

  it('issue15-15 ads tagged by an interrupted attempt keep an applied audit entry with their parameters; nothing is written twice', async () => {
    const seeded = await sandboxes.seed('facebook', { seed: 4093, accounts: 1, adsPerAccount: 8 });
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const since = new Date().toISOString();
    stopAfterNetworkWrite = true;
    const account = await connectAccount(stack, connection.id, seeded.accounts[0].id);
    await waitForSweeps(stack, account.id, 1);
    expect(stopAfterNetworkWrite, 'the interruption happened').toBe(false);

    const tracked = await listAds(stack, account.id, 'tracked');
    const written = tracked.filter((ad) => Object.keys(ad.appliedParams).length > 0);
    expect(written.length).toBeGreaterThan(0);
    for (const ad of tracked) {
      const { audit, appliedParams } = await getAd(stack, ad.id);
      const applied = audit.filter((entry) => entry.action === 'applied');
      if (applied.length === 0) continue; // tagged before we came (no write of ours)
      expect(applied).toHaveLength(1);
      expect(Object.keys(applied[0]!.after.params).length).toBeGreaterThan(0);
      expect(appliedParams).toEqual(applied[0]!.after.params);
      expect((await clickAd(sandboxes, 'facebook', ad.adId)).searchParams.get('hsa_ad')).toBe(ad.adId);
    }
    expect(written.every((ad) => ad.appliedParams.hsa_ad === ad.adId)).toBe(true);
    // One batch carried every write; the retried attempt found the ads tagged and wrote nothing.
    expect(await facebookWriteBatches(sandboxes, since)).toHaveLength(1);
    expect(await stack.db.models.AdWriteJournal.countDocuments({ accountKey: account.id })).toBe(0);
  });
});
