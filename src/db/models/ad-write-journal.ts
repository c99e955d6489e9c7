import { Schema, type Connection } from 'mongoose';

/**
 * Tracking writes about to be sent (TRK-12 across crashes): written before a sweep page sends its
 * writes to the network, removed once the page's outcomes are stored. An entry still there when a
 * page is swept again means the worker stopped in between: if the ad now carries the parameters,
 * our write went through, and its audit entry says `applied` with these parameters.
 */
export interface AdWriteIntent {
  /** The ad's key (`<network>:<adId>`). */
  _id: string;
  accountKey: string;
  /** The sweep that wrote (its audit label). */
  run: string;
  params: Record<string, string>;
  at: Date;
}

const schema = new Schema<AdWriteIntent>(
  {
    _id: { type: String, required: true },
    accountKey: { type: String, required: true },
    run: { type: String, required: true },
    params: { type: Schema.Types.Mixed, default: {} },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

export const registerAdWriteJournal = (c: Connection) => c.model<AdWriteIntent>('AdWriteJournal', schema, 'ad_write_journal');
