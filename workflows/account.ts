import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  accountStateQuery,
  adsChangedSignal,
  disconnectSignal,
  forceSyncSignal,
  overrideEngagementCapSignal,
  reconnectSignal,
  setAutoTrackingUpdate,
  setLeadSyncUpdate,
  templateChangedSignal,
  type AccountLiveState,
  type AccountWorkflowInput,
  type PendingWork,
} from './account-definitions';
import { nextSweepAt, reusableAlarm, wantsWatcher } from './account-schedule';
import { adsWatcherWorkflow } from './ads-watcher';
import { adsWatcherWorkflowId } from './ads-watcher-definitions';
import { continueAsNewAfterHandlers, continueAsNewSuggested, historyTooLong, publishAccountAttributes, RECONNECT_MESSAGE, startChildOnce } from './entity';
import { isAuthFailure, messageOf, retryPolicy } from './failures';
import { leadSyncWorkflow } from './lead-sync';
import { DEFAULT_LEAD_SYNC_SETTINGS, leadSyncWorkflowId, resumeLeadSyncSignal, stopLeadSyncSignal } from './lead-sync-definitions';
import { Patches } from './patches';
import { AutoTrackingKey } from './search-attributes';

/**
 * One durable process per connected ad account (`tracking/<network>/<id>`), owning everything that
 * runs for the account: sweeps its ads on an interval and on demand, applies tracking through pure
 * planning rules, syncs metrics, runs its lead sync as a child (`leads/<network>/<id>`, LEAD-1), and
 * parks in `needs_reconnect` when the token stops working until a reconnect signal arrives.
 * Disconnecting (ACC-6) stops all of it. History stays bounded: one activity per page of ads,
 * continue-as-new carrying state and pending work.
 */
const sweepActivities = wf.proxyActivities<Activities>({
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '30 seconds',
  retry: retryPolicy('network', { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 8 }),
});
const bookkeeping = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: retryPolicy('database', { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 }),
});

export async function accountWorkflow(input: AccountWorkflowInput): Promise<void> {
  const { network, externalId, settings } = input;
  const accountKey = `${network}:${externalId}`;
  const state: AccountLiveState = input.carried?.state ?? {
    network,
    externalId,
    status: 'active',
    autoTracking: true,
    firstSweepDone: false,
    counts: { tracked: 0, pending: 0, error: 0, excluded: 0 },
    sweeps: 0,
    generation: 0,
  };
  const pending: PendingWork = input.carried?.pending ?? { forceSync: false, fullSweep: false, overrides: [], disconnect: false };
  const hasWork = () => pending.forceSync || pending.fullSweep || pending.overrides.length > 0 || pending.disconnect || pending.reconnectConnectionId !== undefined;
  const leadSync = leadSyncChild(network, externalId, settings.leadSync ?? DEFAULT_LEAD_SYNC_SETTINGS);

  wf.setHandler(accountStateQuery, () => state);
  wf.setHandler(
    setAutoTrackingUpdate,
    async ({ enabled }) => {
      await bookkeeping.recordAutoTracking({ accountKey, enabled, at: new Date().toISOString() });
      state.autoTracking = enabled;
      publishSearchAttributes();
      if (enabled) pending.forceSync = true;
      return state;
    },
    { validator: validateSwitch },
  );
  wf.setHandler(
    setLeadSyncUpdate,
    async ({ enabled }) => {
      await bookkeeping.recordLeadSync({ accountKey, network, enabled, at: new Date().toISOString() });
      state.leadSync = enabled;
      // While parked the child waits for the reconnect, which starts (or resumes) it.
      if (enabled && state.status === 'active') await leadSync.start();
      if (!enabled) await leadSync.tell(stopLeadSyncSignal);
      return state;
    },
    { validator: validateSwitch },
  );
  wf.setHandler(overrideEngagementCapSignal, ({ adId }) => void pending.overrides.push(adId));
  wf.setHandler(templateChangedSignal, () => void (pending.forceSync = true));
  wf.setHandler(adsChangedSignal, () => void (pending.forceSync = true));
  wf.setHandler(forceSyncSignal, (arg) => {
    pending.forceSync = true;
    if (arg?.full) pending.fullSweep = true;
  });
  wf.setHandler(reconnectSignal, ({ connectionId }) => void (pending.reconnectConnectionId = connectionId));
  wf.setHandler(disconnectSignal, () => void (pending.disconnect = true));

  function validateSwitch(arg: { enabled?: unknown } | undefined): void {
    if (typeof arg?.enabled !== 'boolean') throw new Error('enabled must be a boolean');
    if (state.status === 'disconnected') throw new Error('the account is disconnected');
  }

  function publishSearchAttributes(): void {
    publishAccountAttributes(state, [{ key: AutoTrackingKey, value: state.autoTracking }]);
  }
  publishSearchAttributes();

  if (!input.carried) {
    const account = await bookkeeping.loadAccountSettings({ accountKey });
    state.autoTracking = account.autoTracking;
    state.firstSweepDone = account.firstSweepCompleted;
    if (account.leadSync !== undefined) state.leadSync = account.leadSync;
    publishSearchAttributes();
  }
  // Every run makes sure its child runs: the first after connecting, and each after a continue-as-new.
  if (wf.patched(Patches.accountOwnsLeadSync) && state.leadSync && state.status === 'active') await leadSync.start();

  // Not memoised: a run upgraded mid-flight replays its old commands unpatched, then turns watched.
  const watched = () => wantsWatcher(settings) && wf.patched(Patches.adsWatcher);
  let watcherStarted = false;
  const alarm = reusableAlarm();

  const setStatus = async (status: AccountLiveState['status'], lastError?: string) => {
    state.status = status;
    if (lastError !== undefined) state.lastError = lastError;
    await bookkeeping.recordAccountStatus({ accountKey, status, ...(lastError !== undefined ? { lastError } : {}) });
    publishSearchAttributes();
  };

  for (;;) {
    if (pending.disconnect) {
      await bookkeeping.disconnectAccount({ accountKey });
      // ACC-6: nothing keeps polling for a disconnected account, whoever started its lead sync.
      if (wf.patched(Patches.accountOwnsLeadSync)) await leadSync.tell(stopLeadSyncSignal);
      state.status = 'disconnected';
      publishSearchAttributes();
      return;
    }
    if (pending.reconnectConnectionId !== undefined) {
      await bookkeeping.attachConnection({ accountKey, connectionId: pending.reconnectConnectionId });
      pending.reconnectConnectionId = undefined;
      delete state.lastError;
      await setStatus('active');
      pending.forceSync = true;
      if (state.leadSync && wf.patched(Patches.accountOwnsLeadSync)) {
        await leadSync.tell(resumeLeadSyncSignal);
        await leadSync.start();
      }
    }
    if (state.status === 'needs_reconnect') {
      // Parked without losing anything: the watermark and pending work stay until a reconnect.
      await wf.condition(() => pending.disconnect || pending.reconnectConnectionId !== undefined);
      continue;
    }
    while (pending.overrides.length > 0) {
      const adId = pending.overrides.shift()!;
      await bookkeeping.markEngagementCapOverride({ accountKey, adId, run: runLabel(Date.now()) });
      pending.fullSweep = true;
    }

    const now = Date.now();
    const woken = pending.forceSync || pending.fullSweep;
    const due = woken || !state.nextSweepAt || now >= Date.parse(state.nextSweepAt);
    if (due) {
      try {
        await sweep(now);
      } catch (error) {
        if (isAuthFailure(error)) await setStatus('needs_reconnect', RECONNECT_MESSAGE);
        else state.lastError = messageOf(error);
      }
      state.nextSweepAt = nextSweepAt(state, settings, Date.now(), watched());
    }
    // Once per run, and again at every sweep the account's own timer brought: a watcher that stopped
    // (terminated by an operator) is back within one idle period.
    if (state.status === 'active' && watched() && (!watcherStarted || (due && !woken))) {
      await startChildOnce(adsWatcherWorkflow, {
        workflowId: adsWatcherWorkflowId(settings.taskQueue, network),
        args: [{ network, intervalSeconds: settings.sweepIntervalSeconds }],
      });
      watcherStarted = true;
    }

    if (continueAsNewSuggested() || historyTooLong()) {
      return continueAsNewAfterHandlers<typeof accountWorkflow>(state, () => [{ network, externalId, settings, carried: { state, pending } }]);
    }
    const nextAtMs = Date.parse(state.nextSweepAt ?? new Date(0).toISOString());
    if (wf.patched(Patches.sweepInFewActivities)) await alarm.waitUntil(nextAtMs, hasWork);
    else await wf.condition(hasWork, Math.max(0, nextAtMs - Date.now()));
  }

  async function sweep(startedAtMs: number): Promise<void> {
    const run = runLabel(startedAtMs);
    const fullDue = !state.lastFullSweepAt || startedAtMs - Date.parse(state.lastFullSweepAt) >= settings.fullSweepIntervalSeconds * 1000;
    const retriesDue = state.nextRetryAt !== undefined && Date.parse(state.nextRetryAt) <= startedAtMs;
    const full = pending.fullSweep || !state.firstSweepDone || fullDue || retriesDue;
    pending.forceSync = false;
    pending.fullSweep = false;

    const pageInput = {
      accountKey,
      run,
      isFirstSweep: !state.firstSweepDone,
      autoTracking: state.autoTracking,
      ...(!full && state.changedSince ? { updatedSince: state.changedSince } : {}),
    };
    const recorded = wf.patched(Patches.sweepInFewActivities) ? await sweepInFewActivities(pageInput) : await sweepPageByPage(pageInput);

    // The change filter overlaps the previous sweep a little: clocks differ between us and the network,
    // and re-planning an unchanged ad is a no-op.
    state.changedSince = new Date(startedAtMs - 5 * 60 * 1000).toISOString();
    const finishedAt = recorded.at;
    state.lastSweepAt = finishedAt;
    if (full) state.lastFullSweepAt = finishedAt;
    state.counts = recorded.counts;
    if (recorded.nextRetryAt) state.nextRetryAt = recorded.nextRetryAt;
    else delete state.nextRetryAt;
    state.firstSweepDone = true;
    state.sweeps += 1;
    delete state.lastError;

    if (!state.lastMetricsSyncAt || startedAtMs - Date.parse(state.lastMetricsSyncAt) >= settings.metricsIntervalSeconds * 1000) {
      await sweepActivities.syncAdMetrics({ accountKey, lookbackDays: settings.metricsLookbackDays, today: finishedAt.slice(0, 10) });
      state.lastMetricsSyncAt = finishedAt;
    }
  }

  type PageInput = Omit<Parameters<Activities['sweepAdsPage']>[0], 'cursor'>;
  type Recorded = Awaited<ReturnType<Activities['recordSweep']>> & { at: string };

  /** Runs from before `Patches.sweepInFewActivities`: one activity per page, then the bookkeeping. */
  async function sweepPageByPage(pageInput: PageInput): Promise<Recorded> {
    let cursor: string | undefined;
    do {
      const page = await sweepActivities.sweepAdsPage({ ...pageInput, ...(cursor ? { cursor } : {}) });
      cursor = page.nextCursor;
    } while (cursor);
    const at = new Date().toISOString();
    return { ...(await bookkeeping.recordSweep({ accountKey, at, firstSweep: !state.firstSweepDone })), at };
  }

  /** Up to a minute of pages per activity; the last call records the sweep. */
  async function sweepInFewActivities(pageInput: PageInput): Promise<Recorded> {
    let cursor: string | undefined;
    for (;;) {
      const result = await sweepActivities.sweepAds({ ...pageInput, firstSweep: !state.firstSweepDone, ...(cursor ? { cursor } : {}) });
      if (result.recorded) return result.recorded;
      cursor = result.nextCursor;
    }
  }
}

/**
 * The account's lead sync, run as its child (outliving each run, see `startChildOnce`), told by id;
 * runs from before the account owned lead sync started it from the API under the same id.
 */
function leadSyncChild(network: AccountLiveState['network'], externalId: string, settings: NonNullable<AccountWorkflowInput['settings']['leadSync']>) {
  const workflowId = leadSyncWorkflowId(network, externalId);
  return {
    async start(): Promise<void> {
      await startChildOnce(leadSyncWorkflow, { workflowId, args: [{ network, externalId, settings }] });
    },
    async tell(signal: wf.SignalDefinition<[]>): Promise<void> {
      try {
        await wf.getExternalWorkflowHandle(workflowId).signal(signal);
      } catch {
        // Not running (never started, or stopped already): nothing to tell.
      }
    },
  };
}

/**
 * Names one sweep (or override) for the audit trail (TRK-12): the workflow run plus the workflow time
 * it started at. Audit entries are keyed by it, so two sweeps of one run never share an entry, while
 * a retried activity of the same sweep writes the same one again.
 */
function runLabel(atMs: number): string {
  const info = wf.workflowInfo();
  return `${info.workflowId}@${info.runId}/${new Date(atMs).toISOString()}`;
}
