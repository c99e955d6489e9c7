import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import { accountWorkflowId, adsChangedSignal } from './account-definitions';
import { adsWatcherStateQuery, type AdsWatcherInput, type AdsWatcherState } from './ads-watcher-definitions';
import { continueAsNewAfterHandlers, continueAsNewSuggested, historyTooLong } from './entity';
import { messageOf, retryPolicy } from './failures';

/**
 * Looks for ad changes of every connected account of one network each interval, in one activity,
 * which signals only the account workflows whose ads changed (issue 12). An idle account then costs
 * one listing request inside that activity instead of its own timer, two activities, a recount of
 * its ads and a bookkeeping write every interval; the watcher's history grows per check, not per
 * account. A check that fails is retried at the next interval with the same window, so no change is
 * skipped; the accounts' own safety-net sweeps cover a watcher that is down for longer.
 */
const checks = wf.proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: retryPolicy('database', { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3 }),
});

/** Changes are asked for since the previous check minus this: our clock and the network's differ. */
const OVERLAP_MS = 5 * 60 * 1000;

export async function adsWatcherWorkflow(input: AdsWatcherInput): Promise<void> {
  const { network, intervalSeconds } = input;
  const state: AdsWatcherState = input.carried ?? { network, checks: 0, watching: 0, wakeups: 0, generation: 0 };
  wf.setHandler(adsWatcherStateQuery, () => state);

  for (;;) {
    const startedAt = Date.now();
    const since = new Date((state.lastCheckStartedAt ? Date.parse(state.lastCheckStartedAt) : startedAt) - OVERLAP_MS).toISOString();
    try {
      const result = await checks.findChangedAccounts({ network, since });
      // Checks recorded before the activity woke the accounts itself answered which ones to signal.
      await Promise.all(result.changed.map((externalId) => wake(accountWorkflowId(network, externalId))));
      state.wakeups += result.changed.length + (result.woken ?? 0);
      state.watching = result.watching;
      state.lastCheckStartedAt = new Date(startedAt).toISOString();
      delete state.lastError;
    } catch (error) {
      state.lastError = messageOf(error);
    }
    state.checks += 1;
    if (continueAsNewSuggested() || historyTooLong()) {
      return continueAsNewAfterHandlers<typeof adsWatcherWorkflow>(state, () => [{ network, intervalSeconds, carried: state }]);
    }
    await wf.sleep(Math.max(0, startedAt + intervalSeconds * 1000 - Date.now()));
  }
}

async function wake(workflowId: string): Promise<void> {
  try {
    await wf.getExternalWorkflowHandle(workflowId).signal(adsChangedSignal);
  } catch {
    // The account was disconnected since the check: nothing to wake.
  }
}
