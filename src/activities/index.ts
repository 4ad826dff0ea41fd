import { Context } from '@temporalio/activity';
import { defineActivities, type ActivityDeps } from './define.js';
import { operations } from './operations.js';
import { reposCreate } from './repos.js';
import { gitCredentialsCreate, gitCredentialsUpdate } from './git-credentials.js';
import { globalInitScriptsCreate } from './global-init-scripts.js';
import { instanceProfilesAdd, instanceProfilesRemove } from './instance-profiles.js';
import { secretsPut, tokenManagementCreateOboToken, tokensCreate } from './secrets.js';
import { dbfsDownload, dbfsUpload } from './transfers.js';
import { filesDownload, filesUpload } from './volume-transfers.js';
import * as waiters from './waiters.js';

export type { ActivityDeps } from './define.js';
export { databricksMetricsHooks } from './metrics.js';
export type { SecretRef } from './secret-refs.js';

/**
 * Builds the worker's activities: one per Databricks REST operation (operations.ts), the waiters,
 * the DBFS and volume file transfers, the secret-safe calls, and `describeWorker`. Workflows import only the TYPE
 * of the result (`proxyActivities<Activities>`) and the options in src/common/activity-policies.ts.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...defineActivities(deps, {
      ...operations,
      secretsPut,
      tokensCreate,
      tokenManagementCreateOboToken,
      gitCredentialsCreate,
      gitCredentialsUpdate,
      reposCreate,
      globalInitScriptsCreate,
      instanceProfilesAdd,
      instanceProfilesRemove,
      dbfsUpload,
      dbfsDownload,
      filesUpload,
      filesDownload,
      waitClusterRunning: waiters.waitClusterRunning,
      waitClusterTerminated: waiters.waitClusterTerminated,
      waitRunTerminated: waiters.waitRunTerminated,
      waitWarehouseRunning: waiters.waitWarehouseRunning,
      waitWarehouseStopped: waiters.waitWarehouseStopped,
      waitStatement: waiters.waitStatement,
      waitLibrariesInstalled: waiters.waitLibrariesInstalled,
    }),

    /** Proves the worker is alive and which one answered; used by the smoke-test workflow. */
    async describeWorker(): Promise<{ identity: string; taskQueue: string; attempt: number }> {
      const info = Context.current().info;
      deps.logger.debug({ activityId: info.activityId }, 'describeWorker');
      return { identity: process.env.HOSTNAME ?? `pid-${process.pid}`, taskQueue: info.taskQueue, attempt: info.attempt };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
