export { LinkedInClient, type LinkedInClientOptions } from './client';
export { LINKEDIN_CREATIVE_ID_TOKEN, LINKEDIN_DYNAMIC_TOKENS, type LinkedInDynamicToken } from './campaign-url-parameters';
export {
  CONVERSION_EVENTS_BATCH_MAX,
  hashEmailForLinkedIn,
  type ConversionEventResult,
  type ConversionRule,
  type LinkedInConversionEvent,
} from './conversions';
