import { Schema, type Connection } from 'mongoose';

/** Per ad, per day (REP-1); `_id` = "<network>:<adId>:<date>" so re-reads of late data overwrite. */
export interface AdMetricDay {
  _id: string;
  accountKey: string;
  adKey: string;
  date: string;
  impressions: number;
  clicks: number;
  spend: number;
  conversions: number;
  syncedAt: Date;
}

const schema = new Schema<AdMetricDay>(
  {
    _id: { type: String, required: true },
    accountKey: { type: String, required: true },
    adKey: { type: String, required: true },
    date: { type: String, required: true },
    impressions: { type: Number, default: 0 },
    clicks: { type: Number, default: 0 },
    spend: { type: Number, default: 0 },
    conversions: { type: Number, default: 0 },
    syncedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ accountKey: 1, date: 1 });

export const registerAdMetric = (c: Connection) => c.model<AdMetricDay>('AdMetric', schema, 'ad_metrics');
