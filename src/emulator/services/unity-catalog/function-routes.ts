import { z } from 'zod';
import { invalidParameter, notImplemented } from '../../http/errors.js';
import { route, type RouteDef } from '../../http/router.js';
import { bool, int, nonEmpty } from '../../http/validation.js';
import { securableFor, SqlError, type SqlEngine } from '../../sql/index.js';
import type { FunctionParam } from '../../sql/function-macros.js';
import type { FunctionRef, Functions } from '../../sql/uc-functions.js';
import { accessOf, checkCreate, p, splitName, uc } from './helpers.js';
import { ucPage } from './paginate.js';

/** A FunctionParameterInfo as the SDKs send it (only what the emulator reads is checked). */
const parameter = z.looseObject({
  name: nonEmpty(),
  type_text: nonEmpty(),
  type_name: z.string().optional(),
  position: int().optional(),
  parameter_default: z.string().optional(),
  comment: z.string().optional(),
});
const parameters = z.looseObject({ parameters: z.array(parameter).optional() });

const createInput = z.object({
  function_info: z.looseObject({
    name: nonEmpty(),
    catalog_name: nonEmpty(),
    schema_name: nonEmpty(),
    input_params: parameters.optional(),
    data_type: z.string().optional(),
    full_data_type: z.string().optional(),
    return_params: parameters.optional(),
    routine_body: z.enum(['SQL', 'EXTERNAL']),
    routine_definition: nonEmpty(),
    is_deterministic: z.boolean().optional(),
    sql_data_access: z.enum(['CONTAINS_SQL', 'READS_SQL_DATA', 'NO_SQL']).optional(),
    comment: z.string().optional(),
  }),
});
const listInput = z.object({ catalog_name: nonEmpty(), schema_name: nonEmpty(), max_results: int().optional(), page_token: z.string().optional(), include_browse: bool().optional() });
const readInput = z.object({ include_browse: bool().optional() });
const deleteInput = z.object({ force: bool().optional() });
const updateInput = z.object({ owner: nonEmpty().optional() });

function ref(fullName: string): FunctionRef {
  const [catalog, schema, name] = splitName(fullName, 3, 'function') as [string, string, string];
  return { catalog, schema, name };
}

/** A function as a securable: its own grants and owner (under the key Grants.resolve gives it) and what its schema and catalog pass down. */
const securable = (fns: Functions, f: FunctionRef) => securableFor('function', [f.catalog, f.schema, f.name], fns.key(f));

/** Parameters in `position` order (the SDKs send it; without it, as listed). */
function params(list: z.infer<typeof parameter>[] | undefined): FunctionParam[] {
  return [...(list ?? [])]
    .map((x, i) => ({ x, at: x.position ?? i }))
    .sort((a, b) => a.at - b.at)
    .map(({ x }) => ({ name: x.name, typeText: x.type_text, ...(x.parameter_default !== undefined ? { default: x.parameter_default } : {}), ...(x.comment !== undefined ? { comment: x.comment } : {}) }));
}

/** A body or type that does not translate or resolve is a bad request, with the SQL error's text. */
async function sqlChecked<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await uc(fn);
  } catch (e) {
    if (e instanceof SqlError) throw invalidParameter(e.message);
    throw e;
  }
}

/**
 * `/unity-catalog/functions`: SQL functions (routine_body SQL), the same ones CREATE FUNCTION makes.
 * Non-admins see and change only what rest-access.ts allows.
 */
export function functionRoutes(engine: () => Promise<SqlEngine>): RouteDef[] {
  return [
    route({
      method: 'POST',
      paths: p('/functions'),
      input: createInput,
      handle: async ({ function_info: fi }, req) => {
        const e = await engine();
        const fns = e.catalog.functions;
        if (fi.routine_body === 'EXTERNAL') throw notImplemented('not supported by the emulator: EXTERNAL (Python) functions');
        const table = fi.data_type === 'TABLE_TYPE';
        const target = { catalog: fi.catalog_name.toLowerCase(), schema: fi.schema_name.toLowerCase(), name: fi.name.toLowerCase() };
        await checkCreate(accessOf(e, req), () => e.catalog.requireSchema(target.catalog, target.schema), securableFor('schema', [target.catalog, target.schema]), 'CREATE_FUNCTION');
        const returns = fi.full_data_type ?? fi.data_type;
        if (!table && returns === undefined) throw invalidParameter('function_info.full_data_type: required for a scalar function');
        await sqlChecked(() =>
          fns.create(
            {
              ...target,
              params: params(fi.input_params?.parameters),
              ...(table ? { table: params(fi.return_params?.parameters) } : { returns }),
              body: fi.routine_definition,
              ...(fi.comment !== undefined ? { comment: fi.comment } : {}),
              ...(fi.is_deterministic !== undefined ? { deterministic: fi.is_deterministic } : {}),
              ...(fi.sql_data_access && fi.sql_data_access !== 'NO_SQL' ? { dataAccess: fi.sql_data_access } : {}),
            },
            req.principal.userName,
          ),
        );
        return fns.info(target);
      },
    }),
    route({
      method: 'GET',
      paths: p('/functions'),
      input: listInput,
      handle: async (input, req) => {
        const e = await engine();
        const fns = e.catalog.functions;
        const [c, sc] = [input.catalog_name.toLowerCase(), input.schema_name.toLowerCase()];
        await uc(() => e.catalog.requireSchema(c, sc));
        const access = accessOf(e, req);
        // Functions have no BROWSE-only answer here: a list shows only what the caller may use.
        const refs = fns.names(c, sc).map((name) => ({ catalog: c, schema: sc, name }));
        const { page, next_page_token } = ucPage(refs.filter((f) => access.sight(securable(fns, f)) === 'full'), input.max_results, input.page_token);
        const list = [];
        for (const f of page) list.push(await fns.info(f));
        return { functions: list, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'GET',
      paths: p('/functions/{name}'),
      input: readInput,
      handle: async (_input, req) => {
        const e = await engine();
        const fns = e.catalog.functions;
        const f = ref(req.params.name!);
        const info = await uc(() => fns.info(f));
        await uc(async () => accessOf(e, req).requireRead(securable(fns, f)));
        return info;
      },
    }),
    route({
      method: 'PATCH',
      paths: p('/functions/{name}'),
      input: updateInput,
      handle: async (input, req) => {
        const e = await engine();
        const fns = e.catalog.functions;
        const f = ref(req.params.name!);
        await uc(() => fns.find(f));
        await uc(async () => accessOf(e, req).requireChange(securable(fns, f), input.owner !== undefined));
        if (input.owner !== undefined) fns.setOwner(f, input.owner, req.principal.userName);
        return fns.info(f);
      },
    }),
    route({
      method: 'DELETE',
      paths: p('/functions/{name}'),
      input: deleteInput,
      handle: async (_input, req) => {
        const e = await engine();
        const fns = e.catalog.functions;
        const f = ref(req.params.name!);
        await uc(() => fns.find(f));
        await uc(async () => accessOf(e, req).requireChange(securable(fns, f)));
        await uc(() => fns.delete(f));
        return {};
      },
    }),
  ];
}
