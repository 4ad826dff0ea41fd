// @temporalio/proto comes with @temporalio/client (same pinned version); it encodes as the server stores.
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import type { etlPipeline } from '../../../src/workflows/etl-pipeline.js';
import { workflowBundle } from '../../support/temporal.js';
import { useTimeSkippingEnv } from '../../support/time-skipping-env.js';
import { fakeWorkspace } from './fake-workspace.js';

const ts = useTimeSkippingEnv();

describe('pipeline history stays bounded whatever the durations', () => {
  it('a 30-hour run wait (300 polls, virtual time) keeps the history under 60 events and 64 KiB', async () => {
    // 300 "not yet" answers 6 minutes apart: every poll is a retry of ONE waiter activity.
    const fake = fakeWorkspace({ tasks: ['extract', 'load'], clusterPolls: 20, runPolls: 300, pollDelayMs: 6 * 60_000, statementRows: 1_000_000 });
    const worker = await Worker.create({ connection: ts.env.nativeConnection, taskQueue: 'bounded', workflowBundle: await workflowBundle(), activities: fake.activities });
    const start = await ts.env.currentTimeMs();
    const handle = await ts.env.client.workflow.start<typeof etlPipeline>('etlPipeline', {
      taskQueue: 'bounded',
      workflowId: 'bounded-history',
      args: [
        {
          spec: {
            name: 'long',
            cluster: { new_cluster: { spark_version: '15.4.x-scala2.12', num_workers: 8 } },
            job: { tasks: [{ task_key: 'extract', notebook_task: { notebook_path: '/x' } }, { task_key: 'load', notebook_task: { notebook_path: '/y' } }] },
            sql: { warehouse_id: 'wh', statement: 'SELECT * FROM big', max_rows: 1000 },
            timeouts: { cluster_start: '4h', run: '48h' },
          },
        },
      ],
    });
    const result = await worker.runUntil(handle.result());
    const virtualHours = ((await ts.env.currentTimeMs()) - start) / 3_600_000;
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const bytes = temporal.api.history.v1.History.encode(history).finish().length;

    expect(result.run.state).toBe('SUCCESS');
    // A million-row result is summarised: some rows, the total, and the truncation flag.
    expect(result.sql?.truncated).toBe(true);
    expect(result.sql?.rows.length).toBeGreaterThan(0);
    expect(virtualHours).toBeGreaterThanOrEqual(30);
    expect(fake.names().filter((n) => n === 'waitRunTerminated')).toHaveLength(301);
    expect(events.length).toBeLessThanOrEqual(60);
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    expect(bytes).toBeGreaterThan(16 * 1024); // the rows are in there: the bound is not met by dropping them
  });
});
