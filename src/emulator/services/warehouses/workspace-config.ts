import { invalidParameter } from '../../http/errors.js';
import type { InstanceProfilesApi } from '../instance-profiles/index.js';
import { requireRegistered } from '../instance-profiles/require.js';
import { SECURITY_POLICIES, workspaceConfigInput, type WorkspaceConfigInput } from './config-schema.js';

/**
 * Settings running warehouses pick up only by restarting. Docs: changing the SQL configuration
 * parameters "automatically restarts all running SQL warehouses" (SQL warehouse admin settings),
 * changing the data access settings "restarts all running SQL warehouses" (Data access
 * configurations), and Terraform's `databricks_sql_global_config` warns that changing any of its
 * parameters (security policy, instance profile, data access config, SQL parameters, Google service
 * account) restarts them. The channel is read as one of these (unverified); the enabled warehouse
 * types only limit creates and edits.
 */
const RESTARTING_FIELDS = ['security_policy', 'data_access_config', 'instance_profile_arn', 'google_service_account', 'sql_configuration_parameters', 'global_param', 'config_param', 'channel'] as const satisfies readonly (keyof WorkspaceConfigInput)[];

/** Docs: "JSON serialized size must be less than <= 512K" (read as KiB; unverified). */
export const DATA_ACCESS_CONFIG_MAX_BYTES = 512 * 1024;

/**
 * The workspace-level configuration every SQL warehouse shares (`/api/2.0/sql/config/warehouses`).
 *
 * A PUT replaces the whole config, as Terraform's `databricks_sql_global_config` and UCX treat it:
 * Terraform's delete PUTs only the defaults to clear the rest, UCX reads the config and sends back
 * every field it wants kept. Two refusals are the real service's sentences, seen in UCX issue
 * #2405 (400 INVALID_PARAMETER_VALUE): a missing security policy, then a missing
 * `enable_serverless_compute`. What a workspace that never set anything answers is a guess: the
 * policy Terraform restores on delete, and serverless on (docs: "only setting this to true is
 * allowed").
 */
export class WorkspaceWarehouseConfig {
  private current: WorkspaceConfigInput = { security_policy: 'DATA_ACCESS_CONTROL', enable_serverless_compute: true };

  view(): WorkspaceConfigInput {
    return structuredClone(this.current);
  }

  /**
   * Every check runs before anything changes: a refused PUT leaves the old config in place. Returns
   * whether a setting the warehouses run with changed (they restart: see RESTARTING_FIELDS).
   */
  set(input: WorkspaceConfigInput, profiles: InstanceProfilesApi | undefined): boolean {
    const next = checked(input);
    if (next.instance_profile_arn !== undefined) requireRegistered(profiles, next.instance_profile_arn, 'SQL warehouses');
    const restarts = RESTARTING_FIELDS.some((k) => JSON.stringify(this.current[k]) !== JSON.stringify(next[k]));
    this.current = next;
    return restarts;
  }

  /**
   * SDK: a type paired with `enabled: false` "will not be allowed as a value for warehouse_type in
   * CreateWarehouse and EditWarehouse"; a type the config leaves out stays allowed ("some types
   * cannot be disabled, they don't need to be specified"). The refusal's wording is the emulator's.
   */
  requireTypeEnabled(type: string): void {
    if (this.current.enabled_warehouse_types?.some((p) => p.warehouse_type === type && p.enabled === false)) {
      throw invalidParameter(`Warehouse type ${type} is disabled for this workspace (enabled_warehouse_types in /api/2.0/sql/config/warehouses).`);
    }
  }

  snapshot(): WorkspaceConfigInput {
    return this.current;
  }

  /** A stored config that no longer passes the checks is dropped for the default (profiles are not re-checked: they restore later). */
  restore(raw: unknown): void {
    const parsed = workspaceConfigInput.safeParse(raw);
    if (!parsed.success) return;
    try {
      this.current = checked(parsed.data);
    } catch {
      // keep the default
    }
  }
}

function checked(input: WorkspaceConfigInput): WorkspaceConfigInput {
  const { instance_profile_arn, ...rest } = input;
  if (!(SECURITY_POLICIES as readonly (string | undefined)[]).includes(rest.security_policy)) {
    throw invalidParameter('Endpoint security policy is required and must be one of NONE, DATA_ACCESS_CONTROL, PASSTHROUGH.');
  }
  if (rest.enable_serverless_compute === undefined) throw invalidParameter('enable_serverless_compute is required.');
  if (!rest.enable_serverless_compute) throw invalidParameter('enable_serverless_compute is deprecated and may only be set to true; got false.');
  const bytes = Buffer.byteLength(JSON.stringify(rest.data_access_config ?? []));
  if (bytes > DATA_ACCESS_CONFIG_MAX_BYTES) {
    throw invalidParameter(`data_access_config is ${bytes} bytes serialized as JSON; at most ${DATA_ACCESS_CONFIG_MAX_BYTES} (512K) are allowed.`);
  }
  const seen = new Set<string>();
  for (const [i, pair] of (rest.enabled_warehouse_types ?? []).entries()) {
    if (pair.warehouse_type === undefined) throw invalidParameter(`Missing required field: enabled_warehouse_types[${i}].warehouse_type`);
    if (seen.has(pair.warehouse_type)) throw invalidParameter(`enabled_warehouse_types names ${pair.warehouse_type} more than once.`);
    seen.add(pair.warehouse_type);
  }
  // An empty ARN means none (Terraform leaves an unset one out; other clients send "").
  return { ...rest, ...(instance_profile_arn ? { instance_profile_arn } : {}) };
}
