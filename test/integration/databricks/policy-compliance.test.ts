import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../src/databricks/index.js';
import { until, useEmulator } from './emulator.js';

/** The client's policy compliance calls (clusterPolicies.enforceCompliance, jobPolicyCompliance.*) against the emulator. */

const ctx = useEmulator();
const CLUSTER = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge' };
const loose = JSON.stringify({ num_workers: { type: 'range', maxValue: 4 } });
const tight = JSON.stringify({ num_workers: { type: 'range', maxValue: 2 } });

describe('policy compliance through the client', () => {
  it('clusterPolicies.enforceCompliance previews, applies (the running cluster restarts) and then has nothing to change', async () => {
    const { policy_id } = await ctx.client.clusterPolicies.create({ name: 'client-enforce', definition: loose });
    const { cluster_id } = await ctx.client.clusters.create({ ...CLUSTER, num_workers: 3, policy_id });
    await until(() => ctx.client.clusters.get({ cluster_id }), (c) => c.state === 'RUNNING');
    await ctx.client.clusterPolicies.edit({ policy_id, name: 'client-enforce', definition: tight });
    const change = { field: 'num_workers', previous_value: '3', new_value: '2' };
    expect(await ctx.client.clusterPolicies.enforceCompliance({ cluster_id, validate_only: true })).toEqual({ has_changes: true, changes: [change] });
    expect(await ctx.client.clusterPolicies.enforceCompliance({ cluster_id })).toEqual({ has_changes: true, changes: [change], enforce_result: 'APPLIED' });
    expect((await ctx.client.clusters.get({ cluster_id })).num_workers).toBe(2);
    expect(await ctx.client.clusterPolicies.getCompliance({ cluster_id })).toEqual({ is_compliant: true, violations: {} });
    expect(await ctx.client.clusterPolicies.enforceCompliance({ cluster_id })).toMatchObject({ has_changes: false, enforce_result: 'NO_CHANGES' });
    await expect(ctx.client.clusterPolicies.enforceCompliance({ cluster_id: '' })).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.client.clusterPolicies.enforceCompliance({ cluster_id, enforce_mode: 'LATER' as 'ENFORCE_IMMEDIATELY' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('jobPolicyCompliance: get, list across pages, enforce', async () => {
    const { policy_id } = await ctx.client.clusterPolicies.create({ name: 'client-jobs', definition: loose });
    const task = (key: string, workers: number) => ({ task_key: key, notebook_task: { notebook_path: `/Shared/${key}` }, new_cluster: { ...CLUSTER, num_workers: workers, policy_id } });
    const big = (await ctx.client.jobs.create({ name: 'big', tasks: [task('a', 3)] })).job_id;
    const small = (await ctx.client.jobs.create({ name: 'small', tasks: [task('a', 1)] })).job_id;
    expect(await ctx.client.jobPolicyCompliance.getCompliance({ job_id: big })).toEqual({ is_compliant: true, violations: {} });
    await ctx.client.clusterPolicies.edit({ policy_id, name: 'client-jobs', definition: tight });
    const violation = { 'tasks[a].new_cluster.num_workers': 'Validation failed for num_workers, the value cannot be greater than 2' };
    const listed = await ctx.client.jobPolicyCompliance.listCompliance({ policy_id, page_size: 1 }).toArray();
    expect(listed.map((j) => j.job_id)).toEqual([big, small].sort((a, b) => a - b)); // both pages, in job_id order
    expect(Object.fromEntries(listed.map((j) => [j.job_id, j.violations]))).toEqual({ [big]: violation, [small]: {} });
    const enforced = await ctx.client.jobPolicyCompliance.enforceCompliance({ job_id: big });
    expect(enforced.job_cluster_changes).toEqual([{ field: 'tasks[a].new_cluster.num_workers', previous_value: '3', new_value: '2' }]);
    expect(enforced.settings?.tasks?.[0]?.new_cluster).toMatchObject({ num_workers: 2 });
    expect(await ctx.client.jobPolicyCompliance.getCompliance({ job_id: big })).toEqual({ is_compliant: true, violations: {} });
    expect((await ctx.client.jobPolicyCompliance.enforceCompliance({ job_id: big })).has_changes).toBe(false);
    // The API's "Job 404 does not exist." (400) is a not-found to the client, as for jobs/get.
    await expect(ctx.client.jobPolicyCompliance.getCompliance({ job_id: 404 })).rejects.toBeInstanceOf(NotFoundError);
    // Checked when the iterator is made, before any request.
    expect(() => ctx.client.jobPolicyCompliance.listCompliance({ policy_id, page_size: 101 })).toThrow(ValidationError);
  });
});
