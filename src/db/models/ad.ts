import { Schema, type Connection } from 'mongoose';
import type { DeliveryStatus, Network } from '../../networks/types';

export type TrackingStatus = 'tracked' | 'pending' | 'error' | 'excluded';

export interface TrackingReason {
  code: string;
  message: string;
  retryable: boolean;
}

/** One ad as last seen, with its tracking outcome; `_id` = "<network>:<adId>". */
export interface AdDoc {
  _id: string;
  accountKey: string;
  network: Network;
  adId: string;
  name: string;
  status: DeliveryStatus;
  rawStatus: string;
  campaign: { id: string; name: string };
  adGroup: { id: string; name: string };
  landingUrl: string | null;
  format: string;
  /** Facebook: the ad set's publisher platforms (e.g. ["instagram"]); [] = automatic placements or another network. */
  placements?: string[];
  trackingStatus: TrackingStatus;
  reason: TrackingReason | null;
  /** The tracking parameters in force after the last successful application. */
  appliedParams: Record<string, string>;
  engagementCapped: boolean;
  engagementCapOverride: boolean;
  attempts: number;
  nextRetryAt: Date | null;
  networkUpdatedTime: string;
  firstSeenAt: Date;
  lastCheckedAt: Date;
  trackedSince: Date | null;
}

const schema = new Schema<AdDoc>(
  {
    _id: { type: String, required: true },
    accountKey: { type: String, required: true },
    network: { type: String, required: true },
    adId: { type: String, required: true },
    name: { type: String, default: '' },
    status: { type: String, required: true },
    rawStatus: { type: String, default: '' },
    campaign: { id: String, name: String },
    adGroup: { id: String, name: String },
    landingUrl: { type: String, default: null },
    format: { type: String, default: '' },
    placements: { type: [String], default: [] },
    trackingStatus: { type: String, required: true },
    reason: { type: { code: String, message: String, retryable: Boolean }, default: null, _id: false },
    appliedParams: { type: Schema.Types.Mixed, default: {} },
    engagementCapped: { type: Boolean, default: false },
    engagementCapOverride: { type: Boolean, default: false },
    attempts: { type: Number, default: 0 },
    nextRetryAt: { type: Date, default: null },
    networkUpdatedTime: { type: String, default: '' },
    firstSeenAt: { type: Date, required: true },
    lastCheckedAt: { type: Date, required: true },
    trackedSince: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
schema.index({ accountKey: 1, trackingStatus: 1, _id: 1 });
schema.index({ accountKey: 1, nextRetryAt: 1 });

export const registerAd = (c: Connection) => c.model<AdDoc>('Ad', schema, 'ads');
export const adKeyOf = (network: Network, adId: string) => `${network}:${adId}`;
