import { describe, expect, it } from 'vitest';
import { REP2_NOTE, buildAdsReport, decideAdAttribution, type AdAttributionRef } from '../../src/domain/attribution';
import { extractSessionSource } from '../../src/domain/visitors';
import type { AdDayMetrics } from '../../src/networks/types';

const ads = [
  { network: 'facebook' as const, accountId: 'act_1', adId: '5550001', name: 'Spring video', trackingStatus: 'tracked' },
  { network: 'facebook' as const, accountId: 'act_1', adId: '5550002', name: 'Messenger ad', trackingStatus: 'error', trackingReason: 'cannot be tracked' },
];
const metrics = (adId: string, date: string, conversions: number, spend = 1.1): AdDayMetrics => ({ adId, date, impressions: 100, clicks: 10, spend, conversions });

describe('REP-2 network conversions next to attributed contacts', () => {
  it('REP-2 one visitor submitting 10 times = 10 network conversions but 1 attributed contact', () => {
    // The visitor clicks the ad once and submits the form 10 times in that session.
    const click = 'https://shop.test/p?hsa_net=facebook&hsa_acc=1&hsa_cam=111&hsa_grp=222&hsa_ad=5550001&hsa_ver=3';
    const conversions = Array.from({ length: 10 }, (_, i) => ({ at: `2026-03-10T10:0${i}:30.000Z`, sessionId: 's1' }));
    const decision = decideAdAttribution({
      conversions,
      sessions: [{ id: 's1', startedAt: '2026-03-10T10:00:00.000Z', source: extractSessionSource(click) }],
      knownAds: [{ network: 'facebook', accountId: 'act_1', campaignId: '111', adGroupId: '222', adId: '5550001', trackedSince: '2026-03-01T00:00:00.000Z', autoTrackingHistory: [{ at: '2026-03-01T00:00:00.000Z', enabled: true }] }],
    });
    expect(decision.reason).toBe('ATTRIBUTED');
    // The caller stores one attribution per contact; the network counted every submission.
    const attributions: AdAttributionRef[] = [{ contactId: 'jane', adId: decision.ad!.adId!, clickAt: decision.ad!.clickAt }];
    const report = buildAdsReport({ network: 'facebook', accountId: 'act_1', ads, metrics: [metrics('5550001', '2026-03-10', 10)], attributions });
    expect(report.rows.find((r) => r.adId === '5550001')).toMatchObject({ networkConversions: 10, attributedContacts: 1 });
    expect(report.note).toBe(REP2_NOTE);
    expect(report.note).toMatch(/10 submissions are 1 contact/);
  });

  it('REP-2 attributed contacts are distinct people: the same contact listed twice counts once', () => {
    const report = buildAdsReport({
      network: 'facebook',
      accountId: 'act_1',
      ads,
      metrics: [],
      attributions: [
        { contactId: 'jane', adId: '5550001', clickAt: '2026-03-10T10:00:00.000Z' },
        { contactId: 'jane', adId: '5550001', clickAt: '2026-03-10T10:00:00.000Z' },
        { contactId: 'joe', adId: '5550001', clickAt: '2026-03-11T10:00:00.000Z' },
      ],
    });
    expect(report.rows.find((r) => r.adId === '5550001')?.attributedContacts).toBe(2);
    expect(report.totals.attributedContacts).toBe(2);
  });

  it('REP-1 every ad has a row, untracked ones included, with metrics summed over days and their tracking status', () => {
    const report = buildAdsReport({
      network: 'facebook',
      accountId: 'act_1',
      ads,
      metrics: [metrics('5550001', '2026-03-10', 3, 0.1), metrics('5550001', '2026-03-11', 4, 0.2), metrics('5550002', '2026-03-10', 2, 5)],
      attributions: [],
    });
    expect(report.rows).toEqual([
      { ...ads[1], impressions: 100, clicks: 10, spend: 5, networkConversions: 2, attributedContacts: 0 },
      { ...ads[0], impressions: 200, clicks: 20, spend: 0.3, networkConversions: 7, attributedContacts: 0 },
    ]);
    expect(report.totals).toEqual({ impressions: 300, clicks: 30, spend: 5.3, networkConversions: 9, attributedContacts: 0 });
  });

  it('REP-1 an ad known only from the network\'s metrics still gets a row', () => {
    const report = buildAdsReport({ network: 'facebook', accountId: 'act_1', ads: [], metrics: [metrics('999', '2026-03-10', 1)], attributions: [] });
    expect(report.rows).toEqual([
      { network: 'facebook', accountId: 'act_1', adId: '999', name: '999', trackingStatus: 'unknown', impressions: 100, clicks: 10, spend: 1.1, networkConversions: 1, attributedContacts: 0 },
    ]);
  });

  it('the range bounds metric days and attribution click dates (inclusive)', () => {
    const report = buildAdsReport({
      network: 'facebook',
      accountId: 'act_1',
      ads: [ads[0]!],
      metrics: [metrics('5550001', '2026-03-09', 5), metrics('5550001', '2026-03-10', 1), metrics('5550001', '2026-03-12', 7)],
      attributions: [
        { contactId: 'a', adId: '5550001', clickAt: '2026-03-09T23:59:59.000Z' },
        { contactId: 'b', adId: '5550001', clickAt: '2026-03-11T00:00:00.000Z' },
      ],
      range: { from: '2026-03-10', to: '2026-03-11' },
    });
    expect(report.rows[0]).toMatchObject({ networkConversions: 1, attributedContacts: 1 });
  });

  it('ad ids in different stored forms meet in one row (Google adGroupId~adId, LinkedIn urns)', () => {
    const report = buildAdsReport({
      network: 'google',
      accountId: '1234567890',
      ads: [{ network: 'google', accountId: '1234567890', adId: '902~903', name: 'RSA', trackingStatus: 'tracked' }],
      metrics: [metrics('903', '2026-03-10', 4)],
      attributions: [{ contactId: 'a', adId: '902~903', clickAt: '2026-03-10T10:00:00.000Z' }],
    });
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({ adId: '902~903', name: 'RSA', networkConversions: 4, attributedContacts: 1 });
  });
});
