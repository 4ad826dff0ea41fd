import { Runtime } from '@temporalio/worker';
import type { Logger } from '../common/logger.js';
import { toTemporalLogger } from './temporal-logger.js';

let installed = false;

/**
 * Installs the process-wide Temporal runtime once: our logger, Prometheus metrics when an address is
 * configured, and no signal handlers of its own (our CLI owns shutdown order: worker, then servers).
 */
export function installRuntime(options: { logger: Logger; metricsAddress?: string }): void {
  if (installed) return;
  Runtime.install({
    logger: toTemporalLogger(options.logger),
    shutdownSignals: [],
    telemetryOptions: options.metricsAddress ? { metrics: { prometheus: { bindAddress: options.metricsAddress, countersTotalSuffix: true } } } : undefined,
  });
  installed = true;
}
