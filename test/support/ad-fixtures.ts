import type { AdRecord, GoogleAdTracking } from '../../src/networks/types';

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

/** A deliverable Facebook link ad as the client maps it, for the pure rules' unit tests. */
export function facebookAd(adId: string, over: Partial<AdRecord> = {}): AdRecord {
  return {
    network: 'facebook',
    accountId: 'act_1',
    adId,
    name: adId,
    status: 'active',
    rawStatus: 'ACTIVE',
    updatedTime: '2026-03-01T00:00:00Z',
    campaign: { id: 'c1', name: 'Spring' },
    adGroup: { id: 's1', name: 'set' },
    landingUrl: 'https://shop.test/p/spring',
    tracking: { network: 'facebook', creativeId: `cr${adId}`, urlTags: '', format: 'link', isLeadAd: false, engagements: 0 },
    ...over,
  };
}
