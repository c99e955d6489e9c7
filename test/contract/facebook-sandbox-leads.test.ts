import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFacebookSandbox, type FacebookSandboxControl, type GraphListBody, type SeedSummary } from '../../src/sandboxes/facebook';

/** A webhook receiver that records raw bytes and answers with scripted statuses. */
interface Received {
  body: Buffer;
  signature: string | undefined;
}
const received: Received[] = [];
let scriptedStatuses: number[] = [];
let receiver: http.Server;
let receiverUrl: string;

type Started = Awaited<ReturnType<typeof startFacebookSandbox>>;
let fb: Started;
let control: FacebookSandboxControl;
let seed: SeedSummary;
let token: string;
const WEBHOOK_SECRET = 'leads-webhook-secret';

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface LeadRow {
  id: string;
  created_time: string;
  ad_id?: string;
  campaign_id?: string;
  form_id: string;
  is_organic: boolean;
  field_data: { name: string; values: string[] }[];
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    if (req.method === 'GET') {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const ok = url.searchParams.get('hub.mode') === 'subscribe' && url.searchParams.get('hub.verify_token') === 'verify-me';
      res.writeHead(ok ? 200 : 403).end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'forbidden');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks), signature: req.headers['x-hub-signature-256'] as string | undefined });
      res.writeHead(scriptedStatuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/facebook`;
  fb = await startFacebookSandbox();
  control = fb.control;
});
afterAll(async () => {
  await fb.server.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(async () => {
  seed = await control.seed({ seed: 5, accounts: 2, adsPerAccount: 12 });
  token = await control.loginAs(seed.user.handle);
  received.length = 0;
  scriptedStatuses = [];
});

const formId = () => seed.accounts[0]!.formIds[0]!;
const leadAd = () => seed.ads.byKind.lead[0]!;

describe('§7.1 lead forms', () => {
  it('lists the forms of a Page with status and locale', async () => {
    const res = await control.graph<GraphListBody<{ id: string; status: string; locale: string; leads_count: number }>>('GET', `/v25.0/${seed.accounts[0]!.pageId}/leadgen_forms`, {
      access_token: token,
      fields: 'id,name,status,locale,leads_count',
    });
    expect(res.body.data).toEqual([expect.objectContaining({ id: formId(), status: 'ACTIVE', locale: 'en_US' })]);
    expect(res.body.data[0]!.leads_count).toBeGreaterThan(0);
  });
});

describe('§7.2 leads', () => {
  const fields = 'id,created_time,ad_id,adset_id,campaign_id,form_id,field_data,is_organic,platform';
  async function allLeads(params: Record<string, unknown>): Promise<LeadRow[]> {
    const out: LeadRow[] = [];
    let after: string | undefined;
    do {
      const res = await control.graph<GraphListBody<LeadRow>>('GET', `/v25.0/${formId()}/leads`, { access_token: token, fields, limit: 2, ...params, after });
      out.push(...res.body.data);
      after = res.body.paging?.next ? res.body.paging.cursors?.after : undefined;
    } while (after);
    return out;
  }

  it('pages to the end with field_data, ad and campaign ids; organic leads (LEAD-3) have no ad ids', async () => {
    const leads = await allLeads({});
    expect(leads.length).toBe(2 * seed.ads.byKind.lead.filter((id) => seed.ads.all.indexOf(id) < 12).length + 2);
    const organic = leads.filter((lead) => lead.is_organic);
    expect(organic).toHaveLength(2);
    expect(organic.every((lead) => lead.ad_id === undefined && lead.campaign_id === undefined)).toBe(true);
    const paid = leads.filter((lead) => !lead.is_organic);
    expect(paid.every((lead) => lead.ad_id && lead.campaign_id && lead.form_id === formId())).toBe(true);
    expect(leads[0]!.field_data.map((f) => f.name)).toEqual(['email', 'full_name']);
  });

  it('filters on time_created (GREATER_THAN, LESS_THAN)', async () => {
    const pushed = await control.pushLeads({ formId: formId(), leads: [{ email: 'new@example.com', fullName: 'New Person', adId: leadAd() }] });
    const createdAt = Math.floor(Date.parse(pushed.leads[0]!.createdTime) / 1000);
    const newer = await allLeads({ filtering: [{ field: 'time_created', operator: 'GREATER_THAN_OR_EQUAL', value: createdAt }] });
    expect(newer.map((lead) => lead.id)).toEqual([pushed.leads[0]!.id]);
    const older = await allLeads({ filtering: [{ field: 'time_created', operator: 'LESS_THAN', value: createdAt }] });
    expect(older.map((lead) => lead.id)).not.toContain(pushed.leads[0]!.id);
  });

  it('needs the leads_retrieval permission', async () => {
    const narrow = await control.loginAs(seed.user.handle, { scopes: ['ads_read'] });
    const res = await control.graph<{ error: { code: number } }>('GET', `/v25.0/${formId()}/leads`, { access_token: narrow });
    expect(res.body.error.code).toBe(200);
  });
});

describe('§7.4–7.5 leadgen webhook', () => {
  it('§7.4 the GET handshake echoes hub.challenge for the right verify token', async () => {
    await control.configureWebhook({ url: receiverUrl, verifyToken: 'verify-me' });
    const ok = await control.verifyWebhook();
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(ok.echoed).toBe(ok.challenge);
    await expect(control.configureWebhook({ url: receiverUrl, verifyToken: 'wrong' })).rejects.toThrow(/verification_failed/);
  });

  it('§7.5 posts object "page" with leadgen changes, signed over the exact bytes with the app secret', async () => {
    await control.configureWebhook({ url: receiverUrl, appSecret: WEBHOOK_SECRET });
    const pushed = await control.pushLeads({ formId: formId(), leads: [{ adId: leadAd() }, { organic: true }] });
    const delivery = await eventually(() => received[0]);
    const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(delivery.body).digest('hex')}`;
    expect(delivery.signature).toBe(expected);
    const payload = JSON.parse(delivery.body.toString('utf8')) as { object: string; entry: { id: string; changes: { field: string; value: Record<string, unknown> }[] }[] };
    expect(payload.object).toBe('page');
    expect(payload.entry[0]!.id).toBe(seed.accounts[0]!.pageId);
    expect(payload.entry[0]!.changes).toEqual([
      { field: 'leadgen', value: { leadgen_id: pushed.leads[0]!.id, page_id: seed.accounts[0]!.pageId, form_id: formId(), ad_id: leadAd(), adgroup_id: leadAd(), created_time: expect.any(Number) as number } },
      { field: 'leadgen', value: { leadgen_id: pushed.leads[1]!.id, page_id: seed.accounts[0]!.pageId, form_id: formId(), created_time: expect.any(Number) as number } },
    ]);
  });

  it('§7.5 a non-2xx answer is retried with backoff until delivered', async () => {
    await control.configureWebhook({ url: receiverUrl, retryBaseMs: 10, maxAttempts: 5 });
    scriptedStatuses = [500, 503];
    await control.pushLeads({ formId: formId(), count: 1 });
    const state = await eventually(async () => {
      const { deliveries } = await control.webhook();
      return deliveries[0]?.state === 'delivered' ? deliveries[0] : undefined;
    });
    expect(state.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(received).toHaveLength(3);
  });

  it('§7.5 retries stop after maxAttempts', async () => {
    await control.configureWebhook({ url: receiverUrl, retryBaseMs: 5, maxAttempts: 3 });
    scriptedStatuses = [500, 500, 500, 500];
    await control.pushLeads({ formId: formId(), count: 1 });
    const failed = await eventually(async () => {
      const { deliveries } = await control.webhook();
      return deliveries[0]?.state === 'failed' ? deliveries[0] : undefined;
    });
    expect(failed.attempts).toHaveLength(3);
  });

  it('duplicate sends every notification twice; dropRate 1 sends none', async () => {
    await control.configureWebhook({ url: receiverUrl, duplicate: true });
    const pushed = await control.pushLeads({ formId: formId(), count: 1 });
    await eventually(() => (received.length === 2 ? true : undefined));
    expect(received[0]!.body.equals(received[1]!.body)).toBe(true);
    expect(received[0]!.body.toString()).toContain(pushed.leads[0]!.id);

    received.length = 0;
    await control.configureWebhook({ url: receiverUrl, dropRate: 1 });
    await control.pushLeads({ formId: formId(), count: 1 });
    const { deliveries } = await control.webhook();
    expect(deliveries.at(-1)?.state).toBe('dropped');
    // The dropped lead is still there for polling.
    const leads = await control.leads(formId());
    expect(leads.length).toBeGreaterThan(0);
    expect(received).toHaveLength(0);
  });
});
