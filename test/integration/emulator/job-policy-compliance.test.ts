import { describe, expect, it } from 'vitest';
import { expectErrorShape, useAdminAndUser } from './helpers.js';

/** `/api/2.0/policies/jobs/{get,list,enforce}-compliance` on the wire: jobs fall out of compliance when a policy they use is edited. */

const P = '/api/2.0/policies/clusters';
const PJ = '/api/2.0/policies/jobs';
const J = '/api/2.2/jobs';
const CLUSTER = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge' };
const task = (key: string, compute: Record<string, unknown>) => ({ task_key: key, notebook_task: { notebook_path: `/Shared/${key}` }, ...compute });

type Compliance = { is_compliant: boolean; violations: Record<string, string> };
type Enforced = { has_changes: boolean; job_cluster_changes: { field: string; previous_value?: string; new_value?: string }[]; settings: Settings };
type Settings = { name: string; job_clusters?: { job_cluster_key: string; new_cluster: Record<string, unknown> }[]; tasks: { task_key: string; new_cluster?: Record<string, unknown> }[] };
type ErrorBody = { error_code: string; message: string };
type Run = { state: { result_state?: string; state_message: string }; tasks: { task_key: string; new_cluster?: Record<string, unknown> }[] };

describe('job policy compliance', () => {
  const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
  const policy = async (definition: Record<string, unknown>) => (await ctx.admin.post<{ policy_id: string }>(`${P}/create`, { name: `p${Math.random()}`, definition: JSON.stringify(definition) })).body.policy_id;
  const editPolicy = async (policy_id: string, definition: Record<string, unknown>) => {
    expect((await ctx.admin.post(`${P}/edit`, { policy_id, name: 'edited', definition: JSON.stringify(definition) })).status).toBe(200);
  };
  const createJob = async (settings: Record<string, unknown>) => {
    const r = await ctx.admin.post<{ job_id: number }>(`${J}/create`, settings);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.job_id;
  };
  const compliance = async (job_id: number, as = ctx.admin) => (await as.get<Compliance & ErrorBody>(`${PJ}/get-compliance`, { job_id })).body;
  const enforce = (body: Record<string, unknown>, as = ctx.admin) => as.post<Enforced & ErrorBody>(`${PJ}/enforce-compliance`, body);
  const settingsOf = async (job_id: number) => (await ctx.admin.get<{ settings: Settings }>(`${J}/get`, { job_id })).body.settings;
  const runNow = async (job_id: number) => {
    const { run_id } = (await ctx.admin.post<{ run_id: number }>(`${J}/run-now`, { job_id })).body;
    return (await ctx.admin.get<Run>(`${J}/runs/get`, { run_id })).body;
  };

  /** A job cluster and a task cluster under one policy, saved while they comply. */
  const governedJob = async (id: string) =>
    createJob({
      name: 'etl',
      job_clusters: [{ job_cluster_key: 'main', new_cluster: { ...CLUSTER, num_workers: 3, policy_id: id } }],
      tasks: [task('a', { job_cluster_key: 'main' }), task('b', { new_cluster: { ...CLUSTER, num_workers: 1, policy_id: id } })],
    });
  const TIGHTER = { num_workers: { type: 'range', maxValue: 2 }, 'custom_tags.cost_center': { type: 'fixed', value: 'cc-1' } };
  const VIOLATIONS = {
    'job_clusters[main].new_cluster.num_workers': 'Validation failed for num_workers, the value cannot be greater than 2',
    'job_clusters[main].new_cluster.custom_tags.cost_center': 'Validation failed for custom_tags.cost_center, the value must be cc-1 (is missing)',
    'tasks[b].new_cluster.custom_tags.cost_center': 'Validation failed for custom_tags.cost_center, the value must be cc-1 (is missing)',
  };
  const CHANGES = [
    { field: 'job_clusters[main].new_cluster.num_workers', previous_value: '3', new_value: '2' },
    { field: 'job_clusters[main].new_cluster.custom_tags.cost_center', new_value: 'cc-1' },
    { field: 'tasks[b].new_cluster.custom_tags.cost_center', new_value: 'cc-1' },
  ];

  it('a job complies when saved, falls out when its policy is edited (runs then fail), and enforce brings it back as a new settings version', async () => {
    const id = await policy({ num_workers: { type: 'range', maxValue: 4 } });
    const jobId = await governedJob(id);
    expect(await compliance(jobId)).toEqual({ is_compliant: true, violations: {} });
    const earlier = await runNow(jobId);
    expect(earlier.state.result_state).toBe('SUCCESS');

    await editPolicy(id, TIGHTER);
    expect(await compliance(jobId)).toEqual({ is_compliant: false, violations: VIOLATIONS });
    expect((await runNow(jobId)).state.result_state).not.toBe('SUCCESS');

    const before = await settingsOf(jobId);
    const preview = await enforce({ job_id: jobId, validate_only: true });
    expect(preview.status).toBe(200);
    expect(preview.body.has_changes).toBe(true);
    expect(preview.body.job_cluster_changes).toEqual(CHANGES);
    expect(preview.body.settings.job_clusters?.[0]?.new_cluster).toMatchObject({ num_workers: 2, custom_tags: { cost_center: 'cc-1' } });
    expect(await settingsOf(jobId)).toEqual(before);
    expect((await compliance(jobId)).is_compliant).toBe(false);

    const applied = await enforce({ job_id: jobId });
    expect(applied.body.job_cluster_changes).toEqual(CHANGES);
    const after = await settingsOf(jobId);
    expect(applied.body.settings).toEqual(after);
    expect(after.job_clusters?.[0]?.new_cluster).toEqual({ ...CLUSTER, num_workers: 2, policy_id: id, custom_tags: { cost_center: 'cc-1' } });
    expect(after.tasks.find((t) => t.task_key === 'b')?.new_cluster).toEqual({ ...CLUSTER, num_workers: 1, policy_id: id, custom_tags: { cost_center: 'cc-1' } });
    expect(await compliance(jobId)).toEqual({ is_compliant: true, violations: {} });
    expect((await runNow(jobId)).state.result_state).toBe('SUCCESS');
    // The run made before keeps the settings it ran with.
    const kept = (await ctx.admin.get<Run>(`${J}/runs/get`, { run_id: (earlier as unknown as { run_id: number }).run_id })).body;
    expect(kept.tasks.find((t) => t.task_key === 'b')?.new_cluster?.custom_tags).toBeUndefined();

    // Safe to repeat: nothing left to change.
    const again = await enforce({ job_id: jobId });
    expect({ has_changes: again.body.has_changes, changes: again.body.job_cluster_changes }).toEqual({ has_changes: false, changes: [] });
    expect(await settingsOf(jobId)).toEqual(after);
  });

  it('list-compliance pages over the jobs that use a policy; jobs without it are not listed', async () => {
    const id = await policy({ num_workers: { type: 'range', maxValue: 4 } });
    const governed = await governedJob(id);
    const small = await createJob({ name: 'small', tasks: [task('a', { new_cluster: { ...CLUSTER, num_workers: 1, policy_id: id } })] });
    await createJob({ name: 'free', tasks: [task('a', { new_cluster: { ...CLUSTER, num_workers: 8 } })] });
    await editPolicy(id, TIGHTER);

    type Page = { jobs: ({ job_id: number } & Compliance)[]; next_page_token?: string; prev_page_token?: string };
    const first = (await ctx.admin.get<Page>(`${PJ}/list-compliance`, { policy_id: id, page_size: 1 })).body;
    expect(first.jobs).toHaveLength(1);
    const second = (await ctx.admin.get<Page>(`${PJ}/list-compliance`, { policy_id: id, page_size: 1, page_token: first.next_page_token })).body;
    expect(second.prev_page_token).toBeDefined();
    expect(second.next_page_token).toBeUndefined();
    const byId = Object.fromEntries([...first.jobs, ...second.jobs].map((j) => [j.job_id, j.violations]));
    expect(byId).toEqual({ [governed]: VIOLATIONS, [small]: { 'tasks[a].new_cluster.custom_tags.cost_center': VIOLATIONS['tasks[b].new_cluster.custom_tags.cost_center'] } });
    expect((await ctx.admin.get(`${PJ}/list-compliance`, { policy_id: 'FFFFFFFFFFFFFFFF' })).status).toBe(404);
  });

  it('a violation enforce cannot fix fails the request and leaves the job as it was; bad requests and permissions are refused', async () => {
    const id = await policy({});
    const jobId = await governedJob(id);
    await editPolicy(id, { num_workers: { type: 'range', maxValue: 2 }, node_type_id: { type: 'allowlist', values: ['m5d.large'] } });
    const before = await settingsOf(jobId);
    const refused = await enforce({ job_id: jobId });
    expect({ status: refused.status, code: refused.body.error_code }).toEqual({ status: 400, code: 'INVALID_PARAMETER_VALUE' });
    expect(refused.body.message).toBe('Policy compliance cannot be enforced automatically: Validation failed for node_type_id, the value must be one of [m5d.large] (is "i3.xlarge")');
    expect(await settingsOf(jobId)).toEqual(before);

    const cases: [string, Record<string, unknown>, number, RegExp][] = [
      ['enforce', {}, 400, /job_id/],
      ['enforce', { job_id: 'abc' }, 400, /job_id/],
      ['enforce', { job_id: jobId, validate_only: 'yes' }, 400, /validate_only/],
      ['enforce', { job_id: 404 }, 400, /Job 404 does not exist/],
      ['get', { job_id: 404 }, 400, /Job 404 does not exist/],
      ['get', {}, 400, /job_id/],
    ];
    for (const [op, body, status, message] of cases) {
      const r = op === 'enforce' ? await enforce(body) : await ctx.admin.get<ErrorBody>(`${PJ}/get-compliance`, body);
      expectErrorShape(r.body as unknown as Record<string, unknown>);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.message).toMatch(message);
    }

    // CAN_VIEW reads compliance; enforcing edits the job, so it needs CAN_MANAGE.
    await editPolicy(id, TIGHTER);
    await ctx.admin.call('PUT', `/api/2.0/permissions/jobs/${jobId}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_VIEW' }] });
    expect((await compliance(jobId, ctx.user)).violations).toEqual(VIOLATIONS);
    const denied = await enforce({ job_id: jobId }, ctx.user);
    expect({ status: denied.status, code: denied.body.error_code }).toEqual({ status: 403, code: 'PERMISSION_DENIED' });
    expect(await settingsOf(jobId)).toEqual(before);
    await ctx.admin.call('PUT', `/api/2.0/permissions/jobs/${jobId}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_MANAGE' }] });
    expect((await enforce({ job_id: jobId }, ctx.user)).body.has_changes).toBe(true);
  });
});
