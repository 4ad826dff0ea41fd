import { describe, expect, it } from 'vitest';
import { FailureType } from '../../../src/common/activity-policies.js';
import { mockEnv, useEmulatorActivities } from './helpers.js';

const ctx = useEmulatorActivities();

/** Calls a waiter the way Temporal's retries would, until it stops answering StillWaiting. */
async function settle<I, O>(waiter: (input: I) => Promise<O>, input: I): Promise<{ done?: O; error?: Error & { type?: string; nonRetryable?: boolean; details?: unknown[] } }> {
  for (let i = 0; i < 300; i++) {
    const r: { done?: O; error?: Error & { type?: string } } = await mockEnv().exec(waiter, input).then(
      (done) => ({ done }),
      (error: Error & { type?: string }) => ({ error }),
    );
    if (!r.error || r.error.type !== FailureType.StillWaiting) return r;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('never settled');
}

describe('warehouse waiters', () => {
  it('RUNNING after create, STOPPED after stop; waiting for RUNNING on a stopped warehouse fails at once', async () => {
    const { id } = await ctx.client.warehouses.create({ name: 'w', cluster_size: 'X-Small' });
    expect((await settle(ctx.acts.waitWarehouseRunning, { id })).done).toMatchObject({ id, state: 'RUNNING' });
    await ctx.client.warehouses.stop({ id });
    expect((await settle(ctx.acts.waitWarehouseStopped, { id })).done).toMatchObject({ id, state: 'STOPPED' });
    const { error } = await settle(ctx.acts.waitWarehouseRunning, { id });
    expect(error).toMatchObject({ type: FailureType.WarehouseFailed, nonRetryable: true });
    expect(error?.details?.[0]).toMatchObject({ id, state: 'STOPPED' });
  });
});

describe('statement waiter', () => {
  it('returns the finished statement; a failing one is a non-retryable StatementFailed with the SQL error', async () => {
    const { id } = await ctx.client.warehouses.create({ name: 'sql', cluster_size: 'X-Small' });
    await settle(ctx.acts.waitWarehouseRunning, { id });
    const ok = await ctx.client.statements.execute({ warehouse_id: id, statement: 'SELECT 40 + 2 AS answer', wait_timeout: '0s' });
    const done = (await settle(ctx.acts.waitStatement, { statement_id: ok.statement_id })).done;
    expect(done?.status?.state).toBe('SUCCEEDED');
    expect(done?.result?.data_array).toEqual([['42']]);
    const bad = await ctx.client.statements.execute({ warehouse_id: id, statement: 'SELEC nonsense FROM', wait_timeout: '0s' });
    const { error } = await settle(ctx.acts.waitStatement, { statement_id: bad.statement_id });
    expect(error).toMatchObject({ type: FailureType.StatementFailed, nonRetryable: true });
    expect(error?.details?.[0]).toMatchObject({ statement_id: bad.statement_id, status: { state: 'FAILED' } });
  });
});

describe('libraries waiter', () => {
  it('completes when every library is installed; a failed library fails the wait with its message', async () => {
    const { cluster_id } = await ctx.client.clusters.create({ spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 0 });
    await settle(ctx.acts.waitClusterRunning, { cluster_id });
    await mockEnv().exec(ctx.acts.librariesInstall, { cluster_id, libraries: [{ pypi: { package: 'requests' } }] });
    const done = (await settle(ctx.acts.waitLibrariesInstalled, { cluster_id })).done;
    expect(done?.library_statuses).toMatchObject([{ library: { pypi: { package: 'requests' } }, status: 'INSTALLED' }]);
    await mockEnv().exec(ctx.acts.librariesInstall, { cluster_id, libraries: [{ pypi: { package: 'emulator-fail-pkg' } }] });
    const { error } = await settle(ctx.acts.waitLibrariesInstalled, { cluster_id });
    expect(error).toMatchObject({ type: FailureType.LibraryInstallFailed, nonRetryable: true });
    expect(error?.message).toContain('emulator-fail-pkg');
  });
});
