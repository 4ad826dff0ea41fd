import { describe, expect, it } from 'vitest';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

const ctx = useEmulatorActivities();
const b64 = (s: string) => Buffer.from(s).toString('base64');
const attempt = (n: number) => ({ attempt: n, activityId: 'admin-1' });
const ARN = 'arn:aws:iam::123456789012:instance-profile/activities';
const ROLE = 'arn:aws:iam::123456789012:role/activities';

describe('global init script activities', () => {
  const input = { name: 'agent', script: b64('#!/bin/bash\ninstall-agent --key s3cr3t\n'), enabled: true };
  const names = async () => (await mockEnv().exec(ctx.acts.globalInitScriptsList, {})).map((s) => s.name);

  it('a retry adopts the script its earlier attempt made (same name, content and enabled); a first attempt always creates', async () => {
    const first = await mockEnv(attempt(1)).exec(ctx.acts.globalInitScriptsCreate, input);
    expect(first).toEqual({ script_id: expect.any(String), adopted: false });
    expect(JSON.stringify(first)).not.toMatch(/s3cr3t|aW5zdGFsbC1hZ2Vud/);
    expect(await mockEnv(attempt(2)).exec(ctx.acts.globalInitScriptsCreate, input)).toEqual({ script_id: first.script_id, adopted: true });
    expect(await names()).toEqual(['agent']);
    // Same name, other content: not ours, so the retry creates.
    const other = await mockEnv(attempt(3)).exec(ctx.acts.globalInitScriptsCreate, { ...input, script: b64('echo other') });
    expect(other.adopted).toBe(false);
    // Names need not be unique: a first attempt never looks.
    await mockEnv(attempt(1)).exec(ctx.acts.globalInitScriptsCreate, input);
    expect(await names()).toEqual(['agent', 'agent', 'agent']);
  });

  it('delete: a script already gone counts as done; a refused create fails without retry', async () => {
    const { script_id } = await mockEnv(attempt(1)).exec(ctx.acts.globalInitScriptsCreate, input);
    expect(await mockEnv(attempt(1)).exec(ctx.acts.globalInitScriptsDelete, { script_id })).toEqual({ deleted: true });
    expect(await mockEnv(attempt(1)).exec(ctx.acts.globalInitScriptsDelete, { script_id })).toEqual({ deleted: false });
    const err = await rejection(mockEnv(attempt(1)).exec(ctx.acts.globalInitScriptsCreate, { name: 'bad', script: 'not base64!' }));
    expect(err).toMatchObject({ type: 'BadRequestError', nonRetryable: true });
  });
});

describe('instance profile activities', () => {
  const list = () => mockEnv().exec(ctx.acts.instanceProfilesList, {});

  it('add: already registered is done, and a requested role that differs is set; remove: not registered is done', async () => {
    expect(await mockEnv(attempt(1)).exec(ctx.acts.instanceProfilesAdd, { instance_profile_arn: ARN })).toEqual({ added: true });
    expect(await mockEnv(attempt(1)).exec(ctx.acts.instanceProfilesAdd, { instance_profile_arn: ARN })).toEqual({ added: false });
    expect(await list()).toEqual([{ instance_profile_arn: ARN, is_meta_instance_profile: false }]);
    expect(await mockEnv(attempt(2)).exec(ctx.acts.instanceProfilesAdd, { instance_profile_arn: ARN, iam_role_arn: ROLE })).toEqual({ added: false });
    expect(await list()).toEqual([{ instance_profile_arn: ARN, iam_role_arn: ROLE, is_meta_instance_profile: false }]);
    // Not naming the role leaves it.
    await mockEnv(attempt(1)).exec(ctx.acts.instanceProfilesAdd, { instance_profile_arn: ARN, is_meta_instance_profile: true });
    expect(await list()).toEqual([{ instance_profile_arn: ARN, iam_role_arn: ROLE, is_meta_instance_profile: true }]);

    expect(await mockEnv(attempt(1)).exec(ctx.acts.instanceProfilesRemove, { instance_profile_arn: ARN })).toEqual({ removed: true });
    expect(await mockEnv(attempt(1)).exec(ctx.acts.instanceProfilesRemove, { instance_profile_arn: ARN })).toEqual({ removed: false });
    expect(await list()).toEqual([]);
  });

  it('a malformed ARN still fails, non-retryable', async () => {
    const err = await rejection(mockEnv(attempt(1)).exec(ctx.acts.instanceProfilesAdd, { instance_profile_arn: 'arn:aws:iam::1:role/x' }));
    expect(err).toMatchObject({ type: 'BadRequestError', nonRetryable: true });
    expect(await list()).toEqual([]);
  });
});
