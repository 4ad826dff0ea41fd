import { Context } from '@temporalio/activity';
import type { Logger } from '../common/logger.js';

/** What activities close over; one set per worker (and so per Databricks workspace). */
export interface ActivityDeps {
  logger: Logger;
}

/**
 * Builds the worker's activities. Workflows import only the TYPE of the result
 * (`proxyActivities<Activities>`), never these functions.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    /** Proves the worker is alive and which one answered; used by the smoke-test workflow. */
    async describeWorker(): Promise<{ identity: string; taskQueue: string; attempt: number }> {
      const info = Context.current().info;
      deps.logger.debug({ activityId: info.activityId }, 'describeWorker');
      return { identity: process.env.HOSTNAME ?? `pid-${process.pid}`, taskQueue: info.taskQueue, attempt: info.attempt };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
