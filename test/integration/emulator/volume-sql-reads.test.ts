import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acrossRestart, useAdminAndUser, type TestClient } from './helpers.js';

/**
 * SQL over volume files uploaded through the Files API: read_files, COPY INTO and LIST through the
 * Statement Execution API, with Unity Catalog privileges for a non-admin.
 */
const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
const USER = 'user1@emulator.local';
const UC = '/api/2.1/unity-catalog';
const V = '/Volumes/lake/raw/landing';

interface Statement {
  status: { state: string; error?: { message: string } };
  manifest?: { schema: { columns: { name: string; type_text: string }[] } };
  result?: { data_array?: unknown[][] };
}

async function run(client: TestClient, wh: string, statement: string): Promise<Statement> {
  const r = await client.post('/api/2.0/sql/statements', { statement, warehouse_id: wh, wait_timeout: '30s' });
  expect(r.status).toBe(200);
  return r.body as unknown as Statement;
}
async function sql(client: TestClient, wh: string, statement: string): Promise<unknown[][]> {
  const body = await run(client, wh, statement);
  expect(body.status, `${statement}: ${body.status.error?.message}`).toMatchObject({ state: 'SUCCEEDED' });
  return body.result?.data_array ?? [];
}
async function columns(client: TestClient, wh: string, statement: string): Promise<string[]> {
  const body = await run(client, wh, statement);
  expect(body.status, statement).toMatchObject({ state: 'SUCCEEDED' });
  return body.manifest!.schema.columns.map((c) => `${c.name} ${c.type_text}`);
}
async function failure(client: TestClient, wh: string, statement: string): Promise<string> {
  const body = await run(client, wh, statement);
  expect(body.status.state, statement).toBe('FAILED');
  return body.status.error!.message;
}

async function upload(path: string, bytes: string | Buffer): Promise<void> {
  const res = await fetch(`${ctx.emu.url}/api/2.0/fs/files${path}?overwrite=true`, { method: 'PUT', headers: { authorization: 'Bearer dapi-admin' }, body: bytes });
  expect(res.status, await res.text()).toBe(204);
}

/** Parquet bytes written by a DuckDB of the test's own. */
async function parquet(): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'pq-'));
  try {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`COPY (SELECT 1::INT AS id, 'p'::VARCHAR AS v UNION ALL SELECT 2, 'q') TO '${dir}/p.parquet' (FORMAT parquet)`);
    db.closeSync();
    return readFileSync(join(dir, 'p.parquet'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A warehouse user1 may use; catalog lake, schema raw, volume landing with CSV, JSON, Parquet and text files. */
async function setUp(): Promise<string> {
  const api = ctx.admin;
  const wh = String((await api.post('/api/2.0/sql/warehouses', { name: 'w', cluster_size: '2X-Small', max_num_clusters: 1 })).body.id);
  await api.call('PATCH', `/api/2.0/permissions/warehouses/${wh}`, { access_control_list: [{ user_name: USER, permission_level: 'CAN_USE' }] });
  expect((await api.post(`${UC}/catalogs`, { name: 'lake' })).status).toBe(200);
  expect((await api.post(`${UC}/schemas`, { catalog_name: 'lake', name: 'raw' })).status).toBe(200);
  expect((await api.post(`${UC}/volumes`, { catalog_name: 'lake', schema_name: 'raw', name: 'landing', volume_type: 'MANAGED' })).status).toBe(200);
  await upload(`${V}/csv/a.csv`, 'id,name,amount\n1,x,1.5\n2,y,2.5\n');
  await upload(`${V}/csv/sub/b.csv`, 'id,name,amount\n3,z,3.5\n');
  await upload(`${V}/csv/_SUCCESS`, '');
  await upload(`${V}/csv/.hidden.csv`, 'id,name,amount\n9,h,9.5\n');
  await upload(`${V}/json/e.json`, '{"b":1,"a":"2024-01-01","n":{"y":2,"x":"s"}}\n{"b":2,"a":"2024-01-02","n":{"y":3,"x":"t"}}\n');
  await upload(`${V}/pq/p.parquet`, await parquet());
  await upload(`${V}/txt/l.txt`, 'one\ntwo\n');
  return wh;
}

/** For runs across a restart (helpers' acrossRestart): a warehouse and volume main.default.in with a.json, `{"id":1}`. */
async function restartFixture(api: TestClient): Promise<string> {
  const wh = String((await api.post('/api/2.0/sql/warehouses', { name: 'w', cluster_size: '2X-Small', max_num_clusters: 1 })).body.id);
  expect((await api.post(`${UC}/volumes`, { catalog_name: 'main', schema_name: 'default', name: 'in', volume_type: 'MANAGED' })).status).toBe(200);
  const res = await fetch(`${api.emu.url}/api/2.0/fs/files/Volumes/main/default/in/a.json`, { method: 'PUT', headers: { authorization: 'Bearer dapi-admin' }, body: '{"id":1}\n' });
  expect(res.status).toBe(204);
  return wh;
}
const firstWarehouse = async (api: TestClient) => String((await api.get<{ warehouses: { id: string }[] }>('/api/2.0/sql/warehouses')).body.warehouses[0]!.id);

const grant = async (type: string, name: string, privileges: string[]) => {
  const r = await ctx.admin.call('PATCH', `${UC}/permissions/${type}/${name}`, { changes: [{ principal: USER, add: privileges }] });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};

describe('read_files over volume files', () => {
  it('reads a CSV directory recursively with a header, skipping hidden files, typed as Spark infers, with _rescued_data', async () => {
    const wh = await setUp();
    const q = `SELECT * FROM read_files('${V}/csv', format => 'csv', header => true) ORDER BY id`;
    expect(await sql(ctx.admin, wh, q)).toEqual([
      ['1', 'x', '1.5', null],
      ['2', 'y', '2.5', null],
      ['3', 'z', '3.5', null],
    ]);
    expect(await columns(ctx.admin, wh, q)).toEqual(['id INT', 'name STRING', 'amount DOUBLE', '_rescued_data STRING']);
    // Without a header: _c0, _c1, …; the header line is a row of strings then.
    expect(await columns(ctx.admin, wh, `SELECT * FROM read_files('${V}/csv/a.csv', format => 'csv')`)).toEqual(['_c0 STRING', '_c1 STRING', '_c2 STRING', '_rescued_data STRING']);
    // A given schema types the columns; schemaEvolutionMode => 'none' drops the rescued data column.
    const typed = `SELECT * FROM read_files('${V}/csv/a.csv', format => 'csv', header => true, schema => 'id BIGINT, name STRING, amount DECIMAL(5,2)', schemaEvolutionMode => 'none')`;
    expect(await columns(ctx.admin, wh, typed)).toEqual(['id BIGINT', 'name STRING', 'amount DECIMAL(5,2)']);
    expect(await sql(ctx.admin, wh, typed)).toEqual([
      ['1', 'x', '1.50'],
      ['2', 'y', '2.50'],
    ]);
  });

  it('infers the format from the extension, reads globs, JSON (fields sorted, dates as strings), Parquet and text', async () => {
    const wh = await setUp();
    expect(await sql(ctx.admin, wh, `SELECT count(*) FROM read_files('${V}/csv/a*.csv', header => true)`)).toEqual([['2']]);
    expect(await sql(ctx.admin, wh, `SELECT name FROM read_files('${V}/csv/{sub,x}', header => true)`)).toEqual([['z']]);
    const json = `SELECT * FROM read_files('${V}/json') ORDER BY b`;
    expect(await columns(ctx.admin, wh, json)).toEqual(['a STRING', 'b BIGINT', 'n STRUCT<X:STRING,Y:BIGINT>', '_rescued_data STRING']);
    expect(await sql(ctx.admin, wh, json)).toEqual([
      ['2024-01-01', '1', '{"x":"s","y":2}', null],
      ['2024-01-02', '2', '{"x":"t","y":3}', null],
    ]);
    expect(await sql(ctx.admin, wh, `SELECT * FROM read_files('${V}/pq/p.parquet') ORDER BY id`)).toEqual([
      ['1', 'p'],
      ['2', 'q'],
    ]);
    expect(await sql(ctx.admin, wh, `SELECT value FROM read_files('${V}/txt', format => 'text')`)).toEqual([['one'], ['two']]);
    // Joined with a table, and twice in one statement.
    expect(await sql(ctx.admin, wh, `SELECT count(*) FROM read_files('${V}/csv', header => true) a JOIN read_files('${V}/pq', format => 'parquet') p ON a.id = p.id`)).toEqual([['2']]);
  });

  it('refuses options it does not model and paths outside volumes, reading no host file', async () => {
    const wh = await setUp();
    expect(await failure(ctx.admin, wh, `SELECT * FROM read_files('${V}/csv', format => 'csv', pathGlobFilter => '*.csv')`)).toContain('not supported by the emulator: read_files option pathGlobFilter');
    expect(await failure(ctx.admin, wh, `SELECT * FROM read_files('${V}/csv', format => 'avro')`)).toContain("not supported by the emulator: read_files format 'avro'");
    expect(await failure(ctx.admin, wh, `SELECT _metadata.file_path FROM read_files('${V}/csv', format => 'csv')`)).toContain('not supported by the emulator: the _metadata column');
    for (const path of ['/etc/passwd', 'dbfs:/Volumes/lake/raw/landing/csv', 's3://bucket/key', 'csv/a.csv', 'file:///etc/passwd']) {
      expect(await failure(ctx.admin, wh, `SELECT * FROM read_files('${path}', format => 'text')`)).toContain('the emulator reads files only from Unity Catalog volumes');
    }
    expect(await failure(ctx.admin, wh, `SELECT * FROM read_files('${V}/../../../../etc/passwd', format => 'text')`)).toContain("'.' and '..' segments are not allowed");
    expect(await failure(ctx.admin, wh, `SELECT * FROM read_files('${V}/nope', format => 'csv')`)).toContain('[PATH_NOT_FOUND] Path does not exist: /Volumes/lake/raw/landing/nope');
    expect(await failure(ctx.admin, wh, `SELECT * FROM read_files('/Volumes/lake/raw/gone/x.csv', format => 'csv')`)).toContain("Volume 'lake.raw.gone' does not exist");
  });
});

describe('LIST', () => {
  it('lists a volume directory: path, name, size, modification_time (directories end with /)', async () => {
    const wh = await setUp();
    const rows = await sql(ctx.admin, wh, `LIST '${V}/csv'`);
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      [`${V}/csv/.hidden.csv`, '.hidden.csv', '23'],
      [`${V}/csv/_SUCCESS`, '_SUCCESS', '0'],
      [`${V}/csv/a.csv`, 'a.csv', '31'],
      [`${V}/csv/sub/`, 'sub/', '0'],
    ]);
    expect(Number(rows[2]![3])).toBeGreaterThan(0);
    expect(await columns(ctx.admin, wh, `LIST '${V}/csv' LIMIT 1`)).toEqual(['path STRING', 'name STRING', 'size BIGINT', 'modification_time BIGINT']);
    expect(await sql(ctx.admin, wh, `LIST '${V}/csv' LIMIT 1`)).toHaveLength(1);
  });
});

describe('COPY INTO from a volume', () => {
  it('loads each file once: a re-run inserts 0, a new file alone is loaded, force reloads all', async () => {
    const wh = await setUp();
    await sql(ctx.admin, wh, 'CREATE TABLE lake.raw.t (id INT, name STRING, amount DOUBLE)');
    const copy = `COPY INTO lake.raw.t FROM '${V}/csv' FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true')`;
    expect(await columns(ctx.admin, wh, copy)).toEqual(['num_affected_rows BIGINT', 'num_inserted_rows BIGINT', 'num_skipped_corrupt_files BIGINT']);
    expect(await sql(ctx.admin, wh, copy)).toEqual([['0', '0', '0']]);
    expect(await sql(ctx.admin, wh, 'SELECT id, name, amount FROM lake.raw.t ORDER BY id')).toEqual([
      ['1', 'x', '1.5'],
      ['2', 'y', '2.5'],
      ['3', 'z', '3.5'],
    ]);
    await upload(`${V}/csv/c.csv`, 'id,name,amount\n4,w,4.5\n');
    expect(await sql(ctx.admin, wh, copy)).toEqual([['1', '1', '0']]);
    expect(await sql(ctx.admin, wh, `${copy} COPY_OPTIONS ('force' = 'true')`)).toEqual([['4', '4', '0']]);
    expect(await sql(ctx.admin, wh, 'SELECT count(*) FROM lake.raw.t')).toEqual([['8']]);
    // A dropped table forgets what was loaded into it.
    await sql(ctx.admin, wh, 'DROP TABLE lake.raw.t');
    await sql(ctx.admin, wh, 'CREATE TABLE lake.raw.t (id INT, name STRING, amount DOUBLE)');
    expect(await sql(ctx.admin, wh, copy)).toEqual([['4', '4', '0']]);
  });

  it('takes FILES, PATTERN and a SELECT over the files; new columns need mergeSchema', async () => {
    const wh = await setUp();
    await sql(ctx.admin, wh, 'CREATE TABLE lake.raw.t (id INT, name STRING)');
    expect(await sql(ctx.admin, wh, `COPY INTO lake.raw.t FROM (SELECT id::INT AS id, upper(name) AS name FROM '${V}/csv') FILEFORMAT = CSV FILES = ('a.csv') FORMAT_OPTIONS ('header' = 'true')`)).toEqual([['2', '2', '0']]);
    expect(await sql(ctx.admin, wh, 'SELECT * FROM lake.raw.t ORDER BY id')).toEqual([
      ['1', 'X'],
      ['2', 'Y'],
    ]);
    const byPattern = `COPY INTO lake.raw.t FROM '${V}/csv' FILEFORMAT = CSV PATTERN = 'sub/*.csv' FORMAT_OPTIONS ('header' = 'true')`;
    expect(await failure(ctx.admin, wh, byPattern)).toContain('A schema mismatch detected when writing to the Delta table');
    expect(await sql(ctx.admin, wh, 'SELECT count(*) FROM lake.raw.t')).toEqual([['2']]);
    // COPY INTO reads CSV columns as strings unless inferSchema: the new column is a STRING.
    expect(await sql(ctx.admin, wh, `${byPattern} COPY_OPTIONS ('mergeSchema' = 'true')`)).toEqual([['1', '1', '0']]);
    expect(await sql(ctx.admin, wh, 'SELECT * FROM lake.raw.t ORDER BY id')).toEqual([
      ['1', 'X', null],
      ['2', 'Y', null],
      ['3', 'z', '3.5'],
    ]);
    expect(await sql(ctx.admin, wh, `COPY INTO lake.raw.t FROM '${V}/json' FILEFORMAT = JSON COPY_OPTIONS ('mergeSchema' = 'true')`)).toEqual([['2', '2', '0']]);
    expect(await sql(ctx.admin, wh, `COPY INTO lake.raw.t FROM '${V}/pq' FILEFORMAT = PARQUET COPY_OPTIONS ('mergeSchema' = 'true')`)).toEqual([['2', '2', '0']]);
    expect(await columns(ctx.admin, wh, 'SELECT * FROM lake.raw.t')).toEqual(['id INT', 'name STRING', 'amount STRING', 'a STRING', 'b BIGINT', 'n STRUCT<X:STRING,Y:BIGINT>', 'v STRING']);
    expect(await failure(ctx.admin, wh, `COPY INTO lake.raw.t FROM '${V}/pq' FILEFORMAT = PARQUET COPY_OPTIONS ('ignoreChanges' = 'true')`)).toContain('not supported by the emulator: COPY INTO copy option ignoreChanges');
    expect(await failure(ctx.admin, wh, `COPY INTO lake.raw.t FROM '/etc' FILEFORMAT = TEXT`)).toContain('the emulator reads files only from Unity Catalog volumes');
  });

  it('remembers loaded files across a restart with a data dir', async () => {
    const second = await acrossRestart(
      async (api) => {
        const wh = await restartFixture(api);
        await sql(api, wh, 'CREATE TABLE main.default.t (id BIGINT)');
        expect(await sql(api, wh, `COPY INTO main.default.t FROM '/Volumes/main/default/in' FILEFORMAT = JSON`)).toEqual([['1', '1', '0']]);
      },
      async (api) => {
        const wh = await firstWarehouse(api);
        return sql(api, wh, `COPY INTO main.default.t FROM '/Volumes/main/default/in' FILEFORMAT = JSON`);
      },
    );
    expect(second).toEqual([['0', '0', '0']]);
  });
});

describe('volume privileges on SQL reads', () => {
  it('read_files and LIST need USE CATALOG, USE SCHEMA and READ VOLUME; COPY INTO also MODIFY on the table', async () => {
    const wh = await setUp();
    await sql(ctx.admin, wh, 'CREATE TABLE lake.raw.t (id INT, name STRING, amount DOUBLE)');
    const read = `SELECT count(*) FROM read_files('${V}/csv', format => 'csv', header => true)`;
    const copy = `COPY INTO lake.raw.t FROM '${V}/csv' FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true')`;
    const denied = (lines: string[]) => `[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\n${lines.join('\n')} SQLSTATE: 42501`;
    expect(await failure(ctx.user, wh, read)).toBe(
      denied(["User does not have USE CATALOG on Catalog 'lake'.", "User does not have USE SCHEMA on Schema 'lake.raw'.", "User does not have READ VOLUME on Volume 'lake.raw.landing'."]),
    );
    await grant('catalog', 'lake', ['USE_CATALOG']);
    await grant('schema', 'lake.raw', ['USE_SCHEMA']);
    expect(await failure(ctx.user, wh, read)).toBe(denied(["User does not have READ VOLUME on Volume 'lake.raw.landing'."]));
    expect(await failure(ctx.user, wh, `LIST '${V}/csv'`)).toBe(denied(["User does not have READ VOLUME on Volume 'lake.raw.landing'."]));
    expect(await failure(ctx.user, wh, copy)).toBe(denied(["User does not have READ VOLUME on Volume 'lake.raw.landing'."]));
    await grant('volume', 'lake.raw.landing', ['READ_VOLUME']);
    expect(await sql(ctx.user, wh, read)).toEqual([['3']]);
    expect(await sql(ctx.user, wh, `LIST '${V}/csv'`)).toHaveLength(4);
    expect(await failure(ctx.user, wh, copy)).toBe(denied(["User does not have MODIFY on Table 'lake.raw.t'."]));
    expect(await sql(ctx.admin, wh, 'SELECT count(*) FROM lake.raw.t')).toEqual([['0']]);
    await grant('table', 'lake.raw.t', ['MODIFY']);
    expect(await sql(ctx.user, wh, copy)).toEqual([['3', '3', '0']]);
  });
});

describe('volume reads in a job', () => {
  it("a sql_task COPY INTO from a volume loads the table the pipeline's next statement reads; a re-run loads nothing", async () => {
    const wh = await setUp();
    const query_text = `CREATE TABLE IF NOT EXISTS lake.raw.orders (id INT, name STRING, amount DOUBLE); COPY INTO lake.raw.orders FROM '${V}/csv' FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true', 'inferSchema' = 'true')`;
    const id = String((await ctx.admin.post('/api/2.0/sql/queries', { query: { display_name: 'load', query_text, warehouse_id: wh } })).body.id);
    for (let round = 0; round < 2; round++) {
      const submit = await ctx.admin.post('/api/2.1/jobs/runs/submit', { run_name: 'load', tasks: [{ task_key: 't', sql_task: { warehouse_id: wh, query: { query_id: id } } }] });
      expect(submit.status).toBe(200);
      let run = (await ctx.admin.get(`/api/2.1/jobs/runs/get?run_id=${String(submit.body.run_id)}`)).body as { state: { life_cycle_state: string; result_state?: string } };
      for (let i = 0; i < 300 && !['TERMINATED', 'INTERNAL_ERROR'].includes(run.state.life_cycle_state); i++) {
        await new Promise((r) => setTimeout(r, 10));
        run = (await ctx.admin.get(`/api/2.1/jobs/runs/get?run_id=${String(submit.body.run_id)}`)).body as typeof run;
      }
      expect(run.state.result_state).toBe('SUCCESS');
      expect(await sql(ctx.admin, wh, 'SELECT count(*), sum(amount) FROM lake.raw.orders')).toEqual([['3', '7.5']]);
    }
  });
});

describe('COPY INTO a schemaless table (the COPY INTO tutorial)', () => {
  const COPY = `COPY INTO lake.raw.my_table FROM '${V}/csv' FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true', 'inferSchema' = 'true')`;
  const MERGE = " COPY_OPTIONS ('mergeSchema' = 'true')";
  const restColumns = async (name: string) => ((await ctx.admin.get(`${UC}/tables/${name}`)).body as { columns?: unknown[] }).columns;

  it('CREATE TABLE without columns lists with none, refuses reads and writes, and takes its files\' columns at the first COPY INTO with mergeSchema', async () => {
    const wh = await setUp();
    expect(await sql(ctx.admin, wh, 'CREATE TABLE IF NOT EXISTS lake.raw.my_table COMMENT \'landing\'')).toEqual([]);
    expect(await sql(ctx.admin, wh, 'SHOW TABLES IN lake.raw')).toEqual([['raw', 'my_table', 'false']]);
    const listed = (await ctx.admin.get(`${UC}/tables?catalog_name=lake&schema_name=raw`)).body as { tables: { name: string; columns: unknown[]; comment?: string }[] };
    expect(listed.tables.map((t) => [t.name, t.columns, t.comment])).toEqual([['my_table', [], 'landing']]);
    expect(await restColumns('lake.raw.my_table')).toEqual([]);
    expect(await sql(ctx.admin, wh, 'DESCRIBE TABLE lake.raw.my_table')).toEqual([]);
    const unreadable = '[DELTA_READ_TABLE_WITHOUT_COLUMNS] You are trying to read a Delta table `lake`.`raw`.`my_table` that does not have any columns.\n\nWrite some new data with the option `mergeSchema = true` to be able to read the table.';
    expect(await failure(ctx.admin, wh, 'SELECT * FROM lake.raw.my_table')).toBe(unreadable);
    expect(await failure(ctx.admin, wh, 'SELECT count(*) FROM raw.my_table JOIN lake.raw.my_table USING (id)')).toBe(unreadable);
    expect(await failure(ctx.admin, wh, 'CREATE TABLE lake.raw.copy AS SELECT * FROM lake.raw.my_table')).toBe(unreadable);
    expect(await failure(ctx.admin, wh, 'INSERT INTO lake.raw.my_table VALUES (1)')).toMatch(/^\[DELTA_METADATA_MISMATCH\] A schema mismatch detected when writing to the Delta table \(Table ID: [0-9a-f-]+\)\./);
    // Without mergeSchema the files' columns are a mismatch, as for any table; nothing is loaded or recorded.
    expect(await failure(ctx.admin, wh, COPY)).toMatch(/^\[DELTA_METADATA_MISMATCH\] A schema mismatch[^]*Data columns the table does not have: id, name, amount\.$/);
    expect(await failure(ctx.admin, wh, 'SELECT * FROM lake.raw.my_table')).toBe(unreadable);
    expect(await failure(ctx.admin, wh, 'CREATE TABLE lake.raw.bad PARTITIONED BY (id)')).toContain('not supported by the emulator: PARTITIONED BY on a table without columns');
    expect(await failure(ctx.admin, wh, 'CREATE TABLE lake.raw.my_table')).toContain('[TABLE_OR_VIEW_ALREADY_EXISTS]');

    expect(await sql(ctx.admin, wh, COPY + MERGE)).toEqual([['3', '3', '0']]);
    expect(await columns(ctx.admin, wh, 'SELECT * FROM lake.raw.my_table')).toEqual(['id INT', 'name STRING', 'amount DOUBLE']);
    expect(await sql(ctx.admin, wh, 'SELECT * FROM lake.raw.my_table ORDER BY id')).toEqual([['1', 'x', '1.5'], ['2', 'y', '2.5'], ['3', 'z', '3.5']]);
    expect(((await restColumns('lake.raw.my_table')) as { name: string }[]).map((c) => c.name)).toEqual(['id', 'name', 'amount']);
    // The tutorial's statements re-run as scheduled: IF NOT EXISTS changes nothing, loaded files are skipped.
    expect(await sql(ctx.admin, wh, 'CREATE TABLE IF NOT EXISTS lake.raw.my_table')).toEqual([]);
    expect(await sql(ctx.admin, wh, COPY + MERGE)).toEqual([['0', '0', '0']]);
    expect(await sql(ctx.admin, wh, 'SELECT count(*) FROM lake.raw.my_table')).toEqual([['3']]);
    expect(await sql(ctx.admin, wh, 'INSERT INTO lake.raw.my_table VALUES (4, \'w\', 4.5)')).toEqual([['1', '1']]);
    // Dropped and made again, it is schemaless again and has loaded nothing.
    await sql(ctx.admin, wh, 'DROP TABLE lake.raw.my_table');
    await sql(ctx.admin, wh, 'CREATE TABLE lake.raw.my_table');
    expect(await failure(ctx.admin, wh, 'SELECT * FROM lake.raw.my_table')).toBe(unreadable);
    expect(await sql(ctx.admin, wh, COPY + MERGE)).toEqual([['3', '3', '0']]);
  });

  it('IF NOT EXISTS leaves an existing table as it is; ALTER TABLE ADD COLUMNS gives a schemaless table its columns', async () => {
    const wh = await setUp();
    await sql(ctx.admin, wh, 'CREATE TABLE lake.raw.t (id INT)');
    await sql(ctx.admin, wh, 'INSERT INTO lake.raw.t VALUES (1)');
    expect(await sql(ctx.admin, wh, 'CREATE TABLE IF NOT EXISTS lake.raw.t')).toEqual([]);
    expect(await sql(ctx.admin, wh, 'SELECT * FROM lake.raw.t')).toEqual([['1']]);
    await sql(ctx.admin, wh, 'CREATE TABLE lake.raw.e');
    await sql(ctx.admin, wh, 'ALTER TABLE lake.raw.e ADD COLUMNS (id BIGINT)');
    expect(await columns(ctx.admin, wh, 'SELECT * FROM lake.raw.e')).toEqual(['id BIGINT']);
    // CREATE OR REPLACE with columns makes an ordinary table of a schemaless one.
    await sql(ctx.admin, wh, 'CREATE TABLE lake.raw.r');
    await sql(ctx.admin, wh, 'CREATE OR REPLACE TABLE lake.raw.r (x INT)');
    expect(await sql(ctx.admin, wh, 'SELECT count(*) FROM lake.raw.r')).toEqual([['0']]);
  });

  it('needs CREATE TABLE on the schema like any CREATE TABLE; its creator owns it and may load it', async () => {
    const wh = await setUp();
    await grant('catalog', 'lake', ['USE_CATALOG']);
    await grant('schema', 'lake.raw', ['USE_SCHEMA']);
    await grant('volume', 'lake.raw.landing', ['READ_VOLUME']);
    expect(await failure(ctx.user, wh, 'CREATE TABLE IF NOT EXISTS lake.raw.my_table')).toBe(
      "[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have CREATE TABLE on Schema 'lake.raw'. SQLSTATE: 42501",
    );
    expect(await sql(ctx.admin, wh, 'SHOW TABLES IN lake.raw')).toEqual([]);
    await grant('schema', 'lake.raw', ['CREATE_TABLE']);
    expect(await sql(ctx.user, wh, 'CREATE TABLE IF NOT EXISTS lake.raw.my_table')).toEqual([]);
    expect(((await ctx.admin.get(`${UC}/tables/lake.raw.my_table`)).body as { owner: string }).owner).toBe(USER);
    expect(await sql(ctx.user, wh, COPY + MERGE)).toEqual([['3', '3', '0']]);
  });

  it('stays schemaless across a restart with a data dir, and loads then', async () => {
    const copy = `COPY INTO main.default.t FROM '/Volumes/main/default/in' FILEFORMAT = JSON COPY_OPTIONS ('mergeSchema' = 'true')`;
    const after = await acrossRestart(
      async (api) => {
        const wh = await restartFixture(api);
        await sql(api, wh, 'CREATE TABLE main.default.t');
      },
      async (api) => {
        const wh = await firstWarehouse(api);
        const columnsBefore = ((await api.get(`${UC}/tables/main.default.t`)).body as { columns: unknown[] }).columns;
        const read = await failure(api, wh, 'SELECT * FROM main.default.t');
        return [columnsBefore, read, await sql(api, wh, copy), await sql(api, wh, 'SELECT * FROM main.default.t')];
      },
    );
    expect(after).toEqual([[], expect.stringContaining('[DELTA_READ_TABLE_WITHOUT_COLUMNS]'), [['1', '1', '0']], [['1']]]);
  });
});
