/**
 * Load: many concurrent pipelines against the emulator with its per-token rate limit (30 req/s)
 * enforced. All must complete, 429s must stay under 1 % of the calls that reached the emulator,
 * and no pipeline may fail because of throttling. The worker runs as in production — its own
 * process (\`durabricks worker\`) with its client's token bucket — and the 429s it received are read
 * from its Prometheus endpoint (\`durabricks_databricks_requests{status="429"}\`).
 */
import { freePort } from '../../../src/dev/ports.js';
import { startChaosEnv } from '../lib/chaos-env.js';
import { emptyFigures, type ScenarioFigures } from '../lib/figures.js';
import { inspectState, outcomeProblems, type WorkflowOutcome } from '../lib/checks.js';
import { planPipeline } from '../lib/specs.js';

/** Sum of a Prometheus counter's samples whose labels include `status="<status>"`. */
export function counterByStatus(metrics: string, name: string, status: string): number {
  let sum = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(name) || !line.includes(`status="${status}"`)) continue;
    const value = Number(line.trim().split(/\s+/).pop());
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

export interface LoadOptions {
  pipelines: number;
  /** Emulator speed (default 60: a 4-minute cluster start takes 4 s, so waiters poll for real). */
  speed?: number;
  seed?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export async function loadScenario(o: LoadOptions): Promise<ScenarioFigures> {
  const started = Date.now();
  const f = emptyFigures(`load: ${o.pipelines} concurrent pipelines, 30 req/s limit`, o.seed);
  const metricsPort = await freePort();
  const env = await startChaosEnv({ speed: o.speed ?? 60, seed: o.seed ?? 5, rateLimitPerSecond: 30, workerEnv: { DURABRICKS_METRICS_ADDRESS: `127.0.0.1:${metricsPort}` }, ...(o.log ? { log: o.log } : {}) });
  try {
    const plans = Array.from({ length: o.pipelines }, (_, i) => planPipeline(`load-${o.seed ?? 5}-${i}`, 'ok', 60));
    await Promise.all(plans.map((p) => env.client.workflow.start('etlPipeline', { taskQueue: env.taskQueue, workflowId: p.workflowId, args: [{ spec: p.spec }] })));
    o.log?.(`started ${plans.length} pipelines`);
    f.workflows = plans.length;
    const timeoutMs = o.timeoutMs ?? 20 * 60_000;
    const outcomes: WorkflowOutcome[] = await Promise.all(
      plans.map(async (p): Promise<WorkflowOutcome> => {
        const handle = env.client.workflow.getHandle(p.workflowId);
        const timer = new Promise<WorkflowOutcome>((resolve) => setTimeout(() => resolve({ workflowId: p.workflowId, status: 'STILL_RUNNING' }), timeoutMs).unref());
        const result = handle.result().then(
          (): WorkflowOutcome => ({ workflowId: p.workflowId, status: 'COMPLETED' }),
          (err: unknown): WorkflowOutcome => {
            const cause = (err as { cause?: { type?: string; message?: string } }).cause;
            return { workflowId: p.workflowId, status: 'FAILED', ...(cause?.type ? { failureType: cause.type } : {}), message: cause?.message ?? String(err) };
          },
        );
        return Promise.race([result, timer]);
      }),
    );
    const problems = outcomeProblems(plans, outcomes);
    f.asExpected = plans.length - problems.length;
    const throttledFailures = outcomes.filter((x) => x.status !== 'COMPLETED' && /TooManyRequests|REQUEST_LIMIT_EXCEEDED|429/i.test(`${x.failureType} ${x.message}`));
    if (throttledFailures.length > 0) problems.push(`${throttledFailures.length} pipeline(s) failed because of rate limiting`);
    const state = inspectState(env.emu.snapshot(), plans);
    f.duplicates = state.duplicates.length;
    f.leaks = state.leaks.length;
    f.apiCalls = env.tap.calls.length;
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    if (!metrics.includes('durabricks_databricks_requests')) problems.push('the worker exported no durabricks_databricks_requests metric: 429s cannot be counted');
    f.throttled = counterByStatus(metrics, 'durabricks_databricks_requests', '429');
    if (f.throttled / Math.max(1, f.apiCalls) >= 0.01) problems.push(`429s were ${((100 * f.throttled) / f.apiCalls).toFixed(2)} % of calls (limit: < 1 %)`);
    f.problems.push(...problems, ...state.duplicates, ...state.leaks, ...state.missing);
    o.log?.(`${f.asExpected}/${plans.length} completed; ${f.apiCalls} calls, ${f.throttled} 429s`);
  } finally {
    await env.close();
    f.seconds = (Date.now() - started) / 1000;
  }
  return f;
}
