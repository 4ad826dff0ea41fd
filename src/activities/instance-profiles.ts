/**
 * Instance profile registration as desired state: adding one that is already registered is done, and
 * so is removing one that is not. The real service's answers to a duplicate add and to removing a
 * missing profile are undocumented, so a failed call is followed by a listing that decides: the
 * outcome asked for is there (done), or the failure stands. Both calls can then be retried freely.
 */
import { DatabricksError, type AddInstanceProfileRequest, type InstanceProfile } from '../databricks/index.js';
import type { Body, OpContext } from './define.js';

const registered = async (ctx: OpContext, arn: string): Promise<InstanceProfile | undefined> => (await ctx.client.instanceProfiles.list(ctx.opts)).find((p) => p.instance_profile_arn === arn);

/**
 * `added: false` when the profile was already registered. Its role ARN and meta flag are then set to
 * the requested ones if the request names them and they differ (an edit); fields not given stay.
 */
export const instanceProfilesAdd: Body<AddInstanceProfileRequest, { added: boolean }> = async (ctx, input) => {
  try {
    await ctx.client.instanceProfiles.add(input, ctx.opts);
    return { added: true };
  } catch (err) {
    const existing = err instanceof DatabricksError ? await registered(ctx, input.instance_profile_arn) : undefined;
    if (!existing) throw err;
    const role = input.iam_role_arn || undefined;
    const meta = input.is_meta_instance_profile;
    if ((role !== undefined && role !== existing.iam_role_arn) || (meta !== undefined && meta !== (existing.is_meta_instance_profile ?? false))) {
      const next = { iam_role_arn: role ?? existing.iam_role_arn, is_meta_instance_profile: meta ?? existing.is_meta_instance_profile };
      await ctx.client.instanceProfiles.edit({ instance_profile_arn: existing.instance_profile_arn, ...next }, ctx.opts);
    }
    return { added: false };
  }
};

/** `removed: false` when the profile was not registered (or a lost earlier attempt removed it). */
export const instanceProfilesRemove: Body<{ instance_profile_arn: string }, { removed: boolean }> = async (ctx, input) => {
  try {
    await ctx.client.instanceProfiles.remove(input, ctx.opts);
    return { removed: true };
  } catch (err) {
    if (err instanceof DatabricksError && !(await registered(ctx, input.instance_profile_arn))) return { removed: false };
    throw err;
  }
};
