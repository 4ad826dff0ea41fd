import { describe, expect, it } from 'vitest';
import { expectErrorShape, useAdminAndUser, type TestClient } from './helpers.js';

/** Unity Catalog grants (/api/2.1/unity-catalog/permissions, effective-permissions), on the wire. */
const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });

const UC = '/api/2.1/unity-catalog';
const USER = 'user1@emulator.local';
function expectError(r: { status: number; body: Record<string, unknown> }, status: number, code: string): void {
  expectErrorShape(r.body);
  expect({ status: r.status, error_code: r.body.error_code }).toEqual({ status, error_code: code });
}
const perms = (type: string, name: string) => `${UC}/permissions/${type}/${encodeURIComponent(name)}`;
const patch = (client: TestClient, type: string, name: string, changes: unknown[], extra: Record<string, unknown> = {}) => client.call('PATCH', perms(type, name), { changes, ...extra });

/** Catalog sales, schema raw, volume landing, table orders; returns the warehouse that made the table. */
async function setUp(): Promise<string> {
  const api = ctx.admin;
  expect((await api.post(`${UC}/catalogs`, { name: 'sales' })).status).toBe(200);
  expect((await api.post(`${UC}/schemas`, { catalog_name: 'sales', name: 'raw' })).status).toBe(200);
  expect((await api.post(`${UC}/volumes`, { catalog_name: 'sales', schema_name: 'raw', name: 'landing', volume_type: 'MANAGED' })).status).toBe(200);
  const warehouseId = await warehouse();
  const table = await api.post('/api/2.0/sql/statements', { statement: 'CREATE TABLE sales.raw.orders (id INT)', warehouse_id: warehouseId, wait_timeout: '30s' });
  expect(table.body.status).toMatchObject({ state: 'SUCCEEDED' });
  return warehouseId;
}

async function warehouse(): Promise<string> {
  const api = ctx.admin;
  const r = await api.post('/api/2.0/sql/warehouses', { name: 'w', cluster_size: '2X-Small', max_num_clusters: 1 });
  return String(r.body.id);
}

describe('Unity Catalog grants', () => {
  it('grants and revokes on a catalog, all or nothing, and answers with the direct assignments', async () => {
    const { admin: api } = ctx;
    await setUp();
    expect((await api.get(perms('catalog', 'sales'))).body).toEqual({ privilege_assignments: [] });
    const granted = await patch(api, 'catalog', 'sales', [
      { principal: USER, add: ['USE_CATALOG', 'use schema', 'SELECT'] },
      { principal: 'users', add: ['BROWSE'] },
    ]);
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({
      privilege_assignments: [
        { principal: USER, privileges: ['SELECT', 'USE_CATALOG', 'USE_SCHEMA'] },
        { principal: 'users', privileges: ['BROWSE'] },
      ],
    });
    // The same grant again changes nothing (a retried PATCH is safe).
    expect((await patch(api, 'catalog', 'sales', [{ principal: USER, add: ['SELECT'] }])).body).toEqual(granted.body);
    expect((await api.get(perms('CATALOG', 'sales'), { principal: USER })).body).toEqual({ privilege_assignments: [{ principal: USER, privileges: ['SELECT', 'USE_CATALOG', 'USE_SCHEMA'] }] });

    const revoked = await patch(api, 'catalog', 'sales', [{ principal: USER, remove: ['SELECT'] }, { principal: 'users', remove: ['BROWSE'] }], { omit_permissions_in_response: true });
    expect(revoked).toMatchObject({ status: 200, body: {} });
    expect((await api.get(perms('catalog', 'sales'))).body).toEqual({ privilege_assignments: [{ principal: USER, privileges: ['USE_CATALOG', 'USE_SCHEMA'] }] });

    // One bad change refuses the whole request: the valid change before it is not applied.
    const bad = await patch(api, 'catalog', 'sales', [{ principal: 'users', add: ['BROWSE'] }, { principal: USER, add: ['READ_FILES'] }]);
    expectError(bad, 400, 'INVALID_PARAMETER_VALUE');
    expect(bad.body.message).toBe('Privilege READ FILES is not applicable to this entity [sales:CATALOG/CATALOG_STANDARD]. If this seems unexpected, please check the privilege version of the metastore in use [1.0].');
    expect((await api.get(perms('catalog', 'sales'))).body).toEqual({ privilege_assignments: [{ principal: USER, privileges: ['USE_CATALOG', 'USE_SCHEMA'] }] });
  });

  it('checks privileges against the securable: MODIFY is a table privilege, not a view one; USE_CATALOG no table one', async () => {
    const { admin: api } = ctx;
    const warehouseId = await setUp();
    expect((await patch(api, 'table', 'sales.raw.orders', [{ principal: USER, add: ['SELECT', 'MODIFY'] }])).status).toBe(200);
    expectError(await patch(api, 'table', 'sales.raw.orders', [{ principal: USER, add: ['USE_CATALOG'] }]), 400, 'INVALID_PARAMETER_VALUE');
    expect((await patch(api, 'volume', 'sales.raw.landing', [{ principal: USER, add: ['READ_VOLUME', 'WRITE_VOLUME'] }])).status).toBe(200);
    expectError(await patch(api, 'volume', 'sales.raw.landing', [{ principal: USER, add: ['SELECT'] }]), 400, 'INVALID_PARAMETER_VALUE');
    const view = await api.post('/api/2.0/sql/statements', { statement: 'CREATE VIEW sales.raw.v AS SELECT * FROM sales.raw.orders', warehouse_id: warehouseId, wait_timeout: '30s' });
    expect(view.body.status).toMatchObject({ state: 'SUCCEEDED' });
    const onView = await patch(api, 'table', 'sales.raw.v', [{ principal: USER, add: ['MODIFY'] }]);
    expectError(onView, 400, 'INVALID_PARAMETER_VALUE');
    expect(onView.body.message).toContain('[sales.raw.v:TABLE/TABLE_VIEW]');
    expect((await patch(api, 'table', 'sales.raw.v', [{ principal: USER, add: ['SELECT'] }])).status).toBe(200);
  });

  it('effective permissions add what parents grant, with where it came from', async () => {
    const { admin: api } = ctx;
    await setUp();
    await patch(api, 'catalog', 'sales', [{ principal: USER, add: ['USE_CATALOG', 'SELECT'] }]);
    await patch(api, 'schema', 'sales.raw', [{ principal: USER, add: ['USE_SCHEMA'] }, { principal: 'users', add: ['MODIFY'] }]);
    await patch(api, 'table', 'sales.raw.orders', [{ principal: USER, add: ['MODIFY'] }]);
    const eff = await api.get(`${UC}/effective-permissions/table/sales.raw.orders`);
    expect(eff.body).toEqual({
      privilege_assignments: [
        {
          principal: USER,
          privileges: [{ privilege: 'MODIFY' }, { privilege: 'SELECT', inherited_from_type: 'CATALOG', inherited_from_name: 'sales' }],
        },
        { principal: 'users', privileges: [{ privilege: 'MODIFY', inherited_from_type: 'SCHEMA', inherited_from_name: 'sales.raw' }] },
      ],
    });
    // The direct grants of the table alone.
    expect((await api.get(perms('table', 'sales.raw.orders'))).body).toEqual({ privilege_assignments: [{ principal: USER, privileges: ['MODIFY'] }] });
    const paged = await api.get(`${UC}/privilege-assignments/schema/sales.raw`, { page_size: 0 });
    expect(paged.body).toEqual({ privilege_assignments: [{ principal: USER, privileges: ['USE_SCHEMA'] }, { principal: 'users', privileges: ['MODIFY'] }] });
    const list = await api.get(`${UC}/effective-privilege-assignments/table/sales.raw.orders`, { principal: 'users' });
    expect(list.body).toEqual({ effective_privilege_assignments: [{ principal: 'users', privileges: [{ privilege: 'MODIFY', inherited_from_type: 'SCHEMA', inherited_from_name: 'sales.raw' }] }] });
  });

  it('grants go with their object: a dropped and re-created table starts with none', async () => {
    const { admin: api } = ctx;
    await setUp();
    await patch(api, 'table', 'sales.raw.orders', [{ principal: USER, add: ['SELECT'] }]);
    await patch(api, 'volume', 'sales.raw.landing', [{ principal: USER, add: ['READ_VOLUME'] }]);
    expect((await api.call('DELETE', `${UC}/tables/sales.raw.orders`)).status).toBe(200);
    expect((await api.call('DELETE', `${UC}/volumes/sales.raw.landing`)).status).toBe(200);
    expectError(await api.get(perms('table', 'sales.raw.orders')), 404, 'TABLE_DOES_NOT_EXIST');
    expectError(await api.get(perms('volume', 'sales.raw.landing')), 404, 'VOLUME_DOES_NOT_EXIST');
    await api.post(`${UC}/tables`, { name: 'orders', catalog_name: 'sales', schema_name: 'raw', table_type: 'MANAGED', data_source_format: 'DELTA', storage_location: '', columns: [{ name: 'id', type_name: 'INT', type_text: 'int', position: 0 }] });
    expect((await api.get(perms('table', 'sales.raw.orders'))).body).toEqual({ privilege_assignments: [] });
  });

  it('only an admin, an owner or a MANAGE holder may change grants', async () => {
    const { admin: api, user } = ctx;
    await setUp();
    const denied = await patch(user, 'catalog', 'sales', [{ principal: USER, add: ['USE_CATALOG'] }]);
    expectError(denied, 403, 'PERMISSION_DENIED');
    expect((await api.get(perms('catalog', 'sales'))).body).toEqual({ privilege_assignments: [] });
    // MANAGE on the schema lets the user grant on the schema and what is in it, not on the catalog.
    await patch(api, 'schema', 'sales.raw', [{ principal: USER, add: ['MANAGE'] }]);
    expect((await patch(user, 'table', 'sales.raw.orders', [{ principal: 'users', add: ['SELECT'] }])).status).toBe(200);
    expectError(await patch(user, 'catalog', 'sales', [{ principal: 'users', add: ['BROWSE'] }]), 403, 'PERMISSION_DENIED');
    // The owner of a catalog manages it.
    expect((await api.call('PATCH', `${UC}/catalogs/sales`, { owner: USER })).status).toBe(200);
    expect((await patch(user, 'catalog', 'sales', [{ principal: 'users', add: ['BROWSE'] }])).status).toBe(200);
  });

  it('SCIM groups: a group created in the workspace can be granted to, and its members act through it', async () => {
    const { admin: api, user } = ctx;
    await setUp();
    const me = await user.get('/api/2.0/preview/scim/v2/Me');
    const group = await api.post('/api/2.0/preview/scim/v2/Groups', { displayName: 'data-eng', members: [{ value: me.body.id }] });
    expect(group.status).toBe(201);
    expectError(await patch(user, 'table', 'sales.raw.orders', [{ principal: 'users', add: ['SELECT'] }]), 403, 'PERMISSION_DENIED');
    expect((await patch(api, 'schema', 'sales.raw', [{ principal: 'data-eng', add: ['MANAGE'] }])).status).toBe(200);
    // user1 is in data-eng, which holds MANAGE on the schema: it may grant on the schema's tables.
    expect((await patch(user, 'table', 'sales.raw.orders', [{ principal: 'data-eng', add: ['SELECT'] }])).status).toBe(200);
    expect((await api.get(perms('table', 'sales.raw.orders'))).body).toEqual({ privilege_assignments: [{ principal: 'data-eng', privileges: ['SELECT'] }] });
    // Once the group is gone it cannot be granted to again.
    expect((await api.call('DELETE', `/api/2.0/preview/scim/v2/Groups/${String(group.body.id)}`)).status).toBe(204);
    expectError(await patch(api, 'catalog', 'sales', [{ principal: 'data-eng', add: ['USE_CATALOG'] }]), 404, 'PRINCIPAL_DOES_NOT_EXIST');
  });

  it('refuses unknown principals, securables and malformed requests precisely, changing nothing', async () => {
    const { admin: api } = ctx;
    await setUp();
    const nobody = await patch(api, 'catalog', 'sales', [{ principal: 'ghosts', add: ['USE_CATALOG'] }]);
    expectError(nobody, 404, 'PRINCIPAL_DOES_NOT_EXIST');
    expect(nobody.body.message).toBe('Could not find principal with name ghosts');
    // Revoking from a name that has nothing is harmless.
    expect((await patch(api, 'catalog', 'sales', [{ principal: 'ghosts', remove: ['USE_CATALOG'] }])).status).toBe(200);
    expectError(await api.get(perms('catalog', 'nope')), 404, 'CATALOG_DOES_NOT_EXIST');
    expectError(await api.get(perms('schema', 'sales.nope')), 404, 'SCHEMA_DOES_NOT_EXIST');
    expectError(await api.get(perms('schema', 'sales')), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await api.get(perms('gizmo', 'sales')), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await api.get(perms('function', 'sales.raw.f')), 404, 'FUNCTION_DOES_NOT_EXIST');
    expectError(await api.get(perms('connection', 'c')), 404, 'CONNECTION_DOES_NOT_EXIST');
    expectError(await api.get(perms('share', 's')), 501, 'NOT_IMPLEMENTED');
    expectError(await api.get(perms('catalog', 'sales'), { max_results: 10 }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await patch(api, 'catalog', 'sales', [{ principal: '', add: ['USE_CATALOG'] }]), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await api.call('PATCH', perms('catalog', 'sales'), { changes: [{ principal: USER, add: 'USE_CATALOG' }] }), 400, 'INVALID_PARAMETER_VALUE');
    expect((await api.get(perms('catalog', 'sales'))).body).toEqual({ privilege_assignments: [] });
  });
});
