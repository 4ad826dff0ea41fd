import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatementsApi } from '../../../src/emulator/services/statements/index.js';
import { emulator, warehouse } from './client.js';

let ctx: Awaited<ReturnType<typeof emulator>>;
let wh: string;
beforeAll(async () => {
  ctx = await emulator();
  wh = await warehouse(ctx.call);
});
afterAll(() => ctx.emu.close());

const exec = (body: Record<string, unknown>, token?: string) => ctx.call('POST', '/api/2.0/sql/statements', { warehouse_id: wh, wait_timeout: '30s', ...body }, token);

describe('SQL statement execution on DuckDB', () => {
  it('runs a query and returns manifest and JSON_ARRAY strings', async () => {
    const r = await exec({ statement: "SELECT 1 AS i, 'x' AS s, 2.50 AS d, DATE '2024-01-02' AS dt, TIMESTAMP '2024-01-02 03:04:05.678' AS ts, true AS b, CAST(NULL AS STRING) AS n, 1e10 AS f" });
    expect(r.status).toBe(200);
    expect(r.body.status.state).toBe('SUCCEEDED');
    expect(r.body.manifest.schema.columns.map((c: { name: string; type_name: string; type_text: string }) => [c.name, c.type_name, c.type_text])).toEqual([
      ['i', 'INT', 'INT'],
      ['s', 'STRING', 'STRING'],
      ['d', 'DECIMAL', 'DECIMAL(3,2)'],
      ['dt', 'DATE', 'DATE'],
      ['ts', 'TIMESTAMP', 'TIMESTAMP'],
      ['b', 'BOOLEAN', 'BOOLEAN'],
      ['n', 'STRING', 'STRING'],
      ['f', 'DOUBLE', 'DOUBLE'],
    ]);
    expect(r.body.manifest.total_row_count).toBe(1);
    expect(r.body.result.data_array).toEqual([['1', 'x', '2.50', '2024-01-02', '2024-01-02T03:04:05.678Z', 'true', null, '1.0E10']]);
  });

  it('accepts POST /api/2.0/sql/statements/ with the trailing slash (the Java SDK sends it)', async () => {
    const r = await ctx.call('POST', '/api/2.0/sql/statements/', { warehouse_id: wh, wait_timeout: '30s', statement: 'SELECT 7 AS x' });
    expect(r.status).toBe(200);
    expect(r.body.result.data_array).toEqual([['7']]);
  });

  it('data written by one statement is read by the next, and Unity Catalog REST sees the table', async () => {
    expect((await exec({ statement: 'CREATE TABLE main.default.events AS SELECT range AS id FROM range(10)' })).body.status.state).toBe('SUCCEEDED');
    const r = await exec({ statement: 'SELECT count(*) AS n, sum(id) AS s FROM events', catalog: 'main', schema: 'default' });
    expect(r.body.result.data_array).toEqual([['10', '45']]);
    const t = await ctx.call('GET', '/api/2.1/unity-catalog/tables/main.default.events');
    expect(t.status).toBe(200);
    expect(t.body.full_name).toBe('main.default.events');
    expect(t.body.columns[0]).toMatchObject({ name: 'id', type_name: 'LONG' });
  });

  it('splits results into chunks with next_chunk_index links', async () => {
    ctx.emu.service<StatementsApi>('statements')!.setChunkLimits({ maxRows: 4 });
    try {
      const r = await exec({ statement: 'SELECT range AS v FROM range(10) ORDER BY v' });
      expect(r.body.manifest.total_chunk_count).toBe(3);
      expect(r.body.manifest.chunks).toEqual([
        { chunk_index: 0, row_offset: 0, row_count: 4 },
        { chunk_index: 1, row_offset: 4, row_count: 4 },
        { chunk_index: 2, row_offset: 8, row_count: 2 },
      ]);
      expect(r.body.result.next_chunk_index).toBe(1);
      const id = r.body.statement_id as string;
      const c1 = await ctx.call('GET', r.body.result.next_chunk_internal_link as string);
      expect(c1.body).toMatchObject({ chunk_index: 1, row_offset: 4, data_array: [['4'], ['5'], ['6'], ['7']], next_chunk_index: 2 });
      const c2 = await ctx.call('GET', `/api/2.0/sql/statements/${id}/result/chunks/2`);
      expect(c2.body.data_array).toEqual([['8'], ['9']]);
      expect(c2.body.next_chunk_index).toBeUndefined();
      expect((await ctx.call('GET', `/api/2.0/sql/statements/${id}/result/chunks/3`)).status).toBe(400);
    } finally {
      ctx.emu.service<StatementsApi>('statements')!.setChunkLimits({ maxRows: 65_536 });
    }
  });

  it('EXTERNAL_LINKS: one unauthenticated link per chunk, byte counts in the manifest', async () => {
    ctx.emu.service<StatementsApi>('statements')!.setChunkLimits({ maxRows: 4 });
    try {
      const r = await exec({ statement: 'SELECT range AS v, CAST(range AS STRING) AS s FROM range(6) ORDER BY v', disposition: 'EXTERNAL_LINKS' });
      expect(r.body.status.state).toBe('SUCCEEDED');
      expect(r.body.manifest.total_chunk_count).toBe(2);
      expect(r.body.manifest.total_byte_count).toBeGreaterThan(0);
      expect(r.body.manifest.chunks[0].byte_count).toBeGreaterThan(0);
      expect(r.body.result.data_array).toBeUndefined();
      const [link] = r.body.result.external_links as { external_link: string; expiration: string; http_headers: object; next_chunk_internal_link: string; row_count: number }[];
      expect(link!.row_count).toBe(4);
      expect(link!.http_headers).toEqual({});
      expect(Date.parse(link!.expiration)).toBeGreaterThan(Date.now());
      expect(link!.external_link.startsWith(ctx.emu.url)).toBe(false);
      const first = await fetch(link!.external_link);
      expect(await first.json()).toEqual([['0', '0'], ['1', '1'], ['2', '2'], ['3', '3']]);
      const next = await ctx.call('GET', link!.next_chunk_internal_link);
      const second = await fetch(next.body.external_links[0].external_link);
      expect(await second.json()).toEqual([['4', '4'], ['5', '5']]);
      expect(next.body.external_links[0].next_chunk_index).toBeUndefined();
      expect((await fetch(link!.external_link.replace(/results\/.*/, 'results/forged'))).status).toBe(404);
      expect((await exec({ statement: 'SELECT 1', disposition: 'EXTERNAL_LINKS', format: 'ARROW_STREAM' })).status).toBe(501);
    } finally {
      ctx.emu.service<StatementsApi>('statements')!.setChunkLimits({ maxRows: 65_536 });
    }
  });

  it('row_limit and byte_limit truncate and say so', async () => {
    const r = await exec({ statement: 'SELECT range AS v FROM range(100)', row_limit: 7 });
    expect(r.body.manifest.total_row_count).toBe(7);
    expect(r.body.manifest.truncated).toBe(true);
    const b = await exec({ statement: 'SELECT range::BIGINT AS v FROM range(100)', byte_limit: 80 });
    expect(b.body.manifest.total_row_count).toBe(10);
    expect(b.body.manifest.truncated).toBe(true);
    expect((await exec({ statement: 'SELECT 1' })).body.manifest.truncated).toBe(false);
  });

  it('an INLINE result over 25 MiB fails unless byte_limit trims it', async () => {
    const big = "SELECT repeat('x', 1000) AS s FROM range(30000)";
    const r = await exec({ statement: big });
    expect(r.status).toBe(200);
    expect(r.body.status.state).toBe('FAILED');
    expect(r.body.status.error.message).toMatch(/byte limit/i);
    const trimmed = await exec({ statement: big, byte_limit: 1_000_000 });
    expect(trimmed.body.status.state).toBe('SUCCEEDED');
    expect(trimmed.body.manifest).toMatchObject({ total_row_count: 1000, truncated: true });
  });

  it('named parameters with types', async () => {
    const r = await exec({
      statement: 'SELECT :name AS n, :day + 1 AS d, :missing IS NULL AS m',
      parameters: [{ name: 'name', value: "O'Brien" }, { name: 'day', value: '41', type: 'INT' }, { name: 'missing', type: 'DATE' }],
    });
    expect(r.body.result.data_array).toEqual([["O'Brien", '42', 'true']]);
  });

  it('a SQL error is FAILED with HTTP 200 and changes nothing', async () => {
    const r = await exec({ statement: 'SELECT * FROM main.default.no_such_table' });
    expect(r.status).toBe(200);
    expect(r.body.status.state).toBe('FAILED');
    expect(r.body.status.error.message).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    expect(r.body.manifest).toBeUndefined();
    const unbound = await exec({ statement: 'SELECT :x' });
    expect(unbound.body.status.error.message).toMatch(/UNBOUND_SQL_PARAMETER/);
    // A positional marker is named as such (DuckDB alone would fail with an internal type error).
    const positional = await exec({ statement: 'SELECT ? + 1', parameters: [{ name: 'x', value: '1', type: 'INT' }] });
    expect(positional.body.status.error.message).toMatch(/UNBOUND_SQL_PARAMETER.*positional parameter marker \(\?\).*:name/);
    const bad = await exec({ statement: 'CREATE TABLE main.default.half (a INT GENERATED ALWAYS AS IDENTITY)' });
    expect(bad.body.status.error.message).toMatch(/not supported by the emulator/);
    expect((await ctx.call('GET', '/api/2.1/unity-catalog/tables/main.default.half')).status).toBe(404);
  });

  it('rejects bad requests with 400/404 and the real error shape', async () => {
    for (const wait of ['1s', '51s', '10', 'abc']) {
      const r = await exec({ statement: 'SELECT 1', wait_timeout: wait });
      expect(r.status).toBe(400);
      expect(r.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(r.body.message).toMatch(/wait_timeout/);
    }
    expect((await exec({ statement: 'SELECT 1', warehouse_id: 'nope' })).status).toBe(404);
    expect((await exec({ statement: 'SELECT 1', parameters: [{ name: 'a b', value: '1' }] })).status).toBe(400);
    expect((await exec({ statement: 'SELECT 1', parameters: [{ name: 'a', value: '1', type: 'MAP<INT,INT>' }] })).status).toBe(400);
    expect((await exec({ statement: 'SELECT 1', format: 'CSV' })).status).toBe(400);
    const missing = await ctx.call('POST', '/api/2.0/sql/statements', { warehouse_id: wh });
    expect(missing.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: statement' });
    expect((await ctx.call('GET', '/api/2.0/sql/statements/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('wait_timeout 0s returns at once; the statement then completes; cancel of a finished one is a no-op', async () => {
    const r = await exec({ statement: 'SELECT 42', wait_timeout: '0s' });
    expect(['PENDING', 'RUNNING', 'SUCCEEDED']).toContain(r.body.status.state);
    const id = r.body.statement_id as string;
    let state = r.body.status.state as string;
    for (let i = 0; i < 200 && state !== 'SUCCEEDED'; i++) {
      await new Promise((res) => setTimeout(res, 10));
      state = (await ctx.call('GET', `/api/2.0/sql/statements/${id}`)).body.status.state as string;
    }
    expect(state).toBe('SUCCEEDED');
    expect((await ctx.call('POST', `/api/2.0/sql/statements/${id}/cancel`)).status).toBe(200);
    expect((await ctx.call('GET', `/api/2.0/sql/statements/${id}`)).body.status.state).toBe('SUCCEEDED');
  });
});

describe('statements against a warehouse in real time', () => {
  it('waits for a stopped warehouse (auto-start), cancels on timeout with CANCEL, and results expire', async () => {
    const { emu, call } = await emulator({ speed: 0 });
    try {
      const id = await warehouse(call, 'slow');
      expect((await call('GET', `/api/2.0/sql/warehouses/${id}`)).body.state).toBe('STARTING');
      await call('POST', `/api/2.0/sql/warehouses/${id}/stop`);
      emu.clock.advance(60_000);
      emu.tick();
      expect((await call('GET', `/api/2.0/sql/warehouses/${id}`)).body.state).toBe('STOPPED');
      // Paused clock: the warehouse cannot finish starting, so the statement stays PENDING.
      const pending = await call('POST', '/api/2.0/sql/statements', { warehouse_id: id, statement: 'SELECT 1', wait_timeout: '0s' });
      expect(pending.body.status.state).toBe('PENDING');
      expect((await call('GET', `/api/2.0/sql/warehouses/${id}`)).body.state).toBe('STARTING');
      emu.clock.advance(10 * 60_000);
      emu.tick();
      let st = pending.body.status.state as string;
      for (let i = 0; i < 200 && st !== 'SUCCEEDED'; i++) {
        await new Promise((res) => setTimeout(res, 10));
        st = (await call('GET', `/api/2.0/sql/statements/${pending.body.statement_id}`)).body.status.state as string;
      }
      expect(st).toBe('SUCCEEDED');
      // A long statement (directive) with on_wait_timeout=CANCEL comes back CANCELED.
      await call('POST', '/_emulator/clock', { speed: 60 });
      const long = await call('POST', '/api/2.0/sql/statements', { warehouse_id: id, statement: '-- emulator: duration=600\nSELECT 1', wait_timeout: '5s', on_wait_timeout: 'CANCEL' });
      expect(long.body.status.state).toBe('CANCELED');
      // Results close after an hour and disappear after 12 hours.
      await call('POST', '/_emulator/clock', { speed: 0 });
      emu.clock.advance(61 * 60_000);
      emu.tick();
      const closed = await call('GET', `/api/2.0/sql/statements/${pending.body.statement_id}`);
      expect(closed.body.status.state).toBe('CLOSED');
      expect(closed.body.result).toBeUndefined();
      emu.clock.advance(12 * 60 * 60_000);
      emu.tick();
      expect((await call('GET', `/api/2.0/sql/statements/${pending.body.statement_id}`)).status).toBe(404);
    } finally {
      await emu.close();
    }
  });
});
