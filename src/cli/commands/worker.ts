import type { Command } from 'commander';
import { createActivities, databricksMetricsHooks } from '../../activities/index.js';
import { connectDurabricks, type DurabricksClient as TemporalClientHandle } from '../../client/connect.js';
import { createTemporalActivities } from '../../client/temporal-activities.js';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../client/webhook-receiver.js';
import { DatabricksClient } from '../../databricks/index.js';
import { createLogger } from '../../common/logger.js';
import { connectToTemporal, createWorker, installRuntime, loadWorkerConfig } from '../../worker/index.js';
import { UserFacingError } from '../errors.js';
import { onShutdownSignal } from '../shutdown-signals.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run a durabricks worker against a Temporal cluster (TEMPORAL_* env / profile) and a Databricks workspace (DATABRICKS_* env / profile)')
    .option('--task-queue <name>', 'task queue to poll (default: $DURABRICKS_TASK_QUEUE or "durabricks")')
    .action(async (opts: { taskQueue?: string }) => {
      let config;
      try {
        config = loadWorkerConfig(process.env, opts.taskQueue ? { taskQueue: opts.taskQueue } : {});
      } catch (err) {
        throw new UserFacingError(err instanceof Error ? err.message : String(err));
      }
      const logger = createLogger({ name: 'durabricks-worker', level: config.logLevel });
      installRuntime({ logger, metricsAddress: config.metricsAddress });
      let worker;
      let connection;
      let databricks: DatabricksClient | undefined;
      let temporal: TemporalClientHandle | undefined;
      let webhook: RunningWebhookReceiver | undefined;
      try {
        // Temporal first (its error is the one to report when nothing is configured), then the workspace:
        // DATABRICKS_* env or ~/.databrickscfg. Short in-process retries; longer waits (Retry-After,
        // outages) are left to Temporal's durable retries.
        connection = await connectToTemporal(config);
        databricks = new DatabricksClient({ retryBudgetMs: 10_000, logger, hooks: databricksMetricsHooks() });
        // The sweeper asks Temporal whether a resource's owning workflow is still open.
        temporal = await connectDurabricks(process.env);
        const activities = { ...createActivities({ logger, databricks }), ...createTemporalActivities({ client: temporal.client }) };
        worker = await createWorker({ config, logger, connection, activities });
        if (config.webhookPort !== undefined) {
          webhook = await startWebhookReceiver({ client: temporal.client, port: config.webhookPort, host: '0.0.0.0', secret: config.webhookSecret, log: (line) => logger.info(line) });
          logger.info({ url: webhook.url }, 'job-notification webhook receiver listening');
        }
      } catch (err) {
        await webhook?.close();
        await temporal?.close().catch(() => {});
        await databricks?.close();
        await connection?.close().catch(() => {});
        throw new UserFacingError(err instanceof Error ? err.message : String(err));
      }
      const signals = onShutdownSignal(async () => worker.worker.shutdown());
      logger.info({ taskQueue: config.taskQueue, address: config.temporal.connectionOptions.address, namespace: config.temporal.namespace }, 'worker started');
      try {
        await worker.worker.run();
      } finally {
        signals.dispose();
        await webhook?.close();
        await worker.close();
        await temporal.close();
        await connection.close();
        await databricks.close();
      }
      logger.info('worker stopped');
    });
}
