import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { expectErrorShape, startTestEmulator, TestClient } from './helpers.js';

/** Unity Catalog functions (/api/2.1/unity-catalog/functions) on the wire, and the same functions over SQL. */
let emu: RunningEmulator;
let api: TestClient;
beforeAll(async () => {
  ({ emu, api } = await startTestEmulator());
});
afterAll(() => emu?.close());
beforeEach(() => emu.reset());

const UC = '/api/2.1/unity-catalog';
const FNS = `${UC}/functions`;
function expectError(r: { status: number; body: Record<string, unknown> }, status: number, code: string): void {
  expectErrorShape(r.body);
  expect({ status: r.status, error_code: r.body.error_code }).toEqual({ status, error_code: code });
}

/** The body the Python SDK sends for `w.functions.create(CreateFunction(...))`. */
const functionInfo = (name: string, extra: Record<string, unknown> = {}) => ({
  function_info: {
    name,
    catalog_name: 'sales',
    schema_name: 'raw',
    input_params: { parameters: [{ name: 'x', type_text: 'int', type_name: 'INT', position: 0 }, { name: 'y', type_text: 'int', type_name: 'INT', position: 1, parameter_default: '1' }] },
    data_type: 'INT',
    full_data_type: 'int',
    routine_body: 'SQL',
    routine_definition: 'x * y',
    parameter_style: 'S',
    is_deterministic: true,
    sql_data_access: 'CONTAINS_SQL',
    is_null_call: false,
    security_type: 'DEFINER',
    specific_name: name,
    ...extra,
  },
});

async function setUp(): Promise<(statement: string) => Promise<Record<string, unknown>>> {
  expect((await api.post(`${UC}/catalogs`, { name: 'sales' })).status).toBe(200);
  expect((await api.post(`${UC}/schemas`, { catalog_name: 'sales', name: 'raw' })).status).toBe(200);
  const warehouseId = String((await api.post('/api/2.0/sql/warehouses', { name: 'w', cluster_size: '2X-Small', max_num_clusters: 1 })).body.id);
  return async (statement) => (await api.post('/api/2.0/sql/statements', { statement, warehouse_id: warehouseId, wait_timeout: '30s' })).body;
}

describe('Unity Catalog functions', () => {
  it('create, get, list (paged), update owner, delete; SQL calls what the API created', async () => {
    const sql = await setUp();
    const created = await api.post(FNS, functionInfo('Mul'));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: 'mul',
      full_name: 'sales.raw.mul',
      catalog_name: 'sales',
      schema_name: 'raw',
      data_type: 'INT',
      routine_body: 'SQL',
      routine_definition: 'x * y',
      is_deterministic: true,
      sql_data_access: 'CONTAINS_SQL',
      security_type: 'DEFINER',
      owner: 'admin@emulator.local',
      input_params: { parameters: [{ name: 'x', type_name: 'INT', position: 0 }, { name: 'y', type_name: 'INT', position: 1, parameter_default: '1' }] },
    });
    expect((await api.get(`${FNS}/sales.raw.MUL`)).body).toEqual(created.body);
    expect(await sql('SELECT sales.raw.mul(6, 7) AS v, sales.raw.mul(5) AS w')).toMatchObject({ status: { state: 'SUCCEEDED' }, result: { data_array: [['42', '5']] } });

    for (const n of ['a', 'b']) expect((await api.post(FNS, functionInfo(n))).status).toBe(200);
    const first = await api.get<{ functions: { name: string }[]; next_page_token?: string }>(FNS, { catalog_name: 'sales', schema_name: 'raw', max_results: 2 });
    expect(first.body.functions.map((f) => f.name)).toEqual(['a', 'b']);
    const second = await api.get<{ functions: { name: string }[] }>(FNS, { catalog_name: 'sales', schema_name: 'raw', max_results: 2, page_token: first.body.next_page_token });
    expect(second.body).toEqual({ functions: [expect.objectContaining({ name: 'mul' })] });

    const updated = await api.call('PATCH', `${FNS}/sales.raw.mul`, { owner: 'data-eng' });
    expect(updated.body).toMatchObject({ owner: 'data-eng', function_id: created.body.function_id });
    expect((await api.call('DELETE', `${FNS}/sales.raw.mul`, { force: true })).status).toBe(200);
    expectError(await api.get(`${FNS}/sales.raw.mul`), 404, 'FUNCTION_DOES_NOT_EXIST');
    expect(await sql('SELECT sales.raw.mul(1)')).toMatchObject({ status: { state: 'FAILED', error: { message: expect.stringMatching(/UNRESOLVED_ROUTINE/) } } });
  });

  it('a function created over SQL shows up in the API; table functions carry return_params', async () => {
    const sql = await setUp();
    expect(await sql('CREATE FUNCTION sales.raw.seq(n INT) RETURNS TABLE (i BIGINT COMMENT "index") RETURN SELECT * FROM range(n)')).toMatchObject({ status: { state: 'SUCCEEDED' } });
    const got = await api.get(`${FNS}/sales.raw.seq`);
    expect(got.body).toMatchObject({
      data_type: 'TABLE_TYPE',
      routine_definition: 'SELECT * FROM range(n)',
      return_params: { parameters: [{ name: 'i', type_name: 'LONG', parameter_type: 'COLUMN', position: 0, comment: 'index' }] },
    });
    expect((await api.get<{ functions: unknown[] }>(FNS, { catalog_name: 'sales', schema_name: 'raw' })).body.functions).toHaveLength(1);
    expect(await sql('SELECT count(*) FROM sales.raw.seq(4)')).toMatchObject({ result: { data_array: [['4']] } });
  });

  it('bad requests are refused and change nothing', async () => {
    await setUp();
    expectError(await api.post(FNS, functionInfo('m', { routine_definition: 'x + nope' })), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await api.post(FNS, functionInfo('m', { full_data_type: 'wat', data_type: 'USER_DEFINED_TYPE' })), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await api.post(FNS, functionInfo('m', { routine_body: 'EXTERNAL' })), 501, 'NOT_IMPLEMENTED');
    expectError(await api.post(FNS, functionInfo('m', { schema_name: 'nope' })), 404, 'SCHEMA_DOES_NOT_EXIST');
    expect((await api.get<{ functions: unknown[] }>(FNS, { catalog_name: 'sales', schema_name: 'raw' })).body).toEqual({ functions: [] });
    expect((await api.post(FNS, functionInfo('m'))).status).toBe(200);
    expectError(await api.post(FNS, functionInfo('m')), 409, 'FUNCTION_ALREADY_EXISTS');
    expectError(await api.get(`${FNS}/sales.raw`), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await api.get(FNS, { catalog_name: 'sales', schema_name: 'nope' }), 404, 'SCHEMA_DOES_NOT_EXIST');
    expectError(await api.call('DELETE', `${FNS}/sales.raw.other`), 404, 'FUNCTION_DOES_NOT_EXIST');
    // A schema with a function is not empty; force takes the function with it.
    expectError(await api.call('DELETE', `${UC}/schemas/sales.raw`), 400, 'INVALID_STATE');
    expect((await api.call('DELETE', `${UC}/schemas/sales.raw`, { force: true })).status).toBe(200);
    expect((await api.post(`${UC}/schemas`, { catalog_name: 'sales', name: 'raw' })).status).toBe(200);
    expectError(await api.get(`${FNS}/sales.raw.m`), 404, 'FUNCTION_DOES_NOT_EXIST');
  });

  it('functions survive a restart with --data-dir and go on reset', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'uc-functions-'));
    try {
      const first = await startEmulator({ dataDir, speed: Infinity, seed: 1, rateLimitPerSecond: 0 });
      const a = new TestClient(first);
      await a.post(`${UC}/catalogs`, { name: 'sales' });
      await a.post(`${UC}/schemas`, { catalog_name: 'sales', name: 'raw' });
      const made = await a.post(FNS, functionInfo('kept'));
      expect(made.body).toMatchObject({ name: 'kept' });
      await first.close();
      const second = await startEmulator({ dataDir, speed: Infinity, seed: 1, rateLimitPerSecond: 0 });
      try {
        const b = new TestClient(second);
        expect((await b.get(`${FNS}/sales.raw.kept`)).body).toMatchObject({ routine_definition: 'x * y' });
        await second.reset();
        expectError(await b.get(`${FNS}/sales.raw.kept`), 404, 'CATALOG_DOES_NOT_EXIST');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
