/**
 * Machine-readable reasons with the human explanation shown next to an ad (TRK-11). The wording
 * follows the original help article on ad tracking: say what is wrong, why it breaks tracking, and
 * what the advertiser can do about it.
 */
import type { NetworkErrorInfo } from '../../networks/types';
import type { TrackingReason } from './types';

function reason(code: TrackingReason['code'], message: string, retryable = false): TrackingReason {
  return { code, message, retryable };
}

export const reasons = {
  unsupportedAdType(what: string): TrackingReason {
    return reason(
      'UNSUPPORTED_AD_TYPE',
      `${what} cannot be tracked: the network does not let tracking parameters reach a website for this ad type. ` +
        'Reporting data (impressions, clicks, spend) still syncs, and lead-form submissions still sync.',
    );
  },

  invalidUrl(url: string | null): TrackingReason {
    const shown = url === null || url.trim() === '' ? 'The ad has no final URL' : `The final URL "${url}" is not a full web address`;
    return reason(
      'INVALID_URL',
      `${shown}. Tracking needs a complete http:// or https:// URL of the page the ad leads to.`,
    );
  },

  shortenedUrl(host: string): TrackingReason {
    return reason(
      'SHORTENED_URL',
      `The final URL uses the link shortener ${host}. Link shorteners drop the parameters at the end of the URL, ` +
        'which prevents tracking. Use the full URL of the landing page instead.',
    );
  },

  redirectingUrl(location: string | undefined): TrackingReason {
    const target = location === undefined || location === '' ? '' : ` (to ${location})`;
    return reason(
      'REDIRECTING_URL',
      `The final URL redirects${target}. Redirects strip the tracking parameters, including redirects from http to https. ` +
        'Use the final, non-redirecting version of the URL.',
    );
  },

  urlHasFragment(network: 'google' | 'linkedin'): TrackingReason {
    return reason(
      'URL_HAS_FRAGMENT',
      network === 'linkedin'
        ? 'The final URL contains a "#". LinkedIn cannot add tracking parameters to URLs with a "#"; remove it from the ad URL.'
        : 'The final URL contains a "#". The campaign\'s tracking template adds its parameters after {lpurl}, so they would land inside the "#" part and never reach your site; remove the "#" part from the final URL.',
    );
  },

  engagementCap(engagements: number): TrackingReason {
    return reason(
      'ENGAGEMENT_CAP',
      `The ad had 20 or more engagements when the ad account was first connected (it has ${engagements} now). ` +
        "Adding tracking replaces the ad's creative and resets the network's delivery learning, so the ad was left unchanged. " +
        'Use "Fix alert" → "Yes, add tracking" to add tracking anyway.',
    );
  },

  templateWithoutLpurl(template: string): TrackingReason {
    return reason(
      'TEMPLATE_WITHOUT_LPURL',
      `The campaign's tracking template "${template}" does not start with {lpurl}, so the tracking parameters cannot be merged into it. ` +
        'Empty the campaign tracking template or make it start with {lpurl}.',
    );
  },

  trackingSetBelowCampaign(levels: string[]): TrackingReason {
    return reason(
      'TRACKING_SET_BELOW_CAMPAIGN',
      `A tracking template is set at ${levels.join(' and ')} level. It takes precedence over the campaign-level tracking template, ` +
        'so the tracking parameters never reach this ad. Remove the custom tracking from the ad group and ad.',
    );
  },

  autoTrackingOff(): TrackingReason {
    return reason(
      'AUTO_TRACKING_OFF',
      'Auto-tracking is off for this ad account: no tracking is applied, and parameters added earlier stay on the ad.',
    );
  },

  /**
   * Issue 15 item 1: the campaign-level template leaves out keys an ad of the campaign sets itself.
   * `setBy` are the ads setting them; `ownAd` tells whether this ad is one of them.
   */
  templateKeysLeftOut(keys: readonly string[], setBy: readonly { adId: string; name: string }[], ownAd: boolean): TrackingReason {
    const list = keys.join(', ');
    const ads = setBy.map((ad) => (ad.name ? `"${ad.name}" (${ad.adId})` : ad.adId)).join(', ');
    return reason(
      'TEMPLATE_KEYS_LEFT_OUT',
      `The campaign's tracking parameters leave out ${list}: ad ${ads} of this campaign sets ${keys.length > 1 ? 'them' : 'it'} in its own URL, ` +
        'and the campaign-level parameters reach every ad of the campaign, so adding them would send the same key twice. ' +
        (ownAd
          ? "This ad's own values are kept; the campaign's other ads get no value for these keys from the template."
          : "Clicks on this ad carry no value for these keys; add them to this ad's URL, or remove them from the other ad's URL to let the template add them."),
    );
  },

  notDeliverable(rawStatus: string): TrackingReason {
    return reason(
      'NOT_DELIVERABLE',
      `The ad is ${rawStatus}; tracking is applied to ads that are active or pending review.`,
    );
  },
};

/** Builds the reason for a write the network refused; callers use it with the client's error. */
export function networkRejected(error: NetworkErrorInfo): TrackingReason {
  return {
    code: 'NETWORK_REJECTED',
    message: `The network rejected the tracking change (${error.code}): ${error.message}`,
    retryable: error.kind === 'rate_limited' || error.kind === 'transient',
    networkError: error,
  };
}
