import { beforeAll, describe, expect, it } from 'vitest';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { listAds, seedAndConnect, waitForSweeps, type ApiAccount, type ApiAd } from '../support/tracking-helpers';
import { parseExposition, sampleSum, sampleValue, type Sample } from '../support/prometheus';
import { startWorkerMetrics } from '../../src/metrics/worker';

/**
 * Issue 14: after a real tracking scenario (Facebook sandbox over HTTP, real worker, Temporal and
 * FerretDB) the worker's `/metrics` reports the tagging and sweep metrics with the right labels, the
 * database gauges agree with the API, no id ends up in a label, and a configured token is enforced.
 */
describe('OPS metrics: the worker and API expose Prometheus metrics after a tracking scenario', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });
  let account: ApiAccount;
  let ads: ApiAd[];
  let connectedAt: number;
  let leadsAtNetwork: number;
  let pixelId: string;

  const scrape = async (url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; samples: Sample[] }> => {
    const res = await fetch(url, { headers });
    const text = await res.text();
    return { status: res.status, text, samples: res.status === 200 ? parseExposition(text).samples : [] };
  };

  beforeAll(async () => {
    connectedAt = Date.now();
    const { seeded, account: connected } = await seedAndConnect(stack, sandboxes, 'facebook', { seed: 1414, accounts: 1, adsPerAccount: 14 });
    account = connected;
    await waitForSweeps(stack, account.id, 2);
    ads = await listAds(stack, account.id);
    // Lead sync's first poll stores the leads the network already has.
    leadsAtNetwork = seeded.leads.total as number;
    pixelId = seeded.accounts[0].pixelId as string;
    expect(leadsAtNetwork).toBeGreaterThan(0);
    expect((await stack.request('POST', `/api/accounts/${encodeURIComponent(account.id)}/lead-sync`, { enabled: true })).status).toBe(200);
    await eventually(async () => (await stack.db.models.Lead.countDocuments({ accountKey: account.id })) === leadsAtNetwork, { timeoutMs: 30_000, what: 'the seeded leads stored' });
  });

  it('the worker /metrics shows non-zero tagging and sweep counters labelled by network and outcome', async () => {
    const server = await startWorkerMetrics(stack.config, stack.db.models, { port: 0 });
    try {
      const { status, text, samples } = await scrape(server!.url);
      expect(status).toBe(200);
      const tracked = ads.filter((ad) => ad.trackingStatus === 'tracked').length;
      expect(tracked).toBeGreaterThan(0);
      // Every tracked ad was written once (first connection: none carried our parameters).
      expect(sampleValue(samples, 'adtrack_tracking_writes_total', { network: 'facebook', outcome: 'applied' })).toBeGreaterThanOrEqual(1);
      expect(sampleValue(samples, 'adtrack_sweep_pages_total', { network: 'facebook' })).toBeGreaterThanOrEqual(2);
      expect(sampleValue(samples, 'adtrack_sweeps_completed_total', { network: 'facebook' })).toBeGreaterThanOrEqual(2);
      expect(sampleSum(samples, 'adtrack_ads_swept_total', { network: 'facebook', tracking_status: 'tracked' })).toBeGreaterThanOrEqual(tracked);

      // Gauges from the database agree with what the API lists, per status and reason.
      const expected = new Map<string, number>();
      for (const ad of ads) {
        const key = `${ad.trackingStatus}/${ad.error?.code ?? 'none'}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      const reported = new Map(
        samples.filter((s) => s.name === 'adtrack_ads' && s.labels.network === 'facebook').map((s) => [`${s.labels.tracking_status}/${s.labels.reason}`, s.value]),
      );
      expect(reported).toEqual(expected);
      expect(sampleValue(samples, 'adtrack_accounts', { network: 'facebook', status: 'active' })).toBe(1);
      const lag = sampleValue(samples, 'adtrack_sweep_lag_seconds', { network: 'facebook' });
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag!).toBeLessThanOrEqual((Date.now() - connectedAt) / 1000);

      // Every lead stored once, counted once (poll or reconcile).
      await eventually(async () => sampleSum((await scrape(server!.url)).samples, 'adtrack_leads_stored_total', { network: 'facebook' }) === leadsAtNetwork, { what: 'leads counted' });

      // Default process metrics are there; no account or ad id is a label value anywhere.
      expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
      expect(text).not.toContain(account.externalId);
      for (const ad of ads) expect(text).not.toContain(`"${ad.adId}"`);
    } finally {
      await server?.close();
    }
  });

  it('conversions are counted by outcome and reason exactly as the ledger settles them', async () => {
    const leadContacts = await stack.db.models.Contact.find({ fbLeadId: { $ne: null } }).limit(2).lean();
    expect(leadContacts).toHaveLength(2);
    const definition = await stack.request('POST', '/api/conversion-events', {
      network: 'facebook',
      adAccountId: account.externalId,
      pixelId,
      name: 'Sales qualified',
      trigger: { kind: 'lifecycle_stage', stages: ['salesqualifiedlead'] },
    });
    expect(definition.status, JSON.stringify(definition.body)).toBe(201);
    // CONV-4: a contact without a Facebook lead id is skipped with NO_FB_LEAD_ID.
    expect((await stack.request('POST', '/api/contacts/import', { contacts: [{ email: 'no-lead@example.com' }] })).status).toBe(200);
    const plain = (await stack.request('GET', '/api/contacts?email=no-lead%40example.com')).body.items[0].id as string;
    for (const id of [...leadContacts.map((c) => String(c._id)), plain]) {
      expect((await stack.request('PATCH', `/api/contacts/${encodeURIComponent(id)}`, { lifecycleStage: 'salesqualifiedlead' })).status).toBe(200);
    }
    const counts = await eventually(
      async () => {
        const details = (await stack.request('GET', `/api/conversion-events/${definition.body.id as string}`)).body;
        return details.counts.sent + details.counts.failed >= 2 && details.counts.skipped >= 1 ? (details.counts as { sent: number; failed: number; skipped: number }) : undefined;
      },
      { timeoutMs: 40_000, what: 'the ledger settling three events' },
    );
    expect(counts.sent).toBeGreaterThan(0);
    const server = await startWorkerMetrics(stack.config, stack.db.models, { port: 0 });
    try {
      const { samples } = await scrape(server!.url);
      for (const outcome of ['sent', 'failed', 'skipped'] as const) {
        expect(sampleSum(samples, 'adtrack_conversions_total', { network: 'facebook', outcome }), outcome).toBe(counts[outcome]);
      }
      expect(sampleValue(samples, 'adtrack_conversions_total', { network: 'facebook', outcome: 'skipped', reason: 'NO_FB_LEAD_ID' })).toBe(1);
    } finally {
      await server?.close();
    }
  });

  it('with METRICS_TOKEN set the worker endpoint refuses a scrape without the bearer token', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const server = await startWorkerMetrics({ ...stack.config, METRICS_TOKEN: token }, stack.db.models, { port: 0 });
    try {
      const refused = await scrape(server!.url);
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'unauthorized' } });
      expect((await scrape(server!.url, { authorization: `Bearer ${token}` })).status).toBe(200);
    } finally {
      await server?.close();
    }
  });

  it('the API /metrics times requests by route template and status, never by raw URL', async () => {
    expect((await stack.request('GET', `/api/accounts/${encodeURIComponent(account.id)}`)).status).toBe(200);
    expect((await stack.request('GET', '/api/accounts/facebook%3Aact_404404')).status).toBe(404);
    // A webhook delivery without the right key: refused, and counted as such (derived from route + status).
    expect((await stack.request('POST', '/webhooks/google', { lead_id: 'l1', form_id: 1, google_key: 'wrong' })).status).toBe(401);
    const { status, samples } = await scrape(`${stack.api.url}/metrics`);
    expect(status).toBe(200);
    const count = (labels: Record<string, string>) => sampleValue(samples, 'adtrack_http_request_duration_seconds_count', labels);
    expect(count({ method: 'GET', route: '/api/accounts/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    // The 404 leaves the router through the error handler: still labelled by its template.
    expect(count({ method: 'GET', route: '/api/accounts/:id', status: '404' })).toBeGreaterThanOrEqual(1);
    const routes = new Set(samples.filter((s) => s.name === 'adtrack_http_request_duration_seconds_count').map((s) => s.labels.route));
    expect([...routes].filter((r) => r && r !== 'unmatched' && !r.startsWith('/'))).toEqual([]);
    expect([...routes].some((r) => r?.includes('act_'))).toBe(false);
    expect(sampleValue(samples, 'adtrack_webhook_deliveries_total', { network: 'google', outcome: 'rejected_signature' })).toBe(1);
    expect(sampleValue(samples, 'adtrack_webhook_deliveries_total', { network: 'google', outcome: 'accepted' })).toBeUndefined();
  });
});
