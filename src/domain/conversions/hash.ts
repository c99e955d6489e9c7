/**
 * SHA-256 of normalised personal data, lowercase hex, as all three networks require (CONV-9).
 * Uses `node:crypto`: import this from activities, never from workflow code.
 */
import { createHash } from 'node:crypto';
import type { Network } from '../../networks/types';
import { isSha256Hex, normaliseField, type HashedField, type NormaliseOptions } from './normalise';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Hashes an already normalised value; a value that is already a SHA-256 digest passes through. */
export function hashNormalised(normalised: string): string {
  return isSha256Hex(normalised) ? normalised.trim().toLowerCase() : sha256Hex(normalised);
}

/**
 * Normalises `raw` by the network's rules for `field`, then hashes it. `undefined` when the value is
 * absent or cannot be normalised into something the network could match.
 */
export function hashField(network: Network, field: HashedField, raw: string | undefined, options: NormaliseOptions = {}): string | undefined {
  if (raw === undefined) return undefined;
  const normalised = normaliseField(network, field, raw, options);
  return normalised === undefined ? undefined : hashNormalised(normalised);
}
