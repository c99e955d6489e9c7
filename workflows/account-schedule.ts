import * as wf from '@temporalio/workflow';
import type { AccountLiveState, AccountWorkflowSettings } from './account-definitions';

/**
 * When the account sweeps next on its own. Polling (`watched` false): every sweep interval. Watched by
 * its network's ads watcher (issue 12): only what the watcher cannot see is scheduled — the earliest
 * errored ad's retry, the full re-sweep, the metrics sync — and the idle safety net; a change at the
 * network wakes the account through the watcher within the sweep interval.
 */
export function nextSweepAt(state: AccountLiveState, settings: AccountWorkflowSettings, nowMs: number, watched: boolean): string {
  if (!watched) return new Date(nowMs + settings.sweepIntervalSeconds * 1000).toISOString();
  const after = (iso: string | undefined, seconds: number) => (iso ? Date.parse(iso) + seconds * 1000 : nowMs);
  const candidates = [
    nowMs + idleSweepSeconds(settings) * 1000,
    after(state.lastFullSweepAt, settings.fullSweepIntervalSeconds),
    after(state.lastMetricsSyncAt, settings.metricsIntervalSeconds),
    ...(state.nextRetryAt ? [Date.parse(state.nextRetryAt)] : []),
  ];
  return new Date(Math.max(nowMs, Math.min(...candidates))).toISOString();
}

/** Runs started before the watcher carry no idle period: they rest as long as a full re-sweep. */
export function idleSweepSeconds(settings: AccountWorkflowSettings): number {
  return settings.idleSweepSeconds ?? settings.fullSweepIntervalSeconds;
}

/** A watcher only pays off when the account would otherwise sweep more often than its idle period. */
export function wantsWatcher(settings: AccountWorkflowSettings): boolean {
  return idleSweepSeconds(settings) > settings.sweepIntervalSeconds;
}

/**
 * The wait between sweeps (`Patches.sweepInFewActivities`). A pending timer that rings no later than
 * the next sweep is kept: it costs one early wake-up per idle period, where cancelling it at every
 * signalled sweep and starting another cost two history events per sweep (P4). An earlier deadline
 * gets a timer of its own; the later one rings into a check that finds nothing to do.
 */
export function reusableAlarm() {
  let pending: { atMs: number; rang: boolean } | undefined;
  return {
    async waitUntil(atMs: number, hasWork: () => boolean): Promise<void> {
      if (atMs <= Date.now() || hasWork()) return;
      if (!pending || pending.rang || pending.atMs > atMs) {
        const timer = { atMs, rang: false };
        pending = timer;
        // A cancelled workflow rejects the condition below; the timer's own rejection says nothing more.
        wf.sleep(atMs - Date.now()).then(() => void (timer.rang = true), () => undefined);
      }
      const timer = pending;
      await wf.condition(() => hasWork() || timer.rang);
    },
  };
}
