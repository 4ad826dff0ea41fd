/**
 * Activities that ask Temporal itself (not Databricks), for workflows that must know about other
 * workflows: the leak sweeper checks whether the workflow owning a cluster or run is still open.
 * They live with the Temporal client code; a worker registers them next to createActivities():
 *   activities: { ...createActivities(deps), ...createTemporalActivities({ client }) }
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';

export type OwnerStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'CONTINUED_AS_NEW' | 'TIMED_OUT' | 'NOT_FOUND' | 'UNKNOWN';

export function createTemporalActivities(deps: { client: Client }) {
  return {
    /** Status of the latest run of each workflow id; NOT_FOUND when the server has no record (retention passed). */
    async temporalWorkflowStatuses(input: { workflowIds: string[] }): Promise<Record<string, OwnerStatus>> {
      const out: Record<string, OwnerStatus> = {};
      for (const id of [...new Set(input.workflowIds)].slice(0, 500)) {
        try {
          const d = await deps.client.workflow.getHandle(id).describe();
          out[id] = (d.status.name as OwnerStatus) ?? 'UNKNOWN';
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) out[id] = 'NOT_FOUND';
          else throw err;
        }
      }
      return out;
    },
  };
}

export type TemporalActivities = ReturnType<typeof createTemporalActivities>;
