/**
 * One Facebook Conversions API server event (reference facebook §8.1–§8.6).
 * - Form submissions are website events: `action_source: website`, `event_source_url`, the
 *   browser's `client_user_agent` and (unless removed) `client_ip_address`, both unhashed.
 * - Lifecycle-stage changes are CRM "Conversion Leads" events (§8.6, CONV-9): `action_source:
 *   system_generated`, `user_data.lead_id`, `custom_data.event_source: crm` and
 *   `lead_event_source`, the stage's name as `event_name`.
 * Personal data is normalised and SHA-256 hashed; only the never-hash keys travel in clear.
 */
import { LIFECYCLE_STAGE_LABELS, isLifecycleStage } from '../stages';
import type { ConversionEventDefinition, CrmActivity } from '../types';
import { defined, hashedShared, occurredAtMs, type PayloadInput } from './input';
import { sourceUrlWithoutPersonalData } from '../source-url';

export interface FacebookUserData {
  em?: string[];
  ph?: string[];
  fn?: string[];
  ln?: string[];
  ct?: string[];
  st?: string[];
  zp?: string[];
  country?: string[];
  ge?: string[];
  db?: string[];
  external_id?: string[];
  client_ip_address?: string;
  client_user_agent?: string;
  fbc?: string;
  fbp?: string;
  lead_id?: string;
}

// A type alias, not an interface, so it stays assignable to the client's `Record<string, unknown>`.
export type FacebookCustomData = {
  value?: number;
  currency?: string;
  lead_event_source?: string;
  event_source?: 'crm';
  predictive_lead_score?: number;
};

export interface FacebookServerEvent {
  event_name: string;
  /** Unix seconds. */
  event_time: number;
  event_id: string;
  action_source: 'website' | 'system_generated';
  event_source_url?: string;
  user_data: FacebookUserData;
  custom_data?: FacebookCustomData;
}

export const DEFAULT_CRM_NAME = 'adtrack';
/** The standard event a form submission is sent as unless the admin picked another. */
export const DEFAULT_FORM_EVENT_NAME = 'Lead';

/** The admin's event name, else `Lead` for forms and the stage's label for lifecycle events. */
export function facebookEventName(definition: ConversionEventDefinition, activity: CrmActivity): string {
  if (definition.eventName) return definition.eventName;
  if (activity.kind === 'form_submission') return DEFAULT_FORM_EVENT_NAME;
  const stage = activity.stage.trim().toLowerCase();
  return isLifecycleStage(stage) ? LIFECYCLE_STAGE_LABELS[stage] : activity.stage;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : [value];
}

function hashedUserData(input: PayloadInput): FacebookUserData {
  return {
    ...defined('em', list(hashedShared(input, 'email'))),
    ...defined('ph', list(hashedShared(input, 'phone'))),
    ...defined('fn', list(hashedShared(input, 'firstName'))),
    ...defined('ln', list(hashedShared(input, 'lastName'))),
    ...defined('ct', list(hashedShared(input, 'city'))),
    ...defined('st', list(hashedShared(input, 'state'))),
    ...defined('zp', list(hashedShared(input, 'zip'))),
    ...defined('country', list(hashedShared(input, 'country'))),
    ...defined('ge', list(hashedShared(input, 'gender'))),
    ...defined('db', list(hashedShared(input, 'dateOfBirth'))),
    ...defined('external_id', list(hashedShared(input, 'externalId'))),
  };
}

function mapDefined<T, R>(value: T | undefined, f: (value: T) => R): R | undefined {
  return value === undefined ? undefined : f(value);
}

function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function buildFacebookEvent(input: PayloadInput): FacebookServerEvent {
  const { definition, activity, contact } = input;
  const value = definition.value !== undefined && definition.currency ? { value: definition.value, currency: definition.currency } : {};
  const base = {
    event_name: facebookEventName(definition, activity),
    event_time: Math.floor(occurredAtMs(activity) / 1000),
    event_id: input.eventId,
  };

  if (activity.kind === 'lifecycle_stage') {
    return {
      ...base,
      action_source: 'system_generated',
      user_data: {
        // unconfirmed: lead_id as a JSON string. §8.6 shows a number, but 16–17-digit ids exceed JavaScript's safe integers.
        ...defined('lead_id', nonBlank(contact.facebookLeadId)),
        ...hashedUserData(input),
      },
      custom_data: { ...value, lead_event_source: input.options?.crmName ?? DEFAULT_CRM_NAME, event_source: 'crm' },
    };
  }

  const score = definition.predictiveLeadScore ? contact.predictiveLeadScore : undefined;
  const customData: FacebookCustomData = {
    ...value,
    // unconfirmed: Meta names no key for a lead score; sent as a custom property (§8.4 allows extra keys).
    ...defined('predictive_lead_score', score),
  };
  return {
    ...base,
    action_source: 'website',
    ...defined('event_source_url', mapDefined(nonBlank(activity.pageUrl), sourceUrlWithoutPersonalData)),
    user_data: {
      ...hashedUserData(input),
      ...defined('client_user_agent', nonBlank(activity.userAgent)),
      ...defined('client_ip_address', definition.sharedFields.ipAddress ? nonBlank(activity.ip) : undefined),
      ...defined('fbc', nonBlank(activity.fbc)),
      ...defined('fbp', nonBlank(activity.fbp)),
    },
    ...(Object.keys(customData).length > 0 ? { custom_data: customData } : {}),
  };
}
