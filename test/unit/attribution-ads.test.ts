import { describe, expect, it } from 'vitest';
import {
  ATTRIBUTION_REASONS,
  clickIdentitiesOf,
  decideAdAttribution,
  findKnownAd,
  type AttributionInput,
  type AttributionSession,
  type KnownAd,
} from '../../src/domain/attribution';
import { identifyClick } from '../../src/domain/tracking';
import { extractSessionSource } from '../../src/domain/visitors';

const FB_CLICK =
  'https://shop.test/p/spring?utm_source=facebook&utm_medium=paid&utm_campaign=Spring+Sale&hsa_acc=1234567890&hsa_cam=111' +
  '&hsa_grp=222&hsa_ad=5550001&hsa_net=facebook&hsa_src=instagram&hsa_ver=3&fbclid=IwAR0abc';
const GOOGLE_CLICK =
  'https://shop.test/p/x?utm_source=adwords&utm_medium=ppc&utm_campaign=Shoes&hsa_cam=901&hsa_grp=902&hsa_mt=e&hsa_src=g&hsa_ad=903' +
  '&hsa_acc=123-456-7890&hsa_net=adwords&hsa_kw=shoes&hsa_ver=3&gclid=Cj0KCQjw';
const LINKEDIN_CLICK =
  'https://shop.test/p/w?utm_source=linkedin&utm_medium=paid&utm_campaign=Webinar&hsa_net=linkedin&hsa_ver=3&hsa_acc=507404993' +
  '&hsa_cam=77&hsa_grp=123&hsa_ad=172681003';

const ON_SINCE_JAN = [{ at: '2026-01-01T00:00:00.000Z', enabled: true }];

const facebookAd: KnownAd = {
  network: 'facebook',
  accountId: 'act_1234567890',
  campaignId: '111',
  adGroupId: '222',
  adId: '5550001',
  trackedSince: '2026-02-01T00:00:00.000Z',
  autoTrackingHistory: ON_SINCE_JAN,
};
const googleAd: KnownAd = {
  network: 'google',
  accountId: '1234567890',
  campaignId: '901',
  adGroupId: '902',
  adId: '902~903',
  trackedSince: '2026-02-01T00:00:00.000Z',
  autoTrackingHistory: ON_SINCE_JAN,
};
const linkedInAd: KnownAd = {
  network: 'linkedin',
  accountId: 'urn:li:sponsoredAccount:507404993',
  campaignId: 'urn:li:sponsoredCampaign:123',
  adGroupId: 'urn:li:sponsoredCampaign:123',
  adId: 'urn:li:sponsoredCreative:172681003',
  trackedSince: '2026-02-01T00:00:00.000Z',
  autoTrackingHistory: ON_SINCE_JAN,
};

function session(id: string, startedAt: string, landingUrl: string): AttributionSession {
  return { id, startedAt, source: extractSessionSource(landingUrl) };
}

const CLICK_AT = '2026-03-10T10:00:00.000Z';
const input = (over: Partial<AttributionInput> = {}): AttributionInput => ({
  conversions: [{ at: '2026-03-10T10:05:00.000Z', sessionId: 's1' }],
  sessions: [session('s1', CLICK_AT, FB_CLICK)],
  knownAds: [facebookAd, googleAd, linkedInAd],
  ...over,
});

describe('ATT-1 attribution of web conversions to ad clicks', () => {
  it('ATT-1 a first conversion in the session a tracked Facebook ad click started is attributed to that ad (ATTRIBUTED)', () => {
    const decision = decideAdAttribution(input());
    expect(decision).toMatchObject({
      attributed: true,
      reason: 'ATTRIBUTED',
      sessionId: 's1',
      ad: { network: 'facebook', accountId: 'act_1234567890', campaignId: '111', adGroupId: '222', adId: '5550001', clickAt: CLICK_AT },
    });
    expect(decision.explanation).toMatch(/facebook ad 5550001 started the session/);
  });

  it('ATT-1 Google: hsa_acc with dashes and the adGroupId~adId form still find the ad', () => {
    const decision = decideAdAttribution(input({ sessions: [session('s1', CLICK_AT, GOOGLE_CLICK)] }));
    expect(decision).toMatchObject({ reason: 'ATTRIBUTED', ad: { network: 'google', accountId: '1234567890', campaignId: '901', adId: '902~903' } });
  });

  it('ATT-1 LinkedIn: urn ids match the plain hsa_* ids (campaign group → hsa_cam, campaign → hsa_grp, creative → hsa_ad)', () => {
    const decision = decideAdAttribution(input({ sessions: [session('s1', CLICK_AT, LINKEDIN_CLICK)] }));
    expect(decision).toMatchObject({ reason: 'ATTRIBUTED', ad: { network: 'linkedin', adId: 'urn:li:sponsoredCreative:172681003' } });
  });

  it('ATT-1 only the first conversion counts, even if later ones are listed first', () => {
    const decision = decideAdAttribution(
      input({
        conversions: [
          { at: '2026-03-12T09:00:00.000Z', sessionId: 's2' },
          { at: '2026-03-10T10:05:00.000Z', sessionId: 's1' },
        ],
        sessions: [session('s1', CLICK_AT, FB_CLICK), session('s2', '2026-03-12T08:55:00.000Z', 'https://shop.test/')],
      }),
    );
    expect(decision).toMatchObject({ reason: 'ATTRIBUTED', sessionId: 's1' });
  });

  it('ATT-1 a submission in a later session is not attributed (DIFFERENT_SESSION)', () => {
    const decision = decideAdAttribution(
      input({
        conversions: [{ at: '2026-03-11T09:05:00.000Z', sessionId: 's2' }],
        sessions: [session('s1', CLICK_AT, FB_CLICK), session('s2', '2026-03-11T09:00:00.000Z', 'https://shop.test/pricing')],
      }),
    );
    expect(decision).toMatchObject({
      attributed: false,
      reason: 'DIFFERENT_SESSION',
      sessionId: 's2',
      candidate: { network: 'facebook', adId: '5550001', sessionId: 's1', clickAt: CLICK_AT },
    });
    expect(decision.ad).toBeUndefined();
    expect(decision.explanation).toMatch(/later session/);
  });

  it('ATT-1 DIFFERENT_SESSION also when the ad click was in another browser of the same contact (cookies cleared)', () => {
    const decision = decideAdAttribution(
      input({
        conversions: [{ at: '2026-03-10T10:20:00.000Z', sessionId: 'laptop' }],
        sessions: [session('phone', CLICK_AT, FB_CLICK), session('laptop', '2026-03-10T10:15:00.000Z', 'https://shop.test/')],
      }),
    );
    expect(decision).toMatchObject({ reason: 'DIFFERENT_SESSION', candidate: { sessionId: 'phone' } });
  });

  it('ATT-1 an ad click after the first conversion is not attributed (NOT_FIRST_CONVERSION)', () => {
    const decision = decideAdAttribution(
      input({
        conversions: [
          { at: '2026-03-01T12:00:00.000Z', sessionId: 's0' },
          { at: '2026-03-10T10:05:00.000Z', sessionId: 's1' },
        ],
        sessions: [session('s0', '2026-03-01T11:50:00.000Z', 'https://shop.test/'), session('s1', CLICK_AT, FB_CLICK)],
      }),
    );
    expect(decision).toMatchObject({ attributed: false, reason: 'NOT_FIRST_CONVERSION', sessionId: 's0', candidate: { sessionId: 's1' } });
    expect(decision.explanation).toMatch(/only the first conversion/);
  });

  it('ATT-1 a first conversion in a session without ad parameters is not attributed (NO_AD_PARAMS)', () => {
    const decision = decideAdAttribution(input({ sessions: [session('s1', CLICK_AT, 'https://shop.test/p/x?utm_source=newsletter&utm_content=hero')] }));
    expect(decision).toMatchObject({ attributed: false, reason: 'NO_AD_PARAMS', sessionId: 's1' });
    expect(decision.candidate).toBeUndefined();
  });

  it('ATT-1 a gclid alone (auto-tagging without our template) does not say which ad (NO_AD_PARAMS, explained)', () => {
    const decision = decideAdAttribution(input({ sessions: [session('s1', CLICK_AT, 'https://shop.test/p/x?gclid=Cj0KCQjw')] }));
    expect(decision).toMatchObject({ reason: 'NO_AD_PARAMS' });
    expect(decision.explanation).toMatch(/gclid/);
  });

  it('ATT-1 parameters of an ad in no connected account are not attributed (UNKNOWN_AD)', () => {
    const decision = decideAdAttribution(input({ knownAds: [googleAd] }));
    expect(decision).toMatchObject({ attributed: false, reason: 'UNKNOWN_AD', candidate: { network: 'facebook', adId: '5550001' } });
  });

  it('ATT-1 hsa_* parameters that name no account or campaign are UNKNOWN_AD', () => {
    const decision = decideAdAttribution(input({ sessions: [session('s1', CLICK_AT, 'https://shop.test/?hsa_net=facebook&hsa_ver=3')] }));
    expect(decision).toMatchObject({ reason: 'UNKNOWN_AD' });
  });

  it('ATT-1 parameters whose ad id disagrees with the known ad are UNKNOWN_AD (a different ad in the same campaign)', () => {
    const decision = decideAdAttribution(input({ sessions: [session('s1', CLICK_AT, FB_CLICK.replace('hsa_ad=5550001', 'hsa_ad=5550999'))] }));
    expect(decision).toMatchObject({ reason: 'UNKNOWN_AD' });
  });
});

describe('ATT-2 the tracking cookie is required (apart from lead ads)', () => {
  it('ATT-2 a first conversion without the tracking cookie is not attributed (NO_COOKIE)', () => {
    const decision = decideAdAttribution(input({ conversions: [{ at: '2026-03-10T10:05:00.000Z' }] }));
    expect(decision).toMatchObject({ attributed: false, reason: 'NO_COOKIE' });
    expect(decision.explanation).toMatch(/tracking cookie/);
  });

  it('ATT-2 NO_COOKIE even when the same person clicked an ad in a tracked session before', () => {
    const decision = decideAdAttribution(input({ conversions: [{ at: '2026-03-10T10:05:00.000Z' }], sessions: [session('s1', CLICK_AT, FB_CLICK)] }));
    expect(decision.reason).toBe('NO_COOKIE');
  });

  it('ATT-2 a conversion pointing at an unknown session counts as without cookie', () => {
    expect(decideAdAttribution(input({ conversions: [{ at: '2026-03-10T10:05:00.000Z', sessionId: 'ghost' }] })).reason).toBe('NO_COOKIE');
  });

  it('a contact without any conversion (e.g. imported) has nothing to attribute (NO_CONVERSION)', () => {
    expect(decideAdAttribution(input({ conversions: [] }))).toMatchObject({ attributed: false, reason: 'NO_CONVERSION' });
  });
});

describe('ACC-5 only clicks made while auto-tracking was on, on a tracked ad, are attributed', () => {
  it('ACC-5 a click before auto-tracking was switched on is not attributed (AD_NOT_TRACKED_AT_CLICK)', () => {
    const ad = { ...facebookAd, autoTrackingHistory: [{ at: '2026-03-10T10:00:01.000Z', enabled: true }] };
    const decision = decideAdAttribution(input({ knownAds: [ad] }));
    expect(decision).toMatchObject({ attributed: false, reason: 'AD_NOT_TRACKED_AT_CLICK', candidate: { adId: '5550001' } });
    expect(decision.explanation).toMatch(/auto-tracking was off/);
  });

  it('ACC-5 a click while auto-tracking was switched off (parameters left on the ad, ACC-4) is not attributed', () => {
    const ad = {
      ...facebookAd,
      autoTrackingHistory: [
        { at: '2026-01-01T00:00:00.000Z', enabled: true },
        { at: '2026-03-05T00:00:00.000Z', enabled: false },
      ],
    };
    expect(decideAdAttribution(input({ knownAds: [ad] })).reason).toBe('AD_NOT_TRACKED_AT_CLICK');
  });

  it('ACC-5 a click after auto-tracking was switched back on is attributed', () => {
    const ad = {
      ...facebookAd,
      autoTrackingHistory: [
        { at: '2026-01-01T00:00:00.000Z', enabled: true },
        { at: '2026-03-05T00:00:00.000Z', enabled: false },
        { at: '2026-03-09T00:00:00.000Z', enabled: true },
      ],
    };
    expect(decideAdAttribution(input({ knownAds: [ad] })).reason).toBe('ATTRIBUTED');
  });

  it('ACC-5 a click exactly when auto-tracking was switched on counts', () => {
    const ad = { ...facebookAd, autoTrackingHistory: [{ at: CLICK_AT, enabled: true }], trackedSince: CLICK_AT };
    expect(decideAdAttribution(input({ knownAds: [ad] })).reason).toBe('ATTRIBUTED');
  });

  it('TRK-11 a click on an ad that was not tracked yet is not attributed', () => {
    const ad = { ...facebookAd, trackedSince: '2026-03-11T00:00:00.000Z' };
    const decision = decideAdAttribution(input({ knownAds: [ad] }));
    expect(decision).toMatchObject({ reason: 'AD_NOT_TRACKED_AT_CLICK' });
    expect(decision.explanation).toMatch(/before the ad was tracked \(tracked since 2026-03-11/);
  });

  it('TRK-11 a click on an ad that was never tracked (tracking error) is not attributed', () => {
    const decision = decideAdAttribution(input({ knownAds: [{ ...facebookAd, trackedSince: null }] }));
    expect(decision).toMatchObject({ reason: 'AD_NOT_TRACKED_AT_CLICK' });
    expect(decision.explanation).toMatch(/never was/);
  });
});

describe('ATT-3 lead-ad contacts are attributed to their ad directly', () => {
  const leadAd = {
    network: 'facebook' as const,
    accountId: 'act_1234567890',
    campaignId: '111',
    adGroupId: '222',
    adId: '5550001',
    submittedAt: '2026-03-14T08:49:14.000Z',
    organic: false,
  };

  it('ATT-3 a lead-ad contact is attributed to its ad without any cookie or session (LEAD_AD)', () => {
    const decision = decideAdAttribution({ conversions: [], sessions: [], knownAds: [], leadAd });
    expect(decision).toMatchObject({
      attributed: true,
      reason: 'LEAD_AD',
      ad: { network: 'facebook', accountId: 'act_1234567890', campaignId: '111', adGroupId: '222', adId: '5550001', clickAt: leadAd.submittedAt },
    });
  });

  it('ATT-3 lead-ad attribution does not depend on auto-tracking (lead forms sync for every ad type)', () => {
    const decision = decideAdAttribution({ conversions: [], sessions: [], knownAds: [{ ...facebookAd, autoTrackingHistory: [], trackedSince: null }], leadAd });
    expect(decision.reason).toBe('LEAD_AD');
  });

  it('ATT-3 a lead that came before the first web conversion wins', () => {
    const decision = decideAdAttribution(input({ leadAd: { ...leadAd, submittedAt: '2026-03-01T00:00:00.000Z', adId: '777' } }));
    expect(decision).toMatchObject({ reason: 'LEAD_AD', ad: { adId: '777' } });
  });

  it('ATT-3 an existing contact whose first conversion was on the web keeps its web attribution', () => {
    const decision = decideAdAttribution(input({ leadAd: { ...leadAd, adId: '777' } }));
    expect(decision).toMatchObject({ reason: 'ATTRIBUTED', ad: { adId: '5550001' } });
  });

  it('LEAD-3 an organic lead is not attributed to an ad (ORGANIC_LEAD)', () => {
    const { adId: _adId, ...organic } = leadAd;
    const decision = decideAdAttribution({ conversions: [], sessions: [], knownAds: [], leadAd: { ...organic, organic: true } });
    expect(decision).toMatchObject({ attributed: false, reason: 'ORGANIC_LEAD' });
  });

  it('ATT-3 a non-organic lead without an ad id (ad preview, missing rights) is UNKNOWN_AD', () => {
    const { adId: _adId, ...withoutAd } = leadAd;
    expect(decideAdAttribution({ conversions: [], sessions: [], knownAds: [], leadAd: withoutAd })).toMatchObject({ attributed: false, reason: 'UNKNOWN_AD' });
  });
});

describe('attribution inputs', () => {
  it('every reason code is covered by a case above', () => {
    expect([...ATTRIBUTION_REASONS].sort()).toEqual(
      [
        'AD_NOT_TRACKED_AT_CLICK',
        'ATTRIBUTED',
        'DIFFERENT_SESSION',
        'LEAD_AD',
        'NOT_FIRST_CONVERSION',
        'NO_AD_PARAMS',
        'NO_CONVERSION',
        'NO_COOKIE',
        'ORGANIC_LEAD',
        'UNKNOWN_AD',
      ].sort(),
    );
  });

  it('clickIdentitiesOf lists the distinct ads the sessions point at, for the caller to load', () => {
    const identities = clickIdentitiesOf([
      extractSessionSource(FB_CLICK),
      extractSessionSource(FB_CLICK),
      extractSessionSource(GOOGLE_CLICK),
      extractSessionSource('https://shop.test/'),
    ]);
    expect(identities.map((i) => `${i.network}:${i.adId}`)).toEqual(['facebook:5550001', 'google:903']);
  });

  it('findKnownAd: a Smart campaign click (no ad group or ad id) matches the campaign\'s ad and credits the campaign only', () => {
    const url = 'https://shop.test/?hsa_net=adwords&hsa_acc=1234567890&hsa_cam=901&hsa_ver=3';
    const identity = identifyClick(extractSessionSource(url).hsa)!;
    expect(findKnownAd(identity, [facebookAd, googleAd])).toBe(googleAd);
    const decision = decideAdAttribution(input({ sessions: [session('s1', CLICK_AT, url)] }));
    expect(decision).toMatchObject({ reason: 'ATTRIBUTED', ad: { network: 'google', campaignId: '901' } });
    expect(decision.ad).not.toHaveProperty('adId');
    expect(decision.ad).not.toHaveProperty('adGroupId');
  });

  it('findKnownAd never matches across networks or accounts', () => {
    const identity = identifyClick(extractSessionSource(FB_CLICK).hsa)!;
    expect(findKnownAd({ ...identity, network: 'google' }, [facebookAd])).toBeUndefined();
    expect(findKnownAd({ ...identity, accountId: '999' }, [facebookAd])).toBeUndefined();
  });
});
