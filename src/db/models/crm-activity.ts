import { Schema, type Connection } from 'mongoose';

/** Which write path produced a CRM activity (the README lists which paths emit which events). */
export type CrmActivityVia = 'api' | 'form' | 'import' | 'lead_sync';

/**
 * A CRM activity conversion events listen to (a lifecycle-stage change or a form submission), by
 * reference only: ids, stage, time — never an email, name or IP address. `_id` is deterministic
 * (`lifecycle:<contactId>:<stage>:<changedAt ms>`, `form_submission:<submissionId>`), so writing the
 * same activity twice is one record, and delivering it twice yields the same conversion event ids.
 *
 * Two collections with the same documents: `crm_activities` is the durable record (insert-only);
 * `crm_activity_outbox` holds those not yet acknowledged by Temporal and loses a row once every
 * conversion workflow it triggers has accepted it. The outbox stays small, because on the embedded
 * FerretDB every query other than by `_id` scans its whole collection.
 */
export interface CrmActivityDoc {
  _id: string;
  kind: 'lifecycle_stage' | 'form_submission';
  contactId: string;
  stage: string | null;
  formId: string | null;
  submissionId: string | null;
  /** When the activity happened, as stored on the contact / submission. */
  at: Date;
  via: CrmActivityVia;
  createdAt: Date;
}

/** The delivery state is absent until a delivery fails (rows are inserted without it). */
export interface CrmActivityOutboxDoc extends CrmActivityDoc {
  attempts?: number;
  lastError?: string | null;
  /** Definitions that already acknowledged this activity (a partial delivery is not repeated for them). */
  deliveredTo?: string[];
}

const fields = {
  _id: { type: String, required: true },
  kind: { type: String, required: true },
  contactId: { type: String, required: true },
  stage: { type: String, default: null },
  formId: { type: String, default: null },
  submissionId: { type: String, default: null },
  at: { type: Date, required: true },
  via: { type: String, required: true },
  createdAt: { type: Date, required: true },
};

const activitySchema = new Schema<CrmActivityDoc>(fields, { versionKey: false });
activitySchema.index({ contactId: 1, at: 1 });

const outboxSchema = new Schema<CrmActivityOutboxDoc>(
  { ...fields, attempts: { type: Number, default: 0 }, lastError: { type: String, default: null }, deliveredTo: { type: [String], default: [] } },
  { versionKey: false, minimize: false },
);
outboxSchema.index({ createdAt: 1 });

export const registerCrmActivity = (c: Connection) => c.model<CrmActivityDoc>('CrmActivity', activitySchema, 'crm_activities');
export const registerCrmActivityOutbox = (c: Connection) => c.model<CrmActivityOutboxDoc>('CrmActivityOutbox', outboxSchema, 'crm_activity_outbox');
