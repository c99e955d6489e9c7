import { Schema, type Connection } from 'mongoose';

/**
 * One claimed share of a rate-budget slice: `_id` = `<key>|<slice>|<lease n>`. Workers claim a lease
 * by inserting it; the unique `_id` settles races (FerretDB v1 can lose racing updates of one
 * document, never a duplicate insert).
 */
export interface RateLeaseDoc {
  _id: string;
  key: string;
  slice: number;
}

/** A network's "wait until" for a budget key (app, developer token or ad account), shared by workers: `_id` = `<key>|<until ms>`. */
export interface RateBlockDoc {
  _id: string;
  key: string;
  until: Date;
}

const leaseSchema = new Schema<RateLeaseDoc>(
  { _id: { type: String, required: true }, key: { type: String, required: true }, slice: { type: Number, required: true } },
  { versionKey: false },
);

const blockSchema = new Schema<RateBlockDoc>(
  { _id: { type: String, required: true }, key: { type: String, required: true }, until: { type: Date, required: true } },
  { versionKey: false },
);

leaseSchema.index({ key: 1, slice: 1 });
blockSchema.index({ until: 1 });

export const registerRateLease = (c: Connection) => c.model<RateLeaseDoc>('RateLease', leaseSchema, 'rate_leases');
export const registerRateBlock = (c: Connection) => c.model<RateBlockDoc>('RateBlock', blockSchema, 'rate_blocks');
