import type { z } from 'zod';
import { route, type RouteDef } from '../../http/router.js';
import type { SqlEngine } from '../../sql/index.js';
import { p, uc } from './helpers.js';
import { ucPage } from './paginate.js';
import * as s from './storage-schemas.js';

/** What the five routes of a metastore-level object need from its store (StorageCredentials, ExternalLocations, Connections). */
interface Store<C, U> {
  create(name: string, user: string, input: C): string;
  update(name: string, user: string, input: U): string;
  delete(name: string, user: string, force: boolean): void;
  info(name: string, user?: string): Record<string, unknown>;
  visibleNames(user: string): string[];
}

/**
 * `/unity-catalog/<suffix>`: create, list (paged like every UC list; only what the caller may see),
 * get, PATCH (with `new_name`), delete (with `force`). Every check runs before anything is written.
 */
export function objectRoutes<CS extends z.ZodType<{ name: string }>, US extends z.ZodType>(
  engine: () => Promise<SqlEngine>,
  suffix: string,
  listField: string,
  store: (e: SqlEngine) => Store<z.output<CS>, z.output<US>>,
  inputs: { create: CS; update: US },
): RouteDef[] {
  const open = async () => store(await engine());
  return [
    route({
      method: 'POST',
      paths: p(`/${suffix}`),
      input: inputs.create,
      handle: async (input, req) => {
        const st = await open();
        const name = await uc(async () => st.create(input.name, req.principal.userName, input));
        return st.info(name);
      },
    }),
    route({
      method: 'GET',
      paths: p(`/${suffix}`),
      input: s.listInput,
      handle: async (input, req) => {
        const st = await open();
        const user = req.principal.userName;
        const { page, next_page_token } = ucPage(st.visibleNames(user), input.max_results, input.page_token);
        return { [listField]: page.map((n) => st.info(n)), ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'GET',
      paths: p(`/${suffix}/{name}`),
      input: s.readInput,
      handle: async (_input, req) => {
        const st = await open();
        return uc(async () => st.info(req.params.name!, req.principal.userName));
      },
    }),
    route({
      method: 'PATCH',
      paths: p(`/${suffix}/{name}`),
      input: inputs.update,
      handle: async (input, req) => {
        const st = await open();
        const name = await uc(async () => st.update(req.params.name!, req.principal.userName, input));
        return st.info(name);
      },
    }),
    route({
      method: 'DELETE',
      paths: p(`/${suffix}/{name}`),
      input: s.deleteInput,
      handle: async (input, req) => {
        const st = await open();
        await uc(async () => st.delete(req.params.name!, req.principal.userName, input.force ?? false));
        return {};
      },
    }),
  ];
}
