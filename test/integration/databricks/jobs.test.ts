import { beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, type Run } from '../../../src/databricks/index.js';
import { until, useEmulator } from './emulator.js';

const ctx = useEmulator();
let clusterId = '';
const terminal = (r: Run) => ['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR'].includes(String(r.state?.life_cycle_state));

beforeAll(async () => {
  clusterId = (await ctx.client.clusters.create({ spark_version: '16.4.x-scala2.12', node_type_id: 'm5d.large', num_workers: 1 })).cluster_id;
  await until(() => ctx.client.clusters.get({ cluster_id: clusterId }), (c) => c.state === 'RUNNING');
});

const tasks = (extra: Record<string, string> = {}) => [
  { task_key: 'ingest', existing_cluster_id: clusterId, notebook_task: { notebook_path: '/Users/it/ingest', base_parameters: { 'emulator.exit': 'ingested', ...extra } } },
  { task_key: 'report', depends_on: [{ task_key: 'ingest' }], existing_cluster_id: clusterId, spark_python_task: { python_file: '/Workspace/it/report.py' } },
];

describe('jobs against the emulator', () => {
  it('create / get / update / list by name', async () => {
    const { job_id } = await ctx.client.jobs.create({ name: 'it-etl', tasks: tasks(), max_concurrent_runs: 2, tags: { team: 'data' } });
    const job = await ctx.client.jobs.get({ job_id });
    expect(job.settings?.tasks?.map((t) => t.task_key)).toEqual(['ingest', 'report']);
    await ctx.client.jobs.update({ job_id, new_settings: { description: 'nightly' } });
    expect((await ctx.client.jobs.get({ job_id })).settings).toMatchObject({ name: 'it-etl', description: 'nightly', max_concurrent_runs: 2 });
    await ctx.client.jobs.reset({ job_id, new_settings: { name: 'it-etl', tasks: tasks(), description: 'reset' } });
    expect((await ctx.client.jobs.get({ job_id })).settings?.description).toBe('reset');
    const byName = await ctx.client.jobs.list({ name: 'it-etl' }).toArray();
    expect(byName.map((j) => j.job_id)).toEqual([job_id]);
  });

  it('get returns every task of a job with more than 100 (2.2 pages them inside the object)', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ({ task_key: `t${i}`, existing_cluster_id: clusterId, notebook_task: { notebook_path: '/x' } }));
    const { job_id } = await ctx.client.jobs.create({ name: 'it-many-tasks', tasks: many });
    const job = await ctx.client.jobs.get({ job_id });
    expect(job.settings?.tasks?.map((t) => t.task_key)).toEqual(many.map((t) => t.task_key));
  });

  it('pages through jobs and caps with limit', async () => {
    for (let i = 0; i < 4; i++) await ctx.client.jobs.create({ name: `it-page-${i}`, tasks: tasks() });
    const all = await ctx.client.jobs.list({ page_size: 2 }).toArray();
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(new Set(all.map((j) => j.job_id)).size).toBe(all.length);
    expect(await ctx.client.jobs.list({ page_size: 2, limit: 3 }).toArray()).toHaveLength(3);
  });

  it('run-now with an idempotency token returns the same run; the run succeeds with per-task output', async () => {
    const { job_id } = await ctx.client.jobs.create({ name: 'it-run', tasks: tasks() });
    const a = await ctx.client.jobs.runNow({ job_id, idempotency_token: 'wf-42/activity-1' });
    const b = await ctx.client.jobs.runNow({ job_id, idempotency_token: 'wf-42/activity-1' });
    expect(b.run_id).toBe(a.run_id);
    const run = await until(() => ctx.client.jobs.getRun({ run_id: a.run_id }), terminal);
    expect(run.state).toMatchObject({ life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' });
    expect(run.status?.state).toBe('TERMINATED');
    expect(run.tasks).toHaveLength(2);
    const ingest = run.tasks!.find((t) => t.task_key === 'ingest')!;
    const out = await ctx.client.jobs.getRunOutput({ run_id: ingest.run_id! });
    expect(out.notebook_output?.result).toBe('ingested');
    // Quirk 2: the multi-task parent has no output.
    await expect(ctx.client.jobs.getRunOutput({ run_id: a.run_id })).rejects.toBeInstanceOf(BadRequestError);
    const runs = await ctx.client.jobs.listRuns({ job_id }).toArray();
    expect(runs.map((r) => r.run_id)).toEqual([a.run_id]);
  });

  it('a failing task fails the run, and repair re-runs it', async () => {
    const { job_id } = await ctx.client.jobs.create({ name: 'it-fail', tasks: tasks({ 'emulator.outcome': 'FAILED', 'emulator.message': 'bad input' }) });
    const { run_id } = await ctx.client.jobs.runNow({ job_id });
    const run = await until(() => ctx.client.jobs.getRun({ run_id }), terminal);
    expect(run.state?.result_state).toBe('FAILED');
    const { repair_id } = await ctx.client.jobs.repairRun({ run_id, rerun_all_failed_tasks: true });
    expect(typeof repair_id).toBe('number');
    const repaired = await until(() => ctx.client.jobs.getRun({ run_id, include_history: true }), (r) => terminal(r) && (r.repair_history?.length ?? 0) >= 2);
    expect(repaired.repair_history?.map((h) => h.type)).toEqual(['ORIGINAL', 'REPAIR']);
  });

  it('getRun of a for_each task run gathers every iteration across pages (its one task once); listRunIterations walks them', async () => {
    const inputs = Array.from({ length: 130 }, (_, i) => `t${i}`);
    const inner = { task_key: 'inner', existing_cluster_id: clusterId, notebook_task: { notebook_path: '/x', base_parameters: { table: '{{input}}', 'emulator.duration_s': '1' } } };
    const { run_id } = await ctx.client.jobs.submit({ run_name: 'it-loop', tasks: [{ task_key: 'loop', for_each_task: { inputs: JSON.stringify(inputs), concurrency: 100, task: inner } }] });
    const run = await until(() => ctx.client.jobs.getRun({ run_id }), terminal);
    const taskRunId = run.tasks?.[0]?.run_id as number;
    const loop = await ctx.client.jobs.getRun({ run_id: taskRunId });
    expect(loop.tasks?.map((t) => t.run_id)).toEqual([taskRunId]);
    expect(loop.tasks?.[0]?.for_each_task?.stats?.task_run_stats?.succeeded_iterations).toBe(130);
    expect(loop.iterations?.map((i) => (i.notebook_task as { base_parameters: { table: string } }).base_parameters.table)).toEqual(inputs);
    expect(loop.has_more).toBeUndefined();
    const walked = await ctx.client.jobs.listRunIterations({ run_id: taskRunId }).toArray();
    expect(walked.map((i) => i.run_id)).toEqual(loop.iterations?.map((i) => i.run_id));
    const out = await ctx.client.jobs.getRunOutput({ run_id: walked[129]?.run_id as number });
    expect(out.metadata?.run_id).toBe(walked[129]?.run_id);
  });

  it('submit a one-time run, cancel a long one, delete runs and jobs', async () => {
    // Pause virtual time so the run stays RUNNING until cancelled.
    ctx.emu.clock.setSpeed(0);
    const long = await ctx.client.jobs.submit({
      run_name: 'it-long',
      idempotency_token: 'submit-1',
      tasks: [{ task_key: 'wait', existing_cluster_id: clusterId, notebook_task: { notebook_path: '/x', base_parameters: { 'emulator.duration_s': '36000' } } }],
    });
    expect(terminal(await ctx.client.jobs.getRun({ run_id: long.run_id }))).toBe(false);
    await ctx.client.jobs.cancelRun({ run_id: long.run_id });
    ctx.emu.clock.setSpeed(Infinity);
    ctx.emu.tick();
    const cancelled = await until(() => ctx.client.jobs.getRun({ run_id: long.run_id }), terminal);
    expect(cancelled.state?.result_state).toBe('CANCELED');
    expect(cancelled.run_type).toBe('SUBMIT_RUN');
    await ctx.client.jobs.deleteRun({ run_id: long.run_id });
    await expect(ctx.client.jobs.getRun({ run_id: long.run_id })).rejects.toBeInstanceOf(NotFoundError);

    const { job_id } = await ctx.client.jobs.create({ name: 'it-delete', tasks: tasks() });
    await ctx.client.jobs.cancelAllRuns({ job_id });
    await ctx.client.jobs.delete({ job_id });
    await expect(ctx.client.jobs.get({ job_id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('missing job and run are NotFoundError (400 quirk)', async () => {
    await expect(ctx.client.jobs.get({ job_id: 1 })).rejects.toMatchObject({ name: 'NotFoundError', status: 400 });
    await expect(ctx.client.jobs.getRun({ run_id: 1 })).rejects.toMatchObject({ name: 'NotFoundError', status: 400 });
  });
});
