import { ApplicationFailure } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time.js';
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TAG, WORKFLOW_TAG } from '../../../src/activities/creates.js';
import { nextPollDelayMs } from '../../../src/activities/waiters.js';
import { FailureType } from '../../../src/common/activity-policies.js';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

const ctx = useEmulatorActivities();
const wf = (attempt: number, activityId = '7') => ({ attempt, activityId, workflowExecution: { workflowId: 'wf-creates', runId: 'run-1' } });
const notebook = (params: Record<string, string> = {}) => ({ task_key: 't', notebook_task: { notebook_path: '/Shared/etl', base_parameters: params } });
const delayOf = (e: { nextRetryDelay?: unknown }) => msToNumber(e.nextRetryDelay as number);

describe('exactly-once creates', () => {
  it('a cluster is tagged with the idempotency key and workflow id; a retry adopts it instead of creating another', async () => {
    const spec = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1, cluster_name: 'etl' };
    const first = await mockEnv(wf(1)).exec(ctx.acts.clustersCreate, spec);
    expect(first.adopted).toBe(false);
    const details = await ctx.client.clusters.get({ cluster_id: first.cluster_id });
    expect(details.custom_tags).toMatchObject({ [IDEMPOTENCY_TAG]: first.idempotency_key, [WORKFLOW_TAG]: 'wf-creates' });

    const retry = await mockEnv(wf(2)).exec(ctx.acts.clustersCreate, spec);
    expect(retry).toEqual({ cluster_id: first.cluster_id, idempotency_key: first.idempotency_key, adopted: true });
    // Another activity of the same workflow is a different create.
    const other = await mockEnv(wf(2, '8')).exec(ctx.acts.clustersCreate, spec);
    expect(other.cluster_id).not.toBe(first.cluster_id);
    expect(await ctx.client.clusters.list().toArray()).toHaveLength(2);
  });

  it('run-now sends a ≤64-char idempotency token derived from the activity, so a retry gets the same run', async () => {
    const { job_id } = await mockEnv(wf(1, '1')).exec(ctx.acts.jobsCreate, { name: 'j', tasks: [notebook()] });
    const a = await mockEnv(wf(1, '2')).exec(ctx.acts.jobsRunNow, { job_id });
    const b = await mockEnv(wf(3, '2')).exec(ctx.acts.jobsRunNow, { job_id });
    expect(a.idempotency_token.length).toBeLessThanOrEqual(64);
    expect(b.run_id).toBe(a.run_id);
    expect(await ctx.client.jobs.listRuns({ job_id }).toArray()).toHaveLength(1);
    // A new run of the workflow (continue-as-new restarts activity ids) gets a new token.
    const c = await mockEnv({ ...wf(1, '2'), workflowExecution: { workflowId: 'wf-creates', runId: 'run-2' } }).exec(ctx.acts.jobsRunNow, { job_id });
    expect(c.run_id).not.toBe(a.run_id);
  });

  it('runs/repair: a retry adopts the repair its earlier attempt made (the latest_repair_id guard), a first attempt never does', async () => {
    const { run_id } = await ctx.client.jobs.submit({ run_name: 'r', tasks: [{ ...notebook({ 'emulator.outcome': 'FAILED' }), new_cluster: { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 } }] });
    const ended = async () => {
      for (let i = 0; i < 200; i++) {
        const run = await ctx.client.jobs.getRun({ run_id });
        if (run.state?.life_cycle_state === 'TERMINATED') return run;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`run ${run_id} did not end`);
    };
    await ended();
    const first = await mockEnv(wf(1, '40')).exec(ctx.acts.jobsRepairRun, { run_id, rerun_all_failed_tasks: true });
    expect(first.adopted).toBe(false);
    // The response was lost: the retry (same input) finds the repair instead of making another.
    expect(await mockEnv(wf(2, '40')).exec(ctx.acts.jobsRepairRun, { run_id, rerun_all_failed_tasks: true })).toEqual({ repair_id: first.repair_id, adopted: true });
    await ended();
    const second = await mockEnv(wf(1, '41')).exec(ctx.acts.jobsRepairRun, { run_id, rerun_all_failed_tasks: true, latest_repair_id: first.repair_id });
    expect(second).toMatchObject({ adopted: false });
    expect(second.repair_id).not.toBe(first.repair_id);
    expect(await mockEnv(wf(3, '41')).exec(ctx.acts.jobsRepairRun, { run_id, rerun_all_failed_tasks: true, latest_repair_id: first.repair_id })).toEqual({ repair_id: second.repair_id, adopted: true });
    const history = (await ended()).repair_history ?? [];
    expect(history.map((h) => h.type)).toEqual(['ORIGINAL', 'REPAIR', 'REPAIR']);
    // A first attempt with a stale latest repair is the API's refusal, not an adoption.
    const stale = await rejection(mockEnv(wf(1, '42')).exec(ctx.acts.jobsRepairRun, { run_id, rerun_all_failed_tasks: true, latest_repair_id: first.repair_id }));
    expect(stale).toMatchObject({ nonRetryable: true });
    expect(stale.message).toMatch(/latest repair/);
  });

  it('a job, a warehouse and a pool retried after their create are found by tag, not created twice', async () => {
    const job = await mockEnv(wf(1, '3')).exec(ctx.acts.jobsCreate, { name: 'j', tasks: [notebook()] });
    expect((await mockEnv(wf(2, '3')).exec(ctx.acts.jobsCreate, { name: 'j', tasks: [notebook()] })).job_id).toBe(job.job_id);
    const wh = await mockEnv(wf(1, '4')).exec(ctx.acts.warehousesCreate, { name: 'wh', cluster_size: 'X-Small' });
    expect((await mockEnv(wf(2, '4')).exec(ctx.acts.warehousesCreate, { name: 'wh', cluster_size: 'X-Small' })).id).toBe(wh.id);
    const pool = await mockEnv(wf(1, '5')).exec(ctx.acts.instancePoolsCreate, { instance_pool_name: 'p', node_type_id: 'i3.xlarge' });
    expect((await mockEnv(wf(2, '5')).exec(ctx.acts.instancePoolsCreate, { instance_pool_name: 'p', node_type_id: 'i3.xlarge' })).instance_pool_id).toBe(pool.instance_pool_id);
    expect(await ctx.client.jobs.list().toArray()).toHaveLength(1);
    expect(await ctx.client.warehouses.list().toArray()).toHaveLength(1);
    expect(await ctx.client.instancePools.list().toArray()).toHaveLength(1);
  });

  it('a cluster policy retried after its create adopts the one with its name and rules; other rules under the name fail on the name', async () => {
    const definition = JSON.stringify({ num_workers: { type: 'range', maxValue: 2 }, node_type_id: { type: 'fixed', value: 'i3.xlarge' } });
    const first = await mockEnv(wf(1, '10')).exec(ctx.acts.clusterPoliciesCreate, { name: 'small', definition });
    expect(first.adopted).toBe(false);
    // Same rules written in another key order and spacing are the same policy.
    const respelled = JSON.stringify({ node_type_id: { value: 'i3.xlarge', type: 'fixed' }, num_workers: { maxValue: 2, type: 'range' } }, null, 2);
    expect(await mockEnv(wf(2, '10')).exec(ctx.acts.clusterPoliciesCreate, { name: 'small', definition: respelled })).toEqual({ ...first, adopted: true });
    const other = await rejection(mockEnv(wf(2, '11')).exec(ctx.acts.clusterPoliciesCreate, { name: 'small', definition: '{}' }));
    expect(other).toMatchObject({ type: FailureType.BadRequest, nonRetryable: true });
    expect(other.message).toMatch(/Cluster Policy with name `small` already exists/);
    // A first attempt never adopts: the name belongs to someone else.
    expect((await rejection(mockEnv(wf(1, '12')).exec(ctx.acts.clusterPoliciesCreate, { name: 'small', definition }))).message).toMatch(/already exists/);
    expect((await mockEnv(wf(1, '13')).exec(ctx.acts.clusterPoliciesList, {})).map((p) => p.policy_id)).toEqual([first.policy_id]);
    // Compliance of a cluster made under the policy, before and after the policy allows fewer workers.
    const { cluster_id } = await ctx.client.clusters.create({ spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 2, policy_id: first.policy_id });
    expect(await mockEnv(wf(1, '14')).exec(ctx.acts.clusterPoliciesGetCompliance, { cluster_id })).toEqual({ is_compliant: true, violations: {} });
    await ctx.client.clusterPolicies.edit({ policy_id: first.policy_id, name: 'small', definition: JSON.stringify({ num_workers: { type: 'range', maxValue: 1 } }) });
    expect(await mockEnv(wf(1, '15')).exec(ctx.acts.clusterPoliciesListCompliance, { policy_id: first.policy_id })).toEqual([{ cluster_id, is_compliant: false, violations: { num_workers: 'Validation failed for num_workers, the value cannot be greater than 1' } }]);
  });

  it('a secret scope that already exists is adopted on a retry but is a conflict on a first attempt', async () => {
    await mockEnv(wf(1, '6')).exec(ctx.acts.secretsCreateScope, { scope: 'etl-scope' });
    expect(await mockEnv(wf(2, '6')).exec(ctx.acts.secretsCreateScope, { scope: 'etl-scope' })).toMatchObject({ adopted: true });
    const err = await rejection(mockEnv(wf(1, '9')).exec(ctx.acts.secretsCreateScope, { scope: 'etl-scope' }));
    expect(err).toMatchObject({ type: FailureType.Conflict, nonRetryable: true });
  });

  it('a Unity Catalog volume is adopted on a retry (the name is its key) but is a conflict on a first attempt', async () => {
    const volume = { catalog_name: 'main', schema_name: 'default', name: 'landing', volume_type: 'MANAGED' as const };
    const created = await mockEnv(wf(1, '21')).exec(ctx.acts.volumesCreate, volume);
    const retried = await mockEnv(wf(2, '21')).exec(ctx.acts.volumesCreate, volume);
    expect(retried.volume_id).toBe(created.volume_id);
    expect((await mockEnv(wf(1, '22')).exec(ctx.acts.volumesList, { catalog_name: 'main', schema_name: 'default' })).map((v) => v.name)).toEqual(['landing']);
    const err = await rejection(mockEnv(wf(1, '23')).exec(ctx.acts.volumesCreate, volume));
    expect(err).toMatchObject({ type: FailureType.Conflict, nonRetryable: true });
  });

  it('a Unity Catalog table is adopted on a retry; table summaries list it with its type; it is in the current metastore', async () => {
    const table = { catalog_name: 'main', schema_name: 'default', name: 'events', table_type: 'EXTERNAL', data_source_format: 'DELTA', storage_location: 's3://b/events', columns: [{ name: 'id', type_text: 'bigint', type_name: 'LONG', position: 0 }] };
    const created = await mockEnv(wf(1, '31')).exec(ctx.acts.tablesCreate, table);
    expect((await mockEnv(wf(2, '31')).exec(ctx.acts.tablesCreate, table)).table_id).toBe(created.table_id);
    expect(await mockEnv(wf(1, '32')).exec(ctx.acts.tablesListSummaries, { catalog_name: 'main', table_name_pattern: 'ev%' })).toEqual([{ full_name: 'main.default.events', table_type: 'EXTERNAL' }]);
    const { metastore_id } = await mockEnv(wf(1, '33')).exec(ctx.acts.metastoresCurrent);
    expect(metastore_id).toBe(created.metastore_id);
    expect((await mockEnv(wf(1, '34')).exec(ctx.acts.metastoresList, {})).map((m) => m.metastore_id)).toEqual([metastore_id]);
  });
});

describe('waiters: one check per attempt', () => {
  it('poll delay grows with the time waited, never below the floor nor above the cap', () => {
    const fixed = () => 0;
    expect(nextPollDelayMs(0, 1000, 60_000, fixed)).toBe(1000);
    expect(nextPollDelayMs(100_000, 1000, 60_000, fixed)).toBe(10_000);
    expect(nextPollDelayMs(10 * 3600_000, 1000, 60_000, fixed)).toBe(60_000);
    for (let i = 0; i < 50; i++) expect(nextPollDelayMs(5000, 2000, 60_000)).toBeGreaterThanOrEqual(2000);
    expect(nextPollDelayMs(10 * 3600_000, 1000, 60_000, () => 0.99)).toBeLessThanOrEqual(60_000);
  });

  it('a PENDING cluster is StillWaiting (retryable, adaptive nextRetryDelay, last state in details); RUNNING completes', async () => {
    ctx.emu.clock.setSpeed(0);
    try {
      const { cluster_id } = await ctx.client.clusters.create({ spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 0 });
      const early = await rejection(mockEnv({ scheduledTimestampMs: Date.now() }).exec(ctx.acts.waitClusterRunning, { cluster_id }));
      expect(early).toBeInstanceOf(ApplicationFailure);
      expect(early).toMatchObject({ type: FailureType.StillWaiting, nonRetryable: false, category: 'BENIGN' });
      expect(early.details?.[0]).toMatchObject({ cluster_id, state: 'PENDING' });
      expect(delayOf(early)).toBeGreaterThanOrEqual(1000);
      expect(delayOf(early)).toBeLessThan(2000);
      // Ten minutes into the wait, the interval has grown to the cap.
      const late = await rejection(mockEnv({ scheduledTimestampMs: Date.now() - 600_000 }).exec(ctx.acts.waitClusterRunning, { cluster_id }));
      expect(delayOf(late)).toBe(60_000);

      // Close to the workflow's bound (scheduleToCloseTimeout), the waiter gives up itself, keeping the last state.
      const bounded = await rejection(mockEnv({ scheduledTimestampMs: Date.now() - 55_000, scheduleToCloseTimeoutMs: 60_000 }).exec(ctx.acts.waitClusterRunning, { cluster_id }));
      expect(bounded).toMatchObject({ type: FailureType.WaitTimedOut, nonRetryable: true });
      expect(bounded.details?.[0]).toMatchObject({ cluster_id, state: 'PENDING' });

      ctx.emu.clock.advance(3600_000);
      ctx.emu.tick();
      const done = await mockEnv().exec(ctx.acts.waitClusterRunning, { cluster_id });
      expect(done.state).toBe('RUNNING');
    } finally {
      ctx.emu.clock.setSpeed(Infinity);
    }
  });

  it('a cluster that ends in ERROR fails the RUNNING wait non-retryably with its reason', async () => {
    const { cluster_id } = await ctx.client.clusters.create({ spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 0, custom_tags: { 'emulator.outcome': 'ERROR' } });
    let err: Awaited<ReturnType<typeof rejection>> | undefined;
    for (let i = 0; i < 100; i++) {
      err = await rejection(mockEnv().exec(ctx.acts.waitClusterRunning, { cluster_id }));
      if (err && (err as { type?: string }).type !== FailureType.StillWaiting) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(err).toMatchObject({ type: FailureType.ClusterFailed, nonRetryable: true });
    expect(err?.message).toContain('CLOUD_PROVIDER_LAUNCH_FAILURE');
    expect(err?.details?.[0]).toMatchObject({ cluster_id, state: 'ERROR' });
  });

  it('a FAILED run fails the wait non-retryably with the reason and the run page URL; a successful one returns the run', async () => {
    const failing = await ctx.client.jobs.submit({ run_name: 'bad', tasks: [notebook({ 'emulator.outcome': 'FAILED', 'emulator.message': 'boom' })] });
    const ok = await ctx.client.jobs.submit({ run_name: 'good', tasks: [notebook()] });
    const settle = async (run_id: number) => {
      for (let i = 0; i < 200; i++) {
        const r = await mockEnv().exec(ctx.acts.waitRunTerminated, { run_id }).then(
          (run) => ({ run }),
          (e: { type?: string }) => ({ e }),
        );
        if (!('e' in r) || r.e.type !== FailureType.StillWaiting) return r;
        await new Promise((res) => setTimeout(res, 10));
      }
      throw new Error('run never finished');
    };
    const bad = await settle(failing.run_id);
    expect('e' in bad && bad.e).toMatchObject({ type: FailureType.RunFailed, nonRetryable: true });
    const e = (bad as { e: ApplicationFailure }).e;
    expect(e.message).toMatch(/FAILED/);
    expect(e.message).toContain('/run/');
    expect(e.details?.[0]).toMatchObject({ run_id: failing.run_id, result_state: 'FAILED' });
    const good = await settle(ok.run_id);
    expect('run' in good && good.run.state?.result_state).toBe('SUCCESS');
  });
});

describe('explicit idempotency keys', () => {
  it('a caller-chosen key is always looked up (adopting across workflow runs) and must be ≤64 safe characters', async () => {
    const spec = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 0, idempotency_key: 'nightly-2026-11-25' };
    const a = await mockEnv(wf(1, '1')).exec(ctx.acts.clustersCreate, spec);
    const b = await mockEnv({ ...wf(1, '1'), workflowExecution: { workflowId: 'other', runId: 'x' } }).exec(ctx.acts.clustersCreate, spec);
    expect(b).toEqual({ cluster_id: a.cluster_id, idempotency_key: 'nightly-2026-11-25', adopted: true });
    const details = await ctx.client.clusters.get({ cluster_id: a.cluster_id });
    expect(details.custom_tags).not.toHaveProperty('idempotency_key');
    const err = await rejection(mockEnv(wf(1)).exec(ctx.acts.clustersCreate, { ...spec, idempotency_key: 'x'.repeat(65) }));
    expect(err).toMatchObject({ type: FailureType.Validation, nonRetryable: true });
    expect(err.message).toContain("'idempotency_key'");
  });
});
