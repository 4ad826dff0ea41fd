import { describe, expect, it } from 'vitest';
import { acrossRestart, useAdminAndUser } from './helpers.js';

/** The workspace-level SQL warehouse config on the wire, and what it changes for warehouses. */

const P = '/api/2.0/sql/config/warehouses';
const W = '/api/2.0/sql/warehouses';
const ARN = 'arn:aws:iam::123456789012:instance-profile/sql';
const DEFAULT = { security_policy: 'DATA_ACCESS_CONTROL', enable_serverless_compute: true };
const FULL = {
  security_policy: 'PASSTHROUGH',
  enable_serverless_compute: true,
  data_access_config: [{ key: 'spark.sql.hive.metastore.version', value: '2.3.9' }],
  channel: { name: 'CHANNEL_NAME_CUSTOM', dbsql_version: '2025.15' },
  sql_configuration_parameters: { configuration_pairs: [{ key: 'ANSI_MODE', value: 'true' }] },
  global_param: { configuration_pairs: [{ key: 'old', value: '1' }] },
  config_param: { config_pair: [{ key: 'older', value: '2' }] },
  enabled_warehouse_types: [
    { warehouse_type: 'PRO', enabled: true },
    { warehouse_type: 'CLASSIC', enabled: true },
  ],
  google_service_account: 'sql@project.iam.gserviceaccount.com',
};
const invalid = (message: string) => ({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message } });

describe('workspace SQL warehouse config', () => {
  const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
  const put = (body: Record<string, unknown>, as = ctx.admin) => as.call('PUT', P, body).then((r) => ({ status: r.status, body: r.body }));
  const config = async (as = ctx.admin) => (await as.get(P)).body;

  it('PUT replaces the whole config; anyone reads it', async () => {
    expect(await config(ctx.user)).toEqual(DEFAULT);
    expect(await put(FULL)).toEqual({ status: 200, body: {} });
    expect(await config()).toEqual(FULL);
    expect(await config(ctx.user)).toEqual(FULL);
    // Fields left out of the next PUT are gone, not kept.
    expect(await put({ security_policy: 'NONE', enable_serverless_compute: true })).toEqual({ status: 200, body: {} });
    expect(await config()).toEqual({ security_policy: 'NONE', enable_serverless_compute: true });
  });

  it('only admins write; a refused PUT changes nothing', async () => {
    await put(FULL);
    expect(await put({ ...FULL, security_policy: 'NONE' }, ctx.user)).toEqual({
      status: 403,
      body: { error_code: 'PERMISSION_DENIED', message: 'Only workspace admins can change the SQL warehouse configuration of the workspace.' },
    });
    expect(await config()).toEqual(FULL);
  });

  it('refuses a missing or unknown security policy, a missing or false enable_serverless_compute, bad enums, duplicates and more than 512K of data access config', async () => {
    await put(FULL);
    const { security_policy: _p, ...noPolicy } = FULL;
    const { enable_serverless_compute: _s, ...noServerless } = FULL;
    const policy = invalid('Endpoint security policy is required and must be one of NONE, DATA_ACCESS_CONTROL, PASSTHROUGH.');
    expect(await put(noPolicy)).toEqual(policy);
    expect(await put({ ...FULL, security_policy: 'OPEN' })).toEqual(policy);
    expect(await put(noServerless)).toEqual(invalid('enable_serverless_compute is required.'));
    expect(await put({ ...FULL, enable_serverless_compute: false })).toEqual(invalid('enable_serverless_compute is deprecated and may only be set to true; got false.'));
    expect(await put({ ...FULL, channel: { name: 'CHANNEL_NAME_BETA' } })).toEqual(
      invalid('Invalid value for field channel.name: "CHANNEL_NAME_BETA" is not one of CHANNEL_NAME_CURRENT, CHANNEL_NAME_PREVIEW, CHANNEL_NAME_PREVIOUS, CHANNEL_NAME_CUSTOM, CHANNEL_NAME_UNSPECIFIED.'),
    );
    expect(await put({ ...FULL, enabled_warehouse_types: [{ warehouse_type: 'SERVERLESS', enabled: false }] })).toEqual(
      invalid('Invalid value for field enabled_warehouse_types[0].warehouse_type: "SERVERLESS" is not one of TYPE_UNSPECIFIED, CLASSIC, PRO, REALTIME.'),
    );
    expect(await put({ ...FULL, enabled_warehouse_types: [{ enabled: false }] })).toEqual(invalid('Missing required field: enabled_warehouse_types[0].warehouse_type'));
    expect(await put({ ...FULL, enabled_warehouse_types: [{ warehouse_type: 'PRO', enabled: true }, { warehouse_type: 'PRO', enabled: false }] })).toEqual(
      invalid('enabled_warehouse_types names PRO more than once.'),
    );
    expect(await put({ ...FULL, data_access_config: 'spark.x=1' })).toEqual(invalid('Invalid value for field data_access_config: expected array, got string.'));

    // [{"key":"k","value":"…"}] is 24 bytes around the value: 524288 bytes in all is the most allowed.
    const pairOf = (n: number) => [{ key: 'k', value: 'v'.repeat(n - 24) }];
    expect(await put({ ...FULL, data_access_config: pairOf(512 * 1024 + 1) })).toEqual(invalid('data_access_config is 524289 bytes serialized as JSON; at most 524288 (512K) are allowed.'));
    expect(await config()).toEqual(FULL);
    expect((await put({ ...DEFAULT, data_access_config: pairOf(512 * 1024) })).status).toBe(200);
  });

  it('instance_profile_arn must be a registered instance profile; an empty one means none', async () => {
    expect(await put({ ...DEFAULT, instance_profile_arn: ARN })).toEqual(
      invalid(`Instance profile ${ARN} is not registered in this workspace: an admin must add it (instance-profiles/add) before SQL warehouses can use it.`),
    );
    expect(await config()).toEqual(DEFAULT);
    expect((await ctx.admin.post('/api/2.0/instance-profiles/add', { instance_profile_arn: ARN })).status).toBe(200);
    expect(await put({ ...DEFAULT, instance_profile_arn: ARN })).toEqual({ status: 200, body: {} });
    expect(await config()).toEqual({ ...DEFAULT, instance_profile_arn: ARN });
    await put({ ...DEFAULT, instance_profile_arn: '' });
    expect(await config()).toEqual(DEFAULT);
  });

  it('a disabled warehouse type is refused on create (the default type included) and on an edit that names it', async () => {
    const made = await ctx.user.post<{ id: string }>(W, { name: 'classic', cluster_size: '2X-Small' });
    expect(made.status).toBe(200);
    await put({ ...DEFAULT, enabled_warehouse_types: [{ warehouse_type: 'PRO', enabled: true }, { warehouse_type: 'CLASSIC', enabled: false }] });

    const refusal = invalid('Warehouse type CLASSIC is disabled for this workspace (enabled_warehouse_types in /api/2.0/sql/config/warehouses).');
    for (const body of [{ name: 'c1', warehouse_type: 'CLASSIC' }, { name: 'c2' }]) {
      const r = await ctx.user.post(W, body);
      expect({ status: r.status, body: r.body }).toEqual(refusal);
    }
    expect((await ctx.user.post(W, { name: 'pro', warehouse_type: 'PRO' })).status).toBe(200);
    const pro = (await ctx.user.get<{ warehouses: { id: string; name: string }[] }>(W)).body.warehouses.find((w) => w.name === 'pro')!;
    const edit = await ctx.user.post(`${W}/${pro.id}/edit`, { warehouse_type: 'CLASSIC' });
    expect({ status: edit.status, body: edit.body }).toEqual(refusal);
    // A warehouse already CLASSIC keeps working: edits that do not name the type go through.
    expect((await ctx.user.post(`${W}/${made.body.id}/edit`, { auto_stop_mins: 30 })).status).toBe(200);
    expect((await ctx.user.get(W)).body).toMatchObject({ warehouses: [{ name: 'classic' }, { name: 'pro', warehouse_type: 'PRO' }] });

    // Left out is allowed: the next PUT without the pair enables CLASSIC again.
    await put(DEFAULT);
    expect((await ctx.user.post(W, { name: 'c3', warehouse_type: 'CLASSIC' })).status).toBe(200);
  });

  it('survives a restart with a data dir; a reset brings the default back', async () => {
    const after = await acrossRestart(
      (api) => api.call('PUT', P, FULL),
      async (api) => (await api.get(P)).body,
    );
    expect(after).toEqual(FULL);
    await put(FULL);
    await ctx.emu.reset();
    expect(await config()).toEqual(DEFAULT);
  });
});

describe('workspace SQL warehouse config: running warehouses restart when a setting they run with changes', () => {
  const ctx = useAdminAndUser({ tokens: ['dapi-admin'], speed: 0 });
  const put = (body: Record<string, unknown>) => ctx.admin.call('PUT', P, body).then((r) => r.status);
  const advance = (seconds: number) => ctx.admin.control('POST', '/clock', { advance_seconds: seconds });
  const state = async (id: string) => (await ctx.admin.get<{ state: string }>(`${W}/${id}`)).body.state;
  const running = async (name: string) => {
    const { id } = (await ctx.admin.post<{ id: string }>(W, { name, cluster_size: '2X-Small', auto_stop_mins: 0 })).body;
    await advance(300);
    expect(await state(id)).toBe('RUNNING');
    return id;
  };

  it('SQL parameters or data access settings changed: RUNNING and STARTING warehouses start over; STOPPED ones stay stopped', async () => {
    const a = await running('a');
    const stopped = await running('stopped');
    await ctx.admin.post(`${W}/${stopped}/stop`);
    await advance(60);
    expect(await state(stopped)).toBe('STOPPED');

    expect(await put({ ...DEFAULT, sql_configuration_parameters: { configuration_pairs: [{ key: 'ANSI_MODE', value: 'false' }] } })).toBe(200);
    expect(await state(a)).toBe('STARTING');
    expect(await state(stopped)).toBe('STOPPED');
    // A restart takes a full start time from the change: a warehouse STARTING then starts over too.
    await advance(100);
    expect(await state(a)).toBe('STARTING');
    expect(await put({ ...DEFAULT, data_access_config: [{ key: 'spark.sql.session.timeZone', value: 'UTC' }] })).toBe(200);
    await advance(100);
    expect(await state(a)).toBe('STARTING');
    await advance(100);
    expect(await state(a)).toBe('RUNNING');
  });

  it('no restart for the same settings again, a change of enabled warehouse types only, or a refused PUT', async () => {
    const a = await running('b');
    const same = { ...DEFAULT, sql_configuration_parameters: { configuration_pairs: [{ key: 'ANSI_MODE', value: 'true' }] } };
    expect(await put(same)).toBe(200);
    await advance(300);
    expect(await state(a)).toBe('RUNNING');
    expect(await put(same)).toBe(200);
    expect(await put({ ...same, enabled_warehouse_types: [{ warehouse_type: 'PRO', enabled: true }] })).toBe(200);
    expect(await put({ ...same, security_policy: 'OPEN' })).toBe(400);
    expect(await state(a)).toBe('RUNNING');
  });
});
