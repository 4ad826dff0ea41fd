import { UcError } from './uc-error.js';

/**
 * Unity Catalog privileges and which securables they apply to (privilege model 1.0, as the docs'
 * "privilege types by securable object" list them). Only the securables the emulator has are here;
 * the SDKs' full Privilege enum has more (shares, recipients, …).
 */
export type SecurableKind = 'catalog' | 'schema' | 'table' | 'view' | 'volume' | 'function' | 'metastore' | 'storage_credential' | 'external_location' | 'connection';

/** The securable_type a kind is reported as (`inherited_from_type`; a view is a TABLE). */
export const SECURABLE_TYPE_NAME: Record<SecurableKind, string> = {
  catalog: 'CATALOG',
  schema: 'SCHEMA',
  table: 'TABLE',
  view: 'TABLE',
  volume: 'VOLUME',
  function: 'FUNCTION',
  metastore: 'METASTORE',
  storage_credential: 'STORAGE_CREDENTIAL',
  external_location: 'EXTERNAL_LOCATION',
  connection: 'CONNECTION',
};

/**
 * How messages name a kind ("User does not have MANAGE on Storage Credential 'x'."). A function is a
 * Routine, as in "User does not have EXECUTE on Routine 'c.ai.fn'" quoted from a real answer in public
 * code, and as the REST 404 names it ("Routine or Model … does not exist").
 */
export const SECURABLE_LABEL: Record<SecurableKind, string> = {
  catalog: 'Catalog',
  schema: 'Schema',
  table: 'Table',
  view: 'Table',
  volume: 'Volume',
  function: 'Routine',
  metastore: 'Metastore',
  storage_credential: 'Storage Credential',
  external_location: 'External Location',
  connection: 'Connection',
};

const DATA = ['APPLY_TAG', 'CREATE_FUNCTION', 'CREATE_MATERIALIZED_VIEW', 'CREATE_MODEL', 'CREATE_TABLE', 'CREATE_VOLUME', 'EXECUTE', 'EXTERNAL_USE_SCHEMA', 'MANAGE', 'MODIFY', 'READ_VOLUME', 'REFRESH', 'SELECT', 'USE_SCHEMA', 'WRITE_VOLUME'];

const APPLICABLE: Record<SecurableKind, ReadonlySet<string>> = {
  catalog: new Set(['ALL_PRIVILEGES', 'BROWSE', 'CREATE_SCHEMA', 'USE_CATALOG', ...DATA]),
  schema: new Set(['ALL_PRIVILEGES', ...DATA]),
  table: new Set(['ALL_PRIVILEGES', 'APPLY_TAG', 'MANAGE', 'MODIFY', 'SELECT']),
  view: new Set(['ALL_PRIVILEGES', 'APPLY_TAG', 'MANAGE', 'SELECT']),
  volume: new Set(['ALL_PRIVILEGES', 'APPLY_TAG', 'MANAGE', 'READ_VOLUME', 'WRITE_VOLUME']),
  function: new Set(['ALL_PRIVILEGES', 'EXECUTE', 'MANAGE']),
  // The metastore's privileges as the SDK's Privilege enum and the privileges reference name them. The
  // emulator enforces only CREATE_CATALOG, CREATE_STORAGE_CREDENTIAL, CREATE_EXTERNAL_LOCATION and CREATE_CONNECTION (its
  // other creates are open to everyone); the rest are accepted so that grants written for a real workspace apply.
  metastore: new Set([
    'CREATE_CATALOG',
    'CREATE_CLEAN_ROOM',
    'CREATE_CONNECTION',
    'CREATE_EXTERNAL_LOCATION',
    'CREATE_PROVIDER',
    'CREATE_RECIPIENT',
    'CREATE_SERVICE_CREDENTIAL',
    'CREATE_SHARE',
    'CREATE_STORAGE_CREDENTIAL',
    'MANAGE_ALLOWLIST',
    'SET_SHARE_PERMISSION',
    'USE_MARKETPLACE_ASSETS',
    'USE_PROVIDER',
    'USE_RECIPIENT',
    'USE_SHARE',
  ]),
  // Per the privileges reference (docs.databricks.com …/unity-catalog/access-control/privileges-reference).
  storage_credential: new Set(['ALL_PRIVILEGES', 'CREATE_EXTERNAL_LOCATION', 'CREATE_EXTERNAL_TABLE', 'MANAGE', 'READ_FILES', 'WRITE_FILES']),
  external_location: new Set([
    'ALL_PRIVILEGES',
    'BROWSE',
    'CREATE_EXTERNAL_TABLE',
    'CREATE_EXTERNAL_VOLUME',
    'CREATE_FOREIGN_SECURABLE',
    'CREATE_MANAGED_STORAGE',
    'EXTERNAL_USE_LOCATION',
    'MANAGE',
    'READ_FILES',
    'WRITE_FILES',
  ]),
  // "Manage connections for Lakehouse Federation": CREATE FOREIGN CATALOG and USE CONNECTION; MANAGE as on every securable.
  connection: new Set(['ALL_PRIVILEGES', 'CREATE_FOREIGN_CATALOG', 'MANAGE', 'USE_CONNECTION']),
};

/**
 * Entity subtypes as real error messages show them (`[CATALOG/CATALOG_STANDARD]` is from a real
 * answer; the others follow its pattern and are unverified).
 */
const SUBTYPE: Record<SecurableKind, string> = {
  catalog: 'CATALOG/CATALOG_STANDARD',
  schema: 'SCHEMA/SCHEMA_STANDARD',
  table: 'TABLE/TABLE_DELTA',
  view: 'TABLE/TABLE_VIEW',
  volume: 'VOLUME/VOLUME_STANDARD',
  function: 'FUNCTION/FUNCTION_STANDARD',
  metastore: 'METASTORE/METASTORE_STANDARD',
  storage_credential: 'STORAGE_CREDENTIAL/STORAGE_CREDENTIAL_STANDARD',
  // securable_kind EXTERNAL_LOCATION_STANDARD is what a real create answered (databrickslabs/ucx#2270).
  external_location: 'EXTERNAL_LOCATION/EXTERNAL_LOCATION_STANDARD',
  connection: 'CONNECTION/CONNECTION_STANDARD',
};

/**
 * What a denial says is missing, as real answers word it: "User does not have USE CATALOG on Catalog
 * 'x'." (several privileges on one object joined by "and": "MANAGE and USE CATALOG").
 */
export function doesNotHave(s: { kind: SecurableKind; fullName: string }, privileges: readonly string[]): string {
  return `User does not have ${privileges.map((p) => p.replace(/_/g, ' ')).join(' and ')} on ${SECURABLE_LABEL[s.kind]} '${s.fullName}'.`;
}

/** `use catalog`, `USE CATALOG` and `USE_CATALOG` are one privilege (SQL spells it with spaces). */
export function normalizePrivilege(p: string): string {
  return p.trim().toUpperCase().replace(/[\s_]+/g, '_');
}

export function isApplicable(kind: SecurableKind, privilege: string): boolean {
  return APPLICABLE[kind].has(privilege);
}

/** Checks every privilege before anything changes; the message is the one real workspaces give. */
export function requireApplicable(kind: SecurableKind, fullName: string, privileges: readonly string[]): void {
  for (const p of privileges) {
    if (!isApplicable(kind, p)) {
      throw new UcError(
        400,
        'INVALID_PARAMETER_VALUE',
        `Privilege ${p.replace(/_/g, ' ')} is not applicable to this entity [${fullName}:${SUBTYPE[kind]}]. If this seems unexpected, please check the privilege version of the metastore in use [1.0].`,
      );
    }
  }
}
