import { describe, expect, it } from 'vitest';
import { FailureType } from '../../../src/common/activity-policies.js';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

/** The policy compliance activities: enforce is safe to repeat, and the jobs ones read and page like the cluster ones. */

const ctx = useEmulatorActivities();
const CLUSTER = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge' };

describe('policy compliance activities', () => {
  it('clusterPoliciesEnforceCompliance applies once; a retry has no changes', async () => {
    const { policy_id } = await ctx.client.clusterPolicies.create({ name: 'acts', definition: JSON.stringify({ 'custom_tags.team': { type: 'unlimited', isOptional: true } }) });
    const { cluster_id } = await ctx.client.clusters.create({ ...CLUSTER, num_workers: 1, policy_id });
    await ctx.client.clusterPolicies.edit({ policy_id, name: 'acts', definition: JSON.stringify({ 'custom_tags.team': { type: 'fixed', value: 'data' } }) });
    expect(await mockEnv().exec(ctx.acts.clusterPoliciesEnforceCompliance, { cluster_id })).toMatchObject({ has_changes: true, changes: [{ field: 'custom_tags.team', new_value: 'data' }] });
    expect(await mockEnv({ attempt: 2 }).exec(ctx.acts.clusterPoliciesEnforceCompliance, { cluster_id })).toEqual({ has_changes: false, changes: [], enforce_result: 'NO_CHANGES' });
  });

  it('jobPolicyCompliance activities: get, list (all pages), enforce; an unfixable violation is a non-retryable bad request', async () => {
    const { policy_id } = await ctx.client.clusterPolicies.create({ name: 'acts-jobs', definition: '{}' });
    const tasks = [{ task_key: 'a', notebook_task: { notebook_path: '/Shared/a' }, new_cluster: { ...CLUSTER, num_workers: 3, policy_id } }];
    const { job_id } = await ctx.client.jobs.create({ name: 'governed', tasks });
    await ctx.client.clusterPolicies.edit({ policy_id, name: 'acts-jobs', definition: JSON.stringify({ num_workers: { type: 'range', maxValue: 2 }, cluster_name: { type: 'regex', pattern: 'team-.*' } }) });
    const violations = {
      'tasks[a].new_cluster.num_workers': 'Validation failed for num_workers, the value cannot be greater than 2',
      'tasks[a].new_cluster.cluster_name': 'Validation failed for cluster_name, the value must be present',
    };
    expect(await mockEnv().exec(ctx.acts.jobPolicyComplianceGetCompliance, { job_id })).toEqual({ is_compliant: false, violations });
    expect(await mockEnv().exec(ctx.acts.jobPolicyComplianceListCompliance, { policy_id, page_size: 1 })).toEqual([{ job_id, is_compliant: false, violations }]);
    const err = await rejection(mockEnv().exec(ctx.acts.jobPolicyComplianceEnforceCompliance, { job_id }));
    expect(err).toMatchObject({ type: FailureType.BadRequest, nonRetryable: true });
    expect(err.message).toMatch(/cannot be enforced automatically: Validation failed for cluster_name/);

    await ctx.client.clusterPolicies.edit({ policy_id, name: 'acts-jobs', definition: JSON.stringify({ num_workers: { type: 'range', maxValue: 2 } }) });
    expect((await mockEnv().exec(ctx.acts.jobPolicyComplianceEnforceCompliance, { job_id })).job_cluster_changes).toEqual([{ field: 'tasks[a].new_cluster.num_workers', previous_value: '3', new_value: '2' }]);
    expect((await mockEnv({ attempt: 2 }).exec(ctx.acts.jobPolicyComplianceEnforceCompliance, { job_id })).has_changes).toBe(false);
  });
});
