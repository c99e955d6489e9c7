import { describe, expect, it } from 'vitest';
import { type RestAnswer } from '../../src/sandboxes/linkedin/harness';
import { api, firstAccount, li, seed, useLinkedInContract } from './support/linkedin-contract';

/**
 * Contract of the LinkedIn sandbox against docs/reference linkedin-marketing-api.md, over real HTTP.
 * Section numbers in test names point at the reference.
 */

type Answer = RestAnswer;

const enc = encodeURIComponent;
const trackingPath = (campaignId: string) => `/rest/adTrackingParameters/(adEntity:(sponsoredCampaign:${enc(`urn:li:sponsoredCampaign:${campaignId}`)}))`;

async function form(path: string, fields: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${li.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

useLinkedInContract();

describe('§0 header gate', () => {
  it('§0 a missing LinkedIn-Version header is rejected with 400', async () => {
    const answer = await api('GET', '/rest/adAccounts?q=search', { version: null });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 400, code: 'VERSION_MISSING' });
  });

  it('§0 an inactive LinkedIn-Version is rejected with 426 NONEXISTENT_VERSION', async () => {
    const answer = await api('GET', '/rest/adAccounts?q=search', { version: '202001' });
    expect(answer.status).toBe(426);
    expect(answer.body).toMatchObject({ status: 426, code: 'NONEXISTENT_VERSION' });
  });

  it('§0 X-Restli-Protocol-Version 2.0.0 is required', async () => {
    expect((await api('GET', '/rest/adAccounts?q=search', { protocol: null })).status).toBe(400);
  });

  it('§1/§6 missing and unknown tokens get the 401 envelopes', async () => {
    const empty = await api('GET', '/rest/adAccounts?q=search', { token: null });
    expect(empty.status).toBe(401);
    expect(empty.body).toEqual({ status: 401, serviceErrorCode: 401, message: 'Empty oauth2_access_token' });
    const bogus = await api('GET', '/rest/adAccounts?q=search', { token: 'AQVnot-a-token' });
    expect(bogus.body).toMatchObject({ status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN' });
  });
});

describe('§0 Rest.li encoding', () => {
  it('§0 List(...) and nested records are parsed; percent-encoded parentheses are not a list', async () => {
    const ok = await api('GET', '/rest/adAccounts?q=search&search=(status:(values:List(ACTIVE)),type:(values:List(BUSINESS)))');
    expect(ok.status).toBe(200);
    expect(ok.body.elements.map((a: { id: number }) => String(a.id)).sort()).toEqual(seed.accounts.map((a) => a.id).sort());
    const reencoded = await api('GET', '/rest/adAccounts?q=search&search=%28status:%28values:List%28ACTIVE%29%29%29');
    expect(reencoded.status).toBe(400);
  });

  it('§0 URNs in paths must be percent-encoded', async () => {
    const account = firstAccount();
    const creative = `urn:li:sponsoredCreative:${account.adIds[0]!}`;
    const encoded = await api('GET', `/rest/adAccounts/${account.id}/creatives/${enc(creative)}`);
    expect(encoded.status).toBe(200);
    expect(encoded.body.id).toBe(creative);
    const literal = await api('GET', `/rest/adAccounts/${account.id}/creatives/${creative}`);
    expect(literal.status).toBe(400);
  });

  it('§0 BATCH_GET ids=List(...) answers results and statuses per key', async () => {
    const account = firstAccount();
    const [a, b] = account.campaignIds;
    const answer = await api('GET', `/rest/adAccounts/${account.id}/adCampaigns?ids=List(${a!},${b!},999)`);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.results).sort()).toEqual([a, b].sort());
    expect(answer.body.statuses).toMatchObject({ [a!]: 200, [b!]: 200, '999': 404 });
  });

  it('§0 query tunnelling: POST + X-HTTP-Method-Override: GET answers like the GET', async () => {
    const account = firstAccount();
    const query = `q=criteria&intendedStatuses=List(ACTIVE,PAUSED)&pageSize=100`;
    const direct = await api('GET', `/rest/adAccounts/${account.id}/creatives?${query}`);
    const tunnelled = await api('POST', `/rest/adAccounts/${account.id}/creatives`, {
      body: query,
      headers: { 'x-http-method-override': 'GET', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(tunnelled.status).toBe(200);
    expect(tunnelled.body).toEqual(direct.body);
    const log = (await li.control<{ requests: { endpoint: string }[] }>('GET', '/_sandbox/requests')).body.requests;
    expect(log.map((r) => r.endpoint)).toContain('GET /rest/adAccounts/{id}/creatives?q=criteria (tunnelled)');
  });
});

describe('§1 OAuth', () => {
  const redirectUri = 'https://app.example/oauth/linkedin';
  const creds = () => ({ client_id: li.credentials.clientId, client_secret: li.credentials.clientSecret });
  const newCode = async () => (await li.control<{ code: string }>('POST', '/_sandbox/oauth/codes', { user: 'demo', redirectUri })).body.code;

  it('§1 an authorization code is single-use and tied to its redirect_uri', async () => {
    const code = await newCode();
    const wrongUri = await form('/oauth/v2/accessToken', { grant_type: 'authorization_code', code, redirect_uri: 'https://evil.example/cb', ...creds() });
    expect(wrongUri.status).toBe(400);
    const first = await form('/oauth/v2/accessToken', { grant_type: 'authorization_code', code, redirect_uri: redirectUri, ...creds() });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ expires_in: 5_184_000, refresh_token_expires_in: 31_536_000 });
    expect(first.body.scope).toContain('r_ads,');
    const again = await form('/oauth/v2/accessToken', { grant_type: 'authorization_code', code, redirect_uri: redirectUri, ...creds() });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('§1 the consent dialog: Allow redirects back with a code and the state, Cancel with user_cancelled_authorize', async () => {
    const query = new URLSearchParams({ response_type: 'code', client_id: li.credentials.clientId, redirect_uri: redirectUri, state: 'xyz', scope: 'r_ads rw_ads' });
    const page = await fetch(`${li.url}/oauth/v2/authorization?${query.toString()}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('value="allow"');
    const decide = (decision: string) =>
      fetch(`${li.url}/oauth/v2/authorization`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ ...Object.fromEntries(query), login_hint: 'demo', decision }) });
    const cancelled = new URL((await decide('cancel')).headers.get('location')!);
    expect(cancelled.searchParams.get('error')).toBe('user_cancelled_authorize');
    expect(cancelled.searchParams.get('state')).toBe('xyz');
    const response = await decide('allow');
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz');
    const exchanged = await form('/oauth/v2/accessToken', { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: redirectUri, ...creds() });
    expect(exchanged.body.scope).toBe('r_ads,rw_ads');
  });

  it('§1 a bad client secret is invalid_client', async () => {
    const answer = await form('/oauth/v2/accessToken', { grant_type: 'authorization_code', code: await newCode(), redirect_uri: redirectUri, client_id: li.credentials.clientId, client_secret: 'nope' });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_client');
  });

  it('§1 access tokens expire after 60 days; refreshing does not extend the 365-day refresh token', async () => {
    const tokens = await li.authorize();
    await li.control('POST', '/_sandbox/clock', { advanceSeconds: 61 * 86_400 });
    const expired = await api('GET', '/rest/adAccounts?q=search', { token: tokens.access_token });
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ serviceErrorCode: 65601, code: 'EXPIRED_ACCESS_TOKEN' });
    const refreshed = await form('/oauth/v2/accessToken', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...creds() });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.expires_in).toBe(5_184_000);
    expect(refreshed.body.refresh_token_expires_in).toBeLessThanOrEqual((365 - 61) * 86_400);
    expect((await api('GET', '/rest/adAccounts?q=search', { token: refreshed.body.access_token })).status).toBe(200);
    await li.control('POST', '/_sandbox/clock', { advanceSeconds: 305 * 86_400 });
    const dead = await form('/oauth/v2/accessToken', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...creds() });
    expect(dead.body.error).toBe('invalid_grant');
  });

  it('§1 a revoked token answers 65602 and its refresh token is dead', async () => {
    const tokens = await li.authorize();
    await li.control('POST', '/_sandbox/tokens/revoke', { user: 'demo' });
    const answer = await api('GET', '/rest/adAccounts?q=search', { token: tokens.access_token });
    expect(answer.body).toMatchObject({ status: 401, serviceErrorCode: 65602, code: 'REVOKED_ACCESS_TOKEN' });
    const refresh = await form('/oauth/v2/accessToken', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...creds() });
    expect(refresh.body.error).toBe('invalid_grant');
    const introspection = await form('/oauth/v2/introspectToken', { token: tokens.access_token, ...creds() });
    expect(introspection.body).toMatchObject({ active: false, status: 'revoked' });
  });
});

describe('§2 accounts, campaigns, creatives', () => {
  it('§2.2 search returns only accounts the member has a role on, cursor-paged', async () => {
    const page1 = await api('GET', '/rest/adAccounts?q=search&pageSize=1');
    expect(page1.body.elements).toHaveLength(1);
    expect(page1.body.metadata.nextPageToken).toEqual(expect.any(String));
    const page2 = await api('GET', `/rest/adAccounts?q=search&pageSize=1&pageToken=${enc(page1.body.metadata.nextPageToken as string)}`);
    expect(page2.body.elements).toHaveLength(1);
    expect(page2.body.metadata.nextPageToken).toBeUndefined();
    const viewer = (await li.authorize('viewer')).access_token;
    const visible = await api('GET', '/rest/adAccounts?q=search', { token: viewer });
    expect(visible.body.elements.map((a: { id: number }) => String(a.id))).toEqual([firstAccount().id]);
  });

  it('§2.6 creatives page to the end with pageToken; pageSize above 100 is rejected', async () => {
    const account = firstAccount();
    expect((await api('GET', `/rest/adAccounts/${account.id}/creatives?q=criteria&pageSize=101`)).status).toBe(400);
    expect((await api('GET', `/rest/adAccounts/${account.id}/creatives?q=criteria&pageToken=garbage`)).status).toBe(400);
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const answer = await api('GET', `/rest/adAccounts/${account.id}/creatives?q=criteria&pageSize=5${pageToken ? `&pageToken=${enc(pageToken)}` : ''}`);
      expect(answer.status).toBe(200);
      seen.push(...answer.body.elements.map((c: { id: string }) => c.id));
      pageToken = answer.body.metadata.nextPageToken;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(Math.ceil(account.adIds.length / 5));
    expect(seen).toEqual(account.adIds.map((id) => `urn:li:sponsoredCreative:${id}`));
  });

  it('§2.5 creatives carry intendedStatus, review and derived isServing / servingHoldReasons', async () => {
    const account = firstAccount();
    const answer = await api('GET', `/rest/adAccounts/${account.id}/creatives?q=criteria&pageSize=100`);
    const byId = new Map<string, any>(answer.body.elements.map((c: { id: string }) => [c.id, c]));  
    for (const ad of seed.ads.filter((a) => a.accountId === account.id)) {
      const creative = byId.get(`urn:li:sponsoredCreative:${ad.id}`);
      expect(creative.campaign).toBe(`urn:li:sponsoredCampaign:${ad.campaignId}`);
      if (ad.state === 'draft') {
        expect(creative.intendedStatus).toBe('DRAFT');
        expect(creative.review).toBeUndefined();
      }
      if (ad.state === 'under_review') {
        expect(creative.review.status).toBe('PENDING');
        expect(creative.isServing).toBe(false);
        expect(creative.servingHoldReasons).toContain('UNDER_REVIEW');
      }
      if (ad.state === 'paused') expect(creative.servingHoldReasons).toContain('STOPPED');
      if (creative.isServing) expect(creative.servingHoldReasons).toBeUndefined();
    }
    const pausedCampaign = (await api('GET', `/rest/adAccounts/${account.id}/adCampaigns?q=search&search=(status:(values:List(PAUSED)))`)).body.elements[0];
    const underIt = answer.body.elements.filter((c: { campaign: string }) => c.campaign === `urn:li:sponsoredCampaign:${pausedCampaign.id as number}`);
    expect(underIt.length).toBeGreaterThan(0);
    for (const c of underIt) expect(c.servingHoldReasons).toContain('CAMPAIGN_STOPPED');
  });

  it('§2.5 intendedStatuses and campaigns filters of the criteria finder', async () => {
    const account = firstAccount();
    const campaign = account.campaignIds[0]!;
    const answer = await api('GET', `/rest/adAccounts/${account.id}/creatives?q=criteria&campaigns=List(${enc(`urn:li:sponsoredCampaign:${campaign}`)})&intendedStatuses=List(ACTIVE,PAUSED)`);
    expect(answer.status).toBe(200);
    for (const c of answer.body.elements) {
      expect(c.campaign).toBe(`urn:li:sponsoredCampaign:${campaign}`);
      expect(['ACTIVE', 'PAUSED']).toContain(c.intendedStatus);
    }
  });

  it('§2.7 the landing URL lives on the post (contentLandingPage, carousel cards) or on the text ad', async () => {
    const account = firstAccount();
    const creatives = (await api('GET', `/rest/adAccounts/${account.id}/creatives?q=criteria&pageSize=100`)).body.elements;
    const seeded = (kind: string) => seed.ads.find((a) => a.accountId === account.id && a.kind === kind)!;
    const creativeOf = (id: string) => creatives.find((c: { id: string }) => c.id === `urn:li:sponsoredCreative:${id}`);

    const video = creativeOf(seeded('video').id);
    const post = await api('GET', `/rest/posts/${enc(video.content.reference as string)}`);
    expect(post.status).toBe(200);
    expect(post.body).toMatchObject({ id: video.content.reference, contentLandingPage: seeded('video').landingUrl, adContext: { isDsc: true } });

    const carousel = creativeOf(seeded('carousel').id);
    const carouselPost = await api('GET', `/rest/posts?ids=List(${enc(carousel.content.reference as string)})`);
    expect(carouselPost.body.results[carousel.content.reference].content.carousel.cards[0].landingPage).toBe(seeded('carousel').landingUrl);

    expect(creativeOf(seeded('text').id).content.textAd.landingPage).toBe(seeded('text').landingUrl);
    expect(creativeOf(seeded('message').id).content.reference).toMatch(/^urn:li:adInMailContent:/);
  });

  it('TRK-8 §2.7 adTrackingParameters: PUT creates or replaces the set (204), GET shows it, DELETE removes it (404 after)', async () => {
    const account = firstAccount();
    const campaignId = account.campaignIds[0]!;
    const path = trackingPath(campaignId);
    await api('DELETE', path);
    expect((await api('GET', path)).status).toBe(404);
    const body = { adEntity: { sponsoredCampaign: `urn:li:sponsoredCampaign:${campaignId}` }, dynamicValueParameters: { hsa_ad: 'CREATIVE_ID' }, customValueParameters: { utm_source: 'linkedin' } };
    expect((await api('PUT', path, { body })).status).toBe(204);
    expect((await api('PUT', path, { body })).status).toBe(204);
    const read = await api('GET', path);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(body);
    const campaign = await api('GET', `/rest/adAccounts/${account.id}/adCampaigns/${campaignId}`);
    expect(campaign.body).not.toHaveProperty('trackingParameters');

    const noEntity = await api('PUT', path, { body: { customValueParameters: { a: '1' } } });
    expect(noEntity.status).toBe(422);
    expect(noEntity.body).toMatchObject({ status: 422, message: 'ERROR :: /adEntity :: field is required' });
    const badToken = await api('PUT', path, { body: { ...body, dynamicValueParameters: { x: 'NOT_A_TOKEN' } } });
    expect(badToken.status).toBe(422);
    const list = await api('PUT', path, { body: { ...body, customValueParameters: [{ key: 'utm_source', value: 'linkedin' }] } });
    expect(list.status).toBe(422);
    const bareUrn = await api('GET', `/rest/adTrackingParameters/(adEntity:(sponsoredCampaign:urn:li:sponsoredCampaign:${campaignId}))`);
    expect(bareUrn.status).toBe(400);
    const viewer = (await li.authorize('viewer')).access_token;
    expect((await api('GET', path, { token: viewer })).status).toBe(200);
    expect((await api('PUT', path, { token: viewer, body })).body).toMatchObject({ status: 403, code: 'ACCESS_DENIED' });

    expect((await api('DELETE', path)).status).toBe(204);
    expect((await api('GET', path)).status).toBe(404);
  });

  it('TRK-8 a PARTIAL_UPDATE of the campaign with a field the schema lacks (the old trackingParameters guess) is refused like Rest.li: 422, nothing changes', async () => {
    const account = firstAccount();
    const campaignId = account.campaignIds[0]!;
    const before = (await api('GET', `/rest/adAccounts/${account.id}/adCampaigns/${campaignId}`)).body;
    const parameters = [{ key: 'utm_source', value: { customValue: 'linkedin' } }];
    const update = await api('POST', `/rest/adAccounts/${account.id}/adCampaigns/${campaignId}`, { restliMethod: 'PARTIAL_UPDATE', body: { patch: { $set: { trackingParameters: parameters } } } });
    expect(update.status).toBe(422);
    expect(update.body).toEqual({ status: 422, code: 'UNPROCESSABLE_ENTITY', message: 'ERROR :: /trackingParameters :: unrecognized field found but not allowed' });
    const removal = await api('POST', `/rest/adAccounts/${account.id}/adCampaigns/${campaignId}`, { restliMethod: 'PARTIAL_UPDATE', body: { patch: { $delete: ['trackingParameters'] } } });
    expect(removal.status).toBe(422);
    expect((await api('GET', `/rest/adAccounts/${account.id}/adCampaigns/${campaignId}`)).body).toEqual(before);
    // A known field still patches.
    expect((await api('POST', `/rest/adAccounts/${account.id}/adCampaigns/${campaignId}`, { restliMethod: 'PARTIAL_UPDATE', body: { patch: { $set: { name: 'Renamed' } } } })).status).toBe(204);

    const noMethod = await api('POST', `/rest/adAccounts/${account.id}/adCampaigns/${campaignId}`, { body: { patch: { $set: { name: 'x' } } } });
    expect(noMethod.status).toBe(400);
    const batch = await api('POST', `/rest/adAccounts/${account.id}/adCampaigns?ids=List(${campaignId})`, { restliMethod: 'BATCH_PARTIAL_UPDATE', body: { entities: {} } });
    expect(batch.status).toBe(400);
  });

  it('§2.5 a creative PARTIAL_UPDATE is validated as a whole: an unrecognized field fails it with 422 and the valid part is not applied', async () => {
    const account = firstAccount();
    const ad = seed.ads.find((a) => a.accountId === account.id)!;
    const path = `/rest/adAccounts/${account.id}/creatives/${enc(`urn:li:sponsoredCreative:${ad.id}`)}`;
    const before = (await api('GET', path)).body;
    const mixed = await api('POST', path, { restliMethod: 'PARTIAL_UPDATE', body: { patch: { $set: { name: 'Would be renamed', trackingParameters: [] } } } });
    expect(mixed.status).toBe(422);
    expect(mixed.body).toEqual({ status: 422, code: 'UNPROCESSABLE_ENTITY', message: 'ERROR :: /trackingParameters :: unrecognized field found but not allowed' });
    expect((await api('GET', path)).body.name).toBe(before.name);
  });

  it('§2.2 a VIEWER can read but not write (403 ACCESS_DENIED)', async () => {
    const viewer = (await li.authorize('viewer')).access_token;
    const account = firstAccount();
    expect((await api('GET', `/rest/adAccounts/${account.id}/adCampaigns?q=search`, { token: viewer })).status).toBe(200);
    const write = await api('POST', `/rest/adAccounts/${account.id}/adCampaigns/${account.campaignIds[0]!}`, { token: viewer, restliMethod: 'PARTIAL_UPDATE', body: { patch: { $set: { name: 'x' } } } });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ status: 403, serviceErrorCode: 100, code: 'ACCESS_DENIED' });
  });
});

describe('§6 rate limits, errors and faults', () => {
  it('§6 rate-limit fault: 429 in the Rest.li envelope, no Retry-After; visible in the request log, gone when switched off', async () => {
    await li.control('PUT', '/_sandbox/faults', { rateLimitRate: 1, retryAfterSeconds: 30 });
    const limited = await api('GET', '/rest/adAccounts?q=search');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 429, message: expect.stringMatching(/throttle/) });
    expect(limited.headers.get('retry-after')).toBeNull();
    await li.control('DELETE', '/_sandbox/faults');
    expect((await api('GET', '/rest/adAccounts?q=search')).status).toBe(200);
    const log = (await li.control<{ requests: { endpoint: string; status: number; fault?: string }[] }>('GET', '/_sandbox/requests')).body.requests;
    const apiCalls = log.filter((r) => r.endpoint.startsWith('GET /rest/'));
    expect(apiCalls.map((r) => [r.status, r.fault ?? null])).toEqual([[429, 'rate_limit'], [200, null]]);
  });

  it('§6 transient fault: 500 in the Rest.li shape', async () => {
    await li.control('PUT', '/_sandbox/faults', { transientErrorRate: 1 });
    const answer = await api('GET', '/rest/adAccounts?q=search');
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ status: 500, message: 'Internal Server Error' });
  });

  it('POST /_sandbox/reset empties the world: old tokens no longer exist', async () => {
    await li.control('POST', '/_sandbox/reset');
    expect((await api('GET', '/rest/adAccounts?q=search')).body).toMatchObject({ status: 401, serviceErrorCode: 65600 });
  });

  it('§6 expireAllTokens answers 65601 EXPIRED_ACCESS_TOKEN', async () => {
    await li.control('PUT', '/_sandbox/faults', { expireAllTokens: true });
    expect((await api('GET', '/rest/adAccounts?q=search')).body).toMatchObject({ serviceErrorCode: 65601 });
  });

  it('§6 per-member daily quota per endpoint → 429 MEMBER DAY throttle, reset at UTC midnight', async () => {
    await li.control('PUT', '/_sandbox/settings', { quotas: { memberDaily: 2 } });
    expect((await api('GET', '/rest/adAccounts?q=search')).status).toBe(200);
    expect((await api('GET', '/rest/adAccounts?q=search')).status).toBe(200);
    const third = await api('GET', '/rest/adAccounts?q=search');
    expect(third.status).toBe(429);
    expect(third.body.message).toMatch(/MEMBER DAY/);
    await li.control('POST', '/_sandbox/clock', { advanceSeconds: 86_400 });
    expect((await api('GET', '/rest/adAccounts?q=search')).status).toBe(200);
    await li.control('PUT', '/_sandbox/settings', { quotas: { memberDaily: null } });
  });
});

describe('seeding (control API)', () => {
  it('the same seed builds the same world; 8 ads cover every kind; landing URLs of every kind appear', async () => {
    const small = await li.seed({ seed: 5, accounts: 1, adsPerAccount: 8 });
    for (const ids of Object.values(small.adIdsByKind)) expect(ids).toHaveLength(1);
    const again = await li.seed({ seed: 5, accounts: 1, adsPerAccount: 8 });
    expect(again).toEqual(small);
    const urls = seed.ads.map((a) => a.landingUrl ?? '');
    for (const marker of ['/p/', '/r/', '/upgrade/', '#offer', 'utm_source=newsletter']) expect(urls.some((u) => u.includes(marker))).toBe(true);
    expect(urls.some((u) => /^https:\/\/(bit\.ly|tinyurl\.com)\//.test(u))).toBe(true);
    expect(new Set(seed.ads.map((a) => a.state))).toEqual(new Set(['serving', 'under_review', 'paused', 'rejected', 'draft', 'archived']));
  });
});

describe('advertiser actions (control API)', () => {
  it('a new ad starts in review, is approved into serving, can be paused; remove-param edits the campaign', async () => {
    const account = firstAccount();
    const created = await li.control<{ adId: string; campaignId: string; creative: { review: { status: string }; isServing: boolean } }>('POST', '/_sandbox/ads', { accountId: account.id, kind: 'single_image' });
    expect(created.status).toBe(201);
    expect(created.body.creative.review.status).toBe('PENDING');
    const urnPath = (id: string) => `/rest/adAccounts/${account.id}/creatives/${enc(`urn:li:sponsoredCreative:${id}`)}`;
    await li.control('POST', `/_sandbox/ads/${created.body.adId}/approve`);
    const approved = (await api('GET', urnPath(created.body.adId))).body;
    const campaignActive = (await api('GET', `/rest/adAccounts/${account.id}/adCampaigns/${created.body.campaignId}`)).body.status === 'ACTIVE';
    expect(approved.review.status).toBe('APPROVED');
    expect(approved.isServing).toBe(campaignActive);
    await li.control('POST', `/_sandbox/ads/${created.body.adId}/status`, { status: 'PAUSED' });
    expect((await api('GET', urnPath(created.body.adId))).body).toMatchObject({ intendedStatus: 'PAUSED', isServing: false });

    const state = (await li.control<{ campaigns: { id: number; trackingParameters?: { key: string }[] }[] }>('GET', '/_sandbox/state')).body;
    const tagged = state.campaigns.find((c) => (c.trackingParameters ?? []).some((p) => p.key === 'utm_source'))!;
    const ad = seed.ads.find((a) => a.campaignId === String(tagged.id))!;
    const removed = await li.control<{ removedFrom: string }>('POST', `/_sandbox/ads/${ad.id}/remove-param`, { key: 'utm_source' });
    expect(removed.body.removedFrom).toBe('campaign');
    const after = await api('GET', trackingPath(String(tagged.id)));
    expect(after.status === 404 ? [] : Object.keys(after.body.customValueParameters)).not.toContain('utm_source');
  });
});

describe('click simulation (§2.7 URL tracking parameters)', () => {
  it('§2.7 a click opens the landing URL plus the campaign parameters with every token resolved', async () => {
    const account = firstAccount();
    const ad = seed.ads.find((a) => a.accountId === account.id && a.kind === 'single_image' && a.landingUrl && !a.landingUrl.includes('#') && !a.landingUrl.includes('?'))!;
    const campaign = (await api('GET', `/rest/adAccounts/${account.id}/adCampaigns/${ad.campaignId}`)).body;
    const update = await api('PUT', trackingPath(ad.campaignId), {
      body: {
        adEntity: { sponsoredCampaign: `urn:li:sponsoredCampaign:${ad.campaignId}` },
        customValueParameters: { utm_source: 'linkedin', utm_campaign: 'Q2 Webinar & more' },
        dynamicValueParameters: { hsa_acc: 'ACCOUNT_ID', hsa_cam: 'CAMPAIGN_GROUP_ID', hsa_grp: 'CAMPAIGN_ID', hsa_ad: 'CREATIVE_ID', cn: 'CAMPAIGN_NAME' },
      },
    });
    expect(update.status).toBe(204);
    const click = (await li.control<{ landingUrl: string; liFatId?: string }>('POST', `/_sandbox/ads/${ad.id}/click`, {})).body;
    const url = new URL(click.landingUrl);
    expect(`${url.origin}${url.pathname}`).toBe(ad.landingUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      utm_source: 'linkedin',
      utm_campaign: 'Q2 Webinar & more',
      hsa_acc: account.id,
      hsa_cam: String(campaign.campaignGroup).split(':').pop(),
      hsa_grp: ad.campaignId,
      hsa_ad: ad.id,
      cn: campaign.name,
      li_fat_id: click.liFatId,
    });
  });

  it('§2.7 with a "#" in the URL the parameters end up inside the fragment (why TRK-8 refuses such URLs)', async () => {
    const ad = seed.ads.find((a) => a.landingUrl?.includes('#'))!;
    await li.control('PUT', `/_sandbox/campaigns/${ad.campaignId}/url-parameters`, { parameters: [{ key: 'hsa_ad', value: 'CREATIVE_ID' }] });
    const click = (await li.control<{ landingUrl: string }>('POST', `/_sandbox/ads/${ad.id}/click`, {})).body;
    const url = new URL(click.landingUrl);
    expect(url.searchParams.get('hsa_ad')).toBeNull();
    expect(url.hash).toContain(`hsa_ad=${ad.id}`);
  });

  it('§2.7 advertiser parameters already on a campaign (utm_source=partner) are served too', async () => {
    const summary = (await li.control<{ campaigns: { id: number; trackingParameters?: unknown[] }[] }>('GET', '/_sandbox/state')).body;
    const withParams = summary.campaigns.find((c) => JSON.stringify(c.trackingParameters ?? []).includes('partner'))!;
    const ad = seed.ads.find((a) => a.campaignId === String(withParams.id) && a.landingUrl && !a.landingUrl.includes('#'))!;
    const click = (await li.control<{ landingUrl: string }>('POST', `/_sandbox/ads/${ad.id}/click`, {})).body;
    expect(new URL(click.landingUrl).searchParams.get('utm_source')).toBe('partner');
  });
});
