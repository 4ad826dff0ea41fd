// What in-process reliability workers register: the real workflows plus the one-activity harness,
// so fault and secret scenarios can drive single activities and whole pipelines on one worker.
export * from '../../../src/workflows/index.js';
export { callActivity } from '../../fixtures/workflows/activity-harness.js';
