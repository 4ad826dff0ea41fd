import type { SqlEngine } from '../../sql/index.js';
import type { ServiceModule } from '../types.js';
import { SqlEngineHandle } from './engine-holder.js';
import { unityCatalogRoutes } from './routes.js';

/** The shared SQL engine, for the statements service and the sql_task executor. */
export interface UnityCatalogApi {
  engine(): Promise<SqlEngine>;
}

export const unityCatalogService: ServiceModule = {
  name: 'unity-catalog',
  create(ctx) {
    const handle = new SqlEngineHandle(ctx);
    const api: UnityCatalogApi = { engine: () => handle.get() };
    return {
      routes: unityCatalogRoutes(api.engine, ctx.workspaceId),
      api,
      // The tables themselves live in DuckDB files under the data dir, not in the JSON snapshot;
      // the marker tells restore() that persisted state is being loaded.
      snapshot: () => ({ storage: 'duckdb' }),
      restore: () => handle.keepState(),
      close: () => handle.close(),
    };
  },
};
