import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NetworkError } from '../../src/networks/errors';
import { LinkedInClient, LINKEDIN_CREATIVE_ID_TOKEN, type LinkedInConversionEvent } from '../../src/networks/linkedin';
import { RestliTransport } from '../../src/networks/linkedin/http';
import { buildQuery, List } from '../../src/networks/linkedin/restli';
import type { AdRecord, LinkedInAdTracking, NetworkLead, Page } from '../../src/networks/types';
import { startLinkedInSandbox, type RunningLinkedInSandbox } from '../../src/sandboxes/linkedin/harness';
import type { SeedSummary } from '../../src/sandboxes/linkedin/seed';

/** Every LinkedInClient method over HTTP against the sandbox (reference sections in test names). */

const VERSION = '202608';
const REDIRECT = 'https://app.example/oauth/linkedin';
let li: RunningLinkedInSandbox;
let client: LinkedInClient;
let seed: SeedSummary;
let token: string;

const makeClient = (over: Partial<ConstructorParameters<typeof LinkedInClient>[0]> = {}) =>
  new LinkedInClient({ apiBaseUrl: li.url, oauthBaseUrl: li.url, apiVersion: VERSION, clientId: li.credentials.clientId, clientSecret: li.credentials.clientSecret, timeoutMs: 5_000, ...over });

async function rejection(promise: Promise<unknown>): Promise<NetworkError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NetworkError) return error;
    throw error;
  }
  throw new Error('expected a NetworkError');
}

async function allPages<T>(fetchPage: (cursor?: string) => Promise<Page<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
    if (pages > 500) throw new Error('paging does not end');
  } while (cursor);
  return { items, pages };
}

async function requests(): Promise<{ endpoint: string; status: number; batchSize?: number }[]> {
  const all = (await li.control<{ requests: { endpoint: string; status: number; batchSize?: number }[] }>('GET', '/_sandbox/requests')).body.requests;
  return all.filter((r) => !r.endpoint.includes('/_sandbox'));
}

const accountId = () => seed.accounts[0]!.id;
const linkedin = (ad: AdRecord) => ad.tracking as LinkedInAdTracking;

beforeAll(async () => {
  li = await startLinkedInSandbox();
  client = makeClient();
});

afterAll(async () => {
  await li.close();
});

beforeEach(async () => {
  await li.control('DELETE', '/_sandbox/faults');
  seed = await li.seed({ seed: 3, accounts: 2, adsPerAccount: 24 });
  const { body } = await li.control<{ code: string }>('POST', '/_sandbox/oauth/codes', { user: 'demo', redirectUri: REDIRECT });
  token = (await client.exchangeCode({ code: body.code, redirectUri: REDIRECT })).accessToken;
  await li.control('DELETE', '/_sandbox/requests');
});

describe('OAuth (§1)', () => {
  it('§1 exchangeCode returns a 60-day token, the refresh token with its 365-day expiry and the scopes', async () => {
    const { body } = await li.control<{ code: string }>('POST', '/_sandbox/oauth/codes', { user: 'demo', redirectUri: REDIRECT });
    const tokens = await client.exchangeCode({ code: body.code, redirectUri: REDIRECT });
    expect(tokens.accessToken).toMatch(/^AQV/);
    expect(tokens.refreshToken).toMatch(/^AQW/);
    expect(Date.parse(tokens.expiresAt!) - Date.now()).toBeGreaterThan(59 * 86_400_000);
    expect(Date.parse(tokens.refreshTokenExpiresAt!) - Date.now()).toBeGreaterThan(364 * 86_400_000);
    expect(tokens.scopes).toContain('rw_ads');
    const reused = await rejection(client.exchangeCode({ code: body.code, redirectUri: REDIRECT }));
    expect(reused).toMatchObject({ kind: 'auth', code: 'invalid_grant', httpStatus: 400 });
  });

  it('§1 refreshToken issues a working access token and keeps the refresh token; a revoked grant needs reconnect', async () => {
    const { body } = await li.control<{ code: string }>('POST', '/_sandbox/oauth/codes', { user: 'demo', redirectUri: REDIRECT });
    const tokens = await client.exchangeCode({ code: body.code, redirectUri: REDIRECT });
    await li.control('POST', '/_sandbox/clock', { advanceSeconds: 61 * 86_400 });
    expect(await rejection(client.listAdAccounts(tokens.accessToken))).toMatchObject({ kind: 'auth', code: 'EXPIRED_ACCESS_TOKEN' });
    const refreshed = await client.refreshToken(tokens);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    expect((await client.listAdAccounts(refreshed.accessToken)).length).toBe(2);
    await li.control('POST', '/_sandbox/tokens/revoke', { accessToken: refreshed.accessToken });
    expect(await rejection(client.listAdAccounts(refreshed.accessToken))).toMatchObject({ kind: 'auth', code: 'REVOKED_ACCESS_TOKEN', httpStatus: 401 });
    expect(await rejection(client.refreshToken(refreshed))).toMatchObject({ kind: 'auth', code: 'invalid_grant' });
  });
});

describe('accounts and ads (§2)', () => {
  it('§2.2 listAdAccounts returns the member’s accounts', async () => {
    const accounts = await client.listAdAccounts(token);
    expect(accounts.map((a) => a.externalId).sort()).toEqual(seed.accounts.map((a) => a.id).sort());
    expect(accounts[0]).toMatchObject({ status: 'ACTIVE', currency: expect.any(String), businessId: null });
  });

  it('§2.5/§2.6 listAds deliverable pages to the end and returns exactly the active or in-review creatives of active campaigns', async () => {
    const { items, pages } = await allPages((cursor) => client.listAds(token, accountId(), { scope: 'deliverable', pageSize: 3, ...(cursor ? { cursor } : {}) }));
    expect(pages).toBeGreaterThan(1);
    const expected = [...li.state.creatives.values()]
      .filter((c) => String(c.accountId) === accountId())
      .filter((c) => c.intendedStatus === 'ACTIVE' && li.state.campaigns.get(c.campaignId)?.status === 'ACTIVE')
      .filter((c) => li.state.servingOf(c).isServing || c.review?.status === 'PENDING')
      .map((c) => String(c.id));
    expect(expected.length).toBeGreaterThan(3);
    expect(items.map((a) => a.adId).sort()).toEqual(expected.sort());
    for (const ad of items) expect(['active', 'pending_review']).toContain(ad.status);
  });

  it('§2.5 listAds all: every creative, joined with campaign, campaign group, post and landing URL', async () => {
    const { items } = await allPages((cursor) => client.listAds(token, accountId(), { scope: 'all', pageSize: 7, ...(cursor ? { cursor } : {}) }));
    expect(items).toHaveLength(seed.accounts[0]!.adIds.length);
    const expectedFormat: Record<string, string> = {
      single_image: 'SPONSORED_UPDATE',
      video: 'SPONSORED_UPDATE',
      document: 'SPONSORED_UPDATE',
      lead_gen: 'SPONSORED_UPDATE',
      carousel: 'CAROUSEL',
      message: 'SPONSORED_INMAILS',
      conversation: 'CONVERSATION',
      text: 'TEXT_AD',
    };
    for (const seeded of seed.ads.filter((a) => a.accountId === accountId())) {
      const ad = items.find((a) => a.adId === seeded.id)!;
      const campaign = li.state.campaigns.get(Number(seeded.campaignId))!;
      expect(ad.campaign).toEqual({ id: seeded.campaignId, name: campaign.name });
      expect(ad.adGroup).toEqual(ad.campaign);
      expect(linkedin(ad).campaignGroupId).toBe(String(campaign.groupId));
      expect(linkedin(ad).format).toBe(expectedFormat[seeded.kind]);
      if (!['message', 'conversation'].includes(seeded.kind)) expect(ad.landingUrl).toBe(seeded.landingUrl);
      if (['single_image', 'video', 'carousel', 'document', 'lead_gen'].includes(seeded.kind)) expect(linkedin(ad).postUrn).toMatch(/^urn:li:(share|ugcPost):\d+$/);
      if (seeded.state === 'draft') expect(ad.status).toBe('other');
      if (seeded.state === 'rejected') expect(ad.status).toBe('disapproved');
      if (seeded.state === 'archived') expect(ad.status).toBe('archived');
      expect(Number.isNaN(Date.parse(ad.updatedTime))).toBe(false);
    }
    const partner = items.find((a) => linkedin(a).campaignUrlParameters.some((p) => p.key === 'utm_source' && p.value === 'partner'));
    expect(partner).toBeDefined();
  });

  it('§2.5 listAds updatedSince: a renamed campaign surfaces its ads (creative, campaign and post times count)', async () => {
    const since = new Date().toISOString();
    const campaignId = seed.ads[0]!.campaignId;
    await li.control('POST', `/_sandbox/campaigns/${campaignId}/rename`, { name: 'Renamed campaign' });
    const { items } = await allPages((cursor) => client.listAds(token, accountId(), { scope: 'all', updatedSince: since, ...(cursor ? { cursor } : {}) }));
    const expected = seed.ads.filter((a) => a.campaignId === campaignId).map((a) => a.id);
    expect(items.map((a) => a.adId).sort()).toEqual(expected.sort());
    expect(items.every((a) => a.campaign.name === 'Renamed campaign')).toBe(true);
  });
});

describe('applyTracking (§2.4, §2.7)', () => {
  it('TRK-8 §2.7 one PUT per campaign on its adTrackingParameters resource replaces the set; listAds reads it back; a click carries it, tokens resolved', async () => {
    expect(client.limits.writeBatchMax).toBe(1);
    const ad = seed.ads.find((a) => a.accountId === accountId() && a.kind === 'video' && a.landingUrl && !a.landingUrl.includes('#'))!;
    const urlParameters = [
      { key: 'utm_source', value: 'linkedin' },
      { key: 'utm_campaign', value: 'Q4 Webinar' },
      { key: 'hsa_grp', value: ad.campaignId },
      { key: 'hsa_ad', value: LINKEDIN_CREATIVE_ID_TOKEN },
    ];
    const results = await client.applyTracking(token, accountId(), [{ network: 'linkedin', key: 'k1', campaignId: ad.campaignId, urlParameters }]);
    expect(results).toEqual([{ key: 'k1', ok: true }]);
    expect((await requests()).map((r) => `${r.endpoint} ${r.status}`)).toEqual(['PUT /rest/adTrackingParameters/{key} 204']);

    const listed = await allPages((cursor) => client.listAds(token, accountId(), { scope: 'all', ...(cursor ? { cursor } : {}) }));
    expect(linkedin(listed.items.find((a) => a.adId === ad.id)!).campaignUrlParameters).toEqual(urlParameters);

    const click = (await li.control<{ landingUrl: string }>('POST', `/_sandbox/ads/${ad.id}/click`, {})).body;
    const params = new URL(click.landingUrl).searchParams;
    expect(params.get('hsa_ad')).toBe(ad.id);
    expect(params.get('utm_campaign')).toBe('Q4 Webinar');
  });

  it('§2.4 invalid and forbidden writes come back as failed results; an expired token throws', async () => {
    const [c1, c2] = seed.accounts[0]!.campaignIds;
    const results = await client.applyTracking(token, accountId(), [
      { network: 'linkedin', key: 'bad', campaignId: c1!, urlParameters: [{ key: 'has space', value: 'x' }] },
      { network: 'linkedin', key: 'good', campaignId: c2!, urlParameters: [{ key: 'utm_medium', value: 'paid' }] },
      { network: 'linkedin', key: 'missing', campaignId: '999', urlParameters: [] },
    ]);
    expect(results.map((r) => [r.key, r.ok, r.error?.kind])).toEqual([
      ['bad', false, 'invalid'],
      ['good', true, undefined],
      ['missing', false, 'not_found'],
    ]);
    const { body } = await li.control<{ code: string }>('POST', '/_sandbox/oauth/codes', { user: 'viewer', redirectUri: REDIRECT });
    const viewer = (await client.exchangeCode({ code: body.code, redirectUri: REDIRECT })).accessToken;
    const forbidden = await client.applyTracking(viewer, accountId(), [{ network: 'linkedin', key: 'v', campaignId: c1!, urlParameters: [] }]);
    expect(forbidden[0]).toMatchObject({ ok: false, error: { kind: 'permission', code: 'ACCESS_DENIED', httpStatus: 403 } });
    await li.control('PUT', '/_sandbox/faults', { expireAllTokens: true });
    expect(await rejection(client.applyTracking(token, accountId(), [{ network: 'linkedin', key: 'e', campaignId: c1!, urlParameters: [] }]))).toMatchObject({ kind: 'auth' });
  });
});

describe('getAdMetrics (§5)', () => {
  it('§5 daily rows per creative; a 45-day range pages in 30-day windows', async () => {
    const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    const from = day(45);
    const to = day(1);
    const { items, pages } = await allPages((cursor) => client.getAdMetrics(token, accountId(), { from, to, ...(cursor ? { cursor } : {}) }));
    expect(pages).toBe(2);
    expect(items.length).toBeGreaterThan(0);
    const keys = new Set(items.map((m) => `${m.adId}|${m.date}`));
    expect(keys.size).toBe(items.length);
    for (const m of items) {
      expect(m.date >= from && m.date <= to).toBe(true);
      expect(seed.accounts[0]!.adIds).toContain(m.adId);
      expect(m.impressions).toBeGreaterThan(0);
      expect(typeof m.spend).toBe('number');
    }
    const log = await requests();
    expect(log.filter((r) => r.endpoint === 'GET /rest/adAnalytics?q=analytics')).toHaveLength(2);
  });
});

describe('lead sync (§3)', () => {
  it('§3.1 listLeadForms includes the account forms and the company Page form', async () => {
    const forms = await client.listLeadForms(token, accountId());
    expect(forms.map((f) => f.formId).sort()).toEqual([...seed.accounts[0]!.leadFormIds].sort());
    expect(forms.every((f) => f.status === 'PUBLISHED')).toBe(true);
  });

  it('§3.2 listLeads of a sponsored form: fields by name, ad and campaign ids, paging to the end, since filter', async () => {
    const formId = seed.accounts[0]!.leadFormIds[0]!;
    const expected = li.state.leadResponses.filter((l) => String(l.formId) === formId && !l.testLead);
    expect(expected.length).toBeGreaterThan(1);
    const { items, pages } = await allPages((cursor) => client.listLeads(token, accountId(), { formId, pageSize: 1, ...(cursor ? { cursor } : {}) }));
    expect(pages).toBeGreaterThan(1);
    expect(items.map((l) => l.leadId).sort()).toEqual(expected.map((l) => l.id).sort());
    const lead = items[0]!;
    expect(lead).toMatchObject({ network: 'linkedin', formId, isOrganic: false, adId: expect.stringMatching(/^\d+$/), campaignId: expect.stringMatching(/^\d+$/) });
    expect(lead.adGroupId).toBe(lead.campaignId);
    expect(Object.keys(lead.fields).sort()).toEqual(['budget', 'companyName', 'email', 'firstName', 'jobTitle', 'lastName']);
    expect(lead.fields.email).toMatch(/@example\.com$/);
    expect(['Under $10k', '$10k-$50k', 'Over $50k']).toContain(lead.fields.budget);

    const since = new Date().toISOString();
    await li.control('POST', '/_sandbox/leads', { formId, leads: [{ email: 'new@example.com', fullName: 'New Person' }] });
    const fresh = await client.listLeads(token, accountId(), { formId, since });
    expect(fresh.items.map((l: NetworkLead) => l.fields.email)).toEqual(['new@example.com']);
  });

  it('§3.2 listLeads of the company Page form returns organic leads without ad or campaign', async () => {
    const formId = seed.accounts[0]!.leadFormIds[2]!;
    const { items } = await client.listLeads(token, accountId(), { formId });
    expect(items).toHaveLength(2);
    for (const lead of items) {
      expect(lead.isOrganic).toBe(true);
      expect(lead.adId).toBeUndefined();
      expect(lead.campaignId).toBeUndefined();
    }
  });

  it('§6 an unknown form is not_found', async () => {
    expect(await rejection(client.listLeads(token, accountId(), { formId: '42' }))).toMatchObject({ kind: 'not_found', httpStatus: 404 });
  });
});

describe('sendConversionEvents (§4)', () => {
  const rule = () => seed.accounts[0]!.conversionRuleIds[0]!;
  const event = (over: Partial<LinkedInConversionEvent> = {}): LinkedInConversionEvent => ({
    conversionRuleId: rule(),
    happenedAt: new Date(Date.now() - 3_600_000).toISOString(),
    eventId: `crm-${Math.random().toString(36).slice(2)}`,
    email: ' Jane.Doe@Example.com ',
    value: { amount: 1500, currencyCode: 'USD' },
    ...over,
  });

  it('§4.2 per-event results; emails are normalised and hashed; eventId dedupes', async () => {
    const first = event();
    const results = await client.sendConversionEvents(token, [first, event({ email: undefined, sha256Email: 'NOT-HEX' }), event({ conversionRuleId: '1' }), first]);
    expect(results.map((r) => [r.index, r.ok, r.error?.kind])).toEqual([
      [0, true, undefined],
      [1, false, 'invalid'],
      [2, false, 'invalid'],
      [3, true, undefined],
    ]);
    const recorded = (await li.control<{ accepted: { event: { user: { userIds: { idValue: string }[] } } }[]; duplicates: unknown[] }>('GET', '/_sandbox/conversions')).body;
    expect(recorded.accepted).toHaveLength(1);
    expect(recorded.duplicates).toHaveLength(1);
    expect(recorded.accepted[0]!.event.user.userIds[0]!.idValue).toBe(createHash('sha256').update('jane.doe@example.com').digest('hex'));
  });

  it('§4.2 more than 5,000 events go out in BATCH_CREATE chunks of at most 5,000', async () => {
    const events = Array.from({ length: 5_001 }, (_, i) => event({ eventId: `bulk-${i}` }));
    const results = await client.sendConversionEvents(token, events);
    expect(results.filter((r) => r.ok)).toHaveLength(5_001);
    const batches = (await requests()).filter((r) => r.endpoint === 'POST /rest/conversionEvents BATCH_CREATE');
    expect(batches.map((r) => r.batchSize)).toEqual([5_000, 1]);
  });

  it('§4.1 listConversionRules lists the account rules', async () => {
    const rules = await client.listConversionRules(token, accountId());
    expect(rules.map((r) => r.id).sort()).toEqual([...seed.accounts[0]!.conversionRuleIds].sort());
  });

  it('§4.1 issue 15 item 8b checkConversionDestination reads GET /rest/conversions/{id}?account=: the account rule is usable, an unknown one not_found', async () => {
    const rule = `urn:lla:llaPartnerConversion:${seed.accounts[0]!.conversionRuleIds[0]!}`;
    expect(await client.checkConversionDestination(token, accountId(), rule)).toEqual({ ok: true });
    expect(await client.checkConversionDestination(token, accountId(), 'urn:lla:llaPartnerConversion:987654321')).toMatchObject({ ok: false, problem: 'not_found' });
  });
});

describe('error mapping (§6)', () => {
  it('§6 429 → rate_limited (no retry hint documented), 5xx → transient', async () => {
    await li.control('PUT', '/_sandbox/faults', { rateLimitRate: 1 });
    const limited = await rejection(client.listAdAccounts(token));
    expect(limited).toMatchObject({ kind: 'rate_limited', httpStatus: 429 });
    expect(limited.retryAfterMs).toBeUndefined();
    await li.control('PUT', '/_sandbox/faults', { rateLimitRate: 0, transientErrorRate: 1 });
    expect(await rejection(client.listAds(token, accountId(), { scope: 'all' }))).toMatchObject({ kind: 'transient', httpStatus: 500 });
  });

  it('§6 403 → permission; an inactive LinkedIn-Version (426) → invalid', async () => {
    const { body } = await li.control<{ code: string }>('POST', '/_sandbox/oauth/codes', { user: 'viewer', redirectUri: REDIRECT });
    const viewer = (await client.exchangeCode({ code: body.code, redirectUri: REDIRECT })).accessToken;
    expect(await rejection(client.listAds(viewer, seed.accounts[1]!.id, { scope: 'all' }))).toMatchObject({ kind: 'permission', code: 'ACCESS_DENIED' });
    expect(await rejection(makeClient({ apiVersion: '202001' }).listAdAccounts(token))).toMatchObject({ kind: 'invalid', code: 'NONEXISTENT_VERSION', httpStatus: 426 });
  });

  it('§6 a request that hangs past timeoutMs is transient (TIMEOUT)', async () => {
    await li.control('PUT', '/_sandbox/faults', { timeoutRate: 1, timeoutHoldMs: 3_000 });
    expect(await rejection(makeClient({ timeoutMs: 200 }).listAdAccounts(token))).toMatchObject({ kind: 'transient', code: 'TIMEOUT' });
  });

  it('§0 long queries are tunnelled through POST with X-HTTP-Method-Override', async () => {
    const api = new RestliTransport({ apiBaseUrl: `${li.url}/rest`, apiVersion: VERSION, timeoutMs: 5_000 });
    const ids = seed.accounts[0]!.adIds;
    const padded = [...ids, ...Array.from({ length: 150 }, (_, i) => String(900_000_000 + i))].map((id) => `urn:li:sponsoredCreative:${id}`);
    const query = buildQuery({ q: 'criteria', creatives: List(...padded), pageSize: 100 });
    expect(query.length).toBeGreaterThan(4_000);
    const page = await api.get<{ elements: { id: string }[] }>(token, `/adAccounts/${accountId()}/creatives`, query);
    expect(page.elements.map((c) => c.id)).toEqual(ids.map((id) => `urn:li:sponsoredCreative:${id}`));
    expect((await requests()).map((r) => r.endpoint)).toEqual(['GET /rest/adAccounts/{id}/creatives?q=criteria (tunnelled)']);
  });
});
