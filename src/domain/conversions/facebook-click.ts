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
/** Browser clocks drift; a cookie "from the future" by more than this is not believed. */
const CLOCK_SKEW_MS = 5 * 60_000;
const FBC = /^fb\.[0-2]\.(\d{1,16})\.[A-Za-z0-9_-]{1,500}$/;
/** `_fbp`: `fb.{subdomain_index}.{creation_ms}.{random number}`. */
const FBP = /^fb\.[0-2]\.\d{1,16}\.\d{1,20}$/;

export interface FacebookBrowserIdsInput {
  /** The fbc kept from the visitor's latest landing URL with an fbclid (facebookClickCookie). */
  storedFbc?: string | null | undefined;
  /** The Meta pixel's own cookies, as the tracking script read them on the site. */
  cookieFbc?: string | null | undefined;
  cookieFbp?: string | null | undefined;
  /** When the submission happened. */
  atMs: number;
}

/**
 * The `fbc` / `fbp` a form submission's Facebook event carries (reference facebook §8.3, never
 * hashed). Values that are not in Meta's format are dropped rather than sent: they come from a
 * browser. Of two current click ids the newer one wins: both name the visitor's latest ad click.
 */
export function facebookBrowserIds(input: FacebookBrowserIdsInput): { fbc?: string; fbp?: string } {
  const current = (value: string | null | undefined) => {
    const created = Number(FBC.exec(value?.trim() ?? '')?.[1]);
    if (!Number.isSafeInteger(created) || input.atMs - created > FBC_LIFETIME_MS || created - input.atMs > CLOCK_SKEW_MS) return undefined;
    return { value: value!.trim(), created };
  };
  const clickIds = [current(input.storedFbc), current(input.cookieFbc)].filter((c) => c !== undefined);
  const fbc = clickIds.sort((a, b) => b.created - a.created)[0]?.value;
  const fbp = input.cookieFbp?.trim();
  return { ...(fbc !== undefined ? { fbc } : {}), ...(fbp !== undefined && FBP.test(fbp) ? { fbp } : {}) };
}
