import { notImplemented } from '../../http/errors.js';
import { route, type RouteDef } from '../../http/router.js';
import type { SqlEngine } from '../../sql/index.js';
import { p, splitName, uc } from './helpers.js';
import { ucPage } from './paginate.js';
import * as s from './schemas.js';
import { grantRoutes } from './grant-routes.js';
import { metastoreRoutes } from './metastore-routes.js';
import { volumeRoutes } from './volume-routes.js';
import { functionRoutes } from './function-routes.js';
import { storageRoutes } from './storage-routes.js';

/** The table-summaries page size when max_results is unset, 0 or larger ("10000, as of 1/5/2024"). */
const SUMMARIES_PAGE_SIZE = 10_000;

/** PATCH bodies: comment/owner/properties are kept; renames are not reproducible on DuckDB. */
function applyUpdate(engine: SqlEngine, key: string, input: { new_name?: string | undefined; comment?: string | undefined; owner?: string | undefined; properties?: Record<string, string> | undefined }, user: string): void {
  const current = key.split('.').at(-1);
  if (input.new_name !== undefined && input.new_name.toLowerCase() !== current) throw notImplemented('not supported by the emulator: renaming Unity Catalog objects');
  engine.catalog.touch(key, user, input);
}

export function unityCatalogRoutes(engine: () => Promise<SqlEngine>, workspaceId: number): RouteDef[] {
  return [
    ...metastoreRoutes(engine, workspaceId),
    ...volumeRoutes(engine),
    ...functionRoutes(engine),
    ...grantRoutes(engine),
    ...storageRoutes(engine),
    // ---- catalogs ----
    route({
      method: 'GET',
      paths: p('/catalogs'),
      input: s.listCatalogsInput,
      handle: async (input, req) => {
        const e = await engine();
        const names = await e.catalog.catalogNames();
        const { page, next_page_token } = ucPage(names, input.max_results, input.page_token);
        return { catalogs: page.map((n) => e.catalog.catalogInfo(n, req.principal.userName)), ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'POST',
      paths: p('/catalogs'),
      input: s.createCatalogInput,
      handle: async (input, req) => {
        const e = await engine();
        if (input.provider_name || input.share_name || input.connection_name) throw notImplemented('not supported by the emulator: Delta Sharing and foreign catalogs');
        await uc(() =>
          e.catalog.createCatalog(input.name, req.principal.userName, {
            ...(input.comment !== undefined ? { comment: input.comment } : {}),
            ...(input.properties ? { properties: input.properties } : {}),
            ...(input.storage_root ? { storageRoot: input.storage_root } : {}),
          }),
        );
        return e.catalog.catalogInfo(input.name.toLowerCase(), req.principal.userName);
      },
    }),
    route({
      method: 'GET',
      paths: p('/catalogs/{name}'),
      input: s.getTableInput,
      handle: async (_input, req) => {
        const e = await engine();
        const name = req.params.name!.toLowerCase();
        await uc(() => e.catalog.requireCatalog(name));
        return e.catalog.catalogInfo(name, req.principal.userName);
      },
    }),
    route({
      method: 'PATCH',
      paths: p('/catalogs/{name}'),
      input: s.updateInput,
      handle: async (input, req) => {
        const e = await engine();
        const name = req.params.name!.toLowerCase();
        await uc(() => e.catalog.requireCatalog(name));
        applyUpdate(e, name, input, req.principal.userName);
        return e.catalog.catalogInfo(name, req.principal.userName);
      },
    }),
    route({
      method: 'DELETE',
      paths: p('/catalogs/{name}'),
      input: s.deleteInput,
      handle: async (input, req) => {
        const e = await engine();
        await uc(() => e.catalog.deleteCatalog(req.params.name!.toLowerCase(), input.force ?? false));
        return {};
      },
    }),
    // ---- schemas ----
    route({
      method: 'GET',
      paths: p('/schemas'),
      input: s.listSchemasInput,
      handle: async (input, req) => {
        const e = await engine();
        const c = input.catalog_name.toLowerCase();
        await uc(() => e.catalog.requireCatalog(c));
        const { page, next_page_token } = ucPage(await e.catalog.schemaNames(c), input.max_results, input.page_token);
        return { schemas: page.map((n) => e.catalog.schemaInfo(c, n, req.principal.userName)), ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'POST',
      paths: p('/schemas'),
      input: s.createSchemaInput,
      handle: async (input, req) => {
        const e = await engine();
        const c = input.catalog_name.toLowerCase();
        await uc(() =>
          e.catalog.createSchema(c, input.name, req.principal.userName, {
            ...(input.comment !== undefined ? { comment: input.comment } : {}),
            ...(input.properties ? { properties: input.properties } : {}),
            ...(input.storage_root ? { storageRoot: input.storage_root } : {}),
          }),
        );
        return e.catalog.schemaInfo(c, input.name.toLowerCase(), req.principal.userName);
      },
    }),
    route({
      method: 'GET',
      paths: p('/schemas/{full_name}'),
      input: s.getTableInput,
      handle: async (_input, req) => {
        const e = await engine();
        const [c, sc] = splitName(req.params.full_name!, 2, 'schema') as [string, string];
        await uc(() => e.catalog.requireSchema(c, sc));
        return e.catalog.schemaInfo(c, sc, req.principal.userName);
      },
    }),
    route({
      method: 'PATCH',
      paths: p('/schemas/{full_name}'),
      input: s.updateInput,
      handle: async (input, req) => {
        const e = await engine();
        const [c, sc] = splitName(req.params.full_name!, 2, 'schema') as [string, string];
        await uc(() => e.catalog.requireSchema(c, sc));
        applyUpdate(e, `${c}.${sc}`, input, req.principal.userName);
        return e.catalog.schemaInfo(c, sc, req.principal.userName);
      },
    }),
    route({
      method: 'DELETE',
      paths: p('/schemas/{full_name}'),
      input: s.deleteInput,
      handle: async (input, req) => {
        const e = await engine();
        const [c, sc] = splitName(req.params.full_name!, 2, 'schema') as [string, string];
        await uc(() => e.catalog.deleteSchema(c, sc, input.force ?? false));
        return {};
      },
    }),
    // ---- tables ----
    route({
      method: 'GET',
      paths: p('/tables'),
      input: s.listTablesInput,
      handle: async (input, req) => {
        const e = await engine();
        const c = input.catalog_name.toLowerCase();
        const sc = input.schema_name.toLowerCase();
        await uc(() => e.catalog.requireSchema(c, sc));
        const { page, next_page_token } = ucPage(await e.catalog.tableRows(c, sc), input.max_results, input.page_token);
        const tables = [];
        for (const row of page) {
          tables.push(await e.catalog.tableInfo(c, sc, row, req.principal.userName, { omitColumns: input.omit_columns ?? false, omitProperties: input.omit_properties ?? false }));
        }
        return { tables, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'GET',
      paths: p('/table-summaries'),
      input: s.listTableSummariesInput,
      handle: async (input) => {
        const e = await engine();
        const all = await uc(() => e.catalog.tableSummaries(input.catalog_name.toLowerCase(), input.schema_name_pattern, input.table_name_pattern));
        // Unset and 0 both mean the server's page size here (10,000 per the API docs), not "everything".
        const { page, next_page_token } = ucPage(all, input.max_results ?? 0, input.page_token, { pageSize: SUMMARIES_PAGE_SIZE, maxPageSize: SUMMARIES_PAGE_SIZE });
        return { tables: page, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'POST',
      paths: p('/tables'),
      input: s.createTableInput,
      handle: async (input, req) => {
        const e = await engine();
        const [c, sc, t] = [input.catalog_name.toLowerCase(), input.schema_name.toLowerCase(), input.name.toLowerCase()];
        await uc(() =>
          e.catalog.createTable(c, sc, t, req.principal.userName, {
            columns: input.columns ?? [],
            tableType: input.table_type,
            dataSourceFormat: input.data_source_format,
            storageLocation: input.storage_location,
            ...(input.comment !== undefined ? { comment: input.comment } : {}),
            ...(input.properties ? { properties: input.properties } : {}),
          }),
        );
        return e.catalog.tableInfo(c, sc, await e.catalog.findTable(c, sc, t), req.principal.userName);
      },
    }),
    route({
      method: 'GET',
      paths: p('/tables/{full_name}/exists'),
      input: s.getTableInput,
      handle: async (_input, req) => {
        const e = await engine();
        const [c, sc, t] = splitName(req.params.full_name!, 3, 'table') as [string, string, string];
        const exists = await e.catalog.findTable(c, sc, t).then(
          () => true,
          () => false,
        );
        return { table_exists: exists };
      },
    }),
    route({
      method: 'GET',
      paths: p('/tables/{full_name}'),
      input: s.getTableInput,
      handle: async (_input, req) => {
        const e = await engine();
        const [c, sc, t] = splitName(req.params.full_name!, 3, 'table') as [string, string, string];
        const row = await uc(() => e.catalog.findTable(c, sc, t));
        return e.catalog.tableInfo(c, sc, row, req.principal.userName);
      },
    }),
    route({
      method: 'PATCH',
      paths: p('/tables/{full_name}'),
      input: s.updateInput,
      handle: async (input, req) => {
        const e = await engine();
        const [c, sc, t] = splitName(req.params.full_name!, 3, 'table') as [string, string, string];
        await uc(() => e.catalog.findTable(c, sc, t));
        applyUpdate(e, `${c}.${sc}.${t}`, input, req.principal.userName);
        return {};
      },
    }),
    route({
      method: 'DELETE',
      paths: p('/tables/{full_name}'),
      input: s.getTableInput,
      handle: async (_input, req) => {
        const e = await engine();
        const [c, sc, t] = splitName(req.params.full_name!, 3, 'table') as [string, string, string];
        await uc(() => e.catalog.deleteTable(c, sc, t));
        return {};
      },
    }),
  ];
}
