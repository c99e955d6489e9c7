/**
 * One LinkedIn conversion event for `POST /rest/conversionEvents` (reference linkedin §4.2):
 * the conversion rule URN, the time in epoch ms, the stable `eventId` (dedupes against the Insight
 * Tag and resends), and the user as `SHA256_EMAIL` and/or the `li_fat_id` click id.
 */
import { linkedInConversionUrn } from '../destinations';
import { normaliseCountry } from '../normalise';
import { hashedShared, occurredAtMs, type PayloadInput } from './input';

export type LinkedInIdType = 'SHA256_EMAIL' | 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID';

export interface LinkedInUserInfo {
  firstName: string;
  lastName: string;
  countryCode?: string;
}

export interface LinkedInConversionEvent {
  conversion: string;
  /** Epoch milliseconds. */
  conversionHappenedAt: number;
  conversionValue?: { currencyCode: string; amount: string };
  eventId: string;
  user: {
    userIds: { idType: LinkedInIdType; idValue: string }[];
    userInfo?: LinkedInUserInfo;
  };
}

/** LinkedIn money amounts are decimal strings ("1500.0"); at most 6 decimals, no float noise. */
export function formatLinkedInAmount(value: number): string {
  return String(Number(value.toFixed(6)));
}

/**
 * `userInfo` travels in clear, so it is sent only when the admin shares both names — LinkedIn needs
 * first and last name whenever `userInfo` is present (§4.2, unconfirmed exact rule).
 */
function userInfo(input: PayloadInput): LinkedInUserInfo | undefined {
  const { definition, contact } = input;
  const first = definition.sharedFields.firstName ? contact.firstName?.trim() : undefined;
  const last = definition.sharedFields.lastName ? contact.lastName?.trim() : undefined;
  if (!first || !last) return undefined;
  const country = definition.sharedFields.country && contact.country ? normaliseCountry(contact.country) : undefined;
  return { firstName: first, lastName: last, ...(country ? { countryCode: country.toUpperCase() } : {}) };
}

export function buildLinkedInEvent(input: PayloadInput): LinkedInConversionEvent {
  const { definition, contact } = input;
  const conversion = definition.conversionRule && linkedInConversionUrn(definition.conversionRule);
  if (!conversion) throw new Error(`conversion definition ${definition.id} has no LinkedIn conversion rule`);
  const email = hashedShared(input, 'email');
  const clickId = contact.liFatId?.trim();
  const info = userInfo(input);
  return {
    conversion,
    conversionHappenedAt: occurredAtMs(input.activity),
    ...(definition.value !== undefined && definition.currency
      ? { conversionValue: { currencyCode: definition.currency, amount: formatLinkedInAmount(definition.value) } }
      : {}),
    eventId: input.eventId,
    user: {
      userIds: [
        ...(email ? [{ idType: 'SHA256_EMAIL' as const, idValue: email }] : []),
        ...(clickId ? [{ idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID' as const, idValue: clickId }] : []),
      ],
      ...(info ? { userInfo: info } : {}),
    },
  };
}
