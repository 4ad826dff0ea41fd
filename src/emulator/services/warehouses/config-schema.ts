import { z } from 'zod';
import { bool } from '../../http/validation.js';
import { CHANNEL_NAMES } from './schemas.js';

/**
 * Body of `PUT /api/2.0/sql/config/warehouses` (docs "Set Workspace Warehouse Config"; field names
 * from the Python SDK 0.162.0 `SetWorkspaceWarehouseConfigRequest`). `security_policy` and
 * `enable_serverless_compute` are typed loosely here on purpose: the service refuses a missing or
 * wrong one with the real service's own sentences (./workspace-config.ts), not the generic ones.
 */
export const SECURITY_POLICIES = ['NONE', 'DATA_ACCESS_CONTROL', 'PASSTHROUGH'] as const;
/** The SDK's `WarehouseTypePairWarehouseType`; REALTIME is newer than the docs' list. */
export const PAIR_WAREHOUSE_TYPES = ['TYPE_UNSPECIFIED', 'CLASSIC', 'PRO', 'REALTIME'] as const;

const confPair = z.object({ key: z.string().optional(), value: z.string().optional() });
const repeatedPairs = z.object({ config_pair: z.array(confPair).optional(), configuration_pairs: z.array(confPair).optional() });

export const workspaceConfigInput = z.object({
  security_policy: z.string().optional(),
  data_access_config: z.array(confPair).optional(),
  instance_profile_arn: z.string().optional(),
  channel: z.object({ name: z.enum(CHANNEL_NAMES).optional(), dbsql_version: z.string().optional() }).optional(),
  enable_serverless_compute: bool().optional(),
  global_param: repeatedPairs.optional(),
  config_param: repeatedPairs.optional(),
  sql_configuration_parameters: repeatedPairs.optional(),
  enabled_warehouse_types: z.array(z.object({ warehouse_type: z.enum(PAIR_WAREHOUSE_TYPES).optional(), enabled: bool().optional() })).optional(),
  google_service_account: z.string().optional(),
});
export type WorkspaceConfigInput = z.output<typeof workspaceConfigInput>;
