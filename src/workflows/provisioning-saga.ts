/**
 * Provisioning saga: group (SCIM, with its members) → secret scope + secrets → cluster policy →
 * instance pool → cluster (+ libraries, under the policy) → Git credential → repo (+ its folder,
 * checked out) → job → SQL warehouse → Unity Catalog storage credential + external location →
 * connection (Lakehouse Federation; secret options by reference) → catalog (optionally with its managed
 * storage there)/schema/volume → access (grants to one principal on what was provisioned). Each resource
 * is recorded in the ledger and gets an undo step; any failure or a cancellation unwinds them
 * newest first in a non-cancellable scope and reports what was undone.
 *
 * Re-running with the same workflow id is idempotent: tagged creates carry an idempotency key
 * derived from the workflow id and the step (not the run), so a second run adopts what the first
 * created; name-keyed objects that already exist are adopted and, not being ours, never deleted.
 */
import { ApplicationFailure, CancelledFailure, isCancellation, proxyActivities, setHandler, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { CREATE_ACTIVITY, WAIT_ACTIVITY } from '../common/activity-policies.js';
import { CompensationStack, type CompensationOutcome } from './lib/compensation.js';
import { fnv1a64 } from './lib/hash.js';
import { accessGrants, type AccessActivities } from './lib/provision-access.js';
import { provisionConnection, type ConnectionActivities } from './lib/provision-connection.js';
import { provisionGitCredential, provisionRepo, type GitActivities } from './lib/provision-git.js';
import { provisionNames } from './lib/provision-names.js';
import { provisionStorage, type StorageActivities } from './lib/provision-storage.js';
import { ResourceLedger, type ResourceKind } from './lib/ledger.js';
import { deleteResource, type DeleteActivities } from './lib/resource-deletes.js';
import { SagaBook } from './lib/saga-book.js';
import { errorMessage } from './lib/pipeline-helpers.js';
import { validateProvisionSpec } from './lib/provision-spec.js';
import { provisionProgressQuery, type ProvisionInput, type ProvisionResult, type ProvisionFailureDetails, type ProvisionProgress } from './lib/provision-types.js';

export type ProvisionActivities = Pick<
  Activities,
  | 'usersList'
  | 'groupsCreate'
  | 'secretsCreateScope'
  | 'secretsPut'
  | 'clusterPoliciesCreate'
  | 'instancePoolsCreate'
  | 'clustersCreate'
  | 'waitClusterRunning'
  | 'librariesInstall'
  | 'waitLibrariesInstalled'
  | 'jobsCreate'
  | 'warehousesCreate'
  | 'catalogsCreate'
  | 'schemasCreate'
  | 'volumesCreate'
  | keyof DeleteActivities
  | keyof GitActivities
  | keyof StorageActivities
  | keyof ConnectionActivities
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
  const book = new SagaBook(ledger, undo);
  const ids: ProvisionResult['ids'] = {};
  const { workflowId } = workflowInfo();
  let step = 'validate';
  let phase: ProvisionProgress['phase'] = 'running';
  let undone: CompensationOutcome[] = [];
  setHandler(provisionProgressQuery, () => ({ name: spec.name, phase, step, resources: ledger.snapshot(), undone }));

  /** The undo of a create: the delete for its kind, by the id the ledger records. */
  const removeAs = (kind: ResourceKind) => (id: string) => deleteResource(create, kind, id);

  /** What the saga names its resources (the ledger and the access step use the same names). */
  const names = provisionNames(spec);

  /** Same key for every run of this workflow id: a re-run finds (adopts) what an earlier run made. */
  const keyFor = (s: string) => `prov-${fnv1a64(workflowId)}-${s}`;

  /** The SCIM id of a workspace user; a user name the workspace does not know fails the saga, naming it. */
  async function userId(userName: string): Promise<string> {
    const found = await create.usersList({ filter: `userName eq ${JSON.stringify(userName)}` });
    const user = found.find((u) => u.userName?.toLowerCase() === userName.toLowerCase());
    if (!user) throw ApplicationFailure.create({ type: 'UnknownUser', message: `group member ${userName} is not a user of this workspace`, nonRetryable: true });
    return user.id;
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
      await book.created(
        'group',
        group.name,
        () => create.groupsCreate({ displayName: group.name, members, idempotency_key: keyFor('group') }),
        (g) => g.id,
        removeAs('group'),
        (g) => g.adopted && !g.ours,
      );
      ids.group = group.name;
    }
    if (spec.secretScope) {
      step = 'secret scope';
      const scope = spec.secretScope.scope;
      await book.createdByName('secret_scope', scope, () => create.secretsCreateScope({ scope }), removeAs('secret_scope'));
      ids.secretScope = scope;
      for (const s of spec.secretScope.secrets ?? []) {
        // The value is a reference; the activity reads it on the worker. Deleting the scope removes it.
        await book.created('secret', `${scope}/${s.key}`, () => create.secretsPut({ scope, key: s.key, value: s.value }), () => `${scope}/${s.key}`);
      }
    }
    if (spec.clusterPolicy) {
      step = 'cluster policy';
      const { definition, ...policy } = spec.clusterPolicy;
      const name = names.policy;
      // Policies carry no tags: an existing one with this name and these rules is adopted, and kept,
      // since nothing shows that an earlier run of this saga (rather than someone else) made it.
      const r = await book.created(
        'cluster_policy',
        name,
        () => create.clusterPoliciesCreate({ name, definition: JSON.stringify(definition), ...policy, idempotency_key: keyFor('policy') }),
        (x) => x.policy_id,
        removeAs('cluster_policy'),
        (x) => x.adopted,
      );
      ids.policyId = r.policy_id;
    }
    if (spec.instancePool) {
      step = 'instance pool';
      const r = await book.created(
        'instance_pool',
        names.pool,
        () => create.instancePoolsCreate({ instance_pool_name: names.pool, ...spec.instancePool!, idempotency_key: keyFor('pool') } as Parameters<ProvisionActivities['instancePoolsCreate']>[0]),
        (x) => x.instance_pool_id,
        removeAs('instance_pool'),
      );
      ids.instancePoolId = r.instance_pool_id;
    }
    if (spec.cluster) {
      step = 'cluster';
      const { spec: clusterSpec, libraries } = spec.cluster;
      const r = await book.created(
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
        removeAs('cluster'),
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
      ids.gitCredentialId = await provisionGitCredential(create, book, spec.gitCredential, names.gitCredential);
    }
    if (spec.repo) {
      step = 'repo';
      ids.repoId = await provisionRepo(create, book, spec.repo, (s) => (step = s));
      ids.repo = spec.repo.path;
    }
    if (spec.job) {
      step = 'job';
      const tasks = spec.job.tasks.map((t) => {
        const hasCompute = ['existing_cluster_id', 'new_cluster', 'job_cluster_key', 'environment_key'].some((k) => (t as Record<string, unknown>)[k] !== undefined);
        return hasCompute || !ids.clusterId ? t : { ...t, existing_cluster_id: ids.clusterId };
      });
      const r = await book.created(
        'job',
        spec.job.name,
        () => create.jobsCreate({ ...spec.job!, tasks, idempotency_key: keyFor('job') } as Parameters<ProvisionActivities['jobsCreate']>[0]),
        (x) => String(x.job_id),
        removeAs('job'),
      );
      ids.jobId = r.job_id;
    }
    if (spec.warehouse) {
      step = 'warehouse';
      const r = await book.created(
        'warehouse',
        names.warehouse,
        () => create.warehousesCreate({ name: names.warehouse, ...spec.warehouse!, idempotency_key: keyFor('warehouse') } as Parameters<ProvisionActivities['warehousesCreate']>[0]),
        (x) => x.id,
        removeAs('warehouse'),
      );
      ids.warehouseId = r.id;
    }
    const comment = `Provisioned by durabricks for ${spec.name}`;
    if (spec.storage) {
      const storageNames = { credential: names.credential, location: names.location, comment };
      Object.assign(ids, await provisionStorage(create, book, spec.storage, storageNames, (s) => (step = s)));
    }
    if (spec.connection) {
      step = 'connection';
      ids.connection = await provisionConnection(create, book, spec.connection, { connection: names.connection, comment });
    }
    if (spec.catalog) {
      step = 'catalog';
      const catalog = spec.catalog;
      await book.createdByName(
        'catalog',
        catalog.name,
        () => create.catalogsCreate({ name: catalog.name, ...(catalog.comment ? { comment: catalog.comment } : {}), ...(catalog.storageRoot ? { storage_root: catalog.storageRoot } : {}) }),
        removeAs('catalog'),
      );
      ids.catalog = catalog.name;
      if (catalog.schema) {
        step = 'schema';
        const full = `${catalog.name}.${catalog.schema}`;
        await book.createdByName('schema', full, () => create.schemasCreate({ name: catalog.schema!, catalog_name: catalog.name }), removeAs('schema'));
        ids.schema = full;
        if (catalog.volume) {
          step = 'volume';
          const volume = `${full}.${catalog.volume}`;
          await book.createdByName(
            'volume',
            volume,
            () => create.volumesCreate({ catalog_name: catalog.name, schema_name: catalog.schema!, name: catalog.volume!, volume_type: 'MANAGED' }),
            removeAs('volume'),
          );
          ids.volume = volume;
        }
      }
    }
    if (spec.access) {
      step = 'access';
      for (const g of accessGrants(spec, spec.access, ids, names, create)) {
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
