import { validate } from '../../http/validation.js';
import type { ClusterPoliciesApi } from '../cluster-policies/index.js';
import { INSTANCE_PROFILES, type InstanceProfilesApi } from '../instance-profiles/index.js';
import type { ServiceModule } from '../types.js';
import { ClustersModel, type ClusterRecord } from './model.js';
import { clusterRoutes } from './routes.js';
import { clusterSpecSchema } from './schemas.js';

/** What other services (jobs) may ask of clusters. */
export interface ClustersApi {
  state(clusterId: string): string | undefined;
  /** Starts a TERMINATED cluster (what a job run does for existing_cluster_id); no-op otherwise. */
  ensureStarted(clusterId: string, user: string): void;
  /** A JOB-source cluster for a run's new_cluster / job cluster (visible in clusters/list like the real ones). */
  createJobCluster(spec: Record<string, unknown>, user: string, name: string): string;
  /** Terminates a job cluster with JOB_FINISHED once its run is over. */
  finishJobCluster(clusterId: string): void;
  /** The clusters users made (not a run's JOB clusters), with their current specs: what policy compliance reads. */
  userClusters(): { cluster_id: string; spec: Record<string, unknown> }[];
  /** Policy enforcement's edit of a user-made cluster: the same state rules as clusters/edit (RUNNING restarts, TERMINATED just takes it). */
  replaceSpec(clusterId: string, spec: Record<string, unknown>, user: string): void;
}

export const clustersService: ServiceModule = {
  name: 'clusters',
  create(ctx) {
    const model = new ClustersModel(ctx);
    const api: ClustersApi = {
      state: (id) => model.clusters.get(id)?.state,
      ensureStarted(id, user) {
        const c = model.clusters.get(id);
        if (c?.state === 'TERMINATED' && c.cluster_source !== 'JOB') model.start(c, user);
      },
      userClusters: () => [...model.clusters.values()].filter((c) => c.cluster_source !== 'JOB').map((c) => ({ cluster_id: c.cluster_id, spec: c.spec as Record<string, unknown> })),
      // A policy's values must still make a valid spec (as on clusters/edit); checked before anything changes.
      replaceSpec: (id, spec, user) => model.replaceSpec(model.get(id), validate(clusterSpecSchema, spec), user),
      createJobCluster(spec, user, name) {
        // Job specs were only shape-checked at submit; fill what the cluster model needs.
        const parsed = clusterSpecSchema.safeParse({ spark_version: '15.4.x-scala2.12', ...spec, cluster_name: name });
        const clusterSpec = parsed.success ? parsed.data : { spark_version: String(spec.spark_version ?? '15.4.x-scala2.12'), cluster_name: name };
        return model.create(clusterSpec, user, 'JOB').cluster_id;
      },
      finishJobCluster(id) {
        const c = model.clusters.get(id);
        if (c) model.finishJobCluster(c);
      },
    };
    return {
      // Looked up per request: the policies and instance profiles services are created after this one.
      routes: clusterRoutes(
        model,
        () => ctx.service<ClusterPoliciesApi>('cluster-policies'),
        () => ctx.service<InstanceProfilesApi>(INSTANCE_PROFILES),
      ),
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
