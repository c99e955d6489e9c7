import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import type { Network } from '../../src/networks/types';
import { adsWatcherStateQuery, adsWatcherWorkflowId } from '../../workflows/ads-watcher-definitions';
import { FIXTURE_KEYS_ENV, recordFixtureIfAsked, replay } from '../support/replay';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { connectAccount, connectNetwork, externalIdFor, getAccount, getAd, seededAccountIds, seededUser, waitForSweeps } from '../support/tracking-helpers';

/**
 * Issue 12 (idle cost): with an idle period longer than the sweep interval, connected accounts sleep
 * and their network's ads watcher looks for changes for all of them every interval. An account with
 * no change at the network costs no activity, no history event and no database write of its own; a
 * change wakes only its account, whose sweep tags the new ad within the promise (TRK-1).
 */
const EventType = temporal.api.enums.v1.EventType;

interface Snapshot {
  checks: number;
  sweeps: number[];
  events: number[];
  updatedAt: number[];
}

describe('issue12 idle accounts are watched, not swept', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2', IDLE_SWEEP_INTERVAL_SECONDS: '3600', ENCRYPTION_KEYS: FIXTURE_KEYS_ENV }) });

  async function connectSeeded(network: Network, seed: number, accounts: number): Promise<string[]> {
    const seeded = await sandboxes.seed(network, { seed, accounts, adsPerAccount: 4 });
    const connection = await connectNetwork(stack, sandboxes, network, seededUser(seeded));
    const ids: string[] = [];
    for (const accountId of seededAccountIds(network, seeded)) ids.push((await connectAccount(stack, connection.id, externalIdFor(network, accountId))).id);
    for (const id of ids) await waitForSweeps(stack, id, 1);
    return ids;
  }

  const watcher = (network: Network) => stack.client.workflow.getHandle(adsWatcherWorkflowId(stack.taskQueue, network));
  const handleOf = async (accountId: string): Promise<WorkflowHandle> => stack.client.workflow.getHandle((await getAccount(stack, accountId)).workflowId);

  async function snapshot(network: Network, accountIds: string[]): Promise<Snapshot> {
    const checks = (await watcher(network).query(adsWatcherStateQuery)).checks;
    const sweeps: number[] = [];
    const events: number[] = [];
    const updatedAt: number[] = [];
    for (const id of accountIds) {
      sweeps.push((await getAccount(stack, id)).live!.sweeps);
      events.push((await (await handleOf(id)).describe()).historyLength);
      updatedAt.push((await stack.db.models.AdAccount.findById(id).lean())!.updatedAt.getTime());
    }
    return { checks, sweeps, events, updatedAt };
  }

  /** Until two watcher checks pass without a sweep: the wake-ups the first sweeps' own writes cause are over. */
  async function settled(network: Network, accountIds: string[]): Promise<Snapshot> {
    let base = await eventually(async () => snapshot(network, accountIds).catch(() => undefined), { what: `the ${network} ads watcher` });
    return eventually(async () => {
      const now = await snapshot(network, accountIds);
      if (JSON.stringify(now.sweeps) !== JSON.stringify(base.sweeps)) base = now;
      return now.checks >= base.checks + 2 && JSON.stringify(now.sweeps) === JSON.stringify(base.sweeps) ? now : undefined;
    }, { timeoutMs: 60_000, what: `${accountIds.join(', ')} idle` });
  }

  async function expectIdleOver(network: Network, accountIds: string[], checks: number): Promise<Snapshot> {
    const before = await settled(network, accountIds);
    await eventually(async () => (await watcher(network).query(adsWatcherStateQuery)).checks >= before.checks + checks, { timeoutMs: 60_000, what: `${checks} more watcher checks` });
    const after = await snapshot(network, accountIds);
    // No sweep, no history event (no timer, activity or signal), no bookkeeping write.
    expect(after.sweeps).toEqual(before.sweeps);
    expect(after.events).toEqual(before.events);
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect((await watcher(network).query(adsWatcherStateQuery)).watching).toBeGreaterThanOrEqual(accountIds.length);
    return after;
  }

  it('issue12 an idle Facebook account issues no activity over 5 watcher checks; a new ad wakes only its account and is tagged within the promise', async () => {
    const [changing, quiet] = await connectSeeded('facebook', 5550, 2);
    const idle = await expectIdleOver('facebook', [changing!, quiet!], 5);

    const externalId = changing!.split(':')[1]!;
    const created = await sandboxes.control('facebook').post('/_sandbox/ads', { accountId: externalId, kind: 'link', name: 'New while idle', status: 'ACTIVE' });
    // TRK-1's minute is the promise; the watcher's interval (2 s here) is how the account learns of it.
    await eventually(async () => (await getAd(stack, `facebook:${created.id}`).catch(() => undefined))?.trackingStatus === 'tracked', { timeoutMs: 60_000, what: 'the new ad tagged' });

    const history = await (await handleOf(changing!)).fetchHistory();
    const wakeups = (history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED && e.workflowExecutionSignaledEventAttributes?.signalName === 'adsChanged');
    expect(wakeups.length).toBeGreaterThan(0);
    expect((await getAccount(stack, quiet!)).live!.sweeps).toBe(idle.sweeps[1]);

    // The patched path's recordings (README "Changing a workflow"): a watched account woken, its watcher.
    const watcherHistory = await watcher('facebook').fetchHistory();
    for (const [workflow, label, workflowId, recorded] of [
      ['account', 'watched-idle-then-woken-by-ads-watcher', (await handleOf(changing!)).workflowId, history],
      ['ads-watcher', 'checks-and-wakeups', watcher('facebook').workflowId, watcherHistory],
    ] as const) {
      await replay(recorded, workflowId);
      recordFixtureIfAsked(workflow, label, workflowId, recorded);
    }
  });

  it('issue12 idle Google and LinkedIn accounts are watched the same way (change_status, creatives last modified)', async () => {
    const google = await connectSeeded('google', 5551, 1);
    const linkedin = await connectSeeded('linkedin', 5552, 1);
    await expectIdleOver('google', google, 3);
    await expectIdleOver('linkedin', linkedin, 3);
  });
});
