import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/**
 * AES-256-GCM payload codec: every workflow argument, result, signal, query answer and memo is
 * encrypted before it reaches Temporal, so tokens and personal data never sit in a history in plain
 * text. The key id travels in the payload metadata; the first key encrypts and every configured key
 * decrypts, which is how keys rotate (add the new key first, keep the old one until histories age out).
 */
export class EncryptionCodec implements PayloadCodec {
  private constructor(
    private readonly encryptWith: EncryptionKey,
    private readonly decryptKeys: Map<string, Buffer>,
  ) {}

  static async create(keys: EncryptionKey[]): Promise<EncryptionCodec> {
    const first = keys[0];
    if (!first) throw new Error('EncryptionCodec needs at least one key');
    for (const { id, key } of keys) if (key.length !== 32) throw new Error(`encryption key ${id} must be 32 bytes`);
    return new EncryptionCodec(first, new Map(keys.map(({ id, key }) => [id, key])));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_LENGTH);
      const cipher = createCipheriv('aes-256-gcm', this.encryptWith.key, iv);
      const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCODING),
          [KEY_ID_METADATA]: Buffer.from(this.encryptWith.id),
        },
        // iv | ciphertext | tag, the layout of the Temporal encryption sample.
        data: Buffer.concat([iv, sealed, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString() !== ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      if (!keyIdBytes) throw new ValueError('Encrypted payload has no encryption-key-id');
      const keyId = Buffer.from(keyIdBytes).toString();
      const key = this.decryptKeys.get(keyId);
      if (!key) throw new ValueError(`No decryption key configured for key id ${keyId}`);
      const data = Buffer.from(payload.data ?? []);
      if (data.length < IV_LENGTH + TAG_LENGTH) throw new ValueError('Encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_LENGTH));
      decipher.setAuthTag(data.subarray(data.length - TAG_LENGTH));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_LENGTH, data.length - TAG_LENGTH)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}
