import { Schema, type Connection } from 'mongoose';
import type { Network } from '../../networks/types';

export type AccountStatus = 'active' | 'needs_reconnect' | 'disconnected';

/** A connected ad account; `_id` = "<network>:<externalId>" so connecting twice is one record. */
export interface AdAccountRecord {
  _id: string;
  network: Network;
  externalId: string;
  name: string;
  currency: string | null;
  timezone: string | null;
  businessId: string | null;
  connectionId: string | null;
  status: AccountStatus;
  autoTracking: boolean;
  /** Every switch of auto-tracking, so attribution can ask "was it on at click time?" (ACC-5). */
  autoTrackingHistory: { enabled: boolean; at: Date }[];
  connectedAt: Date;
  disconnectedAt: Date | null;
  firstSweepCompletedAt: Date | null;
  lastSweepAt: Date | null;
  lastError: string | null;
  /** The ads watcher's memory of the account's recent changes (issue 12, src/domain/tracking/changes.ts). */
  watchedChanges?: string[];
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<AdAccountRecord>(
  {
    _id: { type: String, required: true },
    network: { type: String, required: true },
    externalId: { type: String, required: true },
    name: { type: String, default: '' },
    currency: { type: String, default: null },
    timezone: { type: String, default: null },
    businessId: { type: String, default: null },
    connectionId: { type: String, default: null },
    status: { type: String, required: true, default: 'active' },
    autoTracking: { type: Boolean, default: true },
    autoTrackingHistory: { type: [{ enabled: Boolean, at: Date, _id: false }], default: [] },
    connectedAt: { type: Date, required: true },
    disconnectedAt: { type: Date, default: null },
    firstSweepCompletedAt: { type: Date, default: null },
    lastSweepAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    watchedChanges: { type: [String], default: undefined },
  },
  { timestamps: true, versionKey: false },
);
schema.index({ network: 1, externalId: 1 }, { unique: true });

export const registerAdAccount = (c: Connection) => c.model<AdAccountRecord>('AdAccount', schema, 'ad_accounts');
export const accountKeyOf = (network: Network, externalId: string) => `${network}:${externalId}`;
