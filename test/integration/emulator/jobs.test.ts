import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startTestEmulator, type TestClient } from './helpers.js';

type State = { life_cycle_state: string; result_state?: string; state_message: string };
type Status = { state: string; termination_details?: { code: string; type: string }; queue_details?: { code: string } };
type TaskView = { task_key: string; run_id: number; state: State; status: Status; attempt_number: number; run_page_url: string };
type Run = { run_id: number; job_id?: number; state: State; status: Status; tasks?: TaskView[]; run_page_url: string; repair_history?: { type: string; id?: number }[]; start_time: number; end_time: number; run_duration?: number };

const notebook = (key: string, params: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({
  task_key: key,
  notebook_task: { notebook_path: `/Shared/${key}`, base_parameters: params },
  ...extra,
});

describe('jobs and runs (instant clock)', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => ({ emu, api } = await startTestEmulator()));
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  const createJob = async (settings: Record<string, unknown>, version = '2.2') => (await api.post<{ job_id: number }>(`/api/${version}/jobs/create`, { name: 'job', ...settings })).body.job_id;
  const runNow = async (body: Record<string, unknown>) => (await api.post<{ run_id: number; number_in_job: number }>('/api/2.2/jobs/run-now', body)).body;
  const getRun = async (runId: number, version = '2.2') => (await api.get<Run>(`/api/${version}/jobs/runs/get`, { run_id: runId })).body;

  it('a single-task run terminates with SUCCESS, with state AND status on the run and every task, and a run_page_url', async () => {
    const jobId = await createJob({ tasks: [notebook('only')] });
    const { run_id, number_in_job } = await runNow({ job_id: jobId });
    expect(number_in_job).toBe(run_id);
    const run = await getRun(run_id);
    expect(run.state).toMatchObject({ life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' });
    expect(run.status).toEqual({ state: 'TERMINATED', termination_details: { code: 'SUCCESS', type: 'SUCCESS', message: '' } });
    expect(run.tasks?.[0]?.state.life_cycle_state).toBe('TERMINATED');
    expect(run.tasks?.[0]?.status.state).toBe('TERMINATED');
    expect(run.run_page_url).toMatch(new RegExp(`^${emu.url.replace(/[.]/g, '\\.')}/\\?o=\\d+#job/${jobId}/run/${run_id}$`));
    // Realistic durations on the virtual clock: cluster-less notebook setup + 60 s default execution.
    expect(run.end_time - run.start_time).toBeGreaterThanOrEqual(60_000);
  });

  it('runs/get of an unknown run is 400 INVALID_PARAMETER_VALUE (quirk 1); jobs/get too', async () => {
    const res = await api.get('/api/2.2/jobs/runs/get', { run_id: 123 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Run 123 does not exist.' });
    expect((await api.get('/api/2.1/jobs/get', { job_id: 5 })).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Job 5 does not exist.' });
  });

  it('multi-task: depends_on order, a failing task, UPSTREAM_FAILED downstream, ALL_DONE still runs, FAILED run', async () => {
    const jobId = await createJob({
      tasks: [
        notebook('extract'),
        notebook('transform', { 'emulator.outcome': 'FAILED', 'emulator.message': 'boom' }, { depends_on: [{ task_key: 'extract' }] }),
        notebook('load', {}, { depends_on: [{ task_key: 'transform' }] }),
        notebook('report', {}, { depends_on: [{ task_key: 'transform' }], run_if: 'ALL_DONE' }),
      ],
    });
    const run = await getRun((await runNow({ job_id: jobId })).run_id);
    const byKey = Object.fromEntries((run.tasks ?? []).map((t) => [t.task_key, t.state]));
    expect(byKey.extract?.result_state).toBe('SUCCESS');
    expect(byKey.transform).toMatchObject({ result_state: 'FAILED', state_message: 'boom' });
    expect(byKey.load).toMatchObject({ life_cycle_state: 'SKIPPED', result_state: 'UPSTREAM_FAILED' });
    expect(byKey.report?.result_state).toBe('SUCCESS');
    expect(run.state.result_state).toBe('FAILED');
    expect(run.status.termination_details?.code).toBe('RUN_EXECUTION_ERROR');
  });

  it('SUCCESS_WITH_FAILURES when a task fails but every leaf succeeds', async () => {
    const jobId = await createJob({ tasks: [notebook('a', { 'emulator.outcome': 'FAILED' }), notebook('b', {}, { depends_on: [{ task_key: 'a' }], run_if: 'AT_LEAST_ONE_FAILED' })] });
    const run = await getRun((await runNow({ job_id: jobId })).run_id);
    expect(run.state.result_state).toBe('SUCCESS_WITH_FAILURES');
  });

  it('INTERNAL_ERROR outcome makes the run life_cycle_state INTERNAL_ERROR', async () => {
    const jobId = await createJob({ tasks: [notebook('a', { 'emulator.outcome': 'INTERNAL_ERROR' })] });
    const run = await getRun((await runNow({ job_id: jobId })).run_id);
    expect(run.state.life_cycle_state).toBe('INTERNAL_ERROR');
    expect(run.status).toMatchObject({ state: 'TERMINATED', termination_details: { type: 'INTERNAL_ERROR' } });
  });

  it('condition_task routes to the matching branch and excludes the other', async () => {
    const jobId = await createJob({
      parameters: [{ name: 'env', default: 'prod' }],
      tasks: [
        { task_key: 'check', condition_task: { left: '{{job.parameters.env}}', op: 'EQUAL_TO', right: 'prod' } },
        notebook('prod_path', {}, { depends_on: [{ task_key: 'check', outcome: 'true' }] }),
        notebook('dev_path', {}, { depends_on: [{ task_key: 'check', outcome: 'false' }] }),
      ],
    });
    const run = await getRun((await runNow({ job_id: jobId, job_parameters: { env: 'dev' } })).run_id);
    const byKey = Object.fromEntries((run.tasks ?? []).map((t) => [t.task_key, t.state.result_state]));
    expect(byKey).toEqual({ check: 'SUCCESS', prod_path: 'EXCLUDED', dev_path: 'SUCCESS' });
  });

  it('notebook exit value: from base_parameters directive and from dbutils.notebook.exit in an imported notebook', async () => {
    const source = '# Databricks notebook source\n# emulator: duration=5\ndbutils.notebook.exit("rows=42")\n';
    await api.post('/api/2.0/workspace/import', { path: '/Shared/exits', format: 'SOURCE', language: 'PYTHON', content: Buffer.from(source).toString('base64') });
    const { run_id } = (await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { run_name: 'once', tasks: [{ task_key: 'nb', notebook_task: { notebook_path: '/Shared/exits' } }] })).body;
    const run = await getRun(run_id);
    const taskRunId = run.tasks?.[0]?.run_id as number;
    const out = await api.get<{ notebook_output: { result: string }; metadata: Run }>('/api/2.2/jobs/runs/get-output', { run_id: taskRunId });
    expect(out.body.notebook_output).toEqual({ result: 'rows=42', truncated: false });
    expect(out.body.metadata.state.result_state).toBe('SUCCESS');
    // Single-task parent: output is that task's.
    expect((await api.get<{ notebook_output: unknown }>('/api/2.2/jobs/runs/get-output', { run_id })).body.notebook_output).toEqual({ result: 'rows=42', truncated: false });
  });

  it('get-output on a multi-task parent run is 400 (quirk 2)', async () => {
    const jobId = await createJob({ tasks: [notebook('a'), notebook('b')] });
    const { run_id } = await runNow({ job_id: jobId });
    const res = await api.get('/api/2.2/jobs/runs/get-output', { run_id });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^Retrieving the output of runs with multiple tasks is not supported/);
  });

  it('idempotency_token returns the same run for run-now and runs/submit', async () => {
    const jobId = await createJob({ tasks: [notebook('a')], max_concurrent_runs: 5 });
    const a = await runNow({ job_id: jobId, idempotency_token: 'wf-1/act-1' });
    const b = await runNow({ job_id: jobId, idempotency_token: 'wf-1/act-1' });
    expect(b.run_id).toBe(a.run_id);
    const s1 = await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { idempotency_token: 'sub-1', tasks: [notebook('x')] });
    const s2 = await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { idempotency_token: 'sub-1', tasks: [notebook('x')] });
    expect(s2.body.run_id).toBe(s1.body.run_id);
    const list = await api.get<{ runs: unknown[] }>('/api/2.2/jobs/runs/list', { job_id: jobId });
    expect(list.body.runs).toHaveLength(1);
    expect((await api.post('/api/2.2/jobs/run-now', { job_id: jobId, idempotency_token: 'x'.repeat(65) })).status).toBe(400);
    await api.post('/api/2.2/jobs/runs/delete', { run_id: a.run_id });
    expect((await api.post('/api/2.2/jobs/run-now', { job_id: jobId, idempotency_token: 'wf-1/act-1' })).status).toBe(400);
  });

  it('retries a failed task (max_retries) as a new attempt', async () => {
    const jobId = await createJob({ tasks: [notebook('flaky', { 'emulator.outcome': 'FAILED' }, { max_retries: 2, min_retry_interval_millis: 1000 })] });
    const run = await getRun((await runNow({ job_id: jobId })).run_id);
    expect(run.tasks?.map((t) => [t.attempt_number, t.state.result_state])).toEqual([
      [0, 'FAILED'],
      [1, 'FAILED'],
      [2, 'FAILED'],
    ]);
    expect(run.state.result_state).toBe('FAILED');
  });

  it('repair re-runs failed tasks and their dependents; the second repair needs latest_repair_id', async () => {
    const jobId = await createJob({ tasks: [notebook('a'), notebook('b', { 'emulator.outcome': 'FAILED' }, { depends_on: [{ task_key: 'a' }] }), notebook('c', {}, { depends_on: [{ task_key: 'b' }] })] });
    const { run_id } = await runNow({ job_id: jobId });
    expect((await getRun(run_id)).state.result_state).toBe('FAILED');
    const repair = await api.post<{ repair_id: number }>('/api/2.2/jobs/runs/repair', { run_id, rerun_tasks: ['b'], rerun_dependent_tasks: true, notebook_params: { 'emulator.outcome': 'SUCCESS' } });
    expect(repair.status).toBe(200);
    const repaired = await getRun(run_id);
    expect(repaired.state.result_state).toBe('SUCCESS');
    expect(repaired.repair_history?.map((h) => h.type)).toEqual(['ORIGINAL', 'REPAIR']);
    expect(repaired.tasks?.map((t) => t.state.result_state)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    const again = await api.post('/api/2.2/jobs/runs/repair', { run_id, rerun_tasks: ['a'] });
    expect(again.status).toBe(400);
    expect((await api.post('/api/2.2/jobs/runs/repair', { run_id, rerun_tasks: ['a'], latest_repair_id: repair.body.repair_id })).status).toBe(200);
  });

  it('2.0 single-task form: create, get and runs/get with top-level task fields', async () => {
    const created = await api.post<{ job_id: number }>('/api/2.0/jobs/create', { name: 'legacy', existing_cluster_id: 'c1', notebook_task: { notebook_path: '/Shared/legacy' } });
    const job20 = await api.get<{ settings: Record<string, unknown> }>('/api/2.0/jobs/get', { job_id: created.body.job_id });
    expect(job20.body.settings.notebook_task).toEqual({ notebook_path: '/Shared/legacy' });
    expect(job20.body.settings.tasks).toBeUndefined();
    const job21 = await api.get<{ settings: { tasks: { task_key: string }[] } }>('/api/2.1/jobs/get', { job_id: created.body.job_id });
    expect(job21.body.settings.tasks).toHaveLength(1);
  });

  it('jobs/list: paged with has_more/next_page_token, omits the array when empty, filters by name', async () => {
    expect((await api.get('/api/2.2/jobs/list')).body).toEqual({ has_more: false });
    for (let i = 0; i < 3; i++) await createJob({ name: `j${i}`, tasks: [notebook('a')] });
    const first = await api.get<{ jobs: { settings: { name: string; tasks?: unknown } }[]; has_more: boolean; next_page_token: string }>('/api/2.2/jobs/list', { limit: 2 });
    expect(first.body.jobs.map((j) => j.settings.name)).toEqual(['j0', 'j1']);
    expect(first.body.jobs[0]?.settings.tasks).toBeUndefined();
    expect(first.body.has_more).toBe(true);
    const second = await api.get<{ jobs: unknown[]; has_more: boolean }>('/api/2.2/jobs/list', { limit: 2, page_token: first.body.next_page_token });
    expect(second.body).toMatchObject({ has_more: false });
    expect(second.body.jobs).toHaveLength(1);
    expect((await api.get<{ jobs: unknown[] }>('/api/2.2/jobs/list', { name: 'J1' })).body.jobs).toHaveLength(1);
    expect((await api.get('/api/2.2/jobs/list', { limit: 101 })).status).toBe(400);
  });

  it('jobs/update merges tasks by key and removes fields; jobs/reset overwrites', async () => {
    const jobId = await createJob({ tasks: [notebook('a'), notebook('b')], tags: { team: 'x' } });
    await api.post('/api/2.2/jobs/update', { job_id: jobId, new_settings: { tasks: [notebook('b', { p: '1' })], name: 'renamed' }, fields_to_remove: ['tags', 'tasks/a'] });
    const job = await api.get<{ settings: { name: string; tags?: unknown; tasks: { task_key: string; notebook_task: { base_parameters: unknown } }[] } }>('/api/2.2/jobs/get', { job_id: jobId });
    expect(job.body.settings.name).toBe('renamed');
    expect(job.body.settings.tags).toBeUndefined();
    expect(job.body.settings.tasks.map((t) => [t.task_key, t.notebook_task.base_parameters])).toEqual([['b', { p: '1' }]]);
    await api.post('/api/2.2/jobs/reset', { job_id: jobId, new_settings: { name: 'reset', tasks: [notebook('z')] } });
    expect((await api.get<{ settings: { name: string } }>('/api/2.2/jobs/get', { job_id: jobId })).body.settings.name).toBe('reset');
    const bad = await api.post('/api/2.2/jobs/update', { job_id: jobId, new_settings: { tasks: [notebook('y', {}, { depends_on: [{ task_key: 'nope' }] })] } });
    expect(bad.status).toBe(400);
    expect((await api.get<{ settings: { tasks: unknown[] } }>('/api/2.2/jobs/get', { job_id: jobId })).body.settings.tasks).toHaveLength(1);
  });

  it('rejects bad task graphs: duplicate keys, cycles, two task types', async () => {
    const dup = await api.post('/api/2.2/jobs/create', { tasks: [notebook('a'), notebook('a')] });
    expect(dup.body.message).toContain('unique');
    const cycle = await api.post('/api/2.2/jobs/create', { tasks: [notebook('a', {}, { depends_on: [{ task_key: 'b' }] }), notebook('b', {}, { depends_on: [{ task_key: 'a' }] })] });
    expect(cycle.body.message).toContain('cycle');
    const two = await api.post('/api/2.2/jobs/create', { tasks: [{ task_key: 'a', notebook_task: { notebook_path: '/x' }, spark_python_task: { python_file: '/y.py' } }] });
    expect(two.status).toBe(400);
    expect((await api.get('/api/2.2/jobs/list')).body.jobs).toBeUndefined();
  });

  it('new_cluster / job clusters appear in clusters/list as JOB clusters and end with JOB_FINISHED', async () => {
    const jobId = await createJob({
      job_clusters: [{ job_cluster_key: 'shared', new_cluster: { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 2 } }],
      tasks: [notebook('a', {}, { job_cluster_key: 'shared' }), notebook('b', {}, { job_cluster_key: 'shared', depends_on: [{ task_key: 'a' }] })],
    });
    const run = await getRun((await runNow({ job_id: jobId })).run_id);
    const ids = (run.tasks ?? []).map((t) => (t as unknown as { cluster_instance: { cluster_id: string } }).cluster_instance.cluster_id);
    expect(new Set(ids).size).toBe(1);
    const cluster = await api.get<{ cluster_source: string; state: string; termination_reason: { code: string } }>('/api/2.1/clusters/get', { cluster_id: ids[0] });
    expect(cluster.body).toMatchObject({ cluster_source: 'JOB', state: 'TERMINATED', termination_reason: { code: 'JOB_FINISHED' } });
    expect((await api.post('/api/2.1/clusters/start', { cluster_id: ids[0] })).status).toBe(400);
  });

  it('substitutes dynamic value references in task parameters', async () => {
    const jobId = await createJob({ parameters: [{ name: 'day', default: '2026-01-01' }], tasks: [notebook('a', { 'emulator.exit': '{{job.parameters.day}}/{{job.id}}/{{task.name}}' })] });
    const run = await getRun((await runNow({ job_id: jobId, job_parameters: { day: '2026-11-25' } })).run_id);
    const out = await api.get<{ notebook_output: { result: string } }>('/api/2.2/jobs/runs/get-output', { run_id: run.tasks?.[0]?.run_id });
    expect(out.body.notebook_output.result).toBe(`2026-11-25/${jobId}/a`);
  });

  it('2.2 pages tasks beyond 100 inside jobs/get and runs/get; 2.1 returns them all', async () => {
    const tasks = Array.from({ length: 130 }, (_, i) => notebook(`t${String(i).padStart(3, '0')}`, { 'emulator.duration_s': '1' }));
    const jobId = await createJob({ tasks, max_concurrent_runs: 1 });
    const first = await api.get<{ settings: { tasks: unknown[] }; has_more: boolean; next_page_token: string }>('/api/2.2/jobs/get', { job_id: jobId });
    expect(first.body.settings.tasks).toHaveLength(100);
    expect(first.body.has_more).toBe(true);
    const second = await api.get<{ settings: { tasks: { task_key: string }[] }; has_more: boolean }>('/api/2.2/jobs/get', { job_id: jobId, page_token: first.body.next_page_token });
    expect(second.body.settings.tasks.map((t) => t.task_key)[0]).toBe('t100');
    expect(second.body.settings.tasks).toHaveLength(30);
    expect(second.body.has_more).toBe(false);
    expect((await api.get<{ settings: { tasks: unknown[] } }>('/api/2.1/jobs/get', { job_id: jobId })).body.settings.tasks).toHaveLength(130);
    const { run_id } = await runNow({ job_id: jobId });
    const run = await api.get<{ tasks: unknown[]; next_page_token: string }>('/api/2.2/jobs/runs/get', { run_id });
    expect(run.body.tasks).toHaveLength(100);
    expect((await api.get<{ tasks: unknown[] }>('/api/2.2/jobs/runs/get', { run_id, page_token: run.body.next_page_token })).body.tasks).toHaveLength(30);
  });

  it('run_job_task runs the other job and ends with its result; get-output points at the triggered run', async () => {
    const child = await createJob({ name: 'child', parameters: [{ name: 'outcome', default: 'SUCCESS' }], tasks: [notebook('c', { 'emulator.outcome': '{{job.parameters.outcome}}' })] });
    const parent = await createJob({ name: 'parent', tasks: [{ task_key: 'trigger', run_job_task: { job_id: child, job_parameters: { outcome: 'FAILED' } } }] });
    const run = await getRun((await runNow({ job_id: parent })).run_id);
    expect(run.tasks?.[0]?.state.result_state).toBe('FAILED');
    const out = await api.get<{ run_job_output: { run_id: number } }>('/api/2.2/jobs/runs/get-output', { run_id: run.tasks?.[0]?.run_id });
    const triggered = await getRun(out.body.run_job_output.run_id);
    expect(triggered).toMatchObject({ job_id: child, trigger: 'RUN_JOB_TASK', state: { result_state: 'FAILED' } });
    const missing = await createJob({ tasks: [{ task_key: 'x', run_job_task: { job_id: 1 } }] });
    expect((await getRun((await runNow({ job_id: missing })).run_id)).state.result_state).toBe('FAILED');
  });

  it('a job cluster that fails to launch ends the run INTERNAL_ERROR with CLUSTER_ERROR', async () => {
    const jobId = await createJob({
      tasks: [notebook('a', {}, { new_cluster: { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1, custom_tags: { 'emulator.outcome': 'ERROR' } } })],
    });
    const run = await getRun((await runNow({ job_id: jobId })).run_id);
    expect(run.state.life_cycle_state).toBe('INTERNAL_ERROR');
    expect(run.status.termination_details).toMatchObject({ code: 'CLUSTER_ERROR', type: 'CLOUD_FAILURE' });
  });

  it('for_each_task runs the nested task per input, `concurrency` at a time, and reports iteration stats', async () => {
    const forEach = (inputs: string, concurrency: number) => ({
      task_key: 'each',
      for_each_task: { inputs, concurrency, task: { task_key: 'inner', notebook_task: { notebook_path: '/n', base_parameters: { 'emulator.outcome': '{{input}}', 'emulator.duration_s': '10', 'emulator.setup_s': '0' } } } },
    });
    const ok = await getRun((await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { tasks: [forEach('["SUCCESS","SUCCESS","SUCCESS"]', 2)] })).body.run_id);
    const okTask = ok.tasks?.[0] as unknown as { state: State; execution_duration: number; for_each_task: { stats: { task_run_stats: Record<string, number> } } };
    expect(okTask.state.result_state).toBe('SUCCESS');
    expect(okTask.execution_duration).toBe(20_000);
    expect(okTask.for_each_task.stats.task_run_stats).toMatchObject({ total_iterations: 3, succeeded_iterations: 3, failed_iterations: 0 });
    const bad = await getRun((await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { tasks: [forEach('["SUCCESS","FAILED","SUCCESS"]', 1)] })).body.run_id);
    const badTask = bad.tasks?.[0] as unknown as { state: State; for_each_task: { stats: { task_run_stats: Record<string, number> } } };
    expect(badTask.state).toMatchObject({ result_state: 'FAILED', state_message: '1 of 3 iterations failed.' });
    expect(badTask.for_each_task.stats.task_run_stats.failed_iterations).toBe(1);
    const notArray = await getRun((await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { tasks: [forEach('{"a":1}', 1)] })).body.run_id);
    expect(notArray.state.result_state).toBe('FAILED');
  });

  it('runs/list: newest first, active_only/completed_only, not both', async () => {
    const jobId = await createJob({ tasks: [notebook('a')], max_concurrent_runs: 10 });
    const r1 = await runNow({ job_id: jobId });
    const r2 = await runNow({ job_id: jobId });
    const list = await api.get<{ runs: Run[] }>('/api/2.2/jobs/runs/list', { job_id: jobId, completed_only: true });
    expect(list.body.runs.map((r) => r.run_id)).toEqual([r2.run_id, r1.run_id]);
    expect(list.body.runs[0]?.tasks).toBeUndefined();
    expect((await api.get('/api/2.2/jobs/runs/list', { job_id: jobId, active_only: true })).body.runs).toBeUndefined();
    expect((await api.get('/api/2.2/jobs/runs/list', { active_only: true, completed_only: true })).status).toBe(400);
  });

  it('runs/export renders a notebook task run as an HTML view with its exit value escaped; multi-task runs export per task', async () => {
    await api.post('/api/2.0/workspace/import', { path: '/Shared/report', language: 'PYTHON', content: Buffer.from('dbutils.notebook.exit("<b>3 rows & done</b>")').toString('base64') });
    const single = await runNow({ job_id: await createJob({ tasks: [notebook('report')] }) });
    const out = await api.get<{ views: { name: string; type: string; content: string }[] }>('/api/2.2/jobs/runs/export', { run_id: single.run_id });
    expect(out.status).toBe(200);
    expect(out.body.views).toHaveLength(1);
    expect(out.body.views[0]).toMatchObject({ name: 'report', type: 'NOTEBOOK' });
    expect(out.body.views[0]!.content).toContain('&lt;b&gt;3 rows &amp; done&lt;/b&gt;');
    expect(out.body.views[0]!.content).not.toContain('<b>3 rows');
    expect((await api.get<{ views: unknown[] }>('/api/2.2/jobs/runs/export', { run_id: single.run_id, views_to_export: 'DASHBOARDS' })).body.views).toEqual([]);

    const multi = await runNow({ job_id: await createJob({ tasks: [notebook('report'), notebook('second', {}, { depends_on: [{ task_key: 'report' }] })] }) });
    const whole = await api.get('/api/2.2/jobs/runs/export', { run_id: multi.run_id });
    expect([whole.status, whole.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const taskRunId = (await getRun(multi.run_id)).tasks!.find((t) => t.task_key === 'report')!.run_id;
    const perTask = await api.get<{ views: { name: string }[] }>('/api/2.2/jobs/runs/export', { run_id: taskRunId });
    expect(perTask.body.views.map((v) => v.name)).toEqual(['report']);
    expect((await api.get('/api/2.2/jobs/runs/export', { run_id: 987654 })).status).toBe(400);
  });
});

/** Paused clock: queueing, cancel and timeouts need to be observed mid-flight. */
describe('runs mid-flight (paused clock)', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => ({ emu, api } = await startTestEmulator({ speed: 0 })));
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  const advance = (seconds: number) => api.control('POST', '/clock', { advance_seconds: seconds });
  const getRun = async (runId: number) => (await api.get<Run>('/api/2.2/jobs/runs/get', { run_id: runId })).body;
  const job = async (extra: Record<string, unknown>, version = '2.2') =>
    (await api.post<{ job_id: number }>(`/api/${version}/jobs/create`, { name: 'j', tasks: [notebook('a', { 'emulator.duration_s': '600' })], ...extra })).body.job_id;

  it('walks PENDING → RUNNING → TERMINATING → TERMINATED', async () => {
    const { run_id } = (await api.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: await job({}) })).body;
    expect((await getRun(run_id)).state.life_cycle_state).toBe('PENDING');
    await advance(20);
    expect((await getRun(run_id)).state.life_cycle_state).toBe('RUNNING');
    // Setup took 15 s (serverless notebook), execution 600 s, clean-up 5 s.
    await advance(596);
    expect((await getRun(run_id)).state.life_cycle_state).toBe('TERMINATING');
    // A cancel that arrives after every task settled does not change the result.
    await api.post('/api/2.2/jobs/runs/cancel', { run_id });
    await advance(10);
    expect((await getRun(run_id)).state).toMatchObject({ life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' });
  });

  it('2.2 jobs queue past max_concurrent_runs and start when a slot frees', async () => {
    const jobId = await job({ max_concurrent_runs: 1 });
    const first = (await api.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: jobId })).body.run_id;
    const second = (await api.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: jobId })).body.run_id;
    const queued = await getRun(second);
    expect(queued.state.life_cycle_state).toBe('QUEUED');
    expect(queued.status).toMatchObject({ state: 'QUEUED', queue_details: { code: 'MAX_CONCURRENT_RUNS_REACHED' } });
    await advance(700);
    expect((await getRun(first)).state.life_cycle_state).toBe('TERMINATED');
    expect((await getRun(second)).state.life_cycle_state).not.toBe('QUEUED');
  });

  it('2.1 jobs (queueing off by default) SKIP runs past max_concurrent_runs', async () => {
    const jobId = await job({ max_concurrent_runs: 1 }, '2.1');
    await api.post('/api/2.1/jobs/run-now', { job_id: jobId });
    const second = (await api.post<{ run_id: number }>('/api/2.1/jobs/run-now', { job_id: jobId })).body.run_id;
    const run = (await api.get<Run>('/api/2.1/jobs/runs/get', { run_id: second })).body;
    expect(run.state.life_cycle_state).toBe('SKIPPED');
    expect(run.status).toMatchObject({ state: 'TERMINATED', termination_details: { code: 'MAX_CONCURRENT_RUNS_EXCEEDED' } });
  });

  it('cancel goes through TERMINATING to TERMINATED/CANCELED', async () => {
    const { run_id } = (await api.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: await job({}) })).body;
    await advance(30);
    await api.post('/api/2.2/jobs/runs/cancel', { run_id });
    expect((await getRun(run_id)).state.life_cycle_state).toBe('TERMINATING');
    await advance(10);
    const run = await getRun(run_id);
    expect(run.state).toMatchObject({ life_cycle_state: 'TERMINATED', result_state: 'CANCELED', user_cancelled_or_timedout: true });
    expect(run.status.termination_details?.code).toBe('USER_CANCELED');
    expect((await api.post('/api/2.2/jobs/runs/cancel', { run_id: 999 })).status).toBe(400);
  });

  it('cancel-all cancels the queued runs of a job', async () => {
    const jobId = await job({ max_concurrent_runs: 1 });
    await api.post('/api/2.2/jobs/run-now', { job_id: jobId });
    const queued = (await api.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: jobId })).body.run_id;
    await api.post('/api/2.2/jobs/runs/cancel-all', { job_id: jobId, all_queued_runs: true });
    expect((await getRun(queued)).state.result_state).toBe('CANCELED');
    expect((await api.post('/api/2.2/jobs/runs/cancel-all', {})).status).toBe(400);
  });

  it('a job timeout ends the run TIMEDOUT; a task timeout ends the task TIMEDOUT', async () => {
    const { run_id } = (await api.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: await job({ timeout_seconds: 120 }) })).body;
    await advance(200);
    const run = await getRun(run_id);
    expect(run.state).toMatchObject({ life_cycle_state: 'TERMINATED', result_state: 'TIMEDOUT' });
    const taskTimeout = (await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { tasks: [notebook('slow', { 'emulator.duration_s': '600' }, { timeout_seconds: 60 })] })).body.run_id;
    await advance(100);
    expect((await getRun(taskTimeout)).tasks?.[0]?.state.result_state).toBe('TIMEDOUT');
  });

  it('runs are purged 60 days after they end', async () => {
    const { run_id } = (await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { tasks: [notebook('a')] })).body;
    await advance(3600);
    expect((await api.get('/api/2.2/jobs/runs/get', { run_id })).status).toBe(200);
    await advance(61 * 86400);
    expect((await api.get('/api/2.2/jobs/runs/get', { run_id })).status).toBe(400);
    expect((await api.get('/api/2.2/jobs/runs/list')).body.runs).toBeUndefined();
  });

  it('a periodic trigger starts PERIODIC runs as virtual time passes; pausing stops them', async () => {
    const jobId = await job({ trigger: { periodic: { interval: 1, unit: 'HOURS' } }, tasks: [notebook('a')] });
    await advance(3.5 * 3600);
    const runs = await api.get<{ runs: { trigger: string }[] }>('/api/2.2/jobs/runs/list', { job_id: jobId });
    expect(runs.body.runs.map((r) => r.trigger)).toEqual(['PERIODIC', 'PERIODIC', 'PERIODIC']);
    await api.post('/api/2.2/jobs/update', { job_id: jobId, new_settings: { trigger: { pause_status: 'PAUSED', periodic: { interval: 1, unit: 'HOURS' } } } });
    await advance(3 * 3600);
    expect((await api.get<{ runs: unknown[] }>('/api/2.2/jobs/runs/list', { job_id: jobId })).body.runs).toHaveLength(3);
    expect((await api.post('/api/2.2/jobs/create', { name: 'bad', trigger: { periodic: { interval: 0, unit: 'HOURS' } }, tasks: [notebook('a')] })).status).toBe(400);
  });

  it('a Quartz cron schedule starts runs at its fire times; bad expressions and zones are 400', async () => {
    const jobId = await job({ schedule: { quartz_cron_expression: '0 0 * * * ?', timezone_id: 'Europe/Berlin' }, tasks: [notebook('a')] });
    await advance(3 * 3600);
    const runs = await api.get<{ runs: { trigger: string; start_time: number }[] }>('/api/2.2/jobs/runs/list', { job_id: jobId });
    expect(runs.body.runs.map((r) => r.trigger)).toEqual(['PERIODIC', 'PERIODIC', 'PERIODIC']);
    expect(runs.body.runs.every((r) => r.start_time % 3_600_000 === 0)).toBe(true);
    const badCron = await api.post('/api/2.2/jobs/create', { name: 'x', schedule: { quartz_cron_expression: '0 0 25 * * ?', timezone_id: 'UTC' }, tasks: [notebook('a')] });
    expect(badCron.body.message).toMatch(/^Invalid quartz_cron_expression/);
    const badZone = await api.post('/api/2.2/jobs/create', { name: 'x', schedule: { quartz_cron_expression: '0 0 * * * ?', timezone_id: 'Mars/Olympus' }, tasks: [notebook('a')] });
    expect(badZone.body.message).toBe('Invalid timezone_id "Mars/Olympus".');
  });

  it('runs/delete refuses active runs', async () => {
    const { run_id } = (await api.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: await job({}) })).body;
    const res = await api.post('/api/2.2/jobs/runs/delete', { run_id });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('INVALID_STATE');
  });
});
