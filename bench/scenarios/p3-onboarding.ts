/**
 * P1, P3, P4 from one onboarding: the first sweep of a Facebook account with N eligible ads —
 * wall time and which process burnt the CPU (P3), write requests against the batch minimum (P1),
 * history events per 1,000 ads for the first sweep and per steady-state sweep (P4); then P1 for Google
 * and LinkedIn (p1-writes.ts) at the smallest size.
 */
import { temporal } from '@temporalio/proto';
import { accountStateQuery, accountWorkflowId } from '../../workflows/account-definitions';
import { connectFacebookAccounts, stopAllWorkflows, until, waitForFirstSweeps } from '../accounts';
import { cpuShare, sample } from '../cpu';
import type { BenchStack } from '../harness';
import type { BenchRow } from '../table';
import { campaignNetworkWrites } from './p1-writes';
import type { Scenario } from './types';

const EventType = temporal.api.enums.v1.EventType;

/** Meta's batch endpoint carries 50 operations; tagging is two per ad (creative, then the ad). */
const FACEBOOK_BATCH_MAX = 50;
const OPERATIONS_PER_AD = 2;

/** The history's length once the run has handled `sweeps` sweeps and answered its last workflow task. */
async function settledHistory(stack: BenchStack, workflowId: string, sweeps: number): Promise<number> {
  const handle = stack.temporal.workflow.getHandle(workflowId);
  return until(
    `sweep ${sweeps} handled`,
    async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      const last = events.at(-1)?.eventType;
      const idle = last === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED || last === EventType.EVENT_TYPE_TIMER_STARTED;
      return idle && (await handle.query(accountStateQuery)).sweeps >= sweeps ? events.length : undefined;
    },
    120_000,
  );
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
  async run(stack: BenchStack, ads: number, { seed, quick }): Promise<BenchRow[]> {
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
    const firstSweepEvents = await settledHistory(stack, workflowId, 1);

    // Steady state: one more sweep with nothing changed on the network, counted once the workflow
    // has handled its result (the sweep's bookkeeping is written before that).
    const handle = stack.temporal.workflow.getHandle(workflowId);
    const sweeps = (await handle.query(accountStateQuery)).sweeps;
    const settledBefore = await settledHistory(stack, workflowId, sweeps);
    const res = await stack.request('POST', `/api/accounts/${encodeURIComponent(accountKeys[0]!)}/sync`, {});
    if (res.status !== 202) throw new Error(`sync: ${res.status}`);
    const steadyEvents = (await settledHistory(stack, workflowId, sweeps + 1)) - settledBefore;
    await stopAllWorkflows(stack);
    const campaignRows = ads === Math.min(...(quick ? p3.sizes.quick : p3.sizes.full)) ? await campaignNetworkWrites(stack, seed, Math.min(ads, 1000)) : [];

    const size = `${ads} ads`;
    const minimumPosts = Math.ceil((OPERATIONS_PER_AD * ads) / FACEBOOK_BATCH_MAX);
    return [
      { scenario: 'P3', what: 'first sweep wall time (facebook)', size, value: seconds, unit: 's', note: `busiest: ${busiest.name} ${(busiest.coreShare * 100).toFixed(0)} % core` },
      { scenario: 'P1', what: 'write requests per 1,000 ads (facebook)', size, value: (posts * 1000) / ads, unit: 'requests', reference: { value: (minimumPosts * 1000) / ads, label: 'batch of 50, 2 ops per ad' } },
      { scenario: 'P4', what: 'history events, first sweep per 1,000 ads', size, value: (firstSweepEvents * 1000) / ads, unit: 'events' },
      { scenario: 'P4', what: 'history events per steady sweep per 1,000 ads', size, value: (steadyEvents * 1000) / ads, unit: 'events', reference: { value: 10, label: 'acceptance: ≤ 10' }, note: `${steadyEvents} events in the sweep` },
      ...campaignRows,
    ];
  },
};
