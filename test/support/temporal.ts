import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createLogger } from '../../src/common/logger.js';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../src/worker/create-worker.js';
import { installRuntime } from '../../src/worker/runtime.js';

/** Paths that global-setup resolved (real binaries, never the SDK download). */
export function temporalCliPath(): string {
  const path = process.env.TEMPORAL_CLI_PATH;
  if (!path) throw new Error('TEMPORAL_CLI_PATH not set: test/support/global-setup.ts did not run');
  return path;
}

export function testServerPath(): string {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path) throw new Error('TEMPORAL_TEST_SERVER_PATH not set: test/support/global-setup.ts did not run');
  return path;
}

/** A time-skipping environment on the project's cached Java test server (never the SDK download). */
export function timeSkippingEnv(options: { dataConverter?: DataConverter } = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath() } },
    ...(options.dataConverter ? { client: { dataConverter: options.dataConverter } } : {}),
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** One webpack bundle of the workflows per test process, shared by every worker the file creates. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
  return bundle;
}

/** Routes the SDK's logs through pino at warn level so test output shows only what matters. */
export function quietRuntime(): void {
  installRuntime({ logger: createLogger({ name: 'test', level: 'warn' }) });
}
