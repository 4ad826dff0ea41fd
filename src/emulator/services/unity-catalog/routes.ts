import { notImplemented } from '../../http/errors.js';
import { route, type RouteDef } from '../../http/router.js';
import { securableFor, type SqlEngine } from '../../sql/index.js';
import { accessOf, applyUpdate, checkCreate, p, shown, splitName, uc } from './helpers.js';
import { ucPage } from './paginate.js';
import * as s from './schemas.js';
import { grantRoutes } from './grant-routes.js';
import { metastoreRoutes } from './metastore-routes.js';
import { volumeRoutes } from './volume-routes.js';
import { functionRoutes } from './function-routes.js';
import { storageRoutes } from './storage-routes.js';
import { connectionRoutes } from './connection-routes.js';
import { tableRoutes } from './table-routes.js';

/** Catalogs and schemas, and the other Unity Catalog routes. Non-admins are checked by rest-access.ts. */
export function unityCatalogRoutes(engine: () => Promise<SqlEngine>, workspaceId: number): RouteDef[] {
  return [
    ...metastoreRoutes(engine, workspaceId),
    ...tableRoutes(engine),
    ...volumeRoutes(engine),
    ...functionRoutes(engine),
    ...grantRoutes(engine),
    ...storageRoutes(engine),
    ...connectionRoutes(engine),
    // ---- catalogs ----
    route({
      method: 'GET',
      paths: p('/catalogs'),
      input: s.listCatalogsInput,
      handle: async (input, req) => {
        const e = await engine();
        const access = accessOf(e, req);
        // Filtered before paging, so pages and their tokens cover only what the caller may see.
        const names = access.visible(await e.catalog.catalogNames(), (n) => securableFor('catalog', [n]), input.include_browse);
        const { page, next_page_token } = ucPage(names, input.max_results, input.page_token);
        const catalogs = page.map(({ item: n, sight }) => shown(e.catalog.catalogInfo(n, access.firstSight(e.defaultUser)), sight));
        return { catalogs, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'POST',
      paths: p('/catalogs'),
      input: s.createCatalogInput,
      handle: async (input, req) => {
        const e = await engine();
        if (input.provider_name || input.share_name || input.connection_name) throw notImplemented('not supported by the emulator: Delta Sharing and foreign catalogs');
        await uc(async () => accessOf(e, req).requireCreateCatalog());
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
      handle: async (input, req) => {
        const e = await engine();
        const name = req.params.name!.toLowerCase();
        await uc(() => e.catalog.requireCatalog(name));
        const access = accessOf(e, req);
        const sight = await uc(async () => access.requireRead(securableFor('catalog', [name]), input.include_browse));
        return shown(e.catalog.catalogInfo(name, access.firstSight(e.defaultUser)), sight);
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
        await uc(async () => accessOf(e, req).requireChange(securableFor('catalog', [name]), input.owner !== undefined));
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
        const name = req.params.name!.toLowerCase();
        await uc(() => e.catalog.requireCatalog(name));
        await uc(async () => accessOf(e, req).requireChange(securableFor('catalog', [name])));
        await uc(() => e.catalog.deleteCatalog(name, input.force ?? false));
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
        const access = accessOf(e, req);
        const names = access.visible(await e.catalog.schemaNames(c), (n) => securableFor('schema', [c, n]), input.include_browse);
        const { page, next_page_token } = ucPage(names, input.max_results, input.page_token);
        const schemas = page.map(({ item: n, sight }) => shown(e.catalog.schemaInfo(c, n, access.firstSight(e.defaultUser)), sight));
        return { schemas, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'POST',
      paths: p('/schemas'),
      input: s.createSchemaInput,
      handle: async (input, req) => {
        const e = await engine();
        const c = input.catalog_name.toLowerCase();
        await checkCreate(accessOf(e, req), () => e.catalog.requireCatalog(c), securableFor('catalog', [c]), 'CREATE_SCHEMA');
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
      handle: async (input, req) => {
        const e = await engine();
        const [c, sc] = splitName(req.params.full_name!, 2, 'schema') as [string, string];
        await uc(() => e.catalog.requireSchema(c, sc));
        const access = accessOf(e, req);
        const sight = await uc(async () => access.requireRead(securableFor('schema', [c, sc]), input.include_browse));
        return shown(e.catalog.schemaInfo(c, sc, access.firstSight(e.defaultUser)), sight);
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
        await uc(async () => accessOf(e, req).requireChange(securableFor('schema', [c, sc]), input.owner !== undefined));
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
        await uc(() => e.catalog.requireSchema(c, sc));
        await uc(async () => accessOf(e, req).requireChange(securableFor('schema', [c, sc])));
        await uc(() => e.catalog.deleteSchema(c, sc, input.force ?? false));
        return {};
      },
    }),
  ];
}
