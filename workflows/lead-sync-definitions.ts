import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Network } from '../src/networks/types';

/**
 * The lead-sync workflow's messages (LEAD-1), shared by the workflow and the API. Only ids and
 * switches travel here (history is encrypted anyway): never lead answers or emails.
 */
export interface LeadSyncSettings {
  /** Incremental read of every form since its cursor. */
  pollIntervalSeconds: number;
  /** Full comparison of lead ids at the network with those stored, per form (LEAD-2). */
  reconcileIntervalSeconds: number;
}

export interface LeadFormState {
  formId: string;
  /** ISO watermark: newest lead creation time read so far. */
  cursor?: string;
  lastSyncAt?: string;
  lastError?: string;
}

export interface LeadSyncLiveState {
  network: Network;
  externalId: string;
  forms: Record<string, LeadFormState>;
  formsRefreshedAt?: string;
  lastPollAt?: string;
  nextPollAt?: string;
  lastReconcileAt?: string;
  nextReconcileAt?: string;
  polls: number;
  reconciliations: number;
  /** Leads stored by this workflow (all generations). */
  leadsStored: number;
  /** Leads the reconciliations found missing. */
  missingFound: number;
  webhookWakeups: number;
  lastError?: string;
  /** Waiting for a reconnect: the network refused the token. */
  parked?: boolean;
  generation: number;
}

export interface LeadSyncPending {
  wake: boolean;
  stop: boolean;
  /** The account was reconnected: leave the parked state. */
  resume?: boolean;
  /** Forms to reconcile now (a notified lead was still missing after a poll), or '*' for all. */
  reconcileForms: string[];
}

export interface LeadSyncInput {
  network: Network;
  externalId: string;
  settings: LeadSyncSettings;
  carried?: { state: LeadSyncLiveState; pending: LeadSyncPending };
}

export const leadSyncStateQuery = defineQuery<LeadSyncLiveState>('leadSyncState');
/** A webhook said new leads exist: read at once (the lead ids are stored durably by the API). */
export const leadsNotifiedSignal = defineSignal<[{ formId?: string }]>('leadsNotified');
/** Compare with the network now (all forms, or one). */
export const reconcileLeadsSignal = defineSignal<[{ formId?: string }]>('reconcileLeads');
export const stopLeadSyncSignal = defineSignal('stopLeadSync');
/** Sent by the account workflow after a reconnect: a parked lead sync polls again. */
export const resumeLeadSyncSignal = defineSignal('resumeLeadSync');

/** For account runs started before their input carried lead-sync settings (the config defaults). */
export const DEFAULT_LEAD_SYNC_SETTINGS: LeadSyncSettings = { pollIntervalSeconds: 300, reconcileIntervalSeconds: 3_600 };

export const leadSyncWorkflowId = (network: Network, externalId: string) => `leads/${network}/${externalId}`;
