import type { GoogleAdTracking } from '../../src/networks/types';

/** A Google ad's tracking fields with nothing set at any level (unit-test fixtures). */
export function untaggedGoogleTracking(over: Partial<GoogleAdTracking> = {}): GoogleAdTracking {
  return {
    network: 'google',
    channelType: 'SEARCH',
    customerTrackingUrlTemplate: '',
    campaignTrackingUrlTemplate: '',
    campaignCustomParameters: [],
    campaignFinalUrlSuffix: '',
    adGroupTrackingUrlTemplate: '',
    adTrackingUrlTemplate: '',
    ...over,
  };
}
