import { describe, expect, it } from 'vitest';
import { FailureType } from '../../../src/common/activity-policies.js';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

/**
 * An operation that is not safe to repeat must not be retried blindly when its request may have
 * been applied: a retried statement or DBFS block would run or append twice.
 */
describe('ambiguous failures of operations that are not safe to repeat', () => {
  const ctx = useEmulatorActivities();

  async function runningWarehouse(): Promise<string> {
    const { id } = await mockEnv().exec(ctx.acts.warehousesCreate, { name: `wh-${Date.now()}`, cluster_size: '2X-Small', auto_stop_mins: 10 });
    return id!;
  }

  it('statementsExecute whose response is lost after the server ran it: non-retryable OutcomeUnknown, and it ran exactly once', async () => {
    const warehouse = await runningWarehouse();
    await mockEnv().exec(ctx.acts.statementsExecute, { warehouse_id: warehouse, statement: 'CREATE TABLE main.default.once (n INT)', wait_timeout: '10s' });
    ctx.emu.faults.add({ action: 'drop_after_apply', method: 'POST', path: '/api/2.0/sql/statements', times: 1 });

    const failure = await rejection(mockEnv().exec(ctx.acts.statementsExecute, { warehouse_id: warehouse, statement: 'INSERT INTO main.default.once VALUES (1)', wait_timeout: '10s' }));
    expect(failure.type).toBe(FailureType.OutcomeUnknown);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('may or may not have been applied');

    const count = await mockEnv().exec(ctx.acts.statementsExecute, { warehouse_id: warehouse, statement: 'SELECT count(*) FROM main.default.once', wait_timeout: '10s' });
    expect(count.result?.data_array).toEqual([['1']]);
  });

  it('a 500 on a safe read stays retryable, and a 500 on an unsafe call does not', async () => {
    ctx.emu.faults.add({ action: 'respond', method: 'GET', path: '/api/2.1/clusters/spark-versions', status: 500, times: 1, body: { error_code: 'INTERNAL_ERROR', message: 'boom' } });
    const read = await rejection(mockEnv().exec(ctx.acts.clustersSparkVersions));
    expect(read.type).toBe(FailureType.Internal);
    expect(read.nonRetryable).toBe(false);

    const warehouse = await runningWarehouse();
    ctx.emu.faults.add({ action: 'respond', method: 'POST', path: '/api/2.0/sql/statements', status: 500, times: 1, body: { error_code: 'INTERNAL_ERROR', message: 'boom' } });
    const write = await rejection(mockEnv().exec(ctx.acts.statementsExecute, { warehouse_id: warehouse, statement: 'SELECT 1', wait_timeout: '10s' }));
    expect(write.type).toBe(FailureType.OutcomeUnknown);
    expect(write.nonRetryable).toBe(true);
  });

  it('a 429 on an unsafe call is still retried after Retry-After (the server refused it unprocessed)', async () => {
    const warehouse = await runningWarehouse();
    ctx.emu.faults.add({ action: 'respond', method: 'POST', path: '/api/2.0/sql/statements', status: 429, retry_after: 3, times: 1, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' } });
    const limited = await rejection(mockEnv().exec(ctx.acts.statementsExecute, { warehouse_id: warehouse, statement: 'SELECT 1', wait_timeout: '10s' }));
    expect(limited.type).toBe(FailureType.TooManyRequests);
    expect(limited.nonRetryable).toBe(false);
  });
});
