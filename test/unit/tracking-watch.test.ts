import { describe, expect, it } from 'vitest';
import { changeFingerprints, hasUnseenChanges, sameFingerprints } from '../../src/domain/tracking/changes';
import type { AccountLiveState, AccountWorkflowSettings } from '../../workflows/account-definitions';
import { nextSweepAt, wantsWatcher } from '../../workflows/account-schedule';
import { facebookAd } from '../support/ad-fixtures';

describe('issue12 the ads watcher wakes an account only for changes it has not seen', () => {
  it('the same ads in an overlapping window are no change, whatever change time the network reports (Google: the listing time)', () => {
    const first = changeFingerprints([facebookAd('1'), facebookAd('2')], false);
    const again = changeFingerprints([facebookAd('2', { updatedTime: '2026-03-01T00:00:30Z' }), facebookAd('1')], false);
    expect(hasUnseenChanges(first, again)).toBe(false);
    expect(sameFingerprints(first, again)).toBe(true);
  });

  it('a new ad, or an ad whose content changed, is a change; ads leaving the window are not', () => {
    const first = changeFingerprints([facebookAd('1'), facebookAd('2')], false);
    expect(hasUnseenChanges(first, changeFingerprints([facebookAd('1'), facebookAd('3')], false))).toBe(true);
    expect(hasUnseenChanges(first, changeFingerprints([facebookAd('1', { landingUrl: 'https://shop.test/p/summer' })], false))).toBe(true);
    const dropped = changeFingerprints([facebookAd('1')], false);
    expect(hasUnseenChanges(first, dropped)).toBe(false);
    expect(sameFingerprints(first, dropped)).toBe(false);
  });

  it('a first look at an account wakes it for any change in the window; an empty window never does', () => {
    expect(hasUnseenChanges(undefined, changeFingerprints([facebookAd('1')], false))).toBe(true);
    expect(hasUnseenChanges(undefined, changeFingerprints([], false))).toBe(false);
    expect(sameFingerprints(undefined, [])).toBe(true);
  });

  it('a window of more than one page is always a change (the sweep pages through it)', () => {
    const full = changeFingerprints([facebookAd('1')], true);
    expect(hasUnseenChanges(full, full)).toBe(true);
  });
});

describe('issue12 a watched account schedules only what the watcher cannot see', () => {
  const settings: AccountWorkflowSettings = { sweepIntervalSeconds: 30, idleSweepSeconds: 3600, fullSweepIntervalSeconds: 7200, metricsIntervalSeconds: 5400, metricsLookbackDays: 3 };
  const now = Date.parse('2026-03-01T12:00:00Z');
  const at = (ms: number) => new Date(ms).toISOString();
  const state = (over: Partial<AccountLiveState> = {}): AccountLiveState => ({
    network: 'facebook',
    externalId: 'act_1',
    status: 'active',
    autoTracking: true,
    firstSweepDone: true,
    counts: { tracked: 0, pending: 0, error: 0, excluded: 0 },
    sweeps: 1,
    generation: 0,
    lastFullSweepAt: at(now),
    lastMetricsSyncAt: at(now),
    ...over,
  });

  it('polling: every sweep interval; watched: the idle safety net', () => {
    expect(nextSweepAt(state(), settings, now, false)).toBe(at(now + 30_000));
    expect(nextSweepAt(state(), settings, now, true)).toBe(at(now + 3_600_000));
  });

  it('an errored ad’s retry, the metrics sync and the full re-sweep come first when they are due sooner', () => {
    expect(nextSweepAt(state({ nextRetryAt: at(now + 60_000) }), settings, now, true)).toBe(at(now + 60_000));
    expect(nextSweepAt(state({ lastMetricsSyncAt: at(now - 5_000_000) }), settings, now, true)).toBe(at(now + 400_000));
    expect(nextSweepAt(state({ lastFullSweepAt: at(now - 7_000_000) }), settings, now, true)).toBe(at(now + 200_000));
    expect(nextSweepAt(state({ nextRetryAt: at(now - 1) }), settings, now, true)).toBe(at(now));
  });

  it('a watcher only for idle periods longer than the interval; runs from before it rest a full-sweep period', () => {
    expect(wantsWatcher(settings)).toBe(true);
    expect(wantsWatcher({ ...settings, idleSweepSeconds: 30 })).toBe(false);
    const { idleSweepSeconds: _absent, ...older } = settings;
    expect(wantsWatcher(older)).toBe(true);
    expect(nextSweepAt(state({ lastFullSweepAt: at(now + 10_000_000), lastMetricsSyncAt: at(now + 10_000_000) }), older, now, true)).toBe(at(now + 7_200_000));
  });
});
