import { invalidParameter } from '../../http/errors.js';
import { route, versions, type ApiRequest, type RouteDef } from '../../http/router.js';
import type { PermissionsApi } from '../permissions/api.js';
import { DEFAULT_WAREHOUSE_TYPE, type WarehouseRecord, type WarehousesModel } from './model.js';
import { listWarehousesInput, noInput, warehouseFields } from './schemas.js';
import type { WorkspaceWarehouseConfig } from './workspace-config.js';

const base = '/sql/warehouses';
const p = (suffix = '') => versions(['2.0'], `${base}${suffix}`);

/** Opaque page tokens (base64url of an offset); anything else is a 400. */
const encodePageToken = (offset: number) => Buffer.from(`wh:${offset}`).toString('base64url');
function decodePageToken(token: string): number {
  const m = /^wh:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw invalidParameter(`Invalid page token: ${token.slice(0, 40)}`);
  return Number(m[1]);
}

export function warehouseRoutes(model: WarehousesModel, permissions: () => PermissionsApi | undefined, config: WorkspaceWarehouseConfig): RouteDef[] {
  const need = (w: WarehouseRecord, req: ApiRequest, level: string, action: string) => permissions()?.require('warehouses', w.id, req.principal, level, action);
  return [
    route({
      method: 'POST',
      paths: p(),
      input: warehouseFields,
      handle(input, req) {
        config.requireTypeEnabled(input.warehouse_type ?? DEFAULT_WAREHOUSE_TYPE);
        const w = model.create(input, req.principal.userName);
        permissions()?.setOwner('warehouses', w.id, req.principal.userName);
        return { id: w.id };
      },
    }),
    route({
      method: 'GET',
      paths: p(),
      input: listWarehousesInput,
      handle(input, req) {
        const visible = [...model.warehouses.values()].filter(
          (w) => w.state !== 'DELETED' && (permissions()?.has('warehouses', w.id, req.principal, 'CAN_VIEW') ?? true),
        );
        const offset = input.page_token ? decodePageToken(input.page_token) : 0;
        const size = input.page_size && input.page_size > 0 ? input.page_size : visible.length;
        const page = visible.slice(offset, offset + size);
        const next = offset + size < visible.length ? encodePageToken(offset + size) : undefined;
        return { warehouses: page.map((w) => model.view(w)), ...(next ? { next_page_token: next } : {}) };
      },
    }),
    route({
      method: 'GET',
      paths: p('/{id}'),
      input: noInput,
      handle(_input, req) {
        const w = model.get(req.params.id!);
        need(w, req, 'CAN_VIEW', 'view');
        return model.view(w);
      },
    }),
    route({
      method: 'POST',
      paths: p('/{id}/edit'),
      input: warehouseFields,
      handle(input, req) {
        const w = model.get(req.params.id!);
        need(w, req, 'CAN_MANAGE', 'edit');
        // Only a type the edit names is checked: the docs say disabling a type may convert existing
        // warehouses, which the emulator does not do, so their edits must still go through.
        if (input.warehouse_type !== undefined) config.requireTypeEnabled(input.warehouse_type);
        model.edit(w, input);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: p('/{id}/start'),
      input: noInput,
      handle(_input, req) {
        const w = model.get(req.params.id!);
        // Anyone who may use a warehouse may start it (a query would start it anyway); stopping needs CAN_MANAGE.
        need(w, req, 'CAN_USE', 'start');
        model.start(w);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: p('/{id}/stop'),
      input: noInput,
      handle(_input, req) {
        const w = model.get(req.params.id!);
        need(w, req, 'CAN_MANAGE', 'stop');
        model.stop(w);
        return {};
      },
    }),
    route({
      method: 'DELETE',
      paths: p('/{id}'),
      input: noInput,
      handle(_input, req) {
        const w = model.get(req.params.id!);
        need(w, req, 'CAN_MANAGE', 'delete');
        model.delete(w);
        return {};
      },
    }),
  ];
}
