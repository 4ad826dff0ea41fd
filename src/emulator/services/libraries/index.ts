import { z } from 'zod';
import { invalidParameter } from '../../http/errors.js';
import { route, versions } from '../../http/router.js';
import { nonEmpty } from '../../http/validation.js';
import type { ClustersApi } from '../clusters/index.js';
import type { ServiceModule } from '../types.js';

/**
 * Libraries (`/api/2.0/libraries`, reference §2.3, §3.4): PENDING until the cluster runs, then
 * INSTALLING → INSTALLED (or FAILED) on running clusters; uninstall marks UNINSTALL_ON_RESTART and
 * the library goes once the cluster stops. Progress is evaluated when statuses are read or the
 * cluster is touched, so no timer polls clusters. A package whose name starts with
 * `emulator-fail` fails to install (test directive).
 */
export const INSTALL_MS = 15_000;

const library = z
  .object({
    jar: z.string().optional(),
    egg: z.string().optional(),
    whl: z.string().optional(),
    requirements: z.string().optional(),
    pypi: z.object({ package: nonEmpty(), repo: z.string().optional() }).optional(),
    maven: z.object({ coordinates: nonEmpty(), repo: z.string().optional(), exclusions: z.array(z.string()).optional() }).optional(),
    cran: z.object({ package: nonEmpty(), repo: z.string().optional() }).optional(),
  })
  .refine((l) => Object.values(l).filter((x) => x !== undefined).length === 1, 'exactly one of jar, egg, whl, requirements, pypi, maven, cran is required');
type Library = z.output<typeof library>;
const changeInput = z.object({ cluster_id: nonEmpty(), libraries: z.array(library).min(1, 'must not be empty') });

type Status = 'PENDING' | 'RESOLVING' | 'INSTALLING' | 'INSTALLED' | 'FAILED' | 'UNINSTALL_ON_RESTART';
interface LibState {
  library: Library;
  status: Status;
  messages: string[];
  key: string;
}

const keyOf = (l: Library) => JSON.stringify(Object.entries(l).filter(([, v]) => v !== undefined));
const nameOf = (l: Library) => l.pypi?.package ?? l.cran?.package ?? l.maven?.coordinates ?? l.jar ?? l.whl ?? l.egg ?? l.requirements ?? '';

export const librariesService: ServiceModule = {
  name: 'libraries',
  create(ctx) {
    const byCluster = new Map<string, LibState[]>();
    const clusterState = (id: string) => ctx.service<ClustersApi>('clusters')?.state(id);
    const requireCluster = (id: string) => {
      if (clusterState(id) === undefined) throw invalidParameter(`Cluster ${id} does not exist`);
    };
    /** Moves libraries along according to the cluster's state now. */
    const progress = (clusterId: string) => {
      const libs = byCluster.get(clusterId) ?? [];
      const running = clusterState(clusterId) === 'RUNNING';
      const stopped = clusterState(clusterId) === 'TERMINATED';
      if (stopped) byCluster.set(clusterId, libs.filter((l) => l.status !== 'UNINSTALL_ON_RESTART'));
      for (const l of byCluster.get(clusterId) ?? []) {
        if (l.status === 'PENDING' && running) {
          l.status = 'INSTALLING';
          ctx.schedule('installed', ctx.clock.now() + INSTALL_MS, { cluster_id: clusterId, key: l.key });
        }
        // A restart reinstalls what was installing when the cluster went away.
        if (l.status === 'INSTALLING' && !running) l.status = 'PENDING';
      }
    };
    const statuses = (clusterId: string) => {
      progress(clusterId);
      return (byCluster.get(clusterId) ?? []).map((l) => ({ library: l.library, status: l.status, ...(l.messages.length ? { messages: l.messages } : {}), is_library_for_all_clusters: false }));
    };
    const v = (s: string) => versions(['2.0'], `/libraries${s}`);
    return {
      routes: [
        route({
          method: 'POST',
          paths: v('/install'),
          input: changeInput,
          handle(input) {
            requireCluster(input.cluster_id);
            const libs = byCluster.get(input.cluster_id) ?? [];
            for (const lib of input.libraries) {
              const key = keyOf(lib);
              const existing = libs.find((l) => l.key === key);
              if (existing?.status === 'UNINSTALL_ON_RESTART') existing.status = 'INSTALLED';
              else if (!existing || existing.status === 'FAILED') {
                if (existing) libs.splice(libs.indexOf(existing), 1);
                libs.push({ library: lib, status: 'PENDING', messages: [], key });
              }
            }
            byCluster.set(input.cluster_id, libs);
            progress(input.cluster_id);
            return {};
          },
        }),
        route({
          method: 'POST',
          paths: v('/uninstall'),
          input: changeInput,
          handle(input) {
            requireCluster(input.cluster_id);
            const keys = new Set(input.libraries.map(keyOf));
            for (const l of byCluster.get(input.cluster_id) ?? []) if (keys.has(l.key)) l.status = 'UNINSTALL_ON_RESTART';
            return {};
          },
        }),
        route({
          method: 'GET',
          paths: v('/cluster-status'),
          input: z.object({ cluster_id: nonEmpty() }),
          handle(input) {
            requireCluster(input.cluster_id);
            const library_statuses = statuses(input.cluster_id);
            return { cluster_id: input.cluster_id, ...(library_statuses.length ? { library_statuses } : {}) };
          },
        }),
        route({
          method: 'GET',
          paths: v('/all-cluster-statuses'),
          input: z.object({}),
          handle: () => ({
            statuses: [...byCluster.keys()].filter((id) => clusterState(id) !== undefined).map((id) => ({ cluster_id: id, library_statuses: statuses(id) })),
          }),
        }),
      ],
      onEvent(e) {
        if (e.kind !== 'installed' || typeof e.data.cluster_id !== 'string') return;
        const l = byCluster.get(e.data.cluster_id)?.find((x) => x.key === e.data.key);
        if (!l || l.status !== 'INSTALLING' || clusterState(e.data.cluster_id) !== 'RUNNING') return;
        if (nameOf(l.library).startsWith('emulator-fail')) {
          l.status = 'FAILED';
          l.messages = [`Library installation failed for library due to user error for ${nameOf(l.library)}. Error messages: could not resolve ${nameOf(l.library)}`];
        } else l.status = 'INSTALLED';
      },
      snapshot: () => ({ libraries: [...byCluster].map(([id, libs]) => [id, libs]) }),
      restore(state) {
        const list = (state as { libraries?: unknown }).libraries;
        if (Array.isArray(list)) for (const e of list) if (Array.isArray(e) && typeof e[0] === 'string' && Array.isArray(e[1])) byCluster.set(e[0], e[1] as LibState[]);
      },
    };
  },
};
