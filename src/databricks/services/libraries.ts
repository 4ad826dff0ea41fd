/** Libraries API 2.0 (§2.3). */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { nonEmpty, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';

const BASE = '/api/2.0/libraries';

const LIBRARY_KINDS = ['jar', 'egg', 'whl', 'requirements', 'pypi', 'maven', 'cran'] as const;

export const LibrarySchema = z
  .looseObject({
    jar: z.string().optional(),
    egg: z.string().optional(),
    whl: z.string().optional(),
    requirements: z.string().optional(),
    pypi: z.looseObject({ package: nonEmpty, repo: z.string().optional() }).optional(),
    maven: z.looseObject({ coordinates: nonEmpty, repo: z.string().optional(), exclusions: z.array(z.string()).optional() }).optional(),
    cran: z.looseObject({ package: nonEmpty, repo: z.string().optional() }).optional(),
  })
  .refine((l) => LIBRARY_KINDS.filter((k) => l[k] !== undefined).length === 1, {
    error: `must have exactly one of ${LIBRARY_KINDS.join(', ')}`,
  });
export type Library = z.infer<typeof LibrarySchema>;

const InstallSchema = z.looseObject({
  cluster_id: nonEmpty,
  libraries: z.array(LibrarySchema).min(1, { error: 'must not be empty' }),
});
export type InstallLibrariesRequest = z.infer<typeof InstallSchema>;
const ClusterIdSchema = z.looseObject({ cluster_id: nonEmpty });

export type LibraryInstallStatus = OpenEnum<
  'PENDING' | 'RESOLVING' | 'INSTALLING' | 'INSTALLED' | 'FAILED' | 'SKIPPED' | 'UNINSTALL_ON_RESTART' | 'RESTORED'
>;

export interface LibraryFullStatus {
  library?: Library;
  status?: LibraryInstallStatus;
  messages?: string[];
  is_library_for_all_clusters?: boolean;
}

export interface ClusterLibraryStatuses {
  cluster_id?: string;
  library_statuses?: LibraryFullStatus[];
}

export class LibrariesService {
  constructor(private readonly http: HttpClient) {}

  /** Installing an already-requested library is a no-op, so a repeat is safe. */
  async install(req: InstallLibrariesRequest, opts?: CallOptions): Promise<Empty> {
    const body = validate('libraries.install', InstallSchema, req);
    return this.http.request({ operation: 'libraries.install', method: 'POST', path: `${BASE}/install`, body, idempotent: true, ...opts });
  }

  /** Takes effect on restart; unknown libraries are ignored, so a repeat is safe. */
  async uninstall(req: InstallLibrariesRequest, opts?: CallOptions): Promise<Empty> {
    const body = validate('libraries.uninstall', InstallSchema, req);
    return this.http.request({ operation: 'libraries.uninstall', method: 'POST', path: `${BASE}/uninstall`, body, idempotent: true, ...opts });
  }

  async clusterStatus(req: In<typeof ClusterIdSchema>, opts?: CallOptions): Promise<ClusterLibraryStatuses> {
    const query = validate('libraries.clusterStatus', ClusterIdSchema, req);
    return this.http.request({ operation: 'libraries.clusterStatus', method: 'GET', path: `${BASE}/cluster-status`, query, idempotent: true, ...opts });
  }

  async allClusterStatuses(opts?: CallOptions): Promise<{ statuses?: ClusterLibraryStatuses[] }> {
    return this.http.request({ operation: 'libraries.allClusterStatuses', method: 'GET', path: `${BASE}/all-cluster-statuses`, idempotent: true, ...opts });
  }
}
