/**
 * Deletes that must survive a lost response. A retried delete whose first attempt may have landed
 * meets 404; that is the outcome it asked for, so a retry (attempt > 1) counts it as done. A first
 * attempt keeps the 404 (NotFoundError, non-retryable): the caller named something that is not there,
 * which is what clusterPoliciesDelete and the other plain deletes report too. Deletes that tear down
 * provisioned state (global init scripts) count a 404 as done on every attempt: gone is what was asked.
 */
import { NotFoundError } from '../databricks/errors.js';
import type { Body } from './define.js';
import { refuseBlindRetry } from './failures.js';

function tolerateGone<I>(del: Body<I, void>, onFirstAttempt: boolean): Body<I, { deleted: boolean }> {
  return async (ctx, input) => {
    try {
      await del(ctx, input);
      return { deleted: true };
    } catch (err) {
      if (err instanceof NotFoundError && (onFirstAttempt || ctx.info.attempt > 1)) return { deleted: false };
      throw refuseBlindRetry(err);
    }
  };
}
const goneOnRetry = <I>(del: Body<I, void>) => tolerateGone(del, false);
const goneIsDone = <I>(del: Body<I, void>) => tolerateGone(del, true);

export const groupsDelete = goneOnRetry<{ id: string }>((ctx, i) => ctx.client.groups.delete(i, ctx.opts));
export const usersDelete = goneOnRetry<{ id: string }>((ctx, i) => ctx.client.users.delete(i, ctx.opts));
export const servicePrincipalsDelete = goneOnRetry<{ id: string }>((ctx, i) => ctx.client.servicePrincipals.delete(i, ctx.opts));
export const globalInitScriptsDelete = goneIsDone<{ script_id: string }>(async (ctx, i) => void (await ctx.client.globalInitScripts.delete(i, ctx.opts)));
export const storageCredentialsDelete = goneOnRetry<{ name: string; force?: boolean }>(async (ctx, i) => void (await ctx.client.storageCredentials.delete(i, ctx.opts)));
export const connectionsDelete = goneOnRetry<{ name: string }>(async (ctx, i) => void (await ctx.client.connections.delete(i, ctx.opts)));
export const externalLocationsDelete = goneOnRetry<{ name: string; force?: boolean }>(async (ctx, i) => void (await ctx.client.externalLocations.delete(i, ctx.opts)));
