import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { z } from 'zod';
import { resolveGrpcCompression, type GrpcCompressionCodec } from './grpc-compression.js';

/** Defaults shared by the worker, the client and docker-compose.yml (a test checks they agree). */
export const DEFAULT_TASK_QUEUE = 'durabricks';

const intFromEnv = (min: number) => z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(min, `must be at least ${min}`);

/**
 * Every environment variable the worker reads besides Temporal's own TEMPORAL_* conventions
 * (which @temporalio/envconfig handles: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
 * TEMPORAL_TLS*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE).
 */
/** The webhook receiver's shared secret is refused when shorter (`durabricks webhook-destination` checks it too). */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

export const workerEnvSchema = z.object({
  DURABRICKS_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  DURABRICKS_MAX_CONCURRENT_ACTIVITIES: intFromEnv(1).default(100),
  DURABRICKS_MAX_CONCURRENT_WORKFLOW_TASKS: intFromEnv(2).default(40),
  DURABRICKS_MAX_CACHED_WORKFLOWS: intFromEnv(0).default(2000),
  DURABRICKS_SHUTDOWN_GRACE_SECONDS: intFromEnv(0).default(30),
  /** host:port for the Prometheus scrape endpoint (`/metrics`); off when empty. */
  DURABRICKS_METRICS_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'must look like host:port, e.g. 0.0.0.0:9464')
    .optional(),
  /** Tracing: off (default), console, or otlp (to OTEL_EXPORTER_OTLP_ENDPOINT). */
  DURABRICKS_TRACING: z.enum(['off', 'console', 'otlp']).default('off'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** Port of the job-notification webhook receiver (ends run waits early); off when unset. */
  DURABRICKS_WEBHOOK_PORT: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be a TCP port').max(65535, 'must be a TCP port').optional(),
  /** Shared secret the webhook receiver requires: `Authorization: Bearer <secret>`, or Basic auth with it as password (a generic webhook destination). */
  DURABRICKS_WEBHOOK_SECRET: z.string().min(MIN_WEBHOOK_SECRET_LENGTH, `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`).optional(),
  DURABRICKS_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** gRPC compression to the Temporal server: auto (none to a loopback address, else gzip), gzip or none. */
  DURABRICKS_GRPC_COMPRESSION: z.enum(['auto', 'gzip', 'none']).default('auto'),
});

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export interface WorkerConfig {
  temporal: ClientConnectConfig;
  taskQueue: string;
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
  maxCachedWorkflows: number;
  shutdownGraceSeconds: number;
  metricsAddress?: string;
  tracing: WorkerEnv['DURABRICKS_TRACING'];
  otlpEndpoint?: string;
  logLevel: WorkerEnv['DURABRICKS_LOG_LEVEL'];
  webhookPort?: number;
  webhookSecret?: string;
  /** Resolved from DURABRICKS_GRPC_COMPRESSION and the server's address (see grpc-compression.ts). */
  grpcCompression: GrpcCompressionCodec;
}

export class WorkerConfigError extends Error {
  override name = 'WorkerConfigError';
}

/** Reads and validates the worker's configuration; every problem is listed by variable name. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<WorkerConfig> = {}): WorkerConfig {
  const parsed = workerEnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new WorkerConfigError(`invalid worker configuration: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'env'} ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  if (e.DURABRICKS_TRACING === 'otlp' && !e.OTEL_EXPORTER_OTLP_ENDPOINT) {
    throw new WorkerConfigError('invalid worker configuration: DURABRICKS_TRACING=otlp needs OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://otel-collector:4318)');
  }
  let temporal: ClientConnectConfig;
  try {
    temporal = loadClientConnectConfig({ overrideEnvVars: env as Record<string, string> });
  } catch (err) {
    throw new WorkerConfigError(`invalid Temporal connection settings (TEMPORAL_* or the Temporal config file): ${err instanceof Error ? err.message : String(err)}`);
  }
  temporal.connectionOptions.address ??= 'localhost:7233';
  temporal.namespace ??= 'default';
  return {
    temporal,
    taskQueue: e.DURABRICKS_TASK_QUEUE,
    maxConcurrentActivities: e.DURABRICKS_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTasks: e.DURABRICKS_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxCachedWorkflows: e.DURABRICKS_MAX_CACHED_WORKFLOWS,
    shutdownGraceSeconds: e.DURABRICKS_SHUTDOWN_GRACE_SECONDS,
    metricsAddress: e.DURABRICKS_METRICS_ADDRESS,
    tracing: e.DURABRICKS_TRACING,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    logLevel: e.DURABRICKS_LOG_LEVEL,
    webhookPort: e.DURABRICKS_WEBHOOK_PORT,
    webhookSecret: e.DURABRICKS_WEBHOOK_SECRET,
    grpcCompression: resolveGrpcCompression(e.DURABRICKS_GRPC_COMPRESSION, temporal.connectionOptions.address),
    ...overrides,
  };
}
