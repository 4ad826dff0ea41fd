import { describe, expect, it } from 'vitest';
import { expectErrorShape, useAdminAndUser } from './helpers.js';

/** `POST /api/2.0/policies/clusters/enforce-compliance` on the wire, with a paused clock so every cluster state is observable. */

const P = '/api/2.0/policies/clusters';
const C = '/api/2.1/clusters';
const SPEC = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge' };
type Cluster = { cluster_id: string; state: string; num_workers?: number; custom_tags?: Record<string, string>; spark_conf?: Record<string, string>; autotermination_minutes?: number };
type Enforced = { has_changes: boolean; changes: { field: string; previous_value?: string; new_value?: string }[]; enforce_result?: string };
type ErrorBody = { error_code: string; message: string };

describe('cluster policy compliance: enforce', () => {
  const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'], speed: 0 });
  const advance = (seconds: number) => ctx.admin.control('POST', '/clock', { advance_seconds: seconds });
  const get = async (id: string) => (await ctx.admin.get<Cluster>(`${C}/get`, { cluster_id: id })).body;
  const compliance = async (id: string) => (await ctx.admin.get<{ is_compliant: boolean; violations: Record<string, string> }>(`${P}/get-compliance`, { cluster_id: id })).body;
  const enforce = (body: Record<string, unknown>, as = ctx.admin) => as.post<Enforced & ErrorBody>(`${P}/enforce-compliance`, body);
  const policy = async (definition: Record<string, unknown>) => (await ctx.admin.post<{ policy_id: string }>(`${P}/create`, { name: 'governed', definition: JSON.stringify(definition) })).body.policy_id;
  const editPolicy = async (policy_id: string, definition: Record<string, unknown>) => {
    expect((await ctx.admin.post(`${P}/edit`, { policy_id, name: 'governed', definition: JSON.stringify(definition) })).status).toBe(200);
  };
  const create = async (body: Record<string, unknown>) => {
    const r = await ctx.admin.post<{ cluster_id: string }>(`${C}/create`, { ...SPEC, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.cluster_id;
  };

  /** Made under a loose policy, then the policy tightens: four violations of four kinds. */
  const TIGHTER = {
    num_workers: { type: 'range', maxValue: 2 },
    autotermination_minutes: { type: 'range', minValue: 10, maxValue: 60, defaultValue: 30 },
    'custom_tags.cost_center': { type: 'fixed', value: 'cc-1' },
    'spark_conf.spark.speculation': { type: 'forbidden' },
  };
  const CHANGES = [
    { field: 'num_workers', previous_value: '3', new_value: '2' },
    { field: 'autotermination_minutes', previous_value: '120', new_value: '30' },
    { field: 'custom_tags.cost_center', new_value: 'cc-1' },
    { field: 'spark_conf.spark.speculation', previous_value: 'true' },
  ];
  const outOfPolicy = async () => {
    const id = await policy({ num_workers: { type: 'range', maxValue: 4 } });
    const cluster = await create({ num_workers: 3, autotermination_minutes: 120, spark_conf: { 'spark.speculation': 'true' }, policy_id: id });
    await editPolicy(id, TIGHTER);
    return { id, cluster };
  };

  it('a RUNNING cluster: validate_only previews and changes nothing; enforce edits and restarts it, after which it complies; again has no changes', async () => {
    const { cluster } = await outOfPolicy();
    await advance(241);
    expect((await get(cluster)).state).toBe('RUNNING');
    expect(Object.keys((await compliance(cluster)).violations)).toEqual(Object.keys(TIGHTER));

    const preview = await enforce({ cluster_id: cluster, validate_only: true });
    expect(preview.body).toEqual({ has_changes: true, changes: CHANGES });
    expect(await get(cluster)).toMatchObject({ state: 'RUNNING', num_workers: 3, autotermination_minutes: 120 });
    expect((await compliance(cluster)).is_compliant).toBe(false);

    const applied = await enforce({ cluster_id: cluster });
    expect(applied.body).toEqual({ has_changes: true, changes: CHANGES, enforce_result: 'APPLIED' });
    const restarting = await get(cluster);
    expect(restarting).toMatchObject({ state: 'RESTARTING', num_workers: 2, autotermination_minutes: 30, custom_tags: { cost_center: 'cc-1' } });
    expect(restarting.spark_conf?.['spark.speculation']).toBeUndefined();
    await advance(91);
    expect((await get(cluster)).state).toBe('RUNNING');
    expect(await compliance(cluster)).toEqual({ is_compliant: true, violations: {} });

    // Safe to repeat: nothing left to change, no restart.
    expect((await enforce({ cluster_id: cluster })).body).toEqual({ has_changes: false, changes: [], enforce_result: 'NO_CHANGES' });
    expect((await get(cluster)).state).toBe('RUNNING');
  });

  it('a TERMINATED cluster is edited and stays TERMINATED; a PENDING one is refused; a cluster without a policy has nothing to change', async () => {
    const { cluster } = await outOfPolicy();
    // Still PENDING (the clock is paused): ENFORCE_IMMEDIATELY refuses every state but RUNNING and TERMINATED.
    const pending = await enforce({ cluster_id: cluster });
    expect({ status: pending.status, code: pending.body.error_code }).toEqual({ status: 400, code: 'INVALID_STATE' });
    expect((await get(cluster)).num_workers).toBe(3);

    await advance(241);
    await ctx.admin.post(`${C}/delete`, { cluster_id: cluster });
    await advance(31);
    expect((await get(cluster)).state).toBe('TERMINATED');
    // WAIT_FOR_TERMINATION edits a TERMINATED cluster at once, like the default mode.
    expect((await enforce({ cluster_id: cluster, enforce_mode: 'WAIT_FOR_TERMINATION' })).body.enforce_result).toBe('APPLIED');
    expect(await get(cluster)).toMatchObject({ state: 'TERMINATED', num_workers: 2, autotermination_minutes: 30 });
    expect((await compliance(cluster)).is_compliant).toBe(true);

    const free = await create({ num_workers: 5 });
    expect((await enforce({ cluster_id: free })).body).toEqual({ has_changes: false, changes: [], enforce_result: 'NO_CHANGES' });
  });

  it('a violation it cannot fix (a regex or allowlist without a default) fails the whole request and changes nothing', async () => {
    const id = await policy({});
    const cluster = await create({ num_workers: 3, cluster_name: 'adhoc', policy_id: id });
    await advance(241);
    await editPolicy(id, { num_workers: { type: 'range', maxValue: 2 }, cluster_name: { type: 'regex', pattern: 'team-.*' }, node_type_id: { type: 'allowlist', values: ['m5d.large'] } });
    for (const validate_only of [false, true]) {
      const r = await enforce({ cluster_id: cluster, validate_only });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        error_code: 'INVALID_PARAMETER_VALUE',
        message:
          'Policy compliance cannot be enforced automatically: Validation failed for cluster_name, the value must match the regex team-.* (is "adhoc"); Validation failed for node_type_id, the value must be one of [m5d.large] (is "i3.xlarge")',
      });
    }
    expect(await get(cluster)).toMatchObject({ state: 'RUNNING', num_workers: 3 });
    // With defaults to fall back on, the same rules are enforceable.
    await editPolicy(id, { cluster_name: { type: 'regex', pattern: 'team-.*', defaultValue: 'team-data' }, node_type_id: { type: 'allowlist', values: ['m5d.large'], defaultValue: 'm5d.large' } });
    expect((await enforce({ cluster_id: cluster })).body.changes).toEqual([
      { field: 'cluster_name', previous_value: 'adhoc', new_value: 'team-data' },
      { field: 'node_type_id', previous_value: 'i3.xlarge', new_value: 'm5d.large' },
    ]);
  });

  it('bad requests are refused clearly and change nothing: ids, modes, job clusters, permissions', async () => {
    const { cluster } = await outOfPolicy();
    await advance(241);
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{}, 400, 'INVALID_PARAMETER_VALUE', /cluster_id/],
      [{ cluster_id: '0000-000000-nothing0' }, 400, 'INVALID_PARAMETER_VALUE', /Cluster 0000-000000-nothing0 does not exist/],
      [{ cluster_id: cluster, enforce_mode: 'SOMETIME' }, 400, 'INVALID_PARAMETER_VALUE', /enforce_mode/],
      [{ cluster_id: cluster, validate_only: 'yes' }, 400, 'INVALID_PARAMETER_VALUE', /validate_only/],
      [{ cluster_id: cluster, enforce_mode: 'WAIT_FOR_TERMINATION' }, 501, 'NOT_IMPLEMENTED', /pending enforcement/],
    ];
    for (const [body, status, code, message] of cases) {
      const r = await enforce(body);
      expectErrorShape(r.body as unknown as Record<string, unknown>);
      expect({ status: r.status, code: r.body.error_code }, JSON.stringify(r.body)).toEqual({ status, code });
      expect(r.body.message).toMatch(message);
    }
    // Only admins may defer; enforcing needs CAN_MANAGE on the cluster (CAN_RESTART is not enough).
    expect((await enforce({ cluster_id: cluster, enforce_mode: 'WAIT_FOR_TERMINATION' }, ctx.user)).status).toBe(403);
    await ctx.admin.call('PUT', `/api/2.0/permissions/clusters/${cluster}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_RESTART' }] });
    const denied = await enforce({ cluster_id: cluster }, ctx.user);
    expect({ status: denied.status, code: denied.body.error_code }).toEqual({ status: 403, code: 'PERMISSION_DENIED' });
    expect(await get(cluster)).toMatchObject({ state: 'RUNNING', num_workers: 3 });
    await ctx.admin.call('PUT', `/api/2.0/permissions/clusters/${cluster}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_MANAGE' }] });
    expect((await enforce({ cluster_id: cluster }, ctx.user)).body.enforce_result).toBe('APPLIED');

    // A job run's cluster belongs to its job: enforce the job instead.
    const run = await ctx.admin.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { tasks: [{ task_key: 'a', notebook_task: { notebook_path: '/Shared/a' }, new_cluster: { ...SPEC, num_workers: 1 } }] });
    await advance(1);
    const jobCluster = (await ctx.admin.get<{ tasks: { cluster_instance?: { cluster_id: string } }[] }>('/api/2.2/jobs/runs/get', { run_id: run.body.run_id })).body.tasks[0]?.cluster_instance?.cluster_id;
    expect(jobCluster).toBeDefined();
    const refused = await enforce({ cluster_id: jobCluster });
    expect({ status: refused.status, code: refused.body.error_code }).toEqual({ status: 400, code: 'INVALID_PARAMETER_VALUE' });
    expect(refused.body.message).toMatch(/created by a job and cannot be enforced/);
  });
});
