import { randomBytes, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, supervise, type Supervised } from '../../src/dev/processes';
import { connectDatabase } from '../../src/db/connection';
import { buildPlan, PROJECT_ROOT } from '../support/build-outputs';
import { eventually } from '../support/stack';

/**
 * Issue 10 §4, acceptance 4: `npm run build` output runs the worker and the API with plain `node`
 * (no tsx) against the real Temporal dev server and database, and the compiled worker runs a
 * workflow from the prebundled code. One tsc + one bundle per run (about 35 s on an idle 2-core box).
 */
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adtrack-build-'));
const plan = buildPlan(outDir);
const adminToken = randomBytes(24).toString('hex');
const suffix = randomUUID().slice(0, 8);

function databaseUri(): string {
  const uri = new URL(inject('mongoUri'));
  uri.pathname = `/adtrack_build_${suffix}`;
  return uri.toString();
}

interface Running {
  proc: Supervised;
  lines: string[];
}

function run(name: string, entry: string, env: Record<string, string>): Running {
  const lines: string[] = [];
  const proc = supervise(name, process.execPath, [entry], {
    // Only what a container gets: no tsx loader inherited through NODE_OPTIONS.
    env: { PATH: process.env.PATH, NODE_ENV: 'production', ...env },
    cwd: outDir,
    onOutput: (line) => lines.push(line),
  });
  return { proc, lines };
}

function logged(running: Running, msg: string): Record<string, unknown> | undefined {
  for (const line of running.lines) {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === msg) return entry;
    } catch {
      // not a JSON log line
    }
  }
  return undefined;
}

describe('production build (issue 10 §4, acceptance 4): compiled worker and API', () => {
  let worker: Running;
  let api: Running;
  let apiUrl: string;
  let buildSeconds = 0;

  beforeAll(async () => {
    const started = Date.now();
    const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/build.ts'), '--out-dir', outDir], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    buildSeconds = (Date.now() - started) / 1000;
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    console.log(`production build: ${buildSeconds.toFixed(1)} s`);
    // Production dependencies resolve from the output folder as they do from /app in the image.
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');

    const env = {
      LOG_LEVEL: 'info',
      ADMIN_API_TOKEN: adminToken,
      ENCRYPTION_KEYS: `build:${randomBytes(32).toString('base64')}`,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `build-${suffix}`,
      MONGODB_URI: databaseUri(),
    };
    worker = run('compiled-worker', plan.outputOf(path.join(PROJECT_ROOT, 'src/temporal/worker-main.ts')), env);
    await eventually(async () => logged(worker, 'worker started'), { timeoutMs: 120_000, what: 'compiled worker started' });
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    api = run('compiled-api', plan.outputOf(path.join(PROJECT_ROOT, 'src/api/main.ts')), { ...env, PORT: String(port) });
    // A whole tsc + bundle: about 50 s alone on two cores, several minutes when other test files compete.
  }, 600_000);

  afterAll(async () => {
    await api?.proc.stop();
    await worker?.proc.stop();
    const db = await connectDatabase(databaseUri()).catch(() => undefined);
    await db?.connection.dropDatabase().catch(() => undefined);
    await db?.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('the build writes what tsconfig.build.json promises, including the prebundled workflow code', () => {
    const missing = [...plan.outputs].filter((file) => !fs.existsSync(file));
    expect(missing).toEqual([]);
    expect(fs.readFileSync(path.join(outDir, 'workflow-bundle.js'), 'utf8')).toContain('smokeWorkflow');
  });

  it('the compiled worker runs the prebuilt bundle and detects the embedded FerretDB', () => {
    const started = logged(worker, 'worker started')!;
    expect(started.workflowCode).toBe(`prebuilt bundle ${path.join(outDir, 'workflow-bundle.js')}`);
    if (!process.env.MONGODB_URI) expect(started.database).toBe('ferretdb');
  });

  it('the compiled API is ready (Temporal + database) and a smoke workflow completes on the compiled worker', async () => {
    const ready = await eventually(
      async () => {
        const res = await fetch(`${apiUrl}/readyz`).catch(() => undefined);
        return res?.status === 200 ? res : undefined;
      },
      { timeoutMs: 60_000, what: 'compiled API /readyz = 200' },
    );
    expect(ready.status).toBe(200);
    const call = async (method: string, route: string, body?: unknown) => {
      const res = await fetch(`${apiUrl}${route}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const started = await call('POST', '/api/smoke-runs', { network: 'google', accountId: `build-${suffix}`, secret: 'compiled' });
    expect(started.status).toBe(202);
    const { id } = started.body as { id: string };
    await eventually(async () => (await call('GET', `/api/smoke-runs/${id}`)).body?.state?.step === 'recorded', { timeoutMs: 60_000, what: 'smoke activity recorded' });
    expect((await call('POST', `/api/smoke-runs/${id}/finish`)).status).toBe(202);
    const finished = await eventually(async () => {
      const res = await call('GET', `/api/smoke-runs/${id}`);
      return res.body?.state?.step === 'finished' ? res.body.state : undefined;
    }, { timeoutMs: 60_000, what: 'smoke workflow finished' });
    expect(finished).toMatchObject({ step: 'finished', recordId: `smoke/${id}` });
    expect(logged(api, 'api listening')).toBeDefined();
  });
});
