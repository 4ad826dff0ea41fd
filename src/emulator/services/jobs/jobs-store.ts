import { invalidParameter } from '../../http/errors.js';
import type { ClusterPoliciesApi } from '../cluster-policies/index.js';
import type { ServiceContext } from '../types.js';
import { checkJobClusters } from './cluster-policy.js';
import { checkSchedule, checkTasks, normaliseSettings, stripUndefined, type JobSettings } from './settings.js';
import type { JobSettingsInput, TaskSpec } from './schemas.js';

export interface JobRecord {
  job_id: number;
  creator_user_name: string;
  run_as_user_name: string;
  created_time: number;
  settings: JobSettings;
  /** Jobs created through 2.2 queue by default; 2.0/2.1 do not (reference §2.4). */
  queue_default: boolean;
}

export const jobDoesNotExist = (id: number) => invalidParameter(`Job ${id} does not exist.`);

export class JobsStore {
  readonly jobs = new Map<number, JobRecord>();

  constructor(private readonly ctx: ServiceContext) {}

  get(id: number): JobRecord {
    const j = this.jobs.get(id);
    if (!j) throw jobDoesNotExist(id);
    return j;
  }

  /** Job clusters naming a policy must satisfy it (cluster_type `job`); throws before anything changes. */
  checkPolicies(settings: object): void {
    checkJobClusters(settings as Record<string, unknown>, this.ctx.service<ClusterPoliciesApi>('cluster-policies'));
  }

  create(input: JobSettingsInput, creator: string, apiVersion: string): JobRecord {
    const settings = normaliseSettings(input);
    this.checkPolicies(input);
    const job: JobRecord = {
      job_id: this.ctx.ids.numeric(15),
      creator_user_name: creator,
      run_as_user_name: input.run_as?.user_name ?? input.run_as?.service_principal_name ?? creator,
      created_time: this.ctx.clock.now(),
      settings,
      queue_default: apiVersion === '2.2',
    };
    this.jobs.set(job.job_id, job);
    return job;
  }

  /** jobs/reset: full overwrite. */
  reset(job: JobRecord, input: JobSettingsInput): void {
    const settings = normaliseSettings(input);
    this.checkPolicies(input);
    job.settings = settings;
  }

  /**
   * jobs/update: top-level fields replaced, tasks and job_clusters merged by key, then removals
   * (`fields_to_remove` takes top-level names or `tasks/<key>`, `job_clusters/<key>`). Everything
   * is computed on a copy and validated before the job changes.
   */
  update(job: JobRecord, patch: Partial<JobSettingsInput>, remove: string[]): void {
    const next: Record<string, unknown> = { ...job.settings };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || k === 'tasks' || k === 'job_clusters') continue;
      next[k] = v;
    }
    let tasks: TaskSpec[] = [...job.settings.tasks];
    for (const t of patch.tasks ?? []) {
      const i = tasks.findIndex((x) => x.task_key === t.task_key);
      if (i >= 0) tasks[i] = stripUndefined(t as TaskSpec);
      else tasks.push(stripUndefined(t as TaskSpec));
    }
    let clusters = [...(job.settings.job_clusters ?? [])];
    for (const c of patch.job_clusters ?? []) {
      const i = clusters.findIndex((x) => x.job_cluster_key === c.job_cluster_key);
      if (i >= 0) clusters[i] = c;
      else clusters.push(c);
    }
    for (const field of remove) {
      const [head, key] = field.split('/', 2);
      if (head === 'tasks' && key !== undefined) {
        if (!tasks.some((t) => t.task_key === key)) throw invalidParameter(`Cannot remove task ${key}: it does not exist in job ${job.job_id}.`);
        tasks = tasks.filter((t) => t.task_key !== key);
      } else if (head === 'job_clusters' && key !== undefined) {
        if (!clusters.some((c) => c.job_cluster_key === key)) throw invalidParameter(`Cannot remove job cluster ${key}: it does not exist in job ${job.job_id}.`);
        clusters = clusters.filter((c) => c.job_cluster_key !== key);
      } else if (head === 'tasks') tasks = [];
      else if (head === 'job_clusters') clusters = [];
      else if (head !== undefined && !['name', 'job_id'].includes(head)) delete next[head];
      else throw invalidParameter(`Field ${field} cannot be removed.`);
    }
    checkTasks(tasks, clusters);
    checkSchedule(next.schedule as JobSettings['schedule']);
    // Only the clusters this update writes are checked: the stored ones passed when they were saved.
    this.checkPolicies(patch);
    next.tasks = tasks;
    if (clusters.length > 0) next.job_clusters = clusters;
    else delete next.job_clusters;
    job.settings = next as JobSettings;
  }
}
