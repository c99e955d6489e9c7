import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isNetworkError, type NetworkError } from '../../src/networks/errors';
import { FacebookClient, hashUserData } from '../../src/networks/facebook';
import type { AdRecord, FacebookAdTracking, TrackingWrite } from '../../src/networks/types';
import { FACEBOOK_SANDBOX_APP, startFacebookSandbox, type FacebookSandboxControl, type SeedSummary } from '../../src/sandboxes/facebook';

type Started = Awaited<ReturnType<typeof startFacebookSandbox>>;
let fb: Started;
let control: FacebookSandboxControl;
let client: FacebookClient;
let seed: SeedSummary;
let token: string;

const REDIRECT = 'https://app.example/oauth/facebook/callback';

function newClient(overrides: Partial<ConstructorParameters<typeof FacebookClient>[0]> = {}): FacebookClient {
  return new FacebookClient({ graphBaseUrl: fb.url, apiVersion: 'v25.0', appId: FACEBOOK_SANDBOX_APP.id, appSecret: FACEBOOK_SANDBOX_APP.secret, timeoutMs: 5000, ...overrides });
}

async function caught(promise: Promise<unknown>): Promise<NetworkError> {
  try {
    await promise;
  } catch (error) {
    if (isNetworkError(error)) return error;
    throw error;
  }
  throw new Error('expected a NetworkError');
}

async function allAds(accountId: string, scope: 'deliverable' | 'all', pageSize?: number): Promise<{ ads: AdRecord[]; pages: number }> {
  const ads: AdRecord[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await client.listAds(token, accountId, { scope, ...(pageSize ? { pageSize } : {}), ...(cursor ? { cursor } : {}) });
    ads.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor);
  return { ads, pages };
}

async function reseed(adsPerAccount = 12): Promise<void> {
  seed = await control.seed({ seed: 11, accounts: 2, adsPerAccount, landingBaseUrl: 'http://127.0.0.1:4567' });
  token = (await client.exchangeCode({ code: await control.issueCode({ user: seed.user.handle, redirectUri: REDIRECT }), redirectUri: REDIRECT })).accessToken;
}

const facebookTracking = (ad: AdRecord) => ad.tracking as FacebookAdTracking;
const account = () => seed.accounts[0]!.id;

beforeAll(async () => {
  fb = await startFacebookSandbox();
  control = fb.control;
  client = newClient();
  await reseed();
});
afterAll(async () => {
  await fb.server.close();
});
afterEach(async () => {
  await control.clearFaults();
});

describe('FacebookClient: tokens (ACC-2)', () => {
  it('exchangeCode returns a long-lived token with its expiry and scopes; the code is single-use', async () => {
    const code = await control.issueCode({ user: seed.user.handle, redirectUri: REDIRECT });
    const tokens = await client.exchangeCode({ code, redirectUri: REDIRECT });
    expect(Date.parse(tokens.expiresAt!) - Date.now()).toBeGreaterThan(59 * 86_400_000);
    expect(tokens.scopes).toContain('leads_retrieval');
    expect(tokens.refreshToken).toBeUndefined();
    const reuse = await caught(client.exchangeCode({ code, redirectUri: REDIRECT }));
    expect(reuse).toMatchObject({ kind: 'invalid', code: '100' });
    expect(reuse.message).toContain('100/36009');
  });

  it('refreshToken re-extends a valid long-lived token; debugToken reports it', async () => {
    const refreshed = await client.refreshToken({ accessToken: token, scopes: ['ads_read'] });
    expect(refreshed.accessToken).not.toBe(token);
    expect(refreshed.scopes).toEqual(['ads_read']);
    const debug = await client.debugToken(refreshed.accessToken);
    expect(debug).toMatchObject({ isValid: true, type: 'USER', appId: FACEBOOK_SANDBOX_APP.id, userId: seed.user.id });
    expect(Date.parse(debug.expiresAt!)).toBeGreaterThan(Date.now() + 59 * 86_400_000);
  });

  it('an expired token maps to kind auth, for calls and for refresh', async () => {
    await control.advanceClock(61 * 86_400);
    const listing = await caught(client.listAdAccounts(token));
    expect(listing).toMatchObject({ kind: 'auth', code: '190', httpStatus: 400 });
    expect(listing.message).toContain('190/463');
    expect(await caught(client.refreshToken({ accessToken: token }))).toMatchObject({ kind: 'auth' });
    const debug = await client.debugToken(token);
    expect(debug).toMatchObject({ isValid: false, error: { code: 190, subcode: 463 } });
    await reseed();
  });

  it('a revoked token maps to kind auth', async () => {
    await control.revoke({ user: seed.user.handle, reason: 'password_changed' });
    expect(await caught(client.listAdAccounts(token))).toMatchObject({ kind: 'auth', code: '190' });
    await reseed();
  });

  it('sends appsecret_proof: a client with the wrong app secret is refused', async () => {
    const wrong = newClient({ appSecret: 'not-the-secret' });
    const error = await caught(wrong.listAdAccounts(token));
    expect(error.kind).toBe('invalid');
    expect(error.message).toContain('appsecret_proof');
  });
});

describe('FacebookClient: accounts and ads', () => {
  it('listAdAccounts returns act_ ids, currency and the Business Manager (null without one, CONV-3)', async () => {
    const accounts = await client.listAdAccounts(token);
    expect(accounts.map((a) => [a.externalId, a.businessId])).toEqual(seed.accounts.map((a) => [a.id, a.businessId]));
    expect(accounts[0]).toMatchObject({ currency: 'USD', status: '1', timezone: 'America/New_York' });
  });

  it('listAds (deliverable) pages to the end over several pages and maps every ad kind', async () => {
    const { ads, pages } = await allAds(account(), 'deliverable', 2);
    expect(pages).toBeGreaterThan(2);
    const state = (await control.state()) as { ads: { id: string; accountId: string; effectiveStatus: string; kind: string; landingUrl: string | null; engagements: number; urlTags: string }[] };
    const expected = state.ads.filter((ad) => ad.accountId === account() && ['ACTIVE', 'PENDING_REVIEW', 'IN_PROCESS'].includes(ad.effectiveStatus));
    expect(ads.map((ad) => ad.adId).sort()).toEqual(expected.map((ad) => ad.id).sort());
    for (const ad of ads) {
      const truth = expected.find((e) => e.id === ad.adId)!;
      const format = { link: 'link', lead: 'lead', messenger: 'messenger', carousel: 'carousel', carousel_pac: 'carousel_pac', instagram_link: 'link' }[truth.kind];
      expect(facebookTracking(ad).format, truth.kind).toBe(format);
      expect(ad.landingUrl).toBe(truth.kind === 'messenger' ? null : truth.landingUrl);
      expect(facebookTracking(ad).engagements).toBe(truth.engagements);
      expect(facebookTracking(ad).urlTags).toBe(truth.urlTags);
      expect(facebookTracking(ad).isLeadAd).toBe(truth.kind === 'lead');
      expect(ad.status).toBe(truth.effectiveStatus === 'ACTIVE' ? 'active' : 'pending_review');
      expect(ad.campaign.name).not.toBe('');
      expect(ad.adGroup.id).toMatch(/^\d+$/);
    }
  });

  it('listAds (all) includes paused and with-issues ads; updatedSince narrows to recent changes', async () => {
    const { ads } = await allAds(account(), 'all');
    expect(new Set(ads.map((ad) => ad.rawStatus))).toEqual(new Set(['ACTIVE', 'PENDING_REVIEW', 'IN_PROCESS', 'PAUSED', 'WITH_ISSUES']));
    expect(ads.find((ad) => ad.rawStatus === 'WITH_ISSUES')?.status).toBe('other');
    const changed = seed.ads.byKind.carousel[0]!;
    const since = new Date(Date.now() - 2000).toISOString();
    await control.renameCampaign(seed.accounts[0]!.campaignIds[0]!, 'irrelevant for ads');
    await control.setStatus(changed, 'PAUSED');
    const page = await client.listAds(token, account(), { scope: 'all', updatedSince: since });
    expect(page.items.map((ad) => ad.adId)).toEqual([changed]);
    await control.setStatus(changed, 'ACTIVE');
  });

  it('getAdMetrics returns daily ad rows across pages; conversions count leads once', async () => {
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const rows = [];
    let cursor: string | undefined;
    do {
      const page = await client.getAdMetrics(token, account(), { from, to, ...(cursor ? { cursor } : {}) });
      rows.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((r) => r.date >= from && r.date <= to && Number.isFinite(r.spend))).toBe(true);
    expect(new Set(rows.map((r) => `${r.adId}|${r.date}`)).size).toBe(rows.length);
    const totals = await control.graph<{ data: { actions?: { action_type: string; value: string }[] }[] }>('GET', `/v25.0/${account()}/insights`, {
      access_token: token,
      fields: 'actions',
      time_range: { since: from, until: to },
    });
    const leadActions = Number(totals.body.data[0]?.actions?.find((a) => a.action_type === 'lead')?.value ?? 0);
    expect(rows.reduce((sum, r) => sum + r.conversions, 0)).toBe(leadActions);
  });
});

describe('FacebookClient: applyTracking (§3.3, §5)', () => {
  const trackingWrites = (ads: AdRecord[]): TrackingWrite[] =>
    ads.map((ad, i) => ({
      network: 'facebook',
      key: `w${i}`,
      adId: ad.adId,
      creativeId: facebookTracking(ad).creativeId,
      urlTags: `utm_source=facebook&utm_medium=paid&hsa_ad=${ad.adId}&hsa_src={{site_source_name}}`,
    }));

  it('TRK-2 120 writes: per 50 one read, then create-creative + ad-update pairs in batches of 50 operations; each ad gets its new creative and goes to review', async () => {
    await reseed(130);
    const { ads } = await allAds(account(), 'all', 100);
    const targets = ads.slice(0, 120);
    const writes = trackingWrites(targets);
    await control.clearRequests();
    const results = await client.applyTracking(token, account(), writes);
    const batches = await control.requests('POST /batch');
    expect(batches.map((r) => r.batchSize)).toEqual([50, 50, 50, 50, 40]);
    expect((await control.requests()).filter((r) => r.endpoint !== 'POST /batch').map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(results).toHaveLength(120);
    expect(results.every((r) => r.ok && r.createdId && r.createdId !== (writes.find((w) => w.key === r.key) as { creativeId: string }).creativeId)).toBe(true);
    const after = await control.ad(targets[0]!.adId);
    expect(after).toMatchObject({ effectiveStatus: 'PENDING_REVIEW', creativeId: results[0]!.createdId, urlTags: writes[0]!.network === 'facebook' ? writes[0]!.urlTags : '' });
    await reseed();
  });

  it('TRK-2 1,000 eligible ads cost 60 requests: 20 reads of 50 ads and 40 batches of 50 operations (the two documented steps need 2,000 operations, so 40 batches is the floor)', async () => {
    await reseed(1000);
    const { ads } = await allAds(account(), 'all', 100);
    expect(ads).toHaveLength(1000);
    await control.clearRequests();
    const results = await client.applyTracking(token, account(), trackingWrites(ads));
    const log = await control.requests();
    const batches = log.filter((r) => r.endpoint === 'POST /batch');
    expect(results.filter((r) => r.ok)).toHaveLength(1000);
    expect(batches).toHaveLength(40);
    expect(batches.every((r) => r.batchSize === 50)).toBe(true);
    expect(log).toHaveLength(60);
    await reseed();
  });

  it('per-write failures: stale creative, unknown ad and failed batch items are reported per key', async () => {
    const { ads } = await allAds(account(), 'all');
    const [a, b, c] = ads;
    const write = (key: string, ad: AdRecord, creativeId = facebookTracking(ad).creativeId): TrackingWrite => ({ network: 'facebook', key, adId: ad.adId, creativeId, urlTags: 'utm_source=facebook' });
    const results = await client.applyTracking(token, account(), [
      write('stale', a!, '1'),
      { network: 'facebook', key: 'ghost', adId: '999999999', creativeId: '1', urlTags: 'x=y' },
      write('ok', b!),
    ]);
    expect(results.find((r) => r.key === 'stale')?.error).toMatchObject({ kind: 'transient', code: 'creative_changed' });
    expect(results.find((r) => r.key === 'ghost')?.error).toMatchObject({ kind: 'not_found' });
    expect(results.find((r) => r.key === 'ok')).toMatchObject({ ok: true });

    await control.setFaults({ batchItemFailureRate: 1 });
    const [failed] = await client.applyTracking(token, account(), [write('flaky', c!)]);
    expect(failed).toMatchObject({ ok: false, error: { kind: 'transient', code: '2' } });
  });

  it('a request-level failure before anything was applied is thrown (rate limit → retryAfterMs)', async () => {
    const { ads } = await allAds(account(), 'all');
    await control.setFaults({ rateLimitRate: 1, retryAfterSeconds: 180 });
    const error = await caught(client.applyTracking(token, account(), [{ network: 'facebook', key: 'k', adId: ads[0]!.adId, creativeId: facebookTracking(ads[0]!).creativeId, urlTags: 'a=b' }]));
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 180_000 });
  });
});

describe('FacebookClient: error mapping (§9)', () => {
  it('rate limit → rate_limited with retryAfterMs from X-Business-Use-Case-Usage', async () => {
    await control.setFaults({ rateLimitRate: 1, retryAfterSeconds: 300 });
    const error = await caught(client.listAds(token, account(), { scope: 'deliverable' }));
    expect(error).toMatchObject({ kind: 'rate_limited', code: '80004', retryAfterMs: 300_000 });
    expect(error.retryable).toBe(true);
  });

  it('transient fault → transient; a timeout → transient', async () => {
    await control.setFaults({ transientErrorRate: 1 });
    expect(await caught(client.listAdAccounts(token))).toMatchObject({ kind: 'transient', code: '2', httpStatus: 500 });
    await control.setFaults({ transientErrorRate: 0, timeoutRate: 1, timeoutHoldMs: 2000 });
    const impatient = newClient({ timeoutMs: 200 });
    expect(await caught(impatient.listAdAccounts(token))).toMatchObject({ kind: 'transient', code: 'timeout' });
  });

  it('missing permission → permission; unknown form → not_found', async () => {
    const narrow = await control.loginAs(seed.user.handle, { scopes: ['ads_read'] });
    expect(await caught(client.listLeads(narrow, account(), { formId: seed.accounts[0]!.formIds[0]! }))).toMatchObject({ kind: 'permission', code: '200' });
    expect(await caught(client.listLeads(token, account(), { formId: '424242' }))).toMatchObject({ kind: 'not_found' });
  });
});

describe('FacebookClient: leads and conversions', () => {
  it('listLeadForms finds the forms of the account Page', async () => {
    expect(await client.listLeadForms(token, account())).toEqual([{ formId: seed.accounts[0]!.formIds[0], name: 'Demo request', status: 'ACTIVE' }]);
  });

  it('listLeads pages to the end, keeps ids and answers, flags organic leads (LEAD-1, LEAD-3), honours since', async () => {
    const formId = seed.accounts[0]!.formIds[0]!;
    const pushed = await control.pushLeads({ formId, leads: [{ email: 'ana@example.com', fullName: 'Ana Example', phone: '+4915112345678', adId: seed.ads.byKind.lead[0] }] });
    const leads = [];
    let cursor: string | undefined;
    do {
      const page = await client.listLeads(token, account(), { formId, pageSize: 2, ...(cursor ? { cursor } : {}) });
      leads.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(leads.length).toBe((await control.leads(formId)).length);
    const ana = leads.find((lead) => lead.leadId === pushed.leads[0]!.id)!;
    expect(ana).toMatchObject({ formId, adId: seed.ads.byKind.lead[0], isOrganic: false, fields: { email: 'ana@example.com', full_name: 'Ana Example', phone_number: '+4915112345678' } });
    expect(ana.campaignId).toMatch(/^\d+$/);
    expect(leads.filter((lead) => lead.isOrganic).every((lead) => lead.adId === undefined)).toBe(true);
    expect(leads.some((lead) => lead.isOrganic)).toBe(true);
    const recent = await client.listLeads(token, account(), { formId, since: pushed.leads[0]!.createdTime });
    expect(recent.items.map((lead) => lead.leadId)).toEqual([pushed.leads[0]!.id]);
  });

  it('sendEvents posts hashed events to the pixel; more than 1000 are refused before any request', async () => {
    const event = {
      event_name: 'Lead',
      event_time: Math.floor(Date.now() / 1000),
      event_id: 'form-1',
      action_source: 'website' as const,
      event_source_url: 'https://example.com/contact',
      user_data: { ...hashUserData({ email: ' John_Smith@gmail.com ', phone: '+1 (650) 555-1212' }), client_user_agent: 'Mozilla/5.0' },
    };
    const result = await client.sendEvents(token, seed.accounts[0]!.pixelId, [event], { testEventCode: 'TEST123' });
    expect(result).toMatchObject({ eventsReceived: 1, messages: [] });
    const { accepted } = await control.conversions(seed.accounts[0]!.pixelId);
    expect(accepted.at(-1)).toMatchObject({ eventName: 'Lead', testEventCode: 'TEST123' });
    await control.clearRequests();
    const tooMany = await caught(client.sendEvents(token, seed.accounts[0]!.pixelId, Array.from({ length: 1001 }, () => event)));
    expect(tooMany.kind).toBe('invalid');
    expect(await control.requests('POST /{pixel_id}/events')).toHaveLength(0);
  });

  it('a too-old event surfaces as kind invalid with the Graph code', async () => {
    const old = { event_name: 'Lead', event_time: Math.floor(Date.now() / 1000) - 8 * 86_400, action_source: 'email' as const, user_data: hashUserData({ email: 'a@b.co' }) };
    expect(await caught(client.sendEvents(token, seed.accounts[0]!.pixelId, [old]))).toMatchObject({ kind: 'invalid', code: '100' });
  });

  it('issue 15 item 8b checkConversionDestination reads GET /{pixel-id}: the seeded pixel is usable, an unknown one not_found', async () => {
    expect(await client.checkConversionDestination(token, account(), seed.accounts[0]!.pixelId)).toEqual({ ok: true });
    expect(await client.checkConversionDestination(token, account(), '99999999999999')).toMatchObject({ ok: false, problem: 'not_found' });
  });
});

describe('client hygiene', () => {
  it('src/networks/facebook never mentions the word "sandbox" (the client must work unchanged against Meta)', () => {
    const dir = path.join(__dirname, '../../src/networks/facebook');
    const files = readdirSync(dir).filter((name) => statSync(path.join(dir, name)).isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect(readFileSync(path.join(dir, name), 'utf8'), name).not.toMatch(/sandbox/i);
  });
});
