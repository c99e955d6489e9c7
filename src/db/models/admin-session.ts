import { Schema, type Connection } from 'mongoose';
import type { Network } from '../../networks/types';

/**
 * A signed-in admin console session. `_id` is the SHA-256 of the cookie value, so a database read
 * does not hand out live sessions. Expired records are refused on read and swept at each sign-in and
 * state issue (FerretDB, the embedded default, has no TTL indexes).
 */
export interface AdminSessionRecord {
  _id: string;
  csrfToken: string;
  expiresAt: Date;
  createdAt: Date;
}

/** A pending OAuth authorization: one per `state`, taken (deleted) by the callback, so single-use. */
export interface OAuthStateRecord {
  _id: string;
  sessionKey: string;
  network: Network;
  redirectUri: string;
  expiresAt: Date;
  codeVerifier: string | null;
}

const sessionSchema = new Schema<AdminSessionRecord>(
  {
    _id: { type: String, required: true },
    csrfToken: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
sessionSchema.index({ expiresAt: 1 });

const stateSchema = new Schema<OAuthStateRecord>(
  {
    _id: { type: String, required: true },
    sessionKey: { type: String, required: true },
    network: { type: String, required: true },
    redirectUri: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    codeVerifier: { type: String, default: null },
  },
  { versionKey: false },
);
stateSchema.index({ expiresAt: 1 });

export const registerAdminSession = (c: Connection) => c.model<AdminSessionRecord>('AdminSession', sessionSchema, 'admin_sessions');
export const registerOAuthState = (c: Connection) => c.model<OAuthStateRecord>('OAuthState', stateSchema, 'oauth_states');
