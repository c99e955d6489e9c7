import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NetworkError } from '../../src/networks/errors';
import { GoogleAdsClient, type GoogleAdsClientOptions, type GoogleClickConversion } from '../../src/networks/google';
import type { AdRecord, GoogleAdTracking, TrackingWrite } from '../../src/networks/types';
import { HARNESS_CLIENT } from '../../src/sandboxes/google/harness';
import { cid, sb, seed, token, useGoogleContract, useToken } from './support/google-contract';

/** Every GoogleAdsClient method over real HTTP against the sandbox, incl. paging and error mapping. */

type Json = Record<string, any>;

const options = (extra: Partial<GoogleAdsClientOptions> = {}): GoogleAdsClientOptions => ({
  apiBaseUrl: sb.url,
  apiVersion: 'v22',
  oauthTokenUrl: `${sb.url}/token`,
  clientId: HARNESS_CLIENT.clientId,
  clientSecret: HARNESS_CLIENT.clientSecret,
  developerToken: 'abcdefghijklmnopqrstuv',
  timeoutMs: 5_000,
  ...extra,
});
let client: GoogleAdsClient;

async function caught(promise: Promise<unknown>): Promise<NetworkError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NetworkError) return error;
    throw error;
  }
  throw new Error('expected a NetworkError');
}

async function allAds(c: GoogleAdsClient, scope: 'all' | 'deliverable', accountId = cid, updatedSince?: string): Promise<{ items: AdRecord[]; pages: number }> {
  const items: AdRecord[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await c.listAds(token, accountId, { scope, ...(cursor ? { cursor } : {}), ...(updatedSince ? { updatedSince } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor);
  return { items, pages };
}

const calls = async (endpoint: string) => (await sb.control<{ requests: Json[] }>('GET', `/requests?endpoint=${encodeURIComponent(endpoint)}`)).body.requests;

useGoogleContract(31, () => {
  client = new GoogleAdsClient(options());
});

describe('§1.1 tokens', () => {
  it('exchangeCode returns a TokenSet; refreshToken keeps the refresh token Google does not resend', async () => {
    const redirectUri = 'https://app.example/oauth/google';
    const { body } = await sb.control<{ code: string }>('POST', '/oauth/codes', { user: 'user-1', redirectUri });
    const tokens = await client.exchangeCode({ code: body.code, redirectUri });
    expect(tokens.accessToken).toMatch(/^ya29\./);
    expect(tokens.scopes).toEqual(['https://www.googleapis.com/auth/adwords']);
    expect(Date.parse(tokens.expiresAt ?? '') - Date.now()).toBeGreaterThan(3_500_000);
    const refreshed = await client.refreshToken(tokens);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);

    const reused = await caught(client.exchangeCode({ code: body.code, redirectUri }));
    expect(reused).toMatchObject({ kind: 'auth', code: 'invalid_grant', httpStatus: 400 });
    await sb.control('POST', '/tokens/revoke', { user: 'user-1' });
    expect(await caught(client.refreshToken(tokens))).toMatchObject({ kind: 'auth', code: 'invalid_grant' });
  });
});

describe('§2.1 listAdAccounts', () => {
  it('lists the directly reachable client accounts with their facts, managers left out', async () => {
    const accounts = await client.listAdAccounts(token);
    expect(accounts.map((a) => a.externalId)).toEqual(seed.accountIds);
    expect(accounts[0]).toEqual({ externalId: cid, name: 'Sandbox Account 1', currency: 'USD', timezone: 'America/Los_Angeles', status: 'ENABLED' });
  });

  it('adds the clients of the configured manager and reaches them through login-customer-id', async () => {
    useToken((await sb.connect('agency', [seed.managerId])).accessToken);
    expect(await client.listAdAccounts(token)).toEqual([]);
    const viaManager = new GoogleAdsClient(options({ loginCustomerId: seed.managerId }));
    expect((await viaManager.listAdAccounts(token)).map((a) => a.externalId).sort()).toEqual([...seed.accountIds].sort());
    expect((await viaManager.listAds(token, cid, { scope: 'all' })).items).toHaveLength(12);
  });
});

describe('listAds', () => {
  it('pages through every ad (> 1 page) and maps tracking from customer, campaign, ad group and ad levels', async () => {
    await sb.control('PUT', '/config', { searchPageSize: 5 });
    const { items, pages } = await allAds(client, 'all');
    expect(pages).toBe(3);
    expect(items).toHaveLength(12);
    expect(new Set(items.map((a) => a.adId)).size).toBe(12);

    const tracking = (id: string | undefined) => items.find((a) => a.adId === id)?.tracking as GoogleAdTracking;
    expect(tracking(seed.adIdsByKind.search[0]).customerTrackingUrlTemplate).toContain('{lpurl}');
    expect(tracking(seed.adIdsByKind.search[0]).channelType).toBe('SEARCH');
    const adGroupConflict = seed.scenarios.adGroupTemplateAdIds.find((id) => items.some((a) => a.adId === id));
    expect(tracking(adGroupConflict).adGroupTrackingUrlTemplate).toContain('adgroup_src');
    const adConflict = seed.scenarios.adTemplateAdIds.find((id) => items.some((a) => a.adId === id));
    expect(tracking(adConflict).adTrackingUrlTemplate).toContain('ad_src');
    const advertiser = items.find((a) => seed.scenarios.advertiserTemplateCampaignIds.includes(a.campaign.id));
    expect((advertiser?.tracking as GoogleAdTracking).campaignCustomParameters).toEqual([
      { key: 'content', value: 'spring' },
      { key: 'promo', value: 'P10' },
    ]);
    const ad = items.find((a) => a.adId === seed.adIdsByKind.search[0]);
    expect(ad).toMatchObject({ network: 'google', accountId: cid, campaign: { name: expect.stringContaining('Search') }, landingUrl: expect.stringContaining('/g0-0') });
  });

  it('scope "deliverable" = enabled ads in enabled campaigns and ad groups, including ads under review', async () => {
    const { items } = await allAds(client, 'deliverable');
    const ids = items.map((a) => a.adId);
    for (const id of seed.scenarios.pausedAdIds) expect(ids).not.toContain(id);
    for (const id of seed.scenarios.disapprovedAdIds) expect(ids).not.toContain(id);
    expect(items.every((a) => !seed.scenarios.pausedCampaignIds.includes(a.campaign.id))).toBe(true);
    const underReview = items.filter((a) => a.status === 'pending_review');
    expect(underReview.length).toBeGreaterThan(0);
    expect(items.every((a) => a.status === 'active' || a.status === 'pending_review')).toBe(true);
  });

  it('updatedSince lists only ads whose campaign, ad group or ad changed (change_status)', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    expect((await allAds(client, 'all', cid, since)).items).toEqual([]);

    const renamed = seed.campaignIdsByKind.display.find((id) => sb.state.campaigns.get(id)?.customerId === cid) ?? '';
    await sb.control('POST', `/campaigns/${renamed}/rename`, { name: 'Display renamed' });
    const paused = seed.adIdsByKind.video.find((id) => sb.state.ads.get(id)?.customerId === cid) ?? '';
    await sb.control('POST', `/ads/${paused}/status`, { status: 'PAUSED' });

    const { items } = await allAds(client, 'all', cid, since);
    const expected = [...sb.state.ads.values()].filter((a) => a.campaignId === renamed).map((a) => a.id).concat(paused);
    expect(new Set(items.map((a) => a.adId))).toEqual(new Set(expected));
    expect(items.find((a) => a.campaign.id === renamed)?.campaign.name).toBe('Display renamed');
    expect(items.find((a) => a.adId === paused)?.status).toBe('paused');
  });
});

describe('§3.2 applyTracking', () => {
  const template = '{lpurl}?utm_source=adwords&utm_medium=ppc&utm_campaign={_utmcampaign}&hsa_cam={campaignid}&hsa_ver=3';
  const write = (key: string, campaignId: string, trackingUrlTemplate = template): TrackingWrite => ({
    network: 'google',
    key,
    campaignId,
    trackingUrlTemplate,
    urlCustomParameters: [{ key: 'utmcampaign', value: key }],
  });
  const ownCampaigns = () => [...sb.state.campaigns.values()].filter((c) => c.customerId === cid).map((c) => c.id);

  it('writes campaign templates with partial failure and maps per-write results from the failure indexes', async () => {
    const [a = '', b = '', c = ''] = ownCampaigns();
    const results = await client.applyTracking(token, cid, [write('a', a), write('b', b, 'utm_source=adwords'), write('c', c)]);
    expect(results.map((r) => [r.key, r.ok])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ]);
    expect(results[1]?.error).toMatchObject({ kind: 'invalid', code: 'MISSING_PROTOCOL_IN_TRACKING_URL_TEMPLATE' });
    expect(sb.state.campaigns.get(a)).toMatchObject({ trackingUrlTemplate: template, urlCustomParameters: [{ key: 'utmcampaign', value: 'a' }] });
    const requests = await calls('POST /customers/{cid}/campaigns:mutate');
    expect(requests.map((r) => r.batchSize)).toEqual([3]);
  });

  it('never sends the same campaign twice in one request (ID_EXISTS_IN_MULTIPLE_MUTATES)', async () => {
    const [a = '', b = ''] = ownCampaigns();
    const results = await client.applyTracking(token, cid, [write('a1', a), write('b', b), write('a2', a)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await calls('POST /customers/{cid}/campaigns:mutate')).map((r) => r.batchSize)).toEqual([2, 1]);
    expect(sb.state.campaigns.get(a)?.urlCustomParameters).toEqual([{ key: 'utmcampaign', value: 'a2' }]);
  });

  it('maps CONCURRENT_MODIFICATION per write to a transient error', async () => {
    await sb.control('PUT', '/faults', { batchItemFailureRate: 1 });
    const [a = '', b = ''] = ownCampaigns();
    const results = await client.applyTracking(token, cid, [write('a', a), write('b', b)]);
    expect(results.map((r) => r.error?.kind)).toEqual(['transient', 'transient']);
    expect(results[0]?.error?.code).toBe('CONCURRENT_MODIFICATION');
  });
});

describe('§6 getAdMetrics', () => {
  it('pages metrics per ad per day and turns cost_micros into spend', async () => {
    await sb.control('PUT', '/config', { searchPageSize: 10 });
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    const rows = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.getAdMetrics(token, cid, { from, to, ...(cursor ? { cursor } : {}) });
      rows.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBeGreaterThan(1);
    await sb.control('PUT', '/config', { searchPageSize: 10_000 });
    const raw = await fetch(`${sb.url}/v22/customers/${cid}/googleAds:search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `SELECT ad_group_ad.ad.id, segments.date, metrics.cost_micros FROM ad_group_ad WHERE segments.date BETWEEN '${from}' AND '${to}'` }),
    }).then((r) => r.json() as Promise<Json>);
    const micros = (raw.results as Json[]).reduce((sum, r) => sum + Number(r.metrics.costMicros), 0);
    expect(rows.reduce((sum, r) => sum + r.spend, 0)).toBeCloseTo(micros / 1_000_000, 6);
    expect(rows[0]).toMatchObject({ adId: expect.stringMatching(/^\d+$/), date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(typeof rows[0]?.impressions).toBe('number');
  });
});

describe('§5 lead forms and leads', () => {
  it('lists lead form assets and their submissions, organic ones marked, since honoured, gclid kept', async () => {
    const forms = await client.listLeadForms(token, cid);
    expect(forms).toEqual([{ formId: seed.leadFormIds[0], name: expect.any(String), status: 'APPROVED' }]);
    const formId = forms[0]?.formId ?? '';

    await sb.control('PUT', '/config', { searchPageSize: 2 });
    const leads = [];
    let cursor: string | undefined;
    do {
      const page = await client.listLeads(token, cid, { formId, ...(cursor ? { cursor } : {}) });
      leads.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(leads).toHaveLength(3);
    expect(leads[0]).toMatchObject({ network: 'google', formId, isOrganic: false, fields: { email: 'lead.0.1@example.com', full_name: 'Ada Lovelace', 'What is your budget?': '10k' } });
    expect(leads[0]?.adId).toMatch(/^\d+$/);
    expect(leads[0]?.fields.gclid).toBeTruthy();
    expect(leads[2]).toMatchObject({ isOrganic: true });
    expect(leads[2]?.campaignId).toBeUndefined();
    expect(Math.abs(Date.parse(leads[2]?.createdTime ?? '') - (Date.now() - 86_400_000))).toBeLessThan(60_000);

    const recent = await client.listLeads(token, cid, { formId, since: new Date(Date.now() - 36 * 3_600_000).toISOString() });
    expect(recent.items.map((l) => l.leadId)).toEqual([leads[2]?.leadId]);
  });
});

describe('§4.2 uploadClickConversions', () => {
  it('chunks by 2,000, hashes identifiers and returns per-row results in input order', async () => {
    const action = seed.conversionActionIds[0] ?? '';
    const gclid = seed.gclids.find((g) => sb.state.clicks.get(g)?.customerId === cid) ?? '';
    const time = new Date(Date.now() - 3_600_000).toISOString();
    const conversions: GoogleClickConversion[] = Array.from({ length: 2_001 }, (_v, i) => ({ conversionActionId: action, conversionTime: time, gclid, orderId: `deal-${i % 2_000}` }));
    conversions[1] = { conversionActionId: action, conversionTime: time, orderId: 'lead-x', email: ' Jane.Doe@Gmail.com ' };
    const results = await client.uploadClickConversions(token, cid, conversions);
    expect(results).toHaveLength(2_001);
    expect(results[0]).toEqual({ index: 0, ok: true });
    expect(results[1]).toEqual({ index: 1, ok: true });
    expect(results[2_000]).toMatchObject({ index: 2_000, ok: false, error: { kind: 'invalid', code: 'ORDER_ID_ALREADY_IN_USE' } });
    expect((await calls('POST /customers/{cid}:uploadClickConversions')).map((r) => r.batchSize)).toEqual([2_000, 1]);
    const accepted = (await sb.control<{ accepted: Json[] }>('GET', '/conversions')).body.accepted;
    const hashed = accepted.find((c) => c.conversion.orderId === 'lead-x')?.conversion.userIdentifiers[0].hashedEmail;
    expect(hashed).toBe(createHash('sha256').update('janedoe@gmail.com').digest('hex'));
    expect(accepted[0]?.conversion.conversionDateTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00$/);
  });

  it('maps TOO_RECENT_EVENT to a transient row error with a retry delay', async () => {
    const adId = seed.adIdsByKind.search.find((id) => sb.state.ads.get(id)?.customerId === cid) ?? '';
    const { body } = await sb.control<Json>('POST', `/ads/${adId}/click`, {});
    const results = await client.uploadClickConversions(token, cid, [
      { conversionActionId: seed.conversionActionIds[0] ?? '', conversionTime: new Date(Date.now() + 60_000).toISOString(), gclid: body.gclid as string },
    ]);
    expect(results[0]?.error).toMatchObject({ kind: 'transient', code: 'TOO_RECENT_EVENT', retryAfterMs: 6 * 3_600_000 });
  });

  it('lists the conversion actions to upload to', async () => {
    const actions = await client.listConversionActions(token, cid);
    expect(actions.find((a) => a.type === 'UPLOAD_CLICKS')?.id).toBe(seed.conversionActionIds[0]);
  });

  it('issue 15 item 8b checkConversionDestination: an UPLOAD_CLICKS action is usable, another type not_usable, an unknown id not_found', async () => {
    const resource = (id: string) => `customers/${cid}/conversionActions/${id}`;
    expect(await client.checkConversionDestination(token, cid, resource(seed.conversionActionIds[0] ?? ''))).toEqual({ ok: true });
    const other = (await client.listConversionActions(token, cid)).find((a) => a.type !== 'UPLOAD_CLICKS');
    expect(await client.checkConversionDestination(token, cid, resource(other?.id ?? ''))).toMatchObject({ ok: false, problem: 'not_usable' });
    expect(await client.checkConversionDestination(token, cid, resource('12345'))).toMatchObject({ ok: false, problem: 'not_found' });
  });
});

describe('§7 error mapping', () => {
  it('RESOURCE_EXHAUSTED → rate_limited with retryAfterMs from retryDelay', async () => {
    await sb.control('PUT', '/faults', { rateLimitRate: 1, retryAfterSeconds: 30 });
    expect(await caught(client.listAds(token, cid, { scope: 'all' }))).toMatchObject({
      kind: 'rate_limited',
      code: 'RESOURCE_TEMPORARILY_EXHAUSTED',
      httpStatus: 429,
      retryAfterMs: 30_000,
    });
  });

  it('INTERNAL / UNAVAILABLE → transient', async () => {
    await sb.control('PUT', '/faults', { transientErrorRate: 1 });
    const first = await caught(client.listLeadForms(token, cid));
    const second = await caught(client.listLeadForms(token, cid));
    expect([first.kind, second.kind]).toEqual(['transient', 'transient']);
    expect([first.httpStatus, second.httpStatus].sort()).toEqual([500, 503]);
  });

  it('UNAUTHENTICATED (expired token) → auth', async () => {
    await sb.control('POST', '/clock', { advanceSeconds: 3_600 });
    expect(await caught(client.getAdMetrics(token, cid, { from: '2024-05-01', to: '2024-05-02' }))).toMatchObject({ kind: 'auth', code: 'OAUTH_TOKEN_EXPIRED', httpStatus: 401 });
  });

  it('PERMISSION_DENIED (wrong login-customer-id) → permission', async () => {
    const wrongManager = new GoogleAdsClient(options({ loginCustomerId: seed.accountIds[1] ?? '' }));
    expect(await caught(wrongManager.listAds(token, cid, { scope: 'all' }))).toMatchObject({ kind: 'permission', code: 'USER_PERMISSION_DENIED', httpStatus: 403 });
  });

  it('a hung request → transient TIMEOUT', async () => {
    await sb.control('PUT', '/faults', { timeoutRate: 1, timeoutHoldMs: 2_000 });
    const impatient = new GoogleAdsClient(options({ timeoutMs: 200 }));
    expect(await caught(impatient.listLeadForms(token, cid))).toMatchObject({ kind: 'transient', code: 'TIMEOUT' });
  });
});
