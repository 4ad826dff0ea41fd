/**
 * The webhook receiver's owner lookup for notifications without the run-name marker (Databricks'
 * destination shape): notifications that miss at the same time share one scan of the running
 * pipelines, and a scan asks only the pipelines whose run id is not yet known.
 */
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../../../src/client/webhook-receiver.js';

function fakeClient(runs: Record<string, number | undefined>) {
  const counts = { lists: 0, queries: 0, signals: [] as { workflowId: string; runId: number }[] };
  const client = {
    workflow: {
      list: () => {
        counts.lists++;
        return (async function* () {
          for (const workflowId of Object.keys(runs)) yield { workflowId, runId: 'r', status: { name: 'RUNNING' }, startTime: new Date() };
        })();
      },
      getHandle: (workflowId: string) => ({
        query: async () => {
          counts.queries++;
          await new Promise((r) => setTimeout(r, 5));
          return { runId: runs[workflowId] };
        },
        signal: async (_def: unknown, event: { run_id: number }) => void counts.signals.push({ workflowId, runId: event.run_id }),
      }),
    },
  } as unknown as Client;
  return { client, counts };
}

const post = (url: string, runId: number) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event_type: 'jobs.on_success', run: { run_id: String(runId) } }) }).then((r) => r.status);

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('webhook receiver: owner lookup without a run-name marker', () => {
  it('a burst of notifications shares one scan; later ones hit the cache; a pipeline that got its run id later is found by a fresh scan', async () => {
    const runs: Record<string, number | undefined> = { 'etl-a': 11, 'etl-b': 12, 'etl-c': 13, 'etl-d': undefined };
    const { client, counts } = fakeClient(runs);
    const receiver = await startWebhookReceiver({ client });
    try {
      expect(await Promise.all([post(receiver.url, 11), post(receiver.url, 12), post(receiver.url, 13)])).toEqual([202, 202, 202]);
      await until(() => counts.signals.length === 3);
      expect(counts.signals.sort((x, y) => x.runId - y.runId)).toEqual([
        { workflowId: 'etl-a', runId: 11 },
        { workflowId: 'etl-b', runId: 12 },
        { workflowId: 'etl-c', runId: 13 },
      ]);
      // One scan (one list, one query per pipeline) for the whole burst, not one per notification.
      expect(counts.lists).toBe(1);
      expect(counts.queries).toBe(4);
      // The pipeline without a run id then gets one: only it is asked again.
      runs['etl-d'] = 14;
      await post(receiver.url, 14);
      await until(() => counts.signals.length === 4);
      expect(counts.signals.at(-1)).toEqual({ workflowId: 'etl-d', runId: 14 });
      expect(counts.queries).toBe(5);
      // An unknown run: one more scan finds nothing, and it is counted as unmatched.
      await post(receiver.url, 99);
      await until(() => receiver.stats.unmatched === 1);
      expect(receiver.stats).toMatchObject({ received: 5, signalled: 4, unmatched: 1 });
    } finally {
      await receiver.close();
    }
  });
});
