/**
 * What the Python and Java SDK conformance tests share: running a conformance program that prints
 * one JSON line of what it observed, and the expectations both SDKs must meet on the same scenario.
 */
import { execFile } from 'node:child_process';
import { expect } from 'vitest';
import { startTestEmulator, type TestClient } from './helpers.js';

export type Out = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs the program asynchronously (the emulator answers from this same process) and parses its last stdout line. */
export function runConformanceProgram(label: string, command: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<Out> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let parsed: Out | undefined;
      try {
        parsed = JSON.parse(last) as Out;
      } catch {
        parsed = undefined;
      }
      if (parsed && !err) return resolve(parsed);
      reject(new Error(`${label} failed: ${parsed?.trace ?? err?.message ?? ''}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    });
  });
}

/** The parameterised SELECT both programs run, read inline, through get-statement and chunk 0. */
export function expectStatementResults(o: Out): void {
  expect(o.select).toEqual({
    state: 'SUCCEEDED',
    columns: [
      ['n', 'LONG', 'BIGINT'],
      ['tag', 'STRING', 'STRING'],
      ['d', 'DATE', 'DATE'],
    ],
    rows: [0, 1, 2].map((n) => [String(n), 'x', '2024-05-01']),
    total_row_count: 3,
    format: 'JSON_ARRAY',
  });
  expect(o.get_statement).toEqual({ state: 'SUCCEEDED', rows: o.select.rows, same_id: true });
  expect(o.chunk0).toEqual(o.select.rows);
}

/** The table both programs create through SQL DDL (with comments) and read back from Unity Catalog. */
export function expectOrdersTable(table: unknown, catalog: string): void {
  expect(table).toEqual({
    full_name: `${catalog}.sales.orders`,
    type: 'MANAGED',
    format: 'DELTA',
    comment: 'orders',
    columns: [
      ['id', 'LONG', 'bigint', false, 0],
      ['amount', 'DECIMAL', 'decimal(10,2)', true, 1],
      ['placed', 'DATE', 'date', true, 2],
    ],
  });
}

/** 'iam': the job's grants after setting CAN_VIEW for users (the owner and admins are implicit), its object and levels. */
export function expectJobPermissions(o: Out): void {
    expect(o.job_permissions).toEqual([
      ['admin@emulator.local', ['IS_OWNER']],
      ['admins', ['CAN_MANAGE']],
      ['users', ['CAN_VIEW']],
    ]);
    expect(o.job_permissions_object).toEqual({ object_id: expect.stringMatching(/^\/jobs\/\d+$/), object_type: 'job' });
    expect(o.job_permission_levels).toEqual(['CAN_MANAGE', 'CAN_MANAGE_RUN', 'CAN_VIEW', 'IS_OWNER']);
}

/** The 'waiters' mode on a 120× emulator: the cluster waiter sees PENDING, a cancel lands mid-run. */
export async function expectWaitersOnRunningClock(run: (emu: Awaited<ReturnType<typeof startTestEmulator>>['emu']) => Promise<Out>): Promise<void> {
  const { emu: running } = await startTestEmulator({ speed: 120 });
  try {
    const o = await run(running);
    expect(o.cluster_states_seen).toEqual(['PENDING']);
    expect(o.cluster_state).toBe('RUNNING');
    expect(['PENDING', 'RUNNING']).toContain(o.before_cancel);
    expect(o.canceled).toEqual({ life_cycle_state: 'TERMINATED', result_state: 'CANCELED' });
    expect(o.run_now_waiter).toBe('CANCELED');
    expect(o.cluster_terminated).toBe('TERMINATED');
  } finally {
    await running.close();
  }
}

/**
 * The 'retries' mode: 429 with Retry-After (twice) on spark-versions, 503 without it on
 * list-node-types, and the DBFS recursive delete of more than 1,000 files that answers 503 after a
 * partial delete. The SDK's own retry loop must repeat each call until it succeeds.
 */
export async function expectSdkRetries(api: TestClient, run: () => Promise<Out>): Promise<void> {
  await api.control('POST', '/faults', {
    rules: [
      { path: '/api/2.1/clusters/spark-versions', action: 'respond', status: 429, retry_after: 1, times: 2, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' } },
      { path: '/api/2.1/clusters/list-node-types', action: 'respond', status: 503, times: 1, body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'try later' } },
    ],
  });
  const o = await run();
  expect(o.spark_versions).toBeGreaterThan(0);
  expect(o.node_types).toBeGreaterThan(0);
  expect(o.many_left).toBe(false);
  const calls = (await api.control<{ calls: Record<string, number> }>('GET', '/stats')).body.calls;
  expect(calls['GET /api/2.1/clusters/spark-versions']).toBe(3);
  expect(calls['GET /api/2.1/clusters/list-node-types']).toBe(2);
  expect(calls['POST /api/2.0/dbfs/delete']).toBe(2);
}
