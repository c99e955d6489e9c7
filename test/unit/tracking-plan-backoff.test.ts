import { describe, expect, it } from 'vitest';
import { planAdTracking } from '../../src/domain/tracking';
import type { StoredAdTrackingState } from '../../src/domain/tracking';
import type { AdRecord } from '../../src/networks/types';

/**
 * Issue 15 item 3 (TRK-11): a refused write is retried when its backoff says so — not at every sweep
 * that happens to list the ad again (incremental sweeps re-list ads changed in the last minutes).
 */
const UPDATED = '2026-03-01T00:00:00+0000';
const ad: AdRecord = {
  network: 'facebook',
  accountId: 'act_1',
  adId: '120001',
  name: 'Spring',
  status: 'active',
  rawStatus: 'ACTIVE',
  updatedTime: UPDATED,
  campaign: { id: '120200', name: 'Spring Sale' },
  adGroup: { id: '120100', name: 'Broad' },
  landingUrl: 'https://shop.test/p/spring',
  tracking: { network: 'facebook', creativeId: '120300', urlTags: '', format: 'link', isLeadAd: false, engagements: 0 },
};
const account = { autoTracking: true, isFirstSweep: false };
const refused: StoredAdTrackingState = {
  trackingStatus: 'error',
  reason: { code: 'NETWORK_REJECTED', message: 'The network rejected the write; it is retried.', retryable: true },
  firstSeenAt: '2026-03-14T09:00:00.000Z',
  retryNotBefore: '2026-03-14T10:00:00.000Z',
  networkUpdatedTime: UPDATED,
};

describe('issue15-3 TRK-11 retries honour the backoff', () => {
  it('before its retry time an unchanged ad waits: no write, same error', () => {
    const plan = planAdTracking(ad, account, refused, undefined, '2026-03-14T09:59:59.000Z');
    expect(plan).toMatchObject({ trackingStatus: 'error', waitingForRetry: true, reason: { code: 'NETWORK_REJECTED' } });
    expect(plan.write).toBeUndefined();
  });

  it('once the retry time has come the write is planned again', () => {
    const plan = planAdTracking(ad, account, refused, undefined, '2026-03-14T10:00:00.000Z');
    expect(plan.trackingStatus).toBe('pending');
    expect(plan.write).toBeDefined();
    expect(plan.waitingForRetry).toBeUndefined();
  });

  it('an ad edited at the network since is planned at once (the cause may be gone)', () => {
    const plan = planAdTracking({ ...ad, updatedTime: '2026-03-14T09:30:00+0000' }, account, refused, undefined, '2026-03-14T09:31:00.000Z');
    expect(plan.write).toBeDefined();
  });

  it('errors that are not retried by time (not retryable) are re-planned as before', () => {
    const plan = planAdTracking(ad, account, { ...refused, reason: { ...refused.reason!, retryable: false } }, undefined, '2026-03-14T09:30:00.000Z');
    expect(plan.waitingForRetry).toBeUndefined();
  });
});
