import { describe, expect, it } from 'vitest';
import { expectErrorShape, useAdminAndUser, type Reply, type TestClient } from './helpers.js';

/**
 * Unity Catalog functions as securables: grants on them over SQL and REST, EXECUTE checked when a
 * non-admin's statement calls one, DROP FUNCTION checked like DROP TABLE, and grants gone with the function.
 */
const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });

const USER = 'user1@emulator.local';
const UC = '/api/2.1/unity-catalog';
const perms = (kind: 'permissions' | 'effective-permissions', name: string) => `${UC}/${kind}/function/${name}`;
const insufficient = (...lines: string[]) => `[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\n${lines.join('\n')} SQLSTATE: 42501`;
const noExecute = (name: string) => `User does not have EXECUTE on Routine '${name}'.`;
const USE_LINES = ["User does not have USE CATALOG on Catalog 'sales'.", "User does not have USE SCHEMA on Schema 'sales.raw'."];

type Place = { catalog?: string; schema?: string };
type Answer = { status: { state: string; error?: { message: string } }; result?: { data_array?: unknown[][] } };

/** A warehouse user1 may use; catalog sales, schema raw, table orders (2 rows) and three functions, all the admin's. */
async function setUp(): Promise<string> {
  const api = ctx.admin;
  const wh = String((await api.post('/api/2.0/sql/warehouses', { name: 'w', cluster_size: '2X-Small', max_num_clusters: 1 })).body.id);
  await api.call('PATCH', `/api/2.0/permissions/warehouses/${wh}`, { access_control_list: [{ user_name: USER, permission_level: 'CAN_USE' }] });
  for (const statement of [
    'CREATE CATALOG sales',
    'CREATE SCHEMA sales.raw',
    'CREATE TABLE sales.raw.orders (id INT)',
    'INSERT INTO sales.raw.orders VALUES (1), (2)',
    'CREATE FUNCTION sales.raw.twice(x INT) RETURNS INT RETURN x * 2',
    'CREATE FUNCTION sales.raw.half(x INT) RETURNS INT RETURN x / 2',
    'CREATE FUNCTION sales.raw.nums() RETURNS TABLE (n INT) RETURN SELECT 7 AS n',
  ])
    await sql(api, wh, statement);
  return wh;
}

async function run(client: TestClient, wh: string, statement: string, place: Place = {}): Promise<Answer> {
  const r = await client.post('/api/2.0/sql/statements', { statement, warehouse_id: wh, wait_timeout: '30s', ...place });
  expect(r.status).toBe(200);
  return r.body as Answer;
}

async function sql(client: TestClient, wh: string, statement: string, place: Place = {}): Promise<unknown[][]> {
  const body = await run(client, wh, statement, place);
  expect(body.status, statement).toMatchObject({ state: 'SUCCEEDED' });
  return body.result?.data_array ?? [];
}

async function failed(client: TestClient, wh: string, statement: string, place: Place = {}): Promise<string> {
  const body = await run(client, wh, statement, place);
  expect(body.status.state, statement).toBe('FAILED');
  return body.status.error!.message;
}

function expectError(r: Reply, status: number, code: string, message?: string): void {
  expectErrorShape(r.body);
  expect({ status: r.status, error_code: r.body.error_code, ...(message !== undefined ? { message: r.body.message } : {}) }).toEqual({ status, error_code: code, ...(message !== undefined ? { message } : {}) });
}

const grant = async (type: string, name: string, principal: string, privileges: string[]) => {
  const r = await ctx.admin.call('PATCH', `${UC}/permissions/${type}/${name}`, { changes: [{ principal, add: privileges }] });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};
/** USE CATALOG and USE SCHEMA for user1, granted on the catalog. */
const letIn = () => grant('catalog', 'sales', USER, ['USE_CATALOG', 'USE_SCHEMA']);

describe('grants on Unity Catalog functions', () => {
  it('GRANT, REVOKE and SHOW GRANTS ON FUNCTION and the permissions routes work as on tables, with the same checks', async () => {
    const { admin: api, user } = ctx;
    const wh = await setUp();
    await sql(api, wh, `GRANT EXECUTE ON FUNCTION sales.raw.twice TO \`${USER}\``);
    // An unqualified name takes the current catalog and schema; privilege names are case- and space-insensitive.
    const patched = await api.call('PATCH', perms('permissions', 'sales.raw.twice'), { changes: [{ principal: 'users', add: ['manage'] }] });
    expect(patched.body).toEqual({ privilege_assignments: [{ principal: USER, privileges: ['EXECUTE'] }, { principal: 'users', privileges: ['MANAGE'] }] });
    await sql(api, wh, 'GRANT ALL PRIVILEGES ON FUNCTION nums TO users', { catalog: 'sales', schema: 'raw' });
    expect((await api.get(perms('permissions', 'sales.raw.nums'))).body).toEqual({ privilege_assignments: [{ principal: 'users', privileges: ['ALL_PRIVILEGES'] }] });

    // Effective grants add what the schema passes down, only privileges a function can have.
    await sql(api, wh, 'GRANT EXECUTE, CREATE TABLE ON SCHEMA sales.raw TO users');
    expect((await api.get(perms('effective-permissions', 'sales.raw.twice'), { principal: 'users' })).body).toEqual({
      privilege_assignments: [{ principal: 'users', privileges: [{ privilege: 'MANAGE' }, { privilege: 'EXECUTE', inherited_from_type: 'SCHEMA', inherited_from_name: 'sales.raw' }] }],
    });
    expect(await sql(api, wh, 'SHOW GRANTS ON FUNCTION sales.raw.twice')).toEqual([
      [USER, 'EXECUTE', 'FUNCTION', 'sales.raw.twice'],
      ['users', 'MANAGE', 'FUNCTION', 'sales.raw.twice'],
      ['users', 'EXECUTE', 'SCHEMA', 'sales.raw'],
    ]);
    expect(await sql(api, wh, `SHOW GRANTS \`${USER}\` ON FUNCTION sales.raw.twice`)).toEqual([[USER, 'EXECUTE', 'FUNCTION', 'sales.raw.twice']]);
    await sql(api, wh, `REVOKE EXECUTE ON FUNCTION sales.raw.twice FROM \`${USER}\``);
    expect((await api.get(perms('permissions', 'sales.raw.twice'), { principal: USER })).body).toEqual({ privilege_assignments: [] });

    // A privilege a function cannot have is refused, all or nothing, in the words real answers use.
    const before = (await api.get(perms('permissions', 'sales.raw.twice'))).body;
    expectError(
      await api.call('PATCH', perms('permissions', 'sales.raw.twice'), { changes: [{ principal: USER, add: ['EXECUTE'] }, { principal: USER, add: ['SELECT'] }] }),
      400,
      'INVALID_PARAMETER_VALUE',
      'Privilege SELECT is not applicable to this entity [sales.raw.twice:FUNCTION/FUNCTION_STANDARD]. If this seems unexpected, please check the privilege version of the metastore in use [1.0].',
    );
    expect(await failed(api, wh, `GRANT USE SCHEMA ON FUNCTION sales.raw.twice TO \`${USER}\``)).toMatch(/Privilege USE SCHEMA is not applicable to this entity \[sales\.raw\.twice:FUNCTION/);
    expect((await api.get(perms('permissions', 'sales.raw.twice'))).body).toEqual(before);

    // A function that does not exist is the function's own not-found, over REST and SQL.
    expectError(await api.get(perms('permissions', 'sales.raw.nope')), 404, 'FUNCTION_DOES_NOT_EXIST', "Routine or Model 'sales.raw.nope' does not exist.");
    expectError(await api.get(perms('effective-permissions', 'sales.nope.twice')), 404, 'SCHEMA_DOES_NOT_EXIST');
    expectError(await api.get(perms('permissions', 'sales.twice')), 400, 'INVALID_PARAMETER_VALUE');
    expect(await failed(api, wh, `GRANT EXECUTE ON FUNCTION sales.raw.nope TO \`${USER}\``)).toMatch(/^\[ROUTINE_NOT_FOUND\] The routine `sales`.`raw`.`nope` cannot be found/);

    // Only an admin, an owner (of it or above) or a MANAGE holder changes its grants.
    expectError(
      await user.call('PATCH', perms('permissions', 'sales.raw.half'), { changes: [{ principal: USER, add: ['EXECUTE'] }] }),
      403,
      'PERMISSION_DENIED',
      "User does not have MANAGE on Routine 'sales.raw.half'.",
    );
    await grant('function', 'sales.raw.half', USER, ['MANAGE']);
    expect((await user.call('PATCH', perms('permissions', 'sales.raw.half'), { changes: [{ principal: USER, add: ['EXECUTE'] }] })).status).toBe(200);
  });

  it('a statement calling a UC function needs USE CATALOG, USE SCHEMA and EXECUTE on it; built-ins need nothing', async () => {
    const { admin: api, user } = ctx;
    const wh = await setUp();
    expect(await sql(user, wh, "SELECT upper('a'), abs(-2)")).toEqual([['A', '2']]);
    expect(await failed(user, wh, 'SELECT sales.raw.twice(2)')).toBe(insufficient(...USE_LINES, noExecute('sales.raw.twice')));
    await letIn();
    expect(await failed(user, wh, 'SELECT sales.raw.twice(2)')).toBe(insufficient(noExecute('sales.raw.twice')));
    // Unqualified and 2-part calls resolve as DuckDB binds them; each function called is checked.
    expect(await failed(user, wh, 'SELECT twice(half(8))', { catalog: 'sales', schema: 'raw' })).toBe(insufficient(noExecute('sales.raw.twice'), noExecute('sales.raw.half')));
    expect(await failed(user, wh, 'SELECT n FROM sales.raw.nums()')).toBe(insufficient(noExecute('sales.raw.nums')));
    // A denied write changes nothing.
    await grant('table', 'sales.raw.orders', USER, ['SELECT', 'MODIFY']);
    expect(await failed(user, wh, 'INSERT INTO sales.raw.orders SELECT sales.raw.twice(5)')).toBe(insufficient(noExecute('sales.raw.twice')));
    expect(await sql(api, wh, 'SELECT count(*) FROM sales.raw.orders')).toEqual([['2']]);

    // Granted on the function itself.
    await sql(api, wh, `GRANT EXECUTE ON FUNCTION sales.raw.twice TO \`${USER}\``);
    expect(await sql(user, wh, 'SELECT sales.raw.twice(2)')).toEqual([['4']]);
    expect(await sql(user, wh, 'SELECT twice(3), raw.twice(4)', { catalog: 'sales', schema: 'raw' })).toEqual([['6', '8']]);
    expect(await failed(user, wh, 'SELECT twice(half(8))', { catalog: 'sales', schema: 'raw' })).toBe(insufficient(noExecute('sales.raw.half')));
    await sql(user, wh, 'INSERT INTO sales.raw.orders SELECT sales.raw.twice(5)');
    expect(await sql(api, wh, 'SELECT max(id) FROM sales.raw.orders')).toEqual([['10']]);
    // ALL PRIVILEGES on the function passes too.
    await sql(api, wh, `GRANT ALL PRIVILEGES ON FUNCTION sales.raw.half TO \`${USER}\``);
    expect(await sql(user, wh, 'SELECT twice(half(8))', { catalog: 'sales', schema: 'raw' })).toEqual([['8']]);
    // USE SCHEMA is still needed with EXECUTE.
    await sql(api, wh, `REVOKE USE SCHEMA ON CATALOG sales FROM \`${USER}\``);
    expect(await failed(user, wh, 'SELECT sales.raw.twice(1)')).toBe(insufficient("User does not have USE SCHEMA on Schema 'sales.raw'."));
  });

  it('EXECUTE inherited from the schema or catalog counts; the owner needs no grant; a body runs with its owner’s privileges', async () => {
    const { admin: api, user } = ctx;
    const wh = await setUp();
    await letIn();
    await sql(api, wh, `GRANT EXECUTE ON SCHEMA sales.raw TO \`${USER}\``);
    expect(await sql(user, wh, 'SELECT sales.raw.twice(half(8)), (SELECT n FROM sales.raw.nums())', { catalog: 'sales', schema: 'raw' })).toEqual([['8', '7']]);
    await sql(api, wh, `REVOKE EXECUTE ON SCHEMA sales.raw FROM \`${USER}\``);
    expect(await failed(user, wh, 'SELECT sales.raw.twice(1)')).toBe(insufficient(noExecute('sales.raw.twice')));
    await sql(api, wh, `GRANT EXECUTE ON CATALOG sales TO \`${USER}\``);
    expect(await sql(user, wh, 'SELECT sales.raw.twice(1)')).toEqual([['2']]);
    await sql(api, wh, `REVOKE EXECUTE ON CATALOG sales FROM \`${USER}\``);

    // The admin's function reads orders, which user1 may not read: calling it needs EXECUTE only.
    await sql(api, wh, 'CREATE FUNCTION sales.raw.total() RETURNS BIGINT RETURN (SELECT count(*) FROM sales.raw.orders)');
    expect(await failed(user, wh, 'SELECT count(*) FROM sales.raw.orders')).toBe(insufficient("User does not have SELECT on Table 'sales.raw.orders'."));
    await grant('function', 'sales.raw.total', USER, ['EXECUTE']);
    expect(await sql(user, wh, 'SELECT sales.raw.total()')).toEqual([['2']]);

    // What user1 creates it owns and calls without a grant; creating one whose body calls a function needs EXECUTE on that one.
    await grant('schema', 'sales.raw', USER, ['CREATE_FUNCTION']);
    await sql(user, wh, 'CREATE FUNCTION sales.raw.mine(x INT) RETURNS INT RETURN x + 1');
    expect(await sql(user, wh, 'SELECT sales.raw.mine(1)')).toEqual([['2']]);
    expect(await failed(user, wh, 'CREATE FUNCTION sales.raw.wrap(x INT) RETURNS INT RETURN sales.raw.twice(x)')).toBe(insufficient(noExecute('sales.raw.twice')));
    expect((await api.get(`${UC}/functions/sales.raw.wrap`)).status).toBe(404);
  });

  it('DROP FUNCTION and CREATE OR REPLACE need the owner, an owner above or MANAGE; grants go with a dropped function', async () => {
    const { admin: api, user } = ctx;
    const wh = await setUp();
    await letIn();
    await grant('schema', 'sales.raw', USER, ['EXECUTE', 'CREATE_FUNCTION']);
    expect(await failed(user, wh, 'DROP FUNCTION sales.raw.twice')).toBe(insufficient("User does not have MANAGE on Routine 'sales.raw.twice'."));
    expect(await failed(user, wh, 'CREATE OR REPLACE FUNCTION sales.raw.twice(x INT) RETURNS INT RETURN 0')).toBe(insufficient("User does not have MANAGE on Routine 'sales.raw.twice'."));
    expect(await sql(api, wh, 'SELECT sales.raw.twice(2)')).toEqual([['4']]);
    // A function that is not there is its own error (or nothing, with IF EXISTS), as without privileges.
    await sql(user, wh, 'DROP FUNCTION IF EXISTS sales.raw.nope');
    expect(await failed(user, wh, 'DROP FUNCTION sales.raw.nope')).toMatch(/^\[ROUTINE_NOT_FOUND\]/);

    // MANAGE on the function, or on its schema, lets user1 drop it; so does owning it.
    await sql(api, wh, `GRANT EXECUTE, MANAGE ON FUNCTION sales.raw.twice TO \`${USER}\``);
    await sql(user, wh, 'DROP FUNCTION twice', { catalog: 'sales', schema: 'raw' });
    await grant('schema', 'sales.raw', USER, ['MANAGE']);
    await sql(user, wh, 'DROP FUNCTION sales.raw.half');
    await sql(api, wh, `REVOKE MANAGE ON SCHEMA sales.raw FROM \`${USER}\``);
    await sql(user, wh, 'CREATE FUNCTION sales.raw.mine() RETURNS INT RETURN 1');
    await sql(user, wh, 'CREATE OR REPLACE FUNCTION sales.raw.mine() RETURNS INT RETURN 2');
    await sql(user, wh, 'DROP FUNCTION sales.raw.mine');

    // The dropped function's grants went with it: a new one of the same name starts with none.
    expectError(await api.get(perms('permissions', 'sales.raw.twice')), 404, 'FUNCTION_DOES_NOT_EXIST');
    await sql(api, wh, 'CREATE FUNCTION sales.raw.twice(x INT) RETURNS INT RETURN x * 2');
    expect((await api.get(perms('permissions', 'sales.raw.twice'))).body).toEqual({ privilege_assignments: [] });
    await sql(api, wh, `REVOKE EXECUTE ON SCHEMA sales.raw FROM \`${USER}\``);
    expect(await failed(user, wh, 'SELECT sales.raw.twice(1)')).toBe(insufficient(noExecute('sales.raw.twice')));
    // A REST delete takes them too.
    await grant('function', 'sales.raw.twice', USER, ['EXECUTE']);
    expect((await api.call('DELETE', `${UC}/functions/sales.raw.twice`)).status).toBe(200);
    await sql(api, wh, 'CREATE FUNCTION sales.raw.twice(x INT) RETURNS INT RETURN x * 2');
    expect((await api.get(perms('permissions', 'sales.raw.twice'))).body).toEqual({ privilege_assignments: [] });
  });

  it('the REST function routes honour grants made on the function itself', async () => {
    const { user } = ctx;
    await setUp();
    await letIn();
    expectError(await user.get(`${UC}/functions/sales.raw.twice`), 403, 'PERMISSION_DENIED', noExecute('sales.raw.twice'));
    const list = async () => ((await user.get(`${UC}/functions`, { catalog_name: 'sales', schema_name: 'raw' })).body.functions as { name: string }[]).map((f) => f.name);
    expect(await list()).toEqual([]);
    await grant('function', 'sales.raw.twice', USER, ['EXECUTE']);
    expect((await user.get(`${UC}/functions/sales.raw.twice`)).body).toMatchObject({ full_name: 'sales.raw.twice', owner: 'admin@emulator.local' });
    expect(await list()).toEqual(['twice']);
    // MANAGE on the function lets user1 delete it over REST, not give it away.
    expectError(await user.call('DELETE', `${UC}/functions/sales.raw.half`), 403, 'PERMISSION_DENIED', "User does not have MANAGE on Routine 'sales.raw.half'.");
    await grant('function', 'sales.raw.half', USER, ['MANAGE']);
    expectError(await user.call('PATCH', `${UC}/functions/sales.raw.half`, { owner: USER }), 403, 'PERMISSION_DENIED');
    expect((await user.call('DELETE', `${UC}/functions/sales.raw.half`)).status).toBe(200);
  });
});
