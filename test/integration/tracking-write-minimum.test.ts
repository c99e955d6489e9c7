import { describe, expect, it } from 'vitest';
import type { Network } from '../../src/networks/types';
import { useSandboxes } from '../support/sandboxes';
import { useStack } from '../support/stack';
import { sandboxRequests, seedAndConnect, waitForSweeps } from '../support/tracking-helpers';

/**
 * Issue 12 P1 on the networks that tag per campaign: a first sweep writes each tagged campaign once, in
 * as few requests as the network documents — Google up to 10,000 campaign operations per
 * `campaigns:mutate`, LinkedIn one `adTrackingParameters` PUT per campaign (no batch method).
 */
const GOOGLE_MUTATE_MAX = 10_000;
const WRITES: Record<'google' | 'linkedin', { isWrite: (r: { method: string; endpoint: string }) => boolean; minimum: (campaigns: number) => number }> = {
  google: { isWrite: (r) => r.method === 'POST' && r.endpoint.includes(':mutate'), minimum: (campaigns) => Math.ceil(campaigns / GOOGLE_MUTATE_MAX) },
  linkedin: { isWrite: (r) => r.method === 'PUT' && r.endpoint.includes('adTrackingParameters'), minimum: (campaigns) => campaigns },
};

describe('P1 write requests at the documented minimum (issue 12)', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '3600' }) });

  it.each([
    ['google', 5601],
    ['linkedin', 5602],
  ] as const)('P1 %s: write requests = the documented minimum for the campaigns the first sweep tagged', async (network: 'google' | 'linkedin', seed: number) => {
    const since = new Date().toISOString();
    const { account } = await seedAndConnect(stack, sandboxes, network, { seed, accounts: 1, adsPerAccount: 120 });
    await waitForSweeps(stack, account.id, 1, 120_000);
    const tracked = await stack.db.models.Ad.find({ accountKey: account.id, trackingStatus: 'tracked' }, { 'campaign.id': 1 }).lean();
    const campaigns = new Set(tracked.map((ad) => ad.campaign.id)).size;
    expect(campaigns).toBeGreaterThan(1);
    const writes = (await sandboxRequests(sandboxes, network as Network, { since })).filter(WRITES[network].isWrite);
    expect(writes.length).toBe(WRITES[network].minimum(campaigns));
  }, 240_000);
});
