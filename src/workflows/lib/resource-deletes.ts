/**
 * How each kind of resource the provisioning saga makes is deleted, from its ledger id: the saga's
 * undo steps and `deprovisionWorkspace` call the same deletes. Kinds not here go with their parent
 * (a secret with its scope, libraries with their cluster) or are grants (see provision-access.ts).
 * No Node imports: bundled into the workflow sandbox.
 */
import type { Activities } from '../../activities/index.js';
import type { ResourceKind } from './ledger.js';

export type DeleteActivities = Pick<
  Activities,
  | 'groupsDelete'
  | 'secretsDeleteScope'
  | 'clusterPoliciesDelete'
  | 'instancePoolsDelete'
  | 'clustersPermanentDelete'
  | 'gitCredentialsDelete'
  | 'workspaceDelete'
  | 'reposDelete'
  | 'jobsDelete'
  | 'warehousesDelete'
  | 'storageCredentialsDelete'
  | 'externalLocationsDelete'
  | 'connectionsDelete'
  | 'catalogsDelete'
  | 'schemasDelete'
  | 'volumesDelete'
>;

/** A Git credential may be a service principal's: its deletes then carry its `principal_id`. */
export interface DeleteContext {
  gitCredentialOwner?: { principal_id?: number };
}

type Delete = (acts: DeleteActivities, id: string, ctx: DeleteContext) => Promise<unknown>;

const DELETES: Partial<Record<ResourceKind, Delete>> = {
  group: (a, id) => a.groupsDelete({ id }),
  secret_scope: (a, scope) => a.secretsDeleteScope({ scope }),
  cluster_policy: (a, id) => a.clusterPoliciesDelete({ policy_id: id }),
  instance_pool: (a, id) => a.instancePoolsDelete({ instance_pool_id: id }),
  cluster: (a, id) => a.clustersPermanentDelete({ cluster_id: id }),
  git_credential: (a, id, ctx) => a.gitCredentialsDelete({ credential_id: Number(id), ...ctx.gitCredentialOwner }),
  // Not recursive: a folder the saga made is removed only while empty (someone may have added to it).
  folder: (a, path) => a.workspaceDelete({ path, recursive: false }),
  repo: (a, id) => a.reposDelete({ repo_id: id }),
  job: (a, id) => a.jobsDelete({ job_id: Number(id) }),
  warehouse: (a, id) => a.warehousesDelete({ id }),
  storage_credential: (a, name) => a.storageCredentialsDelete({ name }),
  external_location: (a, name) => a.externalLocationsDelete({ name }),
  connection: (a, name) => a.connectionsDelete({ name }),
  catalog: (a, name) => a.catalogsDelete({ name, force: true }),
  schema: (a, full_name) => a.schemasDelete({ full_name }),
  volume: (a, name) => a.volumesDelete({ name }),
};

/** Whether the saga deletes this kind itself (others go with a parent, or are grants). */
export function isDeletable(kind: ResourceKind): boolean {
  return DELETES[kind] !== undefined;
}

/** Deletes the resource of this kind with this ledger id. */
export function deleteResource(acts: DeleteActivities, kind: ResourceKind, id: string, ctx: DeleteContext = {}): Promise<unknown> {
  const del = DELETES[kind];
  if (!del) throw new Error(`no delete for ${kind}: it goes with its parent`);
  return del(acts, id, ctx);
}
