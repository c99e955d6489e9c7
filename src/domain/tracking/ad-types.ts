/**
 * Which ad types can carry tracking at all (TRK-3, TRK-6, TRK-8). Everything not listed here as
 * unsupported is tracked: standard carousels and lead ads on Facebook, Smart, Discovery / Demand Gen
 * and Performance Max campaigns on Google, single-image / video / document / text ads on LinkedIn.
 */
import type { AdRecord, FacebookAdTracking, GoogleAdTracking, LinkedInAdTracking } from '../../networks/types';
import { reasons } from './reasons';
import type { TrackingReason } from './types';

const GOOGLE_UNTRACKABLE_CHANNELS = new Set(['VIDEO', 'YOUTUBE']);
/** LinkedIn formats tracking cannot reach: carousels, message and conversation (InMail) ads. */
const LINKEDIN_UNTRACKABLE_FORMAT = /CAROUSEL|INMAIL|MESSAGE|CONVERSATION/;

export function facebookUnsupported(ad: AdRecord, tracking: FacebookAdTracking): TrackingReason | null {
  const format = tracking.format.toLowerCase();
  if (format === 'messenger') return reasons.unsupportedAdType('A Messenger ad (it does not link to an external website)');
  if (format === 'carousel_pac') return reasons.unsupportedAdType('A carousel with Placement Asset Customization');
  // A lead ad's url_tags still reach the instant form's website link (and its hsa_la marks it), so a
  // lead ad without a landing URL is tagged; any other ad without one has nowhere to send them.
  if (ad.landingUrl === null && !tracking.isLeadAd) {
    return reasons.unsupportedAdType('An ad that does not link to an external website');
  }
  return null;
}

export function googleUnsupported(ad: AdRecord, tracking: GoogleAdTracking): TrackingReason | null {
  if (GOOGLE_UNTRACKABLE_CHANNELS.has(tracking.channelType.toUpperCase())) {
    return reasons.unsupportedAdType('A YouTube / video campaign ad');
  }
  if (ad.landingUrl === null) return reasons.unsupportedAdType('An ad without a final URL (e.g. a call-only ad)');
  return null;
}

export function linkedInUnsupported(ad: AdRecord, tracking: LinkedInAdTracking): TrackingReason | null {
  const format = tracking.format.toUpperCase();
  if (LINKEDIN_UNTRACKABLE_FORMAT.test(format)) {
    const what = format.includes('CAROUSEL') ? 'A carousel ad' : 'A message or conversation ad';
    return reasons.unsupportedAdType(what);
  }
  if (ad.landingUrl === null) return reasons.unsupportedAdType('An ad that does not link to a website (e.g. a lead-gen form only ad)');
  return null;
}

/** Google ad-group / ad templates win over the campaign's, so ours would never reach the ad (TRK-6). */
export function googleTrackingBelowCampaign(tracking: GoogleAdTracking): TrackingReason | null {
  const levels: string[] = [];
  if (tracking.adGroupTrackingUrlTemplate.trim() !== '') levels.push('ad group');
  if (tracking.adTrackingUrlTemplate.trim() !== '') levels.push('ad');
  return levels.length === 0 ? null : reasons.trackingSetBelowCampaign(levels);
}
