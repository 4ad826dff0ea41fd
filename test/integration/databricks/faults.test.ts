/**
 * The retry rules against real connection behaviour: the emulator drops or resets connections,
 * answers 503/429 with Retry-After, and delays responses, through its fault-injection API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, RequestTimeoutError, TemporarilyUnavailableError } from '../../../src/databricks/index.js';
import { until, useEmulator } from './emulator.js';

const ctx = useEmulator();
const spec = { spark_version: '16.4.x-scala2.12', node_type_id: 'm5d.large', num_workers: 1 };
const named = async (name: string) => (await ctx.client.clusters.list().toArray()).filter((c) => c.cluster_name === name);

afterEach(() => ctx.emu.faults.clear());

describe('retry rules against injected faults', () => {
  it('does not re-send a create whose connection dropped after it was applied (exactly one cluster exists)', async () => {
    ctx.emu.faults.add({ method: 'POST', path: '/api/2.1/clusters/create', action: 'drop_after_apply', times: 1 });
    const err = await ctx.client.clusters.create({ ...spec, cluster_name: 'fault-drop' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).mayHaveReachedServer).toBe(true);
    expect(await named('fault-drop')).toHaveLength(1);
  });

  it('re-sends a safe GET after a connection reset', async () => {
    const { cluster_id } = await ctx.client.clusters.create({ ...spec, cluster_name: 'fault-reset' });
    ctx.emu.faults.add({ method: 'GET', path: '/api/2.1/clusters/get', action: 'reset_before_apply', times: 1 });
    const before = ctx.events.length;
    await expect(ctx.client.clusters.get({ cluster_id })).resolves.toMatchObject({ cluster_id });
    const attempts = ctx.events.slice(before).filter((e) => e.operation === 'clusters.get');
    expect(attempts.map((e) => [e.attempt, e.status, e.willRetry])).toEqual([
      [1, undefined, true],
      [2, 200, false],
    ]);
  });

  it('re-sends run-now with an idempotency token after a drop; the server dedupes to one run', async () => {
    const { job_id } = await ctx.client.jobs.create({ name: 'fault-job', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/x' }, existing_cluster_id: 'none' }] });
    ctx.emu.faults.add({ method: 'POST', path: '/api/2.2/jobs/run-now', action: 'drop_after_apply', times: 1 });
    const { run_id } = await ctx.client.jobs.runNow({ job_id, idempotency_token: 'fault-token-1' });
    const runs = await ctx.client.jobs.listRuns({ job_id }).toArray();
    expect(runs.map((r) => r.run_id)).toEqual([run_id]);
  });

  it('honours Retry-After from a 503 on a safe call, and does not retry the 503 on a create', async () => {
    const { cluster_id } = await ctx.client.clusters.create({ ...spec, cluster_name: 'fault-503' });
    ctx.emu.faults.add({
      method: 'POST',
      path: '/api/2.1/clusters/delete',
      action: 'respond',
      status: 503,
      retry_after: 1,
      body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'try later' },
      times: 1,
    });
    const before = ctx.events.length;
    await expect(ctx.client.clusters.delete({ cluster_id })).resolves.toEqual({});
    const first = ctx.events.slice(before).find((e) => e.operation === 'clusters.delete')!;
    expect(first.error?.retryAfterMs).toBe(1000);

    ctx.emu.faults.add({ method: 'POST', path: '/api/2.1/clusters/create', action: 'respond', status: 503, body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'x' }, times: 1 });
    await expect(ctx.client.clusters.create({ ...spec, cluster_name: 'fault-503-create' })).rejects.toBeInstanceOf(TemporarilyUnavailableError);
    expect(await named('fault-503-create')).toHaveLength(0);
  });

  it('times out a slow unsafe request without re-sending it', async () => {
    ctx.emu.faults.add({ method: 'POST', path: '/api/2.1/clusters/create', action: 'latency', latency_ms: 2500, times: 1 });
    const slow = ctx.makeClient({ timeoutMs: 300 });
    await expect(slow.clusters.create({ ...spec, cluster_name: 'fault-slow' })).rejects.toBeInstanceOf(RequestTimeoutError);
    // The emulator finishes the request after the client gave up: it is applied exactly once.
    expect(await until(() => named('fault-slow'), (cs) => cs.length > 0, 1000)).toHaveLength(1);
  });
});
