import { Schema, type Connection } from 'mongoose';
import type { ConsentRule, ConversionAudience, ConversionTrigger, SharedFields } from '../../domain/conversions/workflow-safe';
import type { Network } from '../../networks/types';

/**
 * A conversion event an admin defined (CONV-1 … CONV-8). `_id` is the definition id; its workflow
 * is `conversions/<_id>`. Definitions are never removed from the database: a deleted or replaced one
 * stays (status) so its ledger rows and event-id namespace keep their meaning.
 */
export type ConversionDefinitionStatus = 'active' | 'deleted' | 'replaced';

/**
 * `legacy`: a lifecycle event created on the old (offline-conversions) integration; `enhanced`: the
 * Conversions API for CRM (CONV-8 replace swaps the first for the second).
 */
export type ConversionApi = 'legacy' | 'enhanced';

export interface ConversionDefinitionRecord {
  _id: string;
  network: Network;
  adAccountId: string;
  /** `<network>:<adAccountId>`, the AdAccount record. */
  accountKey: string;
  name: string;
  trigger: ConversionTrigger;
  audience: ConversionAudience;
  eventName: string | null;
  value: number | null;
  currency: string | null;
  predictiveLeadScore: boolean;
  consent: ConsentRule | null;
  sharedFields: SharedFields;
  pixelId: string | null;
  conversionAction: string | null;
  conversionRule: string | null;
  api: ConversionApi;
  enabled: boolean;
  /** Every switch (CONV-8), so the relay routes an activity by whether the event was on at its time. */
  enabledHistory?: { enabled: boolean; at: Date }[];
  status: ConversionDefinitionStatus;
  /** Seed of the stable event ids (inherited by a replacement). */
  eventIdNamespace: string;
  /** Only activity at or after this instant is sent (CONV-7); a replacement keeps its predecessor's. */
  activeFrom: Date;
  replaces: string | null;
  replacedBy: string | null;
  deletedAt: Date | null;
  lastError: { message: string; at: Date } | null;
  lastSentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<ConversionDefinitionRecord>(
  {
    _id: { type: String, required: true },
    network: { type: String, required: true },
    adAccountId: { type: String, required: true },
    accountKey: { type: String, required: true },
    name: { type: String, default: '' },
    trigger: { type: Schema.Types.Mixed, required: true },
    audience: { type: String, default: 'all' },
    eventName: { type: String, default: null },
    value: { type: Number, default: null },
    currency: { type: String, default: null },
    predictiveLeadScore: { type: Boolean, default: false },
    consent: { type: { property: String, value: String }, default: null, _id: false },
    sharedFields: { type: Schema.Types.Mixed, required: true },
    pixelId: { type: String, default: null },
    conversionAction: { type: String, default: null },
    conversionRule: { type: String, default: null },
    api: { type: String, default: 'enhanced' },
    enabled: { type: Boolean, default: true },
    enabledHistory: { type: [{ _id: false, enabled: Boolean, at: Date }], default: [] },
    status: { type: String, default: 'active' },
    eventIdNamespace: { type: String, required: true },
    activeFrom: { type: Date, required: true },
    replaces: { type: String, default: null },
    replacedBy: { type: String, default: null },
    deletedAt: { type: Date, default: null },
    lastError: { type: { message: String, at: Date }, default: null, _id: false },
    lastSentAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
// The CRM-activity router looks definitions up by trigger.
schema.index({ status: 1, enabled: 1, 'trigger.kind': 1 });

export const registerConversionDefinition = (c: Connection) =>
  c.model<ConversionDefinitionRecord>('ConversionDefinition', schema, 'conversion_definitions');
