import { describe, expect, it } from 'vitest';
import { BadRequestError, PermissionDeniedError, ValidationError, type SetWorkspaceWarehouseConfigRequest } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

const ctx = useEmulator();

describe('workspace SQL warehouse config through the client', () => {
  it('get → set (replaces) → get; a disabled type refuses warehouse create; typed errors; bad input never sent', async () => {
    expect(await ctx.client.warehouses.getWorkspaceWarehouseConfig()).toEqual({ security_policy: 'DATA_ACCESS_CONTROL', enable_serverless_compute: true });

    const config: SetWorkspaceWarehouseConfigRequest = {
      security_policy: 'NONE',
      enable_serverless_compute: true,
      data_access_config: [{ key: 'spark.sql.hive.metastore.jars', value: 'builtin' }],
      sql_configuration_parameters: { configuration_pairs: [{ key: 'ANSI_MODE', value: 'false' }] },
      enabled_warehouse_types: [{ warehouse_type: 'CLASSIC', enabled: false }],
    };
    expect(await ctx.client.warehouses.setWorkspaceWarehouseConfig(config)).toEqual({});
    expect(await ctx.client.warehouses.getWorkspaceWarehouseConfig()).toEqual(config);
    const classic = await ctx.client.warehouses.create({ name: 'client-classic', warehouse_type: 'CLASSIC' }).catch((e: unknown) => e);
    expect(classic).toBeInstanceOf(BadRequestError);
    expect((classic as Error).message).toContain('Warehouse type CLASSIC is disabled for this workspace');

    await ctx.client.warehouses.setWorkspaceWarehouseConfig({ security_policy: 'DATA_ACCESS_CONTROL', enable_serverless_compute: true });
    expect(await ctx.client.warehouses.getWorkspaceWarehouseConfig()).toEqual({ security_policy: 'DATA_ACCESS_CONTROL', enable_serverless_compute: true });
    await expect(ctx.client.warehouses.setWorkspaceWarehouseConfig({ security_policy: 'OPEN', enable_serverless_compute: true })).rejects.toBeInstanceOf(BadRequestError);

    const user = ctx.makeClient({ token: 'dapi-integration-user-2' });
    expect(await user.warehouses.getWorkspaceWarehouseConfig()).toEqual({ security_policy: 'DATA_ACCESS_CONTROL', enable_serverless_compute: true });
    await expect(user.warehouses.setWorkspaceWarehouseConfig({ security_policy: 'NONE', enable_serverless_compute: true })).rejects.toBeInstanceOf(PermissionDeniedError);

    const sent = ctx.events.length;
    const refused = [
      { enable_serverless_compute: true },
      { security_policy: 'NONE' },
      { security_policy: 'NONE', enable_serverless_compute: false },
    ] as unknown as SetWorkspaceWarehouseConfigRequest[];
    for (const req of refused) await expect(ctx.client.warehouses.setWorkspaceWarehouseConfig(req)).rejects.toBeInstanceOf(ValidationError);
    expect(ctx.events.length).toBe(sent);
  });
});
