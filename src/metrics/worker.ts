import type { Config } from '../config';
import type { Models } from '../db/models';
import { registerDatabaseGauges } from './database-gauges';
import { startMetricsServer } from './endpoint';

/**
 * The worker's metrics: the counters its activities increment, the database gauges, served on
 * WORKER_METRICS_PORT (off when 0). The worker process and the integration tests start it the same way.
 */
export async function startWorkerMetrics(config: Pick<Config, 'WORKER_METRICS_PORT' | 'METRICS_TOKEN'>, models: Models, options: { port?: number } = {}) {
  const port = options.port ?? config.WORKER_METRICS_PORT;
  if (port === 0 && options.port === undefined) return undefined;
  registerDatabaseGauges(models);
  return startMetricsServer({ port, token: config.METRICS_TOKEN });
}
