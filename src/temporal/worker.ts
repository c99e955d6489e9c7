import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection, Worker, type BundleOptions, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import type { Config } from '../config';
import { createDataConverter, FAILURE_CONVERTER_PATH } from './data-converter';
import type { EncryptionKey } from './codec';

/** `.ts` when run from source (tsx, vitest), `.js` when run from the compiled `dist/`. */
const SOURCE_EXT = path.extname(__filename);
export const WORKFLOWS_PATH = path.join(__dirname, '..', '..', 'workflows', `index${SOURCE_EXT}`);

/**
 * Where `npm run build` writes the prebundled workflow code: the root of the output folder, two levels
 * above this file's compiled copy (`dist/src/temporal/worker.js` → `dist/workflow-bundle.js`).
 */
export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';
export const PREBUILT_BUNDLE_PATH = path.join(__dirname, '..', '..', WORKFLOW_BUNDLE_FILE);

/**
 * What the workflow bundle is built from, wherever it is built (the worker from source, the build
 * script, the tests): the failure converter runs inside the workflow sandbox too, so it is bundled in.
 */
export function workflowBundleOptions(): Pick<BundleOptions, 'workflowsPath' | 'failureConverterPath'> {
  return { workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH };
}

export type WorkerTuning = Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions'>;

/** The Worker limits the configuration decides (a bounded cache: sdk-typescript#2227). */
export function workerTuning(config: Pick<Config, 'WORKER_MAX_CACHED_WORKFLOWS' | 'WORKER_MAX_CONCURRENT_ACTIVITIES' | 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'>): WorkerTuning {
  return {
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    ...(config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS !== undefined ? { maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS } : {}),
  };
}

export interface WorkerBootstrapOptions {
  address?: string;
  connection?: NativeConnection;
  namespace: string;
  taskQueue: string;
  encryptionKeys: EncryptionKey[];
  deps: ActivityDeps;
  tuning: WorkerTuning;
  /**
   * A pre-built bundle (tests bundle once per file). Otherwise the one `npm run build` wrote beside the
   * compiled code, or, from source, the workflows are bundled here.
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
  overrides?: Partial<WorkerOptions>;
}

function defaultWorkflowCode(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (SOURCE_EXT === '.js' && fs.existsSync(PREBUILT_BUNDLE_PATH)) return { workflowBundle: { codePath: PREBUILT_BUNDLE_PATH } };
  return { workflowsPath: WORKFLOWS_PATH };
}

/** The one worker bootstrap shared by the worker process, the launcher and the tests. */
export async function createWorker(
  options: WorkerBootstrapOptions,
): Promise<{ worker: Worker; connection: NativeConnection; ownsConnection: boolean; /** For the start log: which workflow code runs. */ workflowCode: string }> {
  const ownsConnection = !options.connection;
  const connection = options.connection ?? (await NativeConnection.connect({ address: options.address ?? '127.0.0.1:7233' }));
  const code = options.workflowBundle ? { workflowBundle: options.workflowBundle } : defaultWorkflowCode();
  const workflowCode = code.workflowBundle
    ? 'codePath' in code.workflowBundle
      ? `prebuilt bundle ${code.workflowBundle.codePath}`
      : 'given bundle'
    : `bundled at start from ${code.workflowsPath}`;
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...code,
    activities: createActivities(options.deps),
    dataConverter: await createDataConverter(options.encryptionKeys),
    ...options.tuning,
    shutdownGraceTime: '10 seconds',
    ...options.overrides,
  });
  return { worker, connection, ownsConnection, workflowCode };
}
