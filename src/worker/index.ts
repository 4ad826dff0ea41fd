export { loadWorkerConfig, DEFAULT_TASK_QUEUE, WorkerConfigError, type WorkerConfig } from './config.js';
export { createWorker, connectToTemporal, TemporalUnreachableError, WORKFLOWS_PATH, type DurabricksWorker } from './create-worker.js';
export { installRuntime } from './runtime.js';
