import type { PermissionsApi } from '../permissions/api.js';
import type { ServiceModule } from '../types.js';
import type { UnityCatalogApi } from '../unity-catalog/index.js';
import type { WarehousesApi } from '../warehouses/index.js';
import { closeLinkServer } from './external-links.js';
import { StatementsModel, type ChunkLimits } from './model.js';
import { SavedQueries } from './queries.js';
import { statementRoutes } from './routes.js';
import { historyRoutes } from './history-routes.js';
import { notebookTaskExecutor, sqlTaskExecutor } from './sql-task.js';

/** For tests: shrink INLINE chunks to exercise chunk fetching with small results. */
export interface StatementsApi {
  setChunkLimits(limits: Partial<ChunkLimits>): void;
  /** For tests of the history's memory bound: keep only the newest `n` entries. */
  setHistoryLimit(n: number): void;
}

export const statementsService: ServiceModule = {
  name: 'statements',
  create(ctx) {
    const engine = () => {
      const uc = ctx.service<UnityCatalogApi>('unity-catalog');
      if (!uc) throw new Error('the unity-catalog service must be registered before statements');
      return uc.engine();
    };
    const model = new StatementsModel(ctx, engine, () => ctx.service<WarehousesApi>('warehouses'));
    const queries = new SavedQueries(ctx);
    // Jobs on real data: sql_task and SQL notebooks run on the same DuckDB engine.
    ctx.taskExecutors.register('sql_task', sqlTaskExecutor({ ctx, engine, queries, history: model.history, closed: () => model.closed }));
    ctx.taskExecutors.register('notebook_task', notebookTaskExecutor({ ctx, engine, queries, history: model.history, closed: () => model.closed }));
    const api: StatementsApi = {
      setChunkLimits: (l) => {
        model.chunkLimits = { ...model.chunkLimits, ...l };
      },
      setHistoryLimit: (n) => {
        model.history.limit = n;
        model.history.evict();
      },
    };
    return {
      routes: [...statementRoutes(model, () => ctx.service<PermissionsApi>('permissions')), ...queries.routes(), ...historyRoutes(model.history)],
      api,
      onEvent: (e) => model.onEvent(e.kind, e.data),
      close: async () => {
        model.close();
        await closeLinkServer(ctx.dataDir);
      },
      // Results live in DuckDB and expire within the hour, so statements (and their query history) are not persisted; saved queries are.
      snapshot: () => ({ queries: [...queries.queries.values()] }),
      restore(state) {
        const list = (state as { queries?: unknown }).queries;
        if (Array.isArray(list)) for (const q of list) if (typeof q?.id === 'string' && typeof q.query_text === 'string') queries.queries.set(q.id, { lifecycle_state: 'ACTIVE', last_modifier_user_name: q.owner_user_name, ...q });
      },
    };
  },
};
