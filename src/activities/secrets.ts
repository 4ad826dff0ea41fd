/**
 * The activities that would otherwise carry a secret through workflow history:
 * - `secretsPut` takes `value: { fromEnv } | { fromFile }` instead of `string_value`, resolved here;
 * - `tokensCreate` never returns `token_value`: it is redacted, and when `store_in` names a secret
 *   scope/key the new token is written there in the same attempt (the response is the only copy).
 * `secrets.get` is deliberately not an activity: its whole purpose is to return a secret value.
 */
import { z } from 'zod';
import type { CreateTokenRequest, TokenInfo } from '../databricks/index.js';
import type { Body } from './define.js';
import { invalidInput } from './failures.js';
import { REDACTED, resolveSecretRef, SecretRefSchema, type SecretRef } from './secret-refs.js';

// Strict: a `string_value` / `bytes_value` smuggled in next to the reference is rejected, not dropped.
const PutInput = z.strictObject({
  scope: z.string().min(1),
  key: z.string().min(1),
  value: SecretRefSchema,
  /** Treat the resolved text as base64 bytes (`bytes_value`) instead of a string. */
  base64: z.boolean().optional(),
});
export type SecretsPutInput = { scope: string; key: string; value: SecretRef; base64?: boolean };

export const secretsPut: Body<SecretsPutInput, { scope: string; key: string }> = async (ctx, raw) => {
  const parsed = PutInput.safeParse(raw);
  if (!parsed.success) throw invalidInput('secretsPut', parsed.error);
  const { scope, key, value, base64 } = parsed.data;
  const secret = await (ctx.deps.secretResolver ?? resolveSecretRef)(value);
  await ctx.client.secrets.put({ scope, key, ...(base64 ? { bytes_value: secret } : { string_value: secret }) }, ctx.opts);
  return { scope, key };
};

const StoreIn = z.object({ scope: z.string().min(1), key: z.string().min(1) }).optional();
export type TokensCreateInput = CreateTokenRequest & { store_in?: { scope: string; key: string } };

export const tokensCreate: Body<TokensCreateInput | undefined, { token_value: typeof REDACTED; token_info?: TokenInfo; stored_in?: { scope: string; key: string } }> = async (ctx, input = {}) => {
  const parsed = StoreIn.safeParse(input.store_in);
  if (!parsed.success) throw invalidInput('tokensCreate', parsed.error);
  const { store_in, ...req } = input;
  const r = await ctx.client.tokens.create(req, ctx.opts);
  if (store_in) {
    try {
      await ctx.client.secrets.put({ scope: store_in.scope, key: store_in.key, string_value: r.token_value }, ctx.opts);
    } catch (err) {
      // Nobody can ever read this token again: revoke it rather than leave a live credential behind.
      const tokenId = r.token_info?.token_id;
      if (tokenId) await ctx.client.tokens.revoke({ token_id: tokenId }, ctx.opts).catch(() => {});
      throw err;
    }
  }
  return { token_value: REDACTED, ...(r.token_info ? { token_info: r.token_info } : {}), ...(store_in ? { stored_in: store_in } : {}) };
};
