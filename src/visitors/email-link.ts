/**
 * VIS-7 tracked-email links: a marketing email's links carry `atk_rcpt=<contactId>.<signature>`
 * naming the recipient. The signature (HMAC-SHA256 with the first encryption key, truncated) stops
 * anyone from forging a link that claims to be another contact.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const EMAIL_RECIPIENT_PARAM = 'atk_rcpt';
const SIGNATURE_HEX = 24;

function sign(key: Buffer, contactId: string): string {
  return createHmac('sha256', key).update(`atk_rcpt:${contactId}`).digest('hex').slice(0, SIGNATURE_HEX);
}

/** The value of `atk_rcpt` for links in an email sent to `contactId`. */
export function recipientParam(key: Buffer, contactId: string): string {
  return `${contactId}.${sign(key, contactId)}`;
}

/** The recipient a link names, or null when the parameter is absent, malformed or forged. */
export function recipientFromUrl(keys: readonly Buffer[], rawUrl: string): string | null {
  let value: string | null;
  try {
    value = new URL(rawUrl).searchParams.get(EMAIL_RECIPIENT_PARAM);
  } catch {
    return null;
  }
  if (value === null) return null;
  const match = /^([0-9a-f-]{36})\.([0-9a-f]{24})$/.exec(value.trim().toLowerCase());
  if (!match) return null;
  const [, contactId, signature] = match as unknown as [string, string, string];
  // Any key may have signed it (key rotation); compare in constant time.
  const ok = keys.some((key) => timingSafeEqual(Buffer.from(sign(key, contactId)), Buffer.from(signature)));
  return ok ? contactId : null;
}
