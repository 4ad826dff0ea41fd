/**
 * Leak sweeper, run on a Temporal Schedule: finds ephemeral clusters (`durabricks-ephemeral`, set by
 * pipelines) tagged with the workflow that created them (`durabricks-workflow-id`) and one-time runs
 * marked `[durabricks:<workflow id>]`; asks Temporal whether each owner is still open, and
 * terminates/cancels what a closed owner left behind.
 * Owners that are open are left alone (they clean up themselves); unknown owners count as closed
 * (retention has passed, so the workflow is long gone).
 */
import { log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { TemporalActivities } from '../client/temporal-activities.js';
import type { ListClustersResponse, ListRunsResponse } from '../databricks/index.js';
import { CREATE_ACTIVITY, READ_ACTIVITY } from '../common/activity-policies.js';
import { EPHEMERAL_TAG, errorMessage, WORKFLOW_TAG } from './lib/pipeline-helpers.js';

export type SweeperActivities = Pick<Activities, 'clustersListPage' | 'clustersDelete' | 'jobsListRunsPage' | 'jobsCancelRun'> & TemporalActivities;

export interface SweepInput {
  /** Report what would be done without doing it. */
  dryRun?: boolean;
  /** Pages of 100 clusters / 25 runs to scan at most (bounds this workflow's history). Default 10. */
  maxPages?: number;
}

export interface SweepAction {
  kind: 'cluster' | 'run';
  id: string;
  owner: string;
  ownerStatus: string;
  action: 'terminated' | 'cancelled' | 'would terminate' | 'would cancel' | 'failed';
  error?: string;
}

export interface SweepReport {
  scanned: { clusters: number; runs: number };
  ownedByOpenWorkflows: number;
  actions: SweepAction[];
}

const ACTIVE_CLUSTER_STATES = ['PENDING', 'RUNNING', 'RESIZING', 'RESTARTING'];
const RUN_MARKER = /\[durabricks:([^\]]+)\]\s*$/;

export async function sweepLeaks(input: SweepInput = {}): Promise<SweepReport> {
  const read = proxyActivities<SweeperActivities>(READ_ACTIVITY);
  const act = proxyActivities<SweeperActivities>(CREATE_ACTIVITY);
  const maxPages = input.maxPages ?? 10;
  const candidates: { kind: 'cluster' | 'run'; id: string; owner: string }[] = [];
  let clusters = 0;
  let runs = 0;

  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const r: ListClustersResponse = await read.clustersListPage({ page_size: 100, filter_by: { cluster_states: ACTIVE_CLUSTER_STATES }, ...(token ? { page_token: token } : {}) });
    for (const c of r.clusters ?? []) {
      clusters++;
      const owner = c.custom_tags?.[WORKFLOW_TAG];
      // Provisioned clusters carry the saga's workflow tag too but must outlive it: only ephemeral ones.
      if (owner && c.custom_tags?.[EPHEMERAL_TAG] === 'true' && ACTIVE_CLUSTER_STATES.includes(c.state ?? '')) candidates.push({ kind: 'cluster', id: c.cluster_id, owner });
    }
    token = r.next_page_token;
    if (!token) break;
  }
  token = undefined;
  for (let page = 0; page < maxPages; page++) {
    const r: ListRunsResponse = await read.jobsListRunsPage({ active_only: true, page_size: 25, ...(token ? { page_token: token } : {}) });
    for (const run of r.runs ?? []) {
      runs++;
      const owner = run.run_name ? RUN_MARKER.exec(run.run_name)?.[1] : undefined;
      if (owner) candidates.push({ kind: 'run', id: String(run.run_id), owner });
    }
    token = r.next_page_token;
    if (!token || !r.has_more) break;
  }

  const statuses = candidates.length ? await read.temporalWorkflowStatuses({ workflowIds: candidates.map((c) => c.owner) }) : {};
  const leaks = candidates.filter((c) => statuses[c.owner] !== 'RUNNING');
  const actions = await Promise.all(
    leaks.map(async (l): Promise<SweepAction> => {
      const base = { kind: l.kind, id: l.id, owner: l.owner, ownerStatus: statuses[l.owner] ?? 'UNKNOWN' };
      if (input.dryRun) return { ...base, action: l.kind === 'cluster' ? 'would terminate' : 'would cancel' };
      try {
        if (l.kind === 'cluster') await act.clustersDelete({ cluster_id: l.id });
        else await act.jobsCancelRun({ run_id: Number(l.id) });
        return { ...base, action: l.kind === 'cluster' ? 'terminated' : 'cancelled' };
      } catch (err) {
        return { ...base, action: 'failed', error: errorMessage(err) };
      }
    }),
  );
  log.info('sweep done', { clusters, runs, leaks: actions.length });
  return { scanned: { clusters, runs }, ownedByOpenWorkflows: candidates.length - leaks.length, actions };
}
