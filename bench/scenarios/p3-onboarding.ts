/**
 * P1, P3, P4 from one onboarding: the first sweep of a Facebook account with N eligible ads —
 * wall time and which process burnt the CPU (P3), write requests against the batch minimum (P1),
 * history events per 1,000 ads for the first sweep and per steady-state sweep (P4).
 */
import { accountWorkflowId } from '../../workflows/account-definitions';
import { connectFacebookAccounts, stopAllWorkflows, until, waitForFirstSweeps } from '../accounts';
import { cpuShare, sample } from '../cpu';
import type { BenchStack } from '../harness';
import type { BenchRow } from '../table';
import type { Scenario } from './types';

/** Meta's batch endpoint carries 50 operations; tagging is two per ad (creative, then the ad). */
const FACEBOOK_BATCH_MAX = 50;
const OPERATIONS_PER_AD = 2;

async function historyLength(stack: BenchStack, workflowId: string): Promise<number> {
  const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
  return history.events?.length ?? 0;
}

async function facebookPosts(stack: BenchStack, since: string): Promise<number> {
  const res = await fetch(`${stack.sandboxes.urls.facebook}/_sandbox/requests`);
  const { requests } = (await res.json()) as { requests: { at: string; method: string }[] };
  return requests.filter((r) => r.method === 'POST' && r.at >= since).length;
}

export const p3: Scenario = {
  id: 'P3',
  title: 'onboarding a large account (also P1 writes, P4 history)',
  sizes: { full: [1000, 5000, 20000], quick: [100] },
  async run(stack: BenchStack, ads: number, { seed }): Promise<BenchRow[]> {
    await stopAllWorkflows(stack);
    const since = new Date().toISOString();
    const before = sample(stack.processes);
    const startedAt = Date.now();
    // Connecting includes adding the ads to the sandbox, which is the network's time, not ours: start after.
    const { accountKeys, externalIds } = await connectFacebookAccounts(stack, { seed, accounts: 1, adsPerAccount: ads });
    const connectedAt = Date.now();
    await waitForFirstSweeps(stack, accountKeys, 60_000 + ads * 100);
    const seconds = (Date.now() - connectedAt) / 1000;
    const shares = cpuShare(before, sample(stack.processes), (Date.now() - startedAt) / 1000);
    const busiest = [...shares].sort((a, b) => b.coreShare - a.coreShare)[0]!;
    const posts = await facebookPosts(stack, since);
    const workflowId = accountWorkflowId('facebook', externalIds[0]!);
    const firstSweepEvents = await historyLength(stack, workflowId);

    // Steady state: one more sweep with nothing changed on the network.
    const res = await stack.request('POST', `/api/accounts/${encodeURIComponent(accountKeys[0]!)}/sync`, {});
    if (res.status !== 202) throw new Error(`sync: ${res.status}`);
    const sweptBefore = (await stack.db.models.AdAccount.findById(accountKeys[0]).lean())!.lastSweepAt!;
    await until('a steady-state sweep', async () => (await stack.db.models.AdAccount.findById(accountKeys[0]).lean())!.lastSweepAt! > sweptBefore, 120_000);
    const steadyEvents = (await historyLength(stack, workflowId)) - firstSweepEvents;
    await stopAllWorkflows(stack);

    const size = `${ads} ads`;
    const minimumPosts = Math.ceil((OPERATIONS_PER_AD * ads) / FACEBOOK_BATCH_MAX);
    return [
      { scenario: 'P3', what: 'first sweep wall time (facebook)', size, value: seconds, unit: 's', note: `busiest: ${busiest.name} ${(busiest.coreShare * 100).toFixed(0)} % core` },
      { scenario: 'P1', what: 'write requests per 1,000 ads (facebook)', size, value: (posts * 1000) / ads, unit: 'requests', reference: { value: (minimumPosts * 1000) / ads, label: 'batch of 50, 2 ops per ad' } },
      { scenario: 'P4', what: 'history events, first sweep per 1,000 ads', size, value: (firstSweepEvents * 1000) / ads, unit: 'events' },
      { scenario: 'P4', what: 'history events per steady sweep per 1,000 ads', size, value: (steadyEvents * 1000) / ads, unit: 'events', reference: { value: 10, label: 'acceptance: ≤ 10' } },
    ];
  },
};
