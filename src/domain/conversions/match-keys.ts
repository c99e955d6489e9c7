/**
 * Which identifiers an event would carry to its network — computed from normalised values only
 * (no hashing), so the send/skip decision can run in workflow code. The payload builders use the
 * same rules, so "has match keys" here means the payload really carries them.
 */
import type { Network } from '../../networks/types';
import { normaliseField, type HashedField } from './normalise';
import type { ContactSnapshot, ConversionEventDefinition, CrmActivity } from './types';

export interface MatchKeyOptions {
  /** Calling code for national phone numbers ("1", "44"); see `normalisePhoneDigits`. */
  defaultCallingCode?: string;
}

export type MatchKey =
  | 'email'
  | 'phone'
  | 'externalId'
  | 'facebookLeadId'
  | 'fbc'
  | 'fbp'
  | 'ipAddress'
  | 'gclid'
  | 'liFatId';

/** Facebook `lead_id`: the webhook's `leadgen_id`, 15–17 digits (reference facebook §8.6). */
export function isFacebookLeadId(value: string | undefined): value is string {
  return value !== undefined && /^\d{15,17}$/.test(value.trim());
}

/** The contact's value for a shared field, normalised for the network; `undefined` when not shared or unusable. */
export function sharedValue(
  network: Network,
  definition: ConversionEventDefinition,
  contact: ContactSnapshot,
  field: HashedField,
  options: MatchKeyOptions = {},
): string | undefined {
  if (!definition.sharedFields[field]) return undefined;
  const raw = contact[field];
  if (raw === undefined || raw.trim() === '') return undefined;
  return normaliseField(network, field, raw, {
    ...(contact.country !== undefined ? { country: contact.country } : {}),
    ...(options.defaultCallingCode !== undefined ? { defaultCallingCode: options.defaultCallingCode } : {}),
  });
}

function present(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

export function matchKeys(
  definition: ConversionEventDefinition,
  activity: CrmActivity,
  contact: ContactSnapshot,
  options: MatchKeyOptions = {},
): MatchKey[] {
  const network = definition.network;
  const keys: MatchKey[] = [];
  if (sharedValue(network, definition, contact, 'email', options) !== undefined) keys.push('email');
  // LinkedIn's documented identifiers are the hashed email and the click id; it takes no phone.
  if (network !== 'linkedin' && sharedValue(network, definition, contact, 'phone', options) !== undefined) keys.push('phone');
  if (network === 'facebook') {
    if (sharedValue(network, definition, contact, 'externalId', options) !== undefined) keys.push('externalId');
    if (activity.kind === 'lifecycle_stage' && isFacebookLeadId(contact.facebookLeadId)) keys.push('facebookLeadId');
    if (activity.kind === 'form_submission') {
      if (present(activity.fbc)) keys.push('fbc');
      if (present(activity.fbp)) keys.push('fbp');
      if (definition.sharedFields.ipAddress && present(activity.ip)) keys.push('ipAddress');
    }
  }
  if (network === 'google' && present(contact.gclid)) keys.push('gclid');
  if (network === 'linkedin' && present(contact.liFatId)) keys.push('liFatId');
  return keys;
}
