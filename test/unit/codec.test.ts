import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec } from '../../src/temporal/codec';

const oldKey = { id: 'old', key: randomBytes(32) };
const newKey = { id: 'new', key: randomBytes(32) };
const SECRET = { accessToken: 'EAAB-very-secret-token', email: 'jane@example.com' };
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (payload: Payload) => Buffer.from(payload.data ?? []).toString('latin1');

describe('payload codec (OPS-3): AES-256-GCM with key ids', () => {
  it('round-trips and leaves no plain text in the encoded payload', async () => {
    const codec = await EncryptionCodec.create([newKey]);
    const [encoded] = await codec.encode([payloadOf(SECRET)]);
    expect(Buffer.from(encoded!.metadata!['encoding']!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded!.metadata!['encryption-key-id']!).toString()).toBe('new');
    expect(text(encoded!)).not.toContain('very-secret');
    expect(text(encoded!)).not.toContain('jane@example.com');
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(SECRET);
  });

  it('uses a fresh IV for every payload (same input, different ciphertext)', async () => {
    const codec = await EncryptionCodec.create([newKey]);
    const [a, b] = await codec.encode([payloadOf(SECRET), payloadOf(SECRET)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotation: data written with the old key still decodes once a new key encrypts', async () => {
    const before = await EncryptionCodec.create([oldKey]);
    const [written] = await before.encode([payloadOf(SECRET)]);
    const after = await EncryptionCodec.create([newKey, oldKey]);
    const [decoded] = await after.decode([written!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(SECRET);
    const [rewritten] = await after.encode([payloadOf(SECRET)]);
    expect(Buffer.from(rewritten!.metadata!['encryption-key-id']!).toString()).toBe('new');
  });

  it('fails clearly for an unknown key id and for tampered data', async () => {
    const writer = await EncryptionCodec.create([oldKey]);
    const [written] = await writer.encode([payloadOf(SECRET)]);
    const reader = await EncryptionCodec.create([newKey]);
    await expect(reader.decode([written!])).rejects.toThrow(/key id old/);
    const tampered = { ...written!, data: Buffer.from(written!.data!) };
    tampered.data[20] = tampered.data[20]! ^ 0xff;
    await expect(writer.decode([tampered])).rejects.toThrow();
  });

  it('passes through payloads that are not encrypted', async () => {
    const codec = await EncryptionCodec.create([newKey]);
    const plain = payloadOf({ hello: 'world' });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('rejects keys that are not 32 bytes', async () => {
    await expect(EncryptionCodec.create([{ id: 'x', key: randomBytes(16) }])).rejects.toThrow(/32 bytes/);
  });
});
