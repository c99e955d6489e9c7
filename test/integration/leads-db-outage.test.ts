import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/connection';
import { freePort, startFerretDb, type Supervised } from '../../src/dev/processes';
import { ensureTools } from '../../src/dev/tools';
import type { RunningServer } from '../../src/sandboxes/kit/sandbox-app';
import { createActivityDeps } from '../../src/temporal/activity-deps';
import { startApi } from '../support/api-instance';
import { useSandboxes } from '../support/sandboxes';
import { eventually, startWorker, useStack } from '../support/stack';

const REDIRECT_URI = 'https://app.example.com/oauth/callback';
const VERIFY_TOKEN = 'adtrack-verify-token';

/**
 * issue 15 #10: FerretDB killed while leads arrive (webhooks and polls). The API and the worker run
 * on a FerretDB of this file only, which is SIGKILLed and restarted on the same data folder; the
 * shared database other files use stays up. The sandbox gives up on a webhook after a few
 * attempts, as Meta does, so what the outage outlasts only the poll/reconcile path can recover.
 */
describe('issue15-10 leads while the database is down', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({
    env: () => ({
      ...sandboxes.running.env,
      SWEEP_INTERVAL_SECONDS: '3600',
      FACEBOOK_WEBHOOK_VERIFY_TOKEN: VERIFY_TOKEN,
      LEAD_POLL_INTERVAL_SECONDS: '3',
      // No periodic reconciliation during the test: recovery must not wait for the hourly one.
      LEAD_RECONCILE_INTERVAL_SECONDS: '3600',
    }),
  });
  let ferret: (Supervised & { uri: string }) | undefined;
  let ferretDir: string;
  let port: number;
  let binary: string;
  let apiDb: Database;
  let workerDb: Database;
  let api: RunningServer;
  let worker: { worker: Worker; run: Promise<void> } | undefined;

  const startDb = async () => {
    // Its own FerretDB, on SQLite: the outage is of the wire server this API talks to, whatever the backend.
    ferret = await startFerretDb({ binary, port, dataDir: ferretDir, backend: { handler: 'sqlite' }, logFile: path.join(ferretDir, 'ferretdb.log') });
  };

  beforeAll(async () => {
    binary = (await ensureTools(() => undefined, { temporal: false, ferretdb: true })).ferretdb;
    ferretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adtrack-leads-outage-'));
    port = await freePort();
    await startDb();
    // As src/api/main.ts and src/temporal/worker-main.ts connect: the API fails fast, the worker waits.
    apiDb = await connectDatabase(ferret!.uri, { dbName: 'adtrack_leads_outage', failFast: true });
    workerDb = await connectDatabase(ferret!.uri, { dbName: 'adtrack_leads_outage' });
    stack.worker.shutdown();
    await eventually(async () => stack.worker.getState() === 'STOPPED', { timeoutMs: 20_000, what: 'shared-db worker stopped' });
    const started = await startWorker(stack, createActivityDeps(stack.config, workerDb));
    worker = { worker: started, run: started.run() };
    api = await startApi(stack, { db: apiDb });
  });
  afterAll(async () => {
    await api?.close();
    if (worker) {
      worker.worker.shutdown();
      await worker.run.catch(() => undefined);
      (stack as { worker: unknown }).worker = undefined;
    }
    await apiDb?.close().catch(() => undefined);
    await workerDb?.close().catch(() => undefined);
    await ferret?.stop();
    fs.rmSync(ferretDir, { recursive: true, force: true });
  });

  const request = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${api.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('issue15-10 FerretDB killed during webhook + poll traffic: every lead at the network stored once, contacts de-duplicated', async () => {
    const fb = sandboxes.control('facebook');
    const seeded = await fb.post('/_sandbox/seed', { seed: 5200, accounts: 1, adsPerAccount: 6, landingBaseUrl: sandboxes.running.urls.landing });
    const formId = seeded.accounts[0].formIds[0] as string;
    const leadAdId = seeded.ads.byKind.lead[0] as string;
    const { code } = await fb.post('/_sandbox/oauth/codes', { user: seeded.user.handle, redirectUri: REDIRECT_URI });
    const connected = await request('POST', '/api/connections', { network: 'facebook', code, redirectUri: REDIRECT_URI });
    const account = await request('POST', '/api/accounts', { connectionId: connected.body.id, externalId: seeded.accounts[0].id });
    expect(account.status).toBe(201);
    const accountKey = account.body.id as string;
    // Meta retries a refused delivery a few times, then drops it (here within ~2 s).
    const webhook = await fb.put('/_sandbox/webhook', { url: `${api.url}/webhooks/facebook`, verifyToken: VERIFY_TOKEN, duplicate: true, maxAttempts: 3, retryBaseMs: 500, seed: 5201 });
    expect(webhook.verification.ok).toBe(true);
    expect((await request('POST', `/api/accounts/${encodeURIComponent(accountKey)}/lead-sync`, { enabled: true })).status).toBe(200);
    const stored = () => workerDb.models.Lead.countDocuments({ accountKey });
    await eventually(async () => (await stored()) === seeded.leads.total, { timeoutMs: 30_000, what: 'seeded leads stored' });

    // 20 leads per batch; 60 people, so most contacts get several leads.
    let n = 0;
    const push = async () => {
      const leads = Array.from({ length: 20 }, () => ({ email: `person${n++ % 60}@example.com`, adId: leadAdId }));
      return ((await fb.post('/_sandbox/leads', { formId, leads })).leads as { id: string }[]).map((lead) => lead.id);
    };
    const deliveriesOf = async (ids: string[]) =>
      ((await fb.get('/_sandbox/webhook')).deliveries as { leadgenIds: string[]; state: string; attempts: { status?: number }[] }[]).filter((d) =>
        d.leadgenIds.some((id) => ids.includes(id)),
      );

    for (let batch = 0; batch < 3; batch += 1) await push();

    // The kill: webhooks are refused (the network retries, then gives up), polls fail in the worker.
    process.kill(-ferret!.child.pid!, 'SIGKILL');
    await ferret!.exited;
    const killedAt = Date.now();
    const duringOutage: string[] = [];
    for (let batch = 0; batch < 4; batch += 1) {
      const ids = await push();
      duringOutage.push(...ids);
      // Each batch is refused until the network gives up on it: the outage outlasts several polls.
      await eventually(async () => (await deliveriesOf(ids)).every((d) => d.state === 'failed'), { timeoutMs: 30_000, what: 'deliveries given up' });
    }
    const refused = (await deliveriesOf(duringOutage)).flatMap((d) => d.attempts);
    expect(refused.every((attempt) => attempt.status === undefined || attempt.status >= 500)).toBe(true);
    expect(refused.filter((attempt) => attempt.status === 503).length).toBeGreaterThan(0);
    await startDb();
    const restartedAt = Date.now();
    for (let batch = 0; batch < 2; batch += 1) await push();

    const atNetwork = (await fb.get(`/_sandbox/leads?formId=${formId}`)).leads as { id: string }[];
    await eventually(async () => (await stored()) >= atNetwork.length, { timeoutMs: 120_000, what: 'every lead at the network stored' });
    console.log(
      `issue15-10: database down ${((restartedAt - killedAt) / 1000).toFixed(1)} s, ${duringOutage.length} leads created meanwhile, ` +
        `${refused.length} webhook attempts refused; all ${atNetwork.length} leads stored ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart`,
    );

    const leads = await workerDb.models.Lead.find({ accountKey }, { leadId: 1, contactId: 1 }).lean();
    expect(leads).toHaveLength(atNetwork.length);
    expect(new Set(leads.map((lead) => lead.leadId))).toEqual(new Set(atNetwork.map((lead) => lead.id)));
    expect(leads.every((lead) => lead.contactId)).toBe(true);
    // One contact per person, however many of their leads arrived around the outage.
    const emails = Array.from({ length: 60 }, (_, k) => `person${k}@example.com`);
    const contacts = await workerDb.models.Contact.find({ emails: { $in: emails } }, { emails: 1 }).lean();
    expect(contacts).toHaveLength(60);
    expect(new Set(contacts.flatMap((c) => c.emails)).size).toBe(contacts.flatMap((c) => c.emails).length);
  });
});
