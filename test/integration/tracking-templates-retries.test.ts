import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, useStack } from '../support/stack';
import { useSandboxes } from '../support/sandboxes';
import { clickAd, connectAccount, connectNetwork, expectNoDuplicateKeys, getAd, listAds, sweepNow, waitForSweeps } from '../support/tracking-helpers';

/**
 * TRK-9 (template override per network) and TRK-11 (errored ads resume by themselves: a fixed
 * landing URL, and transient per-item write failures retried with backoff) on Facebook.
 */

const RETRY_BASE_SECONDS = 2;

describe('Template override and self-healing errors', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({
    env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2', TRACKING_RETRY_BASE_SECONDS: String(RETRY_BASE_SECONDS) }),
  });
  const fb = () => sandboxes.control('facebook');
  let seeded: any;
  let connectionId: string;

  beforeAll(async () => {
    seeded = await sandboxes.seed('facebook', { seed: 4031, accounts: 3, adsPerAccount: 12 });
    connectionId = (await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle)).id;
  });

  it('TRK-9 an override of utm_source / utm_medium is used for ads tagged afterwards; tagged ads keep theirs', async () => {
    const accountId = seeded.accounts[0].id;
    const key = `facebook:${accountId}`;
    expect((await stack.request('GET', '/api/tracking-templates/facebook')).body).toMatchObject({ network: 'facebook', utmSource: null, utmMedium: null });
    await connectAccount(stack, connectionId, accountId);
    await waitForSweeps(stack, key, 1);
    const before = (await listAds(stack, key, 'tracked')).filter((ad) => ad.appliedParams.utm_source === 'facebook');
    expect(before.length).toBeGreaterThan(0);
    const tagsBefore = new Map(((await fb().get('/_sandbox/state')).ads as { id: string; urlTags: string }[]).map((ad) => [ad.id, ad.urlTags]));

    expect((await stack.request('PUT', '/api/tracking-templates/facebook', { utmSource: 'a b' })).status).toBe(400);
    expect((await stack.request('PUT', '/api/tracking-templates/tiktok', { utmSource: 'x' })).status).toBe(400);
    const put = await stack.request('PUT', '/api/tracking-templates/facebook', { utmSource: 'meta', utmMedium: 'paid-social' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ network: 'facebook', utmSource: 'meta', utmMedium: 'paid-social' });
    expect((await stack.request('GET', '/api/tracking-templates/facebook')).body).toMatchObject({ utmSource: 'meta', utmMedium: 'paid-social' });
    expect((await stack.request('GET', '/api/tracking-templates/google')).body).toMatchObject({ utmSource: null, utmMedium: null });

    const created = await fb().post('/_sandbox/ads', { accountId, kind: 'link', status: 'ACTIVE', name: 'After the override' });
    const click = await eventually(async () => {
      const url = await clickAd(sandboxes, 'facebook', created.id);
      return url.searchParams.has('hsa_ad') ? url : undefined;
    }, { what: 'the new ad to be tagged' });
    expect(click.searchParams.get('utm_source')).toBe('meta');
    expect(click.searchParams.get('utm_medium')).toBe('paid-social');
    expectNoDuplicateKeys(click.search, 'override');
    // A full re-sweep leaves the earlier tags as they were.
    await sweepNow(stack, key, { full: true });
    const state = (await fb().get('/_sandbox/state')).ads as { id: string; urlTags: string }[];
    for (const ad of before) {
      expect(state.find((a) => a.id === ad.adId)?.urlTags).toBe(tagsBefore.get(ad.adId));
      expect((await clickAd(sandboxes, 'facebook', ad.adId)).searchParams.get('utm_source')).toBe('facebook');
    }
    // Clearing the override goes back to the defaults for later ads.
    expect((await stack.request('PUT', '/api/tracking-templates/facebook', { utmSource: null, utmMedium: null })).body).toMatchObject({ utmSource: null, utmMedium: null });
  });

  it('TRK-11 an ad whose landing URL stops redirecting is tagged by itself', async () => {
    const accountId = seeded.accounts[1].id;
    const key = `facebook:${accountId}`;
    const landing = sandboxes.running.urls.landing;
    const redirecting = await fb().post('/_sandbox/ads', { accountId, kind: 'link', status: 'ACTIVE', landingUrl: `${landing}/r/old-offer` });
    await connectAccount(stack, connectionId, accountId);
    await waitForSweeps(stack, key, 1);
    const errored = await getAd(stack, `facebook:${redirecting.id}`);
    expect(errored).toMatchObject({ trackingStatus: 'error', error: { code: 'REDIRECTING_URL', retryable: false } });
    expect(errored.error?.message).toContain('redirects');

    await fb().post(`/_sandbox/ads/${redirecting.id}/landing-url`, { url: `${landing}/p/new-offer` });
    const fixed = await eventually(async () => {
      const ad = await getAd(stack, `facebook:${redirecting.id}`);
      return ad.trackingStatus === 'tracked' ? ad : undefined;
    }, { what: 'the fixed ad to be tagged' });
    expect(fixed.error).toBeNull();
    const click = await clickAd(sandboxes, 'facebook', redirecting.id);
    expect(click.pathname).toBe('/p/new-offer');
    expect(click.searchParams.get('hsa_ad')).toBe(redirecting.id);
    expect(fixed.audit.map((entry) => [entry.action, entry.reason?.code ?? null])).toEqual([
      ['applied', null],
      ['error', 'REDIRECTING_URL'],
    ]);
  });

  it('TRK-11 writes the network rejects transiently become NETWORK_REJECTED, are retried with backoff, and succeed by themselves', async () => {
    const accountId = seeded.accounts[2].id;
    const key = `facebook:${accountId}`;
    await fb().put('/_sandbox/faults', { batchItemFailureRate: 1 });
    try {
      await connectAccount(stack, connectionId, accountId);
      const retried = await eventually(async () => {
        const docs = await stack.db.models.Ad.find({ accountKey: key, 'reason.code': 'NETWORK_REJECTED' }).lean();
        return docs.length > 0 && docs.every((doc) => doc.attempts >= 3) ? docs : undefined;
      }, { timeoutMs: 40_000, what: 'three failed attempts' });
      for (const doc of retried) {
        expect(doc.trackingStatus).toBe('error');
        expect(doc.reason?.retryable).toBe(true);
        // Exponential backoff: base × 2^(attempts − 1) after the last check.
        expect(doc.nextRetryAt!.getTime() - doc.lastCheckedAt.getTime()).toBe(RETRY_BASE_SECONDS * 1000 * 2 ** (doc.attempts - 1));
      }
      const apiAd = await getAd(stack, retried[0]!._id);
      expect(apiAd.error?.code).toBe('NETWORK_REJECTED');
      expect(apiAd.error?.message).toMatch(/rejected/i);
      expect(apiAd.nextRetryAt).toBeTruthy();
      // Nothing reached the ads meanwhile.
      for (const doc of retried) expect((await clickAd(sandboxes, 'facebook', doc.adId)).searchParams.has('hsa_ad')).toBe(false);
    } finally {
      await fb().put('/_sandbox/faults', { batchItemFailureRate: 0 });
    }
    const healed = await eventually(async () => {
      const errors = await listAds(stack, key, 'error');
      return errors.every((ad) => ad.error?.code !== 'NETWORK_REJECTED') ? await listAds(stack, key, 'tracked') : undefined;
    }, { timeoutMs: 40_000, what: 'the retried ads to be tagged' });
    expect(healed.length).toBeGreaterThan(0);
    for (const ad of healed) {
      const click = await clickAd(sandboxes, 'facebook', ad.adId);
      expect(click.searchParams.get('hsa_ad')).toBe(ad.adId);
      expectNoDuplicateKeys(click.search, `ad ${ad.adId}`);
      expect(ad.nextRetryAt).toBeNull();
    }
  });
});
