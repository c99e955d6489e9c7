import { createHash } from 'node:crypto';

/** §8.1: at most 1000 events per request; one bad event rejects them all. */
export const CONVERSIONS_MAX_EVENTS = 1000;

export type ActionSource = 'email' | 'website' | 'app' | 'phone_call' | 'chat' | 'physical_store' | 'system_generated' | 'business_messaging' | 'other';

/** `user_data` as sent: hashed keys are SHA-256 lowercase hex (§8.3). */
export interface FacebookUserData {
  em?: string[];
  ph?: string[];
  fn?: string[];
  ln?: string[];
  ge?: string[];
  db?: string[];
  ct?: string[];
  st?: string[];
  zp?: string[];
  country?: string[];
  external_id?: string[];
  client_ip_address?: string;
  client_user_agent?: string;
  fbc?: string;
  fbp?: string;
  /** The lead-ads `leadgen_id`, unhashed (CRM integration, §8.6). */
  lead_id?: number | string;
}

export interface FacebookServerEvent {
  event_name: string;
  /** Unix seconds; at most 7 days old (§8.2). */
  event_time: number;
  event_id?: string;
  action_source: ActionSource;
  event_source_url?: string;
  user_data: FacebookUserData;
  custom_data?: Record<string, unknown>;
  opt_out?: boolean;
  data_processing_options?: string[];
}

export interface SendEventsResult {
  eventsReceived: number;
  messages: unknown[];
  fbtraceId?: string;
}

/** Personal data before normalisation and hashing. */
export interface RawUserData {
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  gender?: string;
  /** YYYY-MM-DD or YYYYMMDD */
  dateOfBirth?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  externalId?: string;
}

const SHA256_HEX = /^[a-f0-9]{64}$/;

/** Already-hashed values pass through, as the SDKs do (§8.3). */
export function sha256Normalised(value: string): string {
  return SHA256_HEX.test(value) ? value : createHash('sha256').update(value, 'utf8').digest('hex');
}

const lower = (v: string) => v.trim().toLowerCase();
const NORMALISERS: Record<keyof RawUserData, [keyof FacebookUserData, (value: string) => string]> = {
  email: ['em', lower],
  // Digits only, no leading zeros; the caller must include the country code.
  phone: ['ph', (v) => v.replace(/\D/g, '').replace(/^0+/, '')],
  firstName: ['fn', (v) => lower(v).replace(/[\p{P}\p{S}\s]/gu, '')],
  lastName: ['ln', (v) => lower(v).replace(/[\p{P}\p{S}\s]/gu, '')],
  gender: ['ge', (v) => lower(v).charAt(0)],
  dateOfBirth: ['db', (v) => v.replace(/\D/g, '')],
  city: ['ct', (v) => lower(v).replace(/[^\p{L}\p{N}]/gu, '')],
  state: ['st', (v) => lower(v).replace(/[^\p{L}\p{N}]/gu, '')],
  zip: ['zp', (v) => lower(v).split('-')[0]?.replace(/\s/g, '') ?? ''],
  country: ['country', lower],
  externalId: ['external_id', (v) => v.trim()],
};

/** Normalises and hashes personal data the way §8.3 requires (CONV-9). Empty values are dropped. */
export function hashUserData(raw: RawUserData): FacebookUserData {
  const out: FacebookUserData = {};
  for (const [key, value] of Object.entries(raw) as [keyof RawUserData, string | undefined][]) {
    if (value === undefined) continue;
    const [field, normalise] = NORMALISERS[key];
    const trimmed = value.trim();
    const normalised = SHA256_HEX.test(trimmed) ? trimmed : normalise(value);
    if (!normalised) continue;
    (out as Record<string, string[]>)[field] = [sha256Normalised(normalised)];
  }
  return out;
}
