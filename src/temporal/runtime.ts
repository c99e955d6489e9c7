import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logging';

let installed = false;

/**
 * Routes the Temporal SDK's own logs (worker state, workflow `log`, activity `log`) into our
 * structured logger. `Runtime.install` may run once per process, before any worker exists.
 */
export function installTemporalRuntime(logger: Logger | undefined, level: LogLevel = 'WARN', options: { prometheusBindAddress?: string } = {}): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      if (!logger) return;
      const fields = { ...entry.meta, sdk: true };
      const text = entry.message;
      if (entry.level === 'ERROR') logger.error(fields, text);
      else if (entry.level === 'WARN') logger.warn(fields, text);
      else if (entry.level === 'INFO') logger.info(fields, text);
      else logger.debug(fields, text);
    }),
    // The SDK's own metrics (task latencies, slots, polls, sticky cache) on their own Prometheus port.
    ...(options.prometheusBindAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: options.prometheusBindAddress } } } } : {}),
    // Shutdown is driven by our own entry points, not by the SDK's signal handlers.
    shutdownSignals: [],
  });
}
