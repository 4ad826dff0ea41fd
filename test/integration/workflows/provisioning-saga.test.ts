import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { provisionWorkspace, ProvisionFailureDetails, ProvisionActivities } from '../../../src/workflows/provisioning-saga.js';
import { provisionProgressQuery } from '../../../src/workflows/provisioning-saga.js';
import type { ProvisionSpecInput } from '../../../src/workflows/lib/provision-spec.js';
import { quietRuntime, testServerPath, workflowBundle } from '../../support/temporal.js';

let env: TestWorkflowEnvironment;
let seq = 0;
beforeAll(async () => {
  quietRuntime();
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath() } } });
});
afterAll(async () => {
  await env?.teardown();
});

const spec: ProvisionSpecInput = {
  name: 'team-a',
  secretScope: { scope: 'team-a', secrets: [{ key: 'db-password', value: { fromEnv: 'TEAM_A_DB_PASSWORD' } }] },
  instancePool: { node_type_id: 'i3.xlarge', max_capacity: 10 },
  cluster: { spec: { spark_version: '15.4.x-scala2.12', num_workers: 2 }, libraries: [{ pypi: { package: 'requests' } }] },
  job: { name: 'team-a-nightly', tasks: [{ task_key: 'main', notebook_task: { notebook_path: '/Shared/nightly' } }] },
  warehouse: { cluster_size: '2X-Small' },
  catalog: { name: 'team_a', schema: 'raw' },
};

/** Create activities in saga order; the one named by `failAt` fails non-retryably. */
const CREATES = ['secretsCreateScope', 'secretsPut', 'instancePoolsCreate', 'clustersCreate', 'librariesInstall', 'jobsCreate', 'warehousesCreate', 'catalogsCreate', 'schemasCreate'] as const;

function fakeProvisioning(opts: { failAt?: string; blockAt?: string; existing?: string[] } = {}) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  const live = new Set<string>(opts.existing ?? []);
  const act = (name: string, fn: (i: Record<string, unknown>) => unknown) => async (input: Record<string, unknown>) => {
    calls.push({ name, input });
    if (opts.failAt === name) throw ApplicationFailure.create({ type: 'BadRequestError', message: `${name} rejected: QUOTA_EXCEEDED`, nonRetryable: true });
    if (opts.blockAt === name) throw ApplicationFailure.create({ type: 'StillWaiting', message: 'not yet', nextRetryDelay: 60_000 });
    return fn(input);
  };
  const conflictIfExists = (key: string) => {
    if (live.has(key)) throw ApplicationFailure.create({ type: 'ResourceConflictError', message: `${key} already exists`, nonRetryable: true });
    live.add(key);
  };
  const activities: ProvisionActivities = {
    secretsCreateScope: act('secretsCreateScope', (i) => (conflictIfExists(`scope:${i.scope}`), { idempotency_key: 'k', adopted: false })),
    secretsDeleteScope: act('secretsDeleteScope', (i) => (live.delete(`scope:${i.scope}`), {})),
    secretsPut: act('secretsPut', (i) => ({ scope: i.scope, key: i.key })),
    instancePoolsCreate: act('instancePoolsCreate', () => (live.add('pool:p1'), { instance_pool_id: 'p1', idempotency_key: 'k', adopted: false })),
    instancePoolsDelete: act('instancePoolsDelete', () => (live.delete('pool:p1'), {})),
    clustersCreate: act('clustersCreate', () => (live.add('cluster:c1'), { cluster_id: 'c1', idempotency_key: 'k', adopted: false })),
    clustersPermanentDelete: act('clustersPermanentDelete', () => (live.delete('cluster:c1'), {})),
    waitClusterRunning: act('waitClusterRunning', (i) => ({ cluster_id: i.cluster_id, state: 'RUNNING' })),
    librariesInstall: act('librariesInstall', () => ({})),
    waitLibrariesInstalled: act('waitLibrariesInstalled', (i) => ({ cluster_id: i.cluster_id, statuses: [] })),
    jobsCreate: act('jobsCreate', () => (live.add('job:77'), { job_id: 77, idempotency_key: 'k', adopted: false })),
    jobsDelete: act('jobsDelete', () => (live.delete('job:77'), {})),
    warehousesCreate: act('warehousesCreate', () => (live.add('warehouse:w1'), { id: 'w1', idempotency_key: 'k', adopted: false })),
    warehousesDelete: act('warehousesDelete', () => (live.delete('warehouse:w1'), {})),
    catalogsCreate: act('catalogsCreate', (i) => (conflictIfExists(`catalog:${i.name}`), { name: i.name })),
    catalogsDelete: act('catalogsDelete', (i) => (live.delete(`catalog:${i.name}`), {})),
    schemasCreate: act('schemasCreate', (i) => (conflictIfExists(`schema:${i.catalog_name}.${i.name}`), { name: i.name })),
    schemasDelete: act('schemasDelete', (i) => (live.delete(`schema:${i.full_name}`), {})),
  } as unknown as ProvisionActivities;
  return { activities, calls, live, names: () => calls.map((c) => c.name) };
}

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
    expect(fake.names()).toEqual(['secretsCreateScope', 'secretsPut', 'instancePoolsCreate', 'clustersCreate', 'waitClusterRunning', 'librariesInstall', 'waitLibrariesInstalled', 'jobsCreate', 'warehousesCreate', 'catalogsCreate', 'schemasCreate']);
    expect(result.ids).toEqual({ secretScope: 'team-a', instancePoolId: 'p1', clusterId: 'c1', jobId: 77, warehouseId: 'w1', catalog: 'team_a', schema: 'team_a.raw' });
    expect(fake.calls.find((c) => c.name === 'secretsPut')!.input).toEqual({ scope: 'team-a', key: 'db-password', value: { fromEnv: 'TEAM_A_DB_PASSWORD' } });
    expect(fake.calls.find((c) => c.name === 'clustersCreate')!.input).toMatchObject({ instance_pool_id: 'p1', idempotency_key: expect.stringMatching(/^prov-[0-9a-f]{16}-cluster$/) });
    expect(fake.calls.find((c) => c.name === 'jobsCreate')!.input).toMatchObject({ tasks: [{ task_key: 'main', existing_cluster_id: 'c1' }] });
    expect(result.resources.map((r) => r.kind)).toEqual(['secret_scope', 'secret', 'instance_pool', 'cluster', 'libraries', 'job', 'warehouse', 'catalog', 'schema']);
  });

  // Failure at each step: everything created before it is undone, newest first.
  const UNDO: Record<string, string> = {
    secretsCreateScope: 'secretsDeleteScope',
    instancePoolsCreate: 'instancePoolsDelete',
    clustersCreate: 'clustersPermanentDelete',
    jobsCreate: 'jobsDelete',
    warehousesCreate: 'warehousesDelete',
    catalogsCreate: 'catalogsDelete',
    schemasCreate: 'schemasDelete',
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

  it('cancellation while waiting for the cluster undoes cluster, pool and scope, and ends cancelled', async () => {
    const fake = fakeProvisioning({ blockAt: 'waitClusterRunning' });
    const { err, progress } = await run(fake, async (tq) => {
      const handle = await start(tq);
      for (let i = 0; i < 100 && !fake.names().includes('waitClusterRunning'); i++) await new Promise((r) => setTimeout(r, 50));
      await handle.cancel();
      const e = await handle.result().catch((x: unknown) => x);
      return { err: e, progress: await handle.query(provisionProgressQuery) };
    });
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(fake.names().filter((n) => Object.values(UNDO).includes(n))).toEqual(['clustersPermanentDelete', 'instancePoolsDelete', 'secretsDeleteScope']);
    expect(progress.phase).toBe('cancelled');
    expect(progress.undone.map((u) => u.detail)).toEqual(['deleted cluster c1', 'deleted instance_pool p1', 'deleted secret_scope team-a']);
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
  });
});
