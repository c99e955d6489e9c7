import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { embeddedHandlerFrom, startEmbeddedPostgres } from '../../../src/dev/embedded-database';
import { freePort, startFerretDb, startTemporalDevServer, supervise, waitFor, type FerretDbBackend, type Supervised } from '../../../src/dev/processes';
import { ensureTools, PROJECT_ROOT } from '../../../src/dev/tools';
import { sandboxServiceEnv } from '../../../src/sandboxes';
import { devServerSearchAttributeArgs } from '../../../src/temporal/search-attributes';
import { connectDatabase, type Database } from '../../../src/db/connection';

/**
 * The whole service as separate processes — FerretDB, the Temporal dev server, the sandboxes, the
 * worker(s) and the API — so a fault is a real one: SIGKILL ends a process mid-write, a stopped
 * server drops every connection. FerretDB and Temporal keep their data in files (a restart resumes
 * where the killed process stood), the sandboxes hold theirs in memory and are never restarted.
 */
export interface FaultStack {
  apiUrl: string;
  adminToken: string;
  sandboxUrls: { facebook: string; google: string; linkedin: string; landing: string };
  /** The test's own connection to the service's database (reconnects after a FerretDB restart). */
  db: Database;
  workers: Supervised[];
  startWorker(): Promise<Supervised>;
  /** SIGKILL: no shutdown hook runs, in-flight activities are lost mid-write. */
  kill(proc: Supervised): Promise<void>;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  stopDatabase(): Promise<void>;
  startDatabase(): Promise<void>;
  request(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface FaultStackOptions {
  env?: Record<string, string>;
}

const say = (line: string) => console.log(`[faults] ${line}`);

export async function startFaultStack(options: FaultStackOptions = {}): Promise<FaultStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adtrack-faults-'));
  // Run as root, PostgreSQL runs as another user, which must reach its data folder inside this one.
  fs.chmodSync(dataDir, 0o755);
  const logDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logDir);
  const tools = await ensureTools(say, { temporal: true, ferretdb: true });
  const [dbPort, temporalPort, apiPort, fbPort, googlePort, liPort, landingPort] = (await Promise.all(Array.from({ length: 7 }, () => freePort()))) as [number, number, number, number, number, number, number];
  const sandboxUrls = {
    facebook: `http://127.0.0.1:${fbPort}`,
    google: `http://127.0.0.1:${googlePort}`,
    linkedin: `http://127.0.0.1:${liPort}`,
    landing: `http://127.0.0.1:${landingPort}`,
  };
  const adminToken = randomBytes(24).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    // info: the worker's "worker started" line is what says it is ready.
    LOG_LEVEL: 'info',
    PORT: String(apiPort),
    ADMIN_API_TOKEN: adminToken,
    ENCRYPTION_KEYS: `faults:${randomBytes(32).toString('base64')}`,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_TASK_QUEUE: 'adtrack-faults',
    MONGODB_URI: `mongodb://127.0.0.1:${dbPort}/adtrack_faults`,
    CRM_OUTBOX_RELAY_SECONDS: '1',
    SANDBOX_FACEBOOK_PORT: String(fbPort),
    SANDBOX_GOOGLE_PORT: String(googlePort),
    SANDBOX_LINKEDIN_PORT: String(liPort),
    SANDBOX_LANDING_PORT: String(landingPort),
    ...sandboxServiceEnv(sandboxUrls),
    ...options.env,
  };

  const running = new Set<Supervised>();
  const track = <T extends Supervised>(proc: T): T => {
    running.add(proc);
    void proc.exited.then(() => running.delete(proc));
    return proc;
  };
  const node = (name: string, entry: string) =>
    track(supervise(name, process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, entry)], { env, cwd: PROJECT_ROOT, logFile: path.join(logDir, `${name}.log`) }));
  const httpOk = (url: string) => async () => {
    try {
      return (await fetch(url)).status === 200;
    } catch {
      return false;
    }
  };

  let ferret: Supervised | undefined;
  let temporal: Supervised | undefined;
  // The embedded default's PostgreSQL stays up: a database outage is of FerretDB, the wire server the
  // service talks to, stopped and restarted on the same storage.
  let backend: FerretDbBackend | undefined;
  const startDatabase = async () => {
    if (!backend) {
      backend = { handler: 'sqlite' };
      if (embeddedHandlerFrom(process.env) === 'postgresql') {
        const postgres = track(await startEmbeddedPostgres({ port: await freePort(), dataDir: path.join(dataDir, 'postgres'), logFile: path.join(logDir, 'postgres.log'), throwaway: true }));
        backend = { handler: 'postgresql', url: postgres.url };
      }
    }
    ferret = track(await startFerretDb({ binary: tools.ferretdb, port: dbPort, dataDir: path.join(dataDir, 'ferretdb'), backend, logFile: path.join(logDir, 'ferretdb.log') }));
  };
  const startTemporal = async () => {
    temporal = track(
      await startTemporalDevServer({
        binary: tools.temporal,
        port: temporalPort,
        dbFile: path.join(dataDir, 'temporal.sqlite'),
        extraArgs: devServerSearchAttributeArgs(),
        logFile: path.join(logDir, 'temporal.log'),
      }),
    );
  };
  const kill = async (proc: Supervised) => {
    try {
      process.kill(-proc.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await proc.exited;
  };

  let workerCount = 0;
  const workers: Supervised[] = [];
  const startWorker = async () => {
    workerCount += 1;
    const name = `worker-${workerCount}`;
    const worker = node(name, 'src/temporal/worker-main.ts');
    const log = path.join(logDir, `${name}.log`);
    await waitFor(name, async () => fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('"worker started"'), { timeoutMs: 180_000, exited: worker.exited });
    workers.push(worker);
    void worker.exited.then(() => workers.splice(workers.indexOf(worker), 1));
    return worker;
  };

  const stack: FaultStack = {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    adminToken,
    sandboxUrls,
    db: undefined as unknown as Database,
    workers,
    startWorker,
    kill,
    stopTemporal: async () => temporal && kill(temporal),
    startTemporal,
    stopDatabase: async () => ferret && kill(ferret),
    startDatabase,
    async request(method, route, body) {
      const res = await fetch(`${stack.apiUrl}${route}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async close() {
      await stack.db?.close().catch(() => undefined);
      for (const proc of [...running].reverse()) await proc.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await startDatabase();
    await startTemporal();
    const sandboxes = node('sandboxes', 'src/sandboxes/main.ts');
    await waitFor('sandboxes', httpOk(`${sandboxUrls.landing}/p/health`), { timeoutMs: 60_000, exited: sandboxes.exited });
    await startWorker();
    const api = node('api', 'src/api/main.ts');
    await waitFor('API', httpOk(`${stack.apiUrl}/readyz`), { timeoutMs: 120_000, exited: api.exited });
    stack.db = await connectDatabase(String(env.MONGODB_URI));
  } catch (error) {
    say(`start failed; logs in ${logDir}: ${fs.readdirSync(logDir).map((f) => `${f}: ${fs.readFileSync(path.join(logDir, f), 'utf8').slice(-800)}`).join('\n')}`);
    await stack.close();
    throw error;
  }
  return stack;
}

/** Larger runs with `npm run test:faults` (FAULTS_FULL=1); CI runs the small sizes. */
export const FULL = process.env.FAULTS_FULL === '1';
export const size = (ci: number, full: number): number => (FULL ? full : ci);
