import { INSTANCE_PROFILES, type InstanceProfilesApi } from '../instance-profiles/index.js';
import type { PermissionsApi } from '../permissions/api.js';
import type { ServiceModule } from '../types.js';
import { workspaceConfigRoutes } from './config-routes.js';
import { WarehousesModel, type WarehouseRecord } from './model.js';
import { warehouseRoutes } from './routes.js';
import { WorkspaceWarehouseConfig } from './workspace-config.js';

/** What the statements service asks of warehouses. */
export interface WarehousesApi {
  /** undefined when unknown. */
  find(id: string): WarehouseRecord | undefined;
  /** Starts a STOPPED warehouse (statements auto-start it, as the real service does). */
  ensureStarted(id: string): void;
  /** A statement began (+1) or finished (-1): keeps auto-stop away while work runs. */
  activity(id: string, delta: 1 | -1): void;
}

export const warehousesService: ServiceModule = {
  name: 'warehouses',
  create(ctx) {
    const model = new WarehousesModel(ctx);
    const config = new WorkspaceWarehouseConfig();
    const api: WarehousesApi = {
      find: (id) => model.warehouses.get(id),
      ensureStarted(id) {
        const w = model.warehouses.get(id);
        if (w && (w.state === 'STOPPED' || w.state === 'STOPPING')) model.start(w);
      },
      activity(id, delta) {
        const w = model.warehouses.get(id);
        if (!w) return;
        w.active_statements = Math.max(0, w.active_statements + delta);
        model.touch(w);
        ctx.markDirty();
      },
    };
    return {
      routes: [
        ...warehouseRoutes(model, () => ctx.service<PermissionsApi>('permissions'), config),
        ...workspaceConfigRoutes(config, () => ctx.service<InstanceProfilesApi>(INSTANCE_PROFILES), () => model.restartRunning()),
      ],
      api,
      onEvent: (e) => model.onEvent(e.kind, e.data),
      snapshot: () => ({ warehouses: [...model.warehouses.values()], workspace_config: config.snapshot() }),
      restore(state) {
        config.restore((state as { workspace_config?: unknown }).workspace_config);
        const list = (state as { warehouses?: unknown }).warehouses;
        if (!Array.isArray(list)) return;
        for (const w of list as WarehouseRecord[]) {
          if (typeof w?.id === 'string' && typeof w.state === 'string' && typeof w.config === 'object' && w.config !== null) model.warehouses.set(w.id, { ...w, active_statements: 0 });
        }
      },
    };
  },
};
