import { setCurrentDetails } from '@temporalio/workflow';
import { workflowNowIso, workflowNowMs } from './time.js';

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export interface StepProgress {
  name: string;
  title: string;
  status: StepStatus;
  startedAt?: string;
  endedAt?: string;
  /** Seconds from start to end (workflow time). */
  seconds?: number;
  detail?: string;
}

/**
 * Step list + states seen + counters, owned by one workflow and returned by its `progress` query.
 * Kept small on purpose: a query result is not history, but clients poll it every second or two.
 */
export class ProgressTracker<Counts extends Record<string, number>> {
  readonly steps: StepProgress[];
  readonly statesSeen: Record<string, string[]> = {};
  private readonly startedMs: Record<string, number> = {};

  constructor(
    steps: readonly { name: string; title: string }[],
    readonly counts: Counts,
  ) {
    this.steps = steps.map((s) => ({ ...s, status: 'pending' }));
  }

  private step(name: string): StepProgress {
    const s = this.steps.find((x) => x.name === name);
    if (!s) throw new Error(`unknown step ${name}`);
    return s;
  }

  current(): StepProgress | undefined {
    return this.steps.find((s) => s.status === 'running');
  }

  start(name: string, detail?: string): void {
    const s = this.step(name);
    s.status = 'running';
    s.startedAt = workflowNowIso();
    this.startedMs[name] = workflowNowMs();
    s.detail = detail;
    setCurrentDetails(`**${s.title}**${detail ? `: ${detail}` : ''}`);
  }

  detail(name: string, detail: string): void {
    this.step(name).detail = detail;
    const s = this.step(name);
    if (s.status === 'running') setCurrentDetails(`**${s.title}**: ${detail}`);
  }

  end(name: string, status: Exclude<StepStatus, 'pending' | 'running'>, detail?: string): void {
    const s = this.step(name);
    s.status = status;
    if (s.startedAt !== undefined) {
      s.endedAt = workflowNowIso();
      s.seconds = Math.round((workflowNowMs() - (this.startedMs[name] ?? workflowNowMs())) / 100) / 10;
    }
    if (detail !== undefined) s.detail = detail;
  }

  /** Marks whatever is running as failed or cancelled and the rest as skipped. */
  abort(status: 'failed' | 'cancelled', detail?: string): void {
    for (const s of this.steps) {
      if (s.status === 'running') this.end(s.name, status, detail ?? s.detail);
      else if (s.status === 'pending') s.status = 'skipped';
    }
  }

  /** Records a state once per change (RUNNING, RUNNING, TERMINATED → RUNNING, TERMINATED). */
  saw(resource: string, state: string | undefined): void {
    if (!state) return;
    const list = (this.statesSeen[resource] ??= []);
    if (list[list.length - 1] !== state) list.push(state);
  }

  snapshotSteps(): StepProgress[] {
    return this.steps.map((s) => ({ ...s }));
  }
}
