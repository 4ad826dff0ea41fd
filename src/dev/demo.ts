import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { followPipeline } from '../client/follow.js';
import { formatFailure, formatResult } from '../client/format.js';
import { startPipeline } from '../client/pipelines.js';
import { loadPipelineSpecFile } from '../client/spec-file.js';
import { ensureWebhookDestination } from '../client/webhook-destination.js';
import { startWebhookReceiver } from '../client/webhook-receiver.js';
import { DatabricksClient } from '../databricks/index.js';
import type { PipelineSpec } from '../workflows/lib/pipeline-spec.js';
import type { RunningStack } from './stack.js';

/** The example users copy; the demo runs exactly this file. */
export const DEMO_SPEC = join(import.meta.dirname, '..', '..', 'examples', 'daily-sales.yaml');
const DEMO_WAREHOUSE = 'durabricks-demo';

/**
 * The `npm start` demo on the embedded stack: the example ETL pipeline (cluster → job whose SQL task
 * writes a table → cluster terminated → follow-up SQL reads it back), with live progress, the result
 * rows and the Temporal UI link. Against the emulator it first makes sure a SQL warehouse exists;
 * against a real workspace (DATABRICKS_HOST/TOKEN) it needs DATABRICKS_WAREHOUSE_ID.
 */
export async function runDemo(stack: RunningStack, say: (line: string) => void): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const { databricks } = stack;
  // A fresh secret per run: the receiver only lives as long as the demo, and the destination is updated to match.
  const secret = randomBytes(24).toString('base64url');
  const receiver = await startWebhookReceiver({ client: stack.client, secret, log: say });
  try {
    let destinationId: string | undefined;
    if (databricks.kind === 'emulator') {
      const dbx = new DatabricksClient({ host: databricks.host, token: databricks.token, env: {} });
      try {
        env.DATABRICKS_WAREHOUSE_ID = await ensureWarehouse(dbx, say);
        // As in production (`durabricks webhook-destination`): a generic-webhook destination created through
        // the Notification Destinations API, which the run names and which calls the receiver with Basic auth.
        const destination = await ensureWebhookDestination(dbx, { url: receiver.url, secret });
        destinationId = destination.id;
        say(`${destination.action} notification destination ${destination.name} (${destination.id}) for the webhook receiver at ${receiver.url}`);
      } finally {
        await dbx.close();
      }
    } else if (!env.DATABRICKS_WAREHOUSE_ID) {
      throw new Error('running the demo against a real workspace needs DATABRICKS_WAREHOUSE_ID (a SQL warehouse the token may use)');
    }

    const loaded = await loadPipelineSpecFile(DEMO_SPEC, { env });
    // A real workspace cannot reach a receiver on this machine, so only the emulator's run reports its end by webhook.
    const spec = destinationId ? withRunEventsByWebhook(loaded, destinationId) : loaded;
    const workflowId = `durabricks-demo-${Date.now()}`;
    const { handle } = await startPipeline(stack.client, spec, { taskQueue: stack.config.taskQueue, workflowId });
    say(`started pipeline ${spec.name} (workflow ${workflowId}) from ${DEMO_SPEC}`);
    say(`watch it in the Temporal UI: ${stack.server.uiUrl}/namespaces/${stack.server.namespace}/workflows/${workflowId}`);
    try {
      const result = await followPipeline(handle, { onLines: (lines) => lines.forEach((l) => say(`  ${l}`)) });
      for (const line of formatResult(result)) say(line);
    } catch (err) {
      for (const line of formatFailure(err)) say(line);
      throw new Error(`the demo pipeline failed; see its history in the Temporal UI: ${stack.server.uiUrl}/namespaces/${stack.server.namespace}/workflows/${workflowId}`);
    }
    say(`run events received by the webhook: ${receiver.stats.received} (${receiver.stats.signalled} signalled)`);
    say(`history in the Temporal UI: ${stack.server.uiUrl}/namespaces/${stack.server.namespace}/workflows/${workflowId}`);
  } finally {
    await receiver.close();
  }
}

/** The demo warehouse: reused if it exists (state persists across demo runs), created otherwise. */
async function ensureWarehouse(dbx: DatabricksClient, say: (line: string) => void): Promise<string> {
  for await (const w of dbx.warehouses.list({})) {
    if (w.name === DEMO_WAREHOUSE && w.state !== 'DELETED' && w.state !== 'DELETING') return w.id;
  }
  const { id } = await dbx.warehouses.create({ name: DEMO_WAREHOUSE, cluster_size: '2X-Small', auto_stop_mins: 10, max_num_clusters: 1 });
  say(`created SQL warehouse ${DEMO_WAREHOUSE} (${id}) in the emulator`);
  return id;
}

/** The run notifies `destinationId` when it ends, and the pipeline waits for that instead of polling. */
export function withRunEventsByWebhook(spec: PipelineSpec, destinationId: string): PipelineSpec {
  const to = [{ id: destinationId }];
  return { ...spec, job: { ...spec.job, webhook_notifications: { ...spec.job.webhook_notifications, on_success: to, on_failure: to }, run_events: 'webhook' } };
}
