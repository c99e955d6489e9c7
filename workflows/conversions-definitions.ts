import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Network } from '../src/networks/types';

/**
 * Messages of the per-definition conversion workflow (`conversions/<definitionId>`), shared by the
 * workflow, the API and the CRM-activity router. Only ids travel here — contact ids, submission ids,
 * stages, times — never an email, phone, name, IP address or token: the activities load the contact
 * and build the hashed payloads themselves, so histories stay small and free of personal data.
 */

/** A lifecycle-stage change or a form submission, by reference. */
export type ConversionActivityRef =
  | { kind: 'lifecycle_stage'; contactId: string; stage: string; at: string }
  | { kind: 'form_submission'; contactId: string; formId: string; submissionId: string; at: string };

/** A batch of references (the API sends one per CRM change; bulk producers send up to a few thousand). */
export interface ConversionActivitySignalArgs {
  refs: ConversionActivityRef[];
}

export interface ConversionWorkflowInput {
  definitionId: string;
  carried?: ConversionWorkflowCarry;
}

/** A queued event as the batching rules see it (`QueuedConversion` without a payload: that stays in the ledger). */
export interface QueuedEventRef {
  eventId: string;
  occurredAt: number;
  enqueuedAt: number;
}

/** Events a network asked to retry later (per-row transient errors), with when. */
export interface DeferredEventRef {
  eventId: string;
  occurredAt: number;
  notBefore: number;
}

export interface ConversionLiveState {
  definitionId: string;
  network: Network | null;
  enabled: boolean;
  /** `running`, `handing_over` (replaced, draining), `ended`. */
  phase: 'running' | 'handing_over' | 'ended';
  handOverTo: string | null;
  /** References received and not yet evaluated. */
  intake: number;
  /** Events waiting for their batch. */
  queued: number;
  /** Events waiting for a retry the network asked for. */
  deferred: number;
  /** Epoch ms the next batch is due; null when nothing waits. */
  nextFlushAt: number | null;
  batches: number;
  sent: number;
  failed: number;
  skipped: number;
  duplicates: number;
  /** References dropped because the definition was switched off (not sent, not queued). */
  droppedWhileOff: number;
  lastBatch: { size: number; reason: string; at: string } | null;
  lastError: string | null;
  generation: number;
}

export interface ConversionWorkflowCarry {
  network: Network;
  enabled: boolean;
  handOverTo: string | null;
  deleteRequested: boolean;
  intake: ConversionActivityRef[];
  queue: QueuedEventRef[];
  deferred: DeferredEventRef[];
  state: ConversionLiveState;
  /** Counter for prepare tokens, unique per definition across runs. */
  step: number;
}

export const conversionActivitySignal = defineSignal<[ConversionActivitySignalArgs]>('conversionActivity');
export const setConversionEnabledSignal = defineSignal<[{ enabled: boolean }]>('setConversionEnabled');
/** The definition was deleted: queued events are not sent, the workflow ends. */
export const deleteConversionSignal = defineSignal('deleteConversion');
/** CONV-8 replace: forward new activity to `to`, send what is already queued, then end. */
export const handOverConversionSignal = defineSignal<[{ to: string }]>('handOverConversion');
export const conversionStateQuery = defineQuery<ConversionLiveState>('conversionState');

export const conversionWorkflowId = (definitionId: string) => `conversions/${definitionId}`;
