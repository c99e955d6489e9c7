import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { TokenSet } from '../networks/types';

/** What is stored for a token set: AES-256-GCM ciphertext with the key id that sealed it. */
export interface SealedSecret {
  keyId: string;
  iv: string;
  data: string;
  tag: string;
}

/**
 * OAuth tokens at rest: sealed with the first configured key, opened with whichever key id sealed
 * them (rotation). The associated data binds a ciphertext to its record, so a sealed token copied
 * onto another connection does not open.
 */
export class TokenVault {
  private readonly keys: Map<string, Buffer>;
  private readonly current: { id: string; key: Buffer };

  constructor(keys: { id: string; key: Buffer }[]) {
    const first = keys[0];
    if (!first) throw new Error('TokenVault needs at least one key');
    this.current = first;
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  seal(tokens: TokenSet, recordId: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(recordId));
    const data = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()]);
    return { keyId: this.current.id, iv: iv.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
  }

  open(sealed: SealedSecret, recordId: string): TokenSet {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`No key configured for key id ${sealed.keyId}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(recordId));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as TokenSet;
  }
}
