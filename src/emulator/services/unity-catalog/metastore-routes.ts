import { ApiError, notImplemented } from '../../http/errors.js';
import { route, type RouteDef } from '../../http/router.js';
import { METASTORE_NAME, type SqlEngine } from '../../sql/index.js';
import { p } from './helpers.js';
import { ucPage } from './paginate.js';
import * as s from './schemas.js';

/**
 * The workspace's one metastore, read-only: `current-metastore-assignment` (what `w.metastores.current()`
 * asks), `metastore_summary`, and `metastores` list/get. The emulator's catalogs all live in it, so
 * creating, changing, deleting or re-assigning metastores answers 501 instead of pretending.
 * The cloud and region match the zones `clusters/list-zones` reports (aws, us-west-2).
 */
const CLOUD = 'aws';
const REGION = 'us-west-2';
const DEFAULT_CATALOG = 'main';

function metastoreInfo(engine: SqlEngine): Record<string, unknown> {
  const id = engine.catalog.metastoreId;
  return {
    metastore_id: id,
    name: METASTORE_NAME,
    owner: engine.defaultUser,
    cloud: CLOUD,
    region: REGION,
    global_metastore_id: `${CLOUD}:${REGION}:${id}`,
    storage_root: `emulator://metastore/${id}`,
    privilege_model_version: '1.0',
    delta_sharing_scope: 'INTERNAL',
    external_access_enabled: false,
  };
}

export function metastoreRoutes(engine: () => Promise<SqlEngine>, workspaceId: number): RouteDef[] {
  const unsupported = notImplemented('not supported by the emulator: managing metastores (its workspace has one, which holds every catalog)');
  const refuse = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', suffix: string): RouteDef =>
    route({
      method,
      paths: p(suffix),
      input: s.anyBody,
      handle: () => {
        throw unsupported;
      },
    });
  return [
    route({
      method: 'GET',
      paths: p('/current-metastore-assignment'),
      input: s.noInput,
      handle: async () => ({ workspace_id: workspaceId, metastore_id: (await engine()).catalog.metastoreId, default_catalog_name: DEFAULT_CATALOG }),
    }),
    route({ method: 'GET', paths: p('/metastore_summary'), input: s.noInput, handle: async () => metastoreInfo(await engine()) }),
    route({
      method: 'GET',
      paths: p('/metastores'),
      input: s.listMetastoresInput,
      handle: async (input) => {
        const { page, next_page_token } = ucPage([metastoreInfo(await engine())], input.max_results, input.page_token);
        return { metastores: page, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'GET',
      paths: p('/metastores/{id}'),
      input: s.noInput,
      handle: async (_input, req) => {
        const e = await engine();
        if (req.params.id !== e.catalog.metastoreId) throw new ApiError(404, 'METASTORE_DOES_NOT_EXIST', `Metastore '${req.params.id}' does not exist.`);
        return metastoreInfo(e);
      },
    }),
    refuse('POST', '/metastores'),
    refuse('PATCH', '/metastores/{id}'),
    refuse('DELETE', '/metastores/{id}'),
    refuse('PUT', '/workspaces/{workspace_id}/metastore'),
    refuse('PATCH', '/workspaces/{workspace_id}/metastore'),
    refuse('DELETE', '/workspaces/{workspace_id}/metastore'),
  ];
}
