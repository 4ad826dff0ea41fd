/**
 * Start and follow a backfill: one pipeline per logical time in [from, to) (see
 * src/workflows/backfill.ts). Checked before anything starts; the workflow id defaults to
 * `backfill-<name>-<from>-<to>`, so starting the same backfill again while it runs attaches to it (a
 * different spec or range under a running id is refused with ConflictingStartError).
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { backfillPipeline } from '../workflows/backfill.js';
import { backfillRange } from '../workflows/lib/backfill-plan.js';
import { backfillProgressQuery, type BackfillFailureDetails, type BackfillInput, type BackfillProgress, type BackfillResult } from '../workflows/lib/backfill-types.js';
import { validatePipelineSpec, type PipelineSpec } from '../workflows/lib/pipeline-spec.js';
import { ensureSameInput } from './attach.js';
import { inputProblems } from './input-problems.js';
import { followWorkflow, type FollowOptions } from './follow.js';

export type BackfillHandle = WorkflowHandle<typeof backfillPipeline>;

export interface StartBackfillOptions {
  taskQueue: string;
  /** First logical time, included: `2026-11-01` (midnight UTC) or a date-time with a zone. */
  from: string;
  /** End of the range, not included. */
  to: string;
  /** Between two logical times (default "1d"). */
  every?: string;
  /** Pipelines at once (default 1). */
  concurrency?: number;
  workflowId?: string;
}

export function backfillWorkflowId(name: string, from: Date, to: Date): string {
  const t = (d: Date) => (d.toISOString().endsWith('T00:00:00.000Z') ? d.toISOString().slice(0, 10) : `${d.toISOString().slice(0, 19)}Z`);
  return `backfill-${name}-${t(from)}-${t(to)}`;
}

/** Validates the spec and the range (throws InvalidPipelineSpecError listing every problem), then starts or attaches. */
export async function startBackfill(client: Client, spec: unknown, o: StartBackfillOptions): Promise<{ handle: BackfillHandle; workflowId: string; started: boolean; spec: PipelineSpec; runs: number }> {
  const specCheck = validatePipelineSpec(spec);
  const checked = backfillRange(o);
  // Every problem at once: the spec's and the range's.
  if (!specCheck.ok || !checked.ok) {
    throw inputProblems(['pipeline spec', specCheck.ok ? [] : specCheck.problems], ['backfill', checked.ok ? [] : checked.problems]);
  }
  const parsed = specCheck.spec;
  const workflowId = o.workflowId ?? backfillWorkflowId(parsed.name, checked.range.from, checked.range.to);
  const input: BackfillInput = { spec: parsed, from: o.from, to: o.to, ...(o.every !== undefined ? { every: o.every } : {}), ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}) };
  const runs = checked.range.times.length;
  try {
    const handle = await client.workflow.start<typeof backfillPipeline>('backfillPipeline', {
      taskQueue: o.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      memo: { pipeline: parsed.name },
      staticSummary: `Backfill ${parsed.name}: ${runs} run(s) from ${o.from} to ${o.to}`,
    });
    return { handle, workflowId, started: true, spec: parsed, runs };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      await ensureSameInput(client, workflowId, input, comparableBackfill);
      return { handle: client.workflow.getHandle<typeof backfillPipeline>(workflowId), workflowId, started: false, spec: parsed, runs };
    }
    throw err;
  }
}

/**
 * What a second start of a running backfill must match: its spec and its range however spelt ("1d" or
 * "24h", a date or its midnight), not what a continued-as-new run carries from earlier runs.
 */
function comparableBackfill(input: BackfillInput): unknown {
  const r = backfillRange(input);
  const range = r.ok
    ? { from: r.range.from.toISOString(), to: r.range.to.toISOString(), everySeconds: r.range.everySeconds, concurrency: r.range.concurrency }
    : { from: input.from, to: input.to, every: input.every, concurrency: input.concurrency };
  return { spec: input.spec, ...range };
}

export function followBackfill(handle: BackfillHandle, options: FollowOptions): Promise<BackfillResult> {
  return followWorkflow(handle, backfillProgressQuery, backfillChanges, options);
}

const day = (iso: string) => (iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso);

/** A line per run that started or ended since `before`. */
export function backfillChanges(before: BackfillProgress | undefined, now: BackfillProgress): string[] {
  const lines: string[] = [];
  const wasRunning = new Set(before?.running.map((r) => r.workflowId));
  const wasEnded = new Set(before?.recent.map((r) => `${r.workflowId} ${r.status}`));
  for (const r of now.running) if (!wasRunning.has(r.workflowId)) lines.push(`… ${day(r.logicalTime)} running (${r.workflowId})`);
  for (const r of now.recent) {
    if (wasEnded.has(`${r.workflowId} ${r.status}`)) continue;
    lines.push(`${r.status === 'succeeded' ? '✓' : '✗'} ${day(r.logicalTime)} ${r.status}${r.error && r.status !== 'cancelled' ? `: ${r.error.split('\n')[0]}` : ''}`);
  }
  if (lines.length > 0) lines.push(`  ${now.succeeded + now.failed + now.cancelled} of ${now.total} done (${now.failed} failed)`);
  return lines;
}

export function formatBackfillResult(r: BackfillResult): string[] {
  return [`backfill of ${r.pipeline} succeeded: ${r.succeeded} of ${r.total} runs, ${day(r.first)} to ${day(r.last)}`];
}

export function formatBackfillFailure(err: unknown): string[] {
  const cause = ((err as { cause?: unknown })?.cause ?? err) as { type?: string; message?: string; name?: string; details?: unknown[] };
  const lines = [`${cause.type ?? cause.name ?? 'Error'}: ${cause.message ?? String(cause)}`];
  const details = cause.details?.[0] as (Partial<BackfillFailureDetails> & { problems?: string[] }) | undefined;
  for (const p of details?.problems ?? []) lines.push(`  - ${p}`);
  for (const f of details?.failures ?? []) lines.push(`  ${day(f.logicalTime)} ${f.status} (${f.workflowId})${f.error ? `: ${f.error.split('\n')[0]}` : ''}`);
  return lines;
}
