import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { createDataConverter } from '../../src/temporal/data-converter';
import { Worker } from '@temporalio/worker';
import { eventually, useStack, workflowBundle } from '../support/stack';
import { useSandboxes } from '../support/sandboxes';
import { FIXTURE_KEYS_ENV, recordFixtureIfAsked, replay } from '../support/replay';
import { connectAccount, connectNetwork, getAccount, waitForSweeps } from '../support/tracking-helpers';

/**
 * Live histories of the account workflow replay through `Worker.runReplayHistory` with today's code
 * (OPS-3), and are the recordings behind the append-only fixtures in `test/fixtures/replay/account/`
 * (README "Changing a workflow"): `RECORD_REPLAY_FIXTURES=1 npx vitest run --project integration
 * test/integration/replay-account.test.ts` adds any label not recorded yet. The stack runs with the
 * fixtures' fixed test key so recordings decode in the fixture test.
 */
describe('Account workflow replay', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '1', ENCRYPTION_KEYS: FIXTURE_KEYS_ENV }) });

  it('a live history (sweeps, update, signals, disconnect) replays deterministically', async () => {
    const seeded = await sandboxes.seed('facebook', { seed: 4061, accounts: 1, adsPerAccount: 12 });
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const account = await connectAccount(stack, connection.id, seeded.accounts[0].id);
    await waitForSweeps(stack, account.id, 1);
    // Every message type of the workflow: update (both ways), forceSync, templateChanged, override, disconnect.
    expect((await stack.request('POST', `/api/accounts/${account.id}/auto-tracking`, { enabled: false })).status).toBe(200);
    expect((await stack.request('POST', `/api/accounts/${account.id}/auto-tracking`, { enabled: true })).status).toBe(200);
    expect((await stack.request('POST', `/api/accounts/${account.id}/sync`, { full: true })).status).toBe(202);
    expect((await stack.request('PUT', '/api/tracking-templates/facebook', { utmMedium: 'social' })).status).toBe(200);
    const capped = (await stack.request('GET', `/api/accounts/${account.id}/ads?trackingStatus=error`)).body.items.find((ad: { error: { code: string } }) => ad.error.code === 'ENGAGEMENT_CAP');
    if (capped) expect((await stack.request('POST', `/api/ads/${capped.id}/add-tracking`)).status).toBe(202);
    const live = (await getAccount(stack, account.id)).live!;
    await waitForSweeps(stack, account.id, live.sweeps + 2);
    expect((await stack.request('DELETE', `/api/accounts/${account.id}`)).status).toBe(200);

    const handle = stack.client.workflow.getHandle(account.workflowId);
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', { what: 'the account workflow to complete' });
    const history = await handle.fetchHistory();
    expect(new Set((history.events ?? []).map((e) => e.eventType)).size).toBeGreaterThan(8);
    await replay(history, account.workflowId);
    recordFixtureIfAsked('account', 'sweeps-updates-signals-disconnect', account.workflowId, history);
  });

  it('ACC-2 auth parking: a revoked token parks the run, a reconnect resumes it; the history replays', async () => {
    const seeded = await sandboxes.seed('facebook', { seed: 4063, accounts: 1, adsPerAccount: 6 });
    const before = new Set(sandboxes.running.facebook.state.world.tokens.keys());
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const tokens = [...sandboxes.running.facebook.state.world.tokens.keys()].filter((t) => !before.has(t));
    const account = await connectAccount(stack, connection.id, seeded.accounts[0].id);
    await waitForSweeps(stack, account.id, 1);
    for (const accessToken of tokens) await sandboxes.control('facebook').post('/_sandbox/tokens/revoke', { accessToken, reason: 'password_changed' });
    const parked = await eventually(async () => {
      const current = await getAccount(stack, account.id);
      return current.live?.status === 'needs_reconnect' ? current.live : undefined;
    }, { what: 'needs_reconnect' });
    const fresh = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    expect((await stack.request('POST', `/api/accounts/${account.id}/reconnect`, { connectionId: fresh.id })).status).toBe(202);
    await eventually(async () => {
      const current = await getAccount(stack, account.id);
      return current.live?.status === 'active' && current.live.sweeps > parked.sweeps;
    }, { what: 'the account to resume' });
    expect((await stack.request('DELETE', `/api/accounts/${account.id}`)).status).toBe(200);

    const handle = stack.client.workflow.getHandle(account.workflowId);
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', { what: 'the account workflow to complete' });
    const history = await handle.fetchHistory();
    await replay(history, account.workflowId);
    recordFixtureIfAsked('account', 'auth-parking-reconnect-disconnect', account.workflowId, history);
  });

  it('OPS-3 the history stays bounded: the workflow continues as new carrying its state, and both runs replay', async () => {
    const seeded = await sandboxes.seed('facebook', { seed: 4062, accounts: 1, adsPerAccount: 6 });
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const account = await connectAccount(stack, connection.id, seeded.accounts[0].id);
    await waitForSweeps(stack, account.id, 1);
    // State that must survive the continue-as-new: the switch (off) and the sweep counter.
    expect((await stack.request('POST', `/api/accounts/${account.id}/auto-tracking`, { enabled: false })).status).toBe(200);
    const handle = stack.client.workflow.getHandle(account.workflowId);
    const firstRun = (await handle.describe()).runId;
    // The test server suggests continue-as-new at 400 events; 1-second sweeps get there quickly.
    const carried = await eventually(async () => {
      const live = (await getAccount(stack, account.id)).live;
      return live && live.generation >= 1 ? live : undefined;
    }, { timeoutMs: 55_000, intervalMs: 500, what: 'a continue-as-new' });
    expect(carried).toMatchObject({ autoTracking: false, firstSweepDone: true, status: 'active' });
    expect(carried.sweeps).toBeGreaterThan(10);
    const secondRun = (await handle.describe()).runId;
    expect(secondRun).not.toBe(firstRun);
    // A message right after the continue-as-new is handled by the new run.
    const on = await stack.request('POST', `/api/accounts/${account.id}/auto-tracking`, { enabled: true });
    expect(on.body.live).toMatchObject({ autoTracking: true, generation: carried.generation });
    const first = await stack.client.workflow.getHandle(account.workflowId, firstRun).fetchHistory();
    expect(first.events!.at(-1)?.eventType).toBe(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    expect(first.events!.length).toBeLessThan(600);
    await replay(first, account.workflowId);
    const dataConverter = await createDataConverter(stack.config.ENCRYPTION_KEYS);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter }, await handle.fetchHistory(), account.workflowId);
    recordFixtureIfAsked('account', 'continued-as-new-first-run', account.workflowId, first);
  });
});
