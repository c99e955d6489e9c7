import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, type FuzzCase, type FuzzRoute } from '../support/fuzz-corpus';
import { useSandboxes } from '../support/sandboxes';
import { useStack } from '../support/stack';
import { connectAccount, connectNetwork, externalIdFor, seededUser } from '../support/tracking-helpers';

const SITE = 'https://site.example';

function hasEnvelope(text: string): boolean {
  try {
    const { error } = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    return typeof error?.code === 'string' && typeof error.message === 'string' && typeof error.details === 'object' && error.details !== null;
  } catch {
    return false;
  }
}

/**
 * issue 15 #13 and acceptance 3: the malformed-input corpus over every route of the README (admin
 * API, /t/*, /webhooks/*, /codec, health) — bodies, fields, paths, queries, encodings, charsets and
 * nesting — is answered below 500, each answer with the error envelope when it is an error.
 */
describe('API fuzzing: no 5xx for malformed input (issue 15 #13, acceptance 3)', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({
    env: () => ({
      ...sandboxes.running.env,
      CORS_SITE_ORIGINS: SITE,
      FACEBOOK_WEBHOOK_VERIFY_TOKEN: 'verify-token-for-fuzzing',
      GOOGLE_LEAD_WEBHOOK_KEY: 'google-key-for-fuzzing',
      // The corpus is thousands of requests from one address: the limiter is not what is tested here.
      TRACKING_RATE_PER_MINUTE: '100000',
      TRACKING_RATE_BURST: '100000',
    }),
  });
  const ids = {} as Record<'account' | 'connection' | 'form' | 'contact' | 'campaign' | 'smoke', string>;

  beforeAll(async () => {
    const seeded = await sandboxes.seed('facebook', { accounts: 1, adsPerAccount: 4 });
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seededUser(seeded));
    ids.connection = connection.id;
    ids.account = (await connectAccount(stack, connection.id, externalIdFor('facebook', seeded.accounts[0].id))).id;
    ids.form = (await stack.request('POST', '/api/forms', { name: 'Fuzz form', alwaysCreateNewContact: false })).body.id;
    await stack.request('POST', '/api/contacts/import', { contacts: [{ email: 'fuzz@example.com' }] });
    ids.contact = (await stack.request('GET', '/api/contacts?email=fuzz@example.com')).body.items[0].id;
    ids.campaign = (await stack.request('POST', '/api/campaigns', { name: 'Fuzz campaign' })).body.id;
    ids.smoke = (await stack.request('POST', '/api/smoke-runs', { network: 'facebook', accountId: 'fuzz-1', secret: 'fuzz-secret' })).body.id;
    for (const [name, value] of Object.entries(ids)) expect(value, name).toEqual(expect.any(String));
  });

  const routes = (): FuzzRoute[] => {
    const account = { id: ids.account };
    const visitorToken = randomBytes(16).toString('hex');
    return [
      { method: 'POST', path: '/api/connections', body: { network: 'facebook', code: 'AQnot-a-real-code', redirectUri: 'https://app.example.com/cb' } },
      { method: 'POST', path: '/api/accounts', body: { connectionId: ids.connection, externalId: 'act_1' } },
      { method: 'GET', path: '/api/accounts' },
      { method: 'GET', path: '/api/accounts/{id}', params: account },
      { method: 'POST', path: '/api/accounts/{id}/auto-tracking', params: account, body: { enabled: true } },
      { method: 'POST', path: '/api/accounts/{id}/sync', params: account, body: { full: false } },
      { method: 'POST', path: '/api/accounts/{id}/reconnect', params: account, body: { connectionId: ids.connection } },
      { method: 'DELETE', path: '/api/accounts/{id}', params: { id: randomUUID() } },
      { method: 'GET', path: '/api/accounts/{id}/ads', params: account, query: { trackingStatus: 'tracked', limit: '10', cursor: 'abc' } },
      { method: 'GET', path: '/api/ads/{id}', params: { id: 'facebook:1' } },
      { method: 'POST', path: '/api/ads/{id}/add-tracking', params: { id: 'facebook:1' }, body: {} },
      { method: 'GET', path: '/api/tracking-templates/{network}', params: { network: 'google' } },
      { method: 'PUT', path: '/api/tracking-templates/{network}', params: { network: 'google' }, body: { utmSource: 'g', utmMedium: 'cpc' } },
      { method: 'POST', path: '/api/smoke-runs', body: { network: 'facebook', accountId: 'fuzz-2', secret: 's' } },
      { method: 'GET', path: '/api/smoke-runs/{id}', params: { id: ids.smoke } },
      { method: 'POST', path: '/api/smoke-runs/{id}/ping', params: { id: ids.smoke }, body: { message: 'hi' } },
      { method: 'POST', path: '/api/smoke-runs/{id}/finish', params: { id: randomUUID() }, body: {} },
      {
        method: 'POST',
        path: '/api/conversion-events',
        body: { network: 'facebook', adAccountId: ids.account, trigger: { kind: 'lifecycle_stage', stages: ['customer'] }, pixelId: '123', value: 10, currency: 'EUR' },
      },
      { method: 'GET', path: '/api/conversion-events' },
      { method: 'GET', path: '/api/conversion-events/{id}', params: { id: randomUUID() } },
      { method: 'PATCH', path: '/api/conversion-events/{id}', params: { id: randomUUID() }, body: { enabled: false } },
      { method: 'DELETE', path: '/api/conversion-events/{id}', params: { id: randomUUID() } },
      { method: 'POST', path: '/api/conversion-events/{id}/replace', params: { id: randomUUID() }, body: { trigger: { kind: 'lifecycle_stage', stages: ['lead'] }, pixelId: '1' } },
      { method: 'POST', path: '/api/forms', body: { name: 'Another form', alwaysCreateNewContact: true } },
      { method: 'GET', path: '/api/forms' },
      { method: 'GET', path: '/api/forms/{id}', params: { id: ids.form } },
      {
        method: 'GET',
        path: '/api/contacts',
        query: { email: 'fuzz@example.com', source: 'import', attributedAd: 'facebook:1', attributed: 'true', lifecycleStage: 'lead', limit: '5', cursor: 'c' },
      },
      { method: 'GET', path: '/api/contacts/{id}', params: { id: ids.contact } },
      { method: 'GET', path: '/api/contacts/{id}/attribution', params: { id: ids.contact } },
      { method: 'PATCH', path: '/api/contacts/{id}', params: { id: ids.contact }, body: { lifecycleStage: 'lead', properties: { consent: true } } },
      { method: 'POST', path: '/api/contacts/import', body: { contacts: [{ email: 'imported@example.com', firstName: 'Imp' }] } },
      { method: 'POST', path: '/api/campaigns', body: { name: 'Campaign', utmCampaign: 'spring', startAt: '2026-01-01T00:00:00Z' } },
      { method: 'GET', path: '/api/campaigns' },
      { method: 'GET', path: '/api/campaigns/{id}', params: { id: ids.campaign } },
      { method: 'POST', path: '/api/campaigns/{id}/assets', params: { id: ids.campaign }, body: { kind: 'ad_campaign', id: '123', network: 'facebook' } },
      { method: 'DELETE', path: '/api/campaigns/{id}/assets', params: { id: ids.campaign }, body: { kind: 'ad_campaign', id: '123', network: 'facebook' } },
      { method: 'POST', path: '/api/accounts/{id}/lead-sync', params: account, body: { enabled: false } },
      { method: 'GET', path: '/api/accounts/{id}/lead-sync', params: account },
      { method: 'POST', path: '/api/accounts/{id}/lead-sync/reconcile', params: account, body: { formId: '1' } },
      { method: 'GET', path: '/api/leads', query: { accountId: ids.account, formId: '1', limit: '5', cursor: 'c' } },
      { method: 'GET', path: '/api/reports/ads', query: { accountId: ids.account, from: '2026-01-01', to: '2026-01-31' } },
      { method: 'GET', path: '/healthz', public: true },
      { method: 'GET', path: '/readyz', public: true },
      { method: 'POST', path: '/codec/encode', body: { payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'IngiCg==' }] } },
      { method: 'POST', path: '/codec/decode', body: { payloads: [{ metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==' }, data: 'AAAA' }] } },
      { method: 'GET', path: '/t.js', public: true },
      { method: 'POST', path: '/t/pageview', public: true, body: { visitorToken, url: `${SITE}/landing?utm_source=x`, referrer: 'https://ref.example/', title: 'T' } },
      { method: 'POST', path: '/t/forms/{formId}/submissions', public: true, params: { formId: ids.form }, body: { email: 'visitor@example.com', fields: { a: 'b' }, visitorToken } },
      { method: 'GET', path: '/webhooks/facebook', public: true, query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' } },
      { method: 'POST', path: '/webhooks/facebook', public: true, body: { object: 'page', entry: [] } },
      { method: 'POST', path: '/webhooks/google', public: true, body: { lead_id: 'L1', form_id: 1, google_key: 'google-key-for-fuzzing', is_test: true } },
      { method: 'GET', path: '/webhooks/linkedin', public: true, query: { challengeCode: 'abc' } },
      { method: 'POST', path: '/webhooks/linkedin', public: true, body: { leadGenFormResponse: 'urn:li:leadGenFormResponse:1' } },
    ];
  };

  it('issue15-13 every request of the generated malformed-input corpus is answered below 500, errors with the envelope', async () => {
    const list = routes();
    const corpus = buildCorpus(list, stack.adminToken);
    const statuses: Record<number, number> = {};
    const failures: { case: FuzzCase; status: number; body: string }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < corpus.length) {
        const c = corpus[next++]!;
        const res = await fetch(`${stack.api.url}${c.path}`, { method: c.method, headers: c.headers, body: c.body });
        const text = await res.text();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const envelopeMissing = res.status >= 400 && !hasEnvelope(text);
        if (res.status >= 500 || envelopeMissing) failures.push({ case: c, status: res.status, body: text.slice(0, 300) });
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    console.log(`issue15-13 fuzz: ${corpus.length} requests over ${list.length} endpoints; statuses`, statuses);
    for (const f of failures.slice(0, 40)) console.log(`  ${f.status} ${f.case.route} [${f.case.mutation}] ${f.body}`);
    expect(failures.map((f) => `${f.status} ${f.case.route} [${f.case.mutation}]`)).toEqual([]);
  });
});
