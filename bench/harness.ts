/**
 * The real stack for the benchmark, as `npm start` runs it: the Temporal dev server and FerretDB
 * (child processes), the worker and the API (child processes, so their CPU is their own), and the
 * network sandboxes in this process (they stand in for the networks; their cost is not ours).
 * Throw-away data under a temporary folder; `stop()` leaves nothing running.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../src/config';
import { connectDatabase, type Database } from '../src/db/connection';
import { embeddedHandlerFrom, startEmbeddedDatabase } from '../src/dev/embedded-database';
import { freePort, installOrphanGuard, startTemporalDevServer, supervise, waitFor, type Supervised } from '../src/dev/processes';
import { ensureTools, PROJECT_ROOT } from '../src/dev/tools';
import { startSandboxes, type RunningSandboxes } from '../src/sandboxes';
import { createTemporalClient } from '../src/temporal/client';
import { devServerSearchAttributeArgs } from '../src/temporal/search-attributes';
import type { WatchedProcess } from './cpu';

export interface BenchStack {
  apiUrl: string;
  adminToken: string;
  env: NodeJS.ProcessEnv;
  db: Database;
  temporal: Client;
  sandboxes: RunningSandboxes;
  /** The processes whose CPU counts as the service's; a backend with more processes adds its own. */
  processes: WatchedProcess[];
  /** The embedded PostgreSQL under FerretDB (its statistics count every process's database work); absent on other backends. */
  postgresUrl?: string;
  /** Every database command this process sends is counted here (by name). */
  commands: Map<string, number>;
  dataDir: string;
  /** The worker's task queue: the benchmark's workflows, and only those, run on it. */
  taskQueue: string;
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Starts another Node process of this repository (a bare Express server, a second worker). */
  node(name: string, entry: string, env?: NodeJS.ProcessEnv): Supervised;
  stop(): Promise<void>;
}

const say = (line: string) => console.error(`[bench] ${line}`);

export async function startBenchStack(options: { env?: Record<string, string> } = {}): Promise<BenchStack> {
  installOrphanGuard();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adtrack-bench-'));
  // Run as root, PostgreSQL runs as another user, which must reach its data folder inside this one.
  fs.chmodSync(dataDir, 0o755);
  const started: Supervised[] = [];
  // TEMPORAL_ADDRESS / MONGODB_URI use existing services (as `npm start` does): their CPU is not sampled.
  const external = { temporal: process.env.TEMPORAL_ADDRESS, mongo: process.env.MONGODB_URI };
  const tools = await ensureTools(say, { temporal: !external.temporal, ferretdb: !external.mongo });
  say('starting Temporal and FerretDB…');
  const [temporal, ferret] = await Promise.all([
    external.temporal
      ? undefined
      : startTemporalDevServer({ binary: tools.temporal, port: await freePort(), extraArgs: devServerSearchAttributeArgs(), logFile: path.join(dataDir, 'temporal.log') }),
    external.mongo
      ? undefined
      : startEmbeddedDatabase({ ferretdbBinary: tools.ferretdb, handler: embeddedHandlerFrom(process.env), port: await freePort(), dataDir, logDir: dataDir, throwaway: true }),
  ]);
  if (temporal) started.push(temporal);
  if (ferret) started.push(...ferret.processes);
  const temporalAddress = external.temporal ?? temporal!.address;
  // A database and a task queue of its own: an existing server may hold other data and workers.
  const suffix = randomBytes(4).toString('hex');
  const mongoUri = external.mongo ? withDatabase(external.mongo, `adtrack_bench_${suffix}`) : `${ferret!.uri}adtrack_bench`;
  const sandboxes = await startSandboxes();
  const adminToken = randomBytes(24).toString('hex');
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(apiPort),
    ADMIN_API_TOKEN: adminToken,
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `bench-${suffix}`,
    MONGODB_URI: mongoUri,
    // The load comes from one address and a few visitors: the per-IP limit would measure itself.
    TRACKING_RATE_PER_MINUTE: '100000',
    TRACKING_RATE_BURST: '100000',
    // P5 subscribes the API to the Facebook sandbox's lead webhook.
    FACEBOOK_WEBHOOK_VERIFY_TOKEN: 'adtrack-bench-verify-token',
    ...sandboxes.env,
    ...options.env,
  };
  const node = (name: string, entry: string, extraEnv: NodeJS.ProcessEnv = {}) => {
    // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": profile the stack's Node processes (NODE_OPTIONS refuses --cpu-prof).
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const proc = supervise(name, process.execPath, [...nodeArgs, '--import', 'tsx', path.join(PROJECT_ROOT, entry)], {
      env: { ...env, ...extraEnv },
      cwd: PROJECT_ROOT,
      logFile: path.join(dataDir, `${name}.log`),
    });
    started.push(proc);
    return proc;
  };
  say('starting the worker and the API…');
  const worker = node('worker', 'src/temporal/worker-main.ts');
  const { client, connection } = await createTemporalClient({ address: temporalAddress, namespace: 'default', encryptionKeys: loadConfig(env).ENCRYPTION_KEYS });
  // The worker logs at warn here; its workflow poller on the task queue says it is up.
  const taskQueue = loadConfig(env).TEMPORAL_TASK_QUEUE;
  await waitFor(
    'worker',
    async () => {
      const answer = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: 1 });
      return (answer.pollers?.length ?? 0) > 0;
    },
    { timeoutMs: 300_000, intervalMs: 1_000, exited: worker.exited },
  );
  const api = node('api', 'src/api/main.ts');
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitFor('API', async () => (await fetch(`${apiUrl}/readyz`).catch(() => undefined))?.status === 200, { timeoutMs: 120_000, exited: api.exited });

  const db = await connectDatabase(String(env.MONGODB_URI), { monitorCommands: true });
  const commands = new Map<string, number>();
  db.connection.getClient().on('commandStarted', (event) => commands.set(event.commandName, (commands.get(event.commandName) ?? 0) + 1));

  const request = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(`${apiUrl}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  return {
    apiUrl,
    adminToken,
    env,
    db,
    temporal: client,
    sandboxes,
    processes: [
      { name: 'worker', pid: worker.child.pid! },
      { name: 'api', pid: api.child.pid! },
      ...(temporal ? [{ name: 'temporal', pid: temporal.child.pid! }] : []),
      ...(ferret ? ferret.processes.map((proc) => ({ name: proc.name, pid: proc.child.pid! })) : []),
    ],
    ...(ferret?.postgresUrl ? { postgresUrl: ferret.postgresUrl } : {}),
    commands,
    dataDir,
    taskQueue: `bench-${suffix}`,
    request,
    node,
    async stop() {
      await connection.close();
      if (external.mongo) await db.connection.dropDatabase().catch(() => undefined);
      await db.close();
      for (const proc of [...started].reverse()) await proc.stop();
      await sandboxes.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}
