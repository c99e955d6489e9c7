import { describe, expect, it } from 'vitest';
import { isNetworkError, NetworkError } from '../../src/networks/errors';
import { googleSignals, linkedinSignals, RateBudget, type BudgetStore } from '../../src/networks/budget';
import { PACE_AT_PERCENT, facebookSignals } from '../../src/networks/facebook/usage-signals';
import { sliceAt, SLICES_PER_WINDOW } from '../../src/networks/budget/policy';

/** The store's contract in memory: a lease is claimed once (as a unique `_id` insert is). */
function memoryStore(): BudgetStore & { inserts: number } {
  const leases = new Set<string>();
  const blocks = new Map<string, Date>();
  const store = {
    inserts: 0,
    async claimLease(key: string, slice: number, lease: number) {
      store.inserts += 1;
      const id = `${key}|${slice}|${lease}`;
      if (leases.has(id)) return false;
      leases.add(id);
      return true;
    },
    async dropLeasesBefore() {},
    async block(key: string, until: Date) {
      if ((blocks.get(key)?.getTime() ?? 0) < until.getTime()) blocks.set(key, until);
    },
    async activeBlocks(now: Date) {
      return [...blocks].filter(([, until]) => until > now).map(([key, until]) => ({ key, until }));
    },
  };
  return store;
}

const WINDOW_MS = 60_000;
const request = { network: 'facebook' as const, appKey: 'facebook:app:1', cost: 1 };

async function granted(budget: RateBudget, req: typeof request & { accountKey?: string }): Promise<boolean> {
  try {
    await budget.acquire(req);
    return true;
  } catch (error) {
    if (isNetworkError(error) && error.code === 'rate_budget') return false;
    throw error;
  }
}

describe('issue12 rate budget (pure parts and the shared bucket over a store)', () => {
  it('issue12 slices: any rolling window gets at most the limit, whatever its alignment', () => {
    const limit = { perWindow: 100, windowMs: WINDOW_MS };
    const slice = sliceAt(limit, 0);
    // A rolling window overlaps at most SLICES + 1 slices.
    expect(slice.tokens * (SLICES_PER_WINDOW + 1)).toBeLessThanOrEqual(limit.perWindow);
    expect(slice.leases * slice.leaseSize).toBeLessThanOrEqual(slice.tokens);
    expect(slice.leases).toBeLessThanOrEqual(10);
  });

  it('issue12 two workers sharing one store never grant more than the limit in any rolling window', async () => {
    let now = 1_000_000;
    const store = memoryStore();
    const options = { windowMs: WINDOW_MS, appCallsPerWindow: { facebook: 1000 }, maxWaitMs: 0, now: () => now };
    const workers = [new RateBudget(store, options), new RateBudget(store, options)];
    const grants: number[] = [];
    for (let step = 0; step < 400; step += 1) {
      now += 997; // steps unaligned with the slices, across several windows
      for (const worker of workers) for (let i = 0; i < 20; i += 1) if (await granted(worker, request)) grants.push(now);
    }
    for (const at of grants) expect(grants.filter((t) => t > at - WINDOW_MS && t <= at).length).toBeLessThanOrEqual(1000);
    // Used, not starved: at least the slices' share of each window.
    expect(grants.length).toBeGreaterThan(((400 * 997) / WINDOW_MS - 1) * 800);
    // Leases, not calls, cost a store round trip.
    expect(store.inserts).toBeLessThan(grants.length / 5);
  });

  it('issue12 over budget with a wait past the bound: a retryable rate_limited error carrying the wait', async () => {
    const now = 0;
    const budget = new RateBudget(memoryStore(), { windowMs: WINDOW_MS, appCallsPerWindow: { facebook: 5 }, maxWaitMs: 0, now: () => now });
    expect(await granted(budget, request)).toBe(true);
    const error = await budget.acquire(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).kind).toBe('rate_limited');
    expect((error as NetworkError).retryable).toBe(true);
    expect((error as NetworkError).retryAfterMs).toBe(WINDOW_MS / SLICES_PER_WINDOW);
  });

  it('issue12 a throttled account waits; the other accounts and the app go on; other workers learn it from the store', async () => {
    let now = 0;
    const store = memoryStore();
    const options = { windowMs: WINDOW_MS, appCallsPerWindow: { facebook: 10_000 }, maxWaitMs: 0, now: () => now, blockRefreshMs: 0 };
    const first = new RateBudget(store, options);
    const second = new RateBudget(store, options);
    await first.observe('facebook', { appKey: request.appKey, accountKey: (id) => `facebook:account:${id}` }, [{ scope: 'account', accountId: '42', waitMs: 60_000 }]);
    for (const worker of [first, second]) {
      expect(await granted(worker, { ...request, accountKey: 'facebook:account:42' })).toBe(false);
      expect(await granted(worker, { ...request, accountKey: 'facebook:account:43' })).toBe(true);
      expect(await granted(worker, request)).toBe(true);
    }
    now += 60_001;
    expect(await granted(second, { ...request, accountKey: 'facebook:account:42' })).toBe(true);
  });

  it('issue12 P3 an account score near its max paces the account to the decay rate instead of running into the block (Meta §9.3, §9.4)', () => {
    const headers = (h: Record<string, string>) => (name: string) => h[name];
    const buc = (pct: number, regain = 0) => JSON.stringify({ '42': [{ type: 'ads_management', call_count: pct, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: regain }] });
    // Below the pacing share: go.
    expect(facebookSignals({ header: headers({ 'x-business-use-case-usage': buc(PACE_AT_PERCENT) }), windowMs: WINDOW_MS })).toEqual([]);
    // 2 points of percent past it: the time 2 % of the score takes to decay (§9.4: the whole max over 300 s).
    expect(facebookSignals({ header: headers({ 'x-business-use-case-usage': buc(PACE_AT_PERCENT + 2) }), windowMs: WINDOW_MS })).toEqual([
      { scope: 'account', accountId: '42', waitMs: 6_000 },
    ]);
    // The call's own account header is finer (hundredths) and says how fast the score decays: 98.5 % resets in 30 s → the max in 30.46 s.
    const own = JSON.stringify({ acc_id_util_pct: PACE_AT_PERCENT + 1.5, reset_time_duration: 30, ads_api_access_tier: 'standard_access' });
    expect(facebookSignals({ header: headers({ 'x-ad-account-usage': own }), windowMs: WINDOW_MS })).toEqual([
      { scope: 'account', waitMs: Math.ceil(0.015 * ((30 * 1000 * 100) / (PACE_AT_PERCENT + 1.5))) },
    ]);
    // A block already announced wins over pacing.
    expect(facebookSignals({ header: headers({ 'x-business-use-case-usage': buc(100, 1) }), windowMs: WINDOW_MS })).toEqual([{ scope: 'account', accountId: '42', waitMs: 60_000 }]);
  });

  it('issue12 usage headers and throttle answers become waits (Meta §9.3, Google §7.1, LinkedIn §6)', () => {
    const headers = (h: Record<string, string>) => (name: string) => h[name];
    const none = headers({});
    expect(facebookSignals({ header: headers({ 'x-app-usage': '{"call_count":80,"total_cputime":10,"total_time":10}' }), windowMs: WINDOW_MS })).toEqual([
      { scope: 'app', waitMs: Math.round((WINDOW_MS / SLICES_PER_WINDOW) * 0.2) },
    ]);
    // The pause grows with the usage: none at the threshold, a whole quarter window just short of the limit.
    expect(facebookSignals({ header: headers({ 'x-app-usage': '{"call_count":75}' }), windowMs: WINDOW_MS })).toEqual([]);
    expect(facebookSignals({ header: headers({ 'x-app-usage': '{"call_count":99}' }), windowMs: WINDOW_MS })).toEqual([
      { scope: 'app', waitMs: Math.round((WINDOW_MS / SLICES_PER_WINDOW) * 0.96) },
    ]);
    expect(facebookSignals({ header: headers({ 'x-app-usage': '{"call_count":40}' }), windowMs: WINDOW_MS })).toEqual([]);
    const code4 = new NetworkError('facebook', { kind: 'rate_limited', code: '4', message: 'app limit' });
    expect(facebookSignals({ header: none, error: code4, windowMs: WINDOW_MS })).toEqual([{ scope: 'app', waitMs: WINDOW_MS }]);
    const buc = '{"66782684":[{"type":"ads_management","call_count":100,"estimated_time_to_regain_access":2}],"5":[{"type":"ads_management","call_count":9,"estimated_time_to_regain_access":0}]}';
    expect(facebookSignals({ header: headers({ 'x-business-use-case-usage': buc }), windowMs: WINDOW_MS })).toEqual([{ scope: 'account', accountId: '66782684', waitMs: 120_000 }]);

    const daily = new NetworkError('google', { kind: 'rate_limited', code: 'RESOURCE_EXHAUSTED', message: 'daily', retryAfterMs: 3_600_000 });
    const perCustomer = new NetworkError('google', { kind: 'rate_limited', code: 'RESOURCE_TEMPORARILY_EXHAUSTED', message: 'rate', retryAfterMs: 30_000 });
    expect(googleSignals({ header: none, error: daily, windowMs: WINDOW_MS })).toEqual([{ scope: 'app', waitMs: 3_600_000 }]);
    expect(googleSignals({ header: none, error: perCustomer, windowMs: WINDOW_MS })).toEqual([{ scope: 'account', waitMs: 30_000 }]);
    const throttled = new NetworkError('linkedin', { kind: 'rate_limited', code: 'HTTP_429', message: 'throttled', httpStatus: 429 });
    expect(linkedinSignals({ header: none, error: throttled, windowMs: WINDOW_MS })).toEqual([{ scope: 'account', waitMs: 60_000 }]);
    expect(linkedinSignals({ header: none, windowMs: WINDOW_MS })).toEqual([]);
  });
});
