import type { ServiceModule } from '../types.js';
import { ClustersModel, type ClusterRecord } from './model.js';
import { clusterRoutes } from './routes.js';

/** What other services (jobs) may ask of clusters. */
export interface ClustersApi {
  state(clusterId: string): string | undefined;
  /** Starts a TERMINATED cluster (what a job run does for existing_cluster_id); no-op otherwise. */
  ensureStarted(clusterId: string, user: string): void;
}

export const clustersService: ServiceModule = {
  name: 'clusters',
  create(ctx) {
    const model = new ClustersModel(ctx);
    const api: ClustersApi = {
      state: (id) => model.clusters.get(id)?.state,
      ensureStarted(id, user) {
        const c = model.clusters.get(id);
        if (c?.state === 'TERMINATED') model.start(c, user);
      },
    };
    return {
      routes: clusterRoutes(model),
      api,
      onEvent: (e) => model.onEvent(e.kind, e.data),
      snapshot: () => ({ clusters: [...model.clusters.values()], purged: [...model.purged] }),
      restore(state) {
        const s = state as { clusters?: unknown; purged?: unknown };
        if (Array.isArray(s.clusters)) {
          for (const c of s.clusters as ClusterRecord[]) if (typeof c?.cluster_id === 'string' && typeof c.state === 'string') model.clusters.set(c.cluster_id, c);
        }
        if (Array.isArray(s.purged)) for (const id of s.purged) if (typeof id === 'string') model.purged.add(id);
      },
    };
  },
};
