import { z } from 'zod';
import { notFound } from '../../http/errors.js';
import { route, versions, type RouteDef } from '../../http/router.js';
import { nonEmpty } from '../../http/validation.js';
import type { ServiceContext } from '../types.js';

/**
 * Saved queries (`/api/2.0/sql/queries`), the minimum a `sql_task.query.query_id` needs:
 * create, get, list, delete. Query text, warehouse and default catalog/schema are kept.
 */
export interface SavedQuery {
  id: string;
  display_name: string;
  query_text: string;
  warehouse_id?: string;
  catalog?: string;
  schema?: string;
  owner_user_name: string;
  create_time: string;
  update_time: string;
}

const createInput = z.object({
  query: z.object({
    display_name: nonEmpty(),
    query_text: nonEmpty(),
    warehouse_id: z.string().optional(),
    catalog: z.string().optional(),
    schema: z.string().optional(),
    description: z.string().optional(),
  }),
});

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
    return [
      route({
        method: 'POST',
        paths: p(),
        input: createInput,
        handle: (input, req) => {
          const now = new Date(this.ctx.clock.now()).toISOString();
          const { description: _d, ...fields } = input.query;
          const q: SavedQuery = { id: this.ctx.ids.uuid(), ...fields, owner_user_name: req.principal.userName, create_time: now, update_time: now };
          this.queries.set(q.id, q);
          return q;
        },
      }),
      route({ method: 'GET', paths: p('/{id}'), input: z.object({}), handle: (_i, req) => this.get(req.params.id!) }),
      route({ method: 'GET', paths: p(), input: z.object({ page_size: z.unknown().optional(), page_token: z.string().optional() }), handle: () => ({ results: [...this.queries.values()] }) }),
      route({
        method: 'DELETE',
        paths: p('/{id}'),
        input: z.object({}),
        handle: (_i, req) => {
          this.get(req.params.id!);
          this.queries.delete(req.params.id!);
          return {};
        },
      }),
    ];
  }
}
