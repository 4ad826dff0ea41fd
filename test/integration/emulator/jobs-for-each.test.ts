import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startTestEmulator, type TestClient } from './helpers.js';

type State = { life_cycle_state: string; result_state?: string; state_message: string };
type Stats = { task_run_stats: Record<string, number>; error_message_stats?: { error_message: string; count: number }[] };
type TaskView = {
  task_key: string;
  run_id: number;
  state: State;
  attempt_number: number;
  start_time: number;
  end_time: number;
  notebook_task?: { base_parameters: Record<string, string> };
  for_each_task?: { inputs: string; stats?: Stats };
};
type Run = { run_id: number; state: State; tasks?: TaskView[]; iterations?: TaskView[]; has_more?: boolean; next_page_token?: string; parent_run_id?: number };

/** A for_each task over `inputs` whose iterations are notebook runs of `/Shared/each`; `params` may use {{input}}. */
const forEach = (inputs: unknown[], params: Record<string, string>, extra: { concurrency?: number; nested?: Record<string, unknown> } = {}) => ({
  task_key: 'each',
  for_each_task: {
    inputs: JSON.stringify(inputs),
    ...(extra.concurrency !== undefined ? { concurrency: extra.concurrency } : {}),
    task: { task_key: 'inner', notebook_task: { notebook_path: '/Shared/each', base_parameters: { 'emulator.setup_s': '0', ...params } }, ...extra.nested },
  },
});

/** An emulator for the enclosing describe (reset after each test) and the calls the tests make on it. */
function emulator(speed: number) {
  let emu: RunningEmulator | undefined;
  let client: TestClient | undefined;
  beforeAll(async () => ({ emu, api: client } = await startTestEmulator({ speed })));
  afterAll(() => emu?.close());
  afterEach(() => emu?.reset());
  const api = () => client as TestClient;
  const advance = (seconds: number) => api().control('POST', '/clock', { advance_seconds: seconds });
  const submit = async (task: Record<string, unknown>) => (await api().post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { run_name: 'loop', tasks: [task] })).body.run_id;
  const getRun = async (runId: number, query: Record<string, unknown> = {}, version = '2.2') => (await api().get<Run>(`/api/${version}/jobs/runs/get`, { run_id: runId, ...query })).body;
  /** The for_each task of a run and runs/get of its own run id (the iterations). */
  const loop = async (runId: number) => {
    const task = (await getRun(runId)).tasks?.[0] as TaskView;
    return { task, iterations: (await getRun(task.run_id)).iterations ?? [] };
  };
  return { api, advance, submit, getRun, loop };
}

describe('for_each_task iterations as runs (instant clock)', () => {
  const { api: client, submit, getRun, loop } = emulator(Infinity);
  let api: TestClient;
  beforeEach(() => (api = client()));

  it('runs/get of the for_each task run lists it as its one task and each iteration with its own run id, state, times and resolved {{input}}', async () => {
    const runId = await submit(forEach([{ table: 'a' }, { table: 'b' }], { table: '{{input.table}}', whole: '{{input}}', 'emulator.duration_s': '10' }, { concurrency: 2 }));
    const { task, iterations } = await loop(runId);
    expect(task.state.result_state).toBe('SUCCESS');
    expect(task.for_each_task?.stats?.task_run_stats).toEqual({
      total_iterations: 2,
      scheduled_iterations: 2,
      active_iterations: 0,
      completed_iterations: 2,
      succeeded_iterations: 2,
      failed_iterations: 0,
    });
    const view = await getRun(task.run_id);
    expect(view.tasks?.map((t) => t.run_id)).toEqual([task.run_id]);
    expect(view.parent_run_id).toBe(runId);
    expect(iterations).toHaveLength(2);
    expect(new Set(iterations.map((i) => i.run_id)).size).toBe(2);
    expect(iterations.map((i) => i.run_id)).not.toContain(task.run_id);
    expect(iterations.map((i) => i.notebook_task?.base_parameters.table)).toEqual(['a', 'b']);
    expect(iterations[0]?.notebook_task?.base_parameters.whole).toBe('{"table":"a"}');
    for (const it of iterations) {
      expect(it).toMatchObject({ task_key: 'inner', attempt_number: 0, state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' } });
      expect(it.end_time - it.start_time).toBe(10_000);
    }
    // An iteration is a run of its own for runs/get…
    const one = await getRun(iterations[1]!.run_id);
    expect(one).toMatchObject({ run_id: iterations[1]!.run_id, parent_run_id: runId, state: { result_state: 'SUCCESS' } });
    // …but not a job run: runs/list shows the submitted run only.
    const listed = await api.get<{ runs: { run_id: number }[] }>('/api/2.2/jobs/runs/list', { expand_tasks: true });
    expect(listed.body.runs.map((r) => r.run_id)).toEqual([runId]);
  });

  it('runs/get-output works on an iteration run id: notebook exit value, or the error of a failed one', async () => {
    const runId = await submit(forEach(['ok', 'bad'], { 'emulator.exit': 'done {{input}}' }));
    const { iterations } = await loop(runId);
    const out = await api.get<{ notebook_output: { result: string }; metadata: { run_id: number } }>('/api/2.2/jobs/runs/get-output', { run_id: iterations[1]!.run_id });
    expect(out.status).toBe(200);
    expect(out.body.notebook_output.result).toBe('done bad');
    expect(out.body.metadata.run_id).toBe(iterations[1]!.run_id);

    const failing = await submit(forEach(['SUCCESS', 'FAILED'], { 'emulator.outcome': '{{input}}', 'emulator.message': 'bad row {{input}}' }));
    const failed = await loop(failing);
    const err = await api.get<{ error: string }>('/api/2.2/jobs/runs/get-output', { run_id: failed.iterations[1]!.run_id });
    expect(err.body.error).toBe('bad row FAILED');
  });

  it('a failing iteration is retried per the nested max_retries; the for_each task and the run fail when its last attempt fails', async () => {
    const runId = await submit(forEach(['SUCCESS', 'FAILED', 'SUCCESS'], { 'emulator.outcome': '{{input}}', 'emulator.message': 'no {{input}}' }, { nested: { max_retries: 1 } }));
    const run = await getRun(runId);
    expect(run.state.result_state).toBe('FAILED');
    const { task, iterations } = await loop(runId);
    expect(task.state).toMatchObject({ result_state: 'FAILED', state_message: '1 of 3 iterations failed.' });
    // Four runs: the failed element twice (attempt 0 and its retry), in order.
    expect(iterations.map((i) => [i.attempt_number, i.state.result_state])).toEqual([
      [0, 'SUCCESS'],
      [0, 'FAILED'],
      [1, 'FAILED'],
      [0, 'SUCCESS'],
    ]);
    expect(task.for_each_task?.stats).toMatchObject({
      task_run_stats: { total_iterations: 3, completed_iterations: 3, succeeded_iterations: 2, failed_iterations: 1 },
      error_message_stats: [{ error_message: 'no FAILED', count: 1 }],
    });
  });

  it('repair of a failed for_each task runs the task and all its iterations again', async () => {
    const bad = Buffer.from('# emulator: outcome=FAILED\n').toString('base64');
    await api.post('/api/2.0/workspace/import', { path: '/Shared/each', language: 'PYTHON', content: bad, overwrite: true });
    const runId = await submit(forEach(['a', 'b'], {}));
    const before = await loop(runId);
    expect(before.task.state.result_state).toBe('FAILED');
    await api.post('/api/2.0/workspace/import', { path: '/Shared/each', language: 'PYTHON', content: Buffer.from('# fixed\n').toString('base64'), overwrite: true });
    expect((await api.post('/api/2.2/jobs/runs/repair', { run_id: runId, rerun_all_failed_tasks: true })).status).toBe(200);
    expect((await getRun(runId)).state.result_state).toBe('SUCCESS');
    const after = await loop(runId);
    expect(after.task.run_id).not.toBe(before.task.run_id);
    expect(after.iterations.map((i) => i.state.result_state)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(after.iterations.map((i) => i.run_id).filter((id) => before.iterations.some((b) => b.run_id === id))).toEqual([]);
    // The earlier attempt and its iterations stay readable by id.
    expect((await getRun(before.iterations[0]!.run_id)).state.result_state).toBe('FAILED');
  });

  it('each iteration sets up its own compute: a nested new_cluster launches one JOB cluster per iteration', async () => {
    const cluster = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 };
    const runId = await submit(forEach(['a', 'b'], {}, { concurrency: 2, nested: { new_cluster: cluster } }));
    const { iterations } = await loop(runId);
    const ids = iterations.map((i) => (i as TaskView & { cluster_instance?: { cluster_id: string } }).cluster_instance?.cluster_id);
    expect(new Set(ids).size).toBe(2);
    const listed = await api.get<{ clusters: { cluster_id: string; cluster_source: string }[] }>('/api/2.1/clusters/list');
    for (const id of ids) expect(listed.body.clusters.find((c) => c.cluster_id === id)?.cluster_source).toBe('JOB');
  });

  it('2.2 pages iterations 100 at a time (the one task repeats on each page); 2.1 returns them all', async () => {
    const inputs = Array.from({ length: 130 }, (_, i) => i);
    const runId = await submit(forEach(inputs, { 'emulator.duration_s': '1' }, { concurrency: 100 }));
    const taskRunId = (await getRun(runId)).tasks?.[0]?.run_id as number;
    const first = await getRun(taskRunId);
    expect(first.iterations).toHaveLength(100);
    expect(first).toMatchObject({ has_more: true });
    expect(first.tasks).toHaveLength(1);
    const second = await getRun(taskRunId, { page_token: first.next_page_token });
    expect(second.iterations).toHaveLength(30);
    expect(second.tasks?.map((t) => t.run_id)).toEqual([taskRunId]);
    expect(second.has_more).toBe(false);
    expect(second.next_page_token).toBeUndefined();
    expect((await getRun(taskRunId, {}, '2.1')).iterations).toHaveLength(130);
  });

  it('refuses a nested for_each_task and a concurrency above 100 at submit; inputs that are not a JSON array fail the task', async () => {
    const nested = { task_key: 'each', for_each_task: { inputs: '[1]', task: { task_key: 'inner', for_each_task: { inputs: '[1]', task: { task_key: 'x', notebook_task: { notebook_path: '/n' } } } } } };
    expect((await api.post('/api/2.2/jobs/runs/submit', { tasks: [nested] })).status).toBe(400);
    expect((await api.post('/api/2.2/jobs/create', { name: 'j', tasks: [nested] })).status).toBe(400);
    expect((await api.post('/api/2.2/jobs/runs/submit', { tasks: [forEach([1], {}, { concurrency: 101 })] })).status).toBe(400);
    expect((await api.post('/api/2.2/jobs/runs/submit', { tasks: [forEach([1], {}, { concurrency: 100 })] })).status).toBe(200);
    const notArray = await submit({ ...forEach([], {}), for_each_task: { inputs: '{"a":1}', task: { task_key: 'inner', notebook_task: { notebook_path: '/n' } } } });
    const { task, iterations } = await loop(notArray);
    expect(task.state).toMatchObject({ result_state: 'FAILED', state_message: 'The for_each_task inputs must be a JSON array.' });
    expect(iterations).toEqual([]);
    const empty = await loop(await submit(forEach([], {})));
    expect(empty.task.state.result_state).toBe('SUCCESS');
  });
});

/** Paused clock: iterations in flight, `concurrency` at a time, stats that move, cancel. */
describe('for_each_task iterations mid-flight (paused clock)', () => {
  const { api: client, advance, submit, getRun, loop } = emulator(0);
  let api: TestClient;
  beforeEach(() => (api = client()));
  const counts = (t: TaskView) => t.for_each_task?.stats?.task_run_stats;

  it('runs `concurrency` iterations at a time, in input order, each taking the nested task’s duration; stats move as they go', async () => {
    const runId = await submit(forEach(['a', 'b', 'c', 'd', 'e'], { 'emulator.duration_s': '100' }, { concurrency: 2 }));
    await advance(1);
    let now = await loop(runId);
    expect(now.task.state.life_cycle_state).toBe('RUNNING');
    expect(now.iterations.map((i) => i.state.life_cycle_state)).toEqual(['RUNNING', 'RUNNING']);
    expect(counts(now.task)).toEqual({ total_iterations: 5, scheduled_iterations: 2, active_iterations: 2, completed_iterations: 0, succeeded_iterations: 0, failed_iterations: 0 });
    await advance(100);
    now = await loop(runId);
    expect(now.iterations.map((i) => i.state.result_state ?? i.state.life_cycle_state)).toEqual(['SUCCESS', 'SUCCESS', 'RUNNING', 'RUNNING']);
    expect(counts(now.task)).toMatchObject({ scheduled_iterations: 4, active_iterations: 2, completed_iterations: 2, succeeded_iterations: 2 });
    // The second wave started when the first ended.
    expect(now.iterations[2]!.start_time).toBe(now.iterations[0]!.end_time);
    await advance(200);
    now = await loop(runId);
    expect(now.task.state.result_state).toBe('SUCCESS');
    expect(now.iterations.map((i) => i.notebook_task?.base_parameters['emulator.duration_s'])).toHaveLength(5);
    // Three waves of 100 s.
    expect(now.task.end_time - now.task.start_time).toBe(300_000);
  });

  it('concurrency defaults to 1', async () => {
    const runId = await submit(forEach(['a', 'b', 'c'], { 'emulator.duration_s': '100' }));
    await advance(1);
    const now = await loop(runId);
    expect(now.iterations).toHaveLength(1);
    expect(counts(now.task)).toMatchObject({ total_iterations: 3, scheduled_iterations: 1, active_iterations: 1 });
  });

  it('runs/cancel of the run cancels the running iterations and starts no more', async () => {
    const runId = await submit(forEach(['a', 'b', 'c'], { 'emulator.duration_s': '100' }, { concurrency: 2 }));
    await advance(10);
    expect((await api.post('/api/2.2/jobs/runs/cancel', { run_id: runId })).status).toBe(200);
    await advance(600);
    const run = await getRun(runId);
    expect(run.state).toMatchObject({ life_cycle_state: 'TERMINATED', result_state: 'CANCELED' });
    const { task, iterations } = await loop(runId);
    expect(task.state.result_state).toBe('CANCELED');
    expect(iterations.map((i) => i.state.result_state)).toEqual(['CANCELED', 'CANCELED']);
  });

  it('runs/cancel of one iteration cancels only it; the loop goes on and fails at the end', async () => {
    const runId = await submit(forEach(['a', 'b'], { 'emulator.duration_s': '100' }));
    await advance(10);
    const first = (await loop(runId)).iterations[0]!;
    await api.post('/api/2.2/jobs/runs/cancel', { run_id: first.run_id });
    await advance(1);
    let now = await loop(runId);
    expect(now.iterations.map((i) => i.state.result_state ?? i.state.life_cycle_state)).toEqual(['CANCELED', 'RUNNING']);
    await advance(200);
    now = await loop(runId);
    expect(now.task.state).toMatchObject({ result_state: 'FAILED', state_message: '1 of 2 iterations failed.' });
  });

  it('a task timeout on the for_each task ends its running iterations too', async () => {
    const runId = await submit({ ...forEach(['a', 'b'], { 'emulator.duration_s': '100' }), timeout_seconds: 30 });
    await advance(60);
    const { task, iterations } = await loop(runId);
    expect(task.state.result_state).toBe('TIMEDOUT');
    expect(iterations.map((i) => i.state.result_state)).toEqual(['CANCELED']);
  });
});
