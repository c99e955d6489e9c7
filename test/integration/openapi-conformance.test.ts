import { beforeAll, describe, expect, it } from 'vitest';
import { useSandboxes } from '../support/sandboxes';
import { useStack } from '../support/stack';
import { connectNetwork, externalIdFor, listAds, seededAccountIds, seededUser, waitForSweeps } from '../support/tracking-helpers';
import { createResponseValidator } from '../support/openapi';

/**
 * Issue 14: real responses of the real stack (Facebook sandbox over HTTP, worker, Temporal, FerretDB)
 * validated against the OpenAPI document's response schemas and documented error codes, success and
 * error paths alike, so the contract cannot drift from what the API answers.
 */
describe('OpenAPI response conformance: what the API answers is what the document says', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });
  const recorded: { method: string; path: string; status: number; body: unknown }[] = [];
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await stack.request(method, path, body, headers);
    recorded.push({ method, path, status: res.status, body: res.body });
    return res;
  };
  let accountId: string;

  beforeAll(async () => {
    const seeded = await sandboxes.seed('facebook', { seed: 1415, accounts: 1, adsPerAccount: 6 });
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seededUser(seeded));
    const externalId = externalIdFor('facebook', seededAccountIds('facebook', seeded)[0]!);
    const created = await call('POST', '/api/accounts', { connectionId: connection.id, externalId });
    expect(created.status).toBe(201);
    accountId = created.body.id;
    await call('POST', '/api/accounts', { connectionId: connection.id, externalId });
    await waitForSweeps(stack, accountId, 1);
  });

  it('success and error responses across the API conform to the document', async () => {
    const enc = encodeURIComponent;
    await call('GET', '/healthz');
    await call('GET', '/readyz');
    await call('GET', '/api/accounts');
    await call('GET', `/api/accounts/${enc(accountId)}`);
    const ads = await listAds(stack, accountId);
    await call('GET', `/api/accounts/${enc(accountId)}/ads?limit=2`);
    await call('GET', `/api/ads/${enc(ads[0]!.id)}`);
    await call('POST', `/api/ads/${enc(ads.find((ad) => !ad.engagementCapped)!.id)}/add-tracking`);
    await call('POST', `/api/accounts/${enc(accountId)}/sync`, {});
    await call('POST', `/api/accounts/${enc(accountId)}/auto-tracking`, { enabled: true });
    await call('GET', `/api/accounts/${enc(accountId)}/tracking-preview`);
    await call('GET', '/api/tracking-templates/facebook');
    await call('PUT', '/api/tracking-templates/google', { utmSource: 'adtrack' });
    await call('GET', `/api/accounts/${enc(accountId)}/lead-sync`);
    await call('GET', `/api/leads?accountId=${enc(accountId)}`);
    await call('GET', `/api/reports/ads?accountId=${enc(accountId)}`);
    const form = await call('POST', '/api/forms', { name: 'Contact us', alwaysCreateNewContact: false });
    await call('GET', '/api/forms');
    await call('GET', `/api/forms/${enc(form.body.id)}`);
    await call('POST', '/api/contacts/import', { contacts: [{ email: 'conformance@example.com', firstName: 'Ada' }] });
    const contacts = await call('GET', '/api/contacts?limit=5');
    const contactId = contacts.body.items[0].id as string;
    await call('GET', `/api/contacts/${enc(contactId)}`);
    await call('GET', `/api/contacts/${enc(contactId)}/attribution`);
    await call('PATCH', `/api/contacts/${enc(contactId)}`, { properties: { consent: 'yes' } });
    const campaign = await call('POST', '/api/campaigns', { name: 'Spring' });
    await call('GET', '/api/campaigns');
    await call('GET', `/api/campaigns/${enc(campaign.body.id)}`);
    await call('POST', `/api/campaigns/${enc(campaign.body.id)}/assets`, { kind: 'form', id: form.body.id });
    await call('DELETE', `/api/campaigns/${enc(campaign.body.id)}/assets`, { kind: 'form', id: form.body.id });
    await call('GET', '/api/conversion-events');
    await call('POST', '/api/conversion-events', { network: 'facebook', adAccountId: accountId, trigger: { kind: 'lifecycle_stage', stages: [] } });
    await call('GET', '/api/conversion-events/nope');
    // Error paths: auth, validation, unknown ids, bad signatures.
    await call('GET', '/api/accounts', undefined, { authorization: 'Bearer wrong' });
    await call('POST', '/api/accounts', { connectionId: 'not-a-uuid' });
    await call('POST', '/api/accounts', '{"broken', {});
    await call('GET', '/api/accounts/facebook%3Aact_404');
    await call('GET', '/api/accounts/x/ads?trackingStatus=lost');
    await call('POST', '/webhooks/google', { lead_id: 'x' });
    await call('POST', '/codec/encode', { payloads: [] });

    const validate = createResponseValidator();
    const results = recorded.map((r) => validate(r.method, r.path, r.status, r.body));
    expect(results.flatMap((r) => r.problems)).toEqual([]);
    const operations = new Set(results.map((r) => r.operation));
    const statuses = new Set(recorded.map((r) => r.status));
    // Broad on purpose: most operations, and the error statuses next to the successes.
    expect(operations.size).toBeGreaterThanOrEqual(30);
    for (const status of [200, 201, 202, 400, 401, 404]) expect(statuses).toContain(status);
  });

  it('the validator catches a response that drifts from the document', () => {
    const validate = createResponseValidator();
    expect(validate('GET', '/api/accounts', 200, { items: [{ id: 1 }] }).problems.length).toBeGreaterThan(0);
    expect(validate('GET', '/api/accounts/x', 404, { error: { code: 'surprise', message: 'm', details: {} } }).problems).toEqual([
      "GET /api/accounts/{id} 404: error.code surprise is not documented (not_found)",
    ]);
    expect(validate('GET', '/api/accounts', 418, {}).problems).toEqual(['GET /api/accounts does not document status 418']);
  });
});
