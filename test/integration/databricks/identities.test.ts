import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, PermissionDeniedError, ResourceConflictError, ValidationError } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

const ctx = useEmulator();

describe('SCIM identities through the client', () => {
  it('groups: create, get, list by filter across pages, patch helpers, update, delete; errors typed with the SCIM detail', async () => {
    const users = await ctx.client.users.list().toArray();
    expect(users.map((u) => u.userName)).toEqual(['admin@emulator.local', 'user1@emulator.local']);
    const [admin, user1] = users;
    const g = await ctx.client.groups.create({ displayName: 'client-team', members: [{ value: user1!.id }], entitlements: [{ value: 'workspace-access' }] });
    expect(g).toMatchObject({ displayName: 'client-team', members: [{ value: user1!.id }] });
    expect(await ctx.client.groups.get({ id: g.id })).toEqual(g);

    for (let i = 0; i < 5; i++) await ctx.client.groups.create({ displayName: `client-page-${i}` });
    ctx.events.length = 0;
    const paged = await ctx.client.groups.list({ filter: 'displayName sw "client-page-"', count: 2 }).toArray();
    expect(paged.map((x) => x.displayName)).toEqual([0, 1, 2, 3, 4].map((i) => `client-page-${i}`));
    expect(ctx.events.filter((e) => e.operation === 'groups.list')).toHaveLength(3); // 2 + 2 + 1, stopped by totalResults
    expect(await ctx.client.groups.list({ limit: 3 }).toArray()).toHaveLength(3);

    await ctx.client.groups.addMembers({ id: g.id, members: [admin!.id] });
    await ctx.client.groups.removeMembers({ id: g.id, members: [user1!.id] });
    expect((await ctx.client.groups.get({ id: g.id })).members?.map((m) => m.value)).toEqual([admin!.id]);
    await ctx.client.groups.patch({ id: g.id, Operations: [{ op: 'replace', path: 'displayName', value: 'client-team-2' }] });
    await ctx.client.groups.update({ id: g.id, displayName: 'client-team-3' });
    const replaced = await ctx.client.groups.get({ id: g.id });
    expect(replaced).toMatchObject({ displayName: 'client-team-3' });
    expect(replaced.members).toBeUndefined();

    const dup = await ctx.client.groups.create({ displayName: 'client-page-0' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ResourceConflictError);
    expect(dup).toMatchObject({ status: 409, errorCode: 'SCIM_409', message: 'Group with name client-page-0 already exists.', operation: 'groups.create' });
    const bad = await ctx.client.groups.list({ filter: 'displayName eq' }).toArray().catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect((bad as BadRequestError).message).toBe("Invalid filter 'displayName eq': missing value after displayName eq.");

    await ctx.client.groups.delete({ id: g.id });
    await expect(ctx.client.groups.get({ id: g.id })).rejects.toMatchObject({ name: 'NotFoundError', message: 'Group not found.' });
    await expect(ctx.client.groups.delete({ id: g.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.makeClient({ token: 'dapi-integration-user-2' }).groups.create({ displayName: 'x' })).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('rejects bad arguments before sending anything', async () => {
    ctx.events.length = 0;
    await expect(ctx.client.groups.create({ displayName: ' ' })).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.client.groups.patch({ id: '1', Operations: [] })).rejects.toThrow("groups.patch: invalid argument 'Operations': must hold at least one operation");
    await expect(ctx.client.groups.get({ id: '' })).rejects.toBeInstanceOf(ValidationError);
    expect(() => ctx.client.users.list({ count: 0 })).toThrow(ValidationError);
    expect(ctx.events).toEqual([]);
  });

  it('users and service principals: create, filter, get, delete', async () => {
    const u = await ctx.client.users.create({ userName: 'client@corp.com', displayName: 'Client' });
    expect(await ctx.client.users.get({ id: u.id })).toMatchObject({ userName: 'client@corp.com', active: true });
    expect((await ctx.client.users.list({ filter: 'userName co "corp"' }).toArray()).map((x) => x.id)).toEqual([u.id]);
    const sp = await ctx.client.servicePrincipals.create({ applicationId: 'client-app', displayName: 'bot' });
    expect((await ctx.client.servicePrincipals.list({ filter: 'applicationId eq "client-app"' }).toArray()).map((x) => x.id)).toEqual([sp.id]);
    // The new principals may now be named in ACLs.
    const { cluster_id } = await ctx.client.clusters.create({ spark_version: '16.4.x-scala2.12', node_type_id: 'm5d.large', num_workers: 1 });
    const acl = await ctx.client.permissions.update({ object_type: 'clusters', object_id: cluster_id, access_control_list: [{ user_name: 'client@corp.com', permission_level: 'CAN_ATTACH_TO' }, { service_principal_name: 'client-app', permission_level: 'CAN_RESTART' }] });
    expect(acl.access_control_list?.map((a) => a.user_name ?? a.service_principal_name ?? a.group_name)).toEqual(expect.arrayContaining(['client@corp.com', 'client-app']));
    const missing = await ctx.client.permissions.update({ object_type: 'clusters', object_id: cluster_id, access_control_list: [{ group_name: 'no-such-group', permission_level: 'CAN_RESTART' }] }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).message).toBe('Principal: GroupName(no-such-group) does not exist');
    await ctx.client.servicePrincipals.delete({ id: sp.id });
    await ctx.client.users.delete({ id: u.id });
    await expect(ctx.client.users.get({ id: u.id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('users and service principals: update (PUT) replaces and repeats harmlessly, patch edits; errors typed, bad arguments never sent', async () => {
    const g = await ctx.client.groups.create({ displayName: 'client-upd' });
    const u = await ctx.client.users.create({ userName: 'upd@corp.com', displayName: 'Upd', entitlements: [{ value: 'workspace-access' }] });
    ctx.events.length = 0;
    const req = { id: u.id, userName: 'upd2@corp.com', displayName: 'Upd 2', active: false, groups: [{ value: g.id }] };
    await ctx.client.users.update(req);
    await ctx.client.users.update(req);
    expect(ctx.events.map((e) => [e.operation, e.method, e.path, e.status])).toEqual([1, 2].map(() => ['users.update', 'PUT', `/api/2.0/preview/scim/v2/Users/${u.id}`, 200]));
    const got = await ctx.client.users.get({ id: u.id });
    expect(got).toMatchObject({ userName: 'upd2@corp.com', displayName: 'Upd 2', active: false, groups: [{ value: g.id }] });
    expect(got.entitlements).toBeUndefined(); // replaced: not repeated, so gone
    expect((await ctx.client.groups.get({ id: g.id })).members?.map((m) => m.value)).toEqual([u.id]);
    await ctx.client.users.patch({ id: u.id, Operations: [{ op: 'replace', path: 'active', value: true }, { op: 'remove', path: `groups[value eq ${JSON.stringify(g.id)}]` }] });
    expect(await ctx.client.users.get({ id: u.id })).toMatchObject({ active: true });
    expect((await ctx.client.groups.get({ id: g.id })).members).toBeUndefined();

    const sp = await ctx.client.servicePrincipals.create({ applicationId: 'upd-app', displayName: 'bot' });
    await ctx.client.servicePrincipals.update({ id: sp.id, displayName: 'bot-2', entitlements: [{ value: 'allow-cluster-create' }] });
    await ctx.client.servicePrincipals.patch({ id: sp.id, Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(await ctx.client.servicePrincipals.get({ id: sp.id })).toMatchObject({ applicationId: 'upd-app', displayName: 'bot-2', active: false, entitlements: [{ value: 'allow-cluster-create' }] });

    const dup = await ctx.client.users.update({ id: u.id, userName: 'ADMIN@emulator.local' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ResourceConflictError);
    expect(dup).toMatchObject({ status: 409, message: 'User with username ADMIN@emulator.local already exists.', operation: 'users.update' });
    await expect(ctx.makeClient({ token: 'dapi-integration-user-2' }).servicePrincipals.update({ id: sp.id })).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(ctx.client.servicePrincipals.update({ id: '404404' })).rejects.toMatchObject({ name: 'NotFoundError', message: 'Service principal not found.' });

    ctx.events.length = 0;
    await expect(ctx.client.users.update({ id: u.id, userName: ' ' })).rejects.toThrow("users.update: invalid argument 'userName': must not be empty");
    await expect(ctx.client.servicePrincipals.update({ id: '' })).rejects.toBeInstanceOf(ValidationError);
    expect(ctx.events).toEqual([]);
  });
});
