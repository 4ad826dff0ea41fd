/**
 * The reference pipeline driven by a plain polling loop, as integrations without durable waits do
 * it: create the cluster, poll until RUNNING, submit the run, poll until TERMINATED, terminate the
 * cluster, run the statement (poll if it is still running). Only the wait strategy differs between
 * baselines. Sleeps are in VIRTUAL time (converted with the emulator's clock speed), so a 30 s poll
 * is 30 s of workspace time whatever the speed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabricksClient } from '../../src/databricks/index.js';
import { clusterSpec, STATEMENT, taskSpec, type ReferenceTimings } from '../lib/reference.js';

/** Virtual ms to wait before poll number `attempt` (1-based) of one wait. */
export type WaitStrategy = (attempt: number, random: () => number) => number;

export interface Clock {
  /** Virtual epoch ms. */
  now(): number;
  /** Virtual seconds per real second. */
  speed: number;
}

export interface BaselineResult {
  clusterId: string;
  runId: number;
  /** Virtual ms when the poller saw RUNNING / TERMINATED (response received). */
  clusterNoticedAt: number;
  runNoticedAt: number;
  polls: number;
}

const MAX_POLLS = 100_000;

async function waitUntil<T>(check: () => Promise<T | undefined>, strategy: WaitStrategy, clock: Clock, random: () => number, counter: { polls: number }): Promise<{ value: T; at: number }> {
  for (let attempt = 1; attempt <= MAX_POLLS; attempt++) {
    counter.polls++;
    const value = await check();
    if (value !== undefined) return { value, at: clock.now() };
    await sleep(strategy(attempt, random) / clock.speed);
  }
  throw new Error(`gave up after ${MAX_POLLS} polls`);
}

export async function runBaselinePipeline(opts: { client: DatabricksClient; clock: Clock; strategy: WaitStrategy; timings: ReferenceTimings; name: string; warehouseId: string; random?: () => number }): Promise<BaselineResult> {
  const { client, clock, strategy, timings } = opts;
  const random = opts.random ?? Math.random;
  const counter = { polls: 0 };
  const { cluster_id } = await client.clusters.create(clusterSpec(timings, opts.name));
  const cluster = await waitUntil(
    async () => {
      const c = await client.clusters.get({ cluster_id });
      if (c.state === 'RUNNING') return c;
      if (c.state === 'ERROR' || c.state === 'TERMINATED') throw new Error(`cluster ${cluster_id} ${c.state}`);
      return undefined;
    },
    strategy,
    clock,
    random,
    counter,
  );
  const { run_id } = await client.jobs.submit({ run_name: opts.name, tasks: [{ ...taskSpec(timings), existing_cluster_id: cluster_id }] });
  const run = await waitUntil(
    async () => {
      const r = await client.jobs.getRun({ run_id });
      const life = r.state?.life_cycle_state;
      if (life === 'TERMINATED' || life === 'SKIPPED' || life === 'INTERNAL_ERROR') return r;
      return undefined;
    },
    strategy,
    clock,
    random,
    counter,
  );
  if (run.value.state?.result_state !== 'SUCCESS') throw new Error(`run ${run_id} ended ${run.value.state?.result_state}`);
  await client.clusters.delete({ cluster_id });
  let st = await client.statements.execute({ warehouse_id: opts.warehouseId, statement: STATEMENT, wait_timeout: '30s', on_wait_timeout: 'CONTINUE', format: 'JSON_ARRAY', disposition: 'INLINE' });
  if (st.status?.state === 'PENDING' || st.status?.state === 'RUNNING') {
    const id = st.statement_id;
    st = (
      await waitUntil(
        async () => {
          const s = await client.statements.get({ statement_id: id });
          return s.status?.state === 'PENDING' || s.status?.state === 'RUNNING' ? undefined : s;
        },
        strategy,
        clock,
        random,
        counter,
      )
    ).value;
  }
  if (st.status?.state !== 'SUCCEEDED') throw new Error(`statement ${st.statement_id} ${st.status?.state}`);
  return { clusterId: cluster_id, runId: run_id, clusterNoticedAt: cluster.at, runNoticedAt: run.at, polls: counter.polls };
}
