import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startWorker, useStack } from '../support/stack';
import { useSandboxes } from '../support/sandboxes';
import { connectAccount, connectNetwork, expectNoDuplicateKeys, getAccount, keyCounts, listAds, facebookWriteBatches, sandboxRequests, waitForSweeps } from '../support/tracking-helpers';

/**
 * Issue 4 acceptance 2: connecting twice, a worker killed mid-sweep and restarted, and a sandbox with
 * 30 % transient faults all end with every eligible ad tagged once — no parameter appended twice.
 */

const TEMPLATE_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'hsa_acc', 'hsa_cam', 'hsa_grp', 'hsa_ad', 'hsa_net', 'hsa_src', 'hsa_ver'];

describe('Idempotent onboarding and tagging', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });
  const fb = () => sandboxes.control('facebook');
  let seeded: any;
  let connectionId: string;
  let replacement: { worker: Worker; run: Promise<void> } | undefined;
  let onTeardown: (() => Promise<unknown>) | undefined;

  /** Every ad of the account that TRK-2/TRK-3 make eligible, from the sandbox world (in-process). */
  function eligibleAds(accountId: string) {
    const world = sandboxes.running.facebook.state.world;
    return [...world.ads.values()].filter((ad) => {
      if (ad.accountId !== accountId || !['ACTIVE', 'PENDING_REVIEW', 'IN_PROCESS'].includes(world.adEffectiveStatus(ad))) return false;
      if (ad.kind === 'messenger' || ad.kind === 'carousel_pac') return false;
      const engagements = ad.engagement.reactions + ad.engagement.comments + ad.engagement.shares;
      const link = JSON.stringify(world.creatives.get(ad.creativeId)?.objectStorySpec ?? {});
      return engagements < 20 && !/bit\.ly|tinyurl|ow\.ly|\/r\/|\/upgrade\//.test(link);
    });
  }

  /** Tagged once: the ad's url_tags carry each key once, and exactly one creative was ever written with them. */
  function expectTaggedOnce(accountId: string): number {
    const world = sandboxes.running.facebook.state.world;
    const eligible = eligibleAds(accountId);
    expect(eligible.length).toBeGreaterThan(0);
    for (const ad of eligible) {
      const tags = world.creatives.get(ad.creativeId)?.urlTags ?? '';
      expectNoDuplicateKeys(tags, `url_tags of ${ad.id}`);
      for (const key of TEMPLATE_KEYS.filter((k) => !['utm_source', 'utm_medium', 'utm_campaign'].includes(k))) expect(keyCounts(tags)[key], `${key} on ${ad.id}`).toBe(1);
      const written = [...world.creatives.values()].filter((c) => c.accountId === accountId && (c.urlTags ?? '').includes(`hsa_ad=${ad.id}`));
      expect(written.length, `creatives written for ${ad.id}`).toBe(1);
    }
    return eligible.length;
  }

  beforeAll(async () => {
    seeded = await sandboxes.seed('facebook', { seed: 4041, accounts: 3, adsPerAccount: 150 });
    connectionId = (await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle)).id;
  });

  afterAll(async () => {
    // Runs before the stack's own teardown: stop the replacement worker, and leave nothing for the stack to stop twice.
    if (replacement) {
      if (replacement.worker.getState() === 'RUNNING') replacement.worker.shutdown();
      await replacement.run;
      (stack as { worker?: Worker }).worker = undefined;
    }
  });

  it('connecting an account twice (even through a second OAuth grant) gives the same workflow and 200', async () => {
    const accountId = seeded.accounts[0].id;
    const key = `facebook:${accountId}`;
    const first = await connectAccount(stack, connectionId, accountId, 201);
    const handle = stack.client.workflow.getHandle(first.workflowId);
    const runId = (await handle.describe()).runId;
    const again = await connectAccount(stack, connectionId, accountId, 200);
    expect(again).toEqual(first);
    const secondGrant = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const third = await connectAccount(stack, secondGrant.id, accountId, 200);
    expect(third.id).toBe(first.id);
    expect((await handle.describe()).runId).toBe(runId);
    expect(await stack.db.models.AdAccount.countDocuments({ _id: key })).toBe(1);
    await waitForSweeps(stack, key, 2, 60_000);
    expect((await handle.describe()).runId).toBe(runId);
    expectTaggedOnce(accountId);
  });

  it('a worker killed in the middle of a multi-page sweep and replaced ends with every eligible ad tagged once', async () => {
    const accountId = seeded.accounts[1].id;
    const key = `facebook:${accountId}`;
    await fb().put('/_sandbox/faults', { latencyMs: 250 });
    onTeardown = () => fb().put('/_sandbox/faults', { latencyMs: 0 });
    const startedAt = new Date().toISOString();
    await connectAccount(stack, connectionId, accountId);
    // Mid-sweep: the first page's writes went out, the listing has more pages to go.
    await eventually(async () => (await facebookWriteBatches(sandboxes, startedAt)).length > 0, { what: 'the first writes' });
    const listCalls = (await sandboxRequests(sandboxes, 'facebook', { endpoint: 'GET /act_{id}/ads', since: startedAt })).filter((r) => r.path.includes(accountId));
    expect((await getAccount(stack, key)).live?.sweeps ?? 0).toBe(0);
    expect(listCalls.length).toBeLessThan(2);
    // Stop the worker mid-sweep; the page in flight may finish within the grace time, the rest waits.
    const killed = stack.worker;
    killed.shutdown();
    await eventually(async () => killed.getState() === 'STOPPED', { what: 'the first worker to stop' });

    const worker = await startWorker(stack);
    replacement = { worker, run: worker.run() };
    (stack as { worker?: Worker }).worker = worker;
    await fb().put('/_sandbox/faults', { latencyMs: 0 });
    await waitForSweeps(stack, key, 1, 60_000);
    const n = expectTaggedOnce(accountId);
    expect((await listAds(stack, key, 'tracked')).length).toBe(n);
  });

  it('with 30 % transient faults every eligible ad still ends tagged once', async () => {
    await onTeardown?.();
    const accountId = seeded.accounts[2].id;
    const key = `facebook:${accountId}`;
    await fb().put('/_sandbox/faults', { transientErrorRate: 0.3, seed: 7 });
    try {
      await connectAccount(stack, connectionId, accountId);
      await eventually(async () => (await listAds(stack, key, 'tracked')).length >= eligibleAds(accountId).length, { timeoutMs: 60_000, intervalMs: 500, what: 'every eligible ad tagged despite faults' });
      const counters = (await fb().get('/_sandbox/counters')).counters as Record<string, { statuses: Record<string, number> }>;
      const faulted = Object.values(counters).reduce((sum, c) => sum + Object.entries(c.statuses).filter(([s]) => s.startsWith('5')).reduce((a, [, n]) => a + n, 0), 0);
      expect(faulted).toBeGreaterThan(0);
    } finally {
      await fb().put('/_sandbox/faults', { transientErrorRate: 0 });
    }
    const n = expectTaggedOnce(accountId);
    expect((await listAds(stack, key, 'tracked')).length).toBe(n);
  });
});
