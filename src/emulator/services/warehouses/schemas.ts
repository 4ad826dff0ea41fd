import { z } from 'zod';
import { bool, int } from '../../http/validation.js';

export const CHANNEL_NAMES = ['CHANNEL_NAME_CURRENT', 'CHANNEL_NAME_PREVIEW', 'CHANNEL_NAME_PREVIOUS', 'CHANNEL_NAME_CUSTOM', 'CHANNEL_NAME_UNSPECIFIED'] as const;
export const CLUSTER_SIZES = ['2X-Small', 'X-Small', 'Small', 'Medium', 'Large', 'X-Large', '2X-Large', '3X-Large', '4X-Large'] as const;

/** Fields of create and edit (edit takes the same set; absent fields keep their value). */
export const warehouseFields = z.object({
  name: z.string().min(1, 'must not be empty').max(99, 'must be shorter than 100 characters').optional(),
  cluster_size: z.enum(CLUSTER_SIZES).optional(),
  min_num_clusters: int().optional(),
  max_num_clusters: int().optional(),
  auto_stop_mins: int().optional(),
  enable_photon: bool().optional(),
  enable_serverless_compute: bool().optional(),
  warehouse_type: z.enum(['PRO', 'CLASSIC', 'TYPE_UNSPECIFIED']).optional(),
  spot_instance_policy: z.enum(['COST_OPTIMIZED', 'RELIABILITY_OPTIMIZED', 'POLICY_UNSPECIFIED']).optional(),
  channel: z
    .object({
      name: z.enum(CHANNEL_NAMES).optional(),
      dbsql_version: z.string().optional(),
    })
    .optional(),
  tags: z.object({ custom_tags: z.array(z.object({ key: z.string().min(1), value: z.string() })).optional() }).optional(),
  creator_name: z.string().optional(),
  instance_profile_arn: z.string().optional(),
});
export type WarehouseFields = z.output<typeof warehouseFields>;

export const listWarehousesInput = z.object({ page_size: int().optional(), page_token: z.string().optional(), run_as_user_id: int().optional() });
export const noInput = z.object({});
