import { Schema, type Connection } from 'mongoose';

/**
 * The audit trail per ad (TRK-12): what the system changed or decided, when, by which run.
 * `_id` is derived from the ad, the run and the step, so a retried activity writes the same entry.
 */
export interface AdAuditEntry {
  _id: string;
  adKey: string;
  accountKey: string;
  at: Date;
  /** Workflow id + run id of the sweep that acted. */
  run: string;
  action: 'applied' | 'skipped' | 'error' | 'override' | 'excluded';
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  reason: { code: string; message: string } | null;
}

const schema = new Schema<AdAuditEntry>(
  {
    _id: { type: String, required: true },
    adKey: { type: String, required: true },
    accountKey: { type: String, required: true },
    at: { type: Date, required: true },
    run: { type: String, required: true },
    action: { type: String, required: true },
    before: { type: Schema.Types.Mixed, default: {} },
    after: { type: Schema.Types.Mixed, default: {} },
    reason: { type: { code: String, message: String }, default: null, _id: false },
  },
  { versionKey: false, minimize: false },
);
schema.index({ adKey: 1, at: -1 });

export const registerAdAudit = (c: Connection) => c.model<AdAuditEntry>('AdAudit', schema, 'ad_audit');
