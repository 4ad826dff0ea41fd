import { describe, expect, it } from 'vitest';
import { useAdminAndUser } from './helpers.js';

/** PUT and PATCH of SCIM users and service principals (scim.test.ts covers groups, create, list). */
const S = '/api/2.0/preview/scim/v2';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
type Ref = { display?: string; value: string };
type User = { id: string; userName: string; displayName: string; active: boolean; emails?: { value: string; type?: string; primary?: boolean }[]; groups?: Ref[]; entitlements?: { value: string }[]; externalId?: string };
type Sp = { id: string; applicationId: string; displayName: string; active: boolean; groups?: Ref[]; entitlements?: { value: string }[]; externalId?: string };
type Group = { id: string; displayName: string; members?: Ref[] };
type List<T> = { Resources: T[] };

describe('SCIM users and service principals: replace (PUT) and PATCH', () => {
  const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });

  const userId = async (name: string) => (await ctx.admin.get<List<User>>(`${S}/Users`, { filter: `userName eq "${name}"` })).body.Resources[0]!.id;
  const groupId = async (name: string) => (await ctx.admin.get<List<Group>>(`${S}/Groups`, { filter: `displayName eq "${name}"` })).body.Resources[0]!.id;
  const created = async <T>(path: string, body: Record<string, unknown>) => {
    const r = await ctx.admin.post<T>(`${S}/${path}`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const patch = (kind: 'Users' | 'ServicePrincipals', id: string, Operations: unknown[], as = ctx.admin) => as.call('PATCH', `${S}/${kind}/${id}`, { schemas: [PATCH], Operations });
  const getUser = async (id: string) => (await ctx.admin.get<User>(`${S}/Users/${id}`)).body;
  const getSp = async (id: string) => (await ctx.admin.get<Sp>(`${S}/ServicePrincipals/${id}`)).body;
  const members = async (gid: string) => ((await ctx.admin.get<Group>(`${S}/Groups/${gid}`)).body.members ?? []).map((m) => m.value);
  const state = async () => (await ctx.admin.control('GET', '/state')).body.services;

  it('PUT replaces a user: name, emails, entitlements, externalId and direct groups; left-out attributes are cleared', async () => {
    const team = await created<Group>('Groups', { displayName: 'team' });
    const ops = await created<Group>('Groups', { displayName: 'ops' });
    const u = await created<User>('Users', { userName: 'ann@corp.com', displayName: 'Ann', entitlements: [{ value: 'workspace-access' }], groups: [{ value: team.id }] });
    const put = await ctx.admin.call<User>('PUT', `${S}/Users/${u.id}`, {
      userName: 'ann.b@corp.com',
      displayName: 'Ann B',
      active: false,
      emails: [{ value: 'ann.b@corp.com', type: 'work', primary: true }],
      externalId: 'entra-1',
      entitlements: [{ value: 'allow-cluster-create' }],
      groups: [{ value: ops.id }],
      roles: [{ value: 'arn:aws:iam::1:instance-profile/x' }],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: u.id, userName: 'ann.b@corp.com', displayName: 'Ann B', active: false, emails: [{ value: 'ann.b@corp.com', type: 'work', primary: true }], externalId: 'entra-1', entitlements: [{ value: 'allow-cluster-create' }], groups: [{ display: 'ops', value: ops.id }] });
    expect(await getUser(u.id)).toEqual(put.body);
    expect(await members(team.id)).toEqual([]);
    expect(await members(ops.id)).toEqual([u.id]);
    expect((await ctx.admin.get<List<User>>(`${S}/Users`, { filter: 'active eq false' })).body.Resources.map((x) => x.id)).toEqual([u.id]);

    // A PUT without groups, entitlements, externalId or active leaves groups, clears the rest, activates.
    const bare = (await ctx.admin.call<User>('PUT', `${S}/Users/${u.id}`, { userName: 'ann.b@corp.com' })).body;
    expect(bare).toMatchObject({ userName: 'ann.b@corp.com', displayName: 'ann.b', active: true, emails: [{ type: 'work', value: 'ann.b@corp.com', primary: true }] });
    expect([bare.groups, bare.entitlements, bare.externalId]).toEqual([undefined, undefined, undefined]);
    expect(await members(ops.id)).toEqual([]);
  });

  it('PATCH edits a user: entitlements by path and value filter, active as terraform sends it, groups, emails, attributes without a path', async () => {
    const team = await created<Group>('Groups', { displayName: 'team' });
    const u = await created<User>('Users', { userName: 'bo@corp.com' });
    const ok = async (ops: unknown[]) => expect((await patch('Users', u.id, ops)).status).toBe(204);
    await ok([{ op: 'add', path: 'entitlements', value: [{ value: 'allow-cluster-create' }, { value: 'databricks-sql-access' }] }]);
    await ok([{ op: 'remove', path: 'entitlements[value eq "allow-cluster-create"]' }, { op: 'replace', path: 'active', value: [{ value: 'false' }] }]);
    expect(await getUser(u.id)).toMatchObject({ active: false, entitlements: [{ value: 'databricks-sql-access' }] });
    await ok([{ op: 'Replace', value: { active: 'True', displayName: 'Bo', externalId: 'x-1' } }, { op: 'add', path: 'groups', value: [{ value: team.id }] }]);
    expect(await getUser(u.id)).toMatchObject({ active: true, displayName: 'Bo', externalId: 'x-1', groups: [{ display: 'team', value: team.id }] });
    expect(await members(team.id)).toEqual([u.id]);
    await ok([{ op: 'add', path: 'emails', value: [{ value: 'bo@home.org', type: 'home' }] }, { op: 'remove', path: 'externalId' }]);
    expect((await getUser(u.id)).emails).toEqual([{ type: 'work', value: 'bo@corp.com', primary: true }, { value: 'bo@home.org', type: 'home' }]);
    await ok([{ op: 'remove', path: 'emails[type eq "work"]' }, { op: 'remove', path: `groups[value eq "${team.id}"]` }, { op: 'replace', path: 'userName', value: 'bo2@corp.com' }]);
    const after = await getUser(u.id);
    expect(after).toMatchObject({ userName: 'bo2@corp.com', emails: [{ value: 'bo@home.org', type: 'home' }] });
    expect([after.groups, after.externalId]).toEqual([undefined, undefined]);
    expect(await members(team.id)).toEqual([]);
  });

  it('groups edited through a user reach the group: joining admins makes a token an admin, leaving takes it away', async () => {
    const u1 = await userId('user1@emulator.local');
    const admins = await groupId('admins');
    expect((await ctx.user.post(`${S}/Groups`, { displayName: 'x' })).status).toBe(403);
    expect((await patch('Users', u1, [{ op: 'add', path: 'groups', value: [{ value: admins }] }])).status).toBe(204);
    expect(await members(admins)).toContain(u1);
    expect((await ctx.user.post(`${S}/Groups`, { displayName: 'x' })).status).toBe(201);
    // A PUT that leaves groups out leaves admins too (terraform repeats `groups` in its PUT for that reason).
    expect((await ctx.admin.call('PUT', `${S}/Users/${u1}`, { userName: 'user1@emulator.local', displayName: 'User One' })).status).toBe(200);
    expect(await members(admins)).not.toContain(u1);
    expect((await ctx.user.post(`${S}/Groups`, { displayName: 'y' })).status).toBe(403);
    expect(await getUser(u1)).toMatchObject({ displayName: 'User One', active: true });
  });

  it("a deactivated principal's tokens authenticate no one until it is reactivated; no one may deactivate themselves", async () => {
    await ctx.admin.control('POST', '/principals', { token: 'dapi-sp', user_name: 'sp-app-1', kind: 'service_principal' });
    const u1 = await userId('user1@emulator.local');
    const sp = (await ctx.admin.get<List<Sp>>(`${S}/ServicePrincipals`, { filter: 'applicationId eq "sp-app-1"' })).body.Resources[0]!;
    const bot = ctx.admin.as('dapi-sp');
    expect((await patch('Users', u1, [{ op: 'replace', path: 'active', value: [{ value: 'false' }] }])).status).toBe(204);
    expect((await ctx.admin.call('PUT', `${S}/ServicePrincipals/${sp.id}`, { active: false })).status).toBe(200);
    const refused = { status: 401, body: { error_code: 'UNAUTHENTICATED', message: 'Invalid access token. The principal it belongs to is deactivated.' } };
    for (const as of [ctx.user, bot]) {
      const r = await as.get('/api/2.1/clusters/list');
      expect({ status: r.status, body: r.body }).toEqual(refused);
    }
    expect(await getUser(u1)).toMatchObject({ active: false });
    // Everyone else is unaffected; reactivating restores the same tokens.
    expect((await ctx.admin.get('/api/2.1/clusters/list')).status).toBe(200);
    expect((await patch('Users', u1, [{ op: 'replace', path: 'active', value: true }])).status).toBe(204);
    expect((await patch('ServicePrincipals', sp.id, [{ op: 'replace', path: 'active', value: true }])).status).toBe(204);
    expect((await ctx.user.get('/api/2.1/clusters/list')).status).toBe(200);
    expect((await bot.get<User>(`${S}/Me`)).body.userName).toBe('sp-app-1');

    const admin = await userId('admin@emulator.local');
    const before = await state();
    expect(await patch('Users', admin, [{ op: 'replace', path: 'active', value: false }])).toMatchObject({ status: 400, body: { schemas: [ERROR], detail: 'You cannot deactivate yourself.', status: '400' } });
    expect(await state()).toEqual(before);
    expect((await ctx.admin.get('/api/2.1/clusters/list')).status).toBe(200);
  });

  it('configured principals keep their name; other edits apply and their token keeps working', async () => {
    await ctx.admin.control('POST', '/principals', { token: 'dapi-sp', user_name: 'sp-app-1', kind: 'service_principal' });
    const u1 = await userId('user1@emulator.local');
    const sp = (await ctx.admin.get<List<Sp>>(`${S}/ServicePrincipals`, { filter: 'applicationId eq "sp-app-1"' })).body.Resources[0]!;
    const before = await state();
    const cases: [Promise<{ status: number; body: unknown }>, string][] = [
      [ctx.admin.call('PUT', `${S}/Users/${u1}`, { userName: 'renamed@emulator.local' }), 'User user1@emulator.local is configured with a token or OAuth client in this emulator: its userName cannot change (the token is issued to that name).'],
      [patch('ServicePrincipals', sp.id, [{ op: 'replace', path: 'applicationId', value: 'sp-app-2' }]), 'Service principal sp-app-1 is configured with a token or OAuth client in this emulator: its applicationId cannot change (the token is issued to that name).'],
    ];
    for (const [reply, detail] of cases) expect(await reply).toMatchObject({ status: 400, body: { schemas: [ERROR], detail, status: '400' } });
    expect(await state()).toEqual(before);

    expect((await patch('Users', u1, [{ op: 'add', path: 'entitlements', value: { value: 'allow-cluster-create' } }, { op: 'replace', path: 'displayName', value: 'One' }])).status).toBe(204);
    expect((await ctx.admin.call('PUT', `${S}/ServicePrincipals/${sp.id}`, { displayName: 'Bot' })).body).toMatchObject({ id: sp.id, applicationId: 'sp-app-1', displayName: 'Bot', active: true });
    expect(await getUser(u1)).toMatchObject({ userName: 'user1@emulator.local', displayName: 'One', entitlements: [{ value: 'allow-cluster-create' }] });
    expect((await ctx.admin.get<List<User>>(`${S}/Users`)).body.Resources.map((u) => u.userName)).toEqual(['admin@emulator.local', 'user1@emulator.local']);
    expect((await ctx.user.get<User>(`${S}/Me`)).status).toBe(200);
    expect((await ctx.admin.as('dapi-sp').get<User>(`${S}/Me`)).body.userName).toBe('sp-app-1');
    // The edits are state: they survive a snapshot and restore.
    const snap = (await ctx.admin.control('GET', '/state')).body;
    await ctx.emu.reset();
    await ctx.admin.control('PUT', '/state', snap);
    expect((await getUser(u1)).displayName).toBe('One');
  });

  it('service principals: PUT replaces (application id kept when left out), PATCH edits active, entitlements and groups', async () => {
    const bots = await created<Group>('Groups', { displayName: 'bots' });
    const sp = await created<Sp>('ServicePrincipals', { applicationId: 'etl-app', displayName: 'etl', entitlements: [{ value: 'workspace-access' }] });
    const put = await ctx.admin.call<Sp>('PUT', `${S}/ServicePrincipals/${sp.id}`, { displayName: 'etl-2', externalId: 'e-2', groups: [{ value: bots.id }] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: sp.id, applicationId: 'etl-app', displayName: 'etl-2', externalId: 'e-2', active: true, groups: [{ display: 'bots', value: bots.id }] });
    expect(put.body.entitlements).toBeUndefined();
    expect(await members(bots.id)).toEqual([sp.id]);
    expect((await patch('ServicePrincipals', sp.id, [{ op: 'replace', path: 'active', value: false }, { op: 'add', path: 'entitlements', value: [{ value: 'allow-cluster-create' }] }, { op: 'remove', path: 'groups' }, { op: 'replace', path: 'applicationId', value: 'etl-app-2' }])).status).toBe(204);
    expect(await getSp(sp.id)).toMatchObject({ applicationId: 'etl-app-2', active: false, entitlements: [{ value: 'allow-cluster-create' }] });
    expect(await members(bots.id)).toEqual([]);
  });

  it('rejected writes are precise and change nothing: uniqueness 409, non-admin 403, bad operations 400, unknown ids 404', async () => {
    const u = await created<User>('Users', { userName: 'cy@corp.com', displayName: 'Cy' });
    const sp = await created<Sp>('ServicePrincipals', { applicationId: 'cy-app' });
    await created<Sp>('ServicePrincipals', { applicationId: 'other-app' });
    const users = await groupId('users');
    const before = await state();
    const cases: [Promise<{ status: number; body: unknown }>, number, string][] = [
      [ctx.admin.call('PUT', `${S}/Users/${u.id}`, { userName: 'USER1@emulator.local' }), 409, 'User with username USER1@emulator.local already exists.'],
      [patch('Users', u.id, [{ op: 'replace', path: 'displayName', value: 'changed' }, { op: 'replace', path: 'userName', value: 'admin@emulator.local' }]), 409, 'User with username admin@emulator.local already exists.'],
      [patch('ServicePrincipals', sp.id, [{ op: 'replace', path: 'applicationId', value: 'other-app' }]), 409, 'Service principal with application id other-app already exists.'],
      [ctx.user.call('PUT', `${S}/Users/${u.id}`, { userName: 'cy@corp.com' }), 403, 'user1@emulator.local is not a workspace admin: only admins can change users, service principals and groups.'],
      [patch('ServicePrincipals', sp.id, [{ op: 'replace', path: 'displayName', value: 'x' }], ctx.user), 403, 'user1@emulator.local is not a workspace admin: only admins can change users, service principals and groups.'],
      [ctx.admin.call('PUT', `${S}/Users/${u.id}`, { displayName: 'no name' }), 400, 'Missing required field: userName'],
      [patch('Users', u.id, [{ op: 'add', path: 'roles', value: [{ value: 'r' }] }]), 400, 'Operations[0].path: unsupported attribute "roles"; expected userName, displayName, active, emails, externalId, entitlements or groups.'],
      [patch('Users', u.id, [{ op: 'replace', path: 'displayName', value: 'x' }, { op: 'remove', path: 'userName' }]), 400, 'Operations[1]: userName is required and cannot be removed.'],
      [patch('Users', u.id, [{ op: 'replace', path: 'active', value: 'maybe' }]), 400, 'Operations[0].value: active must be true or false, got "maybe".'],
      [patch('Users', u.id, [{ op: 'remove', path: 'active' }]), 400, 'Operations[0]: active is required and cannot be removed.'],
      [patch('Users', u.id, [{ op: 'replace', path: 'displayName[value eq "x"]', value: 'y' }]), 400, 'Operations[0].path: displayName takes no filter.'],
      [patch('Users', u.id, [{ op: 'add', path: 'groups', value: [{ value: users }] }]), 400, 'Every principal is in the users group; it cannot be given in groups.'],
      [patch('Users', u.id, [{ op: 'add', path: 'entitlements', value: [{ value: 'workspace-access' }] }, { op: 'add', path: 'groups', value: [{ value: '999' }] }]), 400, 'Invalid group 999: no group has this id.'],
      [ctx.admin.call('PUT', `${S}/ServicePrincipals/${sp.id}`, { entitlements: [{ value: 'root' }] }), 400, expect.stringContaining('Invalid entitlement "root"')],
      [patch('ServicePrincipals', sp.id, [{ op: 'add', path: 'emails', value: [{ value: 'a@b' }] }]), 400, 'Operations[0].path: unsupported attribute "emails"; expected applicationId, displayName, active, externalId, entitlements or groups.'],
      [ctx.admin.call('PATCH', `${S}/Users/${u.id}`, { schemas: ['x'], Operations: [{ op: 'add', path: 'groups', value: [] }] }), 400, `Invalid schemas: a PATCH must carry ["${PATCH}"].`],
      [patch('Users', '123', [{ op: 'replace', path: 'displayName', value: 'x' }]), 404, 'User not found.'],
      [ctx.admin.call('PUT', `${S}/ServicePrincipals/123`, {}), 404, 'Service principal not found.'],
    ];
    for (const [reply, status, detail] of cases) {
      const r = await reply;
      expect(r.body).toEqual({ schemas: [ERROR], detail, status: String(status) });
      expect(r.status).toBe(status);
    }
    expect(await state()).toEqual(before);
  });
});
