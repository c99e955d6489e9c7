import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api, firstAccount, li, seed, useLinkedInContract } from './support/linkedin-contract';

/**
 * Contract of the LinkedIn sandbox, Lead Sync, Conversions API and reporting (reference §3-§5),
 * over real HTTP. Section numbers in test names point at the reference.
 */

const enc = encodeURIComponent;
const accountUrn = (id: string) => enc(`urn:li:sponsoredAccount:${id}`);

async function pollUntil<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

useLinkedInContract();

describe('§3 lead sync', () => {
  it('§3.1 forms by owner, sponsored account and company Page', async () => {
    const account = firstAccount();
    const sponsored = await api('GET', `/rest/leadForms?q=owner&owner=(sponsoredAccount:${accountUrn(account.id)})&start=0&count=20`);
    expect(sponsored.status).toBe(200);
    expect(sponsored.body.paging).toMatchObject({ start: 0, count: 20, total: 2 });
    expect(sponsored.body.elements[0].content.questions[0]).toMatchObject({ questionId: 1, predefinedField: 'FIRST_NAME' });
    const accountBody = (await api('GET', `/rest/adAccounts/${account.id}`)).body;
    const page = await api('GET', `/rest/leadForms?q=owner&owner=(organization:${enc(accountBody.reference as string)})`);
    expect(page.body.elements.map((f: { id: number }) => String(f.id))).toEqual([account.leadFormIds[2]]);
  });

  it('§3.2 responses: sponsored leads carry creative and campaign; organic (COMPANY) ones do not; test leads stay out', async () => {
    const account = firstAccount();
    const owner = `owner=(sponsoredAccount:${accountUrn(account.id)})`;
    const sponsored = await api('GET', `/rest/leadFormResponses?q=owner&${owner}&leadType=(leadType:SPONSORED)&limitedToTestLeads=false&count=100`);
    expect(sponsored.status).toBe(200);
    expect(sponsored.body.elements.length).toBeGreaterThan(0);
    for (const lead of sponsored.body.elements) {
      expect(lead).toMatchObject({ leadType: 'SPONSORED', testLead: false });
      expect(lead.associatedEntity.associatedCreative).toMatch(/^urn:li:sponsoredCreative:\d+$/);
      expect(lead.leadMetadata.sponsoredLeadMetadata.campaign).toMatch(/^urn:li:sponsoredCampaign:\d+$/);
      expect(lead.versionedLeadGenFormUrn).toMatch(/^urn:li:versionedLeadGenForm:\(urn:li:leadGenForm:\d+,\d+\)$/);
    }
    const tests = await api('GET', `/rest/leadFormResponses?q=owner&${owner}&limitedToTestLeads=true`);
    expect(tests.body.elements).toHaveLength(1);

    const org = (await api('GET', `/rest/adAccounts/${account.id}`)).body.reference as string;
    const organic = await api('GET', `/rest/leadFormResponses?q=owner&owner=(organization:${enc(org)})&leadType=(leadType:COMPANY)`);
    expect(organic.body.elements.length).toBe(2);
    for (const lead of organic.body.elements) {
      expect(lead.leadType).toBe('COMPANY');
      expect(lead.associatedEntity).toBeUndefined();
      expect(lead.leadMetadata).toBeUndefined();
    }
  });

  it('§3.2 submittedAtTimeRange filters by submission time (epoch ms)', async () => {
    const account = firstAccount();
    const owner = `owner=(sponsoredAccount:${accountUrn(account.id)})`;
    const all = (await api('GET', `/rest/leadFormResponses?q=owner&${owner}&count=100`)).body.elements as { submittedAt: number }[];
    const times = all.map((l) => l.submittedAt).sort((a, b) => a - b);
    const middle = times[Math.floor(times.length / 2)]!;
    const later = (await api('GET', `/rest/leadFormResponses?q=owner&${owner}&submittedAtTimeRange=(start:${middle})&count=100`)).body.elements as { submittedAt: number }[];
    expect(later.length).toBe(times.filter((t) => t >= middle).length);
    expect(later.every((l) => l.submittedAt >= middle)).toBe(true);
  });
});

describe('§3.3 lead notifications', () => {
  let receiver: http.Server;
  let receiverUrl: string;
  let received: { signature: string | undefined; body: string }[];
  let answerWith: number[];

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      if (req.method === 'GET') {
        const code = new URL(req.url ?? '/', 'http://x').searchParams.get('challengeCode') ?? '';
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ challengeCode: code, challengeResponse: createHmac('sha256', li.credentials.clientSecret).update(code).digest('hex') }));
      }
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ signature: req.headers['x-li-signature'] as string | undefined, body });
        res.statusCode = answerWith.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/linkedin/leads`;
  });

  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  beforeEach(() => {
    received = [];
    answerWith = [];
  });

  const pushLead = async (formId: string) =>
    (await li.control<{ leads: { id: string }[] }>('POST', '/_sandbox/leads', { formId, leads: [{ email: 'jane@example.com', fullName: 'Jane Doe' }] })).body.leads[0]!;

  it('§3.3 a new lead is POSTed with X-LI-Signature = HMAC-SHA256("hmacsha256=" + raw body, client secret)', async () => {
    const configured = await li.control('PUT', '/_sandbox/webhook', { url: receiverUrl, secret: li.credentials.clientSecret, validate: true });
    expect(configured.status).toBe(200);
    const lead = await pushLead(firstAccount().leadFormIds[0]!);
    const delivery = await pollUntil(async () => received[0], 'a delivery');
    expect(delivery.signature).toBe(createHmac('sha256', li.credentials.clientSecret).update(`hmacsha256=${delivery.body}`).digest('hex'));
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'LEAD_ACTION', leadAction: 'CREATED', leadGenFormResponse: `urn:li:leadGenFormResponse:${lead.id}`, leadType: 'SPONSORED' });
  });

  it('§3.3 non-2xx answers are retried; duplicates and drops can be switched on', async () => {
    await li.control('PUT', '/_sandbox/webhook', { url: receiverUrl, secret: 's', retryDelayMs: 10, maxAttempts: 3 });
    answerWith = [500, 503];
    await pushLead(firstAccount().leadFormIds[0]!);
    await pollUntil(async () => (received.length >= 3 ? true : undefined), 'three attempts');
    const state = await pollUntil(async () => {
      const body = (await li.control<{ pending: number; deliveries: { status?: number; attempt: number }[] }>('GET', '/_sandbox/webhook')).body;
      return body.pending === 0 ? body : undefined;
    }, 'retries to settle');
    expect(state.deliveries.map((d) => [d.attempt, d.status])).toEqual([[1, 500], [2, 503], [3, 200]]);

    received = [];
    await li.control('PUT', '/_sandbox/webhook', { url: receiverUrl, secret: 's', retryDelayMs: 10, duplicateRate: 1 });
    await pushLead(firstAccount().leadFormIds[0]!);
    await pollUntil(async () => (received.length >= 2 ? true : undefined), 'a duplicate delivery');
    expect(received[0]!.body).toBe(received[1]!.body);

    received = [];
    await li.control('PUT', '/_sandbox/webhook', { url: receiverUrl, secret: 's', dropRate: 1 });
    await pushLead(firstAccount().leadFormIds[0]!);
    const dropped = (await li.control<{ deliveries: { dropped?: boolean }[] }>('GET', '/_sandbox/webhook')).body.deliveries;
    expect(dropped).toEqual([expect.objectContaining({ dropped: true })]);
    expect(received).toHaveLength(0);
  });
});

describe('§4 Conversions API', () => {
  const sha = (email: string) => createHash('sha256').update(email).digest('hex');
  const ruleUrn = () => `urn:lla:llaPartnerConversion:${firstAccount().conversionRuleIds[0]!}`;
  const event = (over: Record<string, unknown> = {}) => ({
    conversion: ruleUrn(),
    conversionHappenedAt: Date.now() - 3_600_000,
    conversionValue: { currencyCode: 'USD', amount: '1500.0' },
    eventId: `evt-${Math.random().toString(36).slice(2)}`,
    user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: sha('jane@example.com') }] },
    ...over,
  });

  it('§4.2 a single event is created (201) and recorded', async () => {
    const e = event();
    const answer = await api('POST', '/rest/conversionEvents', { body: e });
    expect(answer.status).toBe(201);
    const recorded = (await li.control<{ accepted: { eventId: string }[] }>('GET', '/_sandbox/conversions')).body.accepted;
    expect(recorded.map((r) => r.eventId)).toEqual([e.eventId]);
  });

  it('§4.2 BATCH_CREATE of 5,001 events is rejected whole; the log shows the batch size', async () => {
    const elements = Array.from({ length: 5_001 }, () => event());
    const answer = await api('POST', '/rest/conversionEvents', { restliMethod: 'BATCH_CREATE', body: { elements } });
    expect(answer.status).toBe(400);
    const log = (await li.control<{ requests: { endpoint: string; batchSize?: number; status: number }[] }>('GET', '/_sandbox/requests')).body.requests;
    expect(log).toContainEqual(expect.objectContaining({ endpoint: 'POST /rest/conversionEvents BATCH_CREATE', batchSize: 5_001, status: 400 }));
    expect((await li.control<{ accepted: unknown[] }>('GET', '/_sandbox/conversions')).body.accepted).toHaveLength(0);
  });

  it('§4.2 BATCH_CREATE answers per element: a non-hex SHA256_EMAIL, an unknown rule and a 91-day-old event fail alone', async () => {
    const good = event();
    const elements = [
      good,
      event({ user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: 'Jane@Example.com' }] } }),
      event({ conversion: 'urn:lla:llaPartnerConversion:1' }),
      event({ conversionHappenedAt: Date.now() - 91 * 86_400_000 }),
      event({ user: {} }),
    ];
    const answer = await api('POST', '/rest/conversionEvents', { restliMethod: 'BATCH_CREATE', body: { elements } });
    expect(answer.status).toBe(200);
    expect(answer.body.elements.map((e: { status: number }) => e.status)).toEqual([201, 422, 422, 422, 422]);
    expect(answer.body.elements[1].error.message).toMatch(/SHA-256/);
    const log = (await li.control<{ requests: { endpoint: string; batchSize?: number }[] }>('GET', '/_sandbox/requests')).body.requests;
    expect(log.filter((r) => r.endpoint.startsWith('POST /rest/')).map((r) => r.batchSize)).toEqual([5]);
  });

  it('§4.2 eventId dedupes resends', async () => {
    const e = event();
    await api('POST', '/rest/conversionEvents', { body: e });
    expect((await api('POST', '/rest/conversionEvents', { body: e })).status).toBe(201);
    const body = (await li.control<{ accepted: unknown[]; duplicates: { eventId: string }[] }>('GET', '/_sandbox/conversions')).body;
    expect(body.accepted).toHaveLength(1);
    expect(body.duplicates.map((d) => d.eventId)).toEqual([e.eventId]);
  });
});

describe('REP-2 the network counts conversions against the clicked creative (li_fat_id)', () => {
  const sha = (email: string) => createHash('sha256').update(email).digest('hex');
  const part = (d: Date) => `(year:${d.getUTCFullYear()},month:${d.getUTCMonth() + 1},day:${d.getUTCDate()})`;

  it('an accepted event naming a click adds to that creative\'s externalWebsiteConversions on the click\'s day; a resend or an email-only event does not', async () => {
    const account = firstAccount();
    const today = part(new Date());
    const rowsToday = async () => {
      const answer = await api(
        'GET',
        `/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange=(start:${today},end:${today})&accounts=List(${accountUrn(account.id)})&fields=pivotValues,dateRange,externalWebsiteConversions`,
      );
      expect(answer.status).toBe(200);
      return answer.body.elements as { pivotValues: string[]; externalWebsiteConversions: number }[];
    };
    // An ad with a website that delivers today (paused or unapproved creatives have no row).
    const delivering = new Set((await rowsToday()).map((r) => r.pivotValues[0]));
    const ad = seed.ads.find((a) => a.accountId === account.id && a.landingUrl && delivering.has(`urn:li:sponsoredCreative:${a.id}`))!;
    expect(ad).toBeDefined();
    const conversionsToday = async () => (await rowsToday()).find((r) => r.pivotValues[0] === `urn:li:sponsoredCreative:${ad.id}`)!.externalWebsiteConversions;
    const before = await conversionsToday();
    const click = (await li.control<{ liFatId?: string }>('POST', `/_sandbox/ads/${ad.id}/click`, {})).body;
    expect(click.liFatId).toBeDefined();
    const event = {
      conversion: `urn:lla:llaPartnerConversion:${account.conversionRuleIds[0]!}`,
      conversionHappenedAt: Date.now(),
      eventId: 'report-1',
      user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: sha('rita@example.com') }, { idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: click.liFatId }] },
    };
    expect((await api('POST', '/rest/conversionEvents', { body: event })).status).toBe(201);
    expect((await api('POST', '/rest/conversionEvents', { body: event })).status).toBe(201); // a resend: deduplicated
    const emailOnly = { ...event, eventId: 'report-2', user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: sha('rita@example.com') }] } };
    expect((await api('POST', '/rest/conversionEvents', { body: emailOnly })).status).toBe(201);
    expect(await conversionsToday()).toBe(before + 1);
  });
});

describe('§5 adAnalytics', () => {
  const range = () => {
    const end = new Date(Date.now() - 86_400_000);
    const start = new Date(Date.now() - 7 * 86_400_000);
    const part = (d: Date) => `(year:${d.getUTCFullYear()},month:${d.getUTCMonth() + 1},day:${d.getUTCDate()})`;
    return `dateRange=(start:${part(start)},end:${part(end)})`;
  };

  it('§5 pivot CREATIVE, DAILY: one row per creative and day, cost as a string, fields projected', async () => {
    const account = firstAccount();
    const answer = await api('GET', `/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&${range()}&accounts=List(${accountUrn(account.id)})&fields=pivotValues,dateRange,impressions,clicks,costInLocalCurrency`);
    expect(answer.status).toBe(200);
    expect(answer.body.elements.length).toBeGreaterThan(0);
    const keys = new Set<string>();
    for (const row of answer.body.elements) {
      expect(Object.keys(row).sort()).toEqual(['clicks', 'costInLocalCurrency', 'dateRange', 'impressions', 'pivotValues']);
      expect(row.pivotValues[0]).toMatch(/^urn:li:sponsoredCreative:\d+$/);
      expect(row.dateRange.start).toEqual(row.dateRange.end);
      expect(typeof row.costInLocalCurrency).toBe('string');
      keys.add(`${row.pivotValues[0] as string}|${JSON.stringify(row.dateRange.start)}`);
    }
    expect(keys.size).toBe(answer.body.elements.length);
  });

  it('§5 without fields only impressions and clicks come back; without a facet it is a 400', async () => {
    const account = firstAccount();
    const plain = await api('GET', `/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=ALL&${range()}&accounts=List(${accountUrn(account.id)})`);
    expect(Object.keys(plain.body.elements[0] as object).sort()).toEqual(['clicks', 'dateRange', 'impressions', 'pivotValues']);
    expect((await api('GET', `/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&${range()}`)).status).toBe(400);
  });

  it('§5 no access means no data, not an error', async () => {
    const viewer = (await li.authorize('viewer')).access_token;
    const other = seed.accounts[1]!;
    const answer = await api('GET', `/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&${range()}&accounts=List(${accountUrn(other.id)})`, { token: viewer });
    expect(answer.status).toBe(200);
    expect(answer.body.elements).toEqual([]);
  });
});

