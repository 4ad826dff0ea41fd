/**
 * Provisioning saga: group (SCIM, with its members) → secret scope + secrets → cluster policy →
 * instance pool → cluster (+ libraries, under the policy) → Git credential → repo (+ its folder,
 * checked out) → job → SQL warehouse → Unity Catalog storage credential + external location →
 * catalog (optionally with its managed storage there)/schema/volume → access (grants to one principal
 * on what was provisioned). Each resource
 * is recorded in the ledger and gets an undo step; any failure or a cancellation unwinds them
 * newest first in a non-cancellable scope and reports what was undone.
 *
 * Re-running with the same workflow id is idempotent: tagged creates carry an idempotency key
 * derived from the workflow id and the step (not the run), so a second run adopts what the first
 * created; name-keyed objects that already exist are adopted and, not being ours, never deleted.
 */
import { sameRepoUrl } from '../common/git.js';
import { sameExternalLocation, sameStorageCredential } from '../common/uc-storage-match.js';
import { ApplicationFailure, CancelledFailure, isCancellation, proxyActivities, setHandler, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { CREATE_ACTIVITY, FailureType, isFailureType, WAIT_ACTIVITY } from '../common/activity-policies.js';
import { CompensationStack, type CompensationOutcome } from './lib/compensation.js';
import { fnv1a64 } from './lib/hash.js';
import { accessGrants, type AccessActivities } from './lib/provision-access.js';
import { ResourceLedger, type ResourceKind } from './lib/ledger.js';
import { errorMessage } from './lib/pipeline-helpers.js';
import { validateProvisionSpec } from './lib/provision-spec.js';
import { provisionProgressQuery, type ProvisionInput, type ProvisionResult, type ProvisionFailureDetails, type ProvisionProgress } from './lib/provision-types.js';

export type ProvisionActivities = Pick<
  Activities,
  | 'usersList'
  | 'groupsCreate'
  | 'groupsDelete'
  | 'secretsCreateScope'
  | 'secretsDeleteScope'
  | 'secretsPut'
  | 'clusterPoliciesCreate'
  | 'clusterPoliciesDelete'
  | 'instancePoolsCreate'
  | 'instancePoolsDelete'
  | 'clustersCreate'
  | 'clustersPermanentDelete'
  | 'waitClusterRunning'
  | 'librariesInstall'
  | 'waitLibrariesInstalled'
  | 'gitCredentialsCreate'
  | 'gitCredentialsList'
  | 'gitCredentialsDelete'
  | 'workspaceGetStatus'
  | 'workspaceMkdirs'
  | 'workspaceDelete'
  | 'reposCreate'
  | 'reposList'
  | 'reposUpdate'
  | 'reposDelete'
  | 'jobsCreate'
  | 'jobsDelete'
  | 'warehousesCreate'
  | 'warehousesDelete'
  | 'storageCredentialsCreate'
  | 'storageCredentialsGet'
  | 'storageCredentialsDelete'
  | 'externalLocationsCreate'
  | 'externalLocationsGet'
  | 'externalLocationsDelete'
  | 'catalogsCreate'
  | 'catalogsDelete'
  | 'schemasCreate'
  | 'schemasDelete'
  | 'volumesCreate'
  | 'volumesDelete'
  | keyof AccessActivities
>;

export { provisionProgressQuery, type ProvisionInput, type ProvisionResult, type ProvisionFailureDetails, type ProvisionProgress } from './lib/provision-types.js';

const WAIT_CLUSTER: ActivityOptions = { ...WAIT_ACTIVITY, scheduleToCloseTimeout: '45 minutes' };
const WAIT_LIBRARIES: ActivityOptions = { ...WAIT_ACTIVITY, scheduleToCloseTimeout: '30 minutes' };

export async function provisionWorkspace(input: ProvisionInput): Promise<ProvisionResult> {
  const v = validateProvisionSpec(input?.spec);
  if (!v.ok) throw ApplicationFailure.create({ type: 'InvalidProvisionSpec', message: `invalid provisioning spec:\n${v.problems.map((p) => `  - ${p}`).join('\n')}`, nonRetryable: true, details: [{ problems: v.problems }] });
  const spec = v.spec;
  const create = proxyActivities<ProvisionActivities>(CREATE_ACTIVITY);
  const waitCluster = proxyActivities<ProvisionActivities>(WAIT_CLUSTER);
  const waitLibraries = proxyActivities<ProvisionActivities>(WAIT_LIBRARIES);
  const ledger = new ResourceLedger();
  const undo = new CompensationStack();
  const ids: ProvisionResult['ids'] = {};
  const { workflowId } = workflowInfo();
  let step = 'validate';
  let phase: ProvisionProgress['phase'] = 'running';
  let undone: CompensationOutcome[] = [];
  setHandler(provisionProgressQuery, () => ({ name: spec.name, phase, step, resources: ledger.snapshot(), undone }));

  /** What the saga names its resources (the ledger and the access step use the same names). */
  /** Unity Catalog names take letters, digits and underscores. */
  const ucName = (suffix: string) => `${spec.name.replace(/[^A-Za-z0-9_]/g, '_')}_${suffix}`.toLowerCase();
  const names = { policy: `${spec.name}-policy`, pool: `${spec.name}-pool`, cluster: `${spec.name}-cluster`, gitCredential: `${spec.name}-git`, repo: spec.repo?.path ?? '', job: spec.job?.name ?? '', warehouse: `${spec.name}-warehouse`, credential: ucName('credential'), location: ucName('location') };

  /** Same key for every run of this workflow id: a re-run finds (adopts) what an earlier run made. */
  const keyFor = (s: string) => `prov-${fnv1a64(workflowId)}-${s}`;

  /**
   * Records intent, creates without interruption (so the id is always known), then pushes the undo,
   * unless `notOurs` says the create adopted an object it cannot prove it made (kept, never deleted).
   */
  async function created<T>(kind: ResourceKind, name: string, make: () => Promise<T>, idOf: (r: T) => string, remove?: (id: string) => Promise<unknown>, notOurs?: (r: T) => boolean): Promise<T> {
    const entry = ledger.intend(kind, name);
    const r = await undo.shielded(make);
    const id = idOf(r);
    ledger.created(entry, id);
    if (notOurs?.(r)) ledger.kept(entry, 'already existed: adopted, not ours to delete');
    else if (remove) {
      undo.push(`delete ${kind} ${id}`, async () => {
        await remove(id);
        ledger.cleaned(entry, `deleted ${kind} ${id}`);
        return `deleted ${kind} ${id}`;
      });
    }
    return r;
  }

  /** The SCIM id of a workspace user; a user name the workspace does not know fails the saga, naming it. */
  async function userId(userName: string): Promise<string> {
    const found = await create.usersList({ filter: `userName eq ${JSON.stringify(userName)}` });
    const user = found.find((u) => u.userName?.toLowerCase() === userName.toLowerCase());
    if (!user) throw ApplicationFailure.create({ type: 'UnknownUser', message: `group member ${userName} is not a user of this workspace`, nonRetryable: true });
    return user.id;
  }

  /**
   * Name-keyed objects (scope, catalog, schema, Git credential, repo): one that already exists is
   * adopted, never deleted. `idOf` reads the created object's id (default: the name); `existing` finds
   * the id of the one that was there (and may refuse it, e.g. a repo of another remote).
   */
  async function createdByName<T>(kind: ResourceKind, name: string, make: () => Promise<T>, remove: (id: string) => Promise<unknown>, idOf: (r: T) => string = () => name, existing: () => Promise<string> = async () => name): Promise<string> {
    try {
      return idOf(await created(kind, name, make, idOf, remove));
    } catch (err) {
      if (!isFailureType(err, FailureType.Conflict)) throw err;
      const entry = ledger.entries().find((e) => e.kind === kind && e.name === name && e.status === 'intended');
      const id = await existing();
      if (entry) {
        ledger.created(entry, id);
        ledger.kept(entry, 'already existed: adopted, not ours to delete');
      }
      return id;
    }
  }

  /** The repo's folder (/Repos/<folder>): the Repos API does not create it. Made here (and removed on undo) only when missing. */
  async function repoFolder(path: string): Promise<void> {
    const folder = path.slice(0, path.lastIndexOf('/'));
    try {
      await create.workspaceGetStatus({ path: folder });
      return;
    } catch (err) {
      if (!isFailureType(err, FailureType.NotFound)) throw err;
    }
    // Not recursive: the undo removes the folder only while it is empty (someone may have added to it).
    await created('folder', folder, () => create.workspaceMkdirs({ path: folder }), () => folder, () => create.workspaceDelete({ path: folder, recursive: false }));
  }

  try {
    if (spec.group) {
      step = 'group';
      const group = spec.group;
      const members: { value: string }[] = [];
      for (const userName of group.members ?? []) members.push({ value: await userId(userName) });
      // The activity marks the group with the key (externalId): on a retry or re-run the group this
      // saga made is found as its own and deleted on undo; one that only matches by name and members
      // is adopted and kept.
      await created(
        'group',
        group.name,
        () => create.groupsCreate({ displayName: group.name, members, idempotency_key: keyFor('group') }),
        (g) => g.id,
        (id) => create.groupsDelete({ id }),
        (g) => g.adopted && !g.ours,
      );
      ids.group = group.name;
    }
    if (spec.secretScope) {
      step = 'secret scope';
      const scope = spec.secretScope.scope;
      await createdByName('secret_scope', scope, () => create.secretsCreateScope({ scope }), () => create.secretsDeleteScope({ scope }));
      ids.secretScope = scope;
      for (const s of spec.secretScope.secrets ?? []) {
        // The value is a reference; the activity reads it on the worker. Deleting the scope removes it.
        await created('secret', `${scope}/${s.key}`, () => create.secretsPut({ scope, key: s.key, value: s.value }), () => `${scope}/${s.key}`);
      }
    }
    if (spec.clusterPolicy) {
      step = 'cluster policy';
      const { definition, ...policy } = spec.clusterPolicy;
      const name = names.policy;
      // Policies carry no tags: an existing one with this name and these rules is adopted, and kept,
      // since nothing shows that an earlier run of this saga (rather than someone else) made it.
      const r = await created(
        'cluster_policy',
        name,
        () => create.clusterPoliciesCreate({ name, definition: JSON.stringify(definition), ...policy, idempotency_key: keyFor('policy') }),
        (x) => x.policy_id,
        (id) => create.clusterPoliciesDelete({ policy_id: id }),
        (x) => x.adopted,
      );
      ids.policyId = r.policy_id;
    }
    if (spec.instancePool) {
      step = 'instance pool';
      const r = await created(
        'instance_pool',
        names.pool,
        () => create.instancePoolsCreate({ instance_pool_name: names.pool, ...spec.instancePool!, idempotency_key: keyFor('pool') } as Parameters<ProvisionActivities['instancePoolsCreate']>[0]),
        (x) => x.instance_pool_id,
        (id) => create.instancePoolsDelete({ instance_pool_id: id }),
      );
      ids.instancePoolId = r.instance_pool_id;
    }
    if (spec.cluster) {
      step = 'cluster';
      const { spec: clusterSpec, libraries } = spec.cluster;
      const r = await created(
        'cluster',
        names.cluster,
        () =>
          create.clustersCreate({
            cluster_name: names.cluster,
            ...clusterSpec,
            ...(ids.instancePoolId ? { instance_pool_id: ids.instancePoolId, node_type_id: undefined } : {}),
            // The policy's defaults fill what the spec leaves out; its rules are enforced by Databricks.
            ...(ids.policyId ? { policy_id: ids.policyId, apply_policy_default_values: true } : {}),
            idempotency_key: keyFor('cluster'),
          } as Parameters<ProvisionActivities['clustersCreate']>[0]),
        (x) => x.cluster_id,
        (id) => create.clustersPermanentDelete({ cluster_id: id }),
      );
      ids.clusterId = r.cluster_id;
      await waitCluster.waitClusterRunning({ cluster_id: r.cluster_id });
      if (libraries?.length) {
        step = 'libraries';
        const entry = ledger.intend('libraries', `${libraries.length} on ${r.cluster_id}`);
        await create.librariesInstall({ cluster_id: r.cluster_id, libraries } as Parameters<ProvisionActivities['librariesInstall']>[0]);
        await waitLibraries.waitLibrariesInstalled({ cluster_id: r.cluster_id });
        ledger.created(entry, r.cluster_id);
      }
    }
    if (spec.gitCredential) {
      step = 'git credential';
      const { provider, username, token } = spec.gitCredential;
      const id = await createdByName(
        'git_credential',
        names.gitCredential,
        () => create.gitCredentialsCreate({ git_provider: provider, ...(username ? { git_username: username } : {}), personal_access_token: token, name: names.gitCredential }),
        (credentialId) => create.gitCredentialsDelete({ credential_id: Number(credentialId) }),
        (c) => String(c.credential_id),
        async () => {
          const found = (await create.gitCredentialsList({})).find((c) => c.name === names.gitCredential);
          if (!found || found.git_provider?.toLowerCase() !== provider.toLowerCase()) {
            throw ApplicationFailure.create({ type: 'GitCredentialNameTaken', message: `the Git credential ${names.gitCredential} already exists${found ? ` for ${found.git_provider}` : ''}, not for ${provider}`, nonRetryable: true });
          }
          return String(found.credential_id);
        },
      );
      ids.gitCredentialId = Number(id);
    }
    if (spec.repo) {
      step = 'repo';
      const repo = spec.repo;
      await repoFolder(repo.path);
      const id = await createdByName(
        'repo',
        repo.path,
        () => create.reposCreate({ url: repo.url, provider: repo.provider, path: repo.path }),
        (repoId) => create.reposDelete({ repo_id: repoId }),
        (r) => String(r.id),
        async () => {
          // Adopted only when it clones the same remote: another repo at the path is not this spec's.
          const found = (await create.reposList({ path_prefix: repo.path })).find((r) => r.path === repo.path);
          if (!found || !sameRepoUrl(found.url, repo.url)) {
            throw ApplicationFailure.create({ type: 'RepoPathTaken', message: `${repo.path} already holds ${found ? `a clone of ${found.url}` : 'another workspace object'}, not ${repo.url}`, nonRetryable: true });
          }
          return String(found.id);
        },
      );
      ids.repoId = Number(id);
      ids.repo = repo.path;
      if (repo.branch !== undefined || repo.tag !== undefined) {
        step = 'repo checkout';
        await create.reposUpdate({ repo_id: id, ...(repo.branch !== undefined ? { branch: repo.branch } : { tag: repo.tag }) });
      }
    }
    if (spec.job) {
      step = 'job';
      const tasks = spec.job.tasks.map((t) => {
        const hasCompute = ['existing_cluster_id', 'new_cluster', 'job_cluster_key', 'environment_key'].some((k) => (t as Record<string, unknown>)[k] !== undefined);
        return hasCompute || !ids.clusterId ? t : { ...t, existing_cluster_id: ids.clusterId };
      });
      const r = await created(
        'job',
        spec.job.name,
        () => create.jobsCreate({ ...spec.job!, tasks, idempotency_key: keyFor('job') } as Parameters<ProvisionActivities['jobsCreate']>[0]),
        (x) => String(x.job_id),
        (id) => create.jobsDelete({ job_id: Number(id) }),
      );
      ids.jobId = r.job_id;
    }
    if (spec.warehouse) {
      step = 'warehouse';
      const r = await created(
        'warehouse',
        names.warehouse,
        () => create.warehousesCreate({ name: names.warehouse, ...spec.warehouse!, idempotency_key: keyFor('warehouse') } as Parameters<ProvisionActivities['warehousesCreate']>[0]),
        (x) => x.id,
        (id) => create.warehousesDelete({ id }),
      );
      ids.warehouseId = r.id;
    }
    if (spec.storage) {
      step = 'storage credential';
      const comment = `Provisioned by durabricks for ${spec.name}`;
      const credential = { name: names.credential, ...spec.storage.credential, comment };
      await createdByName(
        'storage_credential',
        credential.name,
        () => create.storageCredentialsCreate(credential),
        () => create.storageCredentialsDelete({ name: credential.name }),
        undefined,
        async () => {
          // Adopted only when it is the same identity: another principal's role must not back this spec's location.
          if (!sameStorageCredential(await create.storageCredentialsGet({ name: credential.name }), credential)) {
            throw ApplicationFailure.create({ type: 'StorageCredentialNameTaken', message: `the storage credential ${credential.name} already exists with another identity`, nonRetryable: true });
          }
          return credential.name;
        },
      );
      ids.storageCredential = credential.name;
      step = 'external location';
      const location = { name: names.location, url: spec.storage.url, credential_name: credential.name, ...(spec.storage.readOnly ? { read_only: true } : {}), comment };
      await createdByName(
        'external_location',
        location.name,
        () => create.externalLocationsCreate(location),
        () => create.externalLocationsDelete({ name: location.name }),
        undefined,
        async () => {
          const found = await create.externalLocationsGet({ name: location.name });
          if (!sameExternalLocation(found, location)) {
            throw ApplicationFailure.create({ type: 'ExternalLocationNameTaken', message: `the external location ${location.name} already exists for ${found.url ?? 'another URL'} on ${found.credential_name ?? 'another credential'}, not for ${location.url} on ${location.credential_name}`, nonRetryable: true });
          }
          return location.name;
        },
      );
      ids.externalLocation = location.name;
    }
    if (spec.catalog) {
      step = 'catalog';
      const catalog = spec.catalog;
      await createdByName(
        'catalog',
        catalog.name,
        () => create.catalogsCreate({ name: catalog.name, ...(catalog.comment ? { comment: catalog.comment } : {}), ...(catalog.storageRoot ? { storage_root: catalog.storageRoot } : {}) }),
        () => create.catalogsDelete({ name: catalog.name, force: true }),
      );
      ids.catalog = catalog.name;
      if (catalog.schema) {
        step = 'schema';
        const full = `${catalog.name}.${catalog.schema}`;
        await createdByName('schema', full, () => create.schemasCreate({ name: catalog.schema!, catalog_name: catalog.name }), () => create.schemasDelete({ full_name: full }));
        ids.schema = full;
        if (catalog.volume) {
          step = 'volume';
          const volume = `${full}.${catalog.volume}`;
          await createdByName(
            'volume',
            volume,
            () => create.volumesCreate({ catalog_name: catalog.name, schema_name: catalog.schema!, name: catalog.volume!, volume_type: 'MANAGED' }),
            () => create.volumesDelete({ name: volume }),
          );
          ids.volume = volume;
        }
      }
    }
    if (spec.access) {
      step = 'access';
      for (const g of accessGrants(spec.access, ids, names, create)) {
        const entry = ledger.intend('grant', g.label);
        await undo.shielded(g.grant);
        ledger.created(entry, g.principal);
        // A grant on a resource the undo deletes goes with it; one on an adopted (kept) resource is revoked.
        const resource = ledger.entries().find((e) => e.kind === g.resource.kind && e.name === g.resource.name);
        if (resource?.status === 'kept') {
          undo.push(`revoke ${g.label}`, async () => {
            await g.revoke();
            ledger.cleaned(entry, 'revoked');
            return `revoked ${g.label}`;
          });
        }
      }
    }
    phase = 'succeeded';
    step = 'done';
    return { name: spec.name, ids, resources: ledger.snapshot() };
  } catch (err) {
    const cancelled = isCancellation(err);
    phase = cancelled ? 'cancelled' : 'failed';
    undone = await undo.unwind();
    const details: ProvisionFailureDetails = { step, undone, resources: ledger.snapshot() };
    const summary = undone.map((u) => `${u.ok ? '' : 'FAILED: '}${u.detail}`).join('; ') || 'nothing to undo';
    if (cancelled) throw new CancelledFailure(`provisioning ${spec.name} cancelled at ${step}; undone: ${summary}`, [details]);
    throw ApplicationFailure.create({
      type: 'ProvisioningFailed',
      message: `provisioning ${spec.name} failed at ${step}: ${errorMessage(err)}; undone: ${summary}`,
      nonRetryable: true,
      details: [details],
      ...(err instanceof Error ? { cause: err } : {}),
    });
  }
}
