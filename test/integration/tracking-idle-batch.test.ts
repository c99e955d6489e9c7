import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { adsWatcherStateQuery, adsWatcherWorkflowId } from '../../workflows/ads-watcher-definitions';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { connectAccount, connectNetwork, externalIdFor, getAccount, getAd, sandboxRequests, seededAccountIds, seededUser, waitForSweeps } from '../support/tracking-helpers';

/**
 * Issue 12 item 2: the Facebook ads watcher asks about up to 50 accounts per request through the
 * Graph batch endpoint (§5), so N idle accounts of a connection cost ceil(N / 50) requests per check,
 * not N; a change in one account of a batch still wakes only that account.
 */
const EventType = temporal.api.enums.v1.EventType;
const ACCOUNTS = 51;
const PER_BATCH = 50;

describe('issue12 the Facebook ads watcher batches its question', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2', IDLE_SWEEP_INTERVAL_SECONDS: '3600' }) });
  const watcher = () => stack.client.workflow.getHandle(adsWatcherWorkflowId(stack.taskQueue, 'facebook'));
  const checks = async () => (await watcher().query(adsWatcherStateQuery).catch(() => undefined))?.checks;

  it(`issue12 ${ACCOUNTS} idle accounts cost ceil(${ACCOUNTS} / ${PER_BATCH}) = 2 Facebook requests per watcher check; a change wakes only its account`, async () => {
    const seeded = await sandboxes.seed('facebook', { seed: 5750, accounts: ACCOUNTS, adsPerAccount: 1 });
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seededUser(seeded));
    const ids: string[] = [];
    for (const accountId of seededAccountIds('facebook', seeded)) ids.push((await connectAccount(stack, connection.id, externalIdFor('facebook', accountId))).id);
    for (const id of ids) await waitForSweeps(stack, id, 1, 120_000);

    // Idle: two checks in a row pass without any account sweeping (the first sweeps' own wake-ups are over).
    const sweepsOf = async () => (await Promise.all(ids.map(async (id) => (await getAccount(stack, id)).live!.sweeps))).join(',');
    let base = { checks: (await eventually(checks, { what: 'the facebook ads watcher' })), sweeps: await sweepsOf() };
    const idle = await eventually(async () => {
      const now = { checks: (await checks())!, sweeps: await sweepsOf() };
      if (now.sweeps !== base.sweeps) base = now;
      return now.checks >= base.checks + 2 && now.sweeps === base.sweeps ? now : undefined;
    }, { timeoutMs: 120_000, what: 'the accounts idle' });

    const since = new Date().toISOString();
    const from = (await checks())!;
    await eventually(async () => ((await checks())! >= from + 4 ? true : undefined), { timeoutMs: 60_000, what: '4 more watcher checks' });
    const to = (await checks())!;
    const batches = await sandboxRequests(sandboxes, 'facebook', { endpoint: 'POST /batch', since });
    const singles = await sandboxRequests(sandboxes, 'facebook', { endpoint: 'GET /act_{id}/ads', since });
    expect(singles).toEqual([]);
    expect(batches.every((b) => b.status === 200)).toBe(true);
    expect(new Set(batches.map((b) => b.batchSize))).toEqual(new Set([PER_BATCH, ACCOUNTS - PER_BATCH]));
    // The window holds the checks that ran in it: all of `from + 1 … to`, perhaps part of `from` and of `to + 1`.
    expect(batches.length).toBeGreaterThanOrEqual((to - from - 1) * 2);
    expect(batches.length).toBeLessThanOrEqual((to - from + 1) * 2);
    expect(await sweepsOf()).toBe(idle.sweeps);

    // The 51st account is alone in the second batch; its new ad wakes it and no other account.
    const lastExternal = externalIdFor('facebook', seededAccountIds('facebook', seeded)[ACCOUNTS - 1]!);
    const created = await sandboxes.control('facebook').post('/_sandbox/ads', { accountId: lastExternal, kind: 'link', name: 'New in the second batch', status: 'ACTIVE' });
    await eventually(async () => (await getAd(stack, `facebook:${created.id}`).catch(() => undefined))?.trackingStatus === 'tracked', { timeoutMs: 60_000, what: 'the new ad tagged' });
    const after = (await sweepsOf()).split(',');
    const before = idle.sweeps.split(',');
    expect(after.slice(0, -1)).toEqual(before.slice(0, -1));
    expect(Number(after.at(-1))).toBeGreaterThan(Number(before.at(-1)));

    // The check's activity signals the accounts itself: the watcher's history carries no signal per
    // wake-up (Temporal refuses a workflow task leaving more than 2,000 signals pending), yet every
    // account's first-sweep changes woke it.
    const watcherEvents = (await watcher().fetchHistory()).events ?? [];
    expect(watcherEvents.filter((e) => e.eventType === EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)).toEqual([]);
    expect((await watcher().query(adsWatcherStateQuery)).wakeups).toBeGreaterThanOrEqual(ACCOUNTS);
  }, 300_000);
});
