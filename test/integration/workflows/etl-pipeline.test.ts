import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure} from '@temporalio/common';
import { CancelledFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import type { etlPipeline } from '../../../src/workflows/etl-pipeline.js';
import { progressQuery, runEventSignal, type EtlPipelineInput, type PipelineFailureDetails, type PipelineProgress } from '../../../src/workflows/lib/pipeline-types.js';
import type { PipelineSpecInput } from '../../../src/workflows/lib/pipeline-spec.js';
import { eventually } from '../../support/processes.js';
import { workflowBundle } from '../../support/temporal.js';
import { useTimeSkippingEnv } from '../../support/time-skipping-env.js';
import { fakeWorkspace, type FakeScript } from './fake-workspace.js';

const EventType = temporal.api.enums.v1.EventType;
const ts = useTimeSkippingEnv();
let seq = 0;

const spec: PipelineSpecInput = {
  name: 'sales',
  cluster: { new_cluster: { spark_version: '15.4.x-scala2.12', num_workers: 1 } },
  job: {
    tasks: [
      { task_key: 'extract', notebook_task: { notebook_path: '/Shared/extract' } },
      { task_key: 'load', depends_on: [{ task_key: 'extract' }], sql_task: { warehouse_id: 'wh1', file: { path: '/Shared/load.sql' } } },
    ],
  },
  sql: { warehouse_id: 'wh1', statement: 'SELECT region, total FROM main.default.sales', max_rows: 2 },
};

/** Runs `body` with a worker serving a fresh fake workspace; returns the fake for assertions. */
type Start = (s?: PipelineSpecInput, input?: Omit<EtlPipelineInput, 'spec'>) => Promise<WorkflowHandle<typeof etlPipeline>>;
async function withWorker<T>(script: FakeScript, body: (start: Start, fake: ReturnType<typeof fakeWorkspace>) => Promise<T>) {
  const fake = fakeWorkspace({ tasks: ['extract', 'load'], ...script });
  const taskQueue = `etl-${++seq}`;
  const worker = await Worker.create({ connection: ts.env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: fake.activities });
  const start: Start = (s = spec, input = {}) => ts.env.client.workflow.start<typeof etlPipeline>('etlPipeline', { taskQueue, workflowId: `etl-test-${seq}-${s.name}`, args: [{ spec: s, ...input }] });
  const result = await worker.runUntil(body(start, fake));
  return { result, fake };
}

async function progressWhen(handle: WorkflowHandle, predicate: (p: PipelineProgress) => boolean): Promise<PipelineProgress> {
  let progress: PipelineProgress | undefined;
  if (!(await eventually(async () => predicate((progress = await handle.query(progressQuery))), 10_000))) throw new Error('progress never matched');
  return progress!;
}

async function failureOf(handle: WorkflowHandle): Promise<WorkflowFailedError> {
  const err = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return err as WorkflowFailedError;
}

describe('etlPipeline (time-skipping, fake activities)', () => {
  it('creates the cluster, runs the job, terminates the cluster and returns bounded SQL rows', async () => {
    const { result, fake } = await withWorker({ statementRows: 5 }, async (start) => {
      const handle = await start();
      const out = await handle.result();
      return { out, progress: await handle.query(progressQuery) };
    });
    const { out, progress } = result;
    expect(out.run.state).toBe('SUCCESS');
    expect(out.run.runPageUrl).toMatch(/#job\/1\/run\/1000$/);
    expect(out.run.tasks.map((t) => [t.taskKey, t.state])).toEqual([
      ['extract', 'SUCCESS'],
      ['load', 'SUCCESS'],
    ]);
    expect(out.cluster).toEqual({ id: '0101-000000-c0', created: true, cleanup: 'terminated cluster 0101-000000-c0' });
    expect(out.sql).toMatchObject({ columns: ['region', 'total'], rows: [['region-0', '0'], ['region-1', '10']], truncated: true });
    expect(fake.clusters.get('0101-000000-c0')).toBe('TERMINATED');
    // The notebook task runs on the pipeline's cluster; the SQL task on its warehouse.
    const submitted = fake.calls.find((c) => c.name === 'jobsSubmit')!.input as { tasks: Record<string, unknown>[]; run_name: string; idempotency_token: string };
    expect(submitted.tasks[0]).toMatchObject({ task_key: 'extract', existing_cluster_id: '0101-000000-c0' });
    expect(submitted.tasks[1]).not.toHaveProperty('existing_cluster_id');
    expect(submitted.run_name).toMatch(/\[durabricks:etl-test-\d+-sales\]$/);
    expect(submitted.idempotency_token.length).toBeLessThanOrEqual(64);
    expect(progress.phase).toBe('succeeded');
    expect(progress.steps.map((s) => [s.name, s.status])).toEqual([
      ['files', 'skipped'],
      ['cluster', 'done'],
      ['run', 'done'],
      ['wait', 'done'],
      ['cleanup', 'done'],
      ['sql', 'done'],
    ]);
    expect(progress.statesSeen.cluster).toEqual(['RUNNING', 'TERMINATING']);
    expect(progress.statesSeen.run?.at(-1)).toBe('TERMINATED');
    expect(progress.counts).toMatchObject({ tasksTotal: 2, tasksSucceeded: 2, tasksFailed: 0, rows: 2 });
  });

  it('a failed task: cleanup still runs and the failure names the task with its error output', async () => {
    const { result: err, fake } = await withWorker({ taskResults: { load: 'FAILED' } }, async (start) => failureOf(await start()));
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('PipelineTaskFailed');
    expect(cause.message).toBe('task "load" FAILED: AnalysisException: table not found (task run 10001)');
    const details = cause.details?.[0] as PipelineFailureDetails;
    expect(details.failedTasks).toEqual([{ taskKey: 'load', runId: 10001, state: 'FAILED', error: 'AnalysisException: table not found (task run 10001)', errorTrace: expect.stringContaining('Traceback') }]);
    expect(details.cleanedUp).toEqual([{ description: 'terminate cluster 0101-000000-c0', ok: true, detail: 'terminated cluster 0101-000000-c0' }]);
    expect(fake.clusters.get('0101-000000-c0')).toBe('TERMINATED');
    expect(fake.names()).not.toContain('statementsExecute');
  });

  const repairing = (repair: { attempts: number; delay?: string }): PipelineSpecInput => ({ ...spec, job: { ...spec.job, repair } });

  it('job.repair: a failed task is re-run in place after the delay and the pipeline succeeds, with the repair on record', async () => {
    const { result, fake } = await withWorker({ taskResults: { load: 'FAILED' }, succeedAfterRepairs: 1 }, async (start) => {
      const handle = await start(repairing({ attempts: 2, delay: '5m' }));
      return { out: await handle.result(), progress: await handle.query(progressQuery) };
    });
    expect(result.out.run).toMatchObject({ runId: 1000, state: 'SUCCESS', repairs: [{ repairId: 100001, tasks: ['load'] }] });
    expect(fake.calls.filter((c) => c.name === 'jobsRepairRun').map((c) => c.input)).toEqual([{ run_id: 1000, rerun_all_failed_tasks: true }]);
    expect(result.progress.counts.repairs).toBe(1);
    expect(result.progress.resources.find((r) => r.kind === 'run')).toMatchObject({ status: 'kept', note: 'finished SUCCESS' });
    expect(fake.clusters.get('0101-000000-c0')).toBe('TERMINATED');
    expect(fake.names()).toContain('statementsExecute');
  });

  it('job.repair: when every repair fails too, the pipeline fails naming the task and the repairs, each repair after the latest', async () => {
    const { result: err, fake } = await withWorker({ taskResults: { load: 'FAILED' } }, async (start) => failureOf(await start(repairing({ attempts: 2 }))));
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('PipelineTaskFailed');
    expect(cause.message).toBe('task "load" FAILED: AnalysisException: table not found (task run 10001) after 2 repairs');
    expect(fake.calls.filter((c) => c.name === 'jobsRepairRun').map((c) => c.input)).toEqual([
      { run_id: 1000, rerun_all_failed_tasks: true },
      { run_id: 1000, rerun_all_failed_tasks: true, latest_repair_id: 100001 },
    ]);
    expect(fake.clusters.get('0101-000000-c0')).toBe('TERMINATED');
  });

  it('job.repair: cancelling while a repaired run is running cancels it and terminates the cluster', async () => {
    const { result, fake } = await withWorker({ taskResults: { load: 'FAILED' }, succeedAfterRepairs: 1, repairedRunPolls: Infinity }, async (start) => {
      const handle = await start(repairing({ attempts: 1 }));
      await progressWhen(handle, (p) => p.counts.repairs === 1);
      await handle.cancel();
      return { err: await failureOf(handle), progress: await handle.query(progressQuery) };
    });
    expect(result.err.cause).toBeInstanceOf(CancelledFailure);
    expect(fake.runs.get(1000)?.cancelled).toBe(true);
    expect(result.progress.resources.map((r) => [r.kind, r.status, r.note])).toEqual([
      ['cluster', 'cleaned', 'terminated cluster 0101-000000-c0'],
      ['run', 'cleaned', 'cancelled run 1000'],
    ]);
  });

  it('a cluster that fails to start: ClusterStartFailed, the cluster is terminated and no run starts', async () => {
    const { result: err, fake } = await withWorker({ clusterFails: true }, async (start) => failureOf(await start()));
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('ClusterStartFailed');
    expect(cause.message).toMatch(/cluster 0101-000000-c0 did not start: .*CLOUD_PROVIDER_LAUNCH_FAILURE/);
    expect(fake.names()).toContain('clustersDelete');
    expect(fake.names()).not.toContain('jobsSubmit');
  });

  it('an existing terminated cluster is started and kept; a job_id runs with run-now', async () => {
    const existing: PipelineSpecInput = { name: 'nightly', cluster: { existing_cluster_id: 'c-old' }, job: { job_id: 7, parameters: { day: '2026-11-24' } } };
    const { result, fake } = await withWorker({ existing: { 'c-old': 'TERMINATED' }, tasks: ['main'] }, async (start) => (await start(existing)).result());
    expect(result.cluster).toEqual({ id: 'c-old', created: false, cleanup: 'kept (cleanup: keep)' });
    expect(fake.names()).toEqual(expect.arrayContaining(['clustersGet', 'clustersStart', 'waitClusterRunning', 'jobsRunNow']));
    expect(fake.names()).not.toContain('clustersDelete');
    expect(fake.calls.find((c) => c.name === 'jobsRunNow')!.input).toMatchObject({ job_id: 7, job_parameters: { day: '2026-11-24' } });
  });

  it('job clusters only: no pipeline cluster to create or clean up; job clusters carry the ownership tag', async () => {
    const jobClusters: PipelineSpecInput = {
      name: 'jc',
      job: {
        job_clusters: [{ job_cluster_key: 'shared', new_cluster: { spark_version: '15.4.x-scala2.12', num_workers: 2 } }],
        tasks: [{ task_key: 'main', job_cluster_key: 'shared', spark_python_task: { python_file: '/Shared/main.py' } }],
      },
    };
    const { result, fake } = await withWorker({ tasks: ['main'] }, async (start) => (await start(jobClusters)).result());
    expect(result.cluster).toBeUndefined();
    expect(result.steps.find((s) => s.name === 'cluster')).toMatchObject({ status: 'skipped' });
    expect(fake.names()).not.toContain('clustersCreate');
    expect(fake.names()).not.toContain('clustersDelete');
    const submitted = fake.calls.find((c) => c.name === 'jobsSubmit')!.input as { job_clusters: { new_cluster: { custom_tags: Record<string, string> } }[]; tasks: Record<string, unknown>[] };
    expect(submitted.job_clusters[0]!.new_cluster.custom_tags).toEqual({ 'durabricks-workflow-id': expect.stringMatching(/^etl-test-\d+-jc$/), 'durabricks-ephemeral': 'true' });
    expect(submitted.tasks[0]).not.toHaveProperty('existing_cluster_id');
  });

  it('cancellation while waiting for the run cancels the run and terminates the cluster, and ends cancelled', async () => {
    const { result, fake } = await withWorker({ runPolls: Infinity }, async (start) => {
      const handle = await start();
      await progressWhen(handle, (p) => p.currentStep === 'wait');
      await handle.cancel();
      const err = await failureOf(handle);
      return { err, progress: await handle.query(progressQuery) };
    });
    expect(result.err.cause).toBeInstanceOf(CancelledFailure);
    expect(fake.runs.get(1000)?.cancelled).toBe(true);
    expect(fake.clusters.get('0101-000000-c0')).toBe('TERMINATED');
    expect(result.progress.phase).toBe('cancelled');
    // No error: the phase says it; the interrupted activity's "Activity cancelled" is not the pipeline's error.
    expect(result.progress.error).toBeUndefined();
    expect(result.progress.steps.find((s) => s.name === 'wait')?.status).toBe('cancelled');
    // What was cleaned up stays queryable after the workflow ended.
    expect(result.progress.resources.map((r) => [r.kind, r.status, r.note])).toEqual([
      ['cluster', 'cleaned', 'terminated cluster 0101-000000-c0'],
      ['run', 'cleaned', 'cancelled run 1000'],
    ]);
  });

  it('cancellation while the cluster create is in flight lets the create finish, then terminates the cluster', async () => {
    let release!: () => void;
    const createGate = new Promise<void>((r) => (release = r));
    const { fake } = await withWorker({ createGate }, async (start, fake) => {
      try {
        const handle = await start();
        expect(await eventually(() => fake.names().includes('clustersCreate'), 10_000)).toBe(true);
        await handle.cancel();
        // The workflow has seen the cancellation (a workflow task completed after it) before the create answers.
        const sawCancel = await eventually(async () => {
          const types = (await handle.fetchHistory()).events!.map((e) => e.eventType);
          const requested = types.indexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
          return requested >= 0 && types.slice(requested).includes(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
        }, 10_000);
        expect(sawCancel).toBe(true);
        release();
        expect((await failureOf(handle)).cause).toBeInstanceOf(CancelledFailure);
      } finally {
        release(); // the worker cannot shut down while the create is held
      }
    });
    // Had the create been cancelled with the workflow, its cluster would be unknown to the workflow and left running.
    expect([...fake.clusters]).toEqual([['0101-000000-c0', 'TERMINATED']]);
    expect(fake.names()).not.toContain('jobsSubmit');
  });

  it('cancellation while waiting for the cluster terminates it and never starts a run', async () => {
    const { fake } = await withWorker({ clusterPolls: Infinity }, async (start) => {
      const handle = await start();
      await progressWhen(handle, (p) => p.currentStep === 'cluster' && p.clusterId !== undefined);
      await handle.cancel();
      expect((await failureOf(handle)).cause).toBeInstanceOf(CancelledFailure);
    });
    expect(fake.clusters.get('0101-000000-c0')).toBe('TERMINATED');
    expect(fake.names()).not.toContain('jobsSubmit');
  });

  it('cancellation during the follow-up SQL (warehouse starting) ends cancelled with the cluster already terminated', async () => {
    const { result: progress, fake } = await withWorker({ warehouseState: 'STOPPED', warehouseBlocks: true }, async (start) => {
      const handle = await start();
      await progressWhen(handle, (p) => p.currentStep === 'sql' && p.steps.find((s) => s.name === 'cleanup')?.status === 'done');
      await handle.cancel();
      expect((await failureOf(handle)).cause).toBeInstanceOf(CancelledFailure);
      return handle.query(progressQuery);
    });
    expect(progress.phase).toBe('cancelled');
    expect(progress.steps.map((s) => s.status)).toEqual(['skipped', 'done', 'done', 'done', 'done', 'cancelled']);
    expect(fake.clusters.get('0101-000000-c0')).toBe('TERMINATED');
    expect(fake.names()).not.toContain('statementsExecute');
    expect(fake.names()).not.toContain('jobsCancelRun'); // the run had finished: nothing to cancel
  });

  it('a runEvent signal (webhook) ends the run wait at once; polling stays the fallback', async () => {
    const { result, fake } = await withWorker({ runPolls: Infinity, pollDelayMs: 3_600_000 }, async (start, fake) => {
      const handle = await start();
      const p = await progressWhen(handle, (x) => x.currentStep === 'wait');
      fake.finishRun(p.runId!);
      await handle.signal(runEventSignal, { event: 'run.succeeded', run_id: 999 }); // another run: ignored
      await handle.signal(runEventSignal, { event: 'run.succeeded', run_id: p.runId!, life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' });
      return handle.result();
    });
    expect(result.run.state).toBe('SUCCESS');
    expect(fake.names().filter((n) => n === 'waitRunTerminated')).toHaveLength(1);
  });

  const confirmReads = (fake: ReturnType<typeof fakeWorkspace>) => fake.calls.filter((c) => c.name === 'jobsGetRun' && ((c.input as { fields?: string[] }).fields ?? []).includes('tasks.task_key'));
  const waiters = (fake: ReturnType<typeof fakeWorkspace>) => fake.calls.filter((c) => c.name === 'waitRunTerminated');
  async function until(what: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(what()).toBe(true);
  }
  const ended = (run_id: number) => ({ event: 'run.succeeded', run_id, life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' });

  it('a runEvent signal ahead of the API: the run is read once, still running, and waited for again; a later signal ends that wait', async () => {
    const { result, fake } = await withWorker({ runPolls: Infinity, pollDelayMs: 3_600_000 }, async (start, fake) => {
      const handle = await start();
      const p = await progressWhen(handle, (x) => x.currentStep === 'wait');
      // The signal says TERMINATED, but runs/get still answers RUNNING (the run is not finished).
      await handle.signal(runEventSignal, ended(p.runId!));
      await until(() => waiters(fake).length === 2);
      expect(confirmReads(fake)).toHaveLength(1);
      expect((await handle.query(progressQuery)).currentStep).toBe('wait');
      fake.finishRun(p.runId!);
      await handle.signal(runEventSignal, ended(p.runId!));
      return handle.result();
    });
    expect(result.run.state).toBe('SUCCESS');
    // Both waits were ended by signals (each followed by a read); no waiter saw the end by polling.
    expect(waiters(fake)).toHaveLength(2);
    expect(confirmReads(fake)).toHaveLength(2);
    expect(fake.names()).not.toContain('jobsCancelRun');
  });

  it('an end event that arrives while the run is being read is not dropped with the contradicted one before it', async () => {
    let hold: Promise<void> | undefined;
    let release!: () => void;
    const { result, fake } = await withWorker({ runPolls: Infinity, pollDelayMs: 3_600_000, readGate: () => hold }, async (start, fake) => {
      const handle = await start();
      const p = await progressWhen(handle, (x) => x.currentStep === 'wait');
      hold = new Promise<void>((r) => (release = r));
      await handle.signal(runEventSignal, ended(p.runId!)); // ahead of the API: the read will say RUNNING
      await until(() => confirmReads(fake).length === 1);
      fake.finishRun(p.runId!);
      await handle.signal(runEventSignal, ended(p.runId!)); // the real end, while that read is in flight
      await progressWhen(handle, (x) => x.counts.signals === 2);
      hold = undefined;
      release();
      return handle.result();
    });
    expect(result.run.state).toBe('SUCCESS');
    // The newer event ended the wait at once: the run read again, no second waiter.
    expect(waiters(fake)).toHaveLength(1);
    expect(confirmReads(fake)).toHaveLength(2);
  });

  it('runEvent signals the API keeps contradicting: after 5 the run wait only polls', async () => {
    const { result, fake } = await withWorker({ runPolls: Infinity, pollDelayMs: 3_600_000 }, async (start, fake) => {
      const handle = await start();
      const p = await progressWhen(handle, (x) => x.currentStep === 'wait');
      for (let n = 1; n <= 5; n++) {
        await handle.signal(runEventSignal, ended(p.runId!));
        await until(() => waiters(fake).length === n + 1);
      }
      await handle.signal(runEventSignal, ended(p.runId!));
      await progressWhen(handle, (x) => x.counts.signals === 6);
      // The sixth signal found a wait that no longer listens: no read, and the sixth waiter goes on.
      expect(confirmReads(fake)).toHaveLength(5);
      expect(waiters(fake)).toHaveLength(6);
      fake.finishRun(p.runId!);
      return handle.result();
    });
    expect(result.run.state).toBe('SUCCESS');
    // The sixth waiter's next poll saw the end; nothing read the run after it.
    expect(waiters(fake)).toHaveLength(7);
    expect(confirmReads(fake)).toHaveLength(5);
  });

  it('job.repair: an end event that arrives while the repair call is in flight ends the repaired run\'s wait', async () => {
    let release!: () => void;
    const repairGate = new Promise<void>((r) => (release = r));
    const { result, fake } = await withWorker({ taskResults: { load: 'FAILED' }, succeedAfterRepairs: 1, repairedRunPolls: Infinity, pollDelayMs: 3_600_000, repairGate }, async (start, fake) => {
      const handle = await start(repairing({ attempts: 1 }));
      // The repaired run ends (a quick failure would do the same) before the repair call has answered.
      await until(() => fake.names().includes('jobsRepairRun'));
      fake.finishRun(1000);
      await handle.signal(runEventSignal, ended(1000));
      release();
      return handle.result();
    });
    expect(result.run).toMatchObject({ state: 'SUCCESS', repairs: [{ repairId: 100001, tasks: ['load'] }] });
    // The original run's failure came from its waiter; the repaired run's end from the event, read once.
    expect(waiters(fake)).toHaveLength(1);
    expect(confirmReads(fake).length).toBeGreaterThanOrEqual(2);
  });

  it('job.repair: a stale failure event arriving during the repair call does not end the repaired run\'s wait', async () => {
    let release!: () => void;
    const repairGate = new Promise<void>((r) => (release = r));
    const { result, fake } = await withWorker({ taskResults: { load: 'FAILED' }, succeedAfterRepairs: 1, repairedRunPolls: Infinity, pollDelayMs: 3_600_000, repairGate }, async (start, fake) => {
      const handle = await start(repairing({ attempts: 1 }));
      await until(() => fake.names().includes('jobsRepairRun'));
      // A late duplicate of the original run's failure (webhooks are delivered at least once).
      await handle.signal(runEventSignal, { event: 'run.failed', run_id: 1000, life_cycle_state: 'TERMINATED', result_state: 'FAILED' });
      release();
      // The repaired run is PENDING: the event is contradicted and the run waited for again.
      await until(() => waiters(fake).length === 2);
      fake.finishRun(1000);
      await handle.signal(runEventSignal, ended(1000));
      return handle.result();
    });
    expect(result.run).toMatchObject({ state: 'SUCCESS', repairs: [{ repairId: 100001, tasks: ['load'] }] });
    // Reads: the original run's failure, the stale event (contradicted: PENDING), the repaired run's end.
    expect(waiters(fake)).toHaveLength(2);
    expect(confirmReads(fake)).toHaveLength(3);
  });

  it('expected durations reach the waiters as hints; run_events: webhook makes the run poll a slow safety net', async () => {
    const hooks = { on_success: [{ id: 'durabricks' }], on_failure: [{ id: 'durabricks' }] };
    const hinted: PipelineSpecInput = { ...spec, name: 'hinted', job: { ...spec.job, webhook_notifications: hooks, run_events: 'webhook' }, expected: { cluster_start: '5m', run: '10m', sql: '20s' } };
    const { fake } = await withWorker({ clusterPolls: 1, warehouseState: 'STOPPED' }, async (start) => (await start(hinted)).result());
    const inputOf = (name: string) => fake.calls.find((c) => c.name === name)?.input;
    expect(inputOf('waitClusterRunning')).toEqual({ cluster_id: expect.any(String), expectedSeconds: 300, fields: ['cluster_id', 'state', 'state_message'] });
    expect(inputOf('waitRunTerminated')).toEqual({ run_id: expect.any(Number), expectedSeconds: 600, minPollSeconds: 300, maxPollSeconds: 900, fields: expect.arrayContaining(['run_id', 'state', 'tasks.task_key']) });
    expect(inputOf('waitWarehouseRunning')).toEqual({ id: 'wh1', expectedSeconds: 20, fields: ['id', 'state'] });
    expect(inputOf('jobsSubmit')).toMatchObject({ webhook_notifications: hooks });
    // Without hints the inputs are what they always were.
    const { fake: plain } = await withWorker({}, async (start) => (await start()).result());
    expect(plain.calls.find((c) => c.name === 'waitRunTerminated')?.input).toEqual({ run_id: expect.any(Number), fields: expect.any(Array) });
    expect(plain.calls.find((c) => c.name === 'jobsSubmit')?.input).not.toHaveProperty('webhook_notifications');
  });

  it('the follow-up statement failing fails the pipeline with PipelineSqlFailed after the cluster is cleaned up', async () => {
    const { result: err, fake } = await withWorker({ statementFails: true }, async (start) => failureOf(await start()));
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('PipelineSqlFailed');
    expect(cause.message).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    expect(fake.clusters.get('0101-000000-c0')).toBe('TERMINATED');
  });

  it('sql.check: a first row that is not all true fails the pipeline with PipelineCheckFailed, after the cleanup', async () => {
    const checked: PipelineSpecInput = { ...spec, sql: { ...spec.sql!, check: true } };
    const { result: err, fake } = await withWorker({ statementRows: 2 }, async (start) => failureOf(await start(checked)));
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('PipelineCheckFailed');
    expect(cause.message).toBe('data check failed: total is not true (first row: region=region-0, total=0)');
    expect(cause.details?.[0]).toMatchObject({ columns: ['region', 'total'], row: ['region-0', '0'], step: 'sql' });
    expect(fake.clusters.get('0101-000000-c0')).toBe('TERMINATED');
  });

  it('a stopped warehouse is started before the statement', async () => {
    const { fake } = await withWorker({ warehouseState: 'STOPPED' }, async (start) => (await start()).result());
    const names = fake.names();
    expect(names.indexOf('warehousesStart')).toBeGreaterThan(names.indexOf('warehousesGet'));
    expect(names.indexOf('waitWarehouseRunning')).toBeLessThan(names.indexOf('statementsExecute'));
  });

  const dated: PipelineSpecInput = {
    name: 'dated',
    job: { job_id: 7, parameters: { day: '{{durabricks.logical_date}}', at: '{{ durabricks.logical_time }}', when: '{{job.start_time.iso_date}}' } },
    sql: { warehouse_id: 'wh1', statement: 'SELECT * FROM sales WHERE day = :day', parameters: { day: '{{durabricks.logical_date}}' } },
  };

  it('a given logical time fills the durabricks references of the job and sql, leaves Databricks\' own alone, and is reported', async () => {
    const { result, fake } = await withWorker({ tasks: ['main'] }, async (start) => {
      const handle = await start(dated, { logicalTime: '2026-11-20T03:00:00+01:00' });
      return { out: await handle.result(), progress: await handle.query(progressQuery) };
    });
    expect(fake.calls.find((c) => c.name === 'jobsRunNow')!.input).toMatchObject({ job_parameters: { day: '2026-11-20', at: '2026-11-20T02:00:00Z', when: '{{job.start_time.iso_date}}' } });
    expect(fake.calls.find((c) => c.name === 'statementsExecute')!.input).toMatchObject({ statement: 'SELECT * FROM sales WHERE day = :day', parameters: [{ name: 'day', value: '2026-11-20' }] });
    expect(result.out.logicalTime).toEqual({ time: '2026-11-20T02:00:00.000Z', source: 'given' });
    expect(result.progress.logicalTime).toEqual(result.out.logicalTime);
  });

  it('without one, the logical time is the workflow start time (in history, so replays agree)', async () => {
    const { result, fake } = await withWorker({ tasks: ['main'] }, async (start) => {
      const handle = await start(dated);
      const out = await handle.result();
      const started = (await handle.describe()).startTime;
      return { out, started };
    });
    expect(result.out.logicalTime).toEqual({ time: result.started.toISOString(), source: 'start' });
    expect(fake.calls.find((c) => c.name === 'jobsRunNow')!.input).toMatchObject({ job_parameters: { day: result.started.toISOString().slice(0, 10) } });
  });

  it('a logical time that is not a date fails at once as an invalid input, with no activity call', async () => {
    const { result: err, fake } = await withWorker({ tasks: ['main'] }, async (start) => failureOf(await start(dated, { logicalTime: '2026-02-30' })));
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidPipelineSpec');
    expect(cause.message).toMatch(/^invalid pipeline input: logicalTime: must be an ISO-8601 date .*got "2026-02-30"$/);
    expect(fake.calls).toEqual([]);
  });

  it('an invalid spec fails at once with every problem and no activity call', async () => {
    const { result: err, fake } = await withWorker({}, async (start) => failureOf(await start({ name: 'bad', job: {}, timeouts: { run: -1 } } as PipelineSpecInput)));
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidPipelineSpec');
    expect(cause.details?.[0]).toEqual({ problems: [expect.stringMatching(/^job: missing job/), expect.stringMatching(/^timeouts\.run: must be a positive duration/)] });
    expect(fake.calls).toEqual([]);
  });
});
