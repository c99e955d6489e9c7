import { createHash } from 'node:crypto';
import { NetworkError } from '../errors';
import type { NetworkErrorInfo } from '../types';
import { digits } from './queries';
import { toConversionDateTime } from './time';

/** Click-conversion upload input and Google's identifier normalisation (reference §4.2, §4.3). */

export const MAX_CONVERSIONS_PER_UPLOAD = 2_000;

export interface GoogleClickConversion {
  /** Id of a conversion action of type UPLOAD_CLICKS. */
  conversionActionId: string;
  /** ISO time of the conversion; sent as "yyyy-mm-dd hh:mm:ss+00:00". */
  conversionTime: string;
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  /** Raw email / E.164 phone: normalised and SHA-256 hashed here, never sent in clear. */
  email?: string;
  phone?: string;
  /**
   * Already normalised and SHA-256 hashed identifiers (64 hex characters), passed through as they
   * are — for callers that hash by the §4.3 rules themselves. Used instead of `email` / `phone`.
   */
  hashedEmail?: string;
  hashedPhoneNumber?: string;
  value?: number;
  currency?: string;
  /** A stable CRM id makes retries harmless (Google rejects a reused order id). */
  orderId?: string;
  consent?: { adUserData?: 'GRANTED' | 'DENIED'; adPersonalization?: 'GRANTED' | 'DENIED' };
}

export interface ConversionUploadResult {
  /** Index of the conversion in the input list. */
  index: number;
  ok: boolean;
  error?: NetworkErrorInfo;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Trim, lowercase, and for gmail.com / googlemail.com drop the dots before the @. */
export function normaliseEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  const local = lower.slice(0, at);
  const domain = lower.slice(at + 1);
  return domain === 'gmail.com' || domain === 'googlemail.com' ? `${local.replace(/\./g, '')}@${domain}` : lower;
}

/** E.164: keep the leading + and the digits. The caller must supply the country code. */
export function normalisePhone(phone: string): string {
  const trimmed = phone.trim();
  return `${trimmed.startsWith('+') ? '+' : ''}${trimmed.replace(/\D/g, '')}`;
}

export const hashEmail = (email: string) => sha256(normaliseEmail(email));
export const hashPhone = (phone: string) => sha256(normalisePhone(phone));

const SHA256_HEX = /^[a-f0-9]{64}$/;

/** A pre-hashed identifier, lowercased; anything that is not a SHA-256 hex digest is refused, never sent. */
function preHashed(value: string, field: string): string {
  const hash = value.trim().toLowerCase();
  if (!SHA256_HEX.test(hash)) throw new NetworkError('google', { kind: 'invalid', code: 'INVALID_USER_IDENTIFIER', message: `${field} must be a SHA-256 hex digest` });
  return hash;
}

export function toClickConversionJson(customerId: string, c: GoogleClickConversion): Record<string, unknown> {
  const email = c.hashedEmail !== undefined ? preHashed(c.hashedEmail, 'hashedEmail') : c.email ? hashEmail(c.email) : undefined;
  const phone = c.hashedPhoneNumber !== undefined ? preHashed(c.hashedPhoneNumber, 'hashedPhoneNumber') : c.phone ? hashPhone(c.phone) : undefined;
  const userIdentifiers = [...(email ? [{ hashedEmail: email }] : []), ...(phone ? [{ hashedPhoneNumber: phone }] : [])];
  return {
    conversionAction: `customers/${customerId}/conversionActions/${digits(c.conversionActionId, 'conversion action id')}`,
    conversionDateTime: toConversionDateTime(c.conversionTime),
    ...(c.gclid ? { gclid: c.gclid } : {}),
    ...(c.gbraid ? { gbraid: c.gbraid } : {}),
    ...(c.wbraid ? { wbraid: c.wbraid } : {}),
    ...(userIdentifiers.length > 0 ? { userIdentifiers } : {}),
    ...(c.value !== undefined ? { conversionValue: c.value } : {}),
    ...(c.currency ? { currencyCode: c.currency } : {}),
    ...(c.orderId ? { orderId: c.orderId } : {}),
    ...(c.consent ? { consent: c.consent } : {}),
  };
}
