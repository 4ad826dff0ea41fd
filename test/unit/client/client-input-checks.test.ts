/**
 * What a consumer of src/client gets for bad input: one InvalidPipelineSpecError listing every
 * problem (the spec's and the options'), and nothing sent to Temporal.
 */
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import * as clientApi from '../../../src/client/index.js';
import {
  BackfillFailureType,
  InvalidPipelineSpecError,
  WorkflowNotRunningError,
  cancelPipeline,
  backfillPipelineSchedule,
  createPipelineSchedule,
  listRecentPipelines,
  signalRunEvent,
  startBackfill,
  startPipeline,
} from '../../../src/client/index.js';

/** Records every call that would reach the server. */
function fakeClient(status = 'RUNNING') {
  const calls: string[] = [];
  const client = {
    workflow: {
      start: async (type: string, o: { workflowId: string }) => {
        calls.push(`start ${type}`);
        return { workflowId: o.workflowId };
      },
      getHandle: (workflowId: string) => ({
        workflowId,
        signal: async () => void calls.push(`signal ${workflowId}`),
        describe: async () => {
          calls.push(`describe ${workflowId}`);
          return { status: { name: status } };
        },
        cancel: async () => void calls.push(`cancel ${workflowId}`),
      }),
      list: () => {
        calls.push('list');
        return (async function* () {
          for (let i = 0; i < 5; i++) yield { workflowId: `etl-p-${i}`, runId: 'r', status: { name: 'COMPLETED' }, startTime: new Date(), memo: {} };
        })();
      },
    },
    schedule: {
      create: async (o: { scheduleId: string }) => {
        calls.push('schedule.create');
        return { scheduleId: o.scheduleId };
      },
      getHandle: (scheduleId: string) => ({
        backfill: async (b: { start: Date; end: Date }) => void calls.push(`backfill ${scheduleId} ${b.start.toISOString()} ${b.end.toISOString()}`),
      }),
    },
  } as unknown as Client;
  return { client, calls };
}

const spec = { name: 'p', job: { tasks: [{ task_key: 'a', sql_task: { warehouse_id: 'w', query: { query_id: 'q' } } }] } };
const badSpec = { name: 'bad name!', job: {} };

async function problems(p: Promise<unknown>): Promise<string[]> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidPipelineSpecError);
  return (err as InvalidPipelineSpecError).problems;
}

describe('client input checks', () => {
  it('startPipeline lists the spec problems and a bad logicalTime together', async () => {
    const { client, calls } = fakeClient();
    const p = await problems(startPipeline(client, badSpec, { taskQueue: 'q', logicalTime: '2026-13-45' }));
    expect(p.some((x) => x.startsWith('name:'))).toBe(true);
    expect(p.some((x) => x.startsWith('logicalTime:'))).toBe(true);
    expect(calls).toEqual([]);
  });

  it('startBackfill lists the spec problems and the range problems together', async () => {
    const { client, calls } = fakeClient();
    const p = await problems(startBackfill(client, badSpec, { taskQueue: 'q', from: 'x', to: '2026-11-01', concurrency: 99 }));
    expect(p.some((x) => x.startsWith('name:'))).toBe(true);
    expect(p.some((x) => x.startsWith('from:'))).toBe(true);
    expect(p.some((x) => x.startsWith('concurrency:'))).toBe(true);
    expect(calls).toEqual([]);
  });

  it('createPipelineSchedule lists the spec problems and a missing cron/interval together, as InvalidPipelineSpecError', async () => {
    const { client, calls } = fakeClient();
    const both = await problems(createPipelineSchedule(client, { scheduleId: 's', spec: badSpec, taskQueue: 'q' }));
    expect(both.some((x) => x.startsWith('name:'))).toBe(true);
    expect(both).toContain('cron, every: give at least one cron expression or interval');
    expect(await problems(createPipelineSchedule(client, { scheduleId: 's', spec, taskQueue: 'q' }))).toEqual(['cron, every: give at least one cron expression or interval']);
    expect(calls).toEqual([]);
  });

  it('the error names the parts that have problems, the same way for every start', async () => {
    const { client, calls } = fakeClient();
    const label = async (p: Promise<unknown>) => ((await p.catch((e: unknown) => e)) as Error).message.split(' (')[0];
    const noCron = { scheduleId: 's', taskQueue: 'q' };
    expect(await label(startPipeline(client, badSpec, { taskQueue: 'q' }))).toBe('invalid pipeline spec');
    expect(await label(startPipeline(client, spec, { taskQueue: 'q', logicalTime: '2026-13-45' }))).toBe('invalid logical time');
    expect(await label(startPipeline(client, badSpec, { taskQueue: 'q', logicalTime: '2026-13-45' }))).toBe('invalid pipeline spec and logical time');
    expect(await label(startBackfill(client, badSpec, { taskQueue: 'q', from: '2026-11-01', to: '2026-11-02' }))).toBe('invalid pipeline spec');
    expect(await label(startBackfill(client, spec, { taskQueue: 'q', from: 'x', to: '2026-11-02' }))).toBe('invalid backfill');
    expect(await label(startBackfill(client, badSpec, { taskQueue: 'q', from: 'x', to: '2026-11-02' }))).toBe('invalid pipeline spec and backfill');
    expect(await label(createPipelineSchedule(client, { ...noCron, spec: badSpec, cron: ['0 3 * * *'] }))).toBe('invalid pipeline spec');
    expect(await label(createPipelineSchedule(client, { ...noCron, spec }))).toBe('invalid schedule');
    expect(await label(createPipelineSchedule(client, { ...noCron, spec: badSpec }))).toBe('invalid pipeline spec and schedule');
    expect(calls).toEqual([]);
  });

  it('signalRunEvent refuses an event the pipeline would ignore, and sends nothing', async () => {
    const { client, calls } = fakeClient();
    const p = await problems(signalRunEvent(client, 'etl-p', { event: '', run_id: '42' } as never));
    expect(p).toEqual([
      `event: must be a non-empty string such as 'run.succeeded', got ""`,
      'run_id: must be a positive integer (the Databricks run id), got "42"',
    ]);
    await problems(signalRunEvent(client, 'etl-p', null as never));
    await problems(signalRunEvent(client, 'etl-p', { event: 'run.succeeded', run_id: 1, result_state: 5 } as never));
    expect(calls).toEqual([]);
    await signalRunEvent(client, 'etl-p', { event: 'run.succeeded', run_id: 42, result_state: 'SUCCESS' });
    expect(calls).toEqual(['signal etl-p']);
  });

  it('listRecentPipelines returns at most limit runs and refuses a limit below 1', async () => {
    const { client, calls } = fakeClient();
    expect(await listRecentPipelines(client, { limit: 2 })).toHaveLength(2);
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await expect(listRecentPipelines(client, { limit })).rejects.toThrow(/limit must be a whole number of at least 1/);
    }
    expect(calls).toEqual(['list']);
  });

  it('cancelPipeline of a workflow that already ended rejects instead of resolving as if it had been asked', async () => {
    const ended = fakeClient('CANCELLED');
    const err = await cancelPipeline(ended.client, 'etl-p').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowNotRunningError);
    expect(err).toMatchObject({ workflowId: 'etl-p', status: 'CANCELLED', message: 'workflow etl-p is not running: it ended CANCELLED' });
    expect(ended.calls).toEqual(['describe etl-p']);
    const running = fakeClient();
    await cancelPipeline(running.client, 'etl-p');
    expect(running.calls).toEqual(['describe etl-p', 'cancel etl-p']);
  });

  it('backfillPipelineSchedule takes dates as strings, as startBackfill does, and lists bad ones', async () => {
    const { client, calls } = fakeClient();
    const p = await problems(backfillPipelineSchedule(client, 's', { from: '2026-11-31', to: new Date('nope') }));
    expect(p).toEqual([
      'from: must be a valid Date, an ISO-8601 date (2026-11-20) or a date-time with a zone (2026-11-20T03:00:00Z), got "2026-11-31"',
      'to: must be a valid Date, an ISO-8601 date (2026-11-20) or a date-time with a zone (2026-11-20T03:00:00Z), got an invalid Date',
    ]);
    expect(await problems(backfillPipelineSchedule(client, 's', { from: '2026-11-02', to: '2026-11-01' }))).toEqual([
      'to: must be after from (the range [2026-11-02T00:00:00.000Z, 2026-11-01T00:00:00.000Z) is empty)',
    ]);
    expect(calls).toEqual([]);
    await backfillPipelineSchedule(client, 's', { from: '2026-11-01', to: new Date('2026-11-03T00:00:00Z') });
    expect(calls).toEqual(['backfill s 2026-10-31T23:59:59.999Z 2026-11-02T23:59:59.999Z']);
  });

  it('exports what a backfill caller needs to branch on its failure', () => {
    expect(BackfillFailureType.Incomplete).toBe('BackfillIncomplete');
    expect(typeof clientApi.followBackfill).toBe('function');
  });
});
