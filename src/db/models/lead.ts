import { Schema, type Connection } from 'mongoose';
import type { Network } from '../../networks/types';

/** A lead-ad lead (LEAD-1), stored once: `_id` = "<network>:<leadId>" (LEAD-2). */
export interface LeadDoc {
  _id: string;
  network: Network;
  leadId: string;
  accountKey: string;
  formId: string;
  adId: string | null;
  adGroupId: string | null;
  campaignId: string | null;
  createdTime: Date;
  /** LEAD-3: an organic (non-ad) submission of the lead form. */
  organic: boolean;
  answers: Record<string, string>;
  contactId: string | null;
  /** How the lead first arrived: poll (incremental), reconcile (found missing), … */
  foundBy: string;
  storedAt: Date;
}

const schema = new Schema<LeadDoc>(
  {
    _id: { type: String, required: true },
    network: { type: String, required: true },
    leadId: { type: String, required: true },
    accountKey: { type: String, required: true },
    formId: { type: String, required: true },
    adId: { type: String, default: null },
    adGroupId: { type: String, default: null },
    campaignId: { type: String, default: null },
    createdTime: { type: Date, required: true },
    organic: { type: Boolean, default: false },
    answers: { type: Schema.Types.Mixed, default: {} },
    contactId: { type: String, default: null },
    foundBy: { type: String, default: 'poll' },
    storedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
schema.index({ accountKey: 1, formId: 1 });
schema.index({ contactId: 1, createdTime: 1 });

export const registerLead = (c: Connection) => c.model<LeadDoc>('Lead', schema, 'leads');
export const leadKeyOf = (network: Network, leadId: string) => `${network}:${leadId}`;
