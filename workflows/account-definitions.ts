import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Network } from '../src/networks/types';
import type { LeadSyncSettings } from './lead-sync-definitions';

/**
 * The account workflow's messages, defined once and shared by the workflow and the API (OPS-2).
 * Only ids and switches travel here: never tokens or personal data.
 */
export type AccountStatus = 'active' | 'needs_reconnect' | 'disconnected';

export interface AccountWorkflowSettings {
  /** How often the account looks for new or changed ads (TRK-1: within a minute). */
  sweepIntervalSeconds: number;
  /**
   * How long an account the ads watcher reports no change for sleeps before it sweeps anyway (issue 12).
   * Longer than `sweepIntervalSeconds`: the watcher looks every `sweepIntervalSeconds` and wakes the
   * account; not longer: the account sweeps on every interval itself. Absent in runs started before
   * the watcher: the full-sweep period.
   */
  idleSweepSeconds?: number;
  /** The deployment's task queue, naming its ads watchers; absent in runs started before them. */
  taskQueue?: string;
  /** Full re-sweep period: re-evaluates ads whose error cause may have gone away without an edit (TRK-11). */
  fullSweepIntervalSeconds: number;
  /** Metrics sync period and look-back for late data (REP-1). */
  metricsIntervalSeconds: number;
  metricsLookbackDays: number;
  /** The account's lead sync (LEAD-1), run as its child; absent in runs started before it owned lead sync. */
  leadSync?: LeadSyncSettings;
}

export interface AccountWorkflowInput {
  network: Network;
  externalId: string;
  settings: AccountWorkflowSettings;
  /** Carried across continue-as-new. */
  carried?: AccountWorkflowCarry;
}

export interface AccountWorkflowCarry {
  state: AccountLiveState;
  pending: PendingWork;
}

export interface PendingWork {
  forceSync: boolean;
  fullSweep: boolean;
  overrides: string[];
  reconnectConnectionId?: string;
  disconnect: boolean;
}

export interface AccountLiveState {
  network: Network;
  externalId: string;
  status: AccountStatus;
  autoTracking: boolean;
  /** The LEAD-1 switch; the workflow is its truth and runs the lead sync child while it is on. */
  leadSync?: boolean;
  firstSweepDone: boolean;
  /** ISO watermark for the networks' change filters (`updated_since` and the like). */
  changedSince?: string;
  lastSweepAt?: string;
  lastFullSweepAt?: string;
  nextSweepAt?: string;
  lastMetricsSyncAt?: string;
  /** When the earliest errored ad is due for a retry (a full sweep then re-plans it, TRK-11). */
  nextRetryAt?: string;
  counts: Record<'tracked' | 'pending' | 'error' | 'excluded', number>;
  sweeps: number;
  lastError?: string;
  /** Continue-as-new generations, for operators. */
  generation: number;
}

export const accountStateQuery = defineQuery<AccountLiveState>('accountState');
/** Returns the new state once applied, so the API can answer with it. */
export const setAutoTrackingUpdate = defineUpdate<AccountLiveState, [{ enabled: boolean }]>('setAutoTracking');
/** LEAD-1: switches the account's lead sync (the child workflow `leads/<network>/<id>`) on or off. */
export const setLeadSyncUpdate = defineUpdate<AccountLiveState, [{ enabled: boolean }]>('setLeadSync');
export const overrideEngagementCapSignal = defineSignal<[{ adId: string }]>('overrideEngagementCap');
export const templateChangedSignal = defineSignal('templateChanged');
export const forceSyncSignal = defineSignal<[{ full?: boolean }]>('forceSync');
export const reconnectSignal = defineSignal<[{ connectionId: string }]>('reconnect');
export const disconnectSignal = defineSignal('disconnect');
/** Sent by the network's ads watcher when the account's ads changed at the network: sweep now. */
export const adsChangedSignal = defineSignal('adsChanged');

export const accountWorkflowId = (network: Network, externalId: string) => `tracking/${network}/${externalId}`;
export const connectWorkflowId = (network: Network, connectionId: string) => `connect/${network}/${connectionId}`;
