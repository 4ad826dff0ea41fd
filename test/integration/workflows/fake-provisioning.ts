/** A scripted stand-in for the saga's activities; `failAt` fails one create, `blockAt` never finishes one. */
import { ApplicationFailure } from '@temporalio/common';
import { answeredOptions } from '../../../src/common/uc-connection-options.js';
import type { ProvisionSpecInput } from '../../../src/workflows/lib/provision-spec.js';
import type { ProvisionActivities } from '../../../src/workflows/provisioning-saga.js';

export const provisionSpec: ProvisionSpecInput = {
  name: 'team-a',
  secretScope: { scope: 'team-a', secrets: [{ key: 'db-password', value: { fromEnv: 'TEAM_A_DB_PASSWORD' } }] },
  clusterPolicy: { definition: { autotermination_minutes: { type: 'fixed', value: 60 } }, max_clusters_per_user: 2 },
  instancePool: { node_type_id: 'i3.xlarge', max_capacity: 10 },
  cluster: { spec: { spark_version: '15.4.x-scala2.12', num_workers: 2 }, libraries: [{ pypi: { package: 'requests' } }] },
  gitCredential: { provider: 'github', username: 'team-a-bot', token: { fromEnv: 'TEAM_A_GIT_TOKEN' } },
  repo: { url: 'https://github.com/acme/team-a.git', provider: 'gitHub', path: '/Repos/team-a/etl', branch: 'release' },
  job: { name: 'team-a-nightly', tasks: [{ task_key: 'main', notebook_task: { notebook_path: '/Shared/nightly' } }] },
  warehouse: { cluster_size: '2X-Small' },
  storage: { url: 's3://team-a-data/uc', credential: { aws_iam_role: { role_arn: 'arn:aws:iam::123456789012:role/team-a-uc' } } },
  connection: { type: 'POSTGRESQL', options: { host: 'pg.team-a.internal', port: 5432, user: 'team_a', password: { fromEnv: 'TEAM_A_PG_PASSWORD' } } },
  catalog: { name: 'team_a', storageRoot: 's3://team-a-data/uc/team_a', schema: 'raw', volume: 'landing' },
};

/** Create activities in saga order; the one named by `failAt` fails non-retryably. */
export const CREATES = ['secretsCreateScope', 'secretsPut', 'clusterPoliciesCreate', 'instancePoolsCreate', 'clustersCreate', 'librariesInstall', 'gitCredentialsCreate', 'workspaceMkdirs', 'reposCreate', 'reposUpdate', 'jobsCreate', 'warehousesCreate', 'storageCredentialsCreate', 'externalLocationsCreate', 'connectionsCreate', 'catalogsCreate', 'schemasCreate', 'volumesCreate'] as const;

/**
 * `failWhen` fails the calls it picks (e.g. one grant of several); `existing` lists what is there before
 * the saga (keys as in `live`), `repoUrls` the remote of each existing repo path (default: the spec's),
 * `storage` the stored storage credentials, external locations and connections by name (default: as the saga asks).
 */
export function fakeProvisioning(opts: { failAt?: string; failWhen?: (name: string, input: Record<string, unknown>) => boolean; blockAt?: string; existing?: string[]; repoUrls?: Record<string, string>; storage?: Record<string, Record<string, unknown>> } = {}) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  const live = new Set<string>(opts.existing ?? []);
  const act = (name: string, fn: (i: Record<string, unknown>) => unknown) => async (input: Record<string, unknown>) => {
    calls.push({ name, input });
    if (opts.failAt === name || opts.failWhen?.(name, input)) throw ApplicationFailure.create({ type: 'BadRequestError', message: `${name} rejected: QUOTA_EXCEEDED`, nonRetryable: true });
    if (opts.blockAt === name) throw ApplicationFailure.create({ type: 'StillWaiting', message: 'not yet', nextRetryDelay: 60_000 });
    return fn(input);
  };
  /** Grants live in `live` as `grant:<object>:<principal>:<level>`; deleting an object drops its grants. */
  const grantKey = (object: string, principal: unknown, level: unknown) => `grant:${object}:${String(principal)}:${String(level)}`;
  const dropGrants = (object: string) => {
    for (const k of [...live]) if (k.startsWith(`grant:${object}:`)) live.delete(k);
  };
  const principalOf = (e: Record<string, unknown>) => e.group_name ?? e.user_name ?? e.service_principal_name;
  const conflictIfExists = (key: string) => {
    if (live.has(key)) throw ApplicationFailure.create({ type: 'ResourceConflictError', message: `${key} already exists`, nonRetryable: true });
    live.add(key);
  };
  const repoUrls: Record<string, string> = { ...opts.repoUrls };
  const storage: Record<string, Record<string, unknown>> = { ...opts.storage };
  const storageObject = (kind: 'credential' | 'location' | 'connection') => (i: Record<string, unknown>) => {
    conflictIfExists(`${kind}:${String(i.name)}`);
    storage[String(i.name)] = i;
    return i;
  };
  const storedOr404 = (i: Record<string, unknown>) => storage[String(i.name)] ?? notFound(String(i.name));
  const notFound = (what: string) => {
    throw ApplicationFailure.create({ type: 'NotFoundError', message: `${what} does not exist`, nonRetryable: true });
  };
  /** Workspace users the fake knows (SCIM ids `u-<name>`). */
  const users = ['ann@example.com', 'bob@example.com'];
  const activities: ProvisionActivities = {
    usersList: act('usersList', (i) => {
      const wanted = /^userName eq "(.*)"$/.exec(String(i.filter))?.[1];
      return users.filter((u) => u === wanted).map((u) => ({ id: `u-${u}`, userName: u }));
    }),
    // Like the real activity with a key: a group that already has this name is adopted; it is ours
    // when it carries this key (`group:<name>` made by this fake), not when it pre-existed (`existing`).
    groupsCreate: act('groupsCreate', (i) => {
      const key = `group:${String(i.displayName)}`;
      const adopted = live.has(key);
      const ours = !adopted || !(opts.existing ?? []).includes(key);
      live.add(key);
      return { id: `g-${String(i.displayName)}`, displayName: i.displayName, idempotency_key: i.idempotency_key, adopted, ours };
    }),
    groupsDelete: act('groupsDelete', (i) => (live.delete(`group:${String(i.id).slice(2)}`), { deleted: true })),
    secretsCreateScope: act('secretsCreateScope', (i) => (conflictIfExists(`scope:${i.scope}`), { idempotency_key: 'k', adopted: false })),
    secretsDeleteScope: act('secretsDeleteScope', (i) => (live.delete(`scope:${i.scope}`), dropGrants(`scope/${String(i.scope)}`), {})),
    secretsPut: act('secretsPut', (i) => ({ scope: i.scope, key: i.key })),
    // Like the real activity with a key: a policy that already has this name is adopted.
    clusterPoliciesCreate: act('clusterPoliciesCreate', (i) => {
      const adopted = live.has(`policy:${i.name}`);
      live.add(`policy:${i.name}`);
      return { policy_id: 'pol1', idempotency_key: i.idempotency_key, adopted };
    }),
    clusterPoliciesDelete: act('clusterPoliciesDelete', () => (live.delete('policy:team-a-policy'), dropGrants('cluster-policies/pol1'), {})),
    instancePoolsCreate: act('instancePoolsCreate', () => (live.add('pool:p1'), { instance_pool_id: 'p1', idempotency_key: 'k', adopted: false })),
    instancePoolsDelete: act('instancePoolsDelete', () => (live.delete('pool:p1'), dropGrants('instance-pools/p1'), {})),
    clustersCreate: act('clustersCreate', () => (live.add('cluster:c1'), { cluster_id: 'c1', idempotency_key: 'k', adopted: false })),
    clustersPermanentDelete: act('clustersPermanentDelete', () => (live.delete('cluster:c1'), dropGrants('clusters/c1'), {})),
    waitClusterRunning: act('waitClusterRunning', (i) => ({ cluster_id: i.cluster_id, state: 'RUNNING' })),
    librariesInstall: act('librariesInstall', () => ({})),
    waitLibrariesInstalled: act('waitLibrariesInstalled', (i) => ({ cluster_id: i.cluster_id, statuses: [] })),
    gitCredentialsCreate: act('gitCredentialsCreate', (i) => (conflictIfExists(`gitcred:${String(i.name)}`), { credential_id: 5, git_provider: 'gitHub', name: i.name, adopted: false })),
    gitCredentialsList: act('gitCredentialsList', () => [...live].filter((k) => k.startsWith('gitcred:')).map((k) => ({ credential_id: 5, git_provider: 'gitHub', name: k.slice('gitcred:'.length) }))),
    gitCredentialsDelete: act('gitCredentialsDelete', () => (live.delete('gitcred:team-a-git'), {})),
    // One service principal, application id `deploy-sp`, SCIM id 7001.
    servicePrincipalsList: act('servicePrincipalsList', (i) => (i.filter === 'applicationId eq "deploy-sp"' ? [{ id: '7001', applicationId: 'deploy-sp' }] : [])),
    workspaceGetStatus: act('workspaceGetStatus', (i) => (live.has(`folder:${String(i.path)}`) ? { path: i.path, object_type: 'DIRECTORY' } : notFound(String(i.path)))),
    workspaceMkdirs: act('workspaceMkdirs', (i) => (live.add(`folder:${String(i.path)}`), {})),
    workspaceDelete: act('workspaceDelete', (i) => (live.delete(`folder:${String(i.path)}`), {})),
    reposCreate: act('reposCreate', (i) => {
      conflictIfExists(`repo:${String(i.path)}`);
      repoUrls[String(i.path)] = String(i.url);
      return { id: 901, path: i.path, url: i.url, branch: 'main', adopted: false };
    }),
    reposList: act('reposList', (i) =>
      [...live].filter((k) => k.startsWith(`repo:${String(i.path_prefix)}`)).map((k) => ({ id: 901, path: k.slice('repo:'.length), url: repoUrls[k.slice('repo:'.length)] ?? 'https://github.com/acme/team-a.git' })),
    ),
    reposUpdate: act('reposUpdate', () => ({})),
    reposDelete: act('reposDelete', () => (live.delete('repo:/Repos/team-a/etl'), dropGrants('repos/901'), {})),
    jobsCreate: act('jobsCreate', () => (live.add('job:77'), { job_id: 77, idempotency_key: 'k', adopted: false })),
    jobsDelete: act('jobsDelete', () => (live.delete('job:77'), dropGrants('jobs/77'), {})),
    warehousesCreate: act('warehousesCreate', () => (live.add('warehouse:w1'), { id: 'w1', idempotency_key: 'k', adopted: false })),
    warehousesDelete: act('warehousesDelete', () => (live.delete('warehouse:w1'), dropGrants('warehouses/w1'), {})),
    storageCredentialsCreate: act('storageCredentialsCreate', storageObject('credential')),
    storageCredentialsGet: act('storageCredentialsGet', storedOr404),
    storageCredentialsDelete: act('storageCredentialsDelete', (i) => (live.delete(`credential:${String(i.name)}`), {})),
    externalLocationsCreate: act('externalLocationsCreate', storageObject('location')),
    externalLocationsGet: act('externalLocationsGet', storedOr404),
    externalLocationsDelete: act('externalLocationsDelete', (i) => (live.delete(`location:${String(i.name)}`), dropGrants(`external_location/${String(i.name)}`), {})),
    connectionsCreate: act('connectionsCreate', storageObject('connection')),
    // Like the API: the write-only options (the password, the user) never come back.
    connectionsGet: act('connectionsGet', (i) => {
      const c = storedOr404(i);
      return { ...c, options: answeredOptions((c.options ?? {}) as Record<string, unknown>) };
    }),
    connectionsDelete: act('connectionsDelete', (i) => (live.delete(`connection:${String(i.name)}`), dropGrants(`connection/${String(i.name)}`), {})),
    catalogsCreate: act('catalogsCreate', (i) => (conflictIfExists(`catalog:${i.name}`), { name: i.name })),
    catalogsDelete: act('catalogsDelete', (i) => (live.delete(`catalog:${i.name}`), dropGrants(`catalog/${String(i.name)}`), {})),
    schemasCreate: act('schemasCreate', (i) => (conflictIfExists(`schema:${i.catalog_name}.${i.name}`), { name: i.name })),
    schemasDelete: act('schemasDelete', (i) => (live.delete(`schema:${i.full_name}`), dropGrants(`schema/${String(i.full_name)}`), {})),
    volumesCreate: act('volumesCreate', (i) => (conflictIfExists(`volume:${i.catalog_name}.${i.schema_name}.${i.name}`), { name: i.name })),
    volumesDelete: act('volumesDelete', (i) => (live.delete(`volume:${i.name}`), dropGrants(`volume/${String(i.name)}`), {})),
    permissionsUpdate: act('permissionsUpdate', (i) => {
      for (const e of i.access_control_list as Record<string, unknown>[]) live.add(grantKey(`${String(i.object_type)}/${String(i.object_id)}`, principalOf(e), e.permission_level));
      return {};
    }),
    permissionsGet: act('permissionsGet', (i) => {
      const prefix = `grant:${String(i.object_type)}/${String(i.object_id)}:`;
      const direct = [...live].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).split(':'));
      return {
        access_control_list: [
          ...direct.map(([principal, level]) => ({ group_name: principal, all_permissions: [{ permission_level: level, inherited: false }] })),
          { group_name: 'admins', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true }] },
        ],
      };
    }),
    permissionsSet: act('permissionsSet', (i) => {
      dropGrants(`${String(i.object_type)}/${String(i.object_id)}`);
      for (const e of i.access_control_list as Record<string, unknown>[]) live.add(grantKey(`${String(i.object_type)}/${String(i.object_id)}`, principalOf(e), e.permission_level));
      return {};
    }),
    secretsPutAcl: act('secretsPutAcl', (i) => (live.add(grantKey(`scope/${String(i.scope)}`, i.principal, i.permission)), {})),
    secretsDeleteAcl: act('secretsDeleteAcl', (i) => {
      for (const k of [...live]) if (k.startsWith(`grant:scope/${String(i.scope)}:${String(i.principal)}:`)) live.delete(k);
      return {};
    }),
    grantsUpdate: act('grantsUpdate', (i) => {
      const object = `${String(i.securable_type)}/${String(i.full_name)}`;
      for (const c of i.changes as { principal: string; add?: string[]; remove?: string[] }[]) {
        for (const p of c.remove ?? []) live.delete(grantKey(object, c.principal, p));
        for (const p of c.add ?? []) live.add(grantKey(object, c.principal, p));
      }
      return {};
    }),
  } as unknown as ProvisionActivities;
  return { activities, calls, live, names: () => calls.map((c) => c.name) };
}

