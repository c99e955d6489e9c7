import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  accountStateQuery,
  disconnectSignal,
  forceSyncSignal,
  overrideEngagementCapSignal,
  reconnectSignal,
  setAutoTrackingUpdate,
  templateChangedSignal,
  type AccountLiveState,
  type AccountWorkflowInput,
  type PendingWork,
} from './account-definitions';
import { isAuthFailure, messageOf } from './failures';
import { AccountStatusKey, AdAccountIdKey, AdNetworkKey, AutoTrackingKey } from './search-attributes';

/**
 * One durable process per connected ad account (`tracking/<network>/<id>`): sweeps the account's
 * ads on an interval and on demand, applies tracking through pure planning rules, syncs metrics,
 * and parks in `needs_reconnect` when the token stops working until a reconnect signal arrives.
 * History stays bounded: one activity per page of ads, continue-as-new carrying state and pending work.
 */
const sweepActivities = wf.proxyActivities<Activities>({
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes: ['NetworkAuthError', 'InvalidInput'],
  },
});
const bookkeeping = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes: ['InvalidInput'] },
});

const HISTORY_SOFT_LIMIT = 5_000;

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
    {
      validator: (arg: { enabled?: unknown } | undefined) => {
        if (typeof arg?.enabled !== 'boolean') throw new Error('enabled must be a boolean');
        if (state.status === 'disconnected') throw new Error('the account is disconnected');
      },
    },
  );
  wf.setHandler(overrideEngagementCapSignal, ({ adId }) => void pending.overrides.push(adId));
  wf.setHandler(templateChangedSignal, () => void (pending.forceSync = true));
  wf.setHandler(forceSyncSignal, (arg) => {
    pending.forceSync = true;
    if (arg?.full) pending.fullSweep = true;
  });
  wf.setHandler(reconnectSignal, ({ connectionId }) => void (pending.reconnectConnectionId = connectionId));
  wf.setHandler(disconnectSignal, () => void (pending.disconnect = true));

  function publishSearchAttributes(): void {
    wf.upsertSearchAttributes([
      { key: AdNetworkKey, value: network },
      { key: AdAccountIdKey, value: externalId },
      { key: AutoTrackingKey, value: state.autoTracking },
      { key: AccountStatusKey, value: state.status },
    ]);
  }
  publishSearchAttributes();

  if (!input.carried) {
    const account = await bookkeeping.loadAccountSettings({ accountKey });
    state.autoTracking = account.autoTracking;
    state.firstSweepDone = account.firstSweepCompleted;
    publishSearchAttributes();
  }

  const setStatus = async (status: AccountLiveState['status'], lastError?: string) => {
    state.status = status;
    if (lastError !== undefined) state.lastError = lastError;
    await bookkeeping.recordAccountStatus({ accountKey, status, ...(lastError !== undefined ? { lastError } : {}) });
    publishSearchAttributes();
  };

  for (;;) {
    if (pending.disconnect) {
      await bookkeeping.disconnectAccount({ accountKey });
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
    const due = pending.forceSync || pending.fullSweep || !state.nextSweepAt || now >= Date.parse(state.nextSweepAt);
    if (due) {
      try {
        await sweep(now);
      } catch (error) {
        if (isAuthFailure(error)) await setStatus('needs_reconnect', 'The network no longer accepts the token: reconnect the account.');
        else state.lastError = messageOf(error);
      }
      state.nextSweepAt = new Date(Date.now() + settings.sweepIntervalSeconds * 1000).toISOString();
    }

    if (wf.workflowInfo().continueAsNewSuggested || wf.workflowInfo().historyLength > HISTORY_SOFT_LIMIT) {
      await wf.condition(wf.allHandlersFinished);
      state.generation += 1;
      return wf.continueAsNew<typeof accountWorkflow>({ network, externalId, settings, carried: { state, pending } });
    }
    const waitMs = Math.max(0, Date.parse(state.nextSweepAt ?? new Date(0).toISOString()) - Date.now());
    await wf.condition(hasWork, waitMs);
  }

  async function sweep(startedAtMs: number): Promise<void> {
    const run = runLabel(startedAtMs);
    const fullDue = !state.lastFullSweepAt || startedAtMs - Date.parse(state.lastFullSweepAt) >= settings.fullSweepIntervalSeconds * 1000;
    const retriesDue = state.nextRetryAt !== undefined && Date.parse(state.nextRetryAt) <= startedAtMs;
    const full = pending.fullSweep || !state.firstSweepDone || fullDue || retriesDue;
    pending.forceSync = false;
    pending.fullSweep = false;

    let cursor: string | undefined;
    do {
      const page = await sweepActivities.sweepAdsPage({
        accountKey,
        run,
        isFirstSweep: !state.firstSweepDone,
        ...(cursor ? { cursor } : {}),
        ...(!full && state.changedSince ? { updatedSince: state.changedSince } : {}),
      });
      cursor = page.nextCursor;
    } while (cursor);

    // The change filter overlaps the previous sweep a little: clocks differ between us and the network,
    // and re-planning an unchanged ad is a no-op.
    state.changedSince = new Date(startedAtMs - 5 * 60 * 1000).toISOString();
    const finishedAt = new Date().toISOString();
    state.lastSweepAt = finishedAt;
    if (full) state.lastFullSweepAt = finishedAt;
    const recorded = await bookkeeping.recordSweep({ accountKey, at: finishedAt, firstSweep: !state.firstSweepDone });
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
