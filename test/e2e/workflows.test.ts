import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities/index.js';
import { createTemporalActivities } from '../../src/client/temporal-activities.js';
import type { etlPipeline } from '../../src/workflows/etl-pipeline.js';
import type { sweepLeaks } from '../../src/workflows/sweeper.js';
import { workflowBundle } from '../support/temporal.js';
import proto from '@temporalio/proto';
import type { ApplicationFailure } from '@temporalio/common';
import { CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPipelineProgress, listRecentPipelines, startPipeline } from '../../src/client/pipelines.js';
import { ConflictingStartError } from '../../src/client/attach.js';
import { InvalidPipelineSpecError } from '../../src/workflows/lib/pipeline-spec.js';
import { backfillPipelineSchedule, createPipelineSchedule, createSweeperSchedule, deletePipelineSchedule, listPipelineSchedules, listSweeperSchedules, pausePipelineSchedule, triggerPipelineSchedule } from '../../src/client/schedules.js';
import { startWebhookReceiver } from '../../src/client/webhook-receiver.js';
import { createLogger } from '../../src/common/logger.js';
import { DatabricksClient } from '../../src/databricks/index.js';
import { freePort } from '../../src/dev/ports.js';
import { startStack, type RunningStack } from '../../src/dev/stack.js';
import type { PipelineFailureDetails } from '../../src/workflows/lib/pipeline-types.js';
import type { ProvisionFailureDetails, provisionWorkspace } from '../../src/workflows/provisioning-saga.js';
import type { ProvisionSpecInput } from '../../src/workflows/lib/provision-spec.js';
import type { PipelineSpecInput } from '../../src/workflows/lib/pipeline-spec.js';
import { eventually } from '../support/processes.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Real dev server + emulator (60× virtual clock) + worker with the real activities. */
describe('workflows end to end (dev server + emulator + worker)', () => {
  let stack: RunningStack;
  let dbx: DatabricksClient;
  let warehouseId: string;

  beforeAll(async () => {
    stack = await startStack({ logger: createLogger({ level: 'silent' }), persist: false, port: await freePort(), uiPort: await freePort(), emulator: { speed: 60 } });
    dbx = new DatabricksClient({ host: stack.databricks.host, token: stack.databricks.token, env: {} });
    warehouseId = (await dbx.warehouses.create({ name: 'e2e', cluster_size: '2X-Small' })).id;
  });
  afterAll(async () => {
    await dbx?.close();
    await stack?.shutdown();
  });

  const clusterState = async (id: string) => (await dbx.clusters.get({ cluster_id: id })).state;
  /** The CLI as a user runs it, against this stack (stdout and stderr together). */
  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn(process.execPath, [join(ROOT, 'bin/durabricks.js'), ...args], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TEMPORAL_ADDRESS: stack.server.address, TEMPORAL_NAMESPACE: stack.server.namespace, DURABRICKS_TASK_QUEUE: stack.config.taskQueue, ...env },
      });
      let out = '';
      p.stdout.on('data', (c: Buffer) => (out += c.toString()));
      p.stderr.on('data', (c: Buffer) => (out += c.toString()));
      p.once('exit', (code) => resolve({ code, out }));
    });
  const emulatorFault = (rule: unknown) =>
    fetch(`${stack.databricks.host}/_emulator/faults`, { method: 'POST', headers: { authorization: `Bearer ${stack.databricks.token}`, 'content-type': 'application/json' }, body: JSON.stringify(rule) });
  const clearFaults = () => fetch(`${stack.databricks.host}/_emulator/faults`, { method: 'DELETE', headers: { authorization: `Bearer ${stack.databricks.token}` } });

  const notebookSpec = (name: string, params: Record<string, string>): PipelineSpecInput => ({
    name,
    cluster: { new_cluster: { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 } },
    job: { tasks: [{ task_key: 'transform', notebook_task: { notebook_path: '/Shared/transform', base_parameters: params } }] },
  });

  it('durabricks run: the example pipeline writes a table, terminates the cluster and prints the rows read back', async () => {
    const { code, out } = await cli(['run', 'examples/daily-sales.yaml', '--id', 'e2e-daily-sales'], { DATABRICKS_WAREHOUSE_ID: warehouseId });
    expect(code, out).toBe(0);
    expect(out).toMatch(/started pipeline daily-sales as workflow e2e-daily-sales/);
    expect(out).toMatch(/run page: http:\/\/127\.0\.0\.1:\d+\/\?o=\d+#job\/\d+\/run\/\d+/);
    expect(out).toMatch(/task write_daily_sales: SUCCESS/);
    expect(out).toMatch(/east\s+\| 3\s+\| 325\.74/);
    expect(out).toMatch(/north\s+\| 2\s+\| 200\.50/);
    const result = await stack.client.workflow.getHandle('e2e-daily-sales').result();
    expect(await clusterState(result.cluster!.id)).toMatch(/TERMINAT/);
    // Bounded history on the real server too (files, cluster, run, cleanup, SQL).
    const history = await stack.client.workflow.getHandle('e2e-daily-sales').fetchHistory();
    expect(history.events?.length).toBeLessThanOrEqual(60);
  });

  it('a failed task: the cluster is still terminated and the failure names the task and its error output', async () => {
    const spec = notebookSpec('e2e-fails', { 'emulator.outcome': 'FAILED', 'emulator.message': 'ZeroDivisionError: division by zero' });
    const { handle } = await startPipeline(stack.client, spec, { taskQueue: stack.config.taskQueue, workflowId: 'e2e-fails' });
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('PipelineTaskFailed');
    expect(cause.message).toMatch(/^task "transform" FAILED: ZeroDivisionError: division by zero/);
    const details = cause.details?.[0] as PipelineFailureDetails;
    expect(details.failedTasks?.[0]).toMatchObject({ taskKey: 'transform', state: 'FAILED', error: 'ZeroDivisionError: division by zero' });
    const clusterId = (await getPipelineProgress(stack.client, 'e2e-fails')).clusterId!;
    expect(details.cleanedUp).toEqual([{ description: `terminate cluster ${clusterId}`, ok: true, detail: `terminated cluster ${clusterId}` }]);
    expect(await clusterState(clusterId)).toMatch(/TERMINAT/);
  });

  it('a cluster that fails to launch: ClusterStartFailed from the real waiter, the cluster terminated, no run started', async () => {
    // The emulator answers clusters/get with a launch failure (as a cloud capacity error would).
    const fault = await emulatorFault({
      method: 'GET',
      path: '/api/2.1/clusters/get',
      action: 'respond',
      status: 200,
      body: { cluster_id: 'x', state: 'ERROR', state_message: 'Instances could not be acquired', termination_reason: { code: 'CLOUD_PROVIDER_LAUNCH_FAILURE', type: 'CLOUD_FAILURE' } },
    });
    expect(fault.ok).toBe(true);
    try {
      const { handle } = await startPipeline(stack.client, notebookSpec('e2e-no-capacity', {}), { taskQueue: stack.config.taskQueue, workflowId: 'e2e-no-capacity' });
      const err = await handle.result().catch((e: unknown) => e);
      const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('ClusterStartFailed');
      expect(cause.message).toMatch(/did not start: .*Instances could not be acquired/);
      const details = cause.details?.[0] as PipelineFailureDetails;
      expect(details.step).toBe('cluster');
      expect(details.runId).toBeUndefined();
      expect(details.cleanedUp.map((c) => c.ok)).toEqual([true]);
    } finally {
      await clearFaults();
    }
    const clusterId = (await getPipelineProgress(stack.client, 'e2e-no-capacity')).clusterId!;
    expect(await clusterState(clusterId)).toMatch(/TERMINAT/);
  });

  it('cancellation during the run cancels the Databricks run and terminates the cluster within 60 s', async () => {
    // An hour of virtual time (a minute of wall time at 60×): long enough to cancel mid-run.
    const spec = notebookSpec('e2e-cancel', { 'emulator.duration_s': '3600' });
    const { handle } = await startPipeline(stack.client, spec, { taskQueue: stack.config.taskQueue, workflowId: 'e2e-cancel' });
    expect(await eventually(async () => (await getPipelineProgress(stack.client, 'e2e-cancel').catch(() => undefined))?.currentStep === 'wait', 30_000)).toBe(true);
    const { runId, clusterId } = await getPipelineProgress(stack.client, 'e2e-cancel');
    const cancelledAt = Date.now();
    await handle.cancel();
    const err = await handle.result().catch((e: unknown) => e);
    expect(Date.now() - cancelledAt).toBeLessThan(60_000);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    expect(await eventually(async () => (await dbx.jobs.getRun({ run_id: runId! })).state?.result_state === 'CANCELED', 20_000)).toBe(true);
    expect(await clusterState(clusterId!)).toMatch(/TERMINAT/);
    const progress = await getPipelineProgress(stack.client, 'e2e-cancel');
    expect(progress.phase).toBe('cancelled');
    expect(progress.resources.filter((r) => r.status === 'cleaned').map((r) => r.kind)).toEqual(['cluster', 'run']);
  });

  it('durabricks cancel waits for the cleanup and reports it; durabricks status shows the outcome', async () => {
    await startPipeline(stack.client, notebookSpec('e2e-cli-cancel', { 'emulator.duration_s': '3600' }), { taskQueue: stack.config.taskQueue, workflowId: 'e2e-cli-cancel' });
    expect(await eventually(async () => (await getPipelineProgress(stack.client, 'e2e-cli-cancel').catch(() => undefined))?.currentStep === 'wait', 30_000)).toBe(true);
    const cancelled = await cli(['cancel', 'e2e-cli-cancel']);
    expect(cancelled.code, cancelled.out).toBe(0);
    expect(cancelled.out).toMatch(/workflow ended: cancelled/);
    expect(cancelled.out).toMatch(/cleaned up: terminated cluster \S+/);
    expect(cancelled.out).toMatch(/cleaned up: cancelled run \d+/);
    const status = await cli(['status', 'e2e-cli-cancel']);
    expect(status.code, status.out).toBe(0);
    expect(status.out).toMatch(/pipeline e2e-cli-cancel \(e2e-cli-cancel\): cancelled \[CANCELLED\]/);
    expect(status.out).toMatch(/⊘ Wait for the run/);
    expect(status.out).not.toMatch(/^error:/m); // a cancellation is not an error
    const recent = await cli(['status']);
    expect(recent.code, recent.out).toBe(0);
    expect(recent.out).toMatch(/^CANCELLED\s+e2e-cli-cancel {2}started \S+ {2}closed \S+$/m);
    // Cancelling it again says it already ended (the server accepts a repeated cancel request silently).
    const again = await cli(['cancel', 'e2e-cli-cancel']);
    expect(again.code, again.out).toBe(1);
    expect(again.out).toMatch(/^error: workflow e2e-cli-cancel is not running: it ended CANCELLED\n$/m);
    expect(again.out).not.toMatch(/cancellation requested/);
  });

  it('starting the same pipeline id twice attaches to the running workflow instead of duplicating it, and refuses another input under that id', async () => {
    const spec = notebookSpec('e2e-dedupe', { 'emulator.duration_s': '600' });
    const first = await startPipeline(stack.client, spec, { taskQueue: stack.config.taskQueue });
    const second = await startPipeline(stack.client, spec, { taskQueue: stack.config.taskQueue });
    expect(first.workflowId).toBe('etl-e2e-dedupe');
    expect([first.started, second.started]).toEqual([true, false]);
    expect((await second.handle.describe()).runId).toBe((await first.handle.describe()).runId);
    // The same id with another spec or logical time is refused, not handed back as if it ran the caller's.
    const other = await startPipeline(stack.client, notebookSpec('e2e-dedupe', { 'emulator.duration_s': '900' }), { taskQueue: stack.config.taskQueue }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ConflictingStartError);
    expect((other as ConflictingStartError).differences).toEqual(['spec.job.tasks[0].notebook_task.base_parameters.emulator.duration_s']);
    const dated = await startPipeline(stack.client, spec, { taskQueue: stack.config.taskQueue, workflowId: first.workflowId, logicalTime: '2026-11-20' }).catch((e: unknown) => e);
    expect((dated as ConflictingStartError).differences).toEqual(['logicalTime']);
    await first.handle.cancel();
    await first.handle.result().catch(() => undefined);
  });

  it('job-run notifications from the emulator reach the pipeline as runEvent signals through the webhook receiver', async () => {
    const receiver = await startWebhookReceiver({ client: stack.client });
    const control = (urls: string[]) =>
      fetch(`${stack.databricks.host}/_emulator/notifications`, { method: 'POST', headers: { authorization: `Bearer ${stack.databricks.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ urls }) });
    try {
      expect((await control([receiver.url])).ok).toBe(true);
      const { handle } = await startPipeline(stack.client, notebookSpec('e2e-webhook', { 'emulator.duration_s': '120' }), { taskQueue: stack.config.taskQueue, workflowId: 'e2e-webhook' });
      const result = await handle.result();
      expect(result.run.state).toBe('SUCCESS');
      expect(receiver.stats.signalled).toBeGreaterThanOrEqual(1);
      const history = await handle.fetchHistory();
      const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'runEvent');
      expect(signals.length).toBeGreaterThanOrEqual(1);
      expect(history.events?.length).toBeLessThanOrEqual(60);
    } finally {
      await control([]);
      await receiver.close();
    }
  });

  it('schedules: create, list, pause and delete a recurring pipeline', async () => {
    const spec = notebookSpec('e2e-scheduled', {});
    const id = await createPipelineSchedule(stack.client, { scheduleId: 'e2e-nightly', spec, taskQueue: stack.config.taskQueue, cron: ['0 3 * * *'], paused: true });
    try {
      await eventually(async () => (await listPipelineSchedules(stack.client)).some((s) => s.scheduleId === id), 15_000);
      const listed = (await listPipelineSchedules(stack.client)).find((s) => s.scheduleId === id);
      expect(listed).toMatchObject({ scheduleId: 'e2e-nightly', pipeline: 'e2e-scheduled', paused: true });
      const description = await stack.client.schedule.getHandle(id).describe();
      expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'etlPipeline' });
      await pausePipelineSchedule(stack.client, id, 'maintenance');
      expect((await stack.client.schedule.getHandle(id).describe()).state.note).toBe('maintenance');
      // A firing (triggered now, paused or not) runs the schedule's spec through the worker to the end.
      await triggerPipelineSchedule(stack.client, id);
      let firedId: string | undefined;
      const fired = await eventually(async () => {
        firedId = (await listPipelineSchedules(stack.client)).find((s) => s.scheduleId === id)?.recentRuns[0]?.workflowId;
        return firedId !== undefined;
      }, 15_000);
      expect(fired, 'the triggered firing shows in the schedule list').toBe(true);
      expect(firedId).toMatch(/^etl-e2e-scheduled-scheduled-/);
      const result = await stack.client.workflow.getHandle(firedId!).result();
      expect(result).toMatchObject({ pipeline: 'e2e-scheduled', run: { state: 'SUCCESS' }, logicalTime: { source: 'schedule' } });
      expect(await clusterState(result.cluster!.id)).toMatch(/TERMINAT/);
    } finally {
      await deletePipelineSchedule(stack.client, id);
    }
    await expect(stack.client.schedule.getHandle(id).describe()).rejects.toThrow();
  });

  it('schedules: a cron, interval or time zone the server refuses is an InvalidPipelineSpecError naming the option, and nothing is created', async () => {
    const spec = notebookSpec('e2e-bad-schedule', {});
    const refused = async (o: { cron?: string[]; every?: string[]; timezone?: string }, scheduleId: string) =>
      createPipelineSchedule(stack.client, { scheduleId, spec, taskQueue: stack.config.taskQueue, paused: true, ...o }).then(
        () => 'created',
        (e: unknown) => (e instanceof InvalidPipelineSpecError ? e.problems : e),
      );
    expect(await refused({ cron: ['61 * * * *'] }, 'e2e-bad-cron')).toEqual(['cron: Minute is not in range [0-59]']);
    expect(await refused({ cron: ['0 6 * * *'], timezone: 'Mars/Olympus' }, 'e2e-bad-tz')).toEqual(['timezone: unknown time zone Mars/Olympus']);
    expect(await refused({ every: ['1x'] }, 'e2e-bad-every')).toEqual(["every: Invalid duration string: '1x'"]);
    const sweeper = await createSweeperSchedule(stack.client, { taskQueue: stack.config.taskQueue, scheduleId: 'e2e-bad-sweeper', every: '0s' }).catch((e: unknown) => e);
    expect((sweeper as InvalidPipelineSpecError).problems).toEqual(['every: interval is too small']);
    await expect(stack.client.schedule.getHandle('e2e-bad-sweeper').describe()).rejects.toThrow();
    const ids = (await listPipelineSchedules(stack.client)).map((s) => s.scheduleId);
    expect(ids.filter((id) => id.startsWith('e2e-bad-'))).toEqual([]);
  });

  it('schedules: a backfill runs each missed firing with its own logical date, [from, to), and the runs list by pipeline', async () => {
    const spec: PipelineSpecInput = {
      ...notebookSpec('e2e-backfill', { day: '{{durabricks.logical_date}}' }),
      sql: { warehouse_id: warehouseId, statement: 'SELECT :day AS day', parameters: { day: '{{durabricks.logical_date}}' } },
    };
    const id = await createPipelineSchedule(stack.client, { scheduleId: 'e2e-backfill', spec, taskQueue: stack.config.taskQueue, cron: ['0 3 * * *'], paused: true });
    try {
      // Firings at 03:00 on the 20th (= from, included) and the 21st; the 22nd's is at `to`, excluded.
      await backfillPipelineSchedule(stack.client, id, { from: new Date('2026-10-20T03:00:00Z'), to: new Date('2026-10-22T03:00:00Z') });
      const fired: string[] = [];
      const found = await eventually(async () => {
        fired.length = 0;
        for await (const wf of stack.client.workflow.list({ query: `TemporalScheduledById = '${id}'` })) fired.push(wf.workflowId);
        return fired.length >= 2;
      }, 30_000);
      expect(found, `backfilled workflows: ${fired.join(', ')}`).toBe(true);
      const results = await Promise.all(fired.map((w) => stack.client.workflow.getHandle<typeof etlPipeline>(w).result()));
      const byDay = results.map((r) => [r.logicalTime, r.sql?.rows]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(byDay).toEqual([
        [{ time: '2026-10-20T03:00:00.000Z', source: 'schedule' }, [['2026-10-20']]],
        [{ time: '2026-10-21T03:00:00.000Z', source: 'schedule' }, [['2026-10-21']]],
      ]);
      // The notebook task got the same day as a base parameter.
      const run = await dbx.jobs.getRun({ run_id: results.find((r) => r.logicalTime?.time.startsWith('2026-10-20'))!.run.runId });
      expect((run.tasks?.[0]?.notebook_task as { base_parameters?: unknown } | undefined)?.base_parameters).toEqual({ day: '2026-10-20' });
      // Listing by pipeline finds both, whatever their workflow ids.
      const listed = await listRecentPipelines(stack.client, { pipeline: 'e2e-backfill' });
      expect(listed.map((p) => p.workflowId).sort()).toEqual([...fired].sort());
    } finally {
      await deletePipelineSchedule(stack.client, id);
    }
  });

  it('job.repair: a task that failed is re-run in place once its notebook is fixed, and the pipeline succeeds', async () => {
    const notebook = (body: string) => Buffer.from(`# Databricks notebook source\n${body}\nprint("transform")\n`).toString('base64');
    await dbx.workspace.import({ path: '/Shared/flaky', format: 'SOURCE', language: 'PYTHON', content: notebook('# emulator: outcome=FAILED message="source not ready"'), overwrite: true });
    const spec: PipelineSpecInput = {
      name: 'e2e-repair',
      cluster: { new_cluster: { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 } },
      job: { tasks: [{ task_key: 'transform', notebook_task: { notebook_path: '/Shared/flaky' } }], repair: { attempts: 2, delay: '5s' } },
    };
    const { handle } = await startPipeline(stack.client, spec, { taskQueue: stack.config.taskQueue, workflowId: 'e2e-repair' });
    // While the pipeline waits out the delay (a Temporal timer: real seconds), the notebook is fixed: the repair runs the fixed one.
    expect(await eventually(async () => (await getPipelineProgress(stack.client, 'e2e-repair')).steps.some((st) => /repair 1 of 2 in 5s/.test(st.detail ?? '')), 20_000)).toBe(true);
    await dbx.workspace.import({ path: '/Shared/flaky', format: 'SOURCE', language: 'PYTHON', content: notebook('# fixed'), overwrite: true });
    const result = await handle.result();
    expect(result.run).toMatchObject({ state: 'SUCCESS', repairs: [{ tasks: ['transform'] }] });
    const run = await dbx.jobs.getRun({ run_id: result.run.runId });
    expect(run.repair_history?.map((h) => [h.type, h.id])).toEqual([['ORIGINAL', undefined], ['REPAIR', result.run.repairs![0]!.repairId]]);
    expect(await clusterState(result.cluster!.id)).toMatch(/TERMINAT/);
  });

  it('sql.check: a data check whose first row is not all true fails the pipeline after the cluster is terminated', async () => {
    const spec: PipelineSpecInput = { ...notebookSpec('e2e-check', {}), sql: { warehouse_id: warehouseId, statement: 'SELECT 1 = 1 AS one_is_one, 2 < 1 AS two_below_one', check: true } };
    const { handle } = await startPipeline(stack.client, spec, { taskQueue: stack.config.taskQueue, workflowId: 'e2e-check' });
    const err = await handle.result().catch((e: unknown) => e);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('PipelineCheckFailed');
    expect(cause.message).toBe('data check failed: two_below_one is not true (first row: one_is_one=true, two_below_one=false)');
    const details = cause.details?.[0] as PipelineFailureDetails;
    expect(details.step).toBe('sql');
    // The cluster was cleaned up by the cleanup step, side by side with the statement, before the check failed.
    const progress = await getPipelineProgress(stack.client, 'e2e-check');
    expect(progress.resources.find((r) => r.kind === 'cluster')).toMatchObject({ status: 'cleaned', note: expect.stringMatching(/^terminated cluster /) });
    expect(await clusterState(progress.clusterId!)).toMatch(/TERMINAT/);
  });

  it('durabricks run --logical-date runs the pipeline for that day under a dated workflow id', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'e2e-dated-')), 'dated.json');
    writeFileSync(file, JSON.stringify({ ...notebookSpec('e2e-dated', { day: '{{durabricks.logical_date}}' }), sql: { warehouse_id: warehouseId, statement: 'SELECT :day AS day', parameters: { day: '{{durabricks.logical_date}}' } } }));
    const { code, out } = await cli(['run', file, '--logical-date', '2026-11-03']);
    expect(code, out).toBe(0);
    expect(out).toMatch(/as workflow etl-e2e-dated-2026-11-03/);
    expect(out).toMatch(/logical time: 2026-11-03T00:00:00.000Z \(given\)/);
    expect(out).toMatch(/day\s*\n.*\n\s*2026-11-03/);
    const bad = await cli(['run', file, '--logical-date', '2026-11-31']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/--logical-date "2026-11-31" is not an ISO-8601 date/);
  });

  it('durabricks backfill runs one pipeline per day, two at a time, each with its date, and status shows the backfill', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'e2e-backfill-')), 'daily.json');
    writeFileSync(file, JSON.stringify({ ...notebookSpec('e2e-days', { day: '{{durabricks.logical_date}}' }), sql: { warehouse_id: warehouseId, statement: 'SELECT :day AS day', parameters: { day: '{{durabricks.logical_date}}' } } }));
    const bad = await cli(['backfill', file, '--from', '2026-11-03', '--to', '2026-11-01']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/--to: must be after --from/);
    const { code, out } = await cli(['backfill', file, '--from', '2026-11-01', '--to', '2026-11-04', '--concurrency', '2']);
    expect(code, out).toBe(0);
    expect(out).toMatch(/started backfill of e2e-days \(3 runs\) as workflow backfill-e2e-days-2026-11-01-2026-11-04/);
    for (const d of ['2026-11-01', '2026-11-02', '2026-11-03']) expect(out).toMatch(new RegExp(`✓ ${d} succeeded`));
    expect(out).toMatch(/backfill of e2e-days succeeded: 3 of 3 runs, 2026-11-01 to 2026-11-03/);
    for (const d of ['2026-11-01', '2026-11-02', '2026-11-03']) {
      const r = await stack.client.workflow.getHandle<typeof etlPipeline>(`etl-e2e-days-${d}`).result();
      expect(r.sql?.rows).toEqual([[d]]);
      expect(await clusterState(r.cluster!.id)).toMatch(/TERMINAT/);
    }
    const status = await cli(['status', 'backfill-e2e-days-2026-11-01-2026-11-04']);
    expect(status.out).toMatch(/backfill of e2e-days \(backfill-e2e-days-2026-11-01-2026-11-04\): succeeded \[COMPLETED\], 3 of 3 runs done \(0 failed, 0 cancelled\)/);
    const runs = await cli(['status', '--pipeline', 'e2e-days']);
    expect(runs.out.trim().split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' ')).sort()).toEqual(['COMPLETED etl-e2e-days-2026-11-01', 'COMPLETED etl-e2e-days-2026-11-02', 'COMPLETED etl-e2e-days-2026-11-03']);
  });

  const sagaSpec = (name: string, workers = 1): ProvisionSpecInput => ({
    name,
    secretScope: { scope: `${name}-scope`, secrets: [{ key: 'api-key', value: { fromEnv: 'E2E_SAGA_SECRET' } }] },
    clusterPolicy: { definition: { autotermination_minutes: { type: 'fixed', value: 45 }, num_workers: { type: 'range', maxValue: 2 } } },
    instancePool: { node_type_id: 'i3.xlarge', max_capacity: 4 },
    cluster: { spec: { spark_version: '15.4.x-scala2.12', num_workers: workers }, libraries: [{ pypi: { package: 'requests' } }] },
    job: { name: `${name}-job`, tasks: [{ task_key: 'main', notebook_task: { notebook_path: '/Shared/main' } }] },
    warehouse: { cluster_size: '2X-Small' },
    catalog: { name: `${name.replace(/-/g, '_')}_cat`, schema: 'raw', volume: 'landing' },
  });
  it('provisionWorkspace creates every resource with real activities; the secret value never enters history', async () => {
    process.env.E2E_SAGA_SECRET = 'e2e-secret-value-7f3a';
    const access = { group: 'e2e-ok-team', secretScope: 'READ', clusterPolicy: 'CAN_USE', cluster: 'CAN_RESTART', job: 'CAN_MANAGE_RUN', warehouse: 'CAN_USE', catalog: ['USE_CATALOG'], schema: ['USE_SCHEMA', 'SELECT'], volume: ['READ_VOLUME'] } as const;
    process.env.E2E_GIT_TOKEN = 'ghp_e2e-git-token-value-51d0';
    const git = { gitCredential: { provider: 'gitHub', username: 'e2e-bot', token: { fromEnv: 'E2E_GIT_TOKEN' } }, repo: { url: 'https://github.com/acme/e2e-ok.git', provider: 'github', path: '/Repos/e2e-ok/etl', branch: 'release' } };
    const storage = { storage: { url: 's3://e2e-ok-bucket/uc', credential: { aws_iam_role: { role_arn: 'arn:aws:iam::123456789012:role/e2e-ok' } } } };
    const base = sagaSpec('e2e-ok');
    const spec = { ...base, ...git, ...storage, catalog: { ...base.catalog!, storageRoot: 's3://e2e-ok-bucket/uc/cat' }, group: { name: 'e2e-ok-team', members: ['admin@emulator.local'] }, access: { ...access, repo: 'CAN_RUN' as const, externalLocation: ['READ_FILES'], catalog: [...access.catalog], schema: [...access.schema], volume: [...access.volume] } };
    const result = await stack.client.workflow.execute<typeof provisionWorkspace>('provisionWorkspace', { taskQueue: stack.config.taskQueue, workflowId: 'e2e-provision', args: [{ spec }] });
    expect(Object.keys(result.ids).sort()).toEqual(['catalog', 'clusterId', 'externalLocation', 'gitCredentialId', 'group', 'instancePoolId', 'jobId', 'policyId', 'repo', 'repoId', 'schema', 'secretScope', 'storageCredential', 'volume', 'warehouseId']);
    // The storage credential and the external location on it; the catalog keeps its managed tables there.
    expect(await dbx.externalLocations.get({ name: result.ids.externalLocation! })).toMatchObject({ name: 'e2e_ok_location', url: 's3://e2e-ok-bucket/uc', credential_name: 'e2e_ok_credential' });
    expect(await dbx.storageCredentials.get({ name: result.ids.storageCredential! })).toMatchObject({ aws_iam_role: { role_arn: 'arn:aws:iam::123456789012:role/e2e-ok' } });
    expect((await dbx.grants.get({ securable_type: 'external_location', full_name: result.ids.externalLocation! })).privilege_assignments).toEqual([{ principal: 'e2e-ok-team', privileges: ['READ_FILES'] }]);
    // The repo at its path, checked out at the branch; its folder made; the Git credential under its name, the token write-only.
    expect(await dbx.repos.get({ repo_id: result.ids.repoId! })).toMatchObject({ path: '/Repos/e2e-ok/etl', url: 'https://github.com/acme/e2e-ok.git', provider: 'gitHub', branch: 'release' });
    expect(await dbx.workspace.getStatus({ path: '/Repos/e2e-ok' })).toMatchObject({ object_type: 'DIRECTORY' });
    expect(await dbx.gitCredentials.get({ credential_id: result.ids.gitCredentialId! })).toMatchObject({ name: 'e2e-ok-git', git_provider: 'gitHub', git_username: 'e2e-bot' });
    const [team] = await dbx.groups.list({ filter: 'displayName eq "e2e-ok-team"' }).toArray();
    expect(team?.members?.map((m) => m.display)).toEqual(['admin']);
    // The access step's grants, read back from the workspace.
    const levelOf = async (object_type: string, object_id: string) =>
      (await dbx.permissions.get({ object_type, object_id })).access_control_list?.find((e) => e.group_name === 'e2e-ok-team')?.all_permissions?.find((p) => !p.inherited)?.permission_level;
    expect(await levelOf('clusters', result.ids.clusterId!)).toBe('CAN_RESTART');
    expect(await levelOf('jobs', String(result.ids.jobId))).toBe('CAN_MANAGE_RUN');
    expect(await levelOf('repos', String(result.ids.repoId))).toBe('CAN_RUN');
    expect(await levelOf('warehouses', result.ids.warehouseId!)).toBe('CAN_USE');
    expect(await levelOf('cluster-policies', result.ids.policyId!)).toBe('CAN_USE');
    expect(await dbx.secrets.getAcl({ scope: result.ids.secretScope!, principal: 'e2e-ok-team' })).toMatchObject({ permission: 'READ' });
    expect((await dbx.grants.get({ securable_type: 'schema', full_name: result.ids.schema! })).privilege_assignments).toEqual([{ principal: 'e2e-ok-team', privileges: ['SELECT', 'USE_SCHEMA'] }]);
    // USE_SCHEMA and SELECT on the schema are no volume privileges: the volume's effective ones are its own.
    expect((await dbx.grants.getEffective({ securable_type: 'volume', full_name: result.ids.volume!, principal: 'e2e-ok-team' })).privilege_assignments).toEqual([{ principal: 'e2e-ok-team', privileges: [{ privilege: 'READ_VOLUME' }] }]);
    const cluster = await dbx.clusters.get({ cluster_id: result.ids.clusterId! });
    expect(cluster.instance_pool_id).toBe(result.ids.instancePoolId);
    // Created under the policy, whose fixed value filled what the spec left out.
    expect(cluster).toMatchObject({ policy_id: result.ids.policyId, autotermination_minutes: 45 });
    expect((await dbx.jobs.get({ job_id: result.ids.jobId! })).settings?.tasks?.[0]).toMatchObject({ existing_cluster_id: result.ids.clusterId });
    expect(await dbx.catalogs.get({ name: result.ids.catalog! })).toMatchObject({ name: 'e2e_ok_cat', storage_root: 's3://e2e-ok-bucket/uc/cat' });
    expect(await dbx.volumes.read({ name: result.ids.volume! })).toMatchObject({ full_name: 'e2e_ok_cat.raw.landing', volume_type: 'MANAGED' });
    // The whole history as stored (payload bytes included), searched for the value.
    const history = await stack.client.workflow.getHandle('e2e-provision').fetchHistory();
    const bytes = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish());
    expect(bytes.includes('E2E_SAGA_SECRET')).toBe(true); // the reference is there…
    expect(bytes.includes('e2e-secret-value-7f3a')).toBe(false); // …the value is not
    expect(bytes.includes('ghp_e2e-git-token-value-51d0')).toBe(false);
  });

  it('durabricks provision: the example saga creates every resource and prints them; a re-run adopts them', async () => {
    process.env.ANALYTICS_API_KEY = 'e2e-cli-secret-value-91c2';
    const provision = () => cli(['provision', 'examples/provision.yaml', '--id', 'e2e-provision-cli'], { TEAM: 'e2ecli' });
    const first = await provision();
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/started provisioning e2ecli as workflow e2e-provision-cli/);
    expect(first.out).toMatch(/^provisioned e2ecli$/m);
    for (const kind of ['secret scope e2ecli-secrets', 'cluster policy e2ecli-policy', 'instance pool', 'cluster', 'libraries', 'folder /Repos/e2ecli', 'repo /Repos/e2ecli/notebook-best-practices', 'job e2ecli-nightly', 'warehouse', 'catalog e2ecli_catalog', 'schema e2ecli_catalog.raw', 'volume e2ecli_catalog.raw.landing']) {
      expect(first.out).toMatch(new RegExp(`^  ${kind}.*: created`, 'm'));
    }
    expect(first.out).toMatch(/^ {2}group e2ecli-team \(\d+\): created$/m);
    expect(first.out).toMatch(/^ {2}grant CAN_RESTART on cluster \S+ to group e2ecli-team: created$/m);
    expect(first.out).toMatch(/^ {2}grant USE_SCHEMA, SELECT, MODIFY on schema e2ecli_catalog.raw to group e2ecli-team: created$/m);
    expect(first.out).not.toContain('e2e-cli-secret-value-91c2');
    const result = await stack.client.workflow.getHandle<typeof provisionWorkspace>('e2e-provision-cli').result();
    expect((await dbx.clusters.get({ cluster_id: result.ids.clusterId! })).state).toBe('RUNNING');
    // The same spec again: the saga adopts what the first run created; nothing is created twice.
    const second = await provision();
    expect(second.code, second.out).toBe(0);
    const again = await stack.client.workflow.getHandle<typeof provisionWorkspace>('e2e-provision-cli').result();
    expect(again.ids).toEqual(result.ids);
    const status = await cli(['status', 'e2e-provision-cli']);
    expect(status.code, status.out).toBe(0);
    expect(status.out).toMatch(/^provisioning e2ecli \(e2e-provision-cli\): succeeded \[COMPLETED\]$/m);
    expect(status.out).toMatch(new RegExp(`^resource cluster ${result.ids.clusterId}: created`, 'm'));
  });

  it('provisionWorkspace failing at its last step undoes every earlier resource in reverse', async () => {
    process.env.E2E_SAGA_SECRET = 'e2e-secret-value-7f3a';
    expect((await emulatorFault({ method: 'POST', path: '/api/2.1/unity-catalog/schemas', action: 'respond', status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Schema name is reserved.' } })).ok).toBe(true);
    try {
      const err = await stack.client.workflow
        .execute<typeof provisionWorkspace>('provisionWorkspace', { taskQueue: stack.config.taskQueue, workflowId: 'e2e-provision-fails', args: [{ spec: sagaSpec('e2e-bad') }] })
        .catch((e: unknown) => e);
      const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('ProvisioningFailed');
      expect(cause.message).toMatch(/failed at schema: .*Schema name is reserved/);
      const details = cause.details?.[0] as ProvisionFailureDetails;
      expect(details.undone.map((u) => [u.ok, u.detail.replace(/ \S+$/, '')])).toEqual([
        [true, 'deleted catalog'],
        [true, 'deleted warehouse'],
        [true, 'deleted job'],
        [true, 'deleted cluster'],
        [true, 'deleted instance_pool'],
        [true, 'deleted cluster_policy'],
        [true, 'deleted secret_scope'],
      ]);
      const ids = Object.fromEntries(details.resources.map((r) => [r.kind, r.id]));
      await expect(dbx.jobs.get({ job_id: Number(ids.job) })).rejects.toThrow(/does not exist/);
      await expect(dbx.catalogs.get({ name: 'e2e_bad_cat' })).rejects.toThrow();
      const scopes = await dbx.secrets.listScopes({}).toArray();
      expect(scopes.map((s) => s.name)).not.toContain('e2e-bad-scope');
    } finally {
      await clearFaults();
    }
  });

  it('a cluster the provisioned policy forbids fails the saga at the cluster and undoes the policy, pool and scope', async () => {
    process.env.E2E_SAGA_SECRET = 'e2e-secret-value-7f3a';
    const err = await stack.client.workflow
      .execute<typeof provisionWorkspace>('provisionWorkspace', { taskQueue: stack.config.taskQueue, workflowId: 'e2e-provision-policy', args: [{ spec: sagaSpec('e2e-pol', 3) }] })
      .catch((e: unknown) => e);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('ProvisioningFailed');
    expect(cause.message).toMatch(/failed at cluster: .*num_workers/);
    const details = cause.details?.[0] as ProvisionFailureDetails;
    expect(details.undone.map((u) => [u.ok, u.detail.replace(/ \S+$/, '')])).toEqual([
      [true, 'deleted instance_pool'],
      [true, 'deleted cluster_policy'],
      [true, 'deleted secret_scope'],
    ]);
    const policies = await dbx.clusterPolicies.list({}).toArray();
    expect(policies.map((p) => p.name)).not.toContain('e2e-pol-policy');
  });

  it('sweepLeaks terminates the cluster and cancels the run a terminated (not cancelled) pipeline left behind', async () => {
    // Terminating skips all cleanup: exactly the leak the sweeper exists for.
    const { handle } = await startPipeline(stack.client, notebookSpec('e2e-leak', { 'emulator.duration_s': '3600' }), { taskQueue: stack.config.taskQueue, workflowId: 'e2e-leak' });
    expect(await eventually(async () => (await getPipelineProgress(stack.client, 'e2e-leak').catch(() => undefined))?.currentStep === 'wait', 30_000)).toBe(true);
    const { clusterId, runId } = await getPipelineProgress(stack.client, 'e2e-leak');
    await handle.terminate('simulated operator mistake');
    expect(await clusterState(clusterId!)).toBe('RUNNING');

    // The sweeper on a Schedule, as `durabricks schedule sweeper --dry-run` sets it up: a firing runs
    // on the stack's worker, reports the leak and changes nothing.
    const scheduleId = await createSweeperSchedule(stack.client, { taskQueue: stack.config.taskQueue, scheduleId: 'e2e-sweeper-dry', every: '1d', dryRun: true });
    try {
      // Listed with the pipelines' schedules, as what it is.
      expect(await eventually(async () => (await listSweeperSchedules(stack.client)).some((x) => x.scheduleId === scheduleId), 15_000)).toBe(true);
      expect((await listSweeperSchedules(stack.client)).find((x) => x.scheduleId === scheduleId)).toMatchObject({ every: '1d', dryRun: true, paused: false });
      const listed = await cli(['schedule', 'list']);
      expect(listed.code, listed.out).toBe(0);
      expect(listed.out).toMatch(/^e2e-sweeper-dry {2}sweeper every 1d \(dry run\) {2}active {2}next=\d{4}-/m);
      const schedule = stack.client.schedule.getHandle(scheduleId);
      await schedule.trigger();
      let sweepId: string | undefined;
      expect(await eventually(async () => (sweepId = (await schedule.describe()).info.recentActions.at(-1)?.action.workflow.workflowId) !== undefined, 15_000)).toBe(true);
      const dryRun = await stack.client.workflow.getHandle<typeof sweepLeaks>(sweepId!).result();
      expect(dryRun.actions).toEqual(
        expect.arrayContaining([
          { kind: 'cluster', id: clusterId, owner: 'e2e-leak', ownerStatus: 'TERMINATED', action: 'would terminate' },
          { kind: 'run', id: String(runId), owner: 'e2e-leak', ownerStatus: 'TERMINATED', action: 'would cancel' },
        ]),
      );
    } finally {
      await deletePipelineSchedule(stack.client, scheduleId);
    }
    expect(await clusterState(clusterId!)).toBe('RUNNING');

    // A worker with the Temporal-side activity the sweeper needs next to the Databricks ones.
    const connection = await NativeConnection.connect({ address: stack.server.address });
    try {
      const worker = await Worker.create({
        connection,
        namespace: stack.server.namespace,
        taskQueue: 'e2e-sweeper',
        workflowBundle: await workflowBundle(),
        activities: { ...createActivities({ logger: createLogger({ level: 'silent' }), databricks: dbx }), ...createTemporalActivities({ client: stack.client }) },
      });
      const report = await worker.runUntil(stack.client.workflow.execute<typeof sweepLeaks>('sweepLeaks', { taskQueue: 'e2e-sweeper', workflowId: 'e2e-sweep', args: [{}] }));
      expect(report.actions).toEqual(
        expect.arrayContaining([
          { kind: 'cluster', id: clusterId, owner: 'e2e-leak', ownerStatus: 'TERMINATED', action: 'terminated' },
          { kind: 'run', id: String(runId), owner: 'e2e-leak', ownerStatus: 'TERMINATED', action: 'cancelled' },
        ]),
      );
      // The provisioned cluster (owner e2e-provision, completed) carries no ephemeral tag: left alone.
      expect(report.actions.map((a) => a.owner)).not.toContain('e2e-provision');
    } finally {
      await connection.close();
    }
    expect(await clusterState(clusterId!)).toMatch(/TERMINAT/);
    expect(await eventually(async () => (await dbx.jobs.getRun({ run_id: runId! })).state?.result_state === 'CANCELED', 20_000)).toBe(true);
  });
});
