/**
 * The emulator's SQL engine (DuckDB): Databricks SQL translation, Unity Catalog model, and result
 * sets in the statement API's value format. Pure module: no HTTP, no emulator state.
 */
export { SqlEngine, type SqlEngineOptions, type ExecuteOptions } from './engine.js';
export { UnityCatalog, UcError, type CatalogColumnInput } from './catalog.js';
export { Volumes, type VolumeRef, type VolumeType } from './volumes.js';
export { StorageCredentials, type CredentialFields } from './storage-credentials.js';
export { METASTORE_KEY, METASTORE_NAME } from './metastore-objects.js';
export { ExternalLocations, type LocationFields } from './external-locations.js';
export { Grants, METASTORE, parentSecurables, securableFor, standaloneDirectory, volumeSecurable, type GrantDirectory, type Securable, type PrivilegeAssignment, type EffectivePrivilege, type PermissionsChange } from './grants.js';
export { SqlError, notSupported } from './errors.js';
export { ParameterError, validateParameters, type StatementParameter } from './params.js';
export type { ResultSet, ResultColumn, Row } from './result.js';
export { statementTypeText, type DatabricksType } from './types.js';
