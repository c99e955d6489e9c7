/**
 * Email normalisation for de-duplication (VIS-2…VIS-4, LEAD-2): trim and lower-case, nothing more.
 * Provider-specific folding (Gmail dots, "+tag" suffixes) is deliberately NOT done: those can be
 * different people or deliberate aliases, and merging them would be a surprise no admin can undo.
 * Lower-casing the local part is technically lossy (RFC 5321) but no real mailbox relies on it.
 */

/** RFC 5321 path limit. */
export const EMAIL_MAX_LENGTH = 254;

/** One "@", no whitespace, a dot in the domain, nothing empty around them. */
const PLAUSIBLE_EMAIL = /^[^\s@]+@[^\s@.][^\s@]*\.[^\s@.]+$/;

/** The normalised address, or null when `raw` is not a plausible email. */
export function normaliseEmail(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const email = raw.trim().toLowerCase();
  if (email.length > EMAIL_MAX_LENGTH || !PLAUSIBLE_EMAIL.test(email)) return null;
  return email;
}

/** True when both are plausible emails that normalise to the same address. */
export function sameEmail(a: string | undefined, b: string | undefined): boolean {
  const left = normaliseEmail(a);
  return left !== null && left === normaliseEmail(b);
}
