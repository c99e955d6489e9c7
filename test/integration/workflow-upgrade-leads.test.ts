import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import type { AdNetworkClient } from '../../src/networks/types';
import { createActivityDeps } from '../../src/temporal/activity-deps';
import { createDataConverter } from '../../src/temporal/data-converter';
import { leadSyncStateQuery, leadSyncWorkflowId } from '../../workflows/lead-sync-definitions';
import { Patches } from '../../workflows/patches';
import { useSandboxes } from '../support/sandboxes';
import { patchIdOf, releasedBundle, useUpgradedWorker } from '../support/upgrade';
import { FIXTURE_KEYS_ENV, recordFixtureIfAsked } from '../support/replay';
import { eventually, startWorker, useStack, workflowBundle } from '../support/stack';
import { seedAndConnect, waitForSweeps } from '../support/tracking-helpers';

/**
 * README "Changing a workflow" for the lead-sync patch of issue 12 (a first full poll counts as the
 * reconciliation): a lead sync started on the released code (test/fixtures/workflow-versions/) and
 * upgraded before its first poll takes the new path at that poll — marker recorded, no re-read of
 * every lead — with no workflow task failure; today's code replays the mixed history, the released
 * code cannot.
 */
const EventType = temporal.api.enums.v1.EventType;
describe('lead-sync workflow upgrade (issue 12)', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({
    env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '3600', LEAD_POLL_INTERVAL_SECONDS: '3600', LEAD_RECONCILE_INTERVAL_SECONDS: '3600', ENCRYPTION_KEYS: FIXTURE_KEYS_ENV }),
  });
  const upgraded = useUpgradedWorker(stack);

  it('OPS-3 a lead sync started on the released code and upgraded before its first poll skips the re-read at that poll; the history replays on today’s code only', async () => {
    stack.worker.shutdown();
    await eventually(async () => stack.worker.getState() === 'STOPPED', { timeoutMs: 20_000, what: 'the stack worker stopped' });
    const deps = createActivityDeps(stack.config, stack.db);
    // The released worker's form listing waits at a gate, so the deploy happens before the first poll.
    let open = () => undefined as void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const facebook: AdNetworkClient = Object.create(deps.clients.facebook, {
      listLeadForms: { value: async (...args: Parameters<AdNetworkClient['listLeadForms']>) => (await gate, deps.clients.facebook.listLeadForms(...args)) },
    });
    const released = await startWorker(stack, { ...deps, clients: { ...deps.clients, facebook } }, await releasedBundle('before-first-full-poll-reconcile'));
    const releasedRun = released.run();

    const { seeded, account } = await seedAndConnect(stack, sandboxes, 'facebook', { seed: 5701, accounts: 1, adsPerAccount: 6 });
    await waitForSweeps(stack, account.id, 1, 120_000);
    const formId = seeded.accounts[0].formIds[0] as string;
    await sandboxes.control('facebook').post('/_sandbox/leads', { formId, leads: Array.from({ length: 20 }, (_, i) => ({ email: `upgrade.${i}@example.com` })) });
    expect((await stack.request('POST', `/api/accounts/${encodeURIComponent(account.id)}/lead-sync`, { enabled: true })).status).toBe(200);
    const handle = stack.client.workflow.getHandle(leadSyncWorkflowId('facebook', account.externalId));
    await eventually(async () => {
      const pending = (await handle.describe().catch(() => undefined))?.raw.pendingActivities ?? [];
      return pending.some((a) => a.activityType?.name === 'refreshLeadForms' && a.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
    }, { timeoutMs: 60_000, what: 'the released lead sync reading its forms' });

    // The deploy: the released worker stops taking tasks, its form listing finishes, today's code takes over.
    released.shutdown();
    open();
    await releasedRun;
    const worker = await startWorker(stack, deps);
    upgraded.start(worker);

    const live = await eventually(async () => {
      const state = await handle.query(leadSyncStateQuery);
      return state.polls >= 1 ? state : undefined;
    }, { timeoutMs: 120_000, what: 'the first poll on today’s code' });
    expect(live.reconciliations).toBe(0);
    expect(await stack.db.models.Lead.countDocuments({ accountKey: account.id, formId })).toBe((await sandboxes.control('facebook').get(`/_sandbox/leads?formId=${formId}`)).leads.length);

    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED), 'workflow task failures (nondeterminism)').toEqual([]);
    const marker = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED && patchIdOf(e) === Patches.firstFullPollCountsAsReconcile);
    const firstPage = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'syncLeadsPage');
    expect(firstPage).toBeGreaterThan(0);
    expect(marker).toBeGreaterThan(firstPage);
    const dataConverter = await createDataConverter(stack.config.ENCRYPTION_KEYS);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter }, history, handle.workflowId);
    recordFixtureIfAsked('lead-sync', 'upgraded-before-first-poll-full-poll-counts-as-reconcile', handle.workflowId, history);
    await expect(Worker.runReplayHistory({ workflowBundle: await releasedBundle('before-first-full-poll-reconcile'), dataConverter }, history, handle.workflowId)).rejects.toThrow();
  }, 300_000);
});
