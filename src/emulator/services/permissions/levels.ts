/** Permission levels per object type, lowest first (reference §2.10); a higher level implies the lower ones. */
export const LEVELS: Record<string, readonly string[]> = {
  clusters: ['CAN_ATTACH_TO', 'CAN_RESTART', 'CAN_MANAGE'],
  'cluster-policies': ['CAN_USE'],
  'instance-pools': ['CAN_ATTACH_TO', 'CAN_MANAGE'],
  jobs: ['CAN_VIEW', 'CAN_MANAGE_RUN', 'CAN_MANAGE', 'IS_OWNER'],
  pipelines: ['CAN_VIEW', 'CAN_RUN', 'CAN_MANAGE', 'IS_OWNER'],
  warehouses: ['CAN_VIEW', 'CAN_MONITOR', 'CAN_USE', 'CAN_MANAGE', 'IS_OWNER'],
  notebooks: ['CAN_READ', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE'],
  directories: ['CAN_READ', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE'],
  files: ['CAN_READ', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE'],
  repos: ['CAN_READ', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE'],
  authorization: ['CAN_USE'],
  experiments: ['CAN_READ', 'CAN_EDIT', 'CAN_MANAGE'],
  'serving-endpoints': ['CAN_VIEW', 'CAN_QUERY', 'CAN_MANAGE'],
};

/** The object_type the API reports and the object_id prefix, per path segment. */
export const OBJECT_NAMES: Record<string, { type: string; prefix: string }> = {
  clusters: { type: 'cluster', prefix: '/clusters/' },
  'cluster-policies': { type: 'cluster-policy', prefix: '/cluster-policies/' },
  'instance-pools': { type: 'instance-pool', prefix: '/instance-pools/' },
  jobs: { type: 'job', prefix: '/jobs/' },
  pipelines: { type: 'pipeline', prefix: '/pipelines/' },
  warehouses: { type: 'warehouses', prefix: '/sql/warehouses/' },
  notebooks: { type: 'notebook', prefix: '/notebooks/' },
  directories: { type: 'directory', prefix: '/directories/' },
  files: { type: 'file', prefix: '/files/' },
  repos: { type: 'repo', prefix: '/repos/' },
  authorization: { type: 'tokens', prefix: '/authorization/' },
  experiments: { type: 'mlflowExperiment', prefix: '/experiments/' },
  'serving-endpoints': { type: 'serving-endpoint', prefix: '/serving-endpoints/' },
};

/** Rank of `level` for `type` (-1 = not a level of that type). */
export function rank(type: string, level: string): number {
  return LEVELS[type]?.indexOf(level) ?? -1;
}

/** The owner level: IS_OWNER where the type has one, else its highest level. */
export function ownerLevel(type: string): string {
  const levels = LEVELS[type] ?? ['CAN_MANAGE'];
  return levels.includes('IS_OWNER') ? 'IS_OWNER' : levels[levels.length - 1]!;
}
