/** Sandbox contract: the seeded world (§11), OAuth and tokens (§1), listing and paging (§0, §2). */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  FACEBOOK_SANDBOX_APP,
  type GraphErrorEnvelope,
  type GraphListBody,
} from '../../src/sandboxes/facebook';
import { account, adOfKind, control, reseed, seed, token, type AdRow, useFacebookContract } from './support/facebook-contract';

const REDIRECT = 'https://app.example/oauth/facebook/callback';
const DELIVERABLE = ['ACTIVE', 'PENDING_REVIEW', 'IN_PROCESS'];
const APP = { client_id: FACEBOOK_SANDBOX_APP.id, client_secret: FACEBOOK_SANDBOX_APP.secret };

useFacebookContract();

describe('§11 seeded world', () => {
  it('covers every ad kind, every seeded status, engagement-capped ads and advertiser url_tags', () => {
    expect(Object.values(seed.ads.byKind).every((ids) => ids.length === 4)).toBe(true);
    expect(Object.keys(seed.ads.byStatus).sort()).toEqual(['ACTIVE', 'IN_PROCESS', 'PAUSED', 'PENDING_REVIEW', 'WITH_ISSUES']);
    expect(seed.ads.engagementCapped.length).toBeGreaterThan(0);
    expect(seed.ads.withAdvertiserUrlTags.length).toBeGreaterThan(0);
    expect(seed.accounts.map((a) => a.businessId === null)).toEqual([false, true]);
  });

  it('uses landing URLs of every kind (page, redirect, upgrade, shortener, fragment, own UTMs)', async () => {
    const state = (await control.state()) as { ads: { landingUrl: string | null }[] };
    const urls = state.ads.map((ad) => ad.landingUrl ?? '');
    for (const pattern of [/\/p\/[^#?]+$/, /\/r\//, /\/upgrade\//, /^https:\/\/(bit\.ly|tinyurl\.com|ow\.ly)\//, /#offer$/, /\?utm_source=newsletter&utm_content=hero$/]) {
      expect(urls.some((url) => pattern.test(url)), String(pattern)).toBe(true);
    }
  });

  it('is deterministic for a seed number', async () => {
    const again = await control.seed({ seed: 42, accounts: 2, adsPerAccount: 12, landingBaseUrl: 'http://127.0.0.1:4567' });
    expect(again.ads).toEqual(seed.ads);
    await reseed();
  });
});

describe('§1 OAuth and tokens', () => {
  const exchange = (params: Record<string, string>) => control.graph<GraphErrorEnvelope & { access_token: string; expires_in: number }>('GET', '/v25.0/oauth/access_token', { ...APP, ...params });

  it('§1.2 a code exchanges once for a bearer token; reuse is 100/36009 with WWW-Authenticate', async () => {
    const code = await control.issueCode({ user: seed.user.handle, redirectUri: REDIRECT });
    const first = await exchange({ code, redirect_uri: REDIRECT });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'bearer', expires_in: expect.any(Number) as number });
    const reuse = await exchange({ code, redirect_uri: REDIRECT });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toMatchObject({ code: 100, error_subcode: 36009, type: 'OAuthException', message: 'This authorization code has been used.' });
    expect(reuse.body.error.fbtrace_id).toEqual(expect.any(String));
    expect(reuse.headers.get('www-authenticate')).toContain('invalid_code');
  });

  it('§1.2 a redirect_uri that differs from the dialog one is 100/36008', async () => {
    const code = await control.issueCode({ user: seed.user.handle, redirectUri: REDIRECT });
    const res = await exchange({ code, redirect_uri: `${REDIRECT}/` });
    expect(res.body.error).toMatchObject({ code: 100, error_subcode: 36008 });
  });

  it('§1.3 fb_exchange_token yields a ~60-day token; an expired token cannot be exchanged (190/463)', async () => {
    const code = await control.issueCode({ user: seed.user.handle, redirectUri: REDIRECT });
    const short = await exchange({ code, redirect_uri: REDIRECT });
    const long = await exchange({ grant_type: 'fb_exchange_token', fb_exchange_token: short.body.access_token });
    expect(long.body.expires_in).toBeGreaterThan(5_000_000);
    await control.advanceClock(3 * 3600);
    const late = await exchange({ grant_type: 'fb_exchange_token', fb_exchange_token: short.body.access_token });
    expect(late.body.error).toMatchObject({ code: 190, error_subcode: 463 });
    await reseed();
  });

  it('§1.4 debug_token reports validity, scopes and expiry, and reports a revoked token inside data', async () => {
    const appToken = `${FACEBOOK_SANDBOX_APP.id}|${FACEBOOK_SANDBOX_APP.secret}`;
    const fresh = await control.loginAs(seed.user.handle);
    const ok = await control.graph<{ data: Record<string, unknown> }>('GET', '/v25.0/debug_token', { input_token: fresh, access_token: appToken });
    expect(ok.body.data).toMatchObject({ is_valid: true, type: 'USER', app_id: FACEBOOK_SANDBOX_APP.id, user_id: seed.user.id });
    expect(ok.body.data.scopes).toContain('ads_management');
    expect(Number(ok.body.data.expires_at)).toBeGreaterThan(Date.now() / 1000 + 59 * 86_400);
    await control.revoke({ accessToken: fresh });
    const revoked = await control.graph<{ data: Record<string, unknown> }>('GET', '/v25.0/debug_token', { input_token: fresh, access_token: appToken });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toMatchObject({ is_valid: false, error: { code: 190, subcode: 467 } });
  });

  it('§1.5 an expired token answers 190/463 in the real envelope', async () => {
    const fresh = await control.loginAs(seed.user.handle);
    await control.advanceClock(61 * 86_400);
    const res = await control.graph<GraphErrorEnvelope>('GET', '/v25.0/me/adaccounts', { access_token: fresh });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 190, error_subcode: 463, type: 'OAuthException' });
    expect(res.body.error.message).toMatch(/^Error validating access token: Session has expired on /);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    await reseed();
  });

  it('§1.5 revocation: logout is 190/467, password change 190/460', async () => {
    const a = await control.loginAs(seed.user.handle);
    const b = await control.loginAs(seed.user.handle);
    await control.revoke({ accessToken: a, reason: 'logout' });
    await control.revoke({ accessToken: b, reason: 'password_changed' });
    const ra = await control.graph<GraphErrorEnvelope>('GET', '/v25.0/me', { access_token: a });
    const rb = await control.graph<GraphErrorEnvelope>('GET', '/v25.0/me', { access_token: b });
    expect([ra.body.error.error_subcode, rb.body.error.error_subcode]).toEqual([467, 460]);
  });

  it('§0 appsecret_proof is verified when sent; the Bearer header works too', async () => {
    const proof = createHmac('sha256', FACEBOOK_SANDBOX_APP.secret).update(token).digest('hex');
    const good = await control.graph('GET', '/v25.0/me', { access_token: token, appsecret_proof: proof });
    const bad = await control.graph<GraphErrorEnvelope>('GET', '/v25.0/me', { access_token: token, appsecret_proof: 'f'.repeat(64) });
    const bearer = await control.graph('GET', '/v25.0/me', {}, { headers: { Authorization: `Bearer ${token}` } });
    expect([good.status, bad.status, bearer.status]).toEqual([200, 400, 200]);
    expect(bad.body.error.message).toContain('appsecret_proof');
  });

  it('§10 any vNN.0 prefix and the unversioned path are served', async () => {
    for (const prefix of ['/v23.0', '/v26.0', '']) {
      const res = await control.graph<{ id: string }>('GET', `${prefix}/me`, { access_token: token });
      expect(res.body.id).toBe(seed.user.id);
    }
  });
});

describe('§2 listing', () => {
  it('§2.1 /me/adaccounts carries account_status, currency and business (absent without a Business Manager)', async () => {
    const res = await control.graph<GraphListBody<{ id: string; account_status: number; currency: string; business?: { id: string; name: string } }>>('GET', '/v25.0/me/adaccounts', {
      access_token: token,
      fields: 'id,account_id,name,account_status,currency,timezone_name,business{id,name}',
    });
    expect(res.body.data).toHaveLength(2);
    expect(res.body.data[0]).toMatchObject({ id: account().id, account_status: 1, currency: 'USD', business: { id: account().businessId } });
    expect(res.body.data[1]!.business).toBeUndefined();
  });

  it('§2.4 ads: nested creative fields, effective_status filter, cursor paging to the end', async () => {
    const seen: AdRow[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const res = await control.graph<GraphListBody<AdRow>>('GET', `/v25.0/${account().id}/ads`, {
        access_token: token,
        fields: 'id,name,effective_status,updated_time,creative{id,url_tags,object_story_spec,asset_feed_spec}',
        effective_status: DELIVERABLE,
        limit: 3,
        after,
      });
      expect(res.status).toBe(200);
      seen.push(...res.body.data);
      pages += 1;
      after = res.body.paging?.next ? res.body.paging.cursors?.after : undefined;
      if (!res.body.paging?.next) expect(res.body.paging?.cursors?.after).toBeDefined(); // last page: cursors, no next
    } while (after);
    expect(pages).toBeGreaterThan(1);
    expect(seen.every((ad) => DELIVERABLE.includes(ad.effective_status))).toBe(true);
    expect(new Set(seen.map((ad) => ad.id)).size).toBe(seen.length);
    const expected = seed.ads.all.slice(0, 12).filter((id) => DELIVERABLE.some((s) => seed.ads.byStatus[s]?.includes(id)));
    expect(seen.map((ad) => ad.id).sort()).toEqual(expected.sort());
    expect(seen.every((ad) => ad.updated_time.endsWith('+0000') && ad.creative?.id)).toBe(true);
  });

  it('§2.4 paging.next is a full URL the caller can follow', async () => {
    const first = await control.graph<GraphListBody<AdRow>>('GET', `/v25.0/${account().id}/ads`, { access_token: token, limit: 2, effective_status: DELIVERABLE });
    const next = await fetch(first.body.paging!.next!);
    const body = (await next.json()) as GraphListBody<AdRow>;
    expect(body.data.map((ad) => ad.id)).not.toContain(first.body.data[0]!.id);
  });

  it('§2.4 updated_since returns only ads changed since then', async () => {
    const adId = adOfKind('link');
    await control.setStatus(adId, 'PAUSED');
    const since = Math.floor(Date.now() / 1000) - 5;
    const res = await control.graph<GraphListBody<AdRow>>('GET', `/v25.0/${account().id}/ads`, { access_token: token, updated_since: since, effective_status: ['PAUSED'] });
    expect(res.body.data.map((ad) => ad.id)).toEqual([adId]);
    await control.setStatus(adId, 'ACTIVE');
  });

  it('§0 an unknown field is 100 and an unknown id is 100/33 GraphMethodException', async () => {
    const field = await control.graph<GraphErrorEnvelope>('GET', `/v25.0/${account().id}/ads`, { access_token: token, fields: 'id,bogus' });
    expect(field.body.error).toMatchObject({ code: 100 });
    expect(field.body.error.message).toContain('nonexisting field (bogus)');
    const node = await control.graph<GraphErrorEnvelope>('GET', '/v25.0/999999999999', { access_token: token });
    expect(node.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
  });

  it('§2 a token sees only the accounts it was granted', async () => {
    const narrow = await control.loginAs(seed.user.handle, { accountIds: [account().id] });
    const res = await control.graph<GraphErrorEnvelope>('GET', `/v25.0/${seed.accounts[1]!.id}/ads`, { access_token: narrow });
    expect(res.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('§2 a token without ads_read is refused with a permission error (code 200)', async () => {
    const noAds = await control.loginAs(seed.user.handle, { scopes: ['leads_retrieval'] });
    const res = await control.graph<GraphErrorEnvelope>('GET', `/v25.0/${account().id}/ads`, { access_token: noAds });
    expect(res.body.error.code).toBe(200);
  });
});
