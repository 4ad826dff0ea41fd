/**
 * Plain-text views of a pipeline or a provisioning saga for terminals and logs (the CLI, the demo):
 * step lines as they change, the result (tasks and SQL rows as a table), and a failure with the
 * failed task's output or what the saga undid.
 */
import type { StepProgress } from '../workflows/lib/progress.js';
import type { FailedTask, PipelineFailureDetails, PipelineProgress, PipelineResult } from '../workflows/lib/pipeline-types.js';
import type { ProvisionFailureDetails, ProvisionProgress, ProvisionResult } from '../workflows/lib/provision-types.js';
import type { LedgerEntry } from '../workflows/lib/ledger.js';

const MARK: Record<StepProgress['status'], string> = { pending: '·', running: '…', done: '✓', failed: '✗', skipped: '-', cancelled: '⊘' };

export function formatStep(s: StepProgress): string {
  const time = s.seconds !== undefined ? ` (${s.seconds}s)` : '';
  return `${MARK[s.status]} ${s.title}${time}${s.detail ? ` — ${s.detail}` : ''}`;
}

/** Lines describing what changed between two progress snapshots (all lines when `before` is undefined). */
export function progressChanges(before: PipelineProgress | undefined, now: PipelineProgress): string[] {
  const lines: string[] = [];
  for (const s of now.steps) {
    const old = before?.steps.find((x) => x.name === s.name);
    if (s.status === 'pending') continue;
    if (!old || old.status !== s.status || (s.status === 'running' && old.detail !== s.detail)) lines.push(formatStep(s));
  }
  if (now.runPageUrl && now.runPageUrl !== before?.runPageUrl) lines.push(`  run page: ${now.runPageUrl}`);
  for (const [resource, states] of Object.entries(now.statesSeen)) {
    const seen = before?.statesSeen[resource]?.length ?? 0;
    if (states.length > seen) lines.push(`  ${resource}: ${states.join(' → ')}`);
  }
  return lines;
}

export function formatTable(columns: string[], rows: (string | null)[][]): string[] {
  const cells = rows.map((r) => columns.map((_, i) => r[i] ?? 'NULL'));
  const widths = columns.map((c, i) => Math.min(40, Math.max(c.length, ...cells.map((r) => r[i]!.length))));
  const line = (vals: string[]) => vals.map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!))).join(' | ');
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)];
}

export function formatResult(r: PipelineResult): string[] {
  const lines = [`pipeline ${r.pipeline} succeeded (run ${r.run.runId} ${r.run.state}${r.run.seconds !== undefined ? `, ${r.run.seconds}s` : ''})`];
  if (r.run.runPageUrl) lines.push(`run page: ${r.run.runPageUrl}`);
  // Only when it is not simply "now": a given or scheduled logical time says which day the run was for.
  if (r.logicalTime && r.logicalTime.source !== 'start') lines.push(`logical time: ${r.logicalTime.time} (${r.logicalTime.source === 'schedule' ? 'the schedule firing' : 'given'})`);
  for (const t of r.run.tasks) lines.push(`  task ${t.taskKey}: ${t.state}${t.seconds !== undefined ? ` (${t.seconds}s)` : ''}`);
  if (r.cluster) lines.push(`cluster ${r.cluster.id}: ${r.cluster.cleanup}`);
  if (r.sql) {
    const more = r.sql.truncated ? ` (first ${r.sql.rows.length}${r.sql.totalRows !== undefined ? ` of ${r.sql.totalRows}` : ''})` : '';
    lines.push(`follow-up SQL: ${r.sql.rows.length} row(s)${more}`);
    lines.push(...formatTable(r.sql.columns, r.sql.rows).map((l) => `  ${l}`));
  }
  return lines;
}

/** A failure from `handle.result()`: its type, message, failed tasks' output and the cleanup report. */
export function formatFailure(err: unknown): string[] {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  const c = cause as { type?: string; message?: string; details?: unknown[]; name?: string };
  const lines = [`${c.type ?? c.name ?? 'Error'}: ${c.message ?? String(cause)}`];
  const details = c.details?.[0] as (Partial<PipelineFailureDetails> & { problems?: string[] }) | undefined;
  for (const p of details?.problems ?? []) lines.push(`  - ${p}`);
  if (details?.runPageUrl) lines.push(`run page: ${details.runPageUrl}`);
  for (const t of (details?.failedTasks ?? []) as FailedTask[]) {
    lines.push(`task ${t.taskKey} ${t.state}${t.runId !== undefined ? ` (task run ${t.runId})` : ''}`);
    if (t.error) lines.push(...t.error.split('\n').map((l) => `  ${l}`));
    if (t.errorTrace) lines.push('  trace (end):', ...t.errorTrace.split('\n').slice(-8).map((l) => `    ${l}`));
  }
  for (const o of details?.cleanedUp ?? []) lines.push(`cleanup: ${o.ok ? 'done' : 'FAILED'} — ${o.detail}`);
  return lines;
}

function formatResource(e: LedgerEntry): string {
  return `${e.kind.replaceAll('_', ' ')} ${e.name}${e.id && !e.name.includes(e.id) ? ` (${e.id})` : ''}: ${e.status}${e.note ? ` — ${e.note}` : ''}`;
}

/** Saga progress: the step it entered and each resource that was created, kept or undone since. */
export function provisionChanges(before: ProvisionProgress | undefined, now: ProvisionProgress): string[] {
  const lines: string[] = [];
  if (now.step && now.step !== before?.step && now.step !== 'done') lines.push(`… ${now.step}`);
  now.resources.forEach((e, i) => {
    const old = before?.resources[i];
    // An intended entry is a call in flight: it shows once its outcome is known.
    if (e.status !== 'intended' && (!old || old.status !== e.status || old.id !== e.id)) lines.push(`  ${formatResource(e)}`);
  });
  return lines;
}

export function formatProvisionResult(r: ProvisionResult): string[] {
  return [`provisioned ${r.name}`, ...r.resources.map((e) => `  ${formatResource(e)}`)];
}

/** A saga failure: its message (which names the failed step) and each undo step, newest first. */
export function formatProvisionFailure(err: unknown): string[] {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  const c = cause as { type?: string; message?: string; details?: unknown[]; name?: string };
  const details = c.details?.[0] as (Partial<ProvisionFailureDetails> & { problems?: string[] }) | undefined;
  const lines = [`${c.type ?? c.name ?? 'Error'}: ${c.message ?? String(cause)}`];
  for (const p of details?.problems ?? []) lines.push(`  - ${p}`);
  for (const o of details?.undone ?? []) lines.push(`undo: ${o.ok ? 'done' : 'FAILED'} — ${o.detail}`);
  return lines;
}
