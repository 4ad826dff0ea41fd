import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure, type ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import type { backfillPipeline } from '../../../src/workflows/backfill.js';
import { backfillProgressQuery, type BackfillFailureDetails, type BackfillInput } from '../../../src/workflows/lib/backfill-types.js';
import type { PipelineSpecInput } from '../../../src/workflows/lib/pipeline-spec.js';
import { progressQuery } from '../../../src/workflows/lib/pipeline-types.js';
import { ConflictingStartError } from '../../../src/client/attach.js';
import { startBackfill } from '../../../src/client/backfill.js';
import { eventually } from '../../support/processes.js';
import { workflowBundle } from '../../support/temporal.js';
import { useTimeSkippingEnv } from '../../support/time-skipping-env.js';
import { fakeWorkspace, type FakeScript } from './fake-workspace.js';

const ts = useTimeSkippingEnv();
let seq = 0;

const spec: PipelineSpecInput = {
  name: 'daily',
  cluster: { new_cluster: { spark_version: '15.4.x-scala2.12', num_workers: 1 } },
  job: { job_id: 7, parameters: { day: '{{durabricks.logical_date}}' } },
};
const dayOf = (request: Record<string, unknown>) => (request.job_parameters as Record<string, string> | undefined)?.day;

async function withWorker<T>(script: FakeScript, body: (start: (input: Omit<BackfillInput, 'spec'>) => ReturnType<typeof ts.env.client.workflow.start<typeof backfillPipeline>>, fake: ReturnType<typeof fakeWorkspace>) => Promise<T>) {
  const fake = fakeWorkspace({ tasks: ['main'], ...script });
  const taskQueue = `backfill-${++seq}`;
  const worker = await Worker.create({ connection: ts.env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: fake.activities });
  const start = (input: Omit<BackfillInput, 'spec'>) => ts.env.client.workflow.start<typeof backfillPipeline>('backfillPipeline', { taskQueue, workflowId: `backfill-test-${seq}`, args: [{ spec, ...input }] });
  return { result: await worker.runUntil(body(start, fake)), fake };
}

describe('backfillPipeline (time-skipping, fake activities)', () => {
  it('runs one child pipeline per day in [from, to), each with its logical date and dated id, two at a time', async () => {
    const { result, fake } = await withWorker({}, async (start) => {
      const handle = await start({ from: '2026-11-01', to: '2026-11-04', concurrency: 2 });
      const out = await handle.result();
      // Queried, not awaited: the time-skipping client's result() of several workflows at once unbalances the server's time lock.
      const children = await Promise.all(['2026-11-01', '2026-11-02', '2026-11-03'].map((d) => ts.env.client.workflow.getHandle(`etl-daily-${d}`).query(progressQuery)));
      return { out, children, progress: await handle.query(backfillProgressQuery) };
    });
    expect(result.out).toEqual({ pipeline: 'daily', total: 3, succeeded: 3, first: '2026-11-01T00:00:00.000Z', last: '2026-11-03T00:00:00.000Z' });
    expect(result.children.map((c) => c.phase)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(result.children.map((c) => c.logicalTime)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03'].map((d) => ({ time: `${d}T00:00:00.000Z`, source: 'given' })));
    expect(fake.calls.filter((c) => c.name === 'jobsRunNow').map((c) => dayOf(c.input as Record<string, unknown>)).sort()).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(result.progress).toMatchObject({ phase: 'succeeded', total: 3, succeeded: 3, failed: 0, running: [] });
    // Every pipeline cleaned up its cluster.
    expect([...fake.clusters.values()]).toEqual(['TERMINATED', 'TERMINATED', 'TERMINATED']);
  });

  it('a failed day does not stop the others; the backfill fails at the end naming it, across continue-as-new', async () => {
    const { result: err, fake } = await withWorker({ failRunIf: (r) => dayOf(r) === '2026-11-02' }, async (start) => {
      const handle = await start({ from: '2026-11-01', to: '2026-11-06', batch: 2 });
      return handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
    });
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('BackfillIncomplete');
    expect(cause.message).toMatch(/^1 of 5 runs of daily did not succeed: 2026-11-02 \(task "main" FAILED: /);
    const details = cause.details?.[0] as BackfillFailureDetails;
    expect(details).toMatchObject({ total: 5, succeeded: 4, failures: [{ logicalTime: '2026-11-02T00:00:00.000Z', workflowId: 'etl-daily-2026-11-02', status: 'failed' }] });
    // Five days, one run each (batch 2: the workflow continued as new twice).
    expect(fake.calls.filter((c) => c.name === 'jobsRunNow')).toHaveLength(5);
  });

  it('cancelling the backfill cancels the pipelines in flight, which clean up, and starts no more', async () => {
    const { result, fake } = await withWorker({ runPolls: Infinity }, async (start) => {
      // October: ids no other test uses, so a query never reaches an older test's closed run (its worker is gone).
      const handle = await start({ from: '2026-10-01', to: '2026-10-04', concurrency: 2 });
      const ready = await eventually(async () => {
        const p = await handle.query(backfillProgressQuery);
        if (p.running.length < 2) return false;
        const steps = await Promise.all(p.running.map((r) => ts.env.client.workflow.getHandle(r.workflowId).query(progressQuery).then((x) => x.currentStep, () => undefined)));
        return steps.every((s) => s === 'wait');
      }, 20_000);
      expect(ready).toBe(true);
      await handle.cancel();
      const err = await handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      return { err, progress: await handle.query(backfillProgressQuery) };
    });
    expect((result.err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(result.progress).toMatchObject({ phase: 'cancelled', succeeded: 0, cancelled: 2, running: [] });
    expect(fake.calls.filter((c) => c.name === 'jobsRunNow')).toHaveLength(2);
    expect([...fake.runs.values()].map((r) => r.cancelled)).toEqual([true, true]);
    expect([...fake.clusters.values()]).toEqual(['TERMINATED', 'TERMINATED']);
  });

  it('a pipeline cancelled on its own (not the backfill) counts as not succeeded, and the others go on', async () => {
    const { result } = await withWorker({ runPolls: Infinity }, async (start, fake) => {
      // December: workflow ids the other tests did not use (a query of an id whose latest run is an older test's would wait for its gone worker).
      const handle = await start({ from: '2026-12-01', to: '2026-12-03', concurrency: 2 });
      const waiting = async (id: string) => (await ts.env.client.workflow.getHandle(id).query(progressQuery).catch(() => undefined))?.currentStep === 'wait';
      expect(await eventually(async () => (await waiting('etl-daily-2026-12-01')) && (await waiting('etl-daily-2026-12-02')), 20_000)).toBe(true);
      await ts.env.client.workflow.getHandle('etl-daily-2026-12-01').cancel();
      const second = await ts.env.client.workflow.getHandle('etl-daily-2026-12-02').query(progressQuery);
      fake.finishRun(second.runId!);
      const err = await handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      return { err, progress: await handle.query(backfillProgressQuery) };
    });
    const cause = (result.err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('BackfillIncomplete');
    expect(cause.message).toBe('1 of 2 runs of daily did not succeed: 2026-12-01 (cancelled)');
    expect((cause.details?.[0] as BackfillFailureDetails).failures).toEqual([{ logicalTime: '2026-12-01T00:00:00.000Z', workflowId: 'etl-daily-2026-12-01', status: 'cancelled', error: 'cancelled' }]);
    expect(result.progress).toMatchObject({ phase: 'failed', succeeded: 1, failed: 0, cancelled: 1 });
  });

  it('startBackfill attaches to a running backfill of the same spec and range however spelt, and refuses another range under its id', async () => {
    const fake = fakeWorkspace({ tasks: ['main'], runPolls: Infinity });
    const taskQueue = `backfill-${++seq}`;
    const worker = await Worker.create({ connection: ts.env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: fake.activities });
    const outcome = await worker.runUntil(async () => {
      // January 2027: ids no other test uses.
      const first = await startBackfill(ts.env.client, spec, { taskQueue, from: '2027-01-01', to: '2027-01-03' });
      const same = await startBackfill(ts.env.client, spec, { taskQueue, from: '2027-01-01T00:00:00Z', to: '2027-01-03', every: '24h', concurrency: 1 });
      const other = await startBackfill(ts.env.client, spec, { taskQueue, from: '2027-01-01', to: '2027-01-03', concurrency: 2, workflowId: first.workflowId }).catch((e: unknown) => e);
      const status = (await first.handle.describe()).status.name;
      await first.handle.cancel();
      await first.handle.result().catch(() => undefined);
      return { first, same, other, status };
    });
    expect(outcome.first.workflowId).toBe('backfill-daily-2027-01-01-2027-01-03');
    expect([outcome.first.started, outcome.same.started, outcome.same.workflowId]).toEqual([true, false, outcome.first.workflowId]);
    expect(outcome.other).toBeInstanceOf(ConflictingStartError);
    expect((outcome.other as ConflictingStartError).differences).toEqual(['concurrency']);
    expect(outcome.status).toBe('RUNNING');
  });

  it('an invalid range or spec fails at once with every problem and starts no pipeline', async () => {
    const { result: err, fake } = await withWorker({}, async (start) =>
      (await start({ from: '2026-11-05', to: '2026-11-01', every: '30s', concurrency: 0 })).result().then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidBackfill');
    expect(cause.details?.[0]).toEqual({
      problems: [
        'every: must be a duration of at least 1m, such as "1d" or "1h", got "30s"',
        'concurrency: must be a whole number from 1 to 10, got 0',
        'to: must be after from (the range [from, to) is empty)',
      ],
    });
    expect(fake.calls).toEqual([]);
  });
});
