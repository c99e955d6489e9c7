import { describe, expect, it } from 'vitest';
import { buildFacebookUrlTags, parseQuery, planAdTracking, toRecord } from '../../src/domain/tracking';
import type { AccountTrackingContext, AdTrackingPlan } from '../../src/domain/tracking';
import type { AdRecord, FacebookAdTracking } from '../../src/networks/types';

const NOW = '2026-03-14T09:30:00.000Z';

function fbAd(over: Partial<Omit<AdRecord, 'tracking'>> = {}, tracking: Partial<FacebookAdTracking> = {}): AdRecord {
  return {
    network: 'facebook',
    accountId: 'act_1234567890',
    adId: '120001',
    name: 'Spring – link A',
    status: 'active',
    rawStatus: 'ACTIVE',
    updatedTime: '2026-03-01T00:00:00+0000',
    campaign: { id: '120200', name: 'Spring Sale' },
    adGroup: { id: '120100', name: 'Broad' },
    landingUrl: 'https://shop.test/p/spring',
    ...over,
    tracking: { network: 'facebook', creativeId: '120300', urlTags: '', format: 'link', isLeadAd: false, engagements: 0, ...tracking },
  };
}

const account = (over: Partial<AccountTrackingContext> = {}): AccountTrackingContext => ({ autoTracking: true, isFirstSweep: false, ...over });

/** What the network holds after the plan's write succeeded (new creative with the new url_tags). */
function afterWrite(ad: AdRecord, plan: AdTrackingPlan): AdRecord {
  if (plan.write?.network !== 'facebook' || ad.tracking.network !== 'facebook') throw new Error('expected a Facebook write');
  return { ...ad, tracking: { ...ad.tracking, creativeId: 'new', urlTags: plan.write.urlTags } };
}

const fullTags = buildFacebookUrlTags({
  accountId: 'act_1234567890',
  campaignId: '120200',
  campaignName: 'Spring Sale',
  adSetId: '120100',
  adId: '120001',
  isLeadAd: false,
});

describe('TRK-1/TRK-2 Facebook plan of an untagged ad', () => {
  it('TRK-2 an active ad gets one write with the full url_tags on a copy of its creative', () => {
    const plan = planAdTracking(fbAd(), account(), {}, { redirects: false }, NOW);
    expect(plan.trackingStatus).toBe('pending');
    expect(plan.write).toEqual({ network: 'facebook', key: 'facebook:ad:120001', adId: '120001', creativeId: '120300', urlTags: fullTags });
    expect(plan.writeKey).toBe('facebook:ad:120001');
    expect(plan.reason).toBeUndefined();
  });

  it('TRK-12 appliedParams lists what was added, decoded', () => {
    const plan = planAdTracking(fbAd(), account());
    expect(plan.appliedParams).toEqual({
      utm_source: 'facebook',
      utm_medium: 'paid',
      utm_campaign: 'Spring Sale',
      hsa_acc: '1234567890',
      hsa_cam: '120200',
      hsa_grp: '120100',
      hsa_ad: '120001',
      hsa_net: 'facebook',
      hsa_src: '{{site_source_name}}',
      hsa_ver: '3',
    });
  });

  it('TRK-1 an ad pending review is tagged too', () => {
    expect(planAdTracking(fbAd({ status: 'pending_review', rawStatus: 'PENDING_REVIEW' }), account()).write).toBeDefined();
  });

  it('firstSeenAt is stamped with the given time once and kept afterwards', () => {
    expect(planAdTracking(fbAd(), account(), {}, undefined, NOW).nextState.firstSeenAt).toBe(NOW);
    const kept = planAdTracking(fbAd(), account(), { firstSeenAt: '2026-01-01T00:00:00.000Z' }, undefined, NOW);
    expect(kept.nextState.firstSeenAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('TRK-2 lead ads get hsa_la=true, even without a website link, and never hsa_ol', () => {
    const plan = planAdTracking(fbAd({ landingUrl: null }, { format: 'lead', isLeadAd: true }), account());
    expect(plan.write?.network === 'facebook' && plan.write.urlTags).toContain('&hsa_la=true');
    expect(plan.appliedParams).toHaveProperty('hsa_la', 'true');
    expect(plan.appliedParams).not.toHaveProperty('hsa_ol');
  });

  it('TRK-3 standard carousels are trackable', () => {
    expect(planAdTracking(fbAd({}, { format: 'carousel' }), account()).trackingStatus).toBe('pending');
  });
});

describe('TRK-2 advertiser UTMs on Facebook are never overwritten', () => {
  it('keeps the advertiser url_tags and their values, adds only the rest', () => {
    const plan = planAdTracking(fbAd({}, { urlTags: 'utm_source=newsletter&utm_campaign=launch&utm_content={{ad.id}}' }), account());
    const tags = plan.write?.network === 'facebook' ? plan.write.urlTags : '';
    expect(tags.startsWith('utm_source=newsletter&utm_campaign=launch&utm_content={{ad.id}}&utm_medium=paid&hsa_acc=')).toBe(true);
    expect(toRecord(parseQuery(tags))).toMatchObject({ utm_source: 'newsletter', utm_campaign: 'launch' });
    expect(plan.appliedParams).not.toHaveProperty('utm_source');
  });

  it('does not repeat a UTM the advertiser put in the link', () => {
    const plan = planAdTracking(fbAd({ landingUrl: 'https://shop.test/p/x?utm_source=newsletter&utm_content=hero' }), account());
    const tags = plan.write?.network === 'facebook' ? plan.write.urlTags : '';
    expect(parseQuery(tags).map((param) => param.key)).not.toContain('utm_source');
    expect(parseQuery(tags).map((param) => param.key)).not.toContain('utm_content');
  });
});

describe('TRK-2 idempotency on Facebook', () => {
  it('the plan of an already-tagged ad has no write', () => {
    const plan = planAdTracking(fbAd({}, { urlTags: fullTags }), account());
    expect(plan).toMatchObject({ trackingStatus: 'tracked' });
    expect(plan.write).toBeUndefined();
    expect(plan.appliedParams).toBeUndefined();
  });

  it('planning again after the write succeeded yields no write and no duplicate key', () => {
    const ad = fbAd({}, { urlTags: 'utm_content=hero' });
    const first = planAdTracking(ad, account());
    const tagged = afterWrite(ad, first);
    const second = planAdTracking(tagged, account());
    expect(second.write).toBeUndefined();
    expect(second.trackingStatus).toBe('tracked');
    const keys = parseQuery(tagged.tracking.network === 'facebook' ? tagged.tracking.urlTags : '').map((param) => param.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('TRK-10 rename and drift on Facebook', () => {
  it('TRK-10 a renamed campaign whose ad carries the old utm_campaign yields no write', () => {
    const plan = planAdTracking(fbAd({ campaign: { id: '120200', name: 'Summer Sale' } }, { urlTags: fullTags }), account());
    expect(plan.write).toBeUndefined();
    expect(plan.trackingStatus).toBe('tracked');
  });

  it('TRK-10 a removed utm_campaign is re-added with the current campaign name, nothing else changes', () => {
    const withoutCampaign = fullTags.replace('&utm_campaign=Spring+Sale', '');
    const plan = planAdTracking(fbAd({ campaign: { id: '120200', name: 'Summer Sale' } }, { urlTags: withoutCampaign }), account());
    expect(plan.write?.network === 'facebook' && plan.write.urlTags).toBe(`${withoutCampaign}&utm_campaign=Summer+Sale`);
    expect(plan.appliedParams).toEqual({ utm_campaign: 'Summer Sale' });
  });

  it('TRK-10 drift repair is not blocked by engagements gathered after connection', () => {
    const withoutCampaign = fullTags.replace('&utm_campaign=Spring+Sale', '');
    const plan = planAdTracking(fbAd({}, { urlTags: withoutCampaign, engagements: 500 }), account(), { trackingStatus: 'tracked' });
    expect(plan.write).toBeDefined();
  });
});

describe('TRK-3 Facebook eligibility', () => {
  it.each([
    ['messenger', false, 'https://shop.test/p'],
    ['carousel_pac', false, 'https://shop.test/p'],
    ['link', false, null],
    ['video', false, null],
  ] as const)('UNSUPPORTED_AD_TYPE for format %s (lead=%s, url=%s)', (format, isLeadAd, landingUrl) => {
    const plan = planAdTracking(fbAd({ landingUrl }, { format, isLeadAd }), account());
    expect(plan.trackingStatus).toBe('error');
    expect(plan.reason?.code).toBe('UNSUPPORTED_AD_TYPE');
    expect(plan.write).toBeUndefined();
  });

  it.each([
    ['https://bit.ly/spring', undefined, 'SHORTENED_URL'],
    ['https://tinyurl.com/spring', undefined, 'SHORTENED_URL'],
    ['http://127.0.0.1:4567/r/spring', { redirects: true, location: 'http://127.0.0.1:4567/p/spring' }, 'REDIRECTING_URL'],
    ['http://127.0.0.1:4567/upgrade/spring', { redirects: true, location: 'https://127.0.0.1:4567/upgrade/spring' }, 'REDIRECTING_URL'],
    ['shop.test/p', undefined, 'INVALID_URL'],
  ] as const)('TRK-3 %s (probe %o) → %s', (landingUrl, landing, code) => {
    const plan = planAdTracking(fbAd({ landingUrl }), account(), {}, landing);
    expect(plan).toMatchObject({ trackingStatus: 'error', reason: { code, retryable: false } });
    expect(plan.write).toBeUndefined();
    expect(plan.reason?.message.length).toBeGreaterThan(40);
  });

  it("the product's own shortener is accepted", () => {
    const plan = planAdTracking(fbAd({ landingUrl: 'https://go.adtrack.test/s1' }), account({ ownShortenerDomain: 'go.adtrack.test' }), {}, { redirects: true });
    expect(plan.trackingStatus).toBe('pending');
  });

  it('a "#" in the URL is fine on Facebook', () => {
    expect(planAdTracking(fbAd({ landingUrl: 'https://shop.test/p#offer' }), account()).trackingStatus).toBe('pending');
  });

  it('TRK-11 once the advertiser fixes the URL, tracking resumes by itself', () => {
    const stored = { trackingStatus: 'error' as const };
    expect(planAdTracking(fbAd({ landingUrl: 'https://bit.ly/x' }), account(), stored).trackingStatus).toBe('error');
    const fixed = planAdTracking(fbAd({ landingUrl: 'https://shop.test/p' }), account(), stored, { redirects: false });
    expect(fixed).toMatchObject({ trackingStatus: 'pending', nextState: { trackingStatus: 'pending' } });
    expect(fixed.nextState.reason).toBeUndefined();
  });
});

describe('TRK-4 Facebook engagement cap', () => {
  it('TRK-4 an ad with 20 engagements at first connection is not modified', () => {
    const plan = planAdTracking(fbAd({}, { engagements: 20 }), account({ isFirstSweep: true }));
    expect(plan.write).toBeUndefined();
    expect(plan).toMatchObject({ trackingStatus: 'error', reason: { code: 'ENGAGEMENT_CAP', retryable: false }, nextState: { engagementCapped: true } });
    expect(plan.reason?.message).toContain('Fix alert');
  });

  it('TRK-4 an ad with 19 engagements at first connection is tagged', () => {
    const plan = planAdTracking(fbAd({}, { engagements: 19 }), account({ isFirstSweep: true }));
    expect(plan.trackingStatus).toBe('pending');
    expect(plan.nextState.engagementCapped).toBe(false);
  });

  it('TRK-4 a capped ad stays capped on later sweeps', () => {
    const plan = planAdTracking(fbAd({}, { engagements: 25 }), account({ isFirstSweep: false }), { trackingStatus: 'error', engagementCapped: true });
    expect(plan.reason?.code).toBe('ENGAGEMENT_CAP');
    expect(plan.nextState.engagementCapped).toBe(true);
  });

  it.each([
    ['a Set', new Set(['120001'])],
    ['an array', ['120001']],
  ])('TRK-4 the admin override (as %s) adds the parameters', (_label, overrides) => {
    const plan = planAdTracking(fbAd({}, { engagements: 400 }), account({ engagementCapOverrides: overrides }), { engagementCapped: true });
    expect(plan.trackingStatus).toBe('pending');
    expect(plan.write?.network === 'facebook' && plan.write.urlTags).toBe(fullTags);
  });

  it('TRK-4 an override of another ad does not lift the cap', () => {
    const plan = planAdTracking(fbAd({}, { engagements: 40 }), account({ isFirstSweep: true, engagementCapOverrides: ['other'] }));
    expect(plan.reason?.code).toBe('ENGAGEMENT_CAP');
  });

  it('TRK-4 an ad first seen after the first sweep is tagged whatever its engagements', () => {
    expect(planAdTracking(fbAd({}, { engagements: 1000 }), account({ isFirstSweep: false })).trackingStatus).toBe('pending');
  });

  it('TRK-4 an ad already carrying every parameter is tracked, not capped', () => {
    const plan = planAdTracking(fbAd({}, { engagements: 80, urlTags: fullTags }), account({ isFirstSweep: true }));
    expect(plan).toMatchObject({ trackingStatus: 'tracked', nextState: { engagementCapped: false } });
  });
});

describe('ACC-4 auto-tracking off, TRK-1 undeliverable ads', () => {
  it('ACC-4 auto-tracking off: no write and the stored status is kept', () => {
    const stored = { trackingStatus: 'tracked' as const, firstSeenAt: NOW };
    const plan = planAdTracking(fbAd({}, { urlTags: '' }), account({ autoTracking: false }), stored);
    expect(plan.write).toBeUndefined();
    expect(plan.trackingStatus).toBe('tracked');
    expect(plan.nextState).toMatchObject({ trackingStatus: 'tracked', firstSeenAt: NOW });
  });

  it('ACC-4 auto-tracking off: a never-evaluated ad is excluded with the reason', () => {
    const plan = planAdTracking(fbAd(), account({ autoTracking: false }));
    expect(plan).toMatchObject({ trackingStatus: 'excluded', reason: { code: 'AUTO_TRACKING_OFF' } });
    expect(plan.write).toBeUndefined();
  });

  it('ACC-4 auto-tracking off keeps an earlier error and its reason', () => {
    const reason = { code: 'SHORTENED_URL' as const, message: 'm', retryable: false };
    const plan = planAdTracking(fbAd(), account({ autoTracking: false }), { trackingStatus: 'error', reason, engagementCapped: true });
    expect(plan).toMatchObject({ trackingStatus: 'error', reason, nextState: { trackingStatus: 'error', engagementCapped: true } });
  });

  it.each(['paused', 'archived', 'deleted', 'disapproved'] as const)('TRK-1 a %s ad is left alone', (status) => {
    const plan = planAdTracking(fbAd({ status, rawStatus: status.toUpperCase() }), account());
    expect(plan.write).toBeUndefined();
    expect(plan).toMatchObject({ trackingStatus: 'excluded', reason: { code: 'NOT_DELIVERABLE' } });
  });
});

describe('TRK-9 template override on Facebook', () => {
  it('new ads use the override', () => {
    const plan = planAdTracking(fbAd(), account({ templateOverride: { utmSource: 'fb', utmMedium: 'cpc' } }));
    expect(plan.appliedParams).toMatchObject({ utm_source: 'fb', utm_medium: 'cpc' });
  });

  it('ads already tagged with the old defaults are not rewritten', () => {
    const plan = planAdTracking(fbAd({}, { urlTags: fullTags }), account({ templateOverride: { utmSource: 'fb' } }));
    expect(plan.write).toBeUndefined();
  });
});
