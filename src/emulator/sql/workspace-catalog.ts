import type { MetadataStore } from './metadata.js';

/**
 * The workspace catalog's default grants, as "Manage privileges in Unity Catalog" → "Workspace
 * catalog privileges" lists them: all workspace users receive USE CATALOG on the workspace catalog,
 * and USE SCHEMA, CREATE TABLE, CREATE VOLUME, CREATE MODEL, CREATE FUNCTION and CREATE MATERIALIZED
 * VIEW on its `default` schema. The emulator's workspace catalog is `main`.
 */
export const WORKSPACE_CATALOG = 'main';

const DEFAULT_GRANTS: [key: string, privileges: string[]][] = [
  [WORKSPACE_CATALOG, ['USE_CATALOG']],
  [`${WORKSPACE_CATALOG}.default`, ['CREATE_FUNCTION', 'CREATE_MATERIALIZED_VIEW', 'CREATE_MODEL', 'CREATE_TABLE', 'CREATE_VOLUME', 'USE_SCHEMA']],
];

/**
 * Grants them to `principal` (the group of every workspace user) on the just-created catalog. Only
 * at creation: the grants are then ordinary ones, persisted with the metadata, so a revoke holds
 * across restarts and a restart adds nothing.
 */
export function seedWorkspaceCatalogGrants(meta: MetadataStore, principal: string): void {
  for (const [key, privileges] of DEFAULT_GRANTS) meta.update(key, { grants: { ...meta.get(key)?.grants, [principal]: privileges } });
}
