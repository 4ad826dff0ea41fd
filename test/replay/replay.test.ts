import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { quietRuntime, workflowBundle } from '../support/temporal.js';
import { readHistories } from './history-files.js';

/**
 * Replays every recorded history (test/replay/*.json, see record-histories.ts) against the current
 * workflow code: a change that alters the commands a workflow issues for the same history fails here
 * (non-determinism) instead of breaking running workflows in production.
 */
describe('replay of recorded workflow histories', () => {
  beforeAll(() => quietRuntime());

  it('covers success, failure and cancellation of each workflow', () => {
    const names = readHistories().map((h) => h.name);
    for (const expected of [
      'etl-pipeline-success',
      'etl-pipeline-task-failed',
      'etl-pipeline-cancelled',
      'etl-pipeline-webhook-signal',
      'etl-pipeline-repair-signals',
      'etl-pipeline-logical-date',
      'backfill-pipeline',
      'provision-workspace-success',
      'provision-workspace-failed',
      'provision-workspace-cancelled',
      'provision-workspace-access-success',
      'provision-workspace-access-revoked',
      'provision-workspace-group-access',
      'provision-workspace-repo-success',
      'provision-workspace-repo-failed',
      'provision-workspace-storage-success',
      'provision-workspace-storage-failed',
      'sweep-leaks',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('replays every history without a determinism error', async () => {
    const histories = readHistories();
    const results: { name: string; error?: string }[] = [];
    const replays = Worker.runReplayHistories(
      { workflowBundle: await workflowBundle() },
      histories.map((h) => ({ workflowId: h.name, history: h.history })),
    );
    for await (const r of replays) results.push({ name: r.workflowId, ...(r.error ? { error: `${r.error.name}: ${r.error.message}` } : {}) });
    expect(results).toEqual(histories.map((h) => ({ name: h.name })));
  });
});
