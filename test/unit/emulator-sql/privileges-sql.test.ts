import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqlEngine, type GrantDirectory } from '../../../src/emulator/sql/index.js';
import { tokenize } from '../../../src/emulator/sql/lexer.js';
import { statementAccess } from '../../../src/emulator/sql/statement-access.js';
import { failure, query } from './helpers.js';

/** Unity Catalog privileges enforced on SQL statements (statement-privileges.ts). */
const ADMIN = 'admin@example.com';
const ANN = 'ann@example.com';
const BOB = 'bob@example.com';
const directory: GrantDirectory = {
  exists: (name) => [ADMIN, ANN, BOB, 'analysts', 'users'].includes(name),
  actsAs: (user) => [user, 'users', ...(user === ANN ? ['analysts'] : [])],
  isAdmin: (user) => user === ADMIN,
};
let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create({ defaultUser: ADMIN, directory });
});
afterAll(() => engine.close());
beforeEach(async () => {
  await query(engine, 'DROP CATALOG IF EXISTS sales CASCADE');
  await query(engine, `CREATE CATALOG sales; CREATE SCHEMA sales.raw; CREATE TABLE sales.raw.orders (id INT, amount INT); INSERT INTO sales.raw.orders VALUES (1, 10), (2, 20);
    CREATE TABLE sales.raw.customers (id INT); CREATE VIEW sales.raw.big AS SELECT * FROM sales.raw.orders WHERE amount > 15`);
});

const as = (user: string) => ({ user, catalog: 'sales', schema: 'raw' });
const count = async (table: string) => (await query(engine, `SELECT count(*) FROM ${table}`)).rows[0]![0];
const readers = 'GRANT USE CATALOG ON CATALOG sales TO analysts; GRANT USE SCHEMA ON SCHEMA sales.raw TO analysts';

describe('statement access (what a statement touches)', () => {
  const access = (sql: string) => statementAccess(tokenize(sql));
  it('reads FROM and JOIN factors at any depth, not CTE names, table functions or FROM inside expressions', () => {
    const a = access(`WITH recent AS (SELECT * FROM a.b.orders) SELECT extract(YEAR FROM d), x IS DISTINCT FROM y FROM recent r
      JOIN customers c ON r.id = c.id, s.regions, range(3) WHERE id IN (SELECT id FROM vip) AND EXISTS (SELECT 1 FROM (SELECT * FROM nested) n)`);
    expect(a.reads).toEqual([['a', 'b', 'orders'], ['s', 'regions'], ['customers'], ['vip'], ['nested']]);
    expect(a.modifies).toEqual([]);
  });
  it('writes: INSERT, UPDATE, DELETE, MERGE, TRUNCATE; creates and manages', () => {
    expect(access('INSERT INTO t SELECT * FROM s')).toMatchObject({ modifies: [['t']], reads: [['s']] });
    expect(access('UPDATE t SET x = 1 WHERE y IN (SELECT y FROM s)')).toMatchObject({ modifies: [['t']], reads: [['t'], ['s']] });
    expect(access('DELETE FROM t')).toMatchObject({ modifies: [['t']], reads: [] });
    expect(access('DELETE FROM t WHERE x = 1')).toMatchObject({ modifies: [['t']], reads: [['t']] });
    expect(access('MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE')).toMatchObject({ modifies: [['t']], reads: [['t'], ['s']] });
    expect(access('TRUNCATE TABLE t')).toMatchObject({ modifies: [['t']] });
    expect(access('CREATE OR REPLACE TABLE c.s.t AS SELECT * FROM u')).toMatchObject({ creates: { kind: 'table', name: ['c', 's', 't'], replace: true }, reads: [['u']] });
    expect(access('CREATE TEMP VIEW v AS SELECT * FROM u')).toEqual({ reads: [['u']], modifies: [], manages: [] });
    expect(access('CREATE SCHEMA IF NOT EXISTS c.s')).toMatchObject({ creates: { kind: 'schema', name: ['c', 's'] } });
    expect(access('DROP TABLE IF EXISTS t').manages).toEqual([{ kind: 'table', name: ['t'] }]);
    expect(access('COMMENT ON COLUMN c.s.t.x IS NULL').manages).toEqual([{ kind: 'table', name: ['c', 's', 't'] }]);
    expect(access('DROP FUNCTION IF EXISTS s.f').manages).toEqual([{ kind: 'function', name: ['s', 'f'] }]);
    expect(access('DROP TEMPORARY FUNCTION f').manages).toEqual([]);
  });
  it('calls: every name followed by (, in scalar and FROM positions, not names being defined or written', () => {
    expect(access('SELECT c.s.f(x), g(g(1)), `Odd`(2) FROM t JOIN c.s.tf(2) ON true WHERE x IN (1)').calls).toEqual([['c', 's', 'f'], ['g'], ['odd'], ['c', 's', 'tf'], ['in']]);
    expect(access('INSERT INTO t (a) SELECT s.f(1)').calls).toEqual([['s', 'f']]);
    expect(access('CREATE OR REPLACE FUNCTION f(x INT) RETURNS DECIMAL(10, 2) RETURN g(x)').calls).toEqual([['decimal'], ['g']]);
    expect(access('CREATE TABLE IF NOT EXISTS t (x INT)').calls).toBeUndefined();
  });
});

describe('privileges on SQL statements', () => {
  it('denies a SELECT without privileges, naming each missing one, and allows it once granted', async () => {
    const denied = await failure(engine, 'SELECT * FROM orders', as(ANN));
    expect(denied).toBe(
      "[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have USE CATALOG on Catalog 'sales'.\nUser does not have USE SCHEMA on Schema 'sales.raw'.\nUser does not have SELECT on Table 'sales.raw.orders'. SQLSTATE: 42501",
    );
    await query(engine, readers);
    expect(await failure(engine, 'SELECT * FROM sales.raw.orders', as(ANN))).toBe("[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have SELECT on Table 'sales.raw.orders'. SQLSTATE: 42501");
    // Granted to a group ANN is in: counts for ANN, not for BOB.
    await query(engine, 'GRANT SELECT ON TABLE sales.raw.orders TO analysts');
    expect((await query(engine, 'SELECT sum(amount) FROM orders', as(ANN))).rows).toEqual([['30']]);
    expect(await failure(engine, 'SELECT * FROM orders', as(BOB))).toMatch(/User does not have USE CATALOG on Catalog 'sales'/);
    // Joins and subqueries need every table; CTE names are not tables.
    expect(await failure(engine, 'WITH o AS (SELECT * FROM orders) SELECT * FROM o JOIN customers c ON o.id = c.id', as(ANN))).toMatch(/SELECT on Table 'sales.raw.customers'/);
    await query(engine, 'GRANT SELECT ON SCHEMA sales.raw TO analysts');
    expect((await query(engine, 'WITH o AS (SELECT * FROM orders) SELECT count(*) FROM o JOIN customers c ON o.id = c.id', as(ANN))).rows).toEqual([['0']]);
    // REVOKE takes it away.
    await query(engine, 'REVOKE USE SCHEMA ON SCHEMA sales.raw FROM analysts');
    expect(await failure(engine, 'SELECT * FROM orders', as(ANN))).toMatch(/User does not have USE SCHEMA on Schema 'sales.raw'/);
  });

  it('privileges granted on the catalog are inherited; a view needs SELECT on itself only', async () => {
    await query(engine, 'GRANT USE CATALOG, USE SCHEMA ON CATALOG sales TO users; GRANT SELECT ON VIEW sales.raw.big TO `bob@example.com`');
    expect((await query(engine, 'SELECT id FROM big', as(BOB))).rows).toEqual([['2']]);
    expect(await failure(engine, 'SELECT * FROM orders', as(BOB))).toMatch(/SELECT on Table 'sales.raw.orders'/);
    await query(engine, 'GRANT ALL PRIVILEGES ON CATALOG sales TO `bob@example.com`');
    expect(await count('sales.raw.orders')).toBe('2');
    expect((await query(engine, 'SELECT count(*) FROM orders', as(BOB))).rows).toEqual([['2']]);
  });

  it('a write needs MODIFY (and SELECT when it reads); a denied one changes no rows', async () => {
    await query(engine, `${readers}; GRANT SELECT ON TABLE sales.raw.customers TO analysts`);
    expect(await failure(engine, 'INSERT INTO orders VALUES (3, 30)', as(ANN))).toBe("[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have MODIFY on Table 'sales.raw.orders'. SQLSTATE: 42501");
    expect(await failure(engine, 'INSERT OVERWRITE orders SELECT id, 0 FROM customers', as(ANN))).toMatch(/MODIFY on Table 'sales.raw.orders'/);
    expect(await failure(engine, 'DELETE FROM orders', as(ANN))).toMatch(/MODIFY on Table 'sales.raw.orders'/);
    expect(await failure(engine, 'TRUNCATE TABLE orders', as(ANN))).toMatch(/MODIFY on Table 'sales.raw.orders'/);
    expect(await count('sales.raw.orders')).toBe('2');
    await query(engine, 'GRANT MODIFY ON TABLE sales.raw.orders TO analysts');
    // UPDATE reads the table it changes: MODIFY alone is not enough.
    expect(await failure(engine, 'UPDATE orders SET amount = amount + 1 WHERE id = 1', as(ANN))).toBe("[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have SELECT on Table 'sales.raw.orders'. SQLSTATE: 42501");
    expect((await query(engine, 'INSERT INTO orders SELECT id + 10, 5 FROM customers', as(ANN))).rows).toEqual([['0', '0']]);
    expect((await query(engine, 'INSERT INTO orders VALUES (3, 30)', as(ANN))).rows).toEqual([['1', '1']]);
    expect(await count('sales.raw.orders')).toBe('3');
  });

  it('CREATE TABLE needs CREATE TABLE on the schema and creates nothing without it; the creator owns and may do everything', async () => {
    await query(engine, readers);
    expect(await failure(engine, 'CREATE TABLE mine (x INT)', as(ANN))).toBe("[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have CREATE TABLE on Schema 'sales.raw'. SQLSTATE: 42501");
    expect(await failure(engine, 'CREATE VIEW mine AS SELECT 1 AS x', as(ANN))).toMatch(/CREATE TABLE on Schema 'sales.raw'/);
    expect((await query(engine, 'SHOW TABLES IN sales.raw')).rows.map((r) => r[1])).not.toContain('mine');
    // CREATE TABLE AS needs SELECT on what it reads too.
    await query(engine, 'GRANT CREATE TABLE ON SCHEMA sales.raw TO analysts');
    expect(await failure(engine, 'CREATE TABLE mine AS SELECT * FROM orders', as(ANN))).toMatch(/SELECT on Table 'sales.raw.orders'/);
    await query(engine, 'CREATE TABLE mine (x INT); INSERT INTO mine VALUES (1); UPDATE mine SET x = x + 1; SELECT * FROM mine', as(ANN));
    expect((await query(engine, 'SELECT x FROM mine', as(ANN))).rows).toEqual([['2']]);
    await query(engine, "COMMENT ON TABLE mine IS 'ann''s'; ALTER TABLE mine ADD COLUMNS (y INT); DELETE FROM mine WHERE x = 2", as(ANN));
    // Someone else's table: not without grants, and not droppable without ownership or MANAGE.
    expect(await failure(engine, 'SELECT * FROM mine', as(BOB))).toMatch(/USE CATALOG on Catalog 'sales'/);
    await query(engine, 'GRANT USE CATALOG, USE SCHEMA, SELECT ON CATALOG sales TO `bob@example.com`');
    expect(await failure(engine, 'DROP TABLE mine', as(BOB))).toBe("[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have MANAGE on Table 'sales.raw.mine'. SQLSTATE: 42501");
    expect(await failure(engine, 'DROP TABLE orders', as(ANN))).toMatch(/MANAGE on Table 'sales.raw.orders'/);
    expect(await failure(engine, 'CREATE OR REPLACE TABLE orders (x INT)', as(ANN))).toMatch(/MANAGE on Table 'sales.raw.orders'/);
    expect(await count('sales.raw.orders')).toBe('2');
    await query(engine, 'DROP TABLE mine', as(ANN));
  });

  it('CREATE SCHEMA needs CREATE SCHEMA on the catalog; temporary views are not securables', async () => {
    await query(engine, 'GRANT USE CATALOG ON CATALOG sales TO analysts');
    expect(await failure(engine, 'CREATE SCHEMA sales.scratch', as(ANN))).toBe("[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have CREATE SCHEMA on Catalog 'sales'. SQLSTATE: 42501");
    await query(engine, 'GRANT CREATE SCHEMA ON CATALOG sales TO analysts');
    await query(engine, 'CREATE SCHEMA sales.scratch; CREATE TABLE sales.scratch.t (x INT); INSERT INTO sales.scratch.t VALUES (7)', as(ANN));
    expect((await query(engine, 'CREATE TEMP VIEW tv AS SELECT * FROM sales.scratch.t; SELECT * FROM tv', as(ANN))).rows).toEqual([['7']]);
    // A temporary table shadows the UC table of the same name: it is the session's to drop.
    expect((await query(engine, 'CREATE TEMP TABLE orders (x INT); INSERT INTO orders VALUES (1); DROP TABLE orders; SELECT 1', { ...as(BOB), schema: 'raw' })).rows).toEqual([['1']]);
    expect(await count('sales.raw.orders')).toBe('2');
    // A schema's owner does not own the tables others make in it.
    await query(engine, 'CREATE TABLE sales.scratch.admins_t (x INT)');
    expect(await failure(engine, 'SELECT * FROM sales.scratch.admins_t', as(ANN))).toMatch(/SELECT on Table 'sales.scratch.admins_t'/);
    expect(await failure(engine, 'DROP SCHEMA sales.scratch CASCADE', as(BOB))).toMatch(/MANAGE on Schema 'sales.scratch'/);
  });

  it('CREATE FUNCTION needs CREATE FUNCTION on the schema (CREATE TABLE is not enough)', async () => {
    await query(engine, `${readers}; GRANT CREATE TABLE ON SCHEMA sales.raw TO analysts`);
    expect(await failure(engine, 'CREATE FUNCTION twice(x INT) RETURNS INT RETURN x * 2', as(ANN))).toBe("[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have CREATE FUNCTION on Schema 'sales.raw'. SQLSTATE: 42501");
    await query(engine, 'GRANT CREATE FUNCTION ON SCHEMA sales.raw TO analysts');
    await query(engine, 'CREATE FUNCTION twice(x INT) RETURNS INT RETURN x * 2', as(ANN));
    expect((await query(engine, 'SELECT sales.raw.twice(4)')).rows).toEqual([['8']]);
  });

  it("a session's temporary function shadows a UC function of the same name: calling it needs no EXECUTE", async () => {
    await query(engine, `${readers}; CREATE FUNCTION sales.raw.twice(x INT) RETURNS INT RETURN x * 2`);
    const noExecute = "[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have EXECUTE on Routine 'sales.raw.twice'. SQLSTATE: 42501";
    expect(await failure(engine, 'SELECT twice(1)', as(ANN))).toBe(noExecute);
    expect((await query(engine, 'CREATE TEMPORARY FUNCTION twice(x INT) RETURNS INT RETURN x * 10; SELECT twice(1)', as(ANN))).rows).toEqual([['10']]);
    expect(await failure(engine, 'CREATE TEMPORARY FUNCTION twice(x INT) RETURNS INT RETURN x * 10; SELECT sales.raw.twice(1)', as(ANN))).toBe(noExecute);
  });

  it('names that are not UC objects fail as they would without privileges; DuckDB query()/query_table() cannot go around the checks', async () => {
    expect(await failure(engine, 'SELECT * FROM nope', as(BOB))).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    expect(await failure(engine, "SELECT * FROM query_table('sales.raw.orders')", as(BOB))).toMatch(/^\[NOT_SUPPORTED_BY_EMULATOR\] not supported by the emulator: DuckDB query\(\) and query_table\(\)/);
    expect(await failure(engine, "SELECT 1 FROM range(1) JOIN query('SELECT * FROM sales.raw.orders') ON true", as(BOB))).toMatch(/NOT_SUPPORTED_BY_EMULATOR/);
    expect((await query(engine, "SELECT count(*) FROM query_table('sales.raw.orders')")).rows).toEqual([['2']]);
  });

  it("names DuckDB would bind outside UC (a database's internal main schema, the results database) do not exist for a non-admin", async () => {
    // DuckDB resolves `hidden` in sales.raw by falling back to sales.main, and `sales.hidden` as database sales, schema main.
    await query(engine, 'CREATE TABLE sales.main.hidden AS SELECT 1 AS x');
    expect((await query(engine, 'SELECT count(*) FROM hidden', as(ADMIN))).rows).toEqual([['1']]);
    const notFound = /^\[TABLE_OR_VIEW_NOT_FOUND\] The table or view `(?:sales`\.`)?hidden` cannot be found/;
    expect(await failure(engine, 'SELECT * FROM hidden', as(BOB))).toMatch(notFound);
    expect(await failure(engine, 'SELECT * FROM sales.hidden', { user: BOB, catalog: 'main', schema: 'default' })).toMatch(notFound);
    expect(await failure(engine, 'DROP TABLE hidden', as(BOB))).toMatch(notFound);
    expect(await failure(engine, 'CREATE TABLE sales.main.mine (x INT)', as(BOB))).toMatch(/^\[SCHEMA_NOT_FOUND\] The schema `sales`\.`main` cannot be found/);
    // A large result waits in a table of the engine's own database until it is read: not for others.
    const held = await engine.execute('SELECT * FROM range(5000)');
    try {
      expect((await query(engine, 'SELECT count(*) FROM memory.main.__result_1')).rows).toEqual([['5000']]);
      expect(await failure(engine, 'SELECT count(*) FROM memory.main.__result_1', as(BOB))).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
      expect(await failure(engine, 'SELECT count(*) FROM memory.__result_1', as(BOB))).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    } finally {
      await held.release();
    }
    expect(await count('sales.main.hidden')).toBe('1');
    expect((await query(engine, 'SELECT 1 AS one', as(BOB))).rows).toEqual([['1']]);
  });
});
