/** Why a contact was or was not credited to an ad (ATT-1…ATT-3, ACC-5), as codes the API returns. */

export const ATTRIBUTION_REASONS = [
  /** Credited: first conversion in the session a tracked ad click started (ATT-1). */
  'ATTRIBUTED',
  /** Credited: the contact came from a lead-ad lead (ATT-3). */
  'LEAD_AD',
  /** Not credited: an organic (non-ad) submission of a lead form (LEAD-3). */
  'ORGANIC_LEAD',
  /** Not credited: the contact has not converted (e.g. imported, no form submission yet). */
  'NO_CONVERSION',
  /** Not credited: the conversion carried no tracking cookie (ATT-2). */
  'NO_COOKIE',
  /** Not credited: the ad click came after the contact's first conversion. */
  'NOT_FIRST_CONVERSION',
  /** Not credited: the ad click started an earlier session than the one with the first conversion. */
  'DIFFERENT_SESSION',
  /** Not credited: the converting session's landing URL carried no ad tracking parameters. */
  'NO_AD_PARAMS',
  /** Not credited: auto-tracking was off, or the ad not yet tracked, when it was clicked (ACC-5, TRK-11). */
  'AD_NOT_TRACKED_AT_CLICK',
  /** Not credited: the parameters name an ad this system does not know (or name no ad at all). */
  'UNKNOWN_AD',
] as const;
export type AttributionReason = (typeof ATTRIBUTION_REASONS)[number];
