import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startTestEmulator, type TestClient } from './helpers.js';

const S = '/api/2.0/preview/scim/v2';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
type Ref = { display?: string; value: string; $ref?: string; type?: string };
type Group = { id: string; displayName: string; members?: Ref[]; groups?: Ref[]; entitlements?: { value: string }[]; externalId?: string; schemas: string[]; meta?: unknown };
type User = { id: string; userName: string; displayName?: string; active?: boolean; groups?: Ref[]; emails?: unknown[] };
type Sp = { id: string; applicationId: string; displayName?: string; groups?: Ref[] };
type List<T> = { totalResults: number; itemsPerPage: number; startIndex: number; schemas: string[]; Resources: T[] };

describe('SCIM identities', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  let user: TestClient;
  beforeAll(async () => {
    ({ emu, api } = await startTestEmulator({ tokens: ['dapi-admin', 'dapi-user1', 'dapi-user2'] }));
    user = api.as('dapi-user1');
  });
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  const userId = async (name: string) => (await api.get<List<User>>(`${S}/Users`, { filter: `userName eq "${name}"` })).body.Resources[0]!.id;
  const createGroup = async (body: Record<string, unknown>) => {
    const r = await api.post<Group>(`${S}/Groups`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const patch = (id: string, Operations: unknown[], as = api) => as.call<Record<string, unknown>>('PATCH', `${S}/Groups/${id}`, { schemas: [PATCH], Operations });
  /** Services and ids only: the clock keeps running between two reads. */
  const state = async () => {
    const { services, ids } = (await api.control('GET', '/state')).body;
    return { services, ids };
  };

  it('create → get → list → replace → delete a group; built-ins admins and users are listed', async () => {
    const u1 = await userId('user1@emulator.local');
    const g = await createGroup({ displayName: 'data-eng', members: [{ value: u1 }], entitlements: [{ value: 'allow-cluster-create' }], externalId: 'ext-1' });
    expect(g).toMatchObject({
      displayName: 'data-eng',
      members: [{ display: 'user1', value: u1, $ref: `Users/${u1}` }],
      entitlements: [{ value: 'allow-cluster-create' }],
      externalId: 'ext-1',
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    });
    expect(g.id).toMatch(/^\d+$/);
    expect((await api.get<Group>(`${S}/Groups/${g.id}`)).body).toEqual(g);
    const all = (await api.get<List<Group>>(`${S}/Groups`)).body;
    expect(all).toMatchObject({ totalResults: 3, itemsPerPage: 3, startIndex: 1, schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'] });
    expect(all.Resources.map((x) => x.displayName)).toEqual(['admins', 'users', 'data-eng']);
    expect(all.Resources[0]!.members?.map((m) => m.display)).toEqual(['admin']);
    expect(all.Resources[1]!.members).toHaveLength(3);

    const put = await api.call<Group>('PUT', `${S}/Groups/${g.id}`, { displayName: 'data-eng-2' });
    expect(put.status).toBe(200);
    expect(put.body.members).toBeUndefined(); // replace: members not repeated are gone
    expect((await api.call('DELETE', `${S}/Groups/${g.id}`)).status).toBe(204);
    const gone = await api.get(`${S}/Groups/${g.id}`);
    expect(gone).toMatchObject({ status: 404, body: { schemas: [ERROR], detail: 'Group not found.', status: '404' } });
    expect((await api.call('DELETE', `${S}/Groups/${g.id}`)).status).toBe(404);
  });

  it('filters (eq, co, sw, and/or, not), attributes/excludedAttributes and startIndex/count paging', async () => {
    for (const name of ['etl-readers', 'etl-writers', 'analysts']) await createGroup({ displayName: name });
    const names = async (q: Record<string, unknown>) => (await api.get<List<Group>>(`${S}/Groups`, q)).body.Resources.map((g) => g.displayName);
    expect(await names({ filter: 'displayName eq "analysts"' })).toEqual(['analysts']);
    expect(await names({ filter: 'displayName co "writ"' })).toEqual(['etl-writers']);
    expect(await names({ filter: 'displayName sw "etl-"' })).toEqual(['etl-readers', 'etl-writers']);
    expect(await names({ filter: 'DISPLAYNAME EQ "Analysts"' })).toEqual(['analysts']); // case-insensitive names, ops, values
    expect(await names({ filter: '(displayName sw "etl" and displayName ew "readers") or displayName eq "users"' })).toEqual(['users', 'etl-readers']);
    expect(await names({ filter: 'not (displayName sw "etl")' })).toEqual(['admins', 'users', 'analysts']);
    expect(await names({ sortBy: 'displayName', sortOrder: 'descending' })).toEqual(['users', 'etl-writers', 'etl-readers', 'analysts', 'admins']);

    const page = (await api.get<List<Group>>(`${S}/Groups`, { startIndex: 2, count: 2, attributes: 'displayName' })).body;
    expect(page).toMatchObject({ totalResults: 5, itemsPerPage: 2, startIndex: 2 });
    expect(page.Resources).toEqual([
      { displayName: 'users', id: expect.any(String), schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] },
      { displayName: 'etl-readers', id: expect.any(String), schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] },
    ]);
    const past = (await api.get<List<Group>>(`${S}/Groups`, { startIndex: 6 })).body;
    expect(past).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const noMembers = (await api.get<List<Group>>(`${S}/Groups`, { filter: 'displayName eq "users"', excludedAttributes: 'members' })).body.Resources[0]!;
    expect(noMembers.members).toBeUndefined();
    expect(noMembers.displayName).toBe('users');

    const users = async (filter: string) => (await api.get<List<User>>(`${S}/Users`, { filter })).body.Resources.map((u) => u.userName);
    expect(await users('userName sw "user"')).toEqual(['user1@emulator.local', 'user2@emulator.local']);
    expect(await users('userName co "2@"')).toEqual(['user2@emulator.local']);
    expect(await users('userName eq "admin@emulator.local"')).toEqual(['admin@emulator.local']);
  });

  it('bad filters and paging values are precise 400s in the SCIM shape', async () => {
    for (const [filter, detail] of [
      ['displayName eq', "Invalid filter 'displayName eq': missing value after displayName eq."],
      ['displayName xx "a"', "Invalid filter 'displayName xx \"a\"': unsupported operator xx."],
      ['nope eq "a"', "Invalid filter 'nope eq \"a\"': unsupported attribute nope."],
      ['displayName eq "a', "Invalid filter 'displayName eq \"a': unterminated string."],
      ['(displayName eq "a"', "Invalid filter '(displayName eq \"a\"': missing )."],
    ] as const) {
      const r = await api.get(`${S}/Groups`, { filter });
      expect(r.status, filter).toBe(400);
      expect(r.body, filter).toEqual({ schemas: [ERROR], detail, status: '400' });
    }
    expect((await api.get(`${S}/Groups`, { count: 'many' })).body).toEqual({ schemas: [ERROR], detail: 'Invalid value for field count: must be an integer', status: '400' });
  });

  it('PATCH adds and removes members (also by members[value eq "id"]), renames and edits entitlements', async () => {
    const [u1, u2] = [await userId('user1@emulator.local'), await userId('user2@emulator.local')];
    const g = await createGroup({ displayName: 'team' });
    expect((await patch(g.id, [{ op: 'add', path: 'members', value: [{ value: u1 }, { value: u2 }] }])).status).toBe(204);
    expect((await patch(g.id, [{ op: 'remove', path: `members[value eq "${u1}"]` }, { op: 'Replace', path: 'displayName', value: 'team-2' }, { op: 'add', value: { entitlements: [{ value: 'workspace-access' }] } }])).status).toBe(204);
    const got = (await api.get<Group>(`${S}/Groups/${g.id}`)).body;
    expect(got).toMatchObject({ displayName: 'team-2', members: [{ value: u2 }], entitlements: [{ value: 'workspace-access' }] });
    expect((await patch(g.id, [{ op: 'remove', path: 'entitlements[value eq "workspace-access"]' }, { op: 'remove', path: 'members', value: [{ value: u2 }] }])).status).toBe(204);
    const after = (await api.get<Group>(`${S}/Groups/${g.id}`)).body;
    expect(after.members).toBeUndefined();
    expect(after.entitlements).toBeUndefined();
  });

  it('a user\'s groups and Me show direct memberships; nested groups grant through permissions', async () => {
    const u1 = await userId('user1@emulator.local');
    const inner = await createGroup({ displayName: 'inner', members: [{ value: u1 }] });
    const outer = await createGroup({ displayName: 'outer', members: [{ value: inner.id }] });
    const me = (await user.get<User>(`${S}/Me`)).body;
    expect(me.groups).toEqual([{ display: 'inner', type: 'direct', value: inner.id, $ref: `Groups/${inner.id}` }]);
    expect((await api.get<User>(`${S}/Users/${u1}`)).body.groups).toEqual(me.groups);
    expect((await api.get<Group>(`${S}/Groups/${inner.id}`)).body.groups).toEqual([{ display: 'outer', type: 'direct', value: outer.id, $ref: `Groups/${outer.id}` }]);
    expect((await api.get<User>(`${S}/Me`)).body.groups?.map((g) => g.display)).toEqual(['admins']);

    const c = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 });
    await api.call('PUT', `/api/2.0/permissions/clusters/${c.body.cluster_id}`, { access_control_list: [{ group_name: 'outer', permission_level: 'CAN_RESTART' }] });
    expect((await user.post('/api/2.1/clusters/restart', { cluster_id: c.body.cluster_id })).status).not.toBe(403);
    expect((await api.as('dapi-user2').post('/api/2.1/clusters/restart', { cluster_id: c.body.cluster_id })).status).toBe(403);
    // Leaving the group takes the grant away.
    await patch(inner.id, [{ op: 'remove', path: `members[value eq "${u1}"]` }]);
    expect((await user.post('/api/2.1/clusters/restart', { cluster_id: c.body.cluster_id })).status).toBe(403);
  });

  it('adding a user to admins makes their token an admin; removing takes it away', async () => {
    const u1 = await userId('user1@emulator.local');
    const admins = (await api.get<List<Group>>(`${S}/Groups`, { filter: 'displayName eq "admins"' })).body.Resources[0]!;
    expect((await user.post(`${S}/Groups`, { displayName: 'x' })).status).toBe(403);
    await patch(admins.id, [{ op: 'add', path: 'members', value: [{ value: u1 }] }]);
    expect((await user.post(`${S}/Groups`, { displayName: 'x' })).status).toBe(201);
    expect((await user.get<User>(`${S}/Me`)).body.groups?.map((g) => g.display)).toEqual(['admins']);
    await patch(admins.id, [{ op: 'remove', path: `members[value eq "${u1}"]` }]);
    expect((await user.post(`${S}/Groups`, { displayName: 'y' })).status).toBe(403);
  });

  it('users and service principals: configured ones listed, created ones added, filtered and deleted', async () => {
    const created = await api.post<User>(`${S}/Users`, { userName: 'new@corp.com', displayName: 'New Person', emails: [{ value: 'new@corp.com', primary: true }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ userName: 'new@corp.com', displayName: 'New Person', active: true });
    expect((await api.get<List<User>>(`${S}/Users`)).body.totalResults).toBe(4);
    const dup = await api.post(`${S}/Users`, { userName: 'NEW@corp.com' });
    expect(dup).toMatchObject({ status: 409, body: { schemas: [ERROR], detail: 'User with username NEW@corp.com already exists.', status: '409' } });

    const sp = await api.post<Sp>(`${S}/ServicePrincipals`, { displayName: 'etl-bot' });
    expect(sp.status).toBe(201);
    expect(sp.body.applicationId).toMatch(/^[0-9a-f-]{36}$/);
    const named = await api.post<Sp>(`${S}/ServicePrincipals`, { applicationId: 'app-123', displayName: 'ci' });
    expect((await api.post(`${S}/ServicePrincipals`, { applicationId: 'app-123' })).body).toEqual({ schemas: [ERROR], detail: 'Service principal with application id app-123 already exists.', status: '409' });
    const sps = (await api.get<List<Sp>>(`${S}/ServicePrincipals`, { filter: 'applicationId eq "app-123"' })).body.Resources;
    expect(sps.map((s) => s.id)).toEqual([named.body.id]);

    const g = await createGroup({ displayName: 'bots', members: [{ value: sp.body.id }, { value: created.body.id }] });
    expect((await api.get<Sp>(`${S}/ServicePrincipals/${sp.body.id}`)).body.groups?.map((x) => x.display)).toEqual(['bots']);
    expect((await api.call('DELETE', `${S}/ServicePrincipals/${sp.body.id}`)).status).toBe(204);
    expect((await api.call('DELETE', `${S}/Users/${created.body.id}`)).status).toBe(204);
    expect((await api.get<Group>(`${S}/Groups/${g.id}`)).body.members).toBeUndefined();
    expect((await api.get(`${S}/Users/${created.body.id}`)).body).toEqual({ schemas: [ERROR], detail: 'User not found.', status: '404' });
    const configured = await userId('user1@emulator.local');
    expect((await api.call('DELETE', `${S}/Users/${configured}`)).status).toBe(400);
    expect((await user.post(`${S}/Users`, { userName: 'x@y' })).status).toBe(403);
  });

  it('rejected writes are precise and change nothing', async () => {
    const g = await createGroup({ displayName: 'keep', members: [{ value: await userId('user1@emulator.local') }] });
    const admins = (await api.get<List<Group>>(`${S}/Groups`, { filter: 'displayName eq "admins"' })).body.Resources[0]!;
    const users = (await api.get<List<Group>>(`${S}/Groups`, { filter: 'displayName eq "users"' })).body.Resources[0]!;
    const before = await state();
    const cases: [Promise<{ status: number; body: unknown }>, number, string][] = [
      [api.post(`${S}/Groups`, {}), 400, 'Missing required field: displayName'],
      [api.post(`${S}/Groups`, { displayName: '  ' }), 400, 'Invalid value for field displayName: must not be empty'],
      [api.post(`${S}/Groups`, { displayName: 'keep' }), 409, 'Group with name keep already exists.'],
      [api.post(`${S}/Groups`, { displayName: 'n', members: [{ value: '999' }] }), 400, 'Invalid member 999: no user, service principal or group has this id.'],
      [api.post(`${S}/Groups`, { displayName: 'n', members: 'x' }), 400, 'Invalid value for field members: expected array, got string.'],
      [api.post(`${S}/Groups`, { displayName: 'n', entitlements: [{ value: 'root' }] }), 400, expect.stringContaining('Invalid entitlement "root"')],
      [user.post(`${S}/Groups`, { displayName: 'n' }), 403, 'user1@emulator.local is not a workspace admin: only admins can change users, service principals and groups.'],
      [patch(g.id, [{ op: 'add', path: 'members', value: [{ value: '999' }] }, { op: 'replace', path: 'displayName', value: 'changed' }]), 400, 'Invalid member 999: no user, service principal or group has this id.'],
      [patch(g.id, [{ op: 'replace', path: 'displayName', value: 'admins' }]), 409, 'Group with name admins already exists.'],
      [patch(g.id, [{ op: 'move', path: 'members' }]), 400, 'Operations[0].op: unsupported operation "move"; expected add, remove or replace.'],
      [patch(g.id, [{ op: 'remove' }]), 400, 'Operations[0]: remove needs a path.'],
      [patch(g.id, [{ op: 'add', path: 'roles', value: [] }]), 400, 'Operations[0].path: unsupported attribute "roles"; expected members, entitlements, displayName or externalId.'],
      [patch(g.id, [{ op: 'add', path: 'members', value: [{ value: g.id }] }]), 400, 'Group keep cannot be a member of itself or of a group it contains.'],
      [api.call('PATCH', `${S}/Groups/${g.id}`, { Operations: [] }), 400, 'Missing required field: schemas'],
      [api.call('PATCH', `${S}/Groups/${g.id}`, { schemas: ['x'], Operations: [{ op: 'add', path: 'members', value: [] }] }), 400, `Invalid schemas: a PATCH must carry ["${PATCH}"].`],
      [patch('123', [{ op: 'remove', path: 'members' }]), 404, 'Group not found.'],
      [patch(users.id, [{ op: 'remove', path: 'members' }]), 400, 'The members of the users group are every user and service principal of the workspace; they cannot be changed.'],
      [patch(admins.id, [{ op: 'replace', path: 'displayName', value: 'root' }]), 400, 'The system group admins cannot be renamed.'],
      [api.call('DELETE', `${S}/Groups/${admins.id}`), 400, 'The system group admins cannot be deleted.'],
      [api.call('PUT', `${S}/Groups/${g.id}`, { displayName: 'users' }), 409, 'Group with name users already exists.'],
    ];
    for (const [reply, status, detail] of cases) {
      const r = await reply;
      expect(r.body).toEqual({ schemas: [ERROR], detail, status: String(status) });
      expect(r.status).toBe(status);
    }
    expect(await state()).toEqual(before);
  });

  it('permissions refuse ACLs that name missing principals (404 "Principal: …Name(x) does not exist"), changing nothing', async () => {
    const c = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 });
    const path = `/api/2.0/permissions/clusters/${c.body.cluster_id}`;
    const before = (await api.get(path)).body;
    for (const [item, message] of [
      [{ group_name: 'ghosts' }, 'Principal: GroupName(ghosts) does not exist'],
      [{ user_name: 'nobody@emulator.local' }, 'Principal: UserName(nobody@emulator.local) does not exist'],
      [{ service_principal_name: 'no-app' }, 'Principal: ServicePrincipalName(no-app) does not exist'],
    ] as const) {
      const r = await api.call('PATCH', path, { access_control_list: [{ group_name: 'users', permission_level: 'CAN_ATTACH_TO' }, { ...item, permission_level: 'CAN_RESTART' }] });
      expect(r).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message } });
    }
    expect((await api.get(path)).body).toEqual(before);
    await createGroup({ displayName: 'ghosts' });
    await api.post(`${S}/ServicePrincipals`, { applicationId: 'no-app' });
    const ok = await api.call('PATCH', path, { access_control_list: [{ group_name: 'ghosts', permission_level: 'CAN_RESTART' }, { service_principal_name: 'no-app', permission_level: 'CAN_ATTACH_TO' }] });
    expect(ok.status).toBe(200);
  });

  it('state survives a snapshot and restore', async () => {
    const g = await createGroup({ displayName: 'persisted', members: [{ value: await userId('user2@emulator.local') }] });
    const snap = (await api.control('GET', '/state')).body;
    await emu.reset();
    expect((await api.get(`${S}/Groups/${g.id}`)).status).toBe(404);
    await api.control('PUT', '/state', snap);
    expect((await api.get<Group>(`${S}/Groups/${g.id}`)).body).toEqual(g);
  });
});
