import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError } from '../../../src/databricks/index.js';
import { until, useEmulator } from './emulator.js';

const ctx = useEmulator();
const spec = { spark_version: '16.4.x-scala2.12', node_type_id: 'm5d.large', num_workers: 1 };

describe('clusters against the emulator', () => {
  it('lists node types and spark versions', async () => {
    const nodes = await ctx.client.clusters.listNodeTypes();
    expect(nodes.node_types?.some((n) => n.node_type_id === 'm5d.large')).toBe(true);
    const versions = await ctx.client.clusters.sparkVersions();
    expect(versions.versions?.some((v) => v.key === '16.4.x-scala2.12')).toBe(true);
  });

  it('create → RUNNING → resize → terminate → start → permanent delete', async () => {
    const { cluster_id } = await ctx.client.clusters.create({ ...spec, cluster_name: 'it-lifecycle', custom_tags: { workflow: 'wf-1' } });
    const running = await until(() => ctx.client.clusters.get({ cluster_id }), (c) => c.state === 'RUNNING');
    expect(running).toMatchObject({ cluster_name: 'it-lifecycle', custom_tags: { workflow: 'wf-1' }, num_workers: 1 });

    const listed = await ctx.client.clusters.list({ filter_by: { cluster_states: ['RUNNING'] } }).toArray();
    expect(listed.map((c) => c.cluster_id)).toContain(cluster_id);

    // Quirk 3: start on a running cluster is INVALID_STATE, not a no-op.
    const startErr = await ctx.client.clusters.start({ cluster_id }).catch((e: unknown) => e);
    expect(startErr).toBeInstanceOf(BadRequestError);
    expect(startErr).toMatchObject({ errorCode: 'INVALID_STATE' });

    await ctx.client.clusters.resize({ cluster_id, num_workers: 3 });
    await until(() => ctx.client.clusters.get({ cluster_id }), (c) => c.state === 'RUNNING' && c.num_workers === 3);

    await ctx.client.clusters.delete({ cluster_id });
    const terminated = await until(() => ctx.client.clusters.get({ cluster_id }), (c) => c.state === 'TERMINATED');
    expect(terminated.termination_reason?.code).toBe('USER_REQUEST');
    // Terminating twice is a no-op (that is why delete is marked safe to repeat).
    await expect(ctx.client.clusters.delete({ cluster_id })).resolves.toEqual({});

    await ctx.client.clusters.start({ cluster_id });
    await until(() => ctx.client.clusters.get({ cluster_id }), (c) => c.state === 'RUNNING');

    const events = await ctx.client.clusters.events({ cluster_id, page_size: 2 }).toArray();
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['CREATING', 'RUNNING', 'TERMINATING']));
    expect(await ctx.client.clusters.events({ cluster_id, page_size: 2, limit: 3 }).toArray()).toHaveLength(3);

    await ctx.client.clusters.pin({ cluster_id });
    await ctx.client.clusters.unpin({ cluster_id });
    await ctx.client.clusters.permanentDelete({ cluster_id });
    await expect(ctx.client.clusters.get({ cluster_id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('edits a terminated cluster (full replace)', async () => {
    const { cluster_id } = await ctx.client.clusters.create({ ...spec, cluster_name: 'it-edit' });
    await until(() => ctx.client.clusters.get({ cluster_id }), (c) => c.state === 'RUNNING');
    await ctx.client.clusters.delete({ cluster_id });
    await until(() => ctx.client.clusters.get({ cluster_id }), (c) => c.state === 'TERMINATED');
    await ctx.client.clusters.edit({ cluster_id, ...spec, cluster_name: 'it-edited', num_workers: 2 });
    const c = await ctx.client.clusters.get({ cluster_id });
    expect(c).toMatchObject({ cluster_name: 'it-edited', num_workers: 2, state: 'TERMINATED' });
  });

  it('pages through many clusters with page_size', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await ctx.client.clusters.create({ ...spec, cluster_name: `it-page-${i}` })).cluster_id);
    const first = await ctx.client.clusters.listPage({ page_size: 2 });
    expect(first.clusters).toHaveLength(2);
    expect(first.next_page_token).toBeTruthy();
    const all = await ctx.client.clusters.list({ page_size: 2 }).toArray();
    for (const id of ids) expect(all.map((c) => c.cluster_id)).toContain(id);
    expect(new Set(all.map((c) => c.cluster_id)).size).toBe(all.length);
  });

  it('a missing cluster is NotFoundError (400 INVALID_PARAMETER_VALUE quirk)', async () => {
    const err = await ctx.client.clusters.get({ cluster_id: '0101-000000-missing0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ status: 400, errorCode: 'INVALID_PARAMETER_VALUE' });
  });

  it('reports every call to the hook with its operation name', () => {
    const ops = new Set(ctx.events.map((e) => e.operation));
    for (const op of ['clusters.create', 'clusters.get', 'clusters.list', 'clusters.events', 'clusters.resize', 'clusters.delete', 'clusters.start', 'clusters.permanentDelete']) {
      expect(ops).toContain(op);
    }
  });
});
