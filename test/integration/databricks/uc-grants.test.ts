import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, PermissionDeniedError, ValidationError } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

const ctx = useEmulator();
const USER2 = 'user1@emulator.local';

describe('Unity Catalog grants through the client', () => {
  it('update, get, list (paged) and getEffective; a repeated update is harmless', async () => {
    const c = ctx.client;
    await c.catalogs.create({ name: 'grants_it' });
    await c.schemas.create({ catalog_name: 'grants_it', name: 's' });
    const changes = [
      { principal: USER2, add: ['USE_CATALOG', 'USE_SCHEMA', 'SELECT'] },
      { principal: 'users', add: ['BROWSE'] },
    ];
    const first = await c.grants.update({ securable_type: 'catalog', full_name: 'grants_it', changes });
    expect(first.privilege_assignments).toEqual([
      { principal: USER2, privileges: ['SELECT', 'USE_CATALOG', 'USE_SCHEMA'] },
      { principal: 'users', privileges: ['BROWSE'] },
    ]);
    expect(await c.grants.update({ securable_type: 'CATALOG', full_name: 'grants_it', changes })).toEqual(first);
    expect((await c.grants.get({ securable_type: 'catalog', full_name: 'grants_it', principal: 'users' })).privilege_assignments).toEqual([{ principal: 'users', privileges: ['BROWSE'] }]);
    expect(await c.grants.list({ securable_type: 'catalog', full_name: 'grants_it', page_size: 150 }).toArray()).toEqual(first.privilege_assignments);
    const eff = await c.grants.getEffective({ securable_type: 'schema', full_name: 'grants_it.s', principal: USER2 });
    expect(eff.privilege_assignments).toEqual([
      {
        principal: USER2,
        privileges: [
          { privilege: 'SELECT', inherited_from_type: 'CATALOG', inherited_from_name: 'grants_it' },
          { privilege: 'USE_SCHEMA', inherited_from_type: 'CATALOG', inherited_from_name: 'grants_it' },
        ],
      },
    ]);
  });

  it('typed errors: inapplicable privilege, unknown principal, missing object, not allowed; bad input never sent', async () => {
    const c = ctx.client;
    await c.catalogs.create({ name: 'grants_err' });
    await expect(c.grants.update({ securable_type: 'catalog', full_name: 'grants_err', changes: [{ principal: USER2, add: ['READ_VOLUME_X'] }] })).rejects.toBeInstanceOf(BadRequestError);
    await expect(c.grants.update({ securable_type: 'catalog', full_name: 'grants_err', changes: [{ principal: 'nobody', add: ['USE_CATALOG'] }] })).rejects.toMatchObject({ errorCode: 'PRINCIPAL_DOES_NOT_EXIST' });
    await expect(c.grants.get({ securable_type: 'catalog', full_name: 'nope' })).rejects.toBeInstanceOf(NotFoundError);
    const other = ctx.makeClient({ token: 'dapi-integration-user-2' });
    await expect(other.grants.update({ securable_type: 'catalog', full_name: 'grants_err', changes: [{ principal: USER2, add: ['USE_CATALOG'] }] })).rejects.toBeInstanceOf(PermissionDeniedError);
    const before = ctx.events.length;
    await expect(c.grants.get({ securable_type: 'catalog', full_name: 'grants_err', max_results: 10 })).rejects.toBeInstanceOf(ValidationError);
    await expect(c.grants.update({ securable_type: 'catalog', full_name: '', changes: [] })).rejects.toBeInstanceOf(ValidationError);
    expect(ctx.events.length).toBe(before);
    expect((await c.grants.get({ securable_type: 'catalog', full_name: 'grants_err' })).privilege_assignments).toEqual([]);
  });
});
