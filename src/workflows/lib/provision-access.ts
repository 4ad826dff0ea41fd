/**
 * The provisioning saga's access step: what to grant to the spec's principal on each provisioned
 * resource, and how to take it back. Workspace objects take a Permissions API level (merged with
 * PATCH, so a replayed grant changes nothing), the secret scope an ACL, Unity Catalog objects
 * privileges. No Node imports: bundled into the workflow sandbox.
 */
import type { Activities } from '../../activities/index.js';
import type { ResourceKind } from './ledger.js';
import type { ProvisionNames } from './provision-names.js';
import type { AccessSpec } from './provision-spec.js';
import type { ProvisionResult } from './provision-types.js';

export type AccessActivities = Pick<Activities, 'permissionsUpdate' | 'permissionsGet' | 'permissionsSet' | 'secretsPutAcl' | 'secretsDeleteAcl' | 'grantsUpdate'>;

export interface Grant {
  /** e.g. `CAN_RESTART on cluster 0123-… to group analytics-team`. */
  label: string;
  /** Who gets it (user or group name, or application id). */
  principal: string;
  /** The ledger entry of the resource granted on: when that resource was adopted (kept), the grant is revoked on undo. */
  resource: { kind: ResourceKind; name: string };
  grant(): Promise<unknown>;
  revoke(): Promise<unknown>;
}

type Principal = { field: 'group_name' | 'user_name' | 'service_principal_name'; name: string; label: string };

function principalOf(access: AccessSpec): Principal {
  if (access.group !== undefined) return { field: 'group_name', name: access.group, label: `group ${access.group}` };
  if (access.user !== undefined) return { field: 'user_name', name: access.user, label: `user ${access.user}` };
  return { field: 'service_principal_name', name: access.servicePrincipal!, label: `service principal ${access.servicePrincipal!}` };
}

/**
 * Permissions API grant; revoking re-sets the direct grants without this principal's (PUT replaces
 * them all; inherited entries, e.g. the admins group's, are not direct and stay).
 */
function workspaceObjectGrant(acts: AccessActivities, who: Principal, objectType: string, objectId: string, level: string, what: string, resource: Grant['resource']): Grant {
  return {
    label: `${level} on ${what} ${objectId} to ${who.label}`,
    principal: who.name,
    resource,
    grant: () => acts.permissionsUpdate({ object_type: objectType, object_id: objectId, access_control_list: [{ [who.field]: who.name, permission_level: level }] }),
    revoke: async () => {
      const current = await acts.permissionsGet({ object_type: objectType, object_id: objectId });
      const keep = (current.access_control_list ?? []).flatMap((entry) => {
        if (entry[who.field] === who.name) return [];
        const principal = entry.user_name !== undefined ? { user_name: entry.user_name } : entry.group_name !== undefined ? { group_name: entry.group_name } : { service_principal_name: entry.service_principal_name };
        return (entry.all_permissions ?? []).filter((p) => !p.inherited && p.permission_level).map((p) => ({ ...principal, permission_level: p.permission_level! }));
      });
      await acts.permissionsSet({ object_type: objectType, object_id: objectId, access_control_list: keep });
    },
  };
}

function catalogGrant(acts: AccessActivities, who: Principal, securableType: 'external_location' | 'catalog' | 'schema' | 'volume', fullName: string, privileges: string[], resource: Grant['resource']): Grant {
  return {
    label: `${privileges.join(', ')} on ${securableType.replace('_', ' ')} ${fullName} to ${who.label}`,
    principal: who.name,
    resource,
    grant: () => acts.grantsUpdate({ securable_type: securableType, full_name: fullName, changes: [{ principal: who.name, add: privileges }], omit_permissions_in_response: true }),
    revoke: () => acts.grantsUpdate({ securable_type: securableType, full_name: fullName, changes: [{ principal: who.name, remove: privileges }], omit_permissions_in_response: true }),
  };
}

/** The grants `access` asks for, in the order the resources were provisioned. */
export function accessGrants(access: AccessSpec, ids: ProvisionResult['ids'], names: Pick<ProvisionNames, 'policy' | 'pool' | 'cluster' | 'repo' | 'job' | 'warehouse'>, acts: AccessActivities): Grant[] {
  const who = principalOf(access);
  const grants: Grant[] = [];
  if (access.secretScope && ids.secretScope) {
    const scope = ids.secretScope;
    // Secret ACLs name any principal in one field (a group name, user name or application id).
    grants.push({
      label: `${access.secretScope} on secret scope ${scope} to ${who.label}`,
      principal: who.name,
      resource: { kind: 'secret_scope', name: scope },
      grant: () => acts.secretsPutAcl({ scope, principal: who.name, permission: access.secretScope! }),
      revoke: () => acts.secretsDeleteAcl({ scope, principal: who.name }),
    });
  }
  if (access.clusterPolicy && ids.policyId) grants.push(workspaceObjectGrant(acts, who, 'cluster-policies', ids.policyId, access.clusterPolicy, 'cluster policy', { kind: 'cluster_policy', name: names.policy }));
  if (access.instancePool && ids.instancePoolId) grants.push(workspaceObjectGrant(acts, who, 'instance-pools', ids.instancePoolId, access.instancePool, 'instance pool', { kind: 'instance_pool', name: names.pool }));
  if (access.cluster && ids.clusterId) grants.push(workspaceObjectGrant(acts, who, 'clusters', ids.clusterId, access.cluster, 'cluster', { kind: 'cluster', name: names.cluster }));
  if (access.repo && ids.repoId !== undefined) grants.push(workspaceObjectGrant(acts, who, 'repos', String(ids.repoId), access.repo, 'repo', { kind: 'repo', name: names.repo }));
  if (access.job && ids.jobId !== undefined) grants.push(workspaceObjectGrant(acts, who, 'jobs', String(ids.jobId), access.job, 'job', { kind: 'job', name: names.job }));
  if (access.warehouse && ids.warehouseId) grants.push(workspaceObjectGrant(acts, who, 'warehouses', ids.warehouseId, access.warehouse, 'warehouse', { kind: 'warehouse', name: names.warehouse }));
  if (access.externalLocation && ids.externalLocation) grants.push(catalogGrant(acts, who, 'external_location', ids.externalLocation, access.externalLocation, { kind: 'external_location', name: ids.externalLocation }));
  if (access.catalog && ids.catalog) grants.push(catalogGrant(acts, who, 'catalog', ids.catalog, access.catalog, { kind: 'catalog', name: ids.catalog }));
  if (access.schema && ids.schema) grants.push(catalogGrant(acts, who, 'schema', ids.schema, access.schema, { kind: 'schema', name: ids.schema }));
  if (access.volume && ids.volume) grants.push(catalogGrant(acts, who, 'volume', ids.volume, access.volume, { kind: 'volume', name: ids.volume }));
  return grants;
}
