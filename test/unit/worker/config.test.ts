import { describe, expect, it } from 'vitest';
import { DEFAULT_TASK_QUEUE, WorkerConfigError, loadWorkerConfig } from '../../../src/worker/config.js';

describe('loadWorkerConfig', () => {
  it('uses Temporal env conventions and documented defaults', () => {
    const config = loadWorkerConfig({ TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_NAMESPACE: 'etl' });
    expect(config.temporal.connectionOptions.address).toBe('temporal.example:7233');
    expect(config.temporal.namespace).toBe('etl');
    expect(config.taskQueue).toBe(DEFAULT_TASK_QUEUE);
    expect(config.maxConcurrentActivities).toBe(100);
    expect(config.tracing).toBe('off');
    expect(config.metricsAddress).toBeUndefined();
  });

  it('falls back to localhost:7233 and namespace default', () => {
    const config = loadWorkerConfig({ TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' });
    expect(config.temporal.connectionOptions.address).toBe('localhost:7233');
    expect(config.temporal.namespace).toBe('default');
  });

  it('reads tuning knobs, metrics address and tracing', () => {
    const config = loadWorkerConfig({
      DURABRICKS_TASK_QUEUE: 'q2',
      DURABRICKS_MAX_CONCURRENT_ACTIVITIES: '7',
      DURABRICKS_MAX_CONCURRENT_WORKFLOW_TASKS: '9',
      DURABRICKS_METRICS_ADDRESS: '0.0.0.0:9464',
      DURABRICKS_TRACING: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    expect(config).toMatchObject({ taskQueue: 'q2', maxConcurrentActivities: 7, maxConcurrentWorkflowTasks: 9, metricsAddress: '0.0.0.0:9464', tracing: 'otlp', otlpEndpoint: 'http://collector:4318' });
  });

  it('lists every invalid variable by name', () => {
    let error: unknown;
    try {
      loadWorkerConfig({ DURABRICKS_MAX_CONCURRENT_ACTIVITIES: 'lots', DURABRICKS_METRICS_ADDRESS: 'nine', DURABRICKS_TRACING: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WorkerConfigError);
    const message = (error as Error).message;
    expect(message).toContain('DURABRICKS_MAX_CONCURRENT_ACTIVITIES must be a number');
    expect(message).toContain('DURABRICKS_METRICS_ADDRESS must look like host:port');
    expect(message).toContain('DURABRICKS_TRACING');
  });

  it('reads the webhook receiver port and rejects a short shared secret', () => {
    expect(loadWorkerConfig({ DURABRICKS_WEBHOOK_PORT: '8787' }).webhookPort).toBe(8787);
    expect(loadWorkerConfig({}).webhookPort).toBeUndefined();
    expect(() => loadWorkerConfig({ DURABRICKS_WEBHOOK_PORT: '70000' })).toThrow('DURABRICKS_WEBHOOK_PORT must be a TCP port');
    expect(() => loadWorkerConfig({ DURABRICKS_WEBHOOK_SECRET: 'short' })).toThrow('DURABRICKS_WEBHOOK_SECRET must be at least 16 characters');
  });

  it('refuses OTLP tracing without an endpoint', () => {
    expect(() => loadWorkerConfig({ DURABRICKS_TRACING: 'otlp' })).toThrow(/needs OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
