/**
 * Records the replay fixtures: runs each workflow's scenarios (success, failure, cancellation) on
 * the time-skipping test server with the scripted fakes, and writes their histories next to this
 * file. Re-record after an intended, versioned change to a workflow:
 *   TEMPORAL_TEST_SERVER_PATH=.durabricks/bin/temporal-test-server npx tsx test/replay/record-histories.ts
 * RECORD=name,name records only those scenarios and leaves the other files as they are (histories of
 * an older version of a workflow stay, to show that the current code still replays them).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTemporalActivities } from '../../src/client/temporal-activities.js';
import { progressQuery } from '../../src/workflows/lib/pipeline-types.js';
import { fakeProvisioning, provisionSpec } from '../integration/workflows/fake-provisioning.js';
import { fakeWorkspace } from '../integration/workflows/fake-workspace.js';
import { quietRuntime, workflowBundle } from '../support/temporal.js';
import { writeHistory } from './history-files.js';

const etlSpec = {
  name: 'replay-sales',
  cluster: { new_cluster: { spark_version: '15.4.x-scala2.12', num_workers: 1 } },
  job: {
    tasks: [
      { task_key: 'extract', notebook_task: { notebook_path: '/Shared/extract' } },
      { task_key: 'load', depends_on: [{ task_key: 'extract' }], sql_task: { warehouse_id: 'wh1', file: { path: '/Shared/load.sql' } } },
    ],
  },
  sql: { warehouse_id: 'wh1', statement: 'SELECT region, total FROM main.default.sales', max_rows: 10 },
};

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
}

async function main(): Promise<void> {
  quietRuntime();
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  const env = await TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
  const bundle = await workflowBundle();
  let n = 0;
  const only = process.env.RECORD?.split(',').filter(Boolean);
  const scenario = async (name: string, activities: object, run: (taskQueue: string) => Promise<{ workflowId: string }>) => {
    if (only && !only.includes(name)) return;
    const taskQueue = `record-${++n}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
    const { workflowId } = await worker.runUntil(run(taskQueue));
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    console.log(`${writeHistory(name, history)}: ${history.events?.length} events`);
  };
  const settle = (p: Promise<unknown>) => p.then(() => undefined, () => undefined);

  try {
    const ok = fakeWorkspace({ tasks: ['extract', 'load'], clusterPolls: 2, runPolls: 3 });
    await scenario('etl-pipeline-success', ok.activities, async (taskQueue) => {
      const h = await env.client.workflow.start('etlPipeline', { taskQueue, workflowId: 'replay-etl-success', args: [{ spec: etlSpec }] });
      await h.result();
      return h;
    });
    // A run for a given day: the logical date reaches the job's and the statement's parameters.
    const dated = fakeWorkspace({ tasks: ['main'] });
    await scenario('etl-pipeline-logical-date', dated.activities, async (taskQueue) => {
      const spec = { name: 'replay-dated', job: { job_id: 7, parameters: { day: '{{durabricks.logical_date}}' } }, sql: { warehouse_id: 'wh1', statement: 'SELECT :day', parameters: { day: '{{durabricks.logical_date}}' } } };
      const h = await env.client.workflow.start('etlPipeline', { taskQueue, workflowId: 'replay-etl-dated', args: [{ spec, logicalTime: '2026-11-20T00:00:00.000Z' }] });
      await h.result();
      return h;
    });
    // A backfill of three days, two at a time, one failing: child pipelines, their outcomes, the final failure.
    const days = fakeWorkspace({ tasks: ['main'], failRunIf: (r) => (r.job_parameters as Record<string, string> | undefined)?.day === '2026-11-02' });
    await scenario('backfill-pipeline', days.activities, async (taskQueue) => {
      const spec = { name: 'replay-days', job: { job_id: 7, parameters: { day: '{{durabricks.logical_date}}' } } };
      const h = await env.client.workflow.start('backfillPipeline', { taskQueue, workflowId: 'replay-backfill', args: [{ spec, from: '2026-11-01', to: '2026-11-04', concurrency: 2 }] });
      await settle(h.result());
      return h;
    });
    const failing = fakeWorkspace({ tasks: ['extract', 'load'], taskResults: { load: 'FAILED' } });
    await scenario('etl-pipeline-task-failed', failing.activities, async (taskQueue) => {
      const h = await env.client.workflow.start('etlPipeline', { taskQueue, workflowId: 'replay-etl-failed', args: [{ spec: etlSpec }] });
      await settle(h.result());
      return h;
    });
    const blocked = fakeWorkspace({ tasks: ['extract', 'load'], runPolls: Infinity, pollDelayMs: 60_000 });
    await scenario('etl-pipeline-cancelled', blocked.activities, async (taskQueue) => {
      const h = await env.client.workflow.start('etlPipeline', { taskQueue, workflowId: 'replay-etl-cancelled', args: [{ spec: etlSpec }] });
      await until(async () => (await h.query(progressQuery)).currentStep === 'wait');
      await h.cancel();
      await settle(h.result());
      return h;
    });
    const signalled = fakeWorkspace({ tasks: ['extract', 'load'], runPolls: Infinity, pollDelayMs: 3_600_000 });
    await scenario('etl-pipeline-webhook-signal', signalled.activities, async (taskQueue) => {
      const h = await env.client.workflow.start('etlPipeline', { taskQueue, workflowId: 'replay-etl-signal', args: [{ spec: etlSpec }] });
      await until(async () => (await h.query(progressQuery)).currentStep === 'wait');
      const runId = (await h.query(progressQuery)).runId!;
      signalled.finishRun(runId);
      await h.signal('runEvent', { event: 'run.succeeded', run_id: runId, life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' });
      await h.result();
      return h;
    });
    // Webhook events the API contradicts, and one that arrives during a repair: the run is read and
    // waited for again; the repaired run's end, signalled while runs/repair was answering, is kept.
    let releaseRepair!: () => void;
    const repairGate = new Promise<void>((r) => (releaseRepair = r));
    const repaired = fakeWorkspace({ tasks: ['extract', 'load'], taskResults: { load: 'FAILED' }, succeedAfterRepairs: 1, runPolls: Infinity, repairedRunPolls: Infinity, pollDelayMs: 3_600_000, repairGate });
    await scenario('etl-pipeline-repair-signals', repaired.activities, async (taskQueue) => {
      const h = await env.client.workflow.start('etlPipeline', { taskQueue, workflowId: 'replay-etl-repair-signals', args: [{ spec: { ...etlSpec, job: { ...etlSpec.job, repair: { attempts: 1 } } } }] });
      await until(async () => (await h.query(progressQuery)).currentStep === 'wait');
      const runId = (await h.query(progressQuery)).runId!;
      const event = (result_state: string) => ({ event: result_state === 'SUCCESS' ? 'run.succeeded' : 'run.failed', run_id: runId, life_cycle_state: 'TERMINATED', result_state });
      await h.signal('runEvent', event('SUCCESS')); // ahead of the API: the run is still running
      await until(async () => repaired.calls.filter((c) => c.name === 'waitRunTerminated').length >= 2);
      repaired.finishRun(runId);
      await h.signal('runEvent', event('FAILED'));
      await until(async () => repaired.names().includes('jobsRepairRun'));
      repaired.finishRun(runId);
      await h.signal('runEvent', event('SUCCESS'));
      await until(async () => (await h.query(progressQuery)).counts.signals === 3);
      releaseRepair();
      await h.result();
      return h;
    });

    /** One provisionWorkspace run to its end; a scenario that `fails` must fail, any other must succeed. */
    const saga = (name: string, workflowId: string, fake: ReturnType<typeof fakeProvisioning>, spec: object = provisionSpec, ends: 'succeeds' | 'fails' = 'succeeds') =>
      scenario(name, fake.activities, async (taskQueue) => {
        const h = await env.client.workflow.start('provisionWorkspace', { taskQueue, workflowId, args: [{ spec }] });
        if (ends === 'succeeds') await h.result();
        else if (await h.result().then(() => true, () => false)) throw new Error(`${name}: expected the saga to fail`);
        return h;
      });
    await saga('provision-workspace-success', 'replay-provision-success', fakeProvisioning());
    await saga('provision-workspace-failed', 'replay-provision-failed', fakeProvisioning({ failAt: 'warehousesCreate' }), provisionSpec, 'fails');
    // Recorded on 26 Nov 2026 with the cluster policy and volume steps; the other provision-workspace-* files predate them.
    await saga('provision-workspace-policy-volume-success', 'replay-provision-policy-volume', fakeProvisioning());
    await saga('provision-workspace-volume-failed', 'replay-provision-volume-failed', fakeProvisioning({ failAt: 'volumesCreate' }), provisionSpec, 'fails');
    // Recorded on 26 Nov 2026 with the access step (grants to one group; revoked on an adopted catalog when a later grant fails).
    const accessSpec = { ...provisionSpec, access: { group: 'team-a-users', cluster: 'CAN_RESTART', warehouse: 'CAN_USE', catalog: ['USE_CATALOG'], schema: ['USE_SCHEMA', 'SELECT'] } };
    await saga('provision-workspace-access-success', 'replay-provision-access', fakeProvisioning(), accessSpec);
    const failingGrant = fakeProvisioning({ existing: ['catalog:team_a'], failWhen: (name, input) => name === 'grantsUpdate' && input.securable_type === 'schema' });
    await saga('provision-workspace-access-revoked', 'replay-provision-access-revoked', failingGrant, accessSpec, 'fails');
    await saga('provision-workspace-group-access', 'replay-provision-group-access', fakeProvisioning(), { ...accessSpec, group: { name: 'team-a-users', members: ['ann@example.com'] } });
    // Recorded on 27 Nov 2026 with the Git credential and repo steps (folder made, repo checked out; undone when the job fails).
    await saga('provision-workspace-repo-success', 'replay-provision-repo', fakeProvisioning(), { ...provisionSpec, access: { group: 'team-a-users', repo: 'CAN_RUN' } });
    await saga('provision-workspace-repo-failed', 'replay-provision-repo-failed', fakeProvisioning({ failAt: 'jobsCreate' }), provisionSpec, 'fails');
    // Recorded on 27 Nov 2026 with the storage credential and external location steps (the catalog's managed storage there; undone when the catalog fails).
    await saga('provision-workspace-storage-success', 'replay-provision-storage', fakeProvisioning(), { ...provisionSpec, access: { group: 'team-a-users', externalLocation: ['READ_FILES'] } });
    await saga('provision-workspace-storage-failed', 'replay-provision-storage-failed', fakeProvisioning({ failAt: 'catalogsCreate' }), provisionSpec, 'fails');
    // Recorded on 27 Nov 2026: deprovisioning what a saga made (the adopted catalog kept, the grant on it revoked).
    const deprovisioned = fakeProvisioning({ existing: ['catalog:team_a'] });
    await scenario('deprovision-workspace', deprovisioned.activities, async (taskQueue) => {
      const provisioned = await env.client.workflow.execute('provisionWorkspace', { taskQueue, workflowId: 'replay-deprovision-source', args: [{ spec: accessSpec }] });
      const h = await env.client.workflow.start('deprovisionWorkspace', { taskQueue, workflowId: 'replay-deprovision', args: [{ spec: accessSpec, provisioned, provisionWorkflowId: 'replay-deprovision-source' }] });
      await h.result();
      return h;
    });
    const blockedSaga = fakeProvisioning({ blockAt: 'waitClusterRunning' });
    await scenario('provision-workspace-cancelled', blockedSaga.activities, async (taskQueue) => {
      const h = await env.client.workflow.start('provisionWorkspace', { taskQueue, workflowId: 'replay-provision-cancelled', args: [{ spec: provisionSpec }] });
      await until(async () => blockedSaga.names().includes('waitClusterRunning'));
      await h.cancel();
      await settle(h.result());
      return h;
    });

    const closedOwner = await env.client.workflow.start('etlPipeline', { taskQueue: 'record-owners', workflowId: 'replay-closed-owner', args: [{ spec: { name: 'x' } }] });
    const sweeperActivities = {
      ...createTemporalActivities({ client: env.client }),
      clustersListPage: async () => ({ clusters: [{ cluster_id: 'leaked', state: 'RUNNING', custom_tags: { 'durabricks-workflow-id': closedOwner.workflowId, 'durabricks-ephemeral': 'true' } }] }),
      jobsListRunsPage: async () => ({ runs: [{ run_id: 5, run_name: `x [durabricks:${closedOwner.workflowId}]` }] }),
      clustersDelete: async () => ({}),
      jobsCancelRun: async () => ({}),
    };
    await scenario('sweep-leaks', sweeperActivities, async (taskQueue) => {
      const owner = await Worker.create({ connection: env.nativeConnection, taskQueue: 'record-owners', workflowBundle: bundle, activities: {} });
      await owner.runUntil(settle(closedOwner.result()));
      const h = await env.client.workflow.start('sweepLeaks', { taskQueue, workflowId: 'replay-sweep', args: [{}] });
      await h.result();
      return h;
    });
  } finally {
    await env.teardown();
  }
}

await main();
