import { z } from 'zod';
import { bool, int, nonEmpty, stringMap } from '../../http/validation.js';

export const listMetastoresInput = z.object({ max_results: int().optional(), page_token: z.string().optional() });
/** `include_browse`: also the objects the caller may only browse (BROWSE on their catalog). */
export const listCatalogsInput = listMetastoresInput.extend({ include_browse: bool().optional() });
export const noInput = z.object({});
/** Bodies of routes that refuse whatever they are sent. */
export const anyBody = z.looseObject({});
export const createCatalogInput = z.object({
  name: nonEmpty(),
  comment: z.string().optional(),
  properties: stringMap().optional(),
  storage_root: z.string().optional(),
  provider_name: z.string().optional(),
  share_name: z.string().optional(),
  connection_name: z.string().optional(),
});
export const updateInput = z.object({
  new_name: z.string().optional(),
  comment: z.string().optional(),
  owner: z.string().optional(),
  properties: stringMap().optional(),
});
export const deleteInput = z.object({ force: bool().optional() });
export const listSchemasInput = z.object({ catalog_name: nonEmpty(), max_results: int().optional(), page_token: z.string().optional(), include_browse: bool().optional() });
export const createSchemaInput = z.object({
  name: nonEmpty(),
  catalog_name: nonEmpty(),
  comment: z.string().optional(),
  properties: stringMap().optional(),
  storage_root: z.string().optional(),
});
export const listTablesInput = z.object({
  catalog_name: nonEmpty(),
  schema_name: nonEmpty(),
  max_results: int().optional(),
  page_token: z.string().optional(),
  omit_columns: bool().optional(),
  omit_properties: bool().optional(),
  include_browse: bool().optional(),
});
export const listTableSummariesInput = z.object({
  catalog_name: nonEmpty(),
  schema_name_pattern: z.string().optional(),
  table_name_pattern: z.string().optional(),
  max_results: int().optional(),
  page_token: z.string().optional(),
  include_manifest_capabilities: bool().optional(),
});
export const getTableInput = z.object({ include_delta_metadata: bool().optional(), include_browse: bool().optional() });
export const createTableInput = z.object({
  name: nonEmpty(),
  catalog_name: nonEmpty(),
  schema_name: nonEmpty(),
  table_type: z.enum(['MANAGED', 'EXTERNAL']),
  data_source_format: z.enum(['DELTA', 'CSV', 'JSON', 'AVRO', 'PARQUET', 'ORC', 'TEXT', 'ICEBERG']),
  storage_location: z.string(),
  columns: z
    .array(
      z.object({
        name: nonEmpty(),
        type_name: z.string().optional(),
        type_text: z.string().optional(),
        nullable: z.boolean().optional(),
        comment: z.string().optional(),
      }),
    )
    .optional(),
  comment: z.string().optional(),
  properties: stringMap().optional(),
});

export const listVolumesInput = z.object({
  catalog_name: nonEmpty(),
  schema_name: nonEmpty(),
  max_results: int().optional(),
  page_token: z.string().optional(),
  include_browse: bool().optional(),
});
export const createVolumeInput = z.object({
  catalog_name: nonEmpty(),
  schema_name: nonEmpty(),
  name: nonEmpty(),
  volume_type: z.enum(['MANAGED', 'EXTERNAL']),
  storage_location: z.string().optional(),
  comment: z.string().optional(),
});
export const updateVolumeInput = z.object({ new_name: nonEmpty().optional(), comment: z.string().optional(), owner: z.string().optional() });
export const readVolumeInput = z.object({ include_browse: bool().optional() });

/** Grants: `max_results` pages (0 = server size; 1–149 refused, as the SDKs document), `principal` filters. */
export const getPermissionsInput = z.object({ principal: z.string().optional(), max_results: int().optional(), page_token: z.string().optional() });
/** The paged reads (`privilege-assignments`, `effective-privilege-assignments`). */
export const listAssignmentsInput = z.object({ principal: z.string().optional(), page_size: int().optional(), page_token: z.string().optional() });
const privilegeList = z.array(nonEmpty()).max(100);
export const updatePermissionsInput = z.object({
  changes: z.array(z.object({ principal: nonEmpty(), add: privilegeList.optional(), remove: privilegeList.optional() })).max(1000).optional(),
  omit_permissions_in_response: bool().optional(),
});
