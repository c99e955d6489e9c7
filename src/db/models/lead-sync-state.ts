import { Schema, type Connection } from 'mongoose';
import type { Network } from '../../networks/types';

/** LEAD-5 per account and form: `_id` = "<accountKey>|<formId>". */
export interface LeadFormSyncDoc {
  _id: string;
  accountKey: string;
  network: Network;
  formId: string;
  formName: string;
  formStatus: string;
  /** ISO watermark: the newest lead creation time read so far (incremental reads start there). */
  cursor: string | null;
  lastSyncAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  /** Leads the network listed for the form at the last reconciliation, and stored then. */
  leadsAtNetwork: number | null;
  leadsStored: number | null;
  lastReconcileAt: Date | null;
  /** Leads the last reconciliation found missing (and fetched). */
  missingFoundAtLastReconcile: number;
  missingFoundTotal: number;
}

const formSchema = new Schema<LeadFormSyncDoc>(
  {
    _id: { type: String, required: true },
    accountKey: { type: String, required: true },
    network: { type: String, required: true },
    formId: { type: String, required: true },
    formName: { type: String, default: '' },
    formStatus: { type: String, default: '' },
    cursor: { type: String, default: null },
    lastSyncAt: { type: Date, default: null },
    lastSuccessAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    lastErrorAt: { type: Date, default: null },
    leadsAtNetwork: { type: Number, default: null },
    leadsStored: { type: Number, default: null },
    lastReconcileAt: { type: Date, default: null },
    missingFoundAtLastReconcile: { type: Number, default: 0 },
    missingFoundTotal: { type: Number, default: 0 },
  },
  { versionKey: false },
);
formSchema.index({ accountKey: 1 });
formSchema.index({ network: 1, formId: 1 });

/** LEAD-1 switch per account: `_id` = accountKey. */
export interface LeadSyncAccountDoc {
  _id: string;
  network: Network;
  enabled: boolean;
  changedAt: Date;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastFormsRefreshAt: Date | null;
  lastWebhookAt: Date | null;
}

const accountSchema = new Schema<LeadSyncAccountDoc>(
  {
    _id: { type: String, required: true },
    network: { type: String, required: true },
    enabled: { type: Boolean, required: true },
    changedAt: { type: Date, required: true },
    lastError: { type: String, default: null },
    lastErrorAt: { type: Date, default: null },
    lastFormsRefreshAt: { type: Date, default: null },
    lastWebhookAt: { type: Date, default: null },
  },
  { versionKey: false },
);

/**
 * A webhook said this lead exists (LEAD-1/LEAD-2): kept durably so a notification arriving while the
 * workflow is busy (or not running) is not lost; resolved once the lead is stored. `_id` = "<network>:<leadId>".
 */
export interface LeadNotificationDoc {
  _id: string;
  network: Network;
  leadId: string;
  formId: string | null;
  accountKey: string | null;
  receivedAt: Date;
  deliveries: number;
  resolvedAt: Date | null;
}

const notificationSchema = new Schema<LeadNotificationDoc>(
  {
    _id: { type: String, required: true },
    network: { type: String, required: true },
    leadId: { type: String, required: true },
    formId: { type: String, default: null },
    accountKey: { type: String, default: null },
    receivedAt: { type: Date, required: true },
    deliveries: { type: Number, default: 1 },
    resolvedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
notificationSchema.index({ accountKey: 1, resolvedAt: 1 });

export const registerLeadFormSync = (c: Connection) => c.model<LeadFormSyncDoc>('LeadFormSync', formSchema, 'lead_form_syncs');
export const registerLeadSyncAccount = (c: Connection) => c.model<LeadSyncAccountDoc>('LeadSyncAccount', accountSchema, 'lead_sync_accounts');
export const registerLeadNotification = (c: Connection) => c.model<LeadNotificationDoc>('LeadNotification', notificationSchema, 'lead_notifications');
export const leadFormSyncKey = (accountKey: string, formId: string) => `${accountKey}|${formId}`;
