/** Data-sharing options of a conversion event (CONV-5). */
import type { SharedField, SharedFields } from './types';

/** Sent with every website event and not removable (seed 002: "obligatoriske og velges som standard"). */
export const MANDATORY_SHARED_FIELDS = ['userAgent', 'actionSource', 'eventSourceUrl'] as const;

/**
 * Defaults: the mandatory fields, the IP address (on, removable), and email — the field the help
 * article recommends for identity matching — plus phone, the other key every network matches on.
 * Names, address, gender, birth date and external id are shared only when the admin selects them.
 */
export const DEFAULT_SHARED_FIELDS: Readonly<SharedFields> = {
  email: true,
  phone: true,
  firstName: false,
  lastName: false,
  city: false,
  state: false,
  zip: false,
  country: false,
  gender: false,
  dateOfBirth: false,
  externalId: false,
  ipAddress: true,
  userAgent: true,
  actionSource: true,
  eventSourceUrl: true,
};

export const SHARED_FIELD_NAMES = Object.keys(DEFAULT_SHARED_FIELDS) as SharedField[];

export function isSharedField(name: string): name is SharedField {
  return (SHARED_FIELD_NAMES as string[]).includes(name);
}

export function isMandatorySharedField(name: SharedField): boolean {
  return (MANDATORY_SHARED_FIELDS as readonly string[]).includes(name);
}

/** The admin's selection on top of the defaults; mandatory fields stay on whatever was asked. */
export function resolveSharedFields(selection: Partial<Record<SharedField, boolean>> = {}): SharedFields {
  const d = DEFAULT_SHARED_FIELDS;
  return {
    email: selection.email ?? d.email,
    phone: selection.phone ?? d.phone,
    firstName: selection.firstName ?? d.firstName,
    lastName: selection.lastName ?? d.lastName,
    city: selection.city ?? d.city,
    state: selection.state ?? d.state,
    zip: selection.zip ?? d.zip,
    country: selection.country ?? d.country,
    gender: selection.gender ?? d.gender,
    dateOfBirth: selection.dateOfBirth ?? d.dateOfBirth,
    externalId: selection.externalId ?? d.externalId,
    ipAddress: selection.ipAddress ?? d.ipAddress,
    userAgent: true,
    actionSource: true,
    eventSourceUrl: true,
  };
}
