/**
 * A scripted stand-in for the pipeline's activities: enough Databricks behaviour (clusters, runs,
 * warehouses, statements) for workflow step logic, with waiters that behave like the real ones
 * (StillWaiting + nextRetryDelay until ready, non-retryable ClusterFailed/RunFailed). Every call
 * is recorded so tests assert what the workflow did, including its cleanup.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Run, StatementResponse } from '../../../src/databricks/index.js';
import { project, takeFields } from '../../../src/activities/fields.js';
import type { RunFailureOutput } from '../../../src/activities/run-output.js';
import type { PipelineActivities } from '../../../src/workflows/lib/pipeline-activities.js';

export interface FakeScript {
  /** Waiter polls that answer "not yet" before the cluster is RUNNING (default 0). */
  clusterPolls?: number;
  clusterFails?: boolean;
  /** Waiter polls before the run terminates (default 0); Infinity = never. */
  runPolls?: number;
  /** Time between polls (default 1 s; the time-skipping server does not always skip retry backoff). */
  pollDelayMs?: number;
  /** task_key → result; tasks not listed succeed. */
  taskResults?: Record<string, 'SUCCESS' | 'FAILED'>;
  /** After this many repairs of a run, the tasks of taskResults succeed (default: never). */
  succeedAfterRepairs?: number;
  /** Runs whose run-now/submit request this returns true for fail (every task FAILED, unrepaired). */
  failRunIf?: (request: Record<string, unknown>) => boolean;
  /** Waiter polls before a repaired run terminates (default: runPolls); Infinity = never. */
  repairedRunPolls?: number;
  tasks?: string[];
  warehouseState?: 'RUNNING' | 'STOPPED';
  /** The warehouse never reaches RUNNING (to cancel during the SQL step). */
  warehouseBlocks?: boolean;
  statementRows?: number;
  statementFails?: boolean;
  /** Existing clusters and their state. */
  existing?: Record<string, 'RUNNING' | 'TERMINATED'>;
  /** clustersCreate answers only once this settles (to cancel while a create is in flight). */
  createGate?: Promise<void>;
  /** jobsRepairRun repairs at once but answers only once this settles (events during the call). */
  repairGate?: Promise<void>;
  /** jobsGetRun reads the run at once but answers (that view) only once the promise this returns settles. */
  readGate?: () => Promise<void> | undefined;
}

export interface Call {
  name: string;
  input: unknown;
}

type Fn = (input: never) => Promise<unknown>;

export function fakeWorkspace(script: FakeScript = {}) {
  const calls: Call[] = [];
  const polls = new Map<string, number>();
  const delay = script.pollDelayMs ?? 1000;
  const clusters = new Map<string, string>(Object.entries(script.existing ?? {}));
  const runs = new Map<number, { life: string; cancelled: boolean; repairs: number; fails?: boolean }>();
  let nextRun = 1000;
  const tasks = script.tasks ?? ['main'];

  const stillWaiting = (what: string) => ApplicationFailure.create({ type: 'StillWaiting', message: `${what}: not yet`, nextRetryDelay: delay });
  const poll = (key: string, limit: number): boolean => {
    const n = (polls.get(key) ?? 0) + 1;
    polls.set(key, n);
    return n > limit;
  };
  const runView = (run_id: number): Run => {
    const r = runs.get(run_id)!;
    const terminated = r.life === 'TERMINATED';
    const taskViews = tasks.map((task_key, i) => {
      const repaired = r.repairs >= (script.succeedAfterRepairs ?? Infinity);
      const result = r.cancelled ? 'CANCELED' : r.fails ? 'FAILED' : repaired ? 'SUCCESS' : (script.taskResults?.[task_key] ?? 'SUCCESS');
      return {
        task_key,
        run_id: run_id * 10 + i,
        state: terminated ? { life_cycle_state: 'TERMINATED', result_state: result } : { life_cycle_state: r.life },
        start_time: 1_000,
        end_time: terminated ? 61_000 : 0,
      };
    });
    const failed = taskViews.some((t) => t.state.result_state && t.state.result_state !== 'SUCCESS');
    return {
      run_id,
      run_page_url: `https://fake.example/#job/1/run/${run_id}`,
      state: terminated ? { life_cycle_state: 'TERMINATED', result_state: r.cancelled ? 'CANCELED' : failed ? 'FAILED' : 'SUCCESS' } : { life_cycle_state: r.life },
      tasks: taskViews,
      start_time: 1_000,
      end_time: terminated ? 61_000 : 0,
    };
  };

  const impl = {
    async clustersCreate() {
      await script.createGate;
      const id = `0101-000000-c${clusters.size}`;
      clusters.set(id, 'PENDING');
      return { cluster_id: id, idempotency_key: 'k', adopted: false };
    },
    async clustersGet({ cluster_id }: { cluster_id: string }) {
      return { cluster_id, state: clusters.get(cluster_id) ?? 'UNKNOWN' };
    },
    async clustersStart({ cluster_id }: { cluster_id: string }) {
      clusters.set(cluster_id, 'PENDING');
      return {};
    },
    async clustersDelete({ cluster_id }: { cluster_id: string }) {
      clusters.set(cluster_id, 'TERMINATED');
      return {};
    },
    async clustersPermanentDelete({ cluster_id }: { cluster_id: string }) {
      clusters.delete(cluster_id);
      return {};
    },
    async waitClusterRunning({ cluster_id }: { cluster_id: string }) {
      if (!poll(`cluster:${cluster_id}`, script.clusterPolls ?? 0)) throw stillWaiting(`cluster ${cluster_id}`);
      if (script.clusterFails) {
        clusters.set(cluster_id, 'ERROR');
        throw ApplicationFailure.create({ type: 'ClusterFailed', message: `Cluster ${cluster_id} is ERROR while waiting for RUNNING: CLOUD_PROVIDER_LAUNCH_FAILURE`, nonRetryable: true });
      }
      clusters.set(cluster_id, 'RUNNING');
      return { cluster_id, state: 'RUNNING' };
    },
    async workspaceImport() {
      return {};
    },
    async jobsRunNow(request: Record<string, unknown>) {
      const run_id = nextRun++;
      runs.set(run_id, { life: 'PENDING', cancelled: false, repairs: 0, fails: script.failRunIf?.(request) ?? false });
      return { run_id, number_in_job: run_id, idempotency_token: 't' };
    },
    async jobsSubmit(request: Record<string, unknown>) {
      const run_id = nextRun++;
      runs.set(run_id, { life: 'PENDING', cancelled: false, repairs: 0, fails: script.failRunIf?.(request) ?? false });
      return { run_id, idempotency_token: 't' };
    },
    async jobsRepairRun({ run_id, latest_repair_id }: { run_id: number; latest_repair_id?: number }) {
      const r = runs.get(run_id)!;
      const latest = r.repairs === 0 ? undefined : run_id * 100 + r.repairs;
      if (r.life !== 'TERMINATED' || latest_repair_id !== latest) throw ApplicationFailure.create({ type: 'InvalidParameterValue', message: `repair of run ${run_id}: latest ${latest}, got ${latest_repair_id}`, nonRetryable: true });
      r.repairs++;
      r.life = 'PENDING';
      polls.delete(`run:${run_id}`);
      await script.repairGate;
      return { repair_id: run_id * 100 + r.repairs, adopted: false };
    },
    async jobsGetRun({ run_id }: { run_id: number }) {
      const view = runView(run_id);
      await script.readGate?.();
      return view;
    },
    async jobsCancelRun({ run_id }: { run_id: number }) {
      const r = runs.get(run_id);
      if (r) Object.assign(r, { life: 'TERMINATED', cancelled: true });
      return {};
    },
    async jobsGetRunFailureOutput({ run_id }: { run_id: number }): Promise<RunFailureOutput> {
      return { error: `AnalysisException: table not found (task run ${run_id})`, error_trace: `Traceback\n  line 1\nAnalysisException: table not found`, truncated: false };
    },
    async waitRunTerminated({ run_id }: { run_id: number }) {
      const r = runs.get(run_id)!;
      // A run finished by the test (finishRun) is seen at the next poll, whatever runPolls says.
      const limit = r.repairs > 0 ? (script.repairedRunPolls ?? script.runPolls ?? 0) : (script.runPolls ?? 0);
      if (r.life !== 'TERMINATED' && !poll(`run:${run_id}`, limit)) {
        r.life = 'RUNNING';
        throw stillWaiting(`run ${run_id}`);
      }
      r.life = 'TERMINATED';
      const view = runView(run_id);
      if (view.state?.result_state !== 'SUCCESS') {
        throw ApplicationFailure.create({ type: 'RunFailed', message: `Run ${run_id} ${view.state?.result_state}`, nonRetryable: true });
      }
      return view;
    },
    /** Test hook: the run finishes now (as a webhook would report). */
    async warehousesGet({ id }: { id: string }) {
      return { id, state: script.warehouseState ?? 'RUNNING' };
    },
    async warehousesStart({ id }: { id: string }) {
      return { id };
    },
    async waitWarehouseRunning({ id }: { id: string }) {
      if (script.warehouseBlocks) throw stillWaiting(`warehouse ${id}`);
      return { id, state: 'RUNNING' };
    },
    async statementsExecute(req: { row_limit?: number; byte_limit?: number }): Promise<StatementResponse> {
      if (script.statementFails) return { statement_id: 's1', status: { state: 'FAILED', error: { error_code: 'BAD_REQUEST', message: '[TABLE_OR_VIEW_NOT_FOUND] main.default.nope' } } };
      const total = script.statementRows ?? 3;
      const rows = Array.from({ length: Math.min(total, req.row_limit ?? total) }, (_, i) => [`region-${i}`, String(i * 10)]);
      // As the API: byte_limit trims the rows too (and marks the result truncated).
      while (req.byte_limit !== undefined && rows.length > 0 && JSON.stringify(rows).length > req.byte_limit) rows.splice(Math.floor(rows.length * 0.9));
      return {
        statement_id: 's1',
        status: { state: 'SUCCEEDED' },
        manifest: { schema: { columns: [{ name: 'region' }, { name: 'total' }] }, total_row_count: rows.length, truncated: total > rows.length },
        result: { data_array: rows },
      };
    },
    async statementsCancel() {
      return {};
    },
    async waitStatement({ statement_id }: { statement_id: string }): Promise<StatementResponse> {
      return { statement_id, status: { state: 'SUCCEEDED' } };
    },
  };

  // Record every call, then delegate; `fields` projects the answer as the real activities do, so a
  // field the workflow reads but does not ask for is missing here too.
  const activities = Object.fromEntries(
    Object.entries(impl).map(([name, fn]) => [
      name,
      async (input: unknown) => {
        calls.push({ name, input });
        const { input: rest, fields } = takeFields(name, input);
        const result = await (fn as unknown as (i: unknown) => Promise<unknown>)(rest);
        return fields ? project(result, fields) : result;
      },
    ]),
  ) as unknown as PipelineActivities;

  return {
    activities,
    calls,
    names: () => calls.map((c) => c.name),
    clusters,
    runs,
    /** Makes a run terminal as Databricks would, e.g. before sending a webhook event. */
    finishRun(run_id: number) {
      const r = runs.get(run_id);
      if (r) r.life = 'TERMINATED';
    },
  };
}

// Keeps the fake honest: it must offer every activity the workflow calls.
const _check: Record<keyof PipelineActivities, Fn> = {} as Record<keyof ReturnType<typeof fakeWorkspace>['activities'], Fn>;
void _check;
