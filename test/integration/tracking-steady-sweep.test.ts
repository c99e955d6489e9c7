import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { accountStateQuery } from '../../workflows/account-definitions';
import { sandboxRequests, seedAndConnect, waitForSweeps } from '../support/tracking-helpers';

/**
 * Issue 12 P4: history events per steady-state sweep. A sweep that finds nothing to change is one
 * activity (`sweepAds` lists, plans, stores and records the sweep), and the wait around it keeps its
 * timer, so the sweep costs the signal, two workflow tasks and the activity: 10 events, whatever the
 * number of pages. Before, it was one `sweepAdsPage` per page, `recordSweep`, and a timer cancelled and
 * started again (22 events at one page).
 */
const EventType = temporal.api.enums.v1.EventType;
/** Signal + workflow task (3) + activity scheduled/started/completed (3) + workflow task (3). */
const STEADY_SWEEP_EVENTS = 10;
const ADS = 250;
const FACEBOOK_PAGE_SIZE = 100;

describe('Steady-state sweep (issue 12 P4)', () => {
  const sandboxes = useSandboxes();
  // The account's own timer stays out of the window: only the forced sweep runs in it.
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '3600', IDLE_SWEEP_INTERVAL_SECONDS: '3600' }) });

  it(`P4 Facebook, ${ADS} ads over ${Math.ceil(ADS / FACEBOOK_PAGE_SIZE)} pages: a sweep with nothing to change is one activity and ${STEADY_SWEEP_EVENTS} history events`, async () => {
    const { account } = await seedAndConnect(stack, sandboxes, 'facebook', { seed: 5600, accounts: 1, adsPerAccount: ADS });
    await waitForSweeps(stack, account.id, 1, 120_000);
    const handle = stack.client.workflow.getHandle(account.workflowId);
    // Handled: the last workflow task has completed (nothing scheduled and not yet answered).
    const settledAfter = (sweeps: number) => async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      const last = events.at(-1)?.eventType;
      const idle = last === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED || last === EventType.EVENT_TYPE_TIMER_STARTED;
      return idle && (await handle.query(accountStateQuery)).sweeps >= sweeps ? events : undefined;
    };
    const forceSweep = async () => {
      const sweeps = (await handle.query(accountStateQuery)).sweeps;
      // Full: every page is listed again, not only the ads changed since the last sweep.
      expect((await stack.request('POST', `/api/accounts/${encodeURIComponent(account.id)}/sync`, { full: true })).status).toBe(202);
      return eventually(settledAfter(sweeps + 1), { timeoutMs: 120_000, what: `sweep ${sweeps + 1} handled` });
    };
    // Twice: the first forced sweep still meets the timer its first sweep started; the second is the
    // steady state.
    const before = await forceSweep();
    const since = new Date().toISOString();
    const after = await forceSweep();

    const steady = after.slice(before.length);
    const activities = steady.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(activities).toEqual(['sweepAds']);
    expect(steady.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_CANCELED || e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)).toEqual([]);
    expect(steady.length).toBeLessThanOrEqual(STEADY_SWEEP_EVENTS);
    // Whatever the number of pages: the one activity listed all of them.
    const listed = await sandboxRequests(sandboxes, 'facebook', { endpoint: 'GET /act_{id}/ads', since });
    expect(listed.length).toBe(Math.ceil(ADS / FACEBOOK_PAGE_SIZE));
  }, 300_000);
});
