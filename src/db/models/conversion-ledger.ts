import { Schema, type Connection } from 'mongoose';
import type { Network } from '../../networks/types';

/**
 * The conversion ledger: one row per conversion event, keyed by its stable event id (CONV-7), so an
 * activity seen twice, a retried send or a replayed workflow is still one row — and a row the network
 * accepted (`sent`) is never sent again, also across a replacement (CONV-8), which inherits the event
 * ids of the definition it replaces.
 *
 * - `pending`: decided to send, waiting in its definition's batch (the built payload is kept until then);
 * - `sent`: the network accepted it (`response` holds its answer);
 * - `failed`: the network refused it (`reason` is the network's per-row reason);
 * - `skipped`: never sent, `reason` says why (no consent, outside the network's window, …).
 *
 * Payloads hold only hashed personal data (plus the browser's IP / user agent for website events) and
 * are dropped once the row is settled; `matchKeys` keeps which identifiers were sent, not their values.
 */
export type LedgerStatus = 'pending' | 'sent' | 'failed' | 'skipped';

export interface LedgerReason {
  code: string;
  message: string;
}

export interface ConversionLedgerRecord {
  _id: string;
  definitionId: string;
  network: Network;
  kind: 'lifecycle_stage' | 'form_submission';
  contactId: string;
  stage: string | null;
  formId: string | null;
  submissionId: string | null;
  occurredAt: Date;
  status: LedgerStatus;
  reason: LedgerReason | null;
  payload: Record<string, unknown> | null;
  matchKeys: string[];
  response: Record<string, unknown> | null;
  attempts: number;
  /** How many times the activity behind this event arrived (duplicates are counted, not sent). */
  seen: number;
  enqueuedAt: Date | null;
  lastAttemptAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<ConversionLedgerRecord>(
  {
    _id: { type: String, required: true },
    definitionId: { type: String, required: true },
    network: { type: String, required: true },
    kind: { type: String, required: true },
    contactId: { type: String, required: true },
    stage: { type: String, default: null },
    formId: { type: String, default: null },
    submissionId: { type: String, default: null },
    occurredAt: { type: Date, required: true },
    status: { type: String, required: true },
    reason: { type: { code: String, message: String }, default: null, _id: false },
    payload: { type: Schema.Types.Mixed, default: null },
    matchKeys: { type: [String], default: [] },
    response: { type: Schema.Types.Mixed, default: null },
    attempts: { type: Number, default: 0 },
    seen: { type: Number, default: 1 },
    enqueuedAt: { type: Date, default: null },
    lastAttemptAt: { type: Date, default: null },
    sentAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
schema.index({ definitionId: 1, status: 1 });

export const registerConversionLedger = (c: Connection) => c.model<ConversionLedgerRecord>('ConversionLedger', schema, 'conversion_ledger');
