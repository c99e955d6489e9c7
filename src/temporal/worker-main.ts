import { NativeConnection } from '@temporalio/worker';
import { loadConfigOrExit } from '../config';
import { connectDatabase } from '../db/connection';
import { createLogger } from '../logging';
import { installTemporalRuntime } from './runtime';
import { createActivityDeps } from './activity-deps';
import { createWorker, workerTuning } from './worker';
import { startWorkerMetrics } from '../metrics/worker';

/** The worker process: runs every workflow and activity on the configured task queue. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'adtrack-worker' });
  installTemporalRuntime(logger, 'INFO', config.TEMPORAL_METRICS_PORT ? { prometheusBindAddress: `0.0.0.0:${config.TEMPORAL_METRICS_PORT}` } : {});
  const db = await connectDatabase(config.MONGODB_URI, { flavor: config.DATABASE_FLAVOR });
  const metrics = await startWorkerMetrics(config, db.models);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const { worker, workflowCode } = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    encryptionKeys: config.ENCRYPTION_KEYS,
    deps: createActivityDeps(config, db),
    tuning: workerTuning(config),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'worker stopping');
      worker.shutdown();
    });
  }
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, workflowCode, database: db.traits.flavor }, 'worker started');
  await worker.run();
  await connection.close();
  await metrics?.close();
  await db.close();
  logger.info('worker stopped');
}

main().catch((error: unknown) => {
  createLogger({ name: 'adtrack-worker' }).fatal({ err: error }, 'worker failed');
  process.exit(1);
});
