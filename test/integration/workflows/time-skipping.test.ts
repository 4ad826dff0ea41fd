import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../src/activities/index.js';
import { createLogger } from '../../../src/common/logger.js';
import { quietRuntime, timeSkippingEnv, workflowBundle } from '../../support/temporal.js';

describe('time-skipping test server (native Java test server from the project cache)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    quietRuntime();
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('completes a workflow with a 24-hour durable timer in seconds of wall time', async () => {
    const logger = createLogger({ level: 'silent' });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'time-skipping',
      workflowBundle: await workflowBundle(),
      activities: createActivities({ logger }),
    });
    const virtualStart = await env.currentTimeMs();
    const result = await worker.runUntil(
      env.client.workflow.execute('smokeTest', { taskQueue: 'time-skipping', workflowId: 'timer-24h', args: [{ sleep: '24 hours' }] }),
    );
    const virtualElapsed = (await env.currentTimeMs()) - virtualStart;

    expect(result.sleptFor).toBe('24 hours');
    // Without time skipping this test would need a day of wall time and hit its timeout instead.
    expect(virtualElapsed).toBeGreaterThanOrEqual(24 * 3600 * 1000);
  });
});
