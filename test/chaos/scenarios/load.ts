/**
 * Load: many concurrent pipelines against the emulator with its per-token rate limit (30 req/s)
 * enforced. All must complete, 429s must stay under 1 % of the calls that reached the emulator,
 * and no pipeline may fail because of throttling. The worker's client paces itself with its own
 * token bucket and honours Retry-After; Temporal's retries absorb the rest.
 */
import { emptyFigures, type ScenarioFigures } from '../lib/figures.js';
import { inspectState, outcomeProblems, type WorkflowOutcome } from '../lib/checks.js';
import { startRig } from '../lib/rig.js';
import { planPipeline } from '../lib/specs.js';

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
  const rig = await startRig({ speed: o.speed ?? 60, seed: o.seed ?? 5, rateLimitPerSecond: 30 });
  try {
    const plans = Array.from({ length: o.pipelines }, (_, i) => planPipeline(`load-${o.seed ?? 5}-${i}`, 'ok', 60));
    await Promise.all(plans.map((p) => rig.startPipeline(p.workflowId, p.spec)));
    o.log?.(`started ${plans.length} pipelines`);
    f.workflows = plans.length;
    const timeoutMs = o.timeoutMs ?? 20 * 60_000;
    const outcomes: WorkflowOutcome[] = await Promise.all(
      plans.map(async (p): Promise<WorkflowOutcome> => {
        const handle = rig.env.client.workflow.getHandle(p.workflowId);
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
    const state = inspectState(rig.emu.snapshot(), plans);
    f.duplicates = state.duplicates.length;
    f.leaks = state.leaks.length;
    f.apiCalls = rig.tap.calls.length;
    f.throttled = rig.responses.filter((e) => e.status === 429).length;
    if (f.throttled / Math.max(1, f.apiCalls) >= 0.01) problems.push(`429s were ${((100 * f.throttled) / f.apiCalls).toFixed(2)} % of calls (limit: < 1 %)`);
    f.problems.push(...problems, ...state.duplicates, ...state.leaks, ...state.missing);
    o.log?.(`${f.asExpected}/${plans.length} completed; ${f.apiCalls} calls, ${f.throttled} 429s`);
  } finally {
    await rig.close();
    f.seconds = (Date.now() - started) / 1000;
  }
  return f;
}
