/** What every payload builder gets: one activity that `decideConversion` said to send. */
import { hashNormalised } from '../hash';
import { sharedValue, type MatchKeyOptions } from '../match-keys';
import type { HashedField } from '../normalise';
import type { ContactSnapshot, ConversionEventDefinition, CrmActivity } from '../types';

export interface PayloadInput {
  definition: ConversionEventDefinition;
  activity: CrmActivity;
  contact: ContactSnapshot;
  /** From the `send` decision. */
  eventId: string;
  options?: PayloadOptions;
}

export interface PayloadOptions extends MatchKeyOptions {
  /** Facebook CRM events: `custom_data.lead_event_source`, the name of the CRM (facebook §8.6). */
  crmName?: string;
}

/** A shared contact field, normalised by the network's rules and SHA-256 hashed; `undefined` when not shared. */
export function hashedShared(input: PayloadInput, field: HashedField): string | undefined {
  const normalised = sharedValue(input.definition.network, input.definition, input.contact, field, input.options);
  return normalised === undefined ? undefined : hashNormalised(normalised);
}

export function occurredAtMs(activity: CrmActivity): number {
  const ms = Date.parse(activity.at);
  if (Number.isNaN(ms)) throw new Error(`conversion payload: activity time "${activity.at}" is not an ISO date`);
  return ms;
}

/** Adds `key: value` only when the value is defined, keeping payloads free of `undefined` keys. */
export function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
