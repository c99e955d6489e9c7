import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApp } from '../../src/api/app';
import { relayDepsOf, startCrmActivityRelay, type RunningRelay } from '../../src/conversions/crm-relay';
import type { ApiContext } from '../../src/api/context';
import { loadConfig, type Config } from '../../src/config';
import { connectDatabase, type Database } from '../../src/db/connection';
import { listen, type RunningServer } from '../../src/sandboxes/kit/sandbox-app';
import { createLogger } from '../../src/logging';
import { EncryptionCodec } from '../../src/temporal/codec';
import { createTemporalClient, temporalIsServing } from '../../src/temporal/client';
import { createWorker, workerTuning, workflowBundleOptions, type WorkerBootstrapOptions } from '../../src/temporal/worker';
import { createActivityDeps } from '../../src/temporal/activity-deps';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import type { ActivityDeps } from '../../activities';

export interface TestStack {
  config: Config;
  db: Database;
  client: Client;
  worker: Worker;
  api: RunningServer;
  adminToken: string;
  taskQueue: string;
  /** fetch against the API with the admin token. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

export const TEST_ENCRYPTION_KEY = { id: 'test-key', key: randomBytes(32) };

let bundlePromise: ReturnType<typeof bundleWorkflowCode> | undefined;
/** Bundling takes seconds: once per test file (process). */
export function workflowBundle() {
  bundlePromise ??= bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietBundlerLogger });
  return bundlePromise;
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/**
 * Gives a test file its own database, task queue, running worker and API server against the shared
 * Temporal dev server and FerretDB started in global setup; torn down after the file.
 */
export function useStack(options: { env?: () => Record<string, string>; deps?: (base: ActivityDeps) => ActivityDeps } = {}): TestStack {
  const stack = {} as TestStack;
  beforeAll(async () => {
    const suffix = randomUUID().slice(0, 8);
    const adminToken = randomBytes(24).toString('hex');
    const env = options.env?.() ?? {};
    stack.adminToken = adminToken;
    stack.taskQueue = `test-${suffix}`;
    stack.config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      ADMIN_API_TOKEN: adminToken,
      ENCRYPTION_KEYS: `${TEST_ENCRYPTION_KEY.id}:${TEST_ENCRYPTION_KEY.key.toString('base64')}`,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      MONGODB_URI: inject('mongoUri'),
      CRM_OUTBOX_RELAY_SECONDS: '1',
      // Files that pace their accounts with SWEEP_INTERVAL_SECONDS count the sweeps of idle accounts:
      // their accounts keep sweeping on that interval themselves unless the file sets an idle period
      // (test/integration/tracking-idle.test.ts runs accounts watched by the ads watcher).
      ...(env.SWEEP_INTERVAL_SECONDS && !env.IDLE_SWEEP_INTERVAL_SECONDS ? { IDLE_SWEEP_INTERVAL_SECONDS: env.SWEEP_INTERVAL_SECONDS } : {}),
      ...env,
    });
    const logger = createLogger({ level: 'silent' });
    installTemporalRuntime(createLogger({ level: 'warn', name: 'temporal-sdk' }));
    stack.db = await connectDatabase(stack.config.MONGODB_URI, { dbName: `adtrack_test_${suffix}` });
    const { client, connection } = await createTemporalClient({
      address: stack.config.TEMPORAL_ADDRESS,
      namespace: stack.config.TEMPORAL_NAMESPACE,
      encryptionKeys: stack.config.ENCRYPTION_KEYS,
    });
    stack.client = client;
    const baseDeps: ActivityDeps = createActivityDeps(stack.config, stack.db);
    const worker = await startWorker(stack, options.deps ? options.deps(baseDeps) : baseDeps);
    stack.worker = worker;
    workerRun = worker.run();
    const ctx: ApiContext = {
      config: stack.config,
      logger,
      db: stack.db,
      temporal: client,
      codec: await EncryptionCodec.create(stack.config.ENCRYPTION_KEYS),
      temporalReady: () => temporalIsServing(connection),
    };
    stack.api = await listen(createApp(ctx));
    // As src/api/main.ts does: CRM activity not acknowledged at once is retried from the outbox.
    relay = startCrmActivityRelay(relayDepsOf(ctx), stack.config.CRM_OUTBOX_RELAY_SECONDS * 1000);
    stack.request = async (method, path, body, headers = {}) => {
      const res = await fetch(`${stack.api.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON; keep the text
      }
      return { status: res.status, body: parsed };
    };
    closeConnection = () => connection.close();
  });

  let workerRun: Promise<void> | undefined;
  let relay: RunningRelay | undefined;
  let closeConnection: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await stack.api?.close();
    await relay?.stop();
    // A test may have stopped (or replaced) the worker itself.
    if (stack.worker?.getState() === 'RUNNING') stack.worker.shutdown();
    await workerRun?.catch(() => undefined);
    await closeConnection?.();
    await stack.db?.connection.dropDatabase().catch(() => undefined);
    await stack.db?.close();
  });
  return stack;
}

/**
 * A worker on the file's task queue with the real activities, as useStack starts one; tests that
 * stop a worker mid-run start its replacement with this (or one running other workflow code).
 */
export async function startWorker(
  stack: TestStack,
  deps: ActivityDeps = createActivityDeps(stack.config, stack.db),
  bundle?: Awaited<ReturnType<typeof workflowBundle>>,
  overrides?: WorkerBootstrapOptions['overrides'],
) {
  const { worker } = await createWorker({
    address: stack.config.TEMPORAL_ADDRESS,
    namespace: stack.config.TEMPORAL_NAMESPACE,
    taskQueue: stack.taskQueue,
    encryptionKeys: stack.config.ENCRYPTION_KEYS,
    deps,
    tuning: workerTuning(stack.config),
    workflowBundle: bundle ?? (await workflowBundle()),
    ...(overrides ? { overrides } : {}),
  });
  return worker;
}

/** Polls until `check` returns a truthy value or the deadline passes (no sleeps as synchronisation). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${options.what ?? 'condition'}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
  }
}
