import { describe, expect, it } from 'vitest';
import { FailureType } from '../../../src/common/activity-policies.js';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

const ctx = useEmulatorActivities();
const wf = (attempt: number, activityId = '31') => ({ attempt, activityId, workflowExecution: { workflowId: 'wf-identities', runId: 'run-1' } });

describe('SCIM identity activities', () => {
  it('groupsCreate: a retry adopts the group with the same name and members; other members or a first attempt fail non-retryably on the 409', async () => {
    const [admin] = await mockEnv(wf(1, '1')).exec(ctx.acts.usersList, {});
    const spec = { displayName: 'etl-team', members: [{ value: admin!.id }] };
    const first = await mockEnv(wf(1)).exec(ctx.acts.groupsCreate, spec);
    expect(first).toMatchObject({ displayName: 'etl-team', adopted: false });
    // The first POST landed but its answer was lost: the retry finds it.
    expect(await mockEnv(wf(2)).exec(ctx.acts.groupsCreate, spec)).toEqual({ ...first, adopted: true });
    expect(first.ours).toBe(true);
    const otherMembers = await rejection(mockEnv(wf(2, '32')).exec(ctx.acts.groupsCreate, { displayName: 'etl-team' }));
    expect(otherMembers).toMatchObject({ type: FailureType.Conflict, nonRetryable: true });
    expect(otherMembers.message).toMatch(/Group with name etl-team already exists\./);
    expect(await rejection(mockEnv(wf(1, '33')).exec(ctx.acts.groupsCreate, spec))).toMatchObject({ type: FailureType.Conflict, nonRetryable: true });
    expect((await mockEnv(wf(1, '34')).exec(ctx.acts.groupsList, { filter: 'displayName eq "etl-team"' })).map((g) => g.id)).toEqual([first.id]);
  });

  it('groupsCreate marks the group with its key: a retry knows it as its own even after its members changed; a caller-set externalId falls back to name and members', async () => {
    const [admin] = await mockEnv(wf(1, '41')).exec(ctx.acts.usersList, {});
    const first = await mockEnv(wf(1, '42')).exec(ctx.acts.groupsCreate, { displayName: 'keyed', idempotency_key: 'prov-1-group' });
    const [stored] = await mockEnv(wf(1, '43')).exec(ctx.acts.groupsList, { filter: 'displayName eq "keyed"' });
    expect(stored?.externalId).toBe('durabricks:prov-1-group');
    await mockEnv(wf(1, '44')).exec(ctx.acts.groupsAddMembers, { id: first.id, members: [admin!.id] });
    // A re-run with the same key (first attempt, explicit key) finds it by the marker, not by its members.
    expect(await mockEnv(wf(1, '45')).exec(ctx.acts.groupsCreate, { displayName: 'keyed', idempotency_key: 'prov-1-group' })).toEqual({ ...first, adopted: true, ours: true });
    // Another key: someone else's group with this name, not ours and not the same members.
    expect(await rejection(mockEnv(wf(1, '46')).exec(ctx.acts.groupsCreate, { displayName: 'keyed', idempotency_key: 'prov-2-group' }))).toMatchObject({ type: FailureType.Conflict });
    const own = await mockEnv(wf(1, '47')).exec(ctx.acts.groupsCreate, { displayName: 'synced', externalId: 'okta-123' });
    expect(own.ours).toBe(true);
    expect(await mockEnv(wf(2, '47')).exec(ctx.acts.groupsCreate, { displayName: 'synced', externalId: 'okta-123' })).toEqual({ ...own, adopted: true, ours: false });
  });

  it('get, patch helpers and list; bad input is a non-retryable BadRequest', async () => {
    const users = await mockEnv(wf(1, '2')).exec(ctx.acts.usersList, { filter: 'userName sw "admin"' });
    const g = await mockEnv(wf(1, '3')).exec(ctx.acts.groupsCreate, { displayName: 'readers' });
    await mockEnv(wf(1, '4')).exec(ctx.acts.groupsAddMembers, { id: g.id, members: [users[0]!.id] });
    expect((await mockEnv(wf(1, '5')).exec(ctx.acts.groupsGet, { id: g.id, fields: ['members.value'] })).members).toEqual([{ value: users[0]!.id }]);
    await mockEnv(wf(1, '6')).exec(ctx.acts.groupsPatch, { id: g.id, Operations: [{ op: 'remove', path: 'members' }] });
    expect((await mockEnv(wf(1, '7')).exec(ctx.acts.groupsGet, { id: g.id })).members).toBeUndefined();
    const bad = await rejection(mockEnv(wf(1, '8')).exec(ctx.acts.groupsPatch, { id: g.id, Operations: [{ op: 'add', path: 'members', value: [{ value: '404' }] }] }));
    expect(bad).toMatchObject({ type: FailureType.BadRequest, nonRetryable: true });
    expect((await mockEnv(wf(1, '9')).exec(ctx.acts.servicePrincipalsList, {})).length).toBe(0);
  });

  it('groupsDelete: a first attempt on a missing group is NotFound; a retry after the delete landed succeeds', async () => {
    const g = await mockEnv(wf(1, '11')).exec(ctx.acts.groupsCreate, { displayName: 'short-lived' });
    expect(await mockEnv(wf(1, '12')).exec(ctx.acts.groupsDelete, { id: g.id })).toEqual({ deleted: true });
    expect(await mockEnv(wf(2, '12')).exec(ctx.acts.groupsDelete, { id: g.id })).toEqual({ deleted: false });
    expect(await rejection(mockEnv(wf(1, '13')).exec(ctx.acts.groupsDelete, { id: g.id }))).toMatchObject({ type: FailureType.NotFound, nonRetryable: true });
  });

  it('usersCreate and servicePrincipalsCreate adopt on retry by userName / applicationId', async () => {
    const u = await mockEnv(wf(1, '21')).exec(ctx.acts.usersCreate, { userName: 'svc@corp.com' });
    expect((await mockEnv(wf(2, '21')).exec(ctx.acts.usersCreate, { userName: 'svc@corp.com' })).id).toBe(u.id);
    expect(await rejection(mockEnv(wf(1, '22')).exec(ctx.acts.usersCreate, { userName: 'svc@corp.com' }))).toMatchObject({ type: FailureType.Conflict });
    const sp = await mockEnv(wf(1, '23')).exec(ctx.acts.servicePrincipalsCreate, { applicationId: 'app-1' });
    expect((await mockEnv(wf(2, '23')).exec(ctx.acts.servicePrincipalsCreate, { applicationId: 'app-1' })).id).toBe(sp.id);
    expect(await mockEnv(wf(1, '24')).exec(ctx.acts.servicePrincipalsDelete, { id: sp.id })).toEqual({ deleted: true });
    expect(await mockEnv(wf(1, '25')).exec(ctx.acts.usersDelete, { id: u.id })).toEqual({ deleted: true });
  });
});
