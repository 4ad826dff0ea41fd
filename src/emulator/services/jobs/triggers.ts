import type { ServiceContext } from '../types.js';
import { nextFireTime, parseCron } from './cron.js';
import type { JobRecord, JobsStore } from './jobs-store.js';

const UNIT_MS: Record<string, number> = { HOURS: 3600_000, DAYS: 86_400_000, WEEKS: 7 * 86_400_000 };

/**
 * Time-based triggers: `trigger.periodic {interval, unit}` and the Quartz cron `schedule`. An
 * unpaused job starts a PERIODIC run at each fire time of virtual time. The timers are idle ones,
 * so instant mode does not spin through them; they fire as virtual time passes (a realistic or
 * demo speed, or an explicit advance). File-arrival and table triggers are not emulated.
 */
export class PeriodicTriggers {
  private readonly generation = new Map<number, number>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: JobsStore,
    private readonly fire: (job: JobRecord) => void,
  ) {}

  /** (Re)arms after create/update/reset; a new generation makes earlier timers stale. */
  arm(job: JobRecord): void {
    const gen = (this.generation.get(job.job_id) ?? 0) + 1;
    this.generation.set(job.job_id, gen);
    const next = nextTime(job, this.ctx.clock.now());
    if (next !== undefined) this.ctx.schedule('periodic_trigger', next, { job_id: job.job_id, gen }, { idle: true });
  }

  onEvent(data: Record<string, unknown>): void {
    const job = typeof data.job_id === 'number' ? this.store.jobs.get(data.job_id) : undefined;
    if (!job) return;
    // After a restart the generation map is empty: the persisted timer is the current one.
    const current = this.generation.get(job.job_id);
    if (current !== undefined && data.gen !== current) return;
    if (current === undefined && typeof data.gen === 'number') this.generation.set(job.job_id, data.gen);
    if (nextTime(job, this.ctx.clock.now()) === undefined) return;
    this.fire(job);
    this.arm(job);
  }
}

/** The job's next fire time after `now`: its periodic trigger, else its cron schedule. */
function nextTime(job: JobRecord, now: number): number | undefined {
  const every = intervalMs(job);
  if (every !== undefined) return now + every;
  const schedule = job.settings.schedule;
  if (!schedule || schedule.pause_status === 'PAUSED') return undefined;
  try {
    return nextFireTime(parseCron(schedule.quartz_cron_expression), schedule.timezone_id, now);
  } catch {
    return undefined;
  }
}

function intervalMs(job: JobRecord): number | undefined {
  const trigger = job.settings.trigger as { pause_status?: string; periodic?: { interval?: number; unit?: string } } | undefined;
  const p = trigger?.periodic;
  if (!p || trigger.pause_status === 'PAUSED' || typeof p.interval !== 'number' || p.interval < 1) return undefined;
  const unit = UNIT_MS[p.unit ?? ''];
  return unit === undefined ? undefined : p.interval * unit;
}
