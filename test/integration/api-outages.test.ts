import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/connection';
import { freePort, startFerretDb, type Supervised } from '../../src/dev/processes';
import { ensureTools } from '../../src/dev/tools';
import type { RunningServer } from '../../src/sandboxes/kit/sandbox-app';
import { startApi } from '../support/api-instance';
import { useStack } from '../support/stack';

/**
 * issue 15 #11: a dependency outage is a 503 with the envelope and Retry-After, not a 500. Each
 * outage is made for a dedicated API instance only — its own FerretDB, stopped; a Temporal address
 * nothing listens on — the shared servers other files use stay up.
 */
describe('dependency outages answer 503 + Retry-After (issue 15 #11)', () => {
  const stack = useStack({ env: () => ({ CORS_SITE_ORIGINS: 'https://site.example' }) });
  let ferret: Supervised | undefined;
  let ferretDir: string;
  let db: Database;
  let dbDownApi: RunningServer;
  let temporalDownApi: RunningServer;
  let temporalDown: Connection;

  beforeAll(async () => {
    const tools = await ensureTools(() => undefined, { temporal: false, ferretdb: true });
    ferretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adtrack-outage-'));
    // Its own FerretDB, on SQLite: the outage is of the wire server this API talks to, whatever the backend.
    const started = await startFerretDb({ binary: tools.ferretdb, port: await freePort(), dataDir: ferretDir, backend: { handler: 'sqlite' }, logFile: path.join(ferretDir, 'ferretdb.log') });
    ferret = started;
    db = await connectDatabase(started.uri, { dbName: 'adtrack_outage', failFast: true });
    dbDownApi = await startApi(stack, { db });
    // The API's Temporal client as main.ts builds it (few attempts), aimed at a port nothing listens on.
    temporalDown = Connection.lazy({
      address: `127.0.0.1:${await freePort()}`,
      interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 2 }))],
    });
    temporalDownApi = await startApi(stack, { temporal: new Client({ connection: temporalDown }), temporalReady: async () => false });
  });
  afterAll(async () => {
    await dbDownApi?.close();
    await temporalDownApi?.close();
    await temporalDown?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await ferret?.stop();
    fs.rmSync(ferretDir, { recursive: true, force: true });
  });

  const call = async (base: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => {
    const started = Date.now();
    const res = await fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any, retryAfter: res.headers.get('retry-after'), ms: Date.now() - started };
  };
  const expectOutage = (answer: Awaited<ReturnType<typeof call>>, dependency: 'database' | 'temporal') => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
    expect(answer.body.error).toMatchObject({ code: 'service_unavailable', message: expect.any(String), details: { dependency } });
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  };

  it('issue15-11 database down: admin calls, page views and form submissions answer 503 with Retry-After (the browser retries)', async () => {
    const form = await call(dbDownApi.url, 'POST', '/api/forms', { name: 'Outage form', alwaysCreateNewContact: false });
    expect(form.status).toBe(201);
    expect((await call(dbDownApi.url, 'GET', '/api/accounts')).status).toBe(200);

    await ferret!.stop();
    ferret = undefined;
    const visitorToken = randomBytes(16).toString('hex');
    const answers = {
      listAccounts: await call(dbDownApi.url, 'GET', '/api/accounts'),
      contacts: await call(dbDownApi.url, 'GET', '/api/contacts'),
      createForm: await call(dbDownApi.url, 'POST', '/api/forms', { name: 'Another', alwaysCreateNewContact: false }),
      pageview: await call(dbDownApi.url, 'POST', '/t/pageview', { visitorToken, url: 'https://site.example/' }, { origin: 'https://site.example' }),
      submission: await call(dbDownApi.url, 'POST', `/t/forms/${form.body.id}/submissions`, { email: 'outage@example.com', visitorToken }, { origin: 'https://site.example' }),
    };
    console.log('issue15-11 database down, ms per answer:', Object.fromEntries(Object.entries(answers).map(([k, a]) => [k, `${a.status} in ${a.ms}`])));
    for (const answer of Object.values(answers)) expectOutage(answer, 'database');
  });

  it('issue15-11 Temporal unreachable: calls that start, signal or query workflows answer 503 with Retry-After', async () => {
    const smoke = await call(temporalDownApi.url, 'POST', '/api/smoke-runs', { network: 'facebook', accountId: 'outage-1', secret: 'not-a-real-secret' });
    console.log(`issue15-11 Temporal down: POST /api/smoke-runs → ${smoke.status} in ${smoke.ms} ms`);
    expectOutage(smoke, 'temporal');
    const status = await call(temporalDownApi.url, 'GET', `/api/smoke-runs/${randomUUID()}`);
    expectOutage(status, 'temporal');
  });
});
