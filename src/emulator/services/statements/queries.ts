import { z } from 'zod';
import { invalidParameter, notFound } from '../../http/errors.js';
import { listBody, offsetPage } from '../../http/paging.js';
import { route, versions, type RouteDef } from '../../http/router.js';
import { int, nonEmpty } from '../../http/validation.js';
import type { ServiceContext } from '../types.js';

/**
 * Saved queries (`/api/2.0/sql/queries`), what a `sql_task.query.query_id` needs and the lifecycle
 * around it: create, get, list (ACTIVE only, by creation time, pages of `page_size` ≤ 100, default
 * 20), update (`update_mask`), and delete, which moves the query to the trash (lifecycle_state
 * TRASHED: still readable by id, gone from the list), as the real service does.
 */
export interface SavedQuery {
  id: string;
  display_name: string;
  query_text: string;
  description?: string;
  warehouse_id?: string;
  catalog?: string;
  schema?: string;
  owner_user_name: string;
  last_modifier_user_name: string;
  lifecycle_state: 'ACTIVE' | 'TRASHED';
  create_time: string;
  update_time: string;
}

const queryFields = {
  display_name: nonEmpty(),
  query_text: nonEmpty(),
  warehouse_id: z.string().optional(),
  catalog: z.string().optional(),
  schema: z.string().optional(),
  description: z.string().optional(),
};
const createInput = z.object({ query: z.object(queryFields) });
const updateInput = z.object({ update_mask: nonEmpty(), query: z.object(queryFields).partial() });
const listInput = z.object({ page_size: int().optional(), page_token: z.string().optional() });
const UPDATABLE = Object.keys(queryFields) as (keyof typeof queryFields)[];
const MAX_PAGE = 100;

export class SavedQueries {
  readonly queries = new Map<string, SavedQuery>();
  constructor(private readonly ctx: ServiceContext) {}

  get(id: string): SavedQuery {
    const q = this.queries.get(id);
    if (!q) throw notFound(`Query ${id} does not exist.`);
    return q;
  }

  routes(): RouteDef[] {
    const p = (s = '') => versions(['2.0'], `/sql/queries${s}`);
    const now = () => new Date(this.ctx.clock.now()).toISOString();
    return [
      route({
        method: 'POST',
        paths: p(),
        input: createInput,
        handle: (input, req) => {
          const at = now();
          const user = req.principal.userName;
          const q: SavedQuery = { id: this.ctx.ids.uuid(), ...input.query, owner_user_name: user, last_modifier_user_name: user, lifecycle_state: 'ACTIVE', create_time: at, update_time: at };
          this.queries.set(q.id, q);
          return q;
        },
      }),
      route({ method: 'GET', paths: p('/{id}'), input: z.object({}), handle: (_i, req) => this.get(req.params.id!) }),
      route({
        method: 'GET',
        paths: p(),
        input: listInput,
        handle: (i) => {
          const size = i.page_size || 20;
          if (size < 0 || size > MAX_PAGE) throw invalidParameter(`page_size must be between 0 and ${MAX_PAGE}.`);
          const active = [...this.queries.values()].filter((q) => q.lifecycle_state === 'ACTIVE').sort((a, b) => a.create_time.localeCompare(b.create_time));
          const { page, next } = offsetPage(active, i.page_token, size);
          return listBody('results', page, next ? { next_page_token: next } : {});
        },
      }),
      route({
        method: 'PATCH',
        paths: p('/{id}'),
        input: updateInput,
        handle: (input, req) => {
          const q = this.get(req.params.id!);
          const mask = input.update_mask === '*' ? UPDATABLE : input.update_mask.split(',').map((f) => f.trim());
          const unknown = mask.filter((f) => !UPDATABLE.includes(f as never));
          if (unknown.length > 0) throw invalidParameter(`update_mask names fields that cannot be updated: ${unknown.join(', ')}.`);
          const next: SavedQuery = { ...q };
          for (const f of mask as (keyof typeof queryFields)[]) {
            const value = input.query[f];
            if (value === undefined) delete next[f];
            else next[f] = value;
          }
          if (!next.display_name || !next.query_text) throw invalidParameter('A query needs a display_name and a query_text.');
          const updated: SavedQuery = { ...next, last_modifier_user_name: req.principal.userName, update_time: now() };
          this.queries.set(q.id, updated);
          return updated;
        },
      }),
      route({
        method: 'DELETE',
        paths: p('/{id}'),
        input: z.object({}),
        handle: (_i, req) => {
          const q = this.get(req.params.id!);
          if (q.lifecycle_state !== 'TRASHED') Object.assign(q, { lifecycle_state: 'TRASHED', update_time: now() });
          return {};
        },
      }),
    ];
  }
}
