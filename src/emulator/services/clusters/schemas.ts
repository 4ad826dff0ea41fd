import { z } from 'zod';
import { anyObject, bool, int, list, nonEmpty, nonNegInt, stringMap } from '../../http/validation.js';

/** Fields of a cluster spec (create/edit/update); unknown ones are dropped like the real API does. */
export const clusterSpecFields = {
  cluster_name: z.string().optional(),
  spark_version: nonEmpty(),
  num_workers: nonNegInt().optional(),
  autoscale: z.object({ min_workers: nonNegInt(), max_workers: nonNegInt() }).optional(),
  node_type_id: z.string().optional(),
  driver_node_type_id: z.string().optional(),
  instance_pool_id: z.string().optional(),
  driver_instance_pool_id: z.string().optional(),
  autotermination_minutes: nonNegInt().optional(),
  custom_tags: stringMap().optional(),
  spark_conf: stringMap().optional(),
  spark_env_vars: stringMap().optional(),
  aws_attributes: anyObject().optional(),
  azure_attributes: anyObject().optional(),
  gcp_attributes: anyObject().optional(),
  data_security_mode: z
    .enum([
      'NONE',
      'SINGLE_USER',
      'USER_ISOLATION',
      'DATA_SECURITY_MODE_AUTO',
      'DATA_SECURITY_MODE_STANDARD',
      'DATA_SECURITY_MODE_DEDICATED',
      'LEGACY_TABLE_ACL',
      'LEGACY_PASSTHROUGH',
      'LEGACY_SINGLE_USER',
      'LEGACY_SINGLE_USER_STANDARD',
    ])
    .optional(),
  single_user_name: z.string().optional(),
  runtime_engine: z.enum(['STANDARD', 'PHOTON', 'NULL']).optional(),
  policy_id: z.string().optional(),
  apply_policy_default_values: bool().optional(),
  init_scripts: z.array(anyObject()).optional(),
  cluster_log_conf: anyObject().optional(),
  docker_image: anyObject().optional(),
  ssh_public_keys: z.array(z.string()).optional(),
  enable_elastic_disk: bool().optional(),
  enable_local_disk_encryption: bool().optional(),
  kind: z.enum(['CLASSIC_PREVIEW']).optional(),
  is_single_node: bool().optional(),
  use_ml_runtime: bool().optional(),
  workload_type: anyObject().optional(),
};

export const clusterSpecSchema = z.object(clusterSpecFields);
export type ClusterSpec = z.infer<typeof clusterSpecSchema>;

export const createClusterSchema = z.object({
  ...clusterSpecFields,
  clone_from: z.object({ source_cluster_id: nonEmpty() }).optional(),
});

export const editClusterSchema = z.object({ cluster_id: nonEmpty(), ...clusterSpecFields });

export const updateClusterSchema = z.object({
  cluster_id: nonEmpty(),
  update_mask: nonEmpty(),
  cluster: clusterSpecSchema.partial().optional(),
});

export const clusterIdSchema = z.object({ cluster_id: nonEmpty() });
export const restartSchema = z.object({ cluster_id: nonEmpty(), restart_user: z.string().optional() });
export const resizeSchema = z.object({
  cluster_id: nonEmpty(),
  num_workers: nonNegInt().optional(),
  autoscale: z.object({ min_workers: nonNegInt(), max_workers: nonNegInt() }).optional(),
});
export const changeOwnerSchema = z.object({ cluster_id: nonEmpty(), owner_username: nonEmpty() });

export const CLUSTER_STATES = ['PENDING', 'RUNNING', 'RESTARTING', 'RESIZING', 'TERMINATING', 'TERMINATED', 'ERROR', 'UNKNOWN'] as const;
export type ClusterState = (typeof CLUSTER_STATES)[number];
export const CLUSTER_SOURCES = ['API', 'UI', 'JOB', 'MODELS', 'PIPELINE', 'PIPELINE_MAINTENANCE', 'SQL', 'SOQL'] as const;

export const listClustersSchema = z.object({
  page_size: nonNegInt().optional(),
  page_token: z.string().optional(),
  filter_by: z
    .object({
      cluster_states: list(z.enum(CLUSTER_STATES)).optional(),
      cluster_sources: list(z.enum(CLUSTER_SOURCES)).optional(),
      is_pinned: bool().optional(),
      policy_id: z.string().optional(),
    })
    .optional(),
  sort_by: z.object({ field: z.enum(['CLUSTER_NAME', 'DEFAULT']).optional(), direction: z.enum(['ASC', 'DESC']).optional() }).optional(),
});

export const eventsSchema = z.object({
  cluster_id: nonEmpty(),
  start_time: int().optional(),
  end_time: int().optional(),
  order: z.enum(['ASC', 'DESC']).optional(),
  event_types: list(z.string()).optional(),
  page_size: z.number().int().min(0).max(500).optional(),
  page_token: z.string().optional(),
  offset: nonNegInt().optional(),
  limit: z.number().int().min(0).max(500).optional(),
});
