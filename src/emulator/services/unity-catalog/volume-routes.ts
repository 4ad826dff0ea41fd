import { route, type RouteDef } from '../../http/router.js';
import { securableFor, volumeSecurable as securable, type SqlEngine, type VolumeRef } from '../../sql/index.js';
import { accessOf, checkCreate, p, shown, splitName, uc } from './helpers.js';
import { ucPage } from './paginate.js';
import * as s from './schemas.js';

/** The SDKs document the volumes page length as 10000 (unset and 0 alike), larger than other UC lists. */
const VOLUME_PAGE = { pageSize: 10_000, maxPageSize: 10_000 };

function ref(fullName: string): VolumeRef {
  const [catalog, schema, name] = splitName(fullName, 3, 'volume') as [string, string, string];
  return { catalog, schema, name };
}

/**
 * `/unity-catalog/volumes`: create, list, read, update, delete (the volume objects; their files are
 * the Files API's). Non-admins see and change only what rest-access.ts allows.
 */
export function volumeRoutes(engine: () => Promise<SqlEngine>): RouteDef[] {
  return [
    route({
      method: 'POST',
      paths: p('/volumes'),
      input: s.createVolumeInput,
      handle: async (input, req) => {
        const e = await engine();
        const v = e.catalog.volumes;
        const target = { catalog: input.catalog_name.toLowerCase(), schema: input.schema_name.toLowerCase(), name: input.name.toLowerCase() };
        await checkCreate(accessOf(e, req), () => e.catalog.requireSchema(target.catalog, target.schema), securableFor('schema', [target.catalog, target.schema]), 'CREATE_VOLUME');
        await uc(() => v.create(target, req.principal.userName, { volumeType: input.volume_type, storageLocation: input.storage_location, comment: input.comment }));
        return v.info(target);
      },
    }),
    route({
      method: 'GET',
      paths: p('/volumes'),
      input: s.listVolumesInput,
      handle: async (input, req) => {
        const e = await engine();
        const v = e.catalog.volumes;
        const [c, sc] = [input.catalog_name.toLowerCase(), input.schema_name.toLowerCase()];
        await uc(() => e.catalog.requireSchema(c, sc));
        const access = accessOf(e, req);
        const refs = v.names(c, sc).map((name) => ({ catalog: c, schema: sc, name }));
        const { page, next_page_token } = ucPage(access.visible(refs, (r) => securable(v, r), input.include_browse), input.max_results, input.page_token, VOLUME_PAGE);
        const list = [];
        for (const { item: r, sight } of page) list.push(shown(await v.info(r), sight));
        return { volumes: list, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'GET',
      paths: p('/volumes/{full_name}'),
      input: s.readVolumeInput,
      handle: async (input, req) => {
        const e = await engine();
        const v = e.catalog.volumes;
        const r = ref(req.params.full_name!);
        const info = await uc(() => v.info(r));
        const sight = await uc(async () => accessOf(e, req).requireRead(securable(v, r), input.include_browse));
        return shown(info, sight);
      },
    }),
    route({
      method: 'PATCH',
      paths: p('/volumes/{full_name}'),
      input: s.updateVolumeInput,
      handle: async (input, req) => {
        const e = await engine();
        const v = e.catalog.volumes;
        const r = ref(req.params.full_name!);
        await uc(() => v.find(r));
        await uc(async () => accessOf(e, req).requireChange(securable(v, r), input.owner !== undefined));
        const target = await uc(() => v.update(r, req.principal.userName, input));
        return v.info(target);
      },
    }),
    route({
      method: 'DELETE',
      paths: p('/volumes/{full_name}'),
      input: s.readVolumeInput,
      handle: async (_input, req) => {
        const e = await engine();
        const v = e.catalog.volumes;
        const r = ref(req.params.full_name!);
        await uc(() => v.find(r));
        await uc(async () => accessOf(e, req).requireChange(securable(v, r)));
        await uc(() => v.delete(r));
        return {};
      },
    }),
  ];
}
