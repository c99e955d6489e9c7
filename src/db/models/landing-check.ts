import { Schema, type Connection } from 'mongoose';

/** Cached result of requesting a landing URL without following redirects; `_id` = sha256(url). */
export interface LandingCheckDoc {
  _id: string;
  url: string;
  redirects: boolean;
  status: number | null;
  location: string | null;
  error: string | null;
  checkedAt: Date;
}

const schema = new Schema<LandingCheckDoc>(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    redirects: { type: Boolean, required: true },
    status: { type: Number, default: null },
    location: { type: String, default: null },
    error: { type: String, default: null },
    checkedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const registerLandingCheck = (c: Connection) => c.model<LandingCheckDoc>('LandingCheck', schema, 'landing_checks');
