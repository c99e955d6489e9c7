import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createActivityDeps } from '../../src/temporal/activity-deps';
import { createDataConverter } from '../../src/temporal/data-converter';
import { leadSyncStateQuery, leadSyncWorkflowId } from '../../workflows/lead-sync-definitions';
import { Patches } from '../../workflows/patches';
import { useSandboxes } from '../support/sandboxes';
import { patchIdOf, releasedBundle, useUpgradedWorker } from '../support/upgrade';
import { FIXTURE_KEYS_ENV, recordFixtureIfAsked, replay } from '../support/replay';
import { eventually, startWorker, useStack, workflowBundle } from '../support/stack';
import { connectAccount, connectNetwork, externalIdFor, getAccount, getAd, waitForSweeps } from '../support/tracking-helpers';

/**
 * README "Changing a workflow", proven once for real: a run started on the released account workflow
 * (a frozen copy of it, test/fixtures/workflow-versions/) keeps running when the worker is upgraded to
 * today's code mid-run — its recorded commands replay through the `patched()` gates — while its new
 * decisions and every new run take the new path (the account owns its lead sync). And ACC-6 with that
 * ownership: disconnecting stops every process of the account.
 */
const EventType = temporal.api.enums.v1.EventType;

async function running(client: Client, externalId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query: `AdAccountId="${externalId}" AND ExecutionStatus="Running"` })) ids.push(execution.workflowId);
  return ids.sort();
}

describe('workflow upgrade in flight', () => {
  const sandboxes = useSandboxes();
  // The fixtures' key: these runs are the recordings of the patched paths (test/support/replay.ts).
  const stack = useStack({
    // Accounts rest between sweeps (issue 12): their network's ads watcher wakes them.
    env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2', IDLE_SWEEP_INTERVAL_SECONDS: '3600', LEAD_POLL_INTERVAL_SECONDS: '2', LEAD_RECONCILE_INTERVAL_SECONDS: '3600', ENCRYPTION_KEYS: FIXTURE_KEYS_ENV }),
  });
  const upgraded = useUpgradedWorker(stack);

  it('OPS-3 a run started on the released code continues on today’s code without nondeterminism; it and new runs take the patched path', async () => {
    // The released code runs the account: the stack's worker (today's code) steps aside for it.
    stack.worker.shutdown();
    await eventually(async () => stack.worker.getState() === 'STOPPED', { timeoutMs: 20_000, what: 'the stack worker stopped' });
    const deps = createActivityDeps(stack.config, stack.db);
    const released = await startWorker(stack, deps, await releasedBundle('before-lead-sync-ownership'));
    const releasedRun = released.run();
    const seeded = await sandboxes.seed('facebook', { seed: 4081, accounts: 2, adsPerAccount: 6 });
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const old = await connectAccount(stack, connection.id, externalIdFor('facebook', seeded.accounts[0].id));
    await waitForSweeps(stack, old.id, 2);

    // The deploy: the released worker stops mid-run, today's code takes over the task queue.
    released.shutdown();
    await releasedRun;
    const worker = await startWorker(stack, deps);
    upgraded.start(worker);
    const sweepsAtUpgrade = (await getAccount(stack, old.id)).live!.sweeps;
    await waitForSweeps(stack, old.id, sweepsAtUpgrade + 1);
    // Issue 12: the released run knew no idle period; upgraded, it rests and its network's ads watcher
    // (started by it) wakes it for a new ad at the network.
    const created = await sandboxes.control('facebook').post('/_sandbox/ads', { accountId: old.externalId, kind: 'link', name: 'After the upgrade', status: 'ACTIVE' });
    await eventually(async () => (await getAd(stack, `facebook:${created.id}`).catch(() => undefined))?.trackingStatus === 'tracked', { timeoutMs: 60_000, what: 'the upgraded run woken for a new ad' });

    // A new decision of the old run takes the new path: the lead-sync switch starts its child.
    expect((await stack.request('POST', `/api/accounts/${old.id}/lead-sync`, { enabled: true })).status).toBe(200);
    const leadsId = leadSyncWorkflowId('facebook', old.externalId);
    const child = await eventually(async () => {
      const description = await stack.client.workflow.getHandle(leadsId).describe();
      return description.status.name === 'RUNNING' ? description : undefined;
    }, { what: 'the old run to start its lead sync child' });
    expect(child.raw.workflowExecutionInfo?.parentExecution?.workflowId).toBe(old.workflowId);
    await eventually(async () => (await stack.request('GET', `/api/accounts/${old.id}/lead-sync`)).body.lastPollAt, { what: 'a lead-sync poll' });

    // A new run is patched from its first workflow task.
    const fresh = await connectAccount(stack, connection.id, externalIdFor('facebook', seeded.accounts[1].id));
    await waitForSweeps(stack, fresh.id, 1);
    const freshEvents = (await stack.client.workflow.getHandle(fresh.workflowId).fetchHistory()).events ?? [];
    const freshMarker = freshEvents.findIndex((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED);
    expect(freshMarker).toBeGreaterThan(0);
    expect(freshMarker).toBeLessThan(freshEvents.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sweepAds'));
    expect(patchIdOf(freshEvents[freshMarker]!)).toBe(Patches.accountOwnsLeadSync);

    // The upgraded old run still owns what it started: disconnect stops both of its processes.
    expect(await running(stack.client, old.externalId)).toEqual([leadsId, old.workflowId].sort());
    expect((await stack.request('DELETE', `/api/accounts/${old.id}`)).status).toBe(200);
    await eventually(async () => (await running(stack.client, old.externalId)).length === 0, { timeoutMs: 30_000, what: 'nothing running for the old account' });

    const oldHistory = await stack.client.workflow.getHandle(old.workflowId).fetchHistory();
    const events = oldHistory.events ?? [];
    // (UNHANDLED_COMMAND is the server asking again because a child event raced the run's completion.)
    const taskFailures = events.filter(
      (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED && e.workflowTaskFailedEventAttributes?.cause !== temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
    );
    expect(taskFailures, 'workflow task failures (nondeterminism)').toEqual([]);
    const markerOf = (id: string) => events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED && patchIdOf(e) === id);
    const leadSyncMarker = markerOf(Patches.accountOwnsLeadSync);
    const watcherMarker = markerOf(Patches.adsWatcher);
    const childStarted = (workflowType: string) =>
      events.findIndex((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name === workflowType);
    // The released code recorded no marker; today's code recorded the lead-sync one when the patched
    // disconnect path ran (stopping the child), after the update handler — new code, no gate needed —
    // started the child; and the watcher one at its first sweep, before it started the ads watcher.
    expect(childStarted('leadSyncWorkflow')).toBeGreaterThan(0);
    expect(leadSyncMarker).toBeGreaterThan(childStarted('leadSyncWorkflow'));
    expect(childStarted('adsWatcherWorkflow')).toBeGreaterThan(watcherMarker);
    // Issue 12 P4: the released run swept page by page with `recordSweep`; upgraded, its first sweep
    // records the marker and pages in `sweepAds` calls, and never goes back.
    const fewActivitiesMarker = markerOf(Patches.sweepInFewActivities);
    expect(events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED)).toBe(Math.min(watcherMarker, fewActivitiesMarker));
    const scheduledAt = (name: string) => events.flatMap((e, index) => (e.activityTaskScheduledEventAttributes?.activityType?.name === name ? [index] : []));
    expect(scheduledAt('sweepAdsPage').length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...scheduledAt('sweepAdsPage'), ...scheduledAt('recordSweep'))).toBeLessThan(fewActivitiesMarker);
    expect(scheduledAt('sweepAds').length).toBeGreaterThan(0);
    expect(Math.min(...scheduledAt('sweepAds'))).toBeGreaterThan(fewActivitiesMarker);
    const wakeups = events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'adsChanged');
    expect(wakeups.length).toBeGreaterThan(0);
    const dataConverter = await createDataConverter(stack.config.ENCRYPTION_KEYS);
    // Today's code replays the mixed history; the released code cannot (the history really took the new path).
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter }, oldHistory, old.workflowId);
    recordFixtureIfAsked('account', 'upgraded-mid-run-sweeps-in-few-activities-woken-by-ads-watcher-starts-then-stops-lead-sync', old.workflowId, oldHistory);
    await expect(
      Worker.runReplayHistory({ workflowBundle: await releasedBundle('before-lead-sync-ownership'), dataConverter }, oldHistory, old.workflowId),
    ).rejects.toThrow();
  });

  it('ACC-6 / LEAD-1 disconnect stops tracking and lead sync within 30 s; connecting again restarts both', async () => {
    const seeded = await sandboxes.seed('facebook', { seed: 4082, accounts: 1, adsPerAccount: 4 });
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const externalId = externalIdFor('facebook', seeded.accounts[0].id);
    const account = await connectAccount(stack, connection.id, externalId);
    await waitForSweeps(stack, account.id, 1);
    expect((await stack.request('POST', `/api/accounts/${account.id}/lead-sync`, { enabled: true })).status).toBe(200);
    const both = [leadSyncWorkflowId('facebook', externalId), account.workflowId].sort();
    await eventually(async () => JSON.stringify(await running(stack.client, externalId)) === JSON.stringify(both), { what: 'tracking and lead sync running, found by AdAccountId' });

    expect((await stack.request('DELETE', `/api/accounts/${account.id}`)).status).toBe(200);
    await eventually(async () => (await running(stack.client, externalId)).length === 0, { timeoutMs: 30_000, what: 'nothing running after disconnect' });
    for (const workflowId of both) {
      const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
      await replay(history, workflowId);
      recordFixtureIfAsked(workflowId.split('/')[0] === 'leads' ? 'lead-sync' : 'account', 'owned-lead-sync-until-disconnect', workflowId, history);
    }
    const leadSync = (await stack.request('GET', `/api/accounts/${account.id}/lead-sync`)).body;
    expect(leadSync).toMatchObject({ enabled: true, running: false });

    // Connecting the account again resumes everything its switches say.
    const again = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    expect((await stack.request('POST', '/api/accounts', { connectionId: again.id, externalId })).status).toBeLessThan(300);
    await eventually(async () => JSON.stringify(await running(stack.client, externalId)) === JSON.stringify(both), { what: 'both running again after connecting again' });
    expect((await stack.request('GET', `/api/accounts/${account.id}/lead-sync`)).body).toMatchObject({ enabled: true, running: true });
  });

  it('ACC-2 / LEAD-1 auth parking applies to lead sync too: both park on a revoked token, a reconnect resumes both', async () => {
    const seeded = await sandboxes.seed('facebook', { seed: 4083, accounts: 1, adsPerAccount: 4 });
    const issuedBefore = new Set(sandboxes.running.facebook.state.world.tokens.keys());
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const tokens = [...sandboxes.running.facebook.state.world.tokens.keys()].filter((t) => !issuedBefore.has(t));
    const externalId = externalIdFor('facebook', seeded.accounts[0].id);
    const account = await connectAccount(stack, connection.id, externalId);
    await waitForSweeps(stack, account.id, 1);
    expect((await stack.request('POST', `/api/accounts/${account.id}/lead-sync`, { enabled: true })).status).toBe(200);
    const leads = stack.client.workflow.getHandle(leadSyncWorkflowId('facebook', externalId));
    await eventually(async () => (await leads.query(leadSyncStateQuery)).polls >= 1, { what: 'a first lead poll' });

    for (const accessToken of tokens) await sandboxes.control('facebook').post('/_sandbox/tokens/revoke', { accessToken, reason: 'password_changed' });
    await eventually(async () => (await leads.query(leadSyncStateQuery)).parked === true, { what: 'lead sync parked' });
    await eventually(async () => (await getAccount(stack, account.id)).live?.status === 'needs_reconnect', { what: 'the account parked' });
    const parked = await leads.query(leadSyncStateQuery);
    expect(parked.lastError).toMatch(/reconnect/);
    await eventually(async () => (await leads.describe()).searchAttributes?.AccountStatus?.[0] === 'needs_reconnect', { what: 'lead sync AccountStatus = needs_reconnect' });

    const fresh = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    expect((await stack.request('POST', `/api/accounts/${account.id}/reconnect`, { connectionId: fresh.id })).status).toBe(202);
    const resumed = await eventually(async () => {
      const live = await leads.query(leadSyncStateQuery);
      return !live.parked && live.polls > parked.polls && !live.lastError ? live : undefined;
    }, { what: 'lead sync polling again after the reconnect' });
    expect(resumed.parked).toBe(false);
    expect((await leads.describe()).searchAttributes?.AccountStatus?.[0]).toBe('active');
    expect((await getAccount(stack, account.id)).live?.status).toBe('active');
    const history = await leads.fetchHistory();
    await replay(history, leads.workflowId);
    recordFixtureIfAsked('lead-sync', 'parked-on-revoked-token-resumed-by-reconnect', leads.workflowId, history);
  });
});
