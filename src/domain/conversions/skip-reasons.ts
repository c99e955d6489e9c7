/**
 * Why an activity was not sent, in the words the admin sees next to the event's counts (CONV-8).
 */
import type { Network } from '../../networks/types';
import { NETWORK_WINDOW_MS } from './windows';

export type SkipReasonCode =
  | 'INVALID_ACTIVITY'
  | 'DISABLED'
  | 'TRIGGER_MISMATCH'
  | 'STAGE_NOT_SELECTED'
  | 'FORM_NOT_SELECTED'
  | 'BEFORE_DEFINITION'
  | 'NO_CONSENT'
  | 'AUDIENCE_NOT_INTERACTED'
  | 'NO_FB_LEAD_ID'
  | 'MISSING_WEBSITE_CONTEXT'
  | 'NO_MATCH_KEYS'
  | 'OUTSIDE_NETWORK_WINDOW';

export interface SkipReason {
  code: SkipReasonCode;
  message: string;
}

const NETWORK_NAMES: Record<Network, string> = { facebook: 'Facebook', google: 'Google Ads', linkedin: 'LinkedIn' };

function reason(code: SkipReasonCode, message: string): SkipReason {
  return { code, message };
}

export const skipReasons = {
  invalidActivity: (detail: string) => reason('INVALID_ACTIVITY', `The activity could not be read: ${detail}.`),
  disabled: () => reason('DISABLED', 'The conversion event is switched off; activity is not sent and not kept for later.'),
  triggerMismatch: (expected: string) => reason('TRIGGER_MISMATCH', `This conversion event is triggered by ${expected}, not by this kind of activity.`),
  stageNotSelected: (stage: string) => reason('STAGE_NOT_SELECTED', `The contact moved to "${stage}", which is not a stage selected for this event.`),
  formNotSelected: (formId: string) => reason('FORM_NOT_SELECTED', `Form "${formId}" is not the form this event is for.`),
  beforeDefinition: () =>
    reason('BEFORE_DEFINITION', 'The activity happened before the conversion event was created; only later activity is sent.'),
  noConsent: (property: string) =>
    reason('NO_CONSENT', `The contact has not given consent to share data (property "${property}" does not hold the consent value).`),
  audienceNotInteracted: () =>
    reason('AUDIENCE_NOT_INTERACTED', 'The event shares only contacts who interacted with your ads, and this contact has not.'),
  noFacebookLeadId: () =>
    reason('NO_FB_LEAD_ID', 'Facebook can only match lifecycle events of contacts that came in through Facebook lead sync, and this contact has no Facebook lead id.'),
  missingWebsiteContext: (missing: string[]) =>
    reason('MISSING_WEBSITE_CONTEXT', `Facebook website events need the ${missing.join(' and ')} of the submission, which were not recorded.`),
  noMatchKeys: (network: Network) => {
    const needs: Record<Network, string> = {
      facebook: 'an email, phone, lead id, browser id or IP address',
      google: 'a Google click id (gclid) or a shared email or phone number',
      linkedin: 'a shared email or a LinkedIn click id (li_fat_id)',
    };
    return reason('NO_MATCH_KEYS', `Nothing to match the contact on at ${NETWORK_NAMES[network]}: it needs ${needs[network]}.`);
  },
  outsideNetworkWindow: (network: Network) =>
    reason(
      'OUTSIDE_NETWORK_WINDOW',
      `${NETWORK_NAMES[network]} accepts events up to ${NETWORK_WINDOW_MS[network] / 86_400_000} days old; this one is too old to be sent.`,
    ),
};
