import { z } from 'zod';
import { invalidParameter, permissionDenied } from '../../http/errors.js';
import { listBody, offsetPage } from '../../http/paging.js';
import { route, versions, type ApiRequest, type RouteDef } from '../../http/router.js';
import { nonEmpty, nonNegInt } from '../../http/validation.js';
import type { ServiceContext } from '../types.js';
import { createConfigSchema, DESTINATION_TYPE, configView, onlyKind, updateConfigSchema } from './config.js';
import type { Destination, DestinationStore } from './store.js';

const BASE = '/notification-destinations';
const V = ['2.0'];
/** Page size when the client sends none (or 0), and the cap for larger ones. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

function requireAdmin(req: ApiRequest, action: string): void {
  if (!req.principal.isAdmin) throw permissionDenied(`Only workspace admins can ${action} notification destinations.`);
}

/** The config is shown to admins only (Python SDK: "Only returns for users with workspace admin permissions"). */
function view(d: Destination, req: ApiRequest): Record<string, unknown> {
  return {
    id: d.id,
    display_name: d.display_name,
    destination_type: DESTINATION_TYPE[d.config.kind],
    ...(req.principal.isAdmin ? { config: configView(d.config) } : {}),
  };
}

export function destinationRoutes(ctx: ServiceContext, store: DestinationStore): RouteDef[] {
  return [
    route({
      method: 'POST',
      paths: versions(V, BASE),
      input: z.object({ display_name: nonEmpty(), config: createConfigSchema }),
      handle(i, req) {
        requireAdmin(req, 'create');
        const kind = onlyKind(i.config);
        const d: Destination = { id: ctx.ids.uuid(), display_name: i.display_name, config: { kind, fields: { ...i.config[kind] } } };
        store.add(d);
        return view(d, req);
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, BASE),
      input: z.object({ page_size: nonNegInt().optional(), page_token: z.string().optional() }),
      handle(i) {
        const { page, next } = offsetPage(store.all(), i.page_token, Math.min(i.page_size || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
        const summaries = page.map((d) => ({ id: d.id, display_name: d.display_name, destination_type: DESTINATION_TYPE[d.config.kind] }));
        return listBody('results', summaries, next ? { next_page_token: next } : {});
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, `${BASE}/{id}`),
      input: z.object({}),
      handle: (_i, req) => view(store.find(req.params.id!), req),
    }),
    route({
      method: 'PATCH',
      paths: versions(V, `${BASE}/{id}`),
      input: z.object({ display_name: nonEmpty().optional(), config: updateConfigSchema.optional() }),
      handle(i, req) {
        requireAdmin(req, 'update');
        const d = store.find(req.params.id!);
        if (i.display_name === undefined && i.config === undefined) throw invalidParameter('At least one of display_name and config must be given.');
        let fields = d.config.fields;
        if (i.config) {
          const kind = onlyKind(i.config);
          if (kind !== d.config.kind) {
            throw invalidParameter(`The type of a notification destination cannot change: ${d.id} is ${DESTINATION_TYPE[d.config.kind]}, the update gives ${DESTINATION_TYPE[kind]}.`);
          }
          fields = { ...fields, ...Object.fromEntries(Object.entries(i.config[kind]!).filter(([, v]) => v !== undefined)) };
        }
        d.config = { kind: d.config.kind, fields };
        if (i.display_name !== undefined) d.display_name = i.display_name;
        return view(d, req);
      },
    }),
    route({
      method: 'DELETE',
      paths: versions(V, `${BASE}/{id}`),
      input: z.object({}),
      handle(_i, req) {
        requireAdmin(req, 'delete');
        store.delete(req.params.id!);
        return {};
      },
    }),
  ];
}
