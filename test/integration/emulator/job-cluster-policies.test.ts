import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startTestEmulator, useAdminAndUser, type TestClient } from './helpers.js';

/** Job clusters (`job_clusters[].new_cluster`, a task's `new_cluster`) under a cluster policy, on the wire. */

const P = '/api/2.0/policies/clusters';
const J = '/api/2.2/jobs';
const CLUSTER = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 };
const JOB_ONLY = {
  cluster_type: { type: 'fixed', value: 'job' },
  runtime_engine: { type: 'fixed', value: 'PHOTON' },
  num_workers: { type: 'range', maxValue: 2 },
  autotermination_minutes: { type: 'unlimited', defaultValue: 0, isOptional: true },
  'custom_tags.team': { type: 'unlimited', defaultValue: 'data', isOptional: true },
};
const task = (key: string, compute: Record<string, unknown>) => ({ task_key: key, notebook_task: { notebook_path: `/Shared/${key}` }, ...compute });

type ErrorBody = { error_code?: string; message?: string };
type Cluster = { cluster_id: string; policy_id?: string; runtime_engine?: string; custom_tags?: Record<string, string>; autotermination_minutes?: number; cluster_source?: string; state?: string };
type RunTask = { task_key: string; new_cluster?: Record<string, unknown>; cluster_instance?: { cluster_id: string } };
type Run = { state: { life_cycle_state: string; result_state?: string; state_message: string }; status: { termination_details?: { code: string; type: string; message: string } }; cluster_spec?: { new_cluster?: Record<string, unknown>; job_cluster_key?: string }; cluster_instance?: { cluster_id: string }; tasks: RunTask[] };

describe('job clusters under a cluster policy', () => {
  const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });

  const policy = async (definition: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const r = await ctx.admin.post<{ policy_id: string }>(`${P}/create`, { name: `p${Math.random()}`, definition: JSON.stringify(definition), ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.policy_id;
  };
  const getCluster = async (id: string) => (await ctx.admin.get<Cluster>('/api/2.1/clusters/get', { cluster_id: id })).body;
  const getRun = async (runId: number) => (await ctx.admin.get<Run>(`${J}/runs/get`, { run_id: runId })).body;
  /** Everything a rejected call must leave alone: jobs, runs and clusters. */
  const world = async () => ({
    jobs: (await ctx.admin.get(`${J}/list`, { expand_tasks: true })).body,
    runs: (await ctx.admin.get(`${J}/runs/list`)).body,
    clusters: (await ctx.admin.get('/api/2.1/clusters/list')).body,
  });

  it('create, reset, update and runs/submit check every job cluster with cluster_type job; a violation is 400 and changes nothing', async () => {
    const id = await policy(JOB_ONLY);
    const good = { ...CLUSTER, policy_id: id };
    const bad = { ...CLUSTER, num_workers: 3, policy_id: id };
    const message = 'Validation failed for num_workers, the value cannot be greater than 2';
    const jobId = (await ctx.admin.post<{ job_id: number }>(`${J}/create`, { name: 'ok', job_clusters: [{ job_cluster_key: 'c', new_cluster: good }], tasks: [task('a', { job_cluster_key: 'c' })] })).body.job_id;
    expect(jobId).toBeTypeOf('number');
    const before = await world();

    const attempts: [string, Record<string, unknown>][] = [
      ['create', { name: 'bad', job_clusters: [{ job_cluster_key: 'c', new_cluster: bad }], tasks: [task('a', { job_cluster_key: 'c' })] }],
      ['create', { name: 'bad', tasks: [task('a', { new_cluster: { ...good, runtime_engine: 'STANDARD' } })] }],
      ['reset', { job_id: jobId, new_settings: { name: 'bad', tasks: [task('a', { new_cluster: bad })] } }],
      ['update', { job_id: jobId, new_settings: { job_clusters: [{ job_cluster_key: 'c', new_cluster: bad }] } }],
      ['update', { job_id: jobId, new_settings: { name: 'renamed', tasks: [task('b', { new_cluster: bad })] } }],
      ['runs/submit', { run_name: 'bad', tasks: [task('a', { new_cluster: bad })] }],
      ['runs/submit', { run_name: 'bad', job_clusters: [{ job_cluster_key: 'c', new_cluster: bad }], tasks: [task('a', { job_cluster_key: 'c' })] }],
      ['create', { name: 'bad', tasks: [{ task_key: 'loop', for_each_task: { inputs: '[1,2]', task: task('inner', { new_cluster: bad }) } }] }],
      ['runs/submit', { run_name: 'bad', tasks: [{ task_key: 'loop', for_each_task: { inputs: '[1,2]', task: task('inner', { new_cluster: bad }) } }] }],
    ];
    for (const [op, body] of attempts) {
      const r = await ctx.admin.post<ErrorBody>(`${J}/${op}`, body);
      expect({ op, status: r.status }).toEqual({ op, status: 400 });
      const expected = JSON.stringify(body).includes('STANDARD') ? 'Validation failed for runtime_engine, the value must be PHOTON (is "STANDARD")' : message;
      expect(r.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expected });
    }
    // The 2.0 single-task form carries new_cluster at the top level.
    const legacy = await ctx.admin.post<ErrorBody>('/api/2.0/jobs/create', { name: 'bad', new_cluster: bad, notebook_task: { notebook_path: '/Shared/x' } });
    expect(legacy.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message });
    expect(await world()).toEqual(before);
  });

  it('an unknown policy_id fails like clusters/create (404) and creates nothing', async () => {
    const before = await world();
    const unknown = { ...CLUSTER, policy_id: '0123456789ABCDEF' };
    const expected = { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Can't find a cluster policy with id: 0123456789ABCDEF." };
    const created = await ctx.admin.post(`${J}/create`, { name: 'x', tasks: [task('a', { new_cluster: unknown })] });
    expect({ status: created.status, body: created.body }).toEqual({ status: 404, body: expected });
    const submitted = await ctx.admin.post(`${J}/runs/submit`, { job_clusters: [{ job_cluster_key: 'c', new_cluster: unknown }], tasks: [task('a', { job_cluster_key: 'c' })] });
    expect({ status: submitted.status, body: submitted.body }).toEqual({ status: 404, body: expected });
    expect((await ctx.admin.post('/api/2.1/clusters/create', unknown)).body).toEqual(expected);
    expect(await world()).toEqual(before);
  });

  it('a non-admin without CAN_USE on the policy is refused (403) like clusters/create; a grant lets them', async () => {
    const id = await policy(JOB_ONLY);
    const body = { name: 'mine', tasks: [task('a', { new_cluster: { ...CLUSTER, policy_id: id } })] };
    const before = await world();
    const nested = { name: 'loop', tasks: [{ task_key: 'loop', for_each_task: { inputs: '[1]', task: task('inner', { new_cluster: { ...CLUSTER, policy_id: id } }) } }] };
    for (const [op, b] of [['create', body], ['runs/submit', body], ['create', nested]] as const) {
      const r = await ctx.user.post<ErrorBody>(`${J}/${op}`, b);
      expect(r.status).toBe(403);
      expect(r.body).toEqual({ error_code: 'PERMISSION_DENIED', message: `user1@emulator.local does not have CAN_USE permissions on /cluster-policies/${id} (needed to use this policy for a job cluster).` });
    }
    expect(await world()).toEqual(before);
    // A job the user may manage, then re-specified under the policy: reset and update are guarded too.
    const jobId = (await ctx.user.post<{ job_id: number }>(`${J}/create`, { name: 'free', tasks: [task('a', { new_cluster: CLUSTER })] })).body.job_id;
    expect((await ctx.user.post(`${J}/reset`, { job_id: jobId, new_settings: body })).status).toBe(403);
    expect((await ctx.user.post(`${J}/update`, { job_id: jobId, new_settings: { job_clusters: [{ job_cluster_key: 'c', new_cluster: { ...CLUSTER, policy_id: id } }] } })).status).toBe(403);

    await ctx.admin.call('PATCH', `/api/2.0/permissions/cluster-policies/${id}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_USE' }] });
    expect((await ctx.user.post(`${J}/create`, body)).status).toBe(200);
    expect((await ctx.user.post(`${J}/reset`, { job_id: jobId, new_settings: body })).status).toBe(200);
  });

  it('a job-only policy: accepted for job clusters, refused for clusters/create', async () => {
    const id = await policy(JOB_ONLY);
    const r = await ctx.admin.post('/api/2.1/clusters/create', { ...CLUSTER, policy_id: id });
    expect(r.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Validation failed for cluster_type, the value must be job (is "all-purpose")' });
    expect((await ctx.admin.post(`${J}/create`, { name: 'j', tasks: [task('a', { new_cluster: { ...CLUSTER, policy_id: id } })] })).status).toBe(200);
    // And the other way round: an all-purpose-only policy refuses job clusters.
    const allPurpose = await policy({ cluster_type: { type: 'fixed', value: 'all-purpose' } });
    const refused = await ctx.admin.post(`${J}/runs/submit`, { tasks: [task('a', { new_cluster: { ...CLUSTER, policy_id: allPurpose } })] });
    expect(refused.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Validation failed for cluster_type, the value must be all-purpose (is "job")' });
  });

  it("a run's new_cluster launches with the policy's fixed values (and defaults when asked): runs/get and clusters/get show them", async () => {
    const id = await policy(JOB_ONLY);
    const { run_id } = (await ctx.admin.post<{ run_id: number }>(`${J}/runs/submit`, { run_name: 'one', tasks: [task('a', { new_cluster: { ...CLUSTER, policy_id: id, apply_policy_default_values: true } })] })).body;
    const run = await getRun(run_id);
    expect(run.state).toMatchObject({ life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' });
    const launched = { ...CLUSTER, policy_id: id, apply_policy_default_values: true, runtime_engine: 'PHOTON', autotermination_minutes: 0, custom_tags: { team: 'data' } };
    expect(run.cluster_spec).toEqual({ new_cluster: launched });
    expect(run.tasks[0]?.new_cluster).toEqual(launched);
    const cluster = await getCluster(run.cluster_instance!.cluster_id);
    expect(cluster).toMatchObject({ cluster_source: 'JOB', policy_id: id, runtime_engine: 'PHOTON', autotermination_minutes: 0, custom_tags: { team: 'data' } });

    // Without apply_policy_default_values only the fixed values are filled in.
    const plain = (await ctx.admin.post<{ run_id: number }>(`${J}/runs/submit`, { tasks: [task('a', { new_cluster: { ...CLUSTER, policy_id: id } })] })).body.run_id;
    expect((await getRun(plain)).cluster_spec).toEqual({ new_cluster: { ...CLUSTER, policy_id: id, runtime_engine: 'PHOTON' } });
  });

  it("a job's shared job cluster launches under its policy; jobs/get keeps the settings as written", async () => {
    const id = await policy(JOB_ONLY);
    const newCluster = { ...CLUSTER, policy_id: id, apply_policy_default_values: true };
    const jobId = (await ctx.admin.post<{ job_id: number }>(`${J}/create`, { name: 'shared', job_clusters: [{ job_cluster_key: 'c', new_cluster: newCluster }], tasks: [task('a', { job_cluster_key: 'c' })] })).body.job_id;
    const settings = (await ctx.admin.get<{ settings: { job_clusters: unknown[] } }>(`${J}/get`, { job_id: jobId })).body.settings;
    expect(settings.job_clusters).toEqual([{ job_cluster_key: 'c', new_cluster: newCluster }]);
    const run = await getRun((await ctx.admin.post<{ run_id: number }>(`${J}/run-now`, { job_id: jobId })).body.run_id);
    expect(run.state.result_state).toBe('SUCCESS');
    expect(run.cluster_spec).toEqual({ job_cluster_key: 'c' });
    const cluster = await getCluster(run.tasks[0]!.cluster_instance!.cluster_id);
    expect(cluster).toMatchObject({ cluster_source: 'JOB', policy_id: id, runtime_engine: 'PHOTON', custom_tags: { team: 'data' } });
  });

  it('a malformed definition passes jobs/create (as reported of the real service) and fails the run at launch', async () => {
    const malformed = (await ctx.admin.post<{ policy_id: string }>(`${P}/create`, { name: 'array', definition: '[{"foo":"bar"}]' })).body.policy_id;
    const created = await ctx.admin.post<{ job_id: number }>(`${J}/create`, { name: 'm', tasks: [task('a', { new_cluster: { ...CLUSTER, policy_id: malformed } })] });
    expect(created.status).toBe(200);
    const clustersBefore = (await ctx.admin.get('/api/2.1/clusters/list')).body;
    const run = await getRun((await ctx.admin.post<{ run_id: number }>(`${J}/run-now`, { job_id: created.body.job_id })).body.run_id);
    expect(run.state).toMatchObject({ life_cycle_state: 'INTERNAL_ERROR', result_state: 'FAILED' });
    expect(run.state.state_message).toContain(`Requests for the policy ${malformed} cannot be satisfied due to the malformed policy definition`);
    expect(run.status.termination_details).toMatchObject({ code: 'INVALID_CLUSTER_REQUEST', type: 'CLIENT_ERROR' });
    // No cluster was launched.
    expect((await ctx.admin.get('/api/2.1/clusters/list')).body).toEqual(clustersBefore);
  });

  it('a policy deleted after the job was saved fails the next run at launch', async () => {
    const id = await policy(JOB_ONLY);
    const jobId = (await ctx.admin.post<{ job_id: number }>(`${J}/create`, { name: 'd', tasks: [task('a', { new_cluster: { ...CLUSTER, policy_id: id } })] })).body.job_id;
    await ctx.admin.post(`${P}/delete`, { policy_id: id });
    const run = await getRun((await ctx.admin.post<{ run_id: number }>(`${J}/run-now`, { job_id: jobId })).body.run_id);
    expect(run.state).toMatchObject({ life_cycle_state: 'INTERNAL_ERROR', result_state: 'FAILED' });
    expect(run.state.state_message).toContain(`Can't find a cluster policy with id: ${id}.`);
  });
});

/** max_clusters_per_user needs clusters alive at once: a paused clock keeps the job clusters up. */
describe('max_clusters_per_user and job clusters (paused clock)', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => ({ emu, api } = await startTestEmulator({ speed: 0 })));
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  it('job clusters neither count against the limit nor are refused by it', async () => {
    const id = (await api.post<{ policy_id: string }>(`${P}/create`, { name: 'one-each', definition: '{}', max_clusters_per_user: 1 })).body.policy_id;
    const submit = () => api.post<{ run_id: number }>(`${J}/runs/submit`, { tasks: [task('a', { new_cluster: { ...CLUSTER, policy_id: id } })] });
    expect((await submit()).status).toBe(200);
    expect((await submit()).status).toBe(200);
    await api.control('POST', '/clock', { advance_seconds: 1 });
    const clusters = ((await api.get<{ clusters?: Cluster[] }>('/api/2.1/clusters/list')).body.clusters ?? []).filter((c) => c.cluster_source === 'JOB' && c.state !== 'TERMINATED');
    expect(clusters).toHaveLength(2);
    // Two of the admin's job clusters are up under the policy, and the one all-purpose place is still free.
    expect((await api.post('/api/2.1/clusters/create', { ...CLUSTER, policy_id: id })).status).toBe(200);
    const second = await api.post<ErrorBody>('/api/2.1/clusters/create', { ...CLUSTER, policy_id: id });
    expect(second.body.error_code).toBe('QUOTA_EXCEEDED');
    expect(second.body.message).toMatch(/already has 1 active cluster\(s\)/);
  });
});
