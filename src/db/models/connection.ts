import { Schema, type Connection } from 'mongoose';
import type { Network } from '../../networks/types';
import type { SealedSecret } from '../../security/token-vault';

/**
 * One OAuth grant. Tokens are sealed (TokenVault); the list of every account the token can reach is
 * NOT stored (ACC-3) — only the accounts the admin connects become AdAccount records.
 */
export interface ConnectionRecord {
  _id: string;
  network: Network;
  status: 'active' | 'needs_reconnect' | 'revoked';
  tokens: SealedSecret | null;
  accessTokenExpiresAt: Date | null;
  refreshedAt: Date | null;
  lastError: string | null;
  /** When the single-use OAuth code was sent to the network: a second attempt must not send it again. */
  codeSentAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const sealed = new Schema<SealedSecret>({ keyId: String, iv: String, data: String, tag: String }, { _id: false });

const schema = new Schema<ConnectionRecord>(
  {
    _id: { type: String, required: true },
    network: { type: String, required: true },
    status: { type: String, required: true, default: 'active' },
    tokens: { type: sealed, default: null },
    accessTokenExpiresAt: { type: Date, default: null },
    refreshedAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    codeSentAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);

export const registerConnection = (c: Connection) => c.model<ConnectionRecord>('Connection', schema, 'connections');
