import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictingStartError } from '../../src/client/attach.js';
import { CannotDeprovisionError, startDeprovisioning } from '../../src/client/deprovisioning.js';
import { createLogger } from '../../src/common/logger.js';
import { DatabricksClient } from '../../src/databricks/index.js';
import { freePort } from '../../src/dev/ports.js';
import { startStack, type RunningStack } from '../../src/dev/stack.js';
import type { DeprovisionFailureDetails } from '../../src/workflows/lib/deprovision-types.js';
import type { ProvisionSpecInput } from '../../src/workflows/lib/provision-spec.js';
import type { provisionWorkspace } from '../../src/workflows/provisioning-saga.js';
import { eventually } from '../support/processes.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Deprovisioning on the real stack: dev server + emulator + worker with the real activities. */
describe('deprovisioning end to end', () => {
  let stack: RunningStack;
  let dbx: DatabricksClient;

  beforeAll(async () => {
    stack = await startStack({ logger: createLogger({ level: 'silent' }), persist: false, port: await freePort(), uiPort: await freePort(), emulator: { speed: 60 } });
    dbx = new DatabricksClient({ host: stack.databricks.host, token: stack.databricks.token, env: {} });
  });
  afterAll(async () => {
    await dbx?.close();
    await stack?.shutdown();
  });

  const cli = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn(process.execPath, [join(ROOT, 'bin/durabricks.js'), ...args], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TEMPORAL_ADDRESS: stack.server.address, TEMPORAL_NAMESPACE: stack.server.namespace, DURABRICKS_TASK_QUEUE: stack.config.taskQueue },
      });
      let out = '';
      p.stdout.on('data', (c: Buffer) => (out += c.toString()));
      p.stderr.on('data', (c: Buffer) => (out += c.toString()));
      p.once('exit', (code) => resolve({ code, out }));
    });

  /** Adds an emulator fault rule (POST) or clears them all (DELETE). */
  const fault = (method: 'POST' | 'DELETE', body?: unknown) =>
    fetch(`${stack.databricks.host}/_emulator/faults`, { method, headers: { authorization: `Bearer ${stack.databricks.token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

  const dir = mkdtempSync(join(tmpdir(), 'deprovision-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const specFile = (s: ProvisionSpecInput) => {
    const file = join(dir, `${s.name}.json`);
    writeFileSync(file, JSON.stringify(s));
    return file;
  };

  const spec: ProvisionSpecInput = {
    name: 'dep',
    group: { name: 'dep-team', members: ['admin@emulator.local'] },
    secretScope: { scope: 'dep-scope' },
    clusterPolicy: { definition: { autotermination_minutes: { type: 'fixed', value: 45 } } },
    instancePool: { node_type_id: 'i3.xlarge', max_capacity: 4 },
    cluster: { spec: { spark_version: '15.4.x-scala2.12', num_workers: 1 } },
    gitCredential: { provider: 'gitHub', token: { fromEnv: 'E2E_DEP_GIT_TOKEN' } },
    repo: { url: 'https://github.com/acme/dep.git', provider: 'gitHub', path: '/Repos/dep/etl' },
    job: { name: 'dep-job', tasks: [{ task_key: 'main', notebook_task: { notebook_path: '/Shared/main' } }] },
    warehouse: { cluster_size: '2X-Small' },
    storage: { url: 's3://dep-bucket/uc', credential: { aws_iam_role: { role_arn: 'arn:aws:iam::123456789012:role/dep' } } },
    connection: { type: 'POSTGRESQL', options: { host: 'pg.dep.internal', port: 5432, user: 'dep_reader', password: { fromEnv: 'E2E_DEP_PG_PASSWORD' } } },
    // The catalog exists before the saga: adopted and kept, so only the grant made on it is revoked.
    catalog: { name: 'dep_shared', schema: 'raw', volume: 'landing' },
    access: { group: 'dep-team', cluster: 'CAN_RESTART', job: 'CAN_VIEW', connection: ['USE_CONNECTION'], catalog: ['USE_CATALOG'], schema: ['USE_SCHEMA', 'SELECT'] },
  };

  it("deletes what the saga made, newest first; the adopted catalog stays without the saga's grant; a resource deleted by hand is already gone; a re-run finds nothing left", async () => {
    process.env.E2E_DEP_GIT_TOKEN = 'ghp_dep-token';
    const pgPassword = 'pg-dep-s3cr3t-password';
    process.env.E2E_DEP_PG_PASSWORD = pgPassword;
    await dbx.catalogs.create({ name: 'dep_shared', comment: 'shared, not the saga’s' });
    const provisioned = await stack.client.workflow.execute<typeof provisionWorkspace>('provisionWorkspace', { taskQueue: stack.config.taskQueue, workflowId: 'provision-dep', args: [{ spec }] });
    expect(provisioned.resources.find((r) => r.kind === 'catalog')).toMatchObject({ status: 'kept' });
    const groupHas = async (securable_type: string, full_name: string) => (await dbx.grants.get({ securable_type, full_name })).privilege_assignments?.some((a) => a.principal === 'dep-team') ?? false;
    expect(await groupHas('catalog', 'dep_shared')).toBe(true);
    // The connection exists, granted on; its password went to Databricks from the worker's environment,
    // never through the workflow's history, and no answer carries it.
    expect(provisioned.ids.connection).toBe('dep_connection');
    const connection = await dbx.connections.get({ name: 'dep_connection' });
    expect(connection).toMatchObject({ connection_type: 'POSTGRESQL', options: { host: 'pg.dep.internal', port: '5432' }, comment: 'Provisioned by durabricks for dep' });
    expect(await groupHas('connection', 'dep_connection')).toBe(true);
    // Payloads are base64 in the history's JSON: searched decoded (the variable's name shows the decoding works).
    const raw = JSON.stringify(await stack.client.workflow.getHandle('provision-dep').fetchHistory());
    const history = [raw, ...[...raw.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'))].join('\n');
    expect(history).toContain('E2E_DEP_PG_PASSWORD');
    expect(history).not.toContain(pgPassword);
    expect(JSON.stringify(connection)).not.toContain(pgPassword);
    expect(JSON.stringify(provisioned)).not.toContain(pgPassword);
    // Someone deletes the job by hand first.
    await dbx.jobs.delete({ job_id: provisioned.ids.jobId! });

    // The plan first: what would go, read from the saga's record; nothing starts.
    const plan = await cli(['deprovision', specFile(spec), '--plan']);
    expect(plan.code, plan.out).toBe(0);
    const planned = plan.out.trim().split('\n');
    expect(planned[0]).toBe('plan for deprovisioning dep from the record of provision-dep, in this order:');
    expect(planned.slice(1, 4)).toEqual(['   1. revoke USE_CATALOG on catalog dep_shared to group dep-team', '   2. delete volume dep_shared.raw.landing', '   3. delete schema dep_shared.raw']);
    expect(planned).toContain('   4. delete connection dep_connection');
    expect(planned.filter((l) => /^ +\d+\. /.test(l))).toHaveLength(16);
    expect(planned.at(-1)).toBe('  kept (the saga adopted it): catalog dep_shared');
    expect(await stack.client.workflow.getHandle('deprovision-dep').describe().catch(() => 'none')).toBe('none');

    // A slow late delete keeps it running while it is started again.
    expect((await fault('POST', { method: 'POST', path: '/api/2.0/secrets/scopes/delete', action: 'latency', latency_ms: 3000 })).ok).toBe(true);
    const started = await startDeprovisioning(stack.client, spec, { taskQueue: stack.config.taskQueue });
    expect(started).toMatchObject({ workflowId: 'deprovision-dep', started: true });
    // The same spec follows the running one; another spec under its id is refused, naming what differs.
    expect(await startDeprovisioning(stack.client, spec, { taskQueue: stack.config.taskQueue })).toMatchObject({ workflowId: 'deprovision-dep', started: false });
    const other = await startDeprovisioning(stack.client, { ...spec, warehouse: { cluster_size: 'Small' } }, { taskQueue: stack.config.taskQueue }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ConflictingStartError);
    expect((other as ConflictingStartError).differences).toEqual(['spec.warehouse.cluster_size']);
    const result = await started.handle.result();
    await fault('DELETE');
    expect(result.outcomes.map((o) => o.detail.replace(/ [^ ]+$/, ''))).toEqual([
      'revoked USE_CATALOG on catalog dep_shared to group',
      'deleted volume',
      'deleted schema',
      'deleted connection',
      'deleted external_location',
      'deleted storage_credential',
      'deleted warehouse',
      'already gone: job',
      'deleted repo',
      'deleted folder',
      'deleted git_credential',
      'deleted cluster',
      'deleted instance_pool',
      'deleted cluster_policy',
      'deleted secret_scope',
      'deleted group',
    ]);
    expect(result.kept).toEqual([expect.objectContaining({ kind: 'catalog', name: 'dep_shared' })]);

    // What the workspace says afterwards.
    expect(await dbx.catalogs.get({ name: 'dep_shared' })).toMatchObject({ comment: 'shared, not the saga’s' });
    expect(await groupHas('catalog', 'dep_shared')).toBe(false);
    await expect(dbx.schemas.get({ full_name: 'dep_shared.raw' })).rejects.toThrow();
    await expect(dbx.storageCredentials.get({ name: 'dep_credential' })).rejects.toThrow();
    await expect(dbx.connections.get({ name: 'dep_connection' })).rejects.toThrow(/does not exist|not found/i);
    await expect(dbx.clusters.get({ cluster_id: provisioned.ids.clusterId! })).rejects.toThrow(/does not exist/);
    expect((await dbx.instancePools.get({ instance_pool_id: provisioned.ids.instancePoolId! })).state).toBe('DELETED');
    await expect(dbx.repos.get({ repo_id: provisioned.ids.repoId! })).rejects.toThrow();
    await expect(dbx.workspace.getStatus({ path: '/Repos/dep' })).rejects.toThrow();
    expect((await dbx.gitCredentials.list()).map((c) => c.name)).not.toContain('dep-git');
    expect((await dbx.secrets.listScopes({}).toArray()).map((s) => s.name)).not.toContain('dep-scope');
    expect(await dbx.groups.list({ filter: 'displayName eq "dep-team"' }).toArray()).toEqual([]);

    // Again (through the CLI): everything is already gone, and it still succeeds.
    const again = await cli(['deprovision', specFile(spec)]);
    expect(again.code, again.out).toBe(0);
    // Two calls succeed again rather than answer 404: revoking a privilege not held, and deleting a pool already DELETED.
    expect(again.out).toMatch(/^deprovisioned dep: 2 deleted or revoked, 14 already gone$/m);
    expect(again.out).toMatch(/^ {2}✓ already gone: cluster \S+$/m);
    expect(again.out).toMatch(/^ {2}kept \(the saga adopted it, not ours to delete\): catalog dep_shared$/m);
    const status = await cli(['status', 'deprovision-dep']);
    expect(status.out).toMatch(/^deprovisioning dep \(deprovision-dep\): succeeded \[COMPLETED\], 0 left$/m);
  });

  it('refuses, changing nothing, when there is no provisioning workflow or it is still running; after a terminated saga it deletes what its ledger holds', async () => {
    const other = { ...spec, name: 'nope' };
    await expect(startDeprovisioning(stack.client, other, { taskQueue: stack.config.taskQueue })).rejects.toThrow(CannotDeprovisionError);
    const missing = await cli(['deprovision', specFile(spec), '--id', 'provision-none']);
    expect({ code: missing.code, out: missing.out.trim() }).toEqual({ code: 1, out: "error: no provisioning workflow provision-none (or its history is past the namespace's retention): nothing records what it made" });

    // A saga waiting for its cluster (hours to start): deprovisioning refuses while it runs.
    const blocked = { name: 'dep-run', secretScope: { scope: 'dep-run-scope' }, cluster: { spec: { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1, custom_tags: { 'emulator.duration_s': '36000' } } } };
    const handle = await stack.client.workflow.start<typeof provisionWorkspace>('provisionWorkspace', { taskQueue: stack.config.taskQueue, workflowId: 'provision-dep-run', args: [{ spec: blocked }] });
    let clusterId: string | undefined;
    await eventually(async () => (clusterId = (await dbx.clusters.list().toArray()).find((c) => c.cluster_name === 'dep-run-cluster')?.cluster_id) !== undefined);
    await expect(startDeprovisioning(stack.client, blocked, { taskQueue: stack.config.taskQueue })).rejects.toThrow(/still running: cancel it instead \(durabricks cancel provision-dep-run\)/);
    expect(await stack.client.workflow.getHandle('deprovision-dep-run').describe().catch(() => 'none')).toBe('none');
    // Terminated, its undo never runs: deprovisioning reads its ledger from the progress query and deletes the rest.
    await handle.terminate('an operator stopped it');
    const result = await (await startDeprovisioning(stack.client, blocked, { taskQueue: stack.config.taskQueue })).handle.result();
    expect(result.outcomes.map((o) => o.detail)).toEqual([`deleted cluster ${clusterId}`, 'deleted secret_scope dep-run-scope']);
    await expect(dbx.clusters.get({ cluster_id: clusterId! })).rejects.toThrow(/does not exist/);

    // Cancelled, its undo ran: the record in its failure details holds nothing left to delete.
    const cancelled = { ...blocked, name: 'dep-cancel', secretScope: { scope: 'dep-cancel-scope' } };
    const saga = await stack.client.workflow.start<typeof provisionWorkspace>('provisionWorkspace', { taskQueue: stack.config.taskQueue, workflowId: 'provision-dep-cancel', args: [{ spec: cancelled }] });
    await eventually(async () => (await dbx.clusters.list().toArray()).some((c) => c.cluster_name === 'dep-cancel-cluster'));
    await saga.cancel();
    await saga.result().catch(() => undefined);
    const plan = await cli(['deprovision', specFile(cancelled), '--plan']);
    expect(plan.out.trim().split('\n')).toEqual(['plan for deprovisioning dep-cancel from the record of provision-dep-cancel, in this order:', '  nothing: the record holds nothing the saga made that is still there']);
  });

  it('a delete that fails is named, the others still run, and the workflow fails; a re-run after the cause is gone finishes', async () => {
    const small: ProvisionSpecInput = { name: 'dep2', secretScope: { scope: 'dep2-scope' }, warehouse: { cluster_size: '2X-Small' } };
    await stack.client.workflow.execute<typeof provisionWorkspace>('provisionWorkspace', { taskQueue: stack.config.taskQueue, workflowId: 'provision-dep2', args: [{ spec: small }] });
    expect((await fault('POST', { method: 'POST', path: '/api/2.0/secrets/scopes/delete', action: 'respond', status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'User does not have MANAGE on scope dep2-scope.' } })).ok).toBe(true);
    try {
      const err = await (await startDeprovisioning(stack.client, small, { taskQueue: stack.config.taskQueue })).handle.result().catch((e: unknown) => e);
      const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('DeprovisioningIncomplete');
      expect(cause.message).toMatch(/1 of 2 steps failed \(delete secret_scope dep2-scope: .*User does not have MANAGE on scope dep2-scope/);
      expect((cause.details?.[0] as DeprovisionFailureDetails).outcomes.map((o) => o.ok)).toEqual([true, false]);
    } finally {
      await fault('DELETE');
    }
    const retried = await (await startDeprovisioning(stack.client, small, { taskQueue: stack.config.taskQueue })).handle.result();
    expect(retried.outcomes.map((o) => o.detail.replace(/ [^ ]+$/, ''))).toEqual(['already gone: warehouse', 'deleted secret_scope']);
  });

  it("after a failed saga whose undo could not delete something, deletes what is left and nothing else", async () => {
    const spec3: ProvisionSpecInput = { name: 'dep3', secretScope: { scope: 'dep3-scope' }, warehouse: { cluster_size: '2X-Small' }, catalog: { name: 'dep3_cat' } };
    await fault('POST', { method: 'POST', path: '/api/2.1/unity-catalog/catalogs', action: 'respond', status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Catalog name is reserved.' } });
    await fault('POST', { method: 'POST', path: '/api/2.0/secrets/scopes/delete', action: 'respond', status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'User does not have MANAGE on scope dep3-scope.' } });
    try {
      const err = await stack.client.workflow.execute<typeof provisionWorkspace>('provisionWorkspace', { taskQueue: stack.config.taskQueue, workflowId: 'provision-dep3', args: [{ spec: spec3 }] }).catch((e: unknown) => e);
      expect(((err as WorkflowFailedError).cause as ApplicationFailure).message).toMatch(/undone: deleted warehouse \S+; FAILED: .*MANAGE on scope dep3-scope/);
    } finally {
      await fault('DELETE');
    }
    const result = await (await startDeprovisioning(stack.client, spec3, { taskQueue: stack.config.taskQueue })).handle.result();
    expect(result.outcomes.map((o) => o.detail)).toEqual(['deleted secret_scope dep3-scope']);
    expect((await dbx.secrets.listScopes({}).toArray()).map((x) => x.name)).not.toContain('dep3-scope');
  });
});
