import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createTemporalActivities } from '../../../src/client/temporal-activities.js';
import type { sweepLeaks, SweeperActivities } from '../../../src/workflows/sweeper.js';
import { workflowBundle } from '../../support/temporal.js';
import { useTimeSkippingEnv } from '../../support/time-skipping-env.js';

const ts = useTimeSkippingEnv();

/** Databricks side: clusters and active runs, some owned by durabricks workflows. */
function fakeDatabricks(owners: { closed: string; open: string }) {
  const terminated: string[] = [];
  const cancelled: number[] = [];
  const tag = (wf: string) => ({ 'durabricks-workflow-id': wf, 'durabricks-ephemeral': 'true' });
  const databricks = {
    async clustersListPage() {
      return {
        clusters: [
          { cluster_id: 'leaked', state: 'RUNNING', custom_tags: tag(owners.closed) },
          { cluster_id: 'in-use', state: 'RUNNING', custom_tags: tag(owners.open) },
          { cluster_id: 'orphan-of-forgotten', state: 'PENDING', custom_tags: tag('etl-purged-long-ago') },
          { cluster_id: 'not-ours', state: 'RUNNING', custom_tags: { team: 'x' } },
          // Provisioned by a (completed) saga: it carries the workflow tag but is meant to outlive it.
          { cluster_id: 'provisioned', state: 'RUNNING', custom_tags: { 'durabricks-workflow-id': owners.closed } },
        ],
      };
    },
    async clustersDelete({ cluster_id }: { cluster_id: string }) {
      terminated.push(cluster_id);
      return {};
    },
    async jobsListRunsPage() {
      return {
        runs: [
          { run_id: 11, run_name: `sales [durabricks:${owners.closed}]` },
          { run_id: 12, run_name: `sales [durabricks:${owners.open}]` },
          { run_id: 13, run_name: 'someone else' },
        ],
      };
    },
    async jobsCancelRun({ run_id }: { run_id: number }) {
      cancelled.push(run_id);
      return {};
    },
  };
  return { databricks, terminated, cancelled };
}

describe('sweepLeaks', () => {
  it('terminates clusters and cancels runs whose owning workflow is closed or gone, and leaves open owners alone', async () => {
    // Owners: one closed workflow (an invalid spec fails at once) and one open (no worker polls its queue).
    const closed = await ts.env.client.workflow.start('etlPipeline', { taskQueue: 'sweeper', workflowId: 'etl-closed-owner', args: [{ spec: { name: 'x' } }] });
    const open = await ts.env.client.workflow.start('etlPipeline', { taskQueue: 'nobody-polls-this', workflowId: 'etl-open-owner', args: [{ spec: { name: 'y' } }] });
    const fake = fakeDatabricks({ closed: closed.workflowId, open: open.workflowId });
    const activities = { ...fake.databricks, ...createTemporalActivities({ client: ts.env.client }) } as unknown as SweeperActivities;
    const worker = await Worker.create({ connection: ts.env.nativeConnection, taskQueue: 'sweeper', workflowBundle: await workflowBundle(), activities });
    const report = await worker.runUntil(async () => {
      await closed.result().catch(() => undefined);
      const dry = await ts.env.client.workflow.execute<typeof sweepLeaks>('sweepLeaks', { taskQueue: 'sweeper', workflowId: 'sweep-dry', args: [{ dryRun: true }] });
      expect(dry.actions.map((a) => a.action)).toEqual(['would terminate', 'would terminate', 'would cancel']);
      expect(fake.terminated).toEqual([]);
      return ts.env.client.workflow.execute<typeof sweepLeaks>('sweepLeaks', { taskQueue: 'sweeper', workflowId: 'sweep', args: [{}] });
    });
    await open.terminate('test done');

    expect(report.scanned).toEqual({ clusters: 5, runs: 3 });
    expect(report.ownedByOpenWorkflows).toBe(2);
    expect(report.actions).toEqual([
      { kind: 'cluster', id: 'leaked', owner: 'etl-closed-owner', ownerStatus: 'FAILED', action: 'terminated' },
      { kind: 'cluster', id: 'orphan-of-forgotten', owner: 'etl-purged-long-ago', ownerStatus: 'NOT_FOUND', action: 'terminated' },
      { kind: 'run', id: '11', owner: 'etl-closed-owner', ownerStatus: 'FAILED', action: 'cancelled' },
    ]);
    expect(fake.terminated.sort()).toEqual(['leaked', 'orphan-of-forgotten']);
    expect(fake.cancelled).toEqual([11]);
  });
});
