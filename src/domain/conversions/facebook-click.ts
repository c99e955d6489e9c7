/**
 * The Facebook click id as the Conversions API takes it (`user_data.fbc`, reference facebook §8.3):
 * `fb.{subdomain_index}.{creation_ms}.{fbclid}`, built from the `fbclid` a landing URL carried. The
 * subdomain index is 1 (the registrable domain), as Meta's pixel writes it for a site's own cookie;
 * the creation time is when the click id was first seen, the session's start.
 */
const FBCLID = /^[A-Za-z0-9_-]{1,500}$/;

export function facebookClickCookie(fbclid: string | null | undefined, firstSeenAtMs: number): string | undefined {
  const id = fbclid?.trim();
  // A click id comes from a URL anyone can type: only an opaque token is passed on.
  if (id === undefined || !FBCLID.test(id)) return undefined;
  if (!Number.isSafeInteger(firstSeenAtMs) || firstSeenAtMs <= 0) return undefined;
  return `fb.1.${firstSeenAtMs}.${id}`;
}

/** Meta's pixel keeps `_fbc` for 90 days; a click id older than that is not sent. */
const FBC_LIFETIME_MS = 90 * 86_400_000;

/** The stored `fbc` while it is still one Meta's own cookie would carry at `atMs`. */
export function currentFacebookClickCookie(fbc: string | null | undefined, atMs: number): string | undefined {
  const createdMs = Number(/^fb\.1\.(\d+)\.[A-Za-z0-9_-]{1,500}$/.exec(fbc ?? '')?.[1]);
  if (!Number.isSafeInteger(createdMs)) return undefined;
  return atMs - createdMs <= FBC_LIFETIME_MS ? (fbc as string) : undefined;
}
