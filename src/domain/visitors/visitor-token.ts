/**
 * VIS-1: the first-party cookie that identifies a browser. Its value (the visitor token) is 16
 * random bytes written as 32 lowercase hex characters. The caller supplies the random bytes (crypto
 * on the server, `crypto.getRandomValues` in the tracking script), so this module stays pure.
 */

export const VISITOR_COOKIE_NAME = 'adtrack_vid';
/** How long the browser keeps the cookie (refreshed on every visit): about 13 months. */
export const VISITOR_COOKIE_MAX_AGE_SECONDS = 395 * 24 * 60 * 60;
export const VISITOR_TOKEN_BYTES = 16;
/** Set by `adtrack.consent(false)`: the visitor refused tracking; nothing is stored or sent while it exists. */
export const VISITOR_OPT_OUT_COOKIE_NAME = 'adtrack_optout';

const TOKEN_PATTERN = /^[0-9a-f]{32}$/;

/** A string known to be a well-formed visitor token. */
export type VisitorToken = string & { readonly __visitorToken: unique symbol };

/** True for exactly 32 lowercase hex characters. */
export function isVisitorToken(value: unknown): value is VisitorToken {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/**
 * Accepts a token as it arrives from a cookie or a request body: surrounding whitespace and upper
 * case are forgiven (some proxies and hand-written clients change case), anything else is rejected.
 */
export function parseVisitorToken(value: unknown): VisitorToken | null {
  if (typeof value !== 'string') return null;
  const candidate = value.trim().toLowerCase();
  return isVisitorToken(candidate) ? candidate : null;
}

/** The token for `bytes` (exactly VISITOR_TOKEN_BYTES random bytes from the caller). */
export function visitorTokenFromBytes(bytes: Uint8Array): VisitorToken {
  if (bytes.length !== VISITOR_TOKEN_BYTES) {
    throw new RangeError(`a visitor token needs exactly ${VISITOR_TOKEN_BYTES} random bytes, got ${bytes.length}`);
  }
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex as VisitorToken;
}

/** VIS-6: shown wherever unique visitors are counted. */
export const UNIQUE_VISITORS_NOTE =
  'Unique visitors are an estimate: a person who clears cookies, uses another browser or device, or blocks cookies ' +
  'counts as several visitors.';
