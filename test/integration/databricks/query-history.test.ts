import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/databricks/index.js';
import { until, useEmulator } from './emulator.js';

const ctx = useEmulator();

describe('queryHistory against the emulator', () => {
  let wh = '';
  const ran: string[] = [];
  beforeAll(async () => {
    wh = (await ctx.client.warehouses.create({ name: 'qh-wh', cluster_size: 'X-Small', auto_stop_mins: 10 })).id;
    await until(() => ctx.client.warehouses.get({ id: wh }), (w) => w.state === 'RUNNING');
    for (const statement of ['SELECT 1', 'SELECT * FROM main.default.nowhere', 'SELECT range FROM range(5)']) {
      ran.push((await ctx.client.statements.execute({ warehouse_id: wh, statement, wait_timeout: '30s' })).statement_id!);
    }
  });

  it('list pages through every entry newest first; the filter travels as the SDKs send it', async () => {
    ctx.events.length = 0;
    const all = await ctx.client.queryHistory.list({ filter_by: { warehouse_ids: [wh] }, max_results: 2 }).toArray();
    expect(all.map((q) => q.query_id)).toEqual([...ran].reverse());
    expect(all.map((q) => q.status)).toEqual(['FINISHED', 'FAILED', 'FINISHED']);
    expect(all[0]).toMatchObject({ query_text: 'SELECT range FROM range(5)', statement_type: 'SELECT', rows_produced: 5, warehouse_id: wh });
    // Two pages of two (three entries): the second request followed the first one's token.
    expect(ctx.events.filter((e) => e.operation === 'queryHistory.list')).toHaveLength(2);
    // A filter that matches nothing here proves filter_by reaches the service.
    expect(await ctx.client.queryHistory.list({ filter_by: { warehouse_ids: ['no-such-warehouse'] } }).toArray()).toEqual([]);

    const failed = await ctx.client.queryHistory.list({ filter_by: { statuses: ['FAILED'], statement_ids: ran } }).toArray();
    expect(failed.map((q) => q.query_id)).toEqual([ran[1]]);
    expect(failed[0]!.error_message).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    const [newest] = await ctx.client.queryHistory.list({ limit: 1 }).toArray();
    expect(newest!.query_id).toBe(ran[2]);
  });

  it('listPage returns one page with its token, and metrics only on request', async () => {
    const first = await ctx.client.queryHistory.listPage({ max_results: 1, include_metrics: true });
    expect(first.has_next_page).toBe(true);
    expect(first.res![0]!.metrics).toMatchObject({ rows_produced_count: 5, result_from_cache: false });
    const second = await ctx.client.queryHistory.listPage({ max_results: 1, page_token: first.next_page_token! });
    expect(second.res!.map((q) => q.query_id)).toEqual([ran[1]]);
    expect(second.res![0]!.metrics).toBeUndefined();
    const start = first.res![0]!.query_start_time_ms!;
    const inRange = await ctx.client.queryHistory.list({ filter_by: { query_start_time_range: { start_time_ms: start, end_time_ms: start } } }).toArray();
    expect(inRange.map((q) => q.query_id)).toContain(ran[2]);
  });

  it('bad arguments are refused before anything is sent', async () => {
    ctx.events.length = 0;
    const refused = async (req: Parameters<typeof ctx.client.queryHistory.listPage>[0], argument: string, message: RegExp) => {
      const err = await ctx.client.queryHistory.listPage(req).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({ argument });
      expect((err as Error).message).toMatch(message);
    };
    await refused({ max_results: 1000 }, 'max_results', /must be less than 1000/);
    await refused({ max_results: 0 }, 'max_results', /must be at least 1/);
    await refused({ filter_by: { statuses: ['DONE' as never] } }, 'filter_by.statuses.0', /must be one of QUEUED/);
    await refused({ filter_by: { user_ids: [-1] } }, 'filter_by.user_ids.0', /must not be negative/);
    await refused({ filter_by: { query_start_time_range: { start_time_ms: 2, end_time_ms: 1 } } }, 'filter_by.query_start_time_range', /start_time_ms must not be after end_time_ms/);
    expect(ctx.events).toEqual([]);
  });
});
