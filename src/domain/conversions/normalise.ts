/**
 * Normalisation of personal data before it is hashed (CONV-9), exactly as each network documents it:
 * Facebook reference §8.3 (every `user_data` key), Google reference §4.3 (email, phone), LinkedIn
 * reference §4.2 (email). A value that cannot be normalised into something the network can match
 * (an address without "@", an unknown country) comes back `undefined` and is not sent: a hash of
 * garbage never matches and, for Facebook, an invalid value can reject the whole batch.
 *
 * No hashing and no Node built-ins here, so workflow code can decide whether a contact has match
 * keys without touching `node:crypto`.
 */
import type { Network } from '../../networks/types';
import { isCountryCode, US_STATE_CODES } from './codes';

/** Fields the networks want SHA-256 hashed. */
export const HASHED_FIELDS = [
  'email',
  'phone',
  'firstName',
  'lastName',
  'city',
  'state',
  'zip',
  'country',
  'gender',
  'dateOfBirth',
  'externalId',
] as const;
export type HashedField = (typeof HASHED_FIELDS)[number];

const SHA256_HEX = /^[a-f0-9]{64}$/;

/** True for a value that is already a SHA-256 hex digest (any case, surrounding blanks allowed). */
export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value.trim().toLowerCase());
}

function blankToUndefined(value: string): string | undefined {
  return value === '' ? undefined : value;
}

// ---- email -------------------------------------------------------------------------------------

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * Facebook and LinkedIn: trim, lowercase. Google adds one documented rule: for gmail.com and
 * googlemail.com every "." before the "@" is dropped. (Google's reference documents no "+suffix"
 * rule, so none is applied.)
 */
export function normaliseEmail(raw: string, network: Network): string | undefined {
  const email = raw.trim().toLowerCase();
  if (!EMAIL_SHAPE.test(email)) return undefined;
  if (network !== 'google') return email;
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return GMAIL_DOMAINS.has(domain) ? `${local.replace(/\./g, '')}@${domain}` : email;
}

// ---- phone -------------------------------------------------------------------------------------

/** Longest national significant number we treat as "missing its country code" (NANP and most of Europe: 10). */
const MAX_NATIONAL_DIGITS = 10;
const MIN_PHONE_DIGITS = 7;
const MAX_PHONE_DIGITS = 15; // E.164

/**
 * Digits of the full international number: symbols, letters and spaces dropped, an international
 * prefix ("+" or "00") and leading zeros removed (Facebook §8.3: `(650)555-1212` US → `16505551212`).
 *
 * A number written without an international prefix is national when it starts with a trunk "0" or
 * is at most 10 digits long; `defaultCallingCode` (e.g. "1", "44") is then put in front. Without a
 * default the digits are taken to carry their country code already, as the Facebook SDK does.
 */
export function normalisePhoneDigits(raw: string, defaultCallingCode?: string): string | undefined {
  // "+44 (0)20 …": the bracketed trunk zero is dialled only nationally.
  const trimmed = raw.trim().replace(/\(0\)/g, '');
  let digits = trimmed.replace(/\D/g, '');
  const callingCode = defaultCallingCode?.replace(/\D/g, '') ?? '';
  if (trimmed.startsWith('+') || digits.startsWith('00')) {
    digits = digits.replace(/^0+/, '');
  } else {
    const national = digits.startsWith('0') || digits.length <= MAX_NATIONAL_DIGITS;
    digits = digits.replace(/^0+/, '');
    if (national && callingCode !== '') digits = callingCode + digits;
  }
  if (digits.length < MIN_PHONE_DIGITS || digits.length > MAX_PHONE_DIGITS) return undefined;
  return digits;
}

/** Facebook: digits with country code (`16505551212`); Google: E.164 (`+14155552671`, reference §4.3). */
export function normalisePhone(raw: string, network: Network, defaultCallingCode?: string): string | undefined {
  const digits = normalisePhoneDigits(raw, defaultCallingCode);
  if (digits === undefined) return undefined;
  return network === 'google' ? `+${digits}` : digits;
}

// ---- names and address -------------------------------------------------------------------------

/** Facebook `fn` / `ln`: lowercase, no punctuation, UTF-8 kept (`Valéry` → `valéry`). */
export function normaliseName(raw: string): string | undefined {
  const name = raw
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  return blankToUndefined(name);
}

/** Facebook `ct`: lowercase, no punctuation, no special characters, no spaces (`New York` → `newyork`). */
export function normaliseCity(raw: string): string | undefined {
  return blankToUndefined(raw.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{M}]/gu, ''));
}

function isUnitedStates(country: string | undefined): boolean {
  return country !== undefined && country.trim().toLowerCase() === 'us';
}

/**
 * Facebook `st`: in the US the 2-letter ANSI code lowercase (`California` → `ca`); elsewhere
 * lowercase without punctuation or spaces. A US value that is neither a code nor a state name is dropped.
 */
export function normaliseState(raw: string, country?: string): string | undefined {
  const state = raw.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{M}\p{N}]/gu, '');
  if (state === '') return undefined;
  const fromName = US_STATE_CODES[state];
  if (fromName !== undefined && (country === undefined || isUnitedStates(country))) return fromName;
  if (isUnitedStates(country) && !/^[a-z]{2}$/.test(state)) return undefined;
  return state;
}

/**
 * Facebook `zp`: lowercase, no spaces, no dash; US: the first 5 digits (`94025-1234` → `94025`);
 * UK: area + district + sector + unit without spaces (`M1 1AE` → `m11ae`).
 */
export function normaliseZip(raw: string, country?: string): string | undefined {
  const compact = raw.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const looksUs = country === undefined && /^\d{5}(\s*-?\s*\d{4})?$/.test(raw.trim());
  if (isUnitedStates(country) || looksUs) {
    const five = /^(\d{5})/.exec(compact);
    return five?.[1];
  }
  return blankToUndefined(compact);
}

/** Facebook `country`: lowercase ISO 3166-1 alpha-2 (`US` → `us`); anything else is dropped. */
export function normaliseCountry(raw: string): string | undefined {
  const code = raw.trim().toLowerCase().replace(/[\s.]/g, '');
  return isCountryCode(code) ? code : undefined;
}

// ---- other identifiers -------------------------------------------------------------------------

/** Facebook `ge`: `f` or `m`. */
export function normaliseGender(raw: string): string | undefined {
  const gender = raw.trim().toLowerCase().replace(/[^a-z]/g, '');
  if (gender === 'f' || gender === 'female') return 'f';
  if (gender === 'm' || gender === 'male') return 'm';
  return undefined;
}

/** Facebook `db`: `YYYYMMDD`, from `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` or an ISO timestamp. */
export function normaliseDateOfBirth(raw: string): string | undefined {
  const match = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})(?:$|T)/.exec(raw.trim());
  if (!match) return undefined;
  const [, year = '', month = '', day = ''] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${year}${month.padStart(2, '0')}${day.padStart(2, '0')}`;
}

/**
 * Facebook `external_id`: any stable advertiser id, "in the same form on every channel". Trimmed
 * and lowercased because Meta's SDKs lowercase every value before hashing, so a pixel sending the
 * same id through an SDK produces the same hash.
 */
export function normaliseExternalId(raw: string): string | undefined {
  return blankToUndefined(raw.trim().toLowerCase());
}

// ---- dispatch ----------------------------------------------------------------------------------

export interface NormaliseOptions {
  /** The contact's country (ISO alpha-2), for the US rules of `st` and `zp`. */
  country?: string;
  /** Calling code put in front of national phone numbers ("1", "44"). */
  defaultCallingCode?: string;
}

/**
 * Normalises one field for a network. A value that is already a SHA-256 hex digest is returned as
 * is (lowercased) so it is never hashed twice — the SDKs' documented behaviour.
 */
export function normaliseField(network: Network, field: HashedField, raw: string, options: NormaliseOptions = {}): string | undefined {
  if (isSha256Hex(raw)) return raw.trim().toLowerCase();
  switch (field) {
    case 'email':
      return normaliseEmail(raw, network);
    case 'phone':
      return normalisePhone(raw, network, options.defaultCallingCode);
    case 'firstName':
    case 'lastName':
      return normaliseName(raw);
    case 'city':
      return normaliseCity(raw);
    case 'state':
      return normaliseState(raw, options.country);
    case 'zip':
      return normaliseZip(raw, options.country);
    case 'country':
      return normaliseCountry(raw);
    case 'gender':
      return normaliseGender(raw);
    case 'dateOfBirth':
      return normaliseDateOfBirth(raw);
    case 'externalId':
      return normaliseExternalId(raw);
  }
}
