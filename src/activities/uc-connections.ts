/**
 * Connection create and update. Activity inputs are kept in workflow history, so a connection's
 * secret options (the password, a client secret, a private key: src/common/uc-connection-options.ts)
 * go by reference (`{ fromEnv }` / `{ fromFile }`), resolved on the worker just before the call; a
 * secret option given as a plain string is refused by name before anything is sent. Any other
 * option may be a reference too (`user`, say). The name is the key, so a retried create that meets
 * "already exists" adopts the connection only when it is the one asked for (sameConnection).
 */
import { z } from 'zod';
import { isSecretConnectionOption, sameConnection } from '../common/uc-connection-options.js';
import type { ConnectionInfo, ConnectionType, CreateConnectionRequest } from '../databricks/index.js';
import { adoptOnRetry } from './creates.js';
import type { Body, OpContext } from './define.js';
import { invalidInput, refuseBlindRetry } from './failures.js';
import { REFERENCE_ONLY, resolveSecret, SecretRefSchema, type SecretRef } from './secret-refs.js';

/** Option values: plain for the harmless ones, a reference for any, and only a reference for a secret. */
export type ConnectionOptionsInput = Record<string, string | SecretRef>;
export interface ConnectionsCreateInput {
  name: string;
  connection_type: ConnectionType;
  options: ConnectionOptionsInput;
  comment?: string;
  properties?: Record<string, string>;
  read_only?: boolean;
}
export interface ConnectionsUpdateInput {
  name: string;
  options: ConnectionOptionsInput;
  new_name?: string;
  owner?: string;
}

const OptionsInput = z.looseObject({
  options: z.record(z.string(), z.union([z.string(), SecretRefSchema])).superRefine((options, c) => {
    for (const [k, v] of Object.entries(options)) {
      if (typeof v === 'string' && isSecretConnectionOption(k)) c.addIssue({ code: 'custom', path: [k], message: `a secret option ${REFERENCE_ONLY}` });
    }
  }),
});

async function withOptions<T extends { options: ConnectionOptionsInput }>(ctx: OpContext, activity: string, input: T): Promise<Omit<T, 'options'> & { options: Record<string, string> }> {
  const parsed = OptionsInput.safeParse(input);
  if (!parsed.success) throw invalidInput(activity, parsed.error);
  const options: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.options)) options[k] = typeof v === 'string' ? v : await resolveSecret(ctx, v);
  return { ...input, options };
}

const create = adoptOnRetry<CreateConnectionRequest, ConnectionInfo>(
  (ctx, i) => ctx.client.connections.create(i, ctx.opts),
  (ctx, i) => ctx.client.connections.get({ name: i.name }, ctx.opts),
  sameConnection,
);

export const connectionsCreate: Body<ConnectionsCreateInput, ConnectionInfo> = async (ctx, input) => create(ctx, await withOptions(ctx, 'connectionsCreate', input));

/** Options replace the old ones whole, so repeating an update is harmless; a rename (new_name) is not. */
export const connectionsUpdate: Body<ConnectionsUpdateInput, ConnectionInfo> = async (ctx, input) => {
  const req = await withOptions(ctx, 'connectionsUpdate', input);
  try {
    return await ctx.client.connections.update(req, ctx.opts);
  } catch (err) {
    throw refuseBlindRetry(err);
  }
};
