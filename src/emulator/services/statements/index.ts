import type { PermissionsApi } from '../permissions/api.js';
import type { ServiceModule } from '../types.js';
import type { UnityCatalogApi } from '../unity-catalog/index.js';
import type { WarehousesApi } from '../warehouses/index.js';
import { StatementsModel, type ChunkLimits } from './model.js';
import { statementRoutes } from './routes.js';

/** For tests: shrink INLINE chunks to exercise chunk fetching with small results. */
export interface StatementsApi {
  setChunkLimits(limits: Partial<ChunkLimits>): void;
}

export const statementsService: ServiceModule = {
  name: 'statements',
  create(ctx) {
    const model = new StatementsModel(
      ctx,
      () => {
        const uc = ctx.service<UnityCatalogApi>('unity-catalog');
        if (!uc) throw new Error('the unity-catalog service must be registered before statements');
        return uc.engine();
      },
      () => ctx.service<WarehousesApi>('warehouses'),
    );
    const api: StatementsApi = {
      setChunkLimits: (l) => {
        model.chunkLimits = { ...model.chunkLimits, ...l };
      },
    };
    return {
      routes: statementRoutes(model, () => ctx.service<PermissionsApi>('permissions')),
      api,
      onEvent: (e) => model.onEvent(e.kind, e.data),
      // Results live in DuckDB and expire within the hour; statements are not persisted.
    };
  },
};
