import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import type { WorkerConfig } from './config.js';

/** The OpenTelemetry plugin for the worker when tracing is switched on, else undefined. */
export function tracingPlugin(config: Pick<WorkerConfig, 'tracing' | 'otlpEndpoint'>): OpenTelemetryPlugin | undefined {
  if (config.tracing === 'off') return undefined;
  const spanProcessor: SpanProcessor =
    config.tracing === 'console'
      ? new SimpleSpanProcessor(new ConsoleSpanExporter())
      : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${config.otlpEndpoint!.replace(/\/$/, '')}/v1/traces` }));
  return new OpenTelemetryPlugin({ resource: new Resource({ 'service.name': 'durabricks-worker' }), spanProcessor });
}
