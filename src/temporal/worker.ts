import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { createDataConverter } from './data-converter';
import type { EncryptionKey } from './codec';

export const WORKFLOWS_PATH = path.join(__dirname, '..', '..', 'workflows', 'index.ts');

export interface WorkerBootstrapOptions {
  address?: string;
  connection?: NativeConnection;
  namespace: string;
  taskQueue: string;
  encryptionKeys: EncryptionKey[];
  deps: ActivityDeps;
  /** A pre-built bundle (tests bundle once per file); otherwise the workflows are bundled here. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  overrides?: Partial<WorkerOptions>;
}

/** The one worker bootstrap shared by the worker process, the launcher and the tests. */
export async function createWorker(options: WorkerBootstrapOptions): Promise<{ worker: Worker; connection: NativeConnection; ownsConnection: boolean }> {
  const ownsConnection = !options.connection;
  const connection = options.connection ?? (await NativeConnection.connect({ address: options.address ?? '127.0.0.1:7233' }));
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(options.deps),
    dataConverter: await createDataConverter(options.encryptionKeys),
    // Bounded cache: a 2-core, shared box must not be eaten by the workflow cache (sdk-typescript#2227).
    maxCachedWorkflows: 200,
    maxConcurrentActivityTaskExecutions: 50,
    shutdownGraceTime: '10 seconds',
    ...options.overrides,
  });
  return { worker, connection, ownsConnection };
}
