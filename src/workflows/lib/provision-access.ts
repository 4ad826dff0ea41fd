/**
 * The provisioning saga's access step: what to grant to the spec's principal on each provisioned
 * resource, and how to take it back. Workspace objects take a Permissions API level (merged with
 * PATCH, so a replayed grant changes nothing), the secret scope an ACL, Unity Catalog objects
 * privileges. No Node imports: bundled into the workflow sandbox.
 */
import type { Activities } from '../../activities/index.js';
import { ACCESS_TARGETS } from './access-targets.js';
import type { ResourceKind } from './ledger.js';
import type { ProvisionNames } from './provision-names.js';
import type { AccessSpec, ProvisionSpec } from './provision-spec.js';
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
function workspaceObjectGrant(acts: AccessActivities, who: Principal, objectType: string, objectId: string, level: string): Pick<Grant, 'grant' | 'revoke'> {
  return {
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

function catalogGrant(acts: AccessActivities, who: Principal, securableType: string, fullName: string, privileges: string[]): Pick<Grant, 'grant' | 'revoke'> {
  return {
    grant: () => acts.grantsUpdate({ securable_type: securableType, full_name: fullName, changes: [{ principal: who.name, add: privileges }], omit_permissions_in_response: true }),
    revoke: () => acts.grantsUpdate({ securable_type: securableType, full_name: fullName, changes: [{ principal: who.name, remove: privileges }], omit_permissions_in_response: true }),
  };
}

/** Secret ACLs name any principal in one field (a group name, user name or application id). */
function secretAclGrant(acts: AccessActivities, who: Principal, scope: string, permission: NonNullable<AccessSpec['secretScope']>): Pick<Grant, 'grant' | 'revoke'> {
  return {
    grant: () => acts.secretsPutAcl({ scope, principal: who.name, permission }),
    revoke: () => acts.secretsDeleteAcl({ scope, principal: who.name }),
  };
}

/** The grants `access` asks for, in the order the resources were provisioned (those without an id yet are skipped). */
export function accessGrants(spec: ProvisionSpec, access: AccessSpec, ids: ProvisionResult['ids'], names: ProvisionNames, acts: AccessActivities): Grant[] {
  const who = principalOf(access);
  return ACCESS_TARGETS.flatMap((target) => {
    const level = access[target.key];
    const id = target.id(ids);
    if (level === undefined || id === undefined) return [];
    const levelText = Array.isArray(level) ? level.join(', ') : level;
    const how =
      target.via.kind === 'secretAcl'
        ? secretAclGrant(acts, who, String(id), level as NonNullable<AccessSpec['secretScope']>)
        : target.via.kind === 'permissions'
          ? workspaceObjectGrant(acts, who, target.via.objectType, String(id), levelText)
          : catalogGrant(acts, who, target.via.securableType, String(id), level as string[]);
    return [{ label: `${levelText} on ${target.label} ${id} to ${who.label}`, principal: who.name, resource: { kind: target.kind, name: target.name(spec, names) }, ...how }];
  });
}
