export { FacebookClient, type FacebookClientOptions, type FacebookTokenDebug } from './client';
export {
  CONVERSIONS_MAX_EVENTS,
  hashUserData,
  sha256Normalised,
  type ActionSource,
  type FacebookServerEvent,
  type FacebookUserData,
  type RawUserData,
  type SendEventsResult,
} from './conversions';
export { creativeFormat, landingUrlOf, normaliseStatus } from './ad-mapping';
export { graphErrorInfo, retryAfterMsFromHeaders } from './errors';
