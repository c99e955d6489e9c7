import { describe, expect, it } from 'vitest';
import { planAdTracking } from '../../src/domain/tracking';
import type { AccountTrackingContext, AdTrackingPlan } from '../../src/domain/tracking';
import type { AdRecord, LinkedInAdTracking } from '../../src/networks/types';

const TOKEN = '{{CREATIVE_ID}}'; // any string: the LinkedIn client owns the real syntax

function linkedInAd(over: Partial<Omit<AdRecord, 'tracking'>> = {}, tracking: Partial<LinkedInAdTracking> = {}): AdRecord {
  return {
    network: 'linkedin',
    accountId: '507404993',
    adId: '172681003',
    name: 'Webinar image',
    status: 'active',
    rawStatus: 'ACTIVE',
    updatedTime: '2026-03-01T00:00:00Z',
    campaign: { id: '123456789', name: 'Q2 Webinar - Website visits' },
    adGroup: { id: '123456789', name: 'Q2 Webinar - Website visits' },
    landingUrl: 'https://shop.test/p/webinar',
    ...over,
    tracking: { network: 'linkedin', format: 'SPONSORED_UPDATE', campaignGroupId: '612734066', campaignUrlParameters: [], ...tracking },
  };
}

const account = (over: Partial<AccountTrackingContext> = {}): AccountTrackingContext => ({
  autoTracking: true,
  isFirstSweep: true,
  linkedInCreativeToken: TOKEN,
  ...over,
});

function afterWrite(ad: AdRecord, plan: AdTrackingPlan): AdRecord {
  if (plan.write?.network !== 'linkedin' || ad.tracking.network !== 'linkedin') throw new Error('expected a LinkedIn write');
  return { ...ad, tracking: { ...ad.tracking, campaignUrlParameters: plan.write.urlParameters } };
}

describe('TRK-8 LinkedIn plan', () => {
  it('TRK-8 an untagged campaign gets the documented parameter list, hsa_ad as the creative token', () => {
    const plan = planAdTracking(linkedInAd(), account(), {}, { redirects: false });
    expect(plan.trackingStatus).toBe('pending');
    expect(plan.write).toEqual({
      network: 'linkedin',
      key: 'linkedin:campaign:123456789',
      campaignId: '123456789',
      urlParameters: [
        { key: 'utm_source', value: 'linkedin' },
        { key: 'utm_medium', value: 'paid' },
        { key: 'utm_campaign', value: 'Q2 Webinar - Website visits' },
        { key: 'hsa_net', value: 'linkedin' },
        { key: 'hsa_ver', value: '3' },
        { key: 'hsa_acc', value: '507404993' },
        { key: 'hsa_cam', value: '612734066' },
        { key: 'hsa_grp', value: '123456789' },
        { key: 'hsa_ad', value: TOKEN },
      ],
    });
  });

  it('TRK-8 URN ids are written as plain ids', () => {
    const plan = planAdTracking(
      linkedInAd({ accountId: 'urn:li:sponsoredAccount:507404993', campaign: { id: 'urn:li:sponsoredCampaign:42', name: 'C' } }, {
        campaignGroupId: 'urn:li:sponsoredCampaignGroup:7',
      }),
      account(),
    );
    expect(plan.appliedParams).toMatchObject({ hsa_acc: '507404993', hsa_cam: '7', hsa_grp: '42' });
    expect(plan.write).toMatchObject({ campaignId: 'urn:li:sponsoredCampaign:42' });
  });

  it('TRK-8 the advertiser campaign parameters are kept and never overwritten', () => {
    const existing = [
      { key: 'utm_source', value: 'newsletter' },
      { key: 'utm_content', value: 'hero' },
    ];
    const plan = planAdTracking(linkedInAd({}, { campaignUrlParameters: existing }), account());
    const list = plan.write?.network === 'linkedin' ? plan.write.urlParameters : [];
    expect(list.slice(0, 2)).toEqual(existing);
    expect(list.filter((parameter) => parameter.key === 'utm_source')).toHaveLength(1);
    expect(plan.appliedParams).not.toHaveProperty('utm_source');
  });

  it('TRK-9 the override replaces the defaults', () => {
    const plan = planAdTracking(linkedInAd(), account({ templateOverride: { utmSource: 'li' } }));
    expect(plan.appliedParams).toMatchObject({ utm_source: 'li', utm_medium: 'paid' });
  });

  it('the creative token is required to plan LinkedIn ads', () => {
    expect(() => planAdTracking(linkedInAd(), account({ linkedInCreativeToken: undefined }))).toThrow(/linkedInCreativeToken/);
  });
});

describe('TRK-8 idempotency and TRK-10 on LinkedIn', () => {
  it('the plan of an already-tagged campaign has no write', () => {
    const tagged = afterWrite(linkedInAd(), planAdTracking(linkedInAd(), account()));
    const plan = planAdTracking(tagged, account());
    expect(plan.write).toBeUndefined();
    expect(plan.trackingStatus).toBe('tracked');
  });

  it('TRK-10 a renamed campaign keeps its old utm_campaign: no write', () => {
    const tagged = afterWrite(linkedInAd(), planAdTracking(linkedInAd(), account()));
    expect(planAdTracking({ ...tagged, campaign: { id: '123456789', name: 'Renamed' } }, account()).write).toBeUndefined();
  });

  it('TRK-10 a removed utm_campaign is re-added with the current name', () => {
    const tagged = afterWrite(linkedInAd(), planAdTracking(linkedInAd(), account()));
    if (tagged.tracking.network !== 'linkedin') throw new Error('linkedin');
    const without = tagged.tracking.campaignUrlParameters.filter((parameter) => parameter.key !== 'utm_campaign');
    const drifted: AdRecord = { ...tagged, campaign: { id: '123456789', name: 'Renamed' }, tracking: { ...tagged.tracking, campaignUrlParameters: without } };
    const plan = planAdTracking(drifted, account());
    expect(plan.write?.network === 'linkedin' && plan.write.urlParameters).toEqual([...without, { key: 'utm_campaign', value: 'Renamed' }]);
  });
});

describe('TRK-8 LinkedIn eligibility', () => {
  it.each(['CAROUSEL', 'SPONSORED_INMAILS', 'MESSAGE', 'CONVERSATION'])('%s ads are UNSUPPORTED_AD_TYPE', (format) => {
    const plan = planAdTracking(linkedInAd({}, { format }), account());
    expect(plan).toMatchObject({ trackingStatus: 'error', reason: { code: 'UNSUPPORTED_AD_TYPE' } });
    expect(plan.write).toBeUndefined();
  });

  it.each(['SPONSORED_UPDATE', 'TEXT_AD'])('%s ads are trackable', (format) => {
    expect(planAdTracking(linkedInAd({}, { format }), account()).trackingStatus).toBe('pending');
  });

  it('an ad with no landing URL (form-only lead gen) is not trackable; its leads still sync elsewhere', () => {
    const plan = planAdTracking(linkedInAd({ landingUrl: null }), account());
    expect(plan.reason?.code).toBe('UNSUPPORTED_AD_TYPE');
    expect(plan.reason?.message).toContain('lead-form submissions still sync');
  });

  it('URL_HAS_FRAGMENT for a URL with "#"', () => {
    expect(planAdTracking(linkedInAd({ landingUrl: 'https://shop.test/p/webinar#offer' }), account()).reason?.code).toBe('URL_HAS_FRAGMENT');
  });

  it("LinkedIn's own lnkd.in shortening is fine; bit.ly is not", () => {
    expect(planAdTracking(linkedInAd({ landingUrl: 'https://lnkd.in/eAbC' }), account(), {}, { redirects: true }).trackingStatus).toBe('pending');
    expect(planAdTracking(linkedInAd({ landingUrl: 'https://bit.ly/eAbC' }), account()).reason?.code).toBe('SHORTENED_URL');
  });

  it('REDIRECTING_URL and INVALID_URL', () => {
    expect(planAdTracking(linkedInAd(), account(), {}, { redirects: true, location: 'https://shop.test/x' }).reason?.code).toBe('REDIRECTING_URL');
    expect(planAdTracking(linkedInAd({ landingUrl: 'www.shop.test' }), account()).reason?.code).toBe('INVALID_URL');
  });

  it('TRK-4 the engagement cap does not apply on LinkedIn', () => {
    expect(planAdTracking(linkedInAd(), account({ isFirstSweep: true })).trackingStatus).toBe('pending');
  });
});
