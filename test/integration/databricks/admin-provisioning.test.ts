import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, PermissionDeniedError, ResourceConflictError, ValidationError } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

const ctx = useEmulator();
const b64 = (s: string) => Buffer.from(s).toString('base64');
const ARN = 'arn:aws:iam::123456789012:instance-profile/client-test';

describe('global init scripts and instance profiles through the client', () => {
  it('global init scripts: create → get → list → update → delete; a refused script is not echoed; typed errors', async () => {
    const { script_id } = await ctx.client.globalInitScripts.create({ name: 'setup', script: b64('echo setup'), enabled: true });
    expect(await ctx.client.globalInitScripts.get({ script_id })).toMatchObject({ script_id, name: 'setup', script: b64('echo setup'), enabled: true, position: 0 });
    const second = await ctx.client.globalInitScripts.create({ name: 'first', script: b64('echo first'), position: 0 });
    expect((await ctx.client.globalInitScripts.list()).map((s) => [s.name, s.position, 'script' in s])).toEqual([
      ['first', 0, false],
      ['setup', 1, false],
    ]);
    await ctx.client.globalInitScripts.update({ script_id, name: 'setup', script: b64('echo v2'), position: 0 });
    expect(await ctx.client.globalInitScripts.get({ script_id })).toMatchObject({ script: b64('echo v2'), position: 0, enabled: true });

    const secret = 'bm90LWJhc2U2NCBhdCBhbGwg!!';
    const bad = await ctx.client.globalInitScripts.create({ name: 'bad', script: secret }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(String((bad as Error).message)).not.toContain(secret);
    const sent = ctx.events.length;
    await expect(ctx.client.globalInitScripts.create({ name: '', script: b64('x') })).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.client.globalInitScripts.create({ name: 'x', script: b64('x'), position: -1 })).rejects.toBeInstanceOf(ValidationError);
    expect(ctx.events.length).toBe(sent);

    const user = ctx.makeClient({ token: 'dapi-integration-user-2' });
    await expect(user.globalInitScripts.list()).rejects.toBeInstanceOf(PermissionDeniedError);
    for (const id of [script_id, second.script_id]) await ctx.client.globalInitScripts.delete({ script_id: id });
    await expect(ctx.client.globalInitScripts.get({ script_id })).rejects.toBeInstanceOf(NotFoundError);
    expect(await ctx.client.globalInitScripts.list()).toEqual([]);
  });

  it('instance profiles: add → list → edit → remove; typed errors', async () => {
    await ctx.client.instanceProfiles.add({ instance_profile_arn: ARN, skip_validation: true });
    expect(await ctx.client.instanceProfiles.list()).toEqual([{ instance_profile_arn: ARN, is_meta_instance_profile: false }]);
    await ctx.client.instanceProfiles.edit({ instance_profile_arn: ARN, iam_role_arn: 'arn:aws:iam::123456789012:role/client-test' });
    expect((await ctx.client.instanceProfiles.list())[0]?.iam_role_arn).toBe('arn:aws:iam::123456789012:role/client-test');
    await expect(ctx.client.instanceProfiles.add({ instance_profile_arn: ARN })).rejects.toBeInstanceOf(ResourceConflictError);
    await expect(ctx.client.instanceProfiles.add({ instance_profile_arn: 'arn:aws:iam::1:instance-profile/x' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(ctx.makeClient({ token: 'dapi-integration-user-2' }).instanceProfiles.remove({ instance_profile_arn: ARN })).rejects.toBeInstanceOf(PermissionDeniedError);
    await ctx.client.instanceProfiles.remove({ instance_profile_arn: ARN });
    await expect(ctx.client.instanceProfiles.remove({ instance_profile_arn: ARN })).rejects.toBeInstanceOf(NotFoundError);
    expect(await ctx.client.instanceProfiles.list()).toEqual([]);
  });
});
