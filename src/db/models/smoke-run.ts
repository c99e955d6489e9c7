import { Schema, type Connection } from 'mongoose';

/** One pipeline check run (see workflows/smoke.ts); keyed by workflow id so retries upsert. */
export interface SmokeRun {
  _id: string;
  /** SHA-256 of the secret the run was given: proves it arrived without storing it. */
  secretDigest: string;
  messages: string[];
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<SmokeRun>(
  {
    _id: { type: String, required: true },
    secretDigest: { type: String, required: true },
    messages: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);

export const registerSmokeRun = (connection: Connection) => connection.model<SmokeRun>('SmokeRun', schema, 'smoke_runs');
