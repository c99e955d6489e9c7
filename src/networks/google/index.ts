export { GoogleAdsClient, MAX_MUTATE_OPERATIONS, type GoogleConversionAction } from './client';
export type { GoogleAdsClientOptions } from './http';
export {
  hashEmail,
  hashPhone,
  MAX_CONVERSIONS_PER_UPLOAD,
  normaliseEmail,
  normalisePhone,
  type ConversionUploadResult,
  type GoogleClickConversion,
} from './conversions';
