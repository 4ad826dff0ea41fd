/**
 * Git credentials as activities. The personal access token is a secret, so inputs carry a reference
 * (`{ fromEnv }` / `{ fromFile }`) resolved on the worker, never the token (workflow history keeps
 * inputs). A create is not safe to repeat: with a `name` a retry adopts the credential an earlier
 * attempt made (the name is unique per user, or per service principal with `principal_id`); without one
 * an ambiguous failure is OutcomeUnknown.
 */
import { z } from 'zod';
import { ResourceConflictError, type GitCredentialInfo } from '../databricks/index.js';
import type { Body, OpContext } from './define.js';
import { invalidInput, refuseBlindRetry } from './failures.js';
import { resolveSecret, SecretRefSchema, type SecretRef } from './secret-refs.js';

interface GitCredentialFields {
  git_provider: string;
  git_username?: string;
  git_email?: string;
  name?: string;
  is_default_for_provider?: boolean;
  principal_id?: number;
  /** Where the worker reads the token; never the token itself. */
  personal_access_token?: SecretRef;
}
export type GitCredentialsCreateInput = GitCredentialFields;
export type GitCredentialsUpdateInput = GitCredentialFields & { credential_id: number | string };

const TokenRef = z.looseObject({ personal_access_token: SecretRefSchema.optional() });

async function withToken<T extends { personal_access_token?: SecretRef }>(ctx: OpContext, activity: string, input: T): Promise<Omit<T, 'personal_access_token'> & { personal_access_token?: string }> {
  const parsed = TokenRef.safeParse(input);
  if (!parsed.success) throw invalidInput(activity, parsed.error);
  const { personal_access_token: ref, ...rest } = input;
  if (ref === undefined) return rest;
  return { ...rest, personal_access_token: await resolveSecret(ctx, ref) };
}

export const gitCredentialsCreate: Body<GitCredentialsCreateInput, GitCredentialInfo & { adopted: boolean }> = async (ctx, input) => {
  const req = await withToken(ctx, 'gitCredentialsCreate', input);
  try {
    return { ...(await ctx.client.gitCredentials.create(req, ctx.opts)), adopted: false };
  } catch (err) {
    const { name, principal_id } = req;
    // Only a retry may meet its own earlier attempt; a first attempt's conflict is someone else's credential.
    if (name && err instanceof ResourceConflictError && ctx.info.attempt > 1) {
      const owner = principal_id !== undefined ? { principal_id } : {};
      const mine = (await ctx.client.gitCredentials.list(owner, ctx.opts)).find((c) => c.name === name && c.git_provider?.toLowerCase() === req.git_provider.toLowerCase());
      if (mine) return { ...mine, adopted: true };
    }
    throw refuseBlindRetry(err);
  }
};

export const gitCredentialsUpdate: Body<GitCredentialsUpdateInput, Record<string, never>> = async (ctx, input) => {
  await ctx.client.gitCredentials.update(await withToken(ctx, 'gitCredentialsUpdate', input), ctx.opts);
  return {};
};
