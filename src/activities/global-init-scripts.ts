/**
 * Exactly-once create of a global init script. The API has no idempotency key and no tags, and names
 * need not be unique, so a retry (whose earlier attempt may have created the script before its
 * answer was lost) first looks for a script with the requested name whose content and `enabled`
 * match, and adopts it; a first attempt creates without looking. An identical script someone else
 * made is adopted too: it is the state asked for. The content may hold credentials: it goes only
 * to Databricks, never to a log, and the result carries only the id.
 */
import type { CreateGlobalInitScriptRequest } from '../databricks/index.js';
import type { Body, OpContext } from './define.js';

async function findSame(ctx: OpContext, wanted: CreateGlobalInitScriptRequest): Promise<string | undefined> {
  for (const s of await ctx.client.globalInitScripts.list(ctx.opts)) {
    if (s.name !== wanted.name) continue;
    const full = await ctx.client.globalInitScripts.get({ script_id: s.script_id }, ctx.opts);
    if (full.script === wanted.script && (full.enabled ?? false) === (wanted.enabled ?? false)) return s.script_id;
  }
  return undefined;
}

export const globalInitScriptsCreate: Body<CreateGlobalInitScriptRequest, { script_id: string; adopted: boolean }> = async (ctx, input) => {
  if (ctx.info.attempt > 1) {
    const found = await findSame(ctx, input);
    if (found) return { script_id: found, adopted: true };
  }
  const r = await ctx.client.globalInitScripts.create(input, ctx.opts);
  return { script_id: r.script_id, adopted: false };
};
