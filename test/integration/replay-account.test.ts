import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createDataConverter } from '../../src/temporal/data-converter';
import { eventually, useStack, workflowBundle } from '../support/stack';
import { useSandboxes } from '../support/sandboxes';
import { connectAccount, connectNetwork, getAccount, waitForSweeps } from '../support/tracking-helpers';

/**
 * Issue 4 acceptance 3: recorded histories of the account workflow replay through
 * `Worker.runReplayHistory` with today's workflow code. Histories are encrypted by the payload codec,
 * so replay uses the same data converter; the checked-in fixture was recorded with the fixed test
 * key below (a test-only key, not a secret). A change that breaks determinism fails here.
 *
 * Re-record the fixture (after an intentional, versioned workflow change) with
 * `RECORD_REPLAY_FIXTURE=1 npx vitest run --project integration test/integration/replay-account.test.ts`.
 */

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'account-workflow-history.json');
const FIXTURE_KEY = { id: 'replay-fixture', key: Buffer.alloc(32, 0x5a) };
const FIXTURE_KEYS_ENV = `${FIXTURE_KEY.id}:${FIXTURE_KEY.key.toString('base64')}`;

/**
 * History ⇄ plain JSON through @temporalio/proto itself. (The SDK's historyToJSON/historyFromJSON
 * fail in this install: @temporalio/common carries its own protobufjs major, whose protojson rejects
 * types from @temporalio/proto's root.)
 */
const HistoryType = temporal.api.history.v1.History;
type History = temporal.api.history.v1.IHistory;
const historyToPlain = (history: History): unknown => HistoryType.toObject(HistoryType.fromObject(history), { longs: String, enums: String, bytes: String });
const historyFromPlain = (plain: unknown): History => HistoryType.fromObject(plain as Record<string, unknown>);

describe('Account workflow replay', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '1', ENCRYPTION_KEYS: FIXTURE_KEYS_ENV }) });

  it('a live history (sweeps, update, signals, disconnect) replays deterministically; the fixture is (re)recorded on request', async () => {
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
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    const history = await handle.fetchHistory();
    const types = new Set((history.events ?? []).map((e) => e.eventType));
    expect(types.size).toBeGreaterThan(8);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: await createDataConverter(stack.config.ENCRYPTION_KEYS) }, history, account.workflowId);

    if (process.env.RECORD_REPLAY_FIXTURE === '1') {
      fs.mkdirSync(path.dirname(FIXTURE), { recursive: true });
      fs.writeFileSync(FIXTURE, `${JSON.stringify({ workflowId: account.workflowId, history: historyToPlain(history) })}\n`);
    }
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
    const dataConverter = await createDataConverter(stack.config.ENCRYPTION_KEYS);
    const first = await stack.client.workflow.getHandle(account.workflowId, firstRun).fetchHistory();
    expect(first.events!.at(-1)?.eventType).toBe(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    expect(first.events!.length).toBeLessThan(600);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter }, first, account.workflowId);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter }, await handle.fetchHistory(), account.workflowId);
  });

  it('the recorded fixture history replays with the current workflow code (and only with its key)', async () => {
    const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { workflowId: string; history: unknown };
    const history = historyFromPlain(fixture.history);
    expect(history.events!.length).toBeGreaterThan(20);
    const bundle = await workflowBundle();
    await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: await createDataConverter([FIXTURE_KEY]) }, history, fixture.workflowId);
    // The payloads really are encrypted: another key cannot replay them.
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: await createDataConverter([{ id: FIXTURE_KEY.id, key: randomBytes(32) }]) }, history, fixture.workflowId),
    ).rejects.toThrow();
  });
});
