/** Stored SCIM state (snapshotted as is) and the shapes the directory reasons about. */
export interface GroupRecord {
  id: string;
  displayName: string;
  externalId?: string;
  /** Ids of the member users, service principals and groups, in the order they were added. */
  members: string[];
  entitlements: string[];
}

export interface UserRecord {
  id: string;
  userName: string;
  displayName?: string;
  emails?: { value: string; type?: string; primary?: boolean }[];
  active: boolean;
  externalId?: string;
  entitlements: string[];
}

export interface ServicePrincipalRecord {
  id: string;
  applicationId: string;
  displayName?: string;
  active: boolean;
  externalId?: string;
  entitlements: string[];
}

/** A resolved principal or group, whether configured (tokens, OAuth clients) or created through SCIM. */
export type Identity =
  | { kind: 'user'; id: string; userName: string; configured: boolean; record?: UserRecord }
  | { kind: 'service_principal'; id: string; applicationId: string; userName: string; configured: boolean; record?: ServicePrincipalRecord }
  | { kind: 'group'; id: string; displayName: string; system?: 'admins' | 'users' };

/**
 * Entitlement values the workspace knows (docs: "assigning entitlements"); anything else is
 * refused. Whether the real API refuses unknown values or stores them is unverified.
 */
export const ENTITLEMENTS = new Set(['allow-cluster-create', 'allow-instance-pool-create', 'databricks-sql-access', 'workspace-access', 'workspace-consume']);
