import { describe, expect, it } from 'vitest';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { tracingPlugin } from '../../../src/worker/tracing.js';

describe('tracingPlugin', () => {
  it('is off unless configured', () => {
    expect(tracingPlugin({ tracing: 'off' })).toBeUndefined();
  });

  it('adds the OpenTelemetry plugin for console and OTLP exporters', () => {
    expect(tracingPlugin({ tracing: 'console' })).toBeInstanceOf(OpenTelemetryPlugin);
    const otlp = tracingPlugin({ tracing: 'otlp', otlpEndpoint: 'http://collector:4318/' });
    expect(otlp).toBeInstanceOf(OpenTelemetryPlugin);
    // The plugin wires interceptors into the worker options it is given.
    const configured = otlp!.configureWorker({ taskQueue: 'q' } as never) as { interceptors?: unknown };
    expect(configured.interceptors).toBeDefined();
  });
});
