/**
 * The activities that would otherwise carry a secret through workflow history:
 * - `secretsPut` takes `value: { fromEnv } | { fromFile }` instead of `string_value`, resolved here;
 * - `tokensCreate` and `tokenManagementCreateOboToken` never return `token_value`: it is redacted, and
 *   when `store_in` names a secret scope/key the new token is written there in the same attempt (the
 *   response is the only copy).
 * `secrets.get` is deliberately not an activity: its whole purpose is to return a secret value.
 */
import { z } from 'zod';
import type { AdminTokenInfo, CreateOboTokenRequest, CreateTokenRequest, TokenInfo } from '../databricks/index.js';
import type { Body, OpContext } from './define.js';
import { invalidInput, refuseBlindRetry } from './failures.js';
import { REDACTED, resolveSecret, SecretRefSchema, type SecretRef } from './secret-refs.js';

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
  const secret = await resolveSecret(ctx, value);
  await ctx.client.secrets.put({ scope, key, ...(base64 ? { bytes_value: secret } : { string_value: secret }) }, ctx.opts);
  return { scope, key };
};

const StoreIn = z.object({ scope: z.string().min(1), key: z.string().min(1) }).optional();
type StoreIn = { store_in?: { scope: string; key: string } };
type Minted<I extends TokenInfo> = { token_value: string; token_info?: I };
type Redacted<I extends TokenInfo> = { token_value: typeof REDACTED; token_info?: I; stored_in?: { scope: string; key: string } };

/**
 * The one way a token is minted by an activity: `mint` sends the create (not safe to repeat, so an
 * ambiguous failure is OutcomeUnknown, never a blind retry that would leave an orphan token), the
 * value goes to `store_in` in the same attempt, and what returns into history has it redacted.
 */
async function mintToken<R extends object, I extends TokenInfo>(
  ctx: OpContext,
  activity: string,
  input: R & StoreIn,
  mint: (req: R) => Promise<Minted<I>>,
  revoke: (tokenId: string) => Promise<unknown>,
): Promise<Redacted<I>> {
  const parsed = StoreIn.safeParse(input.store_in);
  if (!parsed.success) throw invalidInput(activity, parsed.error);
  const { store_in, ...req } = input;
  let r: Minted<I>;
  try {
    r = await mint(req as unknown as R);
  } catch (err) {
    throw refuseBlindRetry(err);
  }
  if (store_in) {
    try {
      await ctx.client.secrets.put({ scope: store_in.scope, key: store_in.key, string_value: r.token_value }, ctx.opts);
    } catch (err) {
      // Nobody can ever read this token again: revoke it rather than leave a live credential behind.
      const tokenId = r.token_info?.token_id;
      if (tokenId) await revoke(tokenId).catch(() => {});
      throw err;
    }
  }
  return { token_value: REDACTED, ...(r.token_info ? { token_info: r.token_info } : {}), ...(store_in ? { stored_in: store_in } : {}) };
}

export type TokensCreateInput = CreateTokenRequest & StoreIn;

export const tokensCreate: Body<TokensCreateInput | undefined, Redacted<TokenInfo>> = (ctx, input = {}) =>
  mintToken(
    ctx,
    'tokensCreate',
    input,
    (req: CreateTokenRequest) => ctx.client.tokens.create(req, ctx.opts),
    (token_id) => ctx.client.tokens.revoke({ token_id }, ctx.opts),
  );

export type TokenManagementCreateOboTokenInput = CreateOboTokenRequest & StoreIn;

/** A token acting as a service principal (admin only); like tokensCreate, its value never enters history. */
export const tokenManagementCreateOboToken: Body<TokenManagementCreateOboTokenInput, Redacted<AdminTokenInfo>> = (ctx, input) =>
  mintToken(
    ctx,
    'tokenManagementCreateOboToken',
    input,
    (req: CreateOboTokenRequest) => ctx.client.tokenManagement.createOboToken(req, ctx.opts),
    (token_id) => ctx.client.tokenManagement.delete({ token_id }, ctx.opts),
  );
