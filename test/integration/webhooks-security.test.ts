import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';

const APP_SECRET = 'fb-app-secret-for-tests';
const VERIFY_TOKEN = 'fb-verify-token';
const GOOGLE_KEY = 'google-lead-form-key';
const LINKEDIN_SECRET = 'linkedin-client-secret';

/** LEAD-4: webhooks are authenticated over the raw body; a bad signature is 401 and changes nothing. */
describe('lead webhooks: authentication (LEAD-4)', () => {
  const stack = useStack({
    env: () => ({
      FACEBOOK_APP_SECRET: APP_SECRET,
      FACEBOOK_WEBHOOK_VERIFY_TOKEN: VERIFY_TOKEN,
      GOOGLE_LEAD_WEBHOOK_KEY: GOOGLE_KEY,
      LINKEDIN_CLIENT_SECRET: LINKEDIN_SECRET,
    }),
  });

  const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${stack.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text)) : undefined };
  };
  const stored = async () => ({
    notifications: await stack.db.models.LeadNotification.countDocuments(),
    leads: await stack.db.models.Lead.countDocuments(),
    contacts: await stack.db.models.Contact.countDocuments(),
  });
  const nothing = { notifications: 0, leads: 0, contacts: 0 };

  // Meta signs the escaped-unicode bytes it sends; the check must use the raw body, not re-serialised JSON.
  const facebookBody = (leadId: string) =>
    `{"object":"page","entry":[{"id":"153125381133","time":1773478165,"changes":[{"field":"leadgen","value":{"leadgen_id":"${leadId}","page_id":"153125381133","form_id":"1912140606324258","ad_id":"120210000000000001","created_time":1773478154,"note":"caf\\u00e9"}}]}]}`;
  const sign = (body: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

  it('Facebook: a missing, wrong or replayed-onto-another-body signature is 401 with the error envelope and stores nothing', async () => {
    const body = facebookBody('444444444444444');
    const missing = await post('/webhooks/facebook', body);
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ code: 'invalid_signature', message: expect.stringContaining('missing') });
    const wrongSecret = await post('/webhooks/facebook', body, { 'x-hub-signature-256': sign(body, 'not-the-secret') });
    expect(wrongSecret.status).toBe(401);
    const tampered = await post('/webhooks/facebook', facebookBody('555555555555555'), { 'x-hub-signature-256': sign(body) });
    expect(tampered.status).toBe(401);
    const garbage = await post('/webhooks/facebook', body, { 'x-hub-signature-256': 'sha256=zz' });
    expect(garbage.status).toBe(401);
    expect(await stored()).toEqual(nothing);

    // The genuine delivery is accepted (202: no lead-sync workflow runs for it) and kept durably, once.
    const genuine = await post('/webhooks/facebook', body, { 'x-hub-signature-256': sign(body) });
    expect(genuine.status).toBe(202);
    expect(genuine.body).toEqual({ received: 1 });
    const again = await post('/webhooks/facebook', body, { 'x-hub-signature-256': sign(body) });
    expect(again.status).toBe(202);
    expect(await stored()).toEqual({ notifications: 1, leads: 0, contacts: 0 });
    await stack.db.models.LeadNotification.deleteMany({});
  });

  it('Facebook: the subscription handshake echoes the challenge only for the right verify token', async () => {
    const ok = await fetch(`${stack.api.url}/webhooks/facebook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(`${stack.api.url}/webhooks/facebook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess`);
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as any).error.code).toBe('verification_failed');
  });

  it('Google: a wrong or missing google_key is 401 and stores nothing; test data is acknowledged but not a lead', async () => {
    const payload = (key: string | undefined, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ lead_id: 'TeSter-123-ABCDEF', api_version: '1.0', form_id: 40000000000, campaign_id: 20000000000, ...(key ? { google_key: key } : {}), user_column_data: [], ...extra });
    expect((await post('/webhooks/google', payload('wrong'))).status).toBe(401);
    const missing = await post('/webhooks/google', payload(undefined));
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('invalid_key');
    expect(await stored()).toEqual(nothing);
    expect((await post('/webhooks/google', payload(GOOGLE_KEY, { is_test: true }))).body).toEqual({ received: 0, test: true });
    expect(await stored()).toEqual(nothing);
    expect((await post('/webhooks/google', payload(GOOGLE_KEY))).status).toBe(202);
    expect(await stored()).toEqual({ notifications: 1, leads: 0, contacts: 0 });
    await stack.db.models.LeadNotification.deleteMany({});
  });

  it('LinkedIn: X-LI-Signature is checked over "hmacsha256=" + the raw body; the validation challenge is answered', async () => {
    const body = JSON.stringify({
      type: 'LEAD_ACTION',
      leadAction: 'CREATED',
      leadGenFormResponse: 'urn:li:leadGenFormResponse:249592fc-9b13-4f2e-a1a5-0e3f5d7c9a11-6',
      leadGenForm: 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:1234567,2)',
      owner: { sponsoredAccount: 'urn:li:sponsoredAccount:507404993' },
      leadType: 'SPONSORED',
      occurredAt: 1714560000000,
    });
    const good = createHmac('sha256', LINKEDIN_SECRET).update(`hmacsha256=${body}`).digest('hex');
    expect((await post('/webhooks/linkedin', body)).status).toBe(401);
    expect((await post('/webhooks/linkedin', body, { 'x-li-signature': createHmac('sha256', LINKEDIN_SECRET).update(body).digest('hex') })).status).toBe(401);
    expect((await post('/webhooks/linkedin', body.replace('1234567', '7654321'), { 'x-li-signature': good })).status).toBe(401);
    expect(await stored()).toEqual(nothing);
    expect((await post('/webhooks/linkedin', body, { 'x-li-signature': good })).status).toBe(202);
    const note = await stack.db.models.LeadNotification.findOne().lean();
    expect(note).toMatchObject({ network: 'linkedin', leadId: '249592fc-9b13-4f2e-a1a5-0e3f5d7c9a11-6', formId: '1234567', accountKey: 'linkedin:507404993' });

    const challenge = await fetch(`${stack.api.url}/webhooks/linkedin?challengeCode=abc-123`);
    expect(await challenge.json()).toEqual({ challengeCode: 'abc-123', challengeResponse: createHmac('sha256', LINKEDIN_SECRET).update('abc-123').digest('hex') });
  });

  it('oversized or malformed webhook bodies are 4xx envelopes', async () => {
    const huge = `{"object":"page","entry":[],"pad":"${'x'.repeat(1_100_000)}"}`;
    const tooBig = await post('/webhooks/facebook', huge, { 'x-hub-signature-256': sign(huge) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('payload_too_large');
    const notJson = 'not json';
    const malformed = await post('/webhooks/facebook', notJson, { 'x-hub-signature-256': sign(notJson) });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
  });
});
