import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { describeWorker } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

export interface SmokeTestInput {
  /** A durable timer to wait through, e.g. '24 hours'; time-skipping tests make it instant. */
  sleep?: string | number;
}

export interface SmokeTestResult {
  workerIdentity: string;
  startedAt: string;
  sleptFor?: string | number;
}

/** Minimal real workflow: one activity round trip and one durable timer. */
export async function smokeTest(input: SmokeTestInput = {}): Promise<SmokeTestResult> {
  const startedAt = workflowInfo().runStartTime.toISOString();
  const worker = await describeWorker();
  if (input.sleep !== undefined) await sleep(input.sleep);
  return { workerIdentity: worker.identity, startedAt, sleptFor: input.sleep };
}
