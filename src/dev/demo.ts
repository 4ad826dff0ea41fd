import type { RunningStack } from './stack.js';

/**
 * The `npm start` demo on the embedded stack. Until the ETL pipeline workflow lands (issue #8) it
 * runs the smoke-test workflow: a real activity round trip and a durable timer through the server.
 */
export async function runDemo(stack: RunningStack, say: (line: string) => void): Promise<void> {
  const workflowId = `durabricks-demo-${Date.now()}`;
  say(`starting workflow smokeTest (id ${workflowId})`);
  const handle = await stack.client.workflow.start('smokeTest', {
    taskQueue: stack.config.taskQueue,
    workflowId,
    args: [{ sleep: '2 seconds' }],
  });
  const result = await handle.result();
  say(`workflow completed: ${JSON.stringify(result)}`);
  say(`see its history in the Temporal UI: ${stack.server.uiUrl}/namespaces/${stack.server.namespace}/workflows/${workflowId}`);
}
