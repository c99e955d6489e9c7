/**
 * One Google Ads click conversion for `customers/{cid}:uploadClickConversions` (reference google
 * §4.2, §4.3): the gclid when the contact has one and/or hashed email and phone (enhanced
 * conversions for leads), `orderId` = the stable event id so a retried upload is a harmless
 * duplicate, and the date-time in Google's "yyyy-mm-dd hh:mm:ss+|-hh:mm" form.
 */
import { googleConversionActionResource } from '../destinations';
import { defined, hashedShared, occurredAtMs, type PayloadInput } from './input';

export type GoogleUserIdentifier =
  | { hashedEmail: string; userIdentifierSource: 'FIRST_PARTY' }
  | { hashedPhoneNumber: string; userIdentifierSource: 'FIRST_PARTY' };

export interface GoogleClickConversion {
  conversionAction: string;
  conversionDateTime: string;
  orderId: string;
  gclid?: string;
  userIdentifiers?: GoogleUserIdentifier[];
  conversionValue?: number;
  currencyCode?: string;
  consent?: { adUserData: 'GRANTED' };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Google's "yyyy-mm-dd hh:mm:ss+|-hh:mm" (offset required). Always written in UTC: the offset makes
 * the instant unambiguous whatever the account's time zone.
 */
export function formatGoogleDateTime(epochMs: number): string {
  const d = new Date(epochMs);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${date} ${time}+00:00`;
}

export function buildGoogleConversion(input: PayloadInput): GoogleClickConversion {
  const { definition, contact } = input;
  const conversionAction = definition.conversionAction && googleConversionActionResource(definition.adAccountId, definition.conversionAction);
  if (!conversionAction) throw new Error(`conversion definition ${definition.id} has no Google conversion action`);
  const email = hashedShared(input, 'email');
  const phone = hashedShared(input, 'phone');
  const identifiers: GoogleUserIdentifier[] = [
    ...(email ? [{ hashedEmail: email, userIdentifierSource: 'FIRST_PARTY' as const }] : []),
    ...(phone ? [{ hashedPhoneNumber: phone, userIdentifierSource: 'FIRST_PARTY' as const }] : []),
  ];
  const gclid = contact.gclid?.trim();
  return {
    conversionAction,
    conversionDateTime: formatGoogleDateTime(occurredAtMs(input.activity)),
    orderId: input.eventId,
    ...defined('gclid', gclid ? gclid : undefined),
    ...(identifiers.length > 0 ? { userIdentifiers: identifiers } : {}),
    ...(definition.value !== undefined && definition.currency ? { conversionValue: definition.value, currencyCode: definition.currency } : {}),
    // Sent only when the definition checks a consent property: the contact's consent was verified before sending.
    ...(definition.consent ? { consent: { adUserData: 'GRANTED' as const } } : {}),
  };
}
