import { route, type RouteDef } from '../../http/router.js';
import { securableFor, type SqlEngine } from '../../sql/index.js';
import { accessOf, applyUpdate, checkCreate, p, shown, splitName, uc } from './helpers.js';
import { ucPage } from './paginate.js';
import * as s from './schemas.js';

/** The table-summaries page size when max_results is unset, 0 or larger ("10000, as of 1/5/2024"). */
const SUMMARIES_PAGE_SIZE = 10_000;

/** A table or view as a securable (a view takes no MODIFY, so what it inherits differs). */
const tableSecurable = (c: string, sc: string, t: string, isView: boolean) => securableFor(isView ? 'view' : 'table', [c, sc, t]);

/** `/unity-catalog/tables` and `table-summaries`. Non-admins see and change only what rest-access.ts allows. */
export function tableRoutes(engine: () => Promise<SqlEngine>): RouteDef[] {
  return [
    route({
      method: 'GET',
      paths: p('/tables'),
      input: s.listTablesInput,
      handle: async (input, req) => {
        const e = await engine();
        const c = input.catalog_name.toLowerCase();
        const sc = input.schema_name.toLowerCase();
        await uc(() => e.catalog.requireSchema(c, sc));
        const access = accessOf(e, req);
        const rows = access.visible(await e.catalog.tableRows(c, sc), ([, t, isView]) => tableSecurable(c, sc, t, isView), input.include_browse);
        const { page, next_page_token } = ucPage(rows, input.max_results, input.page_token);
        const tables = [];
        for (const { item: row, sight } of page) {
          const info = await e.catalog.tableInfo(c, sc, row, access.firstSight(e.defaultUser), { omitColumns: input.omit_columns ?? false, omitProperties: input.omit_properties ?? false });
          tables.push(shown(info, sight));
        }
        return { tables, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'GET',
      paths: p('/table-summaries'),
      input: s.listTableSummariesInput,
      handle: async (input, req) => {
        const e = await engine();
        const c = input.catalog_name.toLowerCase();
        const access = accessOf(e, req);
        const all = await uc(() => e.catalog.tableSummaries(c, input.schema_name_pattern, input.table_name_pattern));
        // Summaries list what the caller could read (the API has no include_browse here).
        const visible = all.filter((t) => {
          const [, sc, name] = t.full_name.split('.') as [string, string, string];
          return access.sight(tableSecurable(c, sc, name, t.table_type === 'VIEW')) === 'full';
        });
        // Unset and 0 both mean the server's page size here (10,000 per the API docs), not "everything".
        const { page, next_page_token } = ucPage(visible, input.max_results ?? 0, input.page_token, { pageSize: SUMMARIES_PAGE_SIZE, maxPageSize: SUMMARIES_PAGE_SIZE });
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
        await checkCreate(accessOf(e, req), () => e.catalog.requireSchema(c, sc), securableFor('schema', [c, sc]), 'CREATE_TABLE');
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
        const row = await e.catalog.findTable(c, sc, t).catch(() => undefined);
        // BROWSE on the catalog is enough to ask (SDK docs); an existing table the caller cannot see at all is a 403.
        if (row) await uc(async () => accessOf(e, req).requireRead(tableSecurable(c, sc, t, row[2]), true));
        return { table_exists: row !== undefined };
      },
    }),
    route({
      method: 'GET',
      paths: p('/tables/{full_name}'),
      input: s.getTableInput,
      handle: async (input, req) => {
        const e = await engine();
        const [c, sc, t] = splitName(req.params.full_name!, 3, 'table') as [string, string, string];
        const row = await uc(() => e.catalog.findTable(c, sc, t));
        const access = accessOf(e, req);
        const sight = await uc(async () => access.requireRead(tableSecurable(c, sc, t, row[2]), input.include_browse));
        return shown(await e.catalog.tableInfo(c, sc, row, access.firstSight(e.defaultUser)), sight);
      },
    }),
    route({
      method: 'PATCH',
      paths: p('/tables/{full_name}'),
      input: s.updateInput,
      handle: async (input, req) => {
        const e = await engine();
        const [c, sc, t] = splitName(req.params.full_name!, 3, 'table') as [string, string, string];
        const row = await uc(() => e.catalog.findTable(c, sc, t));
        await uc(async () => accessOf(e, req).requireChange(tableSecurable(c, sc, t, row[2]), input.owner !== undefined));
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
        const row = await uc(() => e.catalog.findTable(c, sc, t));
        await uc(async () => accessOf(e, req).requireChange(tableSecurable(c, sc, t, row[2])));
        await uc(() => e.catalog.deleteTable(c, sc, t));
        return {};
      },
    }),
  ];
}
