import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_KINDS } from '../../src/sandboxes/google/world';
import { HARNESS_CLIENT } from '../../src/sandboxes/google/harness';
import { cid, sb, seed, token, useGoogleContract, useToken } from './support/google-contract';

/** Contract of the Google Ads sandbox: OAuth, headers, reading (search, GAQL, paging), faults and quotas. */

type Json = Record<string, any>;

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${sb.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

const search = (query: string, extra: Json = {}, headers: Record<string, string> = {}, customerId = cid) =>
  api('POST', `/v22/customers/${customerId}/googleAds:search`, { query, ...extra }, headers);

const failure = (body: Json) => body.error.details[0].errors[0] as Json;

async function tokenRequest(form: Record<string, string>) {
  const response = await fetch(`${sb.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: HARNESS_CLIENT.clientId, client_secret: HARNESS_CLIENT.clientSecret, ...form }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

useGoogleContract(11);

describe('seeding', () => {
  it('covers every campaign kind with as few as 6 ads per account, deterministically', async () => {
    const small = await sb.seed({ seed: 5, accounts: 1, adsPerAccount: 6 });
    for (const kind of CAMPAIGN_KINDS) expect(small.adIdsByKind[kind]).toHaveLength(1);
    const again = await sb.seed({ seed: 5, accounts: 1, adsPerAccount: 6 });
    expect(again.adIdsByKind).toEqual(small.adIdsByKind);
    expect(again.accountIds).toEqual(small.accountIds);
  });

  it('builds the tracking situations the product must detect', () => {
    const s = seed.scenarios;
    expect(s.accountTemplateCustomerIds.length).toBeGreaterThan(0);
    expect(s.adGroupTemplateAdIds.length).toBeGreaterThan(0);
    expect(s.adTemplateAdIds.length).toBeGreaterThan(0);
    expect(s.nonLpurlTemplateCampaignIds.length).toBeGreaterThan(0);
    expect(s.advertiserTemplateCampaignIds.length).toBeGreaterThan(0);
    expect(s.underReviewAdIds.length).toBeGreaterThan(0);
    expect(s.pausedAdIds.length).toBeGreaterThan(0);
    for (const kind of ['page', 'redirect', 'upgrade', 'shortener', 'fragment', 'own_utms'] as const) {
      expect(seed.adIdsByLandingKind[kind].length).toBeGreaterThan(0);
    }
  });
});

describe('§1.1 OAuth token endpoint', () => {
  it('exchanges a code once, tied to its redirect_uri, then refreshes without a new refresh token', async () => {
    const redirectUri = 'https://app.example/cb';
    const { body: codeBody } = await sb.control<{ code: string }>('POST', '/oauth/codes', { user: 'user-1', redirectUri });
    const mismatch = await tokenRequest({ grant_type: 'authorization_code', code: codeBody.code, redirect_uri: 'https://evil.example/cb' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toBe('redirect_uri_mismatch');

    const first = await tokenRequest({ grant_type: 'authorization_code', code: codeBody.code, redirect_uri: redirectUri });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ expires_in: 3599, scope: 'https://www.googleapis.com/auth/adwords', token_type: 'Bearer' });
    expect(first.body.refresh_token).toMatch(/^1\/\//);

    const reused = await tokenRequest({ grant_type: 'authorization_code', code: codeBody.code, redirect_uri: redirectUri });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');

    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toMatch(/^ya29\./);
    expect(refreshed.body).not.toHaveProperty('refresh_token');
  });

  it('serves a consent screen; Allow redirects back with a code and the state, Cancel with error=access_denied', async () => {
    const query = new URLSearchParams({ response_type: 'code', client_id: 'x', redirect_uri: 'https://app.example/cb', scope: 'adwords', state: 'XYZ', access_type: 'offline' });
    const page = await fetch(`${sb.url}/o/oauth2/v2/auth?${query.toString()}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('value="allow"');
    const decide = (decision: string) =>
      fetch(`${sb.url}/o/oauth2/v2/auth`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ ...Object.fromEntries(query), login_hint: seed.user, decision }) });
    const cancelled = new URL((await decide('cancel')).headers.get('location') ?? '');
    expect(Object.fromEntries(cancelled.searchParams)).toEqual({ error: 'access_denied', state: 'XYZ' });
    const response = await decide('allow');
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('https://app.example/cb');
    expect(location.searchParams.get('state')).toBe('XYZ');
    const exchanged = await tokenRequest({ grant_type: 'authorization_code', code: location.searchParams.get('code') ?? '', redirect_uri: 'https://app.example/cb' });
    expect(exchanged.status).toBe(200);
  });

  it('PKCE: a code issued for an S256 challenge needs the matching code_verifier', async () => {
    const verifier = 'v'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = { response_type: 'code', client_id: 'x', redirect_uri: 'https://app.example/cb', state: 'S', code_challenge: challenge, code_challenge_method: 'S256' };
    const codeFor = async () => {
      const response = await fetch(`${sb.url}/o/oauth2/v2/auth`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ ...query, login_hint: seed.user, decision: 'allow' }) });
      return new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';
    };
    const missing = await tokenRequest({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: 'https://app.example/cb' });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const wrong = await tokenRequest({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: 'https://app.example/cb', code_verifier: 'w'.repeat(43) });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const right = await tokenRequest({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: 'https://app.example/cb', code_verifier: verifier });
    expect(right.status).toBe(200);
  });

  it('answers invalid_grant for a revoked refresh token and 401 invalid_client for wrong credentials', async () => {
    const tokens = await sb.connect();
    expect((await sb.control<Json>('POST', '/tokens/revoke', { accessToken: tokens.accessToken })).body.revoked).toBe(1);
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
    expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const wrongClient = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_secret: 'nope' });
    expect(wrongClient).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('lets access tokens expire on the sandbox clock (401 OAUTH_TOKEN_EXPIRED in the §7.1 envelope)', async () => {
    await sb.control('POST', '/clock', { advanceSeconds: 3600 });
    const res = await api('GET', '/v22/customers:listAccessibleCustomers');
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    expect(res.body.error.details[0]['@type']).toBe('type.googleapis.com/google.ads.googleads.v22.errors.GoogleAdsFailure');
    expect(failure(res.body).errorCode).toEqual({ authenticationError: 'OAUTH_TOKEN_EXPIRED' });
    expect(res.headers.get('request-id')).toBe(res.body.error.details[0].requestId);
  });
});

describe('§1.2 headers', () => {
  it('rejects a missing bearer token with 401 UNAUTHENTICATED', async () => {
    const res = await api('GET', '/v22/customers:listAccessibleCustomers', undefined, { authorization: '' });
    expect(res.status).toBe(401);
    expect(res.body.error.status).toBe('UNAUTHENTICATED');
  });

  it('reaches a client account through the manager only with login-customer-id (else 403 USER_PERMISSION_DENIED)', async () => {
    useToken((await sb.connect('agency-user', [seed.managerId])).accessToken);
    const denied = await search('SELECT customer.id FROM customer');
    expect(denied.status).toBe(403);
    expect(denied.body.error.status).toBe('PERMISSION_DENIED');
    expect(failure(denied.body).errorCode).toEqual({ authorizationError: 'USER_PERMISSION_DENIED' });
    const allowed = await search('SELECT customer.id FROM customer', {}, { 'login-customer-id': seed.managerId });
    expect(allowed.status).toBe(200);
    expect(allowed.body.results[0].customer.id).toBe(cid);
  });

  it('requires the developer-token header only when configured to (pre-sunset behaviour)', async () => {
    expect((await search('SELECT customer.id FROM customer')).status).toBe(200);
    await sb.control('PUT', '/config', { developerTokenRequired: true });
    const missing = await search('SELECT customer.id FROM customer');
    expect(missing.status).toBe(400);
    expect(failure(missing.body).errorCode).toEqual({ requestError: 'DEVELOPER_TOKEN_PARAMETER_MISSING' });
    expect((await search('SELECT customer.id FROM customer', {}, { 'developer-token': 'abcdefghijklmnopqrstuv' })).status).toBe(200);
    await sb.control('PUT', '/config', { developerTokenRequired: false });
  });

  it('rejects versions outside the served range', async () => {
    const res = await api('POST', `/v16/customers/${cid}/googleAds:search`, { query: 'SELECT customer.id FROM customer' });
    expect(res.status).toBe(400);
    expect(failure(res.body).errorCode).toEqual({ requestError: 'UNSUPPORTED_VERSION' });
  });
});

describe('§2.1 listAccessibleCustomers', () => {
  it('lists the directly reachable customers as resource names', async () => {
    const res = await api('GET', '/v22/customers:listAccessibleCustomers');
    expect(res.status).toBe(200);
    expect(res.body.resourceNames).toEqual([seed.managerId, ...seed.accountIds].map((id) => `customers/${id}`));
  });
});

describe('§2.2 googleAds:search', () => {
  it('returns camelCase rows with resourceName, int64 ids as strings, unset fields omitted, and the fieldMask', async () => {
    const res = await search(
      'SELECT campaign.id, campaign.name, campaign.status, campaign.advertising_channel_type, campaign.tracking_url_template, campaign.url_custom_parameters FROM campaign ORDER BY campaign.id',
    );
    expect(res.status).toBe(200);
    expect(res.body.fieldMask).toBe(
      'campaign.id,campaign.name,campaign.status,campaign.advertisingChannelType,campaign.trackingUrlTemplate,campaign.urlCustomParameters',
    );
    const rows = res.body.results as Json[];
    const first = rows[0]?.campaign as Json;
    expect(first.resourceName).toBe(`customers/${cid}/campaigns/${first.id}`);
    expect(typeof first.id).toBe('string');
    expect(first.advertisingChannelType).toBe('SEARCH');
    expect(first).not.toHaveProperty('trackingUrlTemplate');
    const withParams = rows.find((r) => r.campaign.urlCustomParameters)?.campaign as Json;
    expect(withParams.urlCustomParameters).toEqual([
      { key: 'content', value: 'spring' },
      { key: 'promo', value: 'P10' },
    ]);
  });

  it('pages with an opaque nextPageToken until it is absent (page size as a test knob)', async () => {
    await sb.control('PUT', '/config', { searchPageSize: 5 });
    const query = 'SELECT ad_group_ad.ad.id FROM ad_group_ad ORDER BY ad_group_ad.ad.id';
    const ids: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const res = await search(query, { ...(pageToken ? { pageToken } : {}), searchSettings: { returnTotalResultsCount: true } });
      expect(res.status).toBe(200);
      expect(res.body.totalResultsCount).toBe('12');
      ids.push(...(res.body.results as Json[]).map((r) => r.adGroupAd.ad.id as string));
      pageToken = res.body.nextPageToken as string | undefined;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(12);
    await sb.control('PUT', '/config', { searchPageSize: 10_000 });
  });

  it('rejects pageSize (PAGE_SIZE_NOT_SUPPORTED) and foreign page tokens (INVALID_PAGE_TOKEN)', async () => {
    const sized = await search('SELECT campaign.id FROM campaign', { pageSize: 100 });
    expect(failure(sized.body).errorCode).toEqual({ requestError: 'PAGE_SIZE_NOT_SUPPORTED' });
    const bad = await search('SELECT campaign.id FROM campaign', { pageToken: 'bm90LWEtdG9rZW4' });
    expect(bad.status).toBe(400);
    expect(failure(bad.body).errorCode).toEqual({ requestError: 'INVALID_PAGE_TOKEN' });
  });

  it('omits "results" when nothing matches', async () => {
    const res = await search("SELECT campaign.id FROM campaign WHERE campaign.name = 'no such campaign'");
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('results');
  });
});

describe('v22 enums (issue 11)', () => {
  it('no DISCOVERY anywhere: campaigns are DEMAND_GEN with DEMAND_GEN_* ad types, and DISCOVERY is not a v22 channel type', async () => {
    const rows = (await search('SELECT campaign.advertising_channel_type, ad_group_ad.ad.type FROM ad_group_ad')).body.results as Json[];
    const channels = new Set(rows.map((r) => (r.campaign as Json).advertisingChannelType));
    const adTypes = new Set(rows.map((r) => ((r.adGroupAd as Json).ad as Json).type));
    expect([...channels, ...adTypes].some((v) => String(v).includes('DISCOVERY'))).toBe(false);
    expect(channels).toContain('DEMAND_GEN');
    expect([...adTypes]).toEqual(expect.arrayContaining(['DEMAND_GEN_MULTI_ASSET_AD', 'DEMAND_GEN_VIDEO_RESPONSIVE_AD']));
    const refused = await search("SELECT campaign.id FROM campaign WHERE campaign.advertising_channel_type = 'DISCOVERY'");
    expect(refused.status).toBe(400);
  });
});

describe('§2.3 googleAds:searchStream', () => {
  it('answers one JSON array of batches', async () => {
    await sb.control('PUT', '/config', { searchPageSize: 5 });
    const res = await api('POST', `/v22/customers/${cid}/googleAds:searchStream`, { query: 'SELECT ad_group_ad.ad.id FROM ad_group_ad' });
    expect(Array.isArray(res.body)).toBe(true);
    const batches = res.body as unknown as Json[];
    expect(batches.map((b) => (b.results as unknown[]).length)).toEqual([5, 5, 2]);
    expect(batches[0]?.fieldMask).toBe('adGroupAd.ad.id');
    await sb.control('PUT', '/config', { searchPageSize: 10_000 });
  });
});

describe('§2.4 GAQL subset', () => {
  it('answers an unknown field with queryError UNRECOGNIZED_FIELD', async () => {
    const res = await search('SELECT campaign.id, campaign.nonsense FROM campaign');
    expect(res.status).toBe(400);
    expect(res.body.error.status).toBe('INVALID_ARGUMENT');
    expect(failure(res.body)).toMatchObject({ errorCode: { queryError: 'UNRECOGNIZED_FIELD' }, trigger: { stringValue: 'campaign.nonsense' } });
  });

  it('answers an unknown resource, an unattributed field and a bad enum constant with their queryErrors', async () => {
    expect(failure((await search('SELECT foo.id FROM foo')).body).errorCode).toEqual({ queryError: 'BAD_RESOURCE_TYPE_IN_FROM_CLAUSE' });
    expect(failure((await search('SELECT ad_group.id FROM campaign')).body).errorCode).toEqual({ queryError: 'PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE' });
    expect(failure((await search("SELECT campaign.id FROM campaign WHERE campaign.status = 'RUNNING'")).body).errorCode).toEqual({
      queryError: 'BAD_ENUM_CONSTANT',
    });
    expect(failure((await search('SELECT campaign.id FROM campaign WHERE campaign.id = 1 OR campaign.id = 2')).body).errorCode).toEqual({
      queryError: 'UNEXPECTED_INPUT',
    });
  });

  it('filters with =, !=, IN, LIKE and AND', async () => {
    const [search1] = seed.campaignIdsByKind.search;
    const [display1] = seed.campaignIdsByKind.display;
    const inList = await search(`SELECT campaign.id FROM campaign WHERE campaign.id IN (${search1}, ${display1}) ORDER BY campaign.id`);
    expect((inList.body.results as Json[]).map((r) => r.campaign.id)).toEqual([search1, display1]);
    const like = await search("SELECT campaign.name FROM campaign WHERE campaign.name LIKE 'Search%' AND campaign.status != 'REMOVED'");
    expect((like.body.results as Json[]).every((r) => String(r.campaign.name).startsWith('Search'))).toBe(true);
    const enabled = await search(
      "SELECT ad_group_ad.ad.id FROM ad_group_ad WHERE ad_group_ad.status = 'ENABLED' AND campaign.status = 'ENABLED' AND ad_group_ad.policy_summary.review_status = 'REVIEW_IN_PROGRESS'",
    );
    const ids = (enabled.body.results as Json[]).map((r) => r.adGroupAd.ad.id as string);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(seed.scenarios.underReviewAdIds).toContain(id);
  });

  it('serves keywords (keyword_view) and clicks (click_view, one day per query)', async () => {
    const keywords = await search(
      "SELECT ad_group.id, ad_group_criterion.criterion_id, ad_group_criterion.keyword.text, ad_group_criterion.keyword.match_type FROM keyword_view WHERE ad_group_criterion.status != 'REMOVED'",
    );
    const first = (keywords.body.results as Json[])[0] as Json;
    expect(first.keywordView.resourceName).toBe(`customers/${cid}/keywordViews/${first.adGroup.id}~${first.adGroupCriterion.criterionId}`);
    expect(['EXACT', 'PHRASE', 'BROAD']).toContain(first.adGroupCriterion.keyword.matchType);

    const gclid = seed.gclids.find((g) => sb.state.clicks.get(g)?.customerId === cid) ?? '';
    const click = sb.state.clicks.get(gclid);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: sb.state.customers.get(cid)?.timeZone }).format(click?.at);
    const clicks = await search(`SELECT click_view.gclid, click_view.ad_group_ad, segments.date FROM click_view WHERE segments.date = '${day}'`);
    expect((clicks.body.results as Json[]).map((r) => r.clickView.gclid)).toContain(gclid);
    const wide = await search(`SELECT click_view.gclid FROM click_view WHERE segments.date DURING LAST_7_DAYS`);
    expect(failure(wide.body).errorCode).toEqual({ queryError: 'EXPECTED_FILTERS_ON_DATE_RANGE' });
  });

  it('requires a finite date range when segmenting by date (EXPECTED_FILTERS_ON_DATE_RANGE)', async () => {
    const res = await search('SELECT ad_group_ad.ad.id, segments.date, metrics.clicks FROM ad_group_ad');
    expect(failure(res.body).errorCode).toEqual({ queryError: 'EXPECTED_FILTERS_ON_DATE_RANGE' });
  });

  it('enforces change_status rules (finite last_change_date_time range and LIMIT ≤ 10,000)', async () => {
    const base = 'SELECT change_status.resource_type FROM change_status';
    expect(failure((await search(`${base} LIMIT 10`)).body).errorCode).toEqual({ changeStatusError: 'CHANGE_DATE_RANGE_INFINITE' });
    const ranged = `${base} WHERE change_status.last_change_date_time >= '2020-01-01 00:00:00' AND change_status.last_change_date_time <= '2099-01-01 00:00:00'`;
    expect(failure((await search(ranged)).body).errorCode).toEqual({ changeStatusError: 'START_DATE_TOO_OLD' });
    const recent = ranged.replace('2020-01-01', new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    expect(failure((await search(recent)).body).errorCode).toEqual({ changeStatusError: 'LIMIT_NOT_SPECIFIED' });
    expect(failure((await search(`${recent} LIMIT 10001`)).body).errorCode).toEqual({ changeStatusError: 'INVALID_LIMIT_CLAUSE' });
    expect((await search(`${recent} LIMIT 10000`)).status).toBe(200);
  });

  it('reports a campaign rename in change_status', async () => {
    const campaignId = seed.campaignIdsByKind.video[0] ?? '';
    await sb.control('POST', `/campaigns/${campaignId}/rename`, { name: 'Renamed video' });
    const since = `${new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)} 00:00:00`;
    const res = await search(
      `SELECT change_status.resource_type, change_status.campaign, change_status.last_change_date_time FROM change_status WHERE change_status.last_change_date_time >= '${since}' AND change_status.last_change_date_time <= '2099-01-01 00:00:00' LIMIT 100`,
      {},
      {},
      cid,
    );
    const rows = (res.body.results ?? []) as Json[];
    expect(rows.map((r) => r.changeStatus.campaign)).toContain(`customers/${cid}/campaigns/${campaignId}`);
    expect(rows[0]?.changeStatus.lastChangeDateTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
  });
});

describe('§6 metrics per ad per day', () => {
  it('returns int64 metrics as strings, conversions as numbers, and leaves out all-zero rows', async () => {
    const res = await search(
      'SELECT ad_group_ad.ad.id, segments.date, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions FROM ad_group_ad WHERE segments.date DURING LAST_7_DAYS ORDER BY segments.date',
    );
    expect(res.status).toBe(200);
    const rows = res.body.results as Json[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.segments.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(typeof row.metrics.impressions).toBe('string');
      expect(typeof row.metrics.costMicros).toBe('string');
      expect(typeof row.metrics.conversions).toBe('number');
      expect(Number(row.metrics.impressions) + Number(row.metrics.clicks) + Number(row.metrics.costMicros) + row.metrics.conversions).toBeGreaterThan(0);
    }
    // 12 ads × 7 days minus the quiet/paused ones.
    expect(rows.length).toBeLessThan(12 * 7);
  });
});

describe('§7 faults, errors and quotas', () => {
  it('renders the kit rate-limit fault as 429 RESOURCE_EXHAUSTED with a retryDelay, visible in the request log', async () => {
    await sb.control('PUT', '/faults', { rateLimitRate: 1, retryAfterSeconds: 30 });
    const limited = await search('SELECT customer.id FROM customer');
    expect(limited.status).toBe(429);
    expect(limited.body.error.status).toBe('RESOURCE_EXHAUSTED');
    const entry = failure(limited.body);
    expect(entry.errorCode).toEqual({ quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' });
    expect(entry.details.quotaErrorDetails.retryDelay).toBe('30s');
    await sb.control('DELETE', '/faults');
    expect((await search('SELECT customer.id FROM customer')).status).toBe(200);
    const { body } = await sb.control<{ requests: Json[] }>('GET', '/requests?endpoint=' + encodeURIComponent('POST /customers/{cid}/googleAds:search'));
    expect(body.requests.map((r) => [r.status, r.fault ?? null])).toEqual([
      [429, 'rate_limit'],
      [200, null],
    ]);
  });

  it('renders transient faults as 500 INTERNAL / 503 UNAVAILABLE', async () => {
    await sb.control('PUT', '/faults', { transientErrorRate: 1 });
    const statuses = [(await search('SELECT customer.id FROM customer')).body.error.status, (await search('SELECT customer.id FROM customer')).body.error.status];
    expect(statuses.sort()).toEqual(['INTERNAL', 'UNAVAILABLE']);
  });

  it('treats every token as expired under the expireAllTokens fault', async () => {
    await sb.control('PUT', '/faults', { expireAllTokens: true });
    const res = await search('SELECT customer.id FROM customer');
    expect(failure(res.body).errorCode).toEqual({ authenticationError: 'OAUTH_TOKEN_EXPIRED' });
  });

  it('answers RESOURCE_TEMPORARILY_EXHAUSTED past the per-customer rate and RESOURCE_EXHAUSTED past the daily operations', async () => {
    await sb.control('PUT', '/config', { requestsPerMinutePerCustomer: 2 });
    await search('SELECT customer.id FROM customer');
    await search('SELECT customer.id FROM customer');
    const limited = await search('SELECT customer.id FROM customer');
    expect(limited.status).toBe(429);
    expect(failure(limited.body).errorCode).toEqual({ quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' });
    await sb.control('PUT', '/config', { requestsPerMinutePerCustomer: null, dailyOperationLimit: 3 });
    const other = seed.accountIds[1] ?? '';
    for (let i = 0; i < 3; i++) expect((await search('SELECT customer.id FROM customer', {}, {}, other)).status).toBe(200);
    const daily = await search('SELECT customer.id FROM customer', {}, {}, other);
    expect(daily.status).toBe(429);
    expect(failure(daily.body).errorCode).toEqual({ quotaError: 'RESOURCE_EXHAUSTED' });
    await sb.control('PUT', '/config', { dailyOperationLimit: null });
  });
});
