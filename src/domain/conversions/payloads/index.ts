/** Network payload items for conversion events; uses `node:crypto` (activities only). */
import { buildFacebookEvent, type FacebookServerEvent } from './facebook';
import { buildGoogleConversion, type GoogleClickConversion } from './google';
import { buildLinkedInEvent, type LinkedInConversionEvent } from './linkedin';
import type { PayloadInput } from './input';

export * from './facebook';
export * from './google';
export * from './linkedin';
export type { PayloadInput, PayloadOptions } from './input';

export type ConversionPayload =
  | { network: 'facebook'; item: FacebookServerEvent }
  | { network: 'google'; item: GoogleClickConversion }
  | { network: 'linkedin'; item: LinkedInConversionEvent };

/** The payload item for the definition's network. */
export function buildConversionPayload(input: PayloadInput): ConversionPayload {
  switch (input.definition.network) {
    case 'facebook':
      return { network: 'facebook', item: buildFacebookEvent(input) };
    case 'google':
      return { network: 'google', item: buildGoogleConversion(input) };
    case 'linkedin':
      return { network: 'linkedin', item: buildLinkedInEvent(input) };
  }
}
