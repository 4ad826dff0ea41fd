// Every workflow the worker registers. Workflow code is deterministic and sandboxed: see eslint.config.js.
export { smokeTest } from './smoke-test.js';
export type { SmokeTestInput, SmokeTestResult } from './smoke-test.js';
export { etlPipeline } from './etl-pipeline.js';
export { provisionWorkspace } from './provisioning-saga.js';
export { sweepLeaks } from './sweeper.js';
export { deprovisionWorkspace } from './deprovisioning.js';
export { backfillPipeline } from './backfill.js';
