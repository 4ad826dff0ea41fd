import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure, type ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { provisionWorkspace, ProvisionFailureDetails } from '../../../src/workflows/provisioning-saga.js';
import { provisionProgressQuery } from '../../../src/workflows/provisioning-saga.js';
import { startProvisioning } from '../../../src/client/provisioning.js';
import { ConflictingStartError } from '../../../src/client/attach.js';
import { InvalidPipelineSpecError } from '../../../src/workflows/lib/pipeline-spec.js';
import { createLogger } from '../../../src/common/logger.js';
import { installRuntime } from '../../../src/worker/runtime.js';
import { timeSkippingEnv, workflowBundle } from '../../support/temporal.js';
import { CREATES, fakeProvisioning, provisionSpec as spec } from './fake-provisioning.js';

let env: TestWorkflowEnvironment;
let seq = 0;
beforeAll(async () => {
  // Error level: these tests fail activities on purpose, and the SDK logs each failure as a warning.
  installRuntime({ logger: createLogger({ name: 'test', level: 'error' }) });
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});


async function run<T>(fake: ReturnType<typeof fakeProvisioning>, body: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `saga-${++seq}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: fake.activities });
  return worker.runUntil(body(taskQueue));
}

const start = (taskQueue: string, workflowId = `provision-${seq}`) =>
  env.client.workflow.start<typeof provisionWorkspace>('provisionWorkspace', { taskQueue, workflowId, args: [{ spec }] });

describe('provisionWorkspace saga (time-skipping, fake activities)', () => {
  it('creates everything in order and records it in the ledger; the secret stays a reference', async () => {
    const fake = fakeProvisioning();
    const result = await run(fake, async (tq) => (await start(tq)).result());
    expect(fake.names()).toEqual([
      'secretsCreateScope', 'secretsPut', 'clusterPoliciesCreate', 'instancePoolsCreate', 'clustersCreate', 'waitClusterRunning', 'librariesInstall', 'waitLibrariesInstalled',
      'gitCredentialsCreate', 'workspaceGetStatus', 'workspaceMkdirs', 'reposCreate', 'reposUpdate', 'jobsCreate', 'warehousesCreate', 'storageCredentialsCreate', 'externalLocationsCreate', 'connectionsCreate', 'catalogsCreate', 'schemasCreate', 'volumesCreate',
    ]);
    expect(result.ids).toEqual({ secretScope: 'team-a', policyId: 'pol1', instancePoolId: 'p1', clusterId: 'c1', gitCredentialId: 5, repoId: 901, repo: '/Repos/team-a/etl', jobId: 77, warehouseId: 'w1', storageCredential: 'team_a_credential', externalLocation: 'team_a_location', connection: 'team_a_connection', catalog: 'team_a', schema: 'team_a.raw', volume: 'team_a.raw.landing' });
    // The credential and location get Unity Catalog names; the catalog keeps its managed tables in the location.
    expect(fake.calls.find((c) => c.name === 'storageCredentialsCreate')!.input).toEqual({ name: 'team_a_credential', aws_iam_role: { role_arn: 'arn:aws:iam::123456789012:role/team-a-uc' }, comment: 'Provisioned by durabricks for team-a' });
    expect(fake.calls.find((c) => c.name === 'externalLocationsCreate')!.input).toEqual({ name: 'team_a_location', url: 's3://team-a-data/uc', credential_name: 'team_a_credential', comment: 'Provisioned by durabricks for team-a' });
    // The connection's password stays a reference (resolved on the worker); a YAML port number is sent as the API's string.
    expect(fake.calls.find((c) => c.name === 'connectionsCreate')!.input).toEqual({
      name: 'team_a_connection',
      connection_type: 'POSTGRESQL',
      options: { host: 'pg.team-a.internal', port: '5432', user: 'team_a', password: { fromEnv: 'TEAM_A_PG_PASSWORD' } },
      comment: 'Provisioned by durabricks for team-a',
    });
    expect(fake.calls.find((c) => c.name === 'catalogsCreate')!.input).toEqual({ name: 'team_a', storage_root: 's3://team-a-data/uc/team_a' });
    // The token stays a reference; the provider is sent in the API's spelling; the repo is checked out after its folder is made.
    expect(fake.calls.find((c) => c.name === 'gitCredentialsCreate')!.input).toEqual({ git_provider: 'gitHub', git_username: 'team-a-bot', personal_access_token: { fromEnv: 'TEAM_A_GIT_TOKEN' }, name: 'team-a-git' });
    expect(fake.calls.find((c) => c.name === 'workspaceMkdirs')!.input).toEqual({ path: '/Repos/team-a' });
    expect(fake.calls.find((c) => c.name === 'reposUpdate')!.input).toEqual({ repo_id: '901', branch: 'release' });
    expect(fake.calls.find((c) => c.name === 'volumesCreate')!.input).toEqual({ catalog_name: 'team_a', schema_name: 'raw', name: 'landing', volume_type: 'MANAGED' });
    expect(fake.calls.find((c) => c.name === 'secretsPut')!.input).toEqual({ scope: 'team-a', key: 'db-password', value: { fromEnv: 'TEAM_A_DB_PASSWORD' } });
    // The policy's rules go to Databricks as the JSON string the API takes; the cluster is created under it.
    expect(fake.calls.find((c) => c.name === 'clusterPoliciesCreate')!.input).toEqual({
      name: 'team-a-policy',
      definition: '{"autotermination_minutes":{"type":"fixed","value":60}}',
      max_clusters_per_user: 2,
      idempotency_key: expect.stringMatching(/^prov-[0-9a-f]{16}-policy$/),
    });
    expect(fake.calls.find((c) => c.name === 'clustersCreate')!.input).toMatchObject({
      instance_pool_id: 'p1',
      policy_id: 'pol1',
      apply_policy_default_values: true,
      idempotency_key: expect.stringMatching(/^prov-[0-9a-f]{16}-cluster$/),
    });
    expect(fake.calls.find((c) => c.name === 'jobsCreate')!.input).toMatchObject({ tasks: [{ task_key: 'main', existing_cluster_id: 'c1' }] });
    expect(result.resources.map((r) => r.kind)).toEqual(['secret_scope', 'secret', 'cluster_policy', 'instance_pool', 'cluster', 'libraries', 'git_credential', 'folder', 'repo', 'job', 'warehouse', 'storage_credential', 'external_location', 'connection', 'catalog', 'schema', 'volume']);
  });

  // Failure at each step: everything created before it is undone, newest first.
  const UNDO: Record<string, string> = {
    secretsCreateScope: 'secretsDeleteScope',
    clusterPoliciesCreate: 'clusterPoliciesDelete',
    instancePoolsCreate: 'instancePoolsDelete',
    clustersCreate: 'clustersPermanentDelete',
    gitCredentialsCreate: 'gitCredentialsDelete',
    workspaceMkdirs: 'workspaceDelete',
    reposCreate: 'reposDelete',
    jobsCreate: 'jobsDelete',
    warehousesCreate: 'warehousesDelete',
    storageCredentialsCreate: 'storageCredentialsDelete',
    externalLocationsCreate: 'externalLocationsDelete',
    connectionsCreate: 'connectionsDelete',
    catalogsCreate: 'catalogsDelete',
    schemasCreate: 'schemasDelete',
    volumesCreate: 'volumesDelete',
  };
  for (const [i, failAt] of CREATES.entries()) {
    it(`a failure at ${failAt} undoes every earlier step in reverse`, async () => {
      const fake = fakeProvisioning({ failAt });
      const err = await run(fake, async (tq) => (await start(tq)).result().catch((e: unknown) => e));
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('ProvisioningFailed');
      expect(cause.message).toContain(`${failAt} rejected: QUOTA_EXCEEDED`);
      const expectedUndo = CREATES.slice(0, i)
        .map((c) => UNDO[c])
        .filter((u): u is string => u !== undefined)
        .reverse();
      const undoCalls = fake.names().filter((n) => Object.values(UNDO).includes(n));
      expect(undoCalls).toEqual(expectedUndo);
      expect((cause.details?.[0] as ProvisionFailureDetails).undone.every((u) => u.ok)).toBe(true);
      expect([...fake.live]).toEqual([]);
    });
  }

  it("a Git credential for a service principal: found by application id, made, adopted and undone with its principal_id; an unknown one fails the saga before any credential", async () => {
    const startWith = (tq: string, servicePrincipal: string) =>
      env.client.workflow.start<typeof provisionWorkspace>('provisionWorkspace', { taskQueue: tq, workflowId: `provision-sp-${++seq}`, args: [{ spec: { ...spec, gitCredential: { ...spec.gitCredential!, servicePrincipal } } }] });
    const failed = fakeProvisioning({ failAt: 'jobsCreate' });
    await run(failed, async (tq) => (await startWith(tq, 'deploy-sp')).result().catch(() => undefined));
    expect(failed.calls.find((c) => c.name === 'servicePrincipalsList')!.input).toEqual({ filter: 'applicationId eq "deploy-sp"' });
    expect(failed.calls.find((c) => c.name === 'gitCredentialsCreate')!.input).toMatchObject({ name: 'team-a-git', principal_id: 7001 });
    expect(failed.calls.find((c) => c.name === 'gitCredentialsDelete')!.input).toEqual({ credential_id: 5, principal_id: 7001 });

    const adopted = fakeProvisioning({ existing: ['gitcred:team-a-git'] });
    const result = await run(adopted, async (tq) => (await startWith(tq, 'deploy-sp')).result());
    expect(adopted.calls.find((c) => c.name === 'gitCredentialsList')!.input).toEqual({ principal_id: 7001 });
    expect(result.resources.find((r) => r.kind === 'git_credential')).toMatchObject({ id: '5', status: 'kept' });

    const unknown = fakeProvisioning();
    const err = await run(unknown, async (tq) => (await startWith(tq, 'nobody')).result().catch((e: unknown) => e));
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('ProvisioningFailed');
    expect(cause.message).toContain('no service principal with application id nobody in the workspace');
    expect(unknown.names()).not.toContain('gitCredentialsCreate');
    expect([...unknown.live]).toEqual([]);
  });

  it('cancellation while waiting for the cluster undoes cluster, pool, policy and scope, and ends cancelled', async () => {
    const fake = fakeProvisioning({ blockAt: 'waitClusterRunning' });
    const { err, progress } = await run(fake, async (tq) => {
      const handle = await start(tq);
      for (let i = 0; i < 100 && !fake.names().includes('waitClusterRunning'); i++) await new Promise((r) => setTimeout(r, 50));
      await handle.cancel();
      const e = await handle.result().catch((x: unknown) => x);
      return { err: e, progress: await handle.query(provisionProgressQuery) };
    });
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(fake.names().filter((n) => Object.values(UNDO).includes(n))).toEqual(['clustersPermanentDelete', 'instancePoolsDelete', 'clusterPoliciesDelete', 'secretsDeleteScope']);
    expect(progress.phase).toBe('cancelled');
    expect(progress.undone.map((u) => u.detail)).toEqual(['deleted cluster c1', 'deleted instance_pool p1', 'deleted cluster_policy pol1', 'deleted secret_scope team-a']);
  });

  it('re-running with the same id adopts name-keyed objects and passes the same idempotency keys', async () => {
    const fake = fakeProvisioning();
    const [first, second] = await run(fake, async (tq) => {
      const a = await (await start(tq, 'provision-rerun')).result();
      const b = await (await start(tq, 'provision-rerun')).result();
      return [a, b];
    });
    expect(second.ids).toEqual(first.ids);
    const keys = fake.calls.filter((c) => c.name === 'clustersCreate').map((c) => c.input.idempotency_key);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(second.resources.find((r) => r.kind === 'catalog')).toMatchObject({ status: 'kept', note: 'already existed: adopted, not ours to delete' });
    expect(second.resources.find((r) => r.kind === 'cluster_policy')).toMatchObject({ id: 'pol1', status: 'kept', note: 'already existed: adopted, not ours to delete' });
    // The repo (same remote at the same path) and the named Git credential are adopted with their ids; the folder exists, so it is not made again.
    expect(second.resources.find((r) => r.kind === 'repo')).toMatchObject({ id: '901', status: 'kept' });
    expect(second.resources.find((r) => r.kind === 'git_credential')).toMatchObject({ id: '5', status: 'kept' });
    expect(second.resources.find((r) => r.kind === 'folder')).toBeUndefined();
    expect(fake.names().filter((n) => n === 'workspaceMkdirs')).toHaveLength(1);
  });

  it('a re-run adopts the storage credential and location only when they are what the spec asks for', async () => {
    const same = fakeProvisioning();
    const [, second] = await run(same, async (tq) => [await (await start(tq, 'provision-storage')).result(), await (await start(tq, 'provision-storage')).result()]);
    expect(second.resources.filter((r) => r.kind === 'storage_credential' || r.kind === 'external_location').map((r) => [r.kind, r.status])).toEqual([['storage_credential', 'kept'], ['external_location', 'kept']]);

    const otherRole = { name: 'team_a_credential', aws_iam_role: { role_arn: 'arn:aws:iam::123456789012:role/someone-else' }, comment: 'Provisioned by durabricks for team-a' };
    const fake = fakeProvisioning({ existing: ['credential:team_a_credential'], storage: { team_a_credential: otherRole } });
    const err = await run(fake, async (tq) => (await start(tq)).result().catch((e: unknown) => e));
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.message).toContain('failed at storage credential: the storage credential team_a_credential already exists with another identity');
    expect(fake.names()).not.toContain('storageCredentialsDelete');
    expect(fake.names()).not.toContain('externalLocationsCreate');
  });

  it('a re-run adopts the connection only when it is the one the spec describes; another is left alone and fails the saga', async () => {
    const same = fakeProvisioning();
    const [, second] = await run(same, async (tq) => [await (await start(tq, 'provision-connection')).result(), await (await start(tq, 'provision-connection')).result()]);
    expect(second.resources.find((r) => r.kind === 'connection')).toMatchObject({ id: 'team_a_connection', status: 'kept', note: 'already existed: adopted, not ours to delete' });
    expect(same.calls.find((c) => c.name === 'connectionsGet')!.input).toEqual({ name: 'team_a_connection' });

    const otherHost = { name: 'team_a_connection', connection_type: 'POSTGRESQL', options: { host: 'pg.someone-else.internal', port: '5432' }, url: 'pg.someone-else.internal:5432', comment: 'Provisioned by durabricks for team-a' };
    const fake = fakeProvisioning({ existing: ['connection:team_a_connection'], storage: { team_a_connection: otherHost } });
    const err = await run(fake, async (tq) => (await start(tq)).result().catch((e: unknown) => e));
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.message).toContain("failed at connection: the connection team_a_connection already exists with other settings (POSTGRESQL to pg.someone-else.internal:5432) than the spec's POSTGRESQL connection");
    expect((cause.cause as ApplicationFailure).type).toBe('ConnectionNameTaken');
    expect(fake.names()).not.toContain('connectionsDelete');
    expect(fake.names()).not.toContain('catalogsCreate');
    // What this run made before the connection is undone; the other connection stays.
    expect([...fake.live]).toEqual(['connection:team_a_connection']);
  });

  it('a repo of another remote at the path fails the saga at repo, naming both, and is left alone', async () => {
    const path = '/Repos/team-a/etl';
    const fake = fakeProvisioning({ existing: [`repo:${path}`, 'folder:/Repos/team-a'], repoUrls: { [path]: 'https://github.com/someone/else.git' } });
    const err = await run(fake, async (tq) => (await start(tq)).result().catch((e: unknown) => e));
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.message).toContain('failed at repo: /Repos/team-a/etl already holds a clone of https://github.com/someone/else.git, not https://github.com/acme/team-a.git');
    expect(fake.names()).not.toContain('reposDelete');
    expect(fake.names()).not.toContain('workspaceDelete');
    expect([...fake.live].sort()).toEqual(['folder:/Repos/team-a', `repo:${path}`]);
  });

  it('a policy adopted from an earlier run is kept when a later step fails; what this run made is undone', async () => {
    const fake = fakeProvisioning({ failAt: 'jobsCreate', existing: ['policy:team-a-policy'] });
    const err = await run(fake, async (tq) => (await start(tq)).result().catch((e: unknown) => e));
    const details = ((err as WorkflowFailedError).cause as ApplicationFailure).details?.[0] as ProvisionFailureDetails;
    expect(details.undone.map((u) => u.detail)).toEqual(['deleted repo 901', 'deleted folder /Repos/team-a', 'deleted git_credential 5', 'deleted cluster c1', 'deleted instance_pool p1', 'deleted secret_scope team-a']);
    expect(fake.names()).not.toContain('clusterPoliciesDelete');
    expect([...fake.live]).toEqual(['policy:team-a-policy']);
  });

  it('startProvisioning attaches to a running saga of the same spec, refuses another spec under its id and rejects a bad spec before starting', async () => {
    const fake = fakeProvisioning({ blockAt: 'waitClusterRunning' });
    await run(fake, async (taskQueue) => {
      const first = await startProvisioning(env.client, spec, { taskQueue });
      const second = await startProvisioning(env.client, spec, { taskQueue });
      expect(first.workflowId).toBe('provision-team-a');
      expect([first.started, second.started]).toEqual([true, false]);
      // Another spec under the running id is refused, naming what differs; the running saga is untouched.
      const other = await startProvisioning(env.client, { ...spec, warehouse: { cluster_size: 'Small' } }, { taskQueue }).catch((e: unknown) => e);
      expect(other).toBeInstanceOf(ConflictingStartError);
      expect((other as ConflictingStartError).differences).toEqual(['spec.warehouse.cluster_size']);
      expect((await first.handle.describe()).status.name).toBe('RUNNING');
      await first.handle.cancel();
      await first.handle.result().catch(() => undefined);
    });
    const bad = await startProvisioning(env.client, { name: 'x y', secretScope: { scope: 's', secrets: [{ key: 'k', value: 'hunter2' }] } }, { taskQueue: 'unused' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidPipelineSpecError);
    expect((bad as InvalidPipelineSpecError).problems).toEqual([
      'name: must be 1-60 letters, digits, _ . -',
      "secretScope.secrets[0].value: must be a reference { fromEnv: 'VAR' } or { fromFile: '/path' }, never the secret itself",
    ]);
    expect((bad as Error).message).toMatch(/^invalid provisioning spec \(2 problems\)/);
    expect((bad as Error).message).not.toContain('hunter2');
  });
});
