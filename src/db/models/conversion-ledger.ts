import { Schema, type Connection } from 'mongoose';
import type { Network } from '../../networks/types';

/**
 * The conversion ledger: every conversion event, keyed by its stable event id (CONV-7), so an
 * activity seen twice, a retried send or a replayed workflow is still one event — and an event the
 * network accepted (`sent`) is never sent again, also across a replacement (CONV-8), which inherits
 * the event ids of the definition it replaces.
 *
 * - `pending`: decided to send, waiting in its definition's batch, with the built payload;
 * - `sent`: the network accepted it (`response` holds its answer);
 * - `failed`: the network refused it (`reason` is the network's per-row reason);
 * - `skipped`: never sent, `reason` says why (no consent, outside the network's window, …).
 *
 * Two collections, both keyed by event id: `conversion_ledger` holds every event whose outcome is
 * known (sent / failed / skipped) and is only ever inserted into; `conversion_outbox` holds the
 * pending ones with their payloads (plus, briefly, the journal of a batch being settled). Settling a
 * batch = journal → insert the ledger rows → delete the outbox rows and the journal; a crash in
 * between is finished from the journal, never by sending again. Inserts and small deletes only: on
 * the embedded FerretDB (SQLite) an update costs ~100× an insert and every query scans its whole
 * collection, so the hot path touches the small outbox and appends to the ledger.
 *
 * Payloads hold only hashed personal data (plus the browser's IP and user agent for website events)
 * and leave with the outbox row; `matchKeys` keeps which identifiers were sent, not their values.
 */
export type LedgerStatus = 'pending' | 'sent' | 'failed' | 'skipped';

export interface LedgerReason {
  code: string;
  message: string;
}

export interface ConversionLedgerRecord {
  _id: string;
  eventId: string;
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
  /** Outbox (pending) rows only: the network payload item, already hashed. */
  payload: Record<string, unknown> | null;
  matchKeys: string[];
  response: Record<string, unknown> | null;
  /** Send attempts of the batch that settled the event. */
  attempts: number;
  /** How many times the activity behind this event arrived (duplicates are counted, not sent). */
  seen: number;
  /** The workflow step that wrote the row, so a retried step recognises its own work. */
  prepareToken: string | null;
  enqueuedAt: Date | null;
  sentAt: Date | null;
  settledAt: Date | null;
  createdAt: Date;
}

const schema = new Schema<ConversionLedgerRecord>(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
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
    prepareToken: { type: String, default: null },
    enqueuedAt: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    settledAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
schema.index({ definitionId: 1, status: 1 });
schema.index({ eventId: 1 });

export const registerConversionLedger = (c: Connection) => c.model<ConversionLedgerRecord>('ConversionLedger', schema, 'conversion_ledger');

/** A batch whose network answer is known, written before its rows are settled (crash recovery). */
export interface ConversionJournalRecord {
  _id: string;
  entry: 'journal';
  definitionId: string;
  attempts: number;
  outcomes: { eventId: string; status: 'sent' | 'failed' | 'skipped'; reason: LedgerReason | null; response: Record<string, unknown> | null }[];
  createdAt: Date;
}

/** Outbox documents: pending events (`entry` absent) and batch journals (`entry: 'journal'`). */
export type ConversionOutboxRecord = ConversionLedgerRecord | ConversionJournalRecord;

const outboxSchema = new Schema({ _id: { type: String, required: true } }, { strict: false, versionKey: false, minimize: false });
outboxSchema.index({ definitionId: 1 });

export const registerConversionOutbox = (c: Connection) => c.model<ConversionOutboxRecord>('ConversionOutbox', outboxSchema, 'conversion_outbox');
