import { describe, expect, it } from 'vitest';
import { FailureType } from '../../../src/common/activity-policies.js';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

/** queryHistoryList: every history entry a filter matches, across pages, as one activity result. */
describe('query history activity', () => {
  const ctx = useEmulatorActivities();

  it('lists the statements a warehouse ran across pages, filtered, newest first; a bad filter is non-retryable', async () => {
    const { id } = await ctx.client.warehouses.create({ name: 'qh', cluster_size: 'X-Small', auto_stop_mins: 10 });
    const ran: string[] = [];
    for (const statement of ['SELECT 1', 'SELECT 2', 'SELECT * FROM nowhere']) ran.push((await ctx.client.statements.execute({ warehouse_id: id, statement, wait_timeout: '30s' })).statement_id!);

    const finished = await mockEnv().exec(ctx.acts.queryHistoryList, { filter_by: { warehouse_ids: [id], statuses: ['FINISHED'] }, max_results: 1 });
    expect(finished.map((q) => [q.query_id, q.query_text])).toEqual([
      [ran[1], 'SELECT 2'],
      [ran[0], 'SELECT 1'],
    ]);
    expect(await mockEnv().exec(ctx.acts.queryHistoryList, { limit: 1 })).toEqual([expect.objectContaining({ query_id: ran[2], status: 'FAILED' })]);

    const bad = await rejection(mockEnv().exec(ctx.acts.queryHistoryList, { max_results: 5000 }));
    expect(bad).toMatchObject({ type: FailureType.Validation, nonRetryable: true });
    expect(bad.message).toMatch(/max_results/);
  });
});
