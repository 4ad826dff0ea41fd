import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/common/logger.js';
import { DatabricksClient } from '../../src/databricks/index.js';
import { runDemo, withRunEventsByWebhook } from '../../src/dev/demo.js';
import { freePort } from '../../src/dev/ports.js';
import { startStack, type RunningStack } from '../../src/dev/stack.js';
import { validatePipelineSpec } from '../../src/workflows/lib/pipeline-spec.js';

/** What `npm start` runs, on the embedded stack (not persisted), with its run's end reported by webhook. */
describe('npm start demo', () => {
  let stack: RunningStack | undefined;
  afterEach(async () => {
    await stack?.shutdown();
    stack = undefined;
  });

  it('runs the example pipeline; the run end reaches the receiver through an API-created destination and signals the pipeline', async () => {
    stack = await startStack({ logger: createLogger({ level: 'silent' }), persist: false, port: await freePort(), uiPort: await freePort() });
    const lines: string[] = [];
    await runDemo(stack, (line) => lines.push(line));
    const out = lines.join('\n');

    expect(out).toMatch(/pipeline daily-sales succeeded/);
    expect(out).toMatch(/east\s+\|\s+3\s+\|\s+325\.74/);
    const destinationId = /created notification destination durabricks-run-events \(([^)]+)\) for the webhook receiver at http:\/\/127\.0\.0\.1:\d+\//.exec(out);
    expect(destinationId).not.toBeNull();
    expect(out).toMatch(/run events received by the webhook: 1 \(1 signalled\)/);

    // The destination is a real API object: a generic webhook whose URL and credentials are input-only.
    const dbx = new DatabricksClient({ host: stack.databricks.host, token: stack.databricks.token, env: {} });
    try {
      const destination = await dbx.notificationDestinations.get({ id: destinationId![1]! });
      expect(destination.config).toEqual({ generic_webhook: { url_set: true, username_set: true, password_set: true } });
    } finally {
      await dbx.close();
    }

    const workflowId = /\(workflow (\S+)\)/.exec(out)![1]!;
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const signals = (history.events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes.signalName] : []));
    expect(signals).toEqual(['runEvent']);
  }, 240_000);
});

describe('withRunEventsByWebhook', () => {
  it('names the destination for both end events and keeps the spec valid', () => {
    const r = validatePipelineSpec({ name: 'x', cluster: { existing_cluster_id: 'c-1' }, job: { tasks: [{ task_key: 't', notebook_task: { notebook_path: '/n' } }], webhook_notifications: { on_start: [{ id: 'other' }] } } });
    if (!r.ok) throw new Error(r.problems.join('; '));
    const spec = withRunEventsByWebhook(r.spec, 'dest-1');
    expect(spec.job).toMatchObject({ run_events: 'webhook', webhook_notifications: { on_start: [{ id: 'other' }], on_success: [{ id: 'dest-1' }], on_failure: [{ id: 'dest-1' }] } });
    expect(validatePipelineSpec(spec).ok).toBe(true);
  });
});
