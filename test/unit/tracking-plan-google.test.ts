import { describe, expect, it } from 'vitest';
import { buildGoogleTrackingTemplate, googleAccountLevelTemplate, planAdTracking } from '../../src/domain/tracking';
import type { AccountTrackingContext, AdTrackingPlan } from '../../src/domain/tracking';
import type { AdRecord, GoogleAdTracking } from '../../src/networks/types';
import { untaggedGoogleTracking } from '../support/ad-fixtures';

function googleAd(over: Partial<Omit<AdRecord, 'tracking'>> = {}, tracking: Partial<GoogleAdTracking> = {}): AdRecord {
  return {
    network: 'google',
    accountId: '1234567890',
    adId: '5550001',
    name: 'RSA 1',
    status: 'active',
    rawStatus: 'ENABLED',
    updatedTime: '2026-03-01T00:00:00Z',
    campaign: { id: '111', name: 'Brand - Search' },
    adGroup: { id: '222', name: 'Exact' },
    landingUrl: 'https://shop.test/p/brand',
    ...over,
    tracking: untaggedGoogleTracking(tracking),
  };
}

const account = (over: Partial<AccountTrackingContext> = {}): AccountTrackingContext => ({ autoTracking: true, isFirstSweep: true, ...over });
const FULL_TEMPLATE = buildGoogleTrackingTemplate({ customerId: '1234567890' });

/** The campaign after the plan's write succeeded. */
function afterWrite(ad: AdRecord, plan: AdTrackingPlan): AdRecord {
  if (plan.write?.network !== 'google' || ad.tracking.network !== 'google') throw new Error('expected a Google write');
  return {
    ...ad,
    tracking: { ...ad.tracking, campaignTrackingUrlTemplate: plan.write.trackingUrlTemplate, campaignCustomParameters: plan.write.urlCustomParameters },
  };
}

describe('TRK-5 Google plan', () => {
  it('TRK-5 an untagged campaign gets one campaign-level write: template + utmcampaign custom parameter', () => {
    const plan = planAdTracking(googleAd(), account(), {}, { redirects: false });
    expect(plan.trackingStatus).toBe('pending');
    expect(plan.write).toEqual({
      network: 'google',
      key: 'google:campaign:111',
      campaignId: '111',
      trackingUrlTemplate: FULL_TEMPLATE,
      urlCustomParameters: [{ key: 'utmcampaign', value: 'Brand%20-%20Search' }],
    });
    expect(plan.appliedParams).toMatchObject({ utm_campaign: '{_utmcampaign}', _utmcampaign: 'Brand - Search', hsa_acc: '1234567890' });
  });

  it('TRK-5 the advertiser campaign template is merged, utm_source=google kept', () => {
    const plan = planAdTracking(googleAd({}, { campaignTrackingUrlTemplate: '{lpurl}?utm_source=google&promo=spring' }), account());
    const template = plan.write?.network === 'google' ? plan.write.trackingUrlTemplate : '';
    expect(template.startsWith('{lpurl}?utm_source=google&promo=spring&utm_term={keyword}&')).toBe(true);
    expect(template).not.toContain('utm_source=adwords');
  });

  it('TRK-5 existing campaign custom parameters are kept in the full list', () => {
    const plan = planAdTracking(googleAd({}, { campaignCustomParameters: [{ key: 'promo', value: 'spring' }] }), account());
    expect(plan.write?.network === 'google' && plan.write.urlCustomParameters).toEqual([
      { key: 'promo', value: 'spring' },
      { key: 'utmcampaign', value: 'Brand%20-%20Search' },
    ]);
  });

  it('TRK-5 account-level parameters reach the campaign template', () => {
    const plan = planAdTracking(googleAd({}, { customerTrackingUrlTemplate: '{lpurl}?acct=1' }), account());
    expect(plan.write?.network === 'google' && plan.write.trackingUrlTemplate.startsWith('{lpurl}?acct=1&utm_term=')).toBe(true);
  });

  it('TRK-7 an account carrying the documented template only gets the custom parameter', () => {
    const plan = planAdTracking(googleAd({}, { customerTrackingUrlTemplate: googleAccountLevelTemplate('1234567890') }), account());
    expect(plan.write).toMatchObject({ trackingUrlTemplate: '', urlCustomParameters: [{ key: 'utmcampaign', value: 'Brand%20-%20Search' }] });
    expect(plan.appliedParams).toEqual({ _utmcampaign: 'Brand - Search' });
  });

  it('TRK-9 the override replaces utm_source / utm_medium', () => {
    const plan = planAdTracking(googleAd(), account({ templateOverride: { utmSource: 'google', utmMedium: 'cpc' } }));
    expect(plan.write?.network === 'google' && plan.write.trackingUrlTemplate).toContain('&utm_source=google&utm_medium=cpc&');
  });
});

describe('TRK-5 idempotency, TRK-10 rename and drift on Google', () => {
  it('the plan of an already-tagged campaign has no write', () => {
    const tagged = afterWrite(googleAd(), planAdTracking(googleAd(), account()));
    const plan = planAdTracking(tagged, account());
    expect(plan).toMatchObject({ trackingStatus: 'tracked' });
    expect(plan.write).toBeUndefined();
  });

  it('applying the plan twice never appends a parameter twice', () => {
    const once = afterWrite(googleAd(), planAdTracking(googleAd(), account()));
    const again = planAdTracking(once, account());
    expect(again.write).toBeUndefined();
    const template = once.tracking.network === 'google' ? once.tracking.campaignTrackingUrlTemplate : '';
    expect(template.match(/utm_campaign=/g)).toHaveLength(1);
  });

  it('TRK-10 a renamed campaign keeps its old utmcampaign value: no write', () => {
    const tagged = afterWrite(googleAd(), planAdTracking(googleAd(), account()));
    const renamed = { ...tagged, campaign: { id: '111', name: 'Brand - Search (new)' } };
    expect(planAdTracking(renamed, account()).write).toBeUndefined();
  });

  it('TRK-10 utm_campaign removed from the template is re-added', () => {
    const tagged = afterWrite(googleAd(), planAdTracking(googleAd(), account()));
    if (tagged.tracking.network !== 'google') throw new Error('google');
    const drifted: AdRecord = {
      ...tagged,
      tracking: { ...tagged.tracking, campaignTrackingUrlTemplate: FULL_TEMPLATE.replace('&utm_campaign={_utmcampaign}', '') },
    };
    const plan = planAdTracking(drifted, account());
    expect(plan.write?.network === 'google' && plan.write.trackingUrlTemplate.endsWith('&hsa_ver=3&utm_campaign={_utmcampaign}')).toBe(true);
    expect(plan.appliedParams).toEqual({ utm_campaign: '{_utmcampaign}' });
  });

  it('TRK-10 the utmcampaign custom parameter removed is re-added with the current name', () => {
    const tagged = afterWrite(googleAd(), planAdTracking(googleAd(), account()));
    if (tagged.tracking.network !== 'google') throw new Error('google');
    const drifted: AdRecord = {
      ...tagged,
      campaign: { id: '111', name: 'Brand Search 2026' },
      tracking: { ...tagged.tracking, campaignCustomParameters: [] },
    };
    const plan = planAdTracking(drifted, account());
    expect(plan.write).toMatchObject({ trackingUrlTemplate: FULL_TEMPLATE, urlCustomParameters: [{ key: 'utmcampaign', value: 'Brand%20Search%202026' }] });
    expect(plan.appliedParams).toEqual({ _utmcampaign: 'Brand Search 2026' });
  });
});

describe('TRK-6 Google eligibility', () => {
  it('TEMPLATE_WITHOUT_LPURL when the campaign template does not start with {lpurl}', () => {
    const plan = planAdTracking(googleAd({}, { campaignTrackingUrlTemplate: 'https://clicks.test/c?u={lpurl}' }), account());
    expect(plan).toMatchObject({ trackingStatus: 'error', reason: { code: 'TEMPLATE_WITHOUT_LPURL', retryable: false } });
    expect(plan.write).toBeUndefined();
    expect(plan.reason?.message).toContain('{lpurl}');
  });

  it.each([
    [{ adGroupTrackingUrlTemplate: '{lpurl}?grp=1' }, 'ad group'],
    [{ adTrackingUrlTemplate: '{lpurl}?ad=1' }, 'ad'],
    [{ adGroupTrackingUrlTemplate: '{lpurl}?grp=1', adTrackingUrlTemplate: '{lpurl}?ad=1' }, 'ad group and ad'],
  ])('TRACKING_SET_BELOW_CAMPAIGN for %o', (tracking, levels) => {
    const plan = planAdTracking(googleAd({}, tracking), account());
    expect(plan).toMatchObject({ trackingStatus: 'error', reason: { code: 'TRACKING_SET_BELOW_CAMPAIGN' } });
    expect(plan.reason?.message).toContain(`at ${levels} level`);
    expect(plan.write).toBeUndefined();
  });

  it('YouTube / VIDEO campaigns are UNSUPPORTED_AD_TYPE', () => {
    expect(planAdTracking(googleAd({}, { channelType: 'VIDEO' }), account()).reason?.code).toBe('UNSUPPORTED_AD_TYPE');
  });

  it.each(['SEARCH', 'DISPLAY', 'SMART', 'DEMAND_GEN', 'PERFORMANCE_MAX'])('%s campaigns are trackable', (channelType) => {
    expect(planAdTracking(googleAd({}, { channelType }), account()).trackingStatus).toBe('pending');
  });

  it('Demand Gen is not trackable once overridden below campaign level', () => {
    const plan = planAdTracking(googleAd({}, { channelType: 'DEMAND_GEN', adTrackingUrlTemplate: '{lpurl}?x=1' }), account());
    expect(plan.reason?.code).toBe('TRACKING_SET_BELOW_CAMPAIGN');
  });

  it('an ad without a final URL is UNSUPPORTED_AD_TYPE', () => {
    expect(planAdTracking(googleAd({ landingUrl: null }), account()).reason?.code).toBe('UNSUPPORTED_AD_TYPE');
  });

  it.each([
    ['https://bit.ly/brand', undefined, 'SHORTENED_URL'],
    ['http://shop.test/upgrade/brand', { redirects: true, location: 'https://shop.test/upgrade/brand' }, 'REDIRECTING_URL'],
    ['shop.test/p/brand', undefined, 'INVALID_URL'],
  ] as const)('%s (probe %o) → %s', (landingUrl, landing, code) => {
    const plan = planAdTracking(googleAd({ landingUrl }), account(), {}, landing);
    expect(plan).toMatchObject({ trackingStatus: 'error', reason: { code } });
    expect(plan.write).toBeUndefined();
  });

  it("the product's shortener domain is excepted", () => {
    const plan = planAdTracking(googleAd({ landingUrl: 'https://go.adtrack.test/b' }), account({ ownShortenerDomain: 'go.adtrack.test' }));
    expect(plan.trackingStatus).toBe('pending');
  });

  it('TRK-4 the engagement cap is Facebook-only', () => {
    expect(planAdTracking(googleAd(), account({ isFirstSweep: true }), { engagementCapped: false }).trackingStatus).toBe('pending');
  });

  it('ACC-4 auto-tracking off: no write', () => {
    const plan = planAdTracking(googleAd(), account({ autoTracking: false }), { trackingStatus: 'tracked' });
    expect(plan.write).toBeUndefined();
    expect(plan.trackingStatus).toBe('tracked');
  });
});
