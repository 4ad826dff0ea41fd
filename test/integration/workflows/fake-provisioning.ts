/** A scripted stand-in for the saga's activities; `failAt` fails one create, `blockAt` never finishes one. */
import { ApplicationFailure } from '@temporalio/common';
import type { ProvisionSpecInput } from '../../../src/workflows/lib/provision-spec.js';
import type { ProvisionActivities } from '../../../src/workflows/provisioning-saga.js';

export const provisionSpec: ProvisionSpecInput = {
  name: 'team-a',
  secretScope: { scope: 'team-a', secrets: [{ key: 'db-password', value: { fromEnv: 'TEAM_A_DB_PASSWORD' } }] },
  clusterPolicy: { definition: { autotermination_minutes: { type: 'fixed', value: 60 } }, max_clusters_per_user: 2 },
  instancePool: { node_type_id: 'i3.xlarge', max_capacity: 10 },
  cluster: { spec: { spark_version: '15.4.x-scala2.12', num_workers: 2 }, libraries: [{ pypi: { package: 'requests' } }] },
  job: { name: 'team-a-nightly', tasks: [{ task_key: 'main', notebook_task: { notebook_path: '/Shared/nightly' } }] },
  warehouse: { cluster_size: '2X-Small' },
  catalog: { name: 'team_a', schema: 'raw', volume: 'landing' },
};

/** Create activities in saga order; the one named by `failAt` fails non-retryably. */
export const CREATES = ['secretsCreateScope', 'secretsPut', 'clusterPoliciesCreate', 'instancePoolsCreate', 'clustersCreate', 'librariesInstall', 'jobsCreate', 'warehousesCreate', 'catalogsCreate', 'schemasCreate', 'volumesCreate'] as const;

export function fakeProvisioning(opts: { failAt?: string; blockAt?: string; existing?: string[] } = {}) {
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
    // Like the real activity with a key: a policy that already has this name is adopted.
    clusterPoliciesCreate: act('clusterPoliciesCreate', (i) => {
      const adopted = live.has(`policy:${i.name}`);
      live.add(`policy:${i.name}`);
      return { policy_id: 'pol1', idempotency_key: i.idempotency_key, adopted };
    }),
    clusterPoliciesDelete: act('clusterPoliciesDelete', () => (live.delete('policy:team-a-policy'), {})),
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
    volumesCreate: act('volumesCreate', (i) => (conflictIfExists(`volume:${i.catalog_name}.${i.schema_name}.${i.name}`), { name: i.name })),
    volumesDelete: act('volumesDelete', (i) => (live.delete(`volume:${i.name}`), {})),
  } as unknown as ProvisionActivities;
  return { activities, calls, live, names: () => calls.map((c) => c.name) };
}

