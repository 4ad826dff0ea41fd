import { route, type RouteDef } from '../../http/router.js';
import type { SqlEngine, VolumeRef } from '../../sql/index.js';
import { p, splitName, uc } from './helpers.js';
import { ucPage } from './paginate.js';
import * as s from './schemas.js';

/** The SDKs document the volumes page length as 10000 (unset and 0 alike), larger than other UC lists. */
const VOLUME_PAGE = { pageSize: 10_000, maxPageSize: 10_000 };

function ref(fullName: string): VolumeRef {
  const [catalog, schema, name] = splitName(fullName, 3, 'volume') as [string, string, string];
  return { catalog, schema, name };
}

/** `/unity-catalog/volumes`: create, list, read, update, delete (the volume objects; their files are the Files API's). */
export function volumeRoutes(engine: () => Promise<SqlEngine>): RouteDef[] {
  const volumes = async () => (await engine()).catalog.volumes;
  return [
    route({
      method: 'POST',
      paths: p('/volumes'),
      input: s.createVolumeInput,
      handle: async (input, req) => {
        const v = await volumes();
        const target = { catalog: input.catalog_name.toLowerCase(), schema: input.schema_name.toLowerCase(), name: input.name.toLowerCase() };
        await uc(() => v.create(target, req.principal.userName, { volumeType: input.volume_type, storageLocation: input.storage_location, comment: input.comment }));
        return v.info(target);
      },
    }),
    route({
      method: 'GET',
      paths: p('/volumes'),
      input: s.listVolumesInput,
      handle: async (input) => {
        const e = await engine();
        const [c, sc] = [input.catalog_name.toLowerCase(), input.schema_name.toLowerCase()];
        await uc(() => e.catalog.requireSchema(c, sc));
        const { page, next_page_token } = ucPage(e.catalog.volumes.names(c, sc), input.max_results, input.page_token, VOLUME_PAGE);
        const list = [];
        for (const name of page) list.push(await e.catalog.volumes.info({ catalog: c, schema: sc, name }));
        return { volumes: list, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'GET',
      paths: p('/volumes/{full_name}'),
      input: s.readVolumeInput,
      handle: async (_input, req) => {
        const v = await volumes();
        return uc(() => v.info(ref(req.params.full_name!)));
      },
    }),
    route({
      method: 'PATCH',
      paths: p('/volumes/{full_name}'),
      input: s.updateVolumeInput,
      handle: async (input, req) => {
        const v = await volumes();
        const target = await uc(() => v.update(ref(req.params.full_name!), req.principal.userName, input));
        return v.info(target);
      },
    }),
    route({
      method: 'DELETE',
      paths: p('/volumes/{full_name}'),
      input: s.readVolumeInput,
      handle: async (_input, req) => {
        const v = await volumes();
        await uc(() => v.delete(ref(req.params.full_name!)));
        return {};
      },
    }),
  ];
}
