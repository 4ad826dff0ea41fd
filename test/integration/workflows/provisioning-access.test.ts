import type { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/common/logger.js';
import { installRuntime } from '../../../src/worker/runtime.js';
import type { ProvisionSpecInput } from '../../../src/workflows/lib/provision-spec.js';
import type { ProvisionFailureDetails, provisionWorkspace } from '../../../src/workflows/provisioning-saga.js';
import { timeSkippingEnv, workflowBundle } from '../../support/temporal.js';
import { fakeProvisioning, provisionSpec } from './fake-provisioning.js';

/** The saga's access step: grants to one principal on what it provisioned, revoked on undo only where the resource stays. */
let env: TestWorkflowEnvironment;
let seq = 0;
beforeAll(async () => {
  installRuntime({ logger: createLogger({ name: 'test', level: 'error' }) });
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const spec: ProvisionSpecInput = {
  ...provisionSpec,
  access: {
    group: 'team-a-users',
    secretScope: 'READ',
    clusterPolicy: 'CAN_USE',
    instancePool: 'CAN_ATTACH_TO',
    cluster: 'CAN_RESTART',
    repo: 'CAN_RUN',
    job: 'CAN_MANAGE_RUN',
    warehouse: 'CAN_USE',
    externalLocation: ['READ_FILES', 'CREATE_EXTERNAL_TABLE'],
    connection: ['USE_CONNECTION', 'CREATE_FOREIGN_CATALOG'],
    catalog: ['USE_CATALOG'],
    schema: ['USE_SCHEMA', 'SELECT'],
    volume: ['READ_VOLUME', 'WRITE_VOLUME'],
  },
};

async function provision(fake: ReturnType<typeof fakeProvisioning>, input: ProvisionSpecInput = spec): Promise<unknown> {
  const taskQueue = `access-${++seq}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: fake.activities });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof provisionWorkspace>('provisionWorkspace', { taskQueue, workflowId: `provision-access-${seq}`, args: [{ spec: input }] });
    return handle.result().catch((e: unknown) => e);
  });
}

const GRANTS = [
  'grant:scope/team-a:team-a-users:READ',
  'grant:cluster-policies/pol1:team-a-users:CAN_USE',
  'grant:instance-pools/p1:team-a-users:CAN_ATTACH_TO',
  'grant:clusters/c1:team-a-users:CAN_RESTART',
  'grant:repos/901:team-a-users:CAN_RUN',
  'grant:jobs/77:team-a-users:CAN_MANAGE_RUN',
  'grant:warehouses/w1:team-a-users:CAN_USE',
  'grant:external_location/team_a_location:team-a-users:READ_FILES',
  'grant:external_location/team_a_location:team-a-users:CREATE_EXTERNAL_TABLE',
  'grant:connection/team_a_connection:team-a-users:USE_CONNECTION',
  'grant:connection/team_a_connection:team-a-users:CREATE_FOREIGN_CATALOG',
  'grant:catalog/team_a:team-a-users:USE_CATALOG',
  'grant:schema/team_a.raw:team-a-users:USE_SCHEMA',
  'grant:schema/team_a.raw:team-a-users:SELECT',
  'grant:volume/team_a.raw.landing:team-a-users:READ_VOLUME',
  'grant:volume/team_a.raw.landing:team-a-users:WRITE_VOLUME',
];

describe('provisionWorkspace access step (time-skipping, fake activities)', () => {
  it('grants on every provisioned resource after it exists, and records each grant', async () => {
    const fake = fakeProvisioning();
    const result = (await provision(fake)) as { resources: { kind: string; name: string; status: string }[] };
    expect([...fake.live].filter((k) => k.startsWith('grant:'))).toEqual(GRANTS);
    const names = fake.names();
    expect(names.indexOf('secretsPutAcl')).toBeGreaterThan(names.indexOf('volumesCreate'));
    expect(fake.calls.find((c) => c.name === 'permissionsUpdate')!.input).toEqual({ object_type: 'cluster-policies', object_id: 'pol1', access_control_list: [{ group_name: 'team-a-users', permission_level: 'CAN_USE' }] });
    const grants = result.resources.filter((r) => r.kind === 'grant');
    expect(grants.map((g) => g.name)).toEqual([
      'READ on secret scope team-a to group team-a-users',
      'CAN_USE on cluster policy pol1 to group team-a-users',
      'CAN_ATTACH_TO on instance pool p1 to group team-a-users',
      'CAN_RESTART on cluster c1 to group team-a-users',
      'CAN_RUN on repo 901 to group team-a-users',
      'CAN_MANAGE_RUN on job 77 to group team-a-users',
      'CAN_USE on warehouse w1 to group team-a-users',
      'READ_FILES, CREATE_EXTERNAL_TABLE on external location team_a_location to group team-a-users',
      'USE_CONNECTION, CREATE_FOREIGN_CATALOG on connection team_a_connection to group team-a-users',
      'USE_CATALOG on catalog team_a to group team-a-users',
      'USE_SCHEMA, SELECT on schema team_a.raw to group team-a-users',
      'READ_VOLUME, WRITE_VOLUME on volume team_a.raw.landing to group team-a-users',
    ]);
    expect(grants.every((g) => g.status === 'created')).toBe(true);
  });

  it('a failed grant undoes everything; grants go with the resources the undo deletes (no revoke calls)', async () => {
    const fake = fakeProvisioning({ failWhen: (name, input) => name === 'grantsUpdate' && input.securable_type === 'volume' });
    const err = await provision(fake);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.message).toContain('provisioning team-a failed at access');
    expect([...fake.live]).toEqual([]);
    expect(fake.names()).not.toContain('permissionsSet');
    expect(fake.names()).not.toContain('secretsDeleteAcl');
  });

  it('grants on adopted resources are revoked on undo, and only this principal loses access there', async () => {
    const fake = fakeProvisioning({
      existing: ['policy:team-a-policy', 'catalog:team_a', 'grant:cluster-policies/pol1:data-eng:CAN_USE', 'grant:catalog/team_a:data-eng:USE_CATALOG'],
      failWhen: (name, input) => name === 'grantsUpdate' && input.securable_type === 'volume',
    });
    const err = await provision(fake);
    const details = ((err as WorkflowFailedError).cause as ApplicationFailure).details?.[0] as ProvisionFailureDetails;
    expect(details.undone.slice(0, 2).map((u) => u.detail)).toEqual(['revoked USE_CATALOG on catalog team_a to group team-a-users', 'revoked CAN_USE on cluster policy pol1 to group team-a-users']);
    // The policy's other grantee keeps its access: the revoke re-sets the direct grants without ours (the inherited admins entry is not re-set).
    expect(fake.calls.find((c) => c.name === 'permissionsSet')!.input).toEqual({ object_type: 'cluster-policies', object_id: 'pol1', access_control_list: [{ group_name: 'data-eng', permission_level: 'CAN_USE' }] });
    expect([...fake.live].sort()).toEqual(['catalog:team_a', 'grant:catalog/team_a:data-eng:USE_CATALOG', 'grant:cluster-policies/pol1:data-eng:CAN_USE', 'policy:team-a-policy']);
    expect(details.resources.filter((r) => r.kind === 'grant' && r.status === 'cleaned').map((r) => r.note)).toEqual(['revoked', 'revoked']);
  });

  it('creates the team group first with its members by user name, then grants to it; the undo deletes it', async () => {
    const withGroup: ProvisionSpecInput = { ...spec, group: { name: 'team-a-users', members: ['ann@example.com', 'bob@example.com'] } };
    const fake = fakeProvisioning();
    const result = (await provision(fake, withGroup)) as { ids: Record<string, unknown>; resources: { kind: string; name: string; id?: string }[] };
    expect(fake.names().slice(0, 3)).toEqual(['usersList', 'usersList', 'groupsCreate']);
    expect(fake.calls.find((c) => c.name === 'groupsCreate')!.input).toEqual({
      displayName: 'team-a-users',
      members: [{ value: 'u-ann@example.com' }, { value: 'u-bob@example.com' }],
      idempotency_key: expect.stringMatching(/^prov-[0-9a-f]{16}-group$/),
    });
    expect(result.ids.group).toBe('team-a-users');
    expect(result.resources[0]).toMatchObject({ kind: 'group', name: 'team-a-users', id: 'g-team-a-users', status: 'created' });

    const failing = fakeProvisioning({ failAt: 'volumesCreate' });
    const err = await provision(failing, withGroup);
    const details = ((err as WorkflowFailedError).cause as ApplicationFailure).details?.[0] as ProvisionFailureDetails;
    expect(details.undone.at(-1)?.detail).toBe('deleted group g-team-a-users');
    expect([...failing.live]).toEqual([]);
  });

  it('a member the workspace does not know fails the saga at the group, naming the user; nothing is created', async () => {
    const fake = fakeProvisioning();
    const err = await provision(fake, { ...spec, group: { name: 'team-a-users', members: ['ann@example.com', 'zed@example.com'] } });
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.message).toContain('provisioning team-a failed at group: group member zed@example.com is not a user of this workspace');
    expect(fake.names()).toEqual(['usersList', 'usersList']);
  });

  it('a group that existed before the saga (not ours) is kept on undo; grants on it go with the deleted resources', async () => {
    const fake = fakeProvisioning({ existing: ['group:team-a-users'], failAt: 'volumesCreate' });
    const err = await provision(fake, { ...spec, group: { name: 'team-a-users' } });
    const details = ((err as WorkflowFailedError).cause as ApplicationFailure).details?.[0] as ProvisionFailureDetails;
    expect(details.resources[0]).toMatchObject({ kind: 'group', status: 'kept', note: 'already existed: adopted, not ours to delete' });
    expect(fake.names()).not.toContain('groupsDelete');
    expect([...fake.live]).toEqual(['group:team-a-users']);
  });
});
