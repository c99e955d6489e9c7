/**
 * From the payload items the pure builders make (`src/domain/conversions/payloads`, already hashed)
 * to what each network client takes. Nothing is hashed here and nothing raw is added.
 */
import type { FacebookServerEvent as DomainFacebookEvent, GoogleClickConversion as DomainGoogleConversion, LinkedInConversionEvent as DomainLinkedInEvent } from '../domain/conversions';
import type { FacebookServerEvent } from '../networks/facebook/conversions';
import type { GoogleClickConversion } from '../networks/google';
import type { LinkedInConversionEvent } from '../networks/linkedin';

export function toFacebookClientEvent(item: DomainFacebookEvent): FacebookServerEvent {
  return item;
}

/** `customers/{cid}/conversionActions/{id}` → `{id}`; the client builds the resource name itself. */
function actionId(resource: string): string {
  return /conversionActions\/(\d+)$/.exec(resource)?.[1] ?? resource;
}

/**
 * The client takes an ISO time and writes Google's "yyyy-mm-dd hh:mm:ss+00:00" itself; the event's
 * instant (`occurredAt`) is the one the builder formatted. Identifiers pass through pre-hashed.
 */
export function toGoogleClientConversion(item: DomainGoogleConversion, occurredAt: Date): GoogleClickConversion {
  const hashedEmail = item.userIdentifiers?.find((u): u is Extract<typeof u, { hashedEmail: string }> => 'hashedEmail' in u)?.hashedEmail;
  const hashedPhoneNumber = item.userIdentifiers?.find((u): u is Extract<typeof u, { hashedPhoneNumber: string }> => 'hashedPhoneNumber' in u)?.hashedPhoneNumber;
  return {
    conversionActionId: actionId(item.conversionAction),
    conversionTime: occurredAt.toISOString(),
    orderId: item.orderId,
    ...(item.gclid ? { gclid: item.gclid } : {}),
    ...(hashedEmail ? { hashedEmail } : {}),
    ...(hashedPhoneNumber ? { hashedPhoneNumber } : {}),
    ...(item.conversionValue !== undefined ? { value: item.conversionValue } : {}),
    ...(item.currencyCode ? { currency: item.currencyCode } : {}),
    ...(item.consent ? { consent: item.consent } : {}),
  };
}

export function toLinkedInClientEvent(item: DomainLinkedInEvent): LinkedInConversionEvent {
  const sha256Email = item.user.userIds.find((u) => u.idType === 'SHA256_EMAIL')?.idValue;
  const liFatId = item.user.userIds.find((u) => u.idType === 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID')?.idValue;
  return {
    conversionRuleId: item.conversion,
    happenedAt: new Date(item.conversionHappenedAt).toISOString(),
    eventId: item.eventId,
    ...(item.conversionValue ? { value: { amount: item.conversionValue.amount, currencyCode: item.conversionValue.currencyCode } } : {}),
    ...(sha256Email ? { sha256Email } : {}),
    ...(liFatId ? { liFatId } : {}),
    ...(item.user.userInfo ? { userInfo: item.user.userInfo } : {}),
  };
}
