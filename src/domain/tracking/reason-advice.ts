/**
 * The console's words for each reason code (issue 13): a short name and what the admin does about
 * it. The reason's own message (reasons.ts) explains the particular ad; this table is the heading
 * and the action next to it, one entry per code so a new code cannot ship without its advice.
 */
import type { TrackingReasonCode } from './types';

export interface ReasonAdvice {
  title: string;
  whatToDo: string;
}

export const REASON_ADVICE: Record<TrackingReasonCode, ReasonAdvice> = {
  UNSUPPORTED_AD_TYPE: { title: 'Ad type cannot carry tracking', whatToDo: 'Nothing to fix: reporting and lead sync still work for this ad.' },
  SHORTENED_URL: { title: 'Shortened link', whatToDo: 'Replace the short link in the ad with the full landing-page URL; tracking follows on the next sweep.' },
  REDIRECTING_URL: { title: 'Landing page redirects', whatToDo: 'Point the ad at the final page the redirect ends on (https included).' },
  URL_HAS_FRAGMENT: { title: 'URL contains "#"', whatToDo: 'Remove the "#…" part from the ad\'s final URL.' },
  INVALID_URL: { title: 'No usable landing URL', whatToDo: 'Give the ad a complete http:// or https:// landing-page URL.' },
  ENGAGEMENT_CAP: { title: 'Held by the engagement cap', whatToDo: 'Use "Fix alert" to add tracking anyway; the network then resets the ad\'s delivery learning.' },
  TEMPLATE_WITHOUT_LPURL: { title: 'Campaign tracking template without {lpurl}', whatToDo: 'Empty the campaign\'s tracking template, or make it start with {lpurl}.' },
  TRACKING_SET_BELOW_CAMPAIGN: { title: 'Tracking set on the ad group or ad', whatToDo: 'Remove the custom tracking template from the ad group and the ad.' },
  NETWORK_REJECTED: { title: 'The network refused the change', whatToDo: 'Retried automatically when the refusal is temporary; otherwise fix what the network names and it is tried again on the next sweep.' },
  AUTO_TRACKING_OFF: { title: 'Auto-tracking is off', whatToDo: 'Switch auto-tracking on for the account (preview it first) to tag this ad.' },
  TEMPLATE_KEYS_LEFT_OUT: { title: 'Campaign parameters leave out keys an ad sets itself', whatToDo: 'Nothing breaks: to have the template add these keys, remove them from the named ad\'s own URL; otherwise add them to this ad\'s URL.' },
  NOT_DELIVERABLE: { title: 'Ad not running', whatToDo: 'Nothing to do: tracking is added when the ad becomes active or goes to review.' },
};

/** Advice for a stored code; codes from older versions fall back to the message alone. */
export function adviceFor(code: string): ReasonAdvice | undefined {
  return (REASON_ADVICE as Record<string, ReasonAdvice>)[code];
}
