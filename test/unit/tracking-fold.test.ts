import { describe, expect, it } from 'vitest';
import { foldWrites, networkRejected, planAdTracking, settleWriteResults } from '../../src/domain/tracking';
import type { AccountTrackingContext } from '../../src/domain/tracking';
import type { AdRecord, GoogleAdTracking, NetworkErrorInfo } from '../../src/networks/types';
import { facebookAd, untaggedGoogleTracking } from '../support/ad-fixtures';

const account: AccountTrackingContext = { autoTracking: true, isFirstSweep: false, linkedInCreativeToken: 'TOKEN' };

function googleAd(adId: string, campaignId: string, tracking: Partial<GoogleAdTracking> = {}, landingUrl = 'https://shop.test/p/x'): AdRecord {
  return {
    network: 'google',
    accountId: '1234567890',
    adId,
    name: adId,
    status: 'active',
    rawStatus: 'ENABLED',
    updatedTime: '2026-03-01T00:00:00Z',
    campaign: { id: campaignId, name: `Campaign ${campaignId}` },
    adGroup: { id: `g${campaignId}`, name: 'g' },
    landingUrl,
    tracking: untaggedGoogleTracking(tracking),
  };
}

function linkedInAd(adId: string, campaignId: string): AdRecord {
  return {
    network: 'linkedin',
    accountId: '507404993',
    adId,
    name: adId,
    status: 'active',
    rawStatus: 'ACTIVE',
    updatedTime: '2026-03-01T00:00:00Z',
    campaign: { id: campaignId, name: 'Webinar' },
    adGroup: { id: campaignId, name: 'Webinar' },
    landingUrl: 'https://shop.test/p/webinar',
    tracking: { network: 'linkedin', format: 'SPONSORED_UPDATE', campaignGroupId: '9', campaignUrlParameters: [] },
  };
}

const plan = (ad: AdRecord) => planAdTracking(ad, account);

describe('TRK-5 Google writes fold to one per campaign', () => {
  it('three ads of one campaign → one write; every ad points at it', () => {
    const { plans, writes } = foldWrites([googleAd('a1', '111'), googleAd('a2', '111'), googleAd('a3', '111')].map(plan));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ network: 'google', key: 'google:campaign:111', campaignId: '111' });
    expect(plans.map((p) => p.writeKey)).toEqual(['google:campaign:111', 'google:campaign:111', 'google:campaign:111']);
    expect(plans.every((p) => p.write === undefined && p.trackingStatus === 'pending')).toBe(true);
  });

  it('two campaigns → two writes, in first-seen order', () => {
    const { writes } = foldWrites([googleAd('a1', '111'), googleAd('b1', '222'), googleAd('a2', '111')].map(plan));
    expect(writes.map((write) => write.key)).toEqual(['google:campaign:111', 'google:campaign:222']);
  });

  it('TRK-6 a campaign with TEMPLATE_WITHOUT_LPURL gets no write', () => {
    const bad = { campaignTrackingUrlTemplate: 'https://clicks.test/?u={lpurl}' };
    const { plans, writes } = foldWrites([googleAd('a1', '111', bad), googleAd('a2', '111', bad), googleAd('b1', '222')].map(plan));
    expect(writes.map((write) => write.key)).toEqual(['google:campaign:222']);
    expect(plans.slice(0, 2).map((p) => p.reason?.code)).toEqual(['TEMPLATE_WITHOUT_LPURL', 'TEMPLATE_WITHOUT_LPURL']);
  });

  it('TRK-6 when campaign data disagree, any TEMPLATE_WITHOUT_LPURL blocks the campaign and the would-be writers report it', () => {
    const bad = { campaignTrackingUrlTemplate: 'https://clicks.test/?u={lpurl}' };
    const { plans, writes } = foldWrites([googleAd('a1', '111'), googleAd('a2', '111', bad)].map(plan));
    expect(writes).toEqual([]);
    expect(plans[0]).toMatchObject({ trackingStatus: 'error', reason: { code: 'TEMPLATE_WITHOUT_LPURL' }, nextState: { trackingStatus: 'error' } });
    expect(plans[0]?.writeKey).toBeUndefined();
    expect(plans[0]?.appliedParams).toBeUndefined();
  });

  it('TRK-6 an ad with tracking set below campaign is an error, its siblings still get the campaign write', () => {
    const { plans, writes } = foldWrites(
      [googleAd('a1', '111', { adTrackingUrlTemplate: '{lpurl}?mine=1' }), googleAd('a2', '111')].map(plan),
    );
    expect(writes.map((write) => write.key)).toEqual(['google:campaign:111']);
    expect(plans[0]).toMatchObject({ trackingStatus: 'error', reason: { code: 'TRACKING_SET_BELOW_CAMPAIGN' } });
    expect(plans[0]?.writeKey).toBeUndefined();
    expect(plans[1]).toMatchObject({ trackingStatus: 'pending', writeKey: 'google:campaign:111' });
  });

  it('a campaign where every ad errors (e.g. shortened URLs) gets no write', () => {
    const { writes } = foldWrites([googleAd('a1', '111', {}, 'https://bit.ly/x'), googleAd('a2', '111', {}, 'https://bit.ly/y')].map(plan));
    expect(writes).toEqual([]);
  });

  it('tracked ads need no write', () => {
    const tagged = plan(googleAd('a1', '111'));
    if (tagged.write?.network !== 'google') throw new Error('google');
    const ad = googleAd('a1', '111', {
      campaignTrackingUrlTemplate: tagged.write.trackingUrlTemplate,
      campaignCustomParameters: tagged.write.urlCustomParameters,
    });
    expect(foldWrites([plan(ad)]).writes).toEqual([]);
  });
});

describe('TRK-8 LinkedIn writes fold to one per campaign, TRK-2 Facebook writes stay per ad', () => {
  it('LinkedIn: creatives of one campaign share one write', () => {
    const { writes, plans } = foldWrites([linkedInAd('1', '42'), linkedInAd('2', '42'), linkedInAd('3', '43')].map(plan));
    expect(writes.map((write) => write.key)).toEqual(['linkedin:campaign:42', 'linkedin:campaign:43']);
    expect(plans.map((p) => p.writeKey)).toEqual(['linkedin:campaign:42', 'linkedin:campaign:42', 'linkedin:campaign:43']);
  });

  it('Facebook: one write per ad, even in the same campaign', () => {
    const { writes } = foldWrites([facebookAd('1'), facebookAd('2')].map(plan));
    expect(writes.map((write) => write.key)).toEqual(['facebook:ad:1', 'facebook:ad:2']);
  });

  it('mixed networks with equal campaign ids do not collide', () => {
    const { writes } = foldWrites([plan(googleAd('a', '42')), plan(linkedInAd('b', '42'))]);
    expect(writes).toHaveLength(2);
  });
});

describe('TRK-11/TRK-12 write results settle the ads', () => {
  const failure = (kind: NetworkErrorInfo['kind']): NetworkErrorInfo => ({ kind, code: 'X1', message: 'boom', httpStatus: 400 });

  it('a successful campaign write marks every ad of the campaign tracked', () => {
    const { plans } = foldWrites([googleAd('a1', '111'), googleAd('a2', '111')].map(plan));
    const settled = settleWriteResults(plans, [{ key: 'google:campaign:111', ok: true }]);
    expect(settled.map((p) => p.trackingStatus)).toEqual(['tracked', 'tracked']);
    expect(settled[0]?.nextState.trackingStatus).toBe('tracked');
  });

  it('a rejected write is NETWORK_REJECTED; retryable only for rate limits and transient failures', () => {
    const { plans } = foldWrites([facebookAd('1'), facebookAd('2'), facebookAd('3')].map(plan));
    const settled = settleWriteResults(plans, [
      { key: 'facebook:ad:1', ok: false, error: failure('invalid') },
      { key: 'facebook:ad:2', ok: false, error: failure('rate_limited') },
      { key: 'facebook:ad:3', ok: false, error: failure('transient') },
    ]);
    expect(settled.map((p) => [p.reason?.code, p.reason?.retryable])).toEqual([
      ['NETWORK_REJECTED', false],
      ['NETWORK_REJECTED', true],
      ['NETWORK_REJECTED', true],
    ]);
    expect(settled[0]?.nextState).toMatchObject({ trackingStatus: 'error', reason: { code: 'NETWORK_REJECTED' } });
    expect(settled[0]?.reason?.message).toContain('X1');
  });

  it('an ad without a result stays pending; errors and tracked ads are untouched', () => {
    const { plans } = foldWrites([facebookAd('1'), { ...facebookAd('2'), landingUrl: 'https://bit.ly/z' }].map(plan));
    const settled = settleWriteResults(plans, []);
    expect(settled).toEqual(plans);
  });

  it('networkRejected builds the reason from a client error', () => {
    const reason = networkRejected({ kind: 'permission', code: '200', message: 'Permissions error' });
    expect(reason).toEqual({
      code: 'NETWORK_REJECTED',
      message: 'The network rejected the tracking change (200): Permissions error',
      retryable: false,
      networkError: { kind: 'permission', code: '200', message: 'Permissions error' },
    });
  });
});
