import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlEngine, type GrantDirectory } from '../../../src/emulator/sql/index.js';
import { failure, query } from './helpers.js';

/** GRANT / REVOKE / SHOW GRANTS on the same grants store the REST API reads. */
const ADMIN = 'admin@example.com';
const ANALYST = 'ann@example.com';
const directory: GrantDirectory = {
  exists: (name) => [ADMIN, ANALYST, 'analysts', 'users'].includes(name),
  actsAs: (user) => [user, 'users', ...(user === ANALYST ? ['analysts'] : [])],
  isAdmin: (user) => user === ADMIN,
};
let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create({ defaultUser: ADMIN, directory });
  await query(engine, 'CREATE CATALOG sales; CREATE SCHEMA sales.raw; CREATE TABLE sales.raw.orders (id INT); CREATE VIEW sales.raw.big AS SELECT * FROM sales.raw.orders');
});
afterAll(() => engine.close());

const grantsOn = (type: string, name: string) => engine.catalog.grants.resolve(type, name).then((s) => engine.catalog.grants.assignments(s));

describe('SQL grants', () => {
  it('GRANT and REVOKE change what the REST API shows; multi-word privileges and backquoted principals', async () => {
    await query(engine, 'GRANT USE CATALOG, USE SCHEMA ON CATALOG sales TO `analysts`; GRANT SELECT, MODIFY ON TABLE sales.raw.orders TO `ann@example.com`');
    expect(await grantsOn('catalog', 'sales')).toEqual([{ principal: 'analysts', privileges: ['USE_CATALOG', 'USE_SCHEMA'] }]);
    expect(await grantsOn('table', 'sales.raw.orders')).toEqual([{ principal: ANALYST, privileges: ['MODIFY', 'SELECT'] }]);
    await query(engine, 'REVOKE MODIFY ON sales.raw.orders FROM `ann@example.com`');
    expect(await grantsOn('table', 'sales.raw.orders')).toEqual([{ principal: ANALYST, privileges: ['SELECT'] }]);
  });

  it('SHOW GRANTS lists direct and inherited privileges with where they were granted; names resolve against USE', async () => {
    await query(engine, 'GRANT SELECT ON SCHEMA sales.raw TO users');
    const r = await query(engine, 'USE sales.raw; SHOW GRANTS ON TABLE orders');
    expect(r.columns).toEqual(['Principal', 'ActionType', 'ObjectType', 'ObjectKey']);
    expect(r.rows).toEqual(
      expect.arrayContaining([
        [ANALYST, 'SELECT', 'TABLE', 'sales.raw.orders'],
        ['users', 'SELECT', 'SCHEMA', 'sales.raw'],
      ]),
    );
    const mine = await query(engine, 'SHOW GRANTS `ann@example.com` ON sales.raw.orders');
    expect(mine.rows).toEqual([[ANALYST, 'SELECT', 'TABLE', 'sales.raw.orders']]);
  });

  it('refuses what the REST API refuses, changing nothing', async () => {
    expect(await failure(engine, 'GRANT MODIFY ON VIEW sales.raw.big TO analysts')).toMatch(/Privilege MODIFY is not applicable to this entity \[sales\.raw\.big:TABLE\/TABLE_VIEW\]/);
    expect(await failure(engine, 'GRANT SELECT ON TABLE sales.raw.orders TO `ghosts`')).toMatch(/Could not find principal with name ghosts/);
    expect(await failure(engine, 'GRANT SELECT ON TABLE sales.raw.orders TO users', { user: ANALYST })).toMatch(/User does not have MANAGE on Table 'sales.raw.orders'/);
    expect(await failure(engine, 'GRANT SELECT ON TABLE sales.raw.nope TO users')).toMatch(/cannot be found|does not exist/);
    expect(await failure(engine, 'GRANT ON TABLE sales.raw.orders TO users')).toMatch(/PARSE_SYNTAX_ERROR/);
    expect(await failure(engine, 'GRANT SELECT ON TABLE sales.raw.orders users')).toMatch(/expected TO <principal>/);
    expect(await failure(engine, 'GRANT EXECUTE ON FUNCTION sales.raw.f TO users')).toMatch(/^\[ROUTINE_NOT_FOUND\] The routine `sales`\.`raw`\.`f` cannot be found/);
    expect(await failure(engine, 'GRANT USE CONNECTION ON CONNECTION c TO users')).toMatch(/Connection 'c' does not exist/);
    expect(await failure(engine, 'GRANT USE CONNECTION ON SHARE s TO users')).toMatch(/not supported by the emulator: grants on SHARE/);
    expect(await grantsOn('table', 'sales.raw.orders')).toEqual([{ principal: ANALYST, privileges: ['SELECT'] }]);
  });

  it('GRANT on a connection (made through REST) lands on the grants the permissions API reads', async () => {
    engine.catalog.connections.create('pg', ADMIN, { connection_type: 'POSTGRESQL', options: { host: 'h', port: '5432', user: 'u', password: 'p' } });
    await query(engine, 'GRANT USE CONNECTION, CREATE FOREIGN CATALOG ON CONNECTION pg TO analysts');
    expect(await grantsOn('connection', 'pg')).toEqual([{ principal: 'analysts', privileges: ['CREATE_FOREIGN_CATALOG', 'USE_CONNECTION'] }]);
    expect(await failure(engine, 'GRANT SELECT ON CONNECTION pg TO analysts')).toMatch(/Privilege SELECT is not applicable to this entity \[pg:CONNECTION\/CONNECTION_STANDARD\]/);
  });

  it('MANAGE on the schema lets a non-admin grant on its tables; dropping the table drops its grants', async () => {
    await query(engine, 'GRANT MANAGE ON SCHEMA sales.raw TO analysts');
    await query(engine, 'GRANT SELECT ON TABLE sales.raw.orders TO users', { user: ANALYST });
    expect(await grantsOn('table', 'sales.raw.orders')).toEqual([
      { principal: ANALYST, privileges: ['SELECT'] },
      { principal: 'users', privileges: ['SELECT'] },
    ]);
    await query(engine, 'DROP TABLE sales.raw.orders; CREATE TABLE sales.raw.orders (id INT)');
    expect(await grantsOn('table', 'sales.raw.orders')).toEqual([]);
  });
});
