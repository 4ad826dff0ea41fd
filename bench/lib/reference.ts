/**
 * The reference pipeline of issue 10: a new cluster that takes `clusterSeconds` to start, a one-task
 * job run of `runSeconds` on it, cluster terminated, then one follow-up SQL statement on a running
 * warehouse. Durations are emulator directives (virtual seconds); the same numbers drive durabricks
 * and the baselines.
 */
import type { PipelineSpecInput } from '../../src/workflows/lib/pipeline-spec.js';

export interface ReferenceTimings {
  clusterSeconds: number;
  runSeconds: number;
}

export const NOTEBOOK_PATH = '/Shared/bench/etl';
export const STATEMENT = 'SELECT 1 AS ok';

export function clusterSpec(t: ReferenceTimings, name: string) {
  return {
    cluster_name: name,
    spark_version: '15.4.x-scala2.12',
    node_type_id: 'i3.xlarge',
    num_workers: 1,
    // No idle auto-termination: with instant timings the clock jumps ahead for every pipeline at once.
    autotermination_minutes: 0,
    custom_tags: { 'emulator.duration_s': String(t.clusterSeconds) },
  };
}

export function taskSpec(t: ReferenceTimings) {
  return { task_key: 'etl', notebook_task: { notebook_path: NOTEBOOK_PATH, base_parameters: { 'emulator.duration_s': String(t.runSeconds) } } };
}

/**
 * What a user who knows the pipeline adds to its spec: the typical durations (`expected`, the
 * reference durations — not each pipeline's actual one) and, with a destination id, the run's end
 * events sent to the durabricks webhook receiver (`run_events: webhook`).
 */
export interface SpecHints {
  expected: ReferenceTimings;
  webhookDestination?: string;
}

/** The durabricks spec for the same pipeline (timeouts generous: waits are bounded by the workflow, not by us). */
export function pipelineSpec(t: ReferenceTimings, name: string, warehouseId: string, hints?: SpecHints): PipelineSpecInput {
  const hours = (s: number) => `${Math.ceil((s * 2) / 3600) + 1}h`;
  const destination = hints?.webhookDestination;
  return {
    name,
    cluster: { new_cluster: clusterSpec(t, name), cleanup: 'terminate' },
    job: {
      run_name: name,
      tasks: [taskSpec(t)],
      ...(destination ? { webhook_notifications: { on_success: [{ id: destination }], on_failure: [{ id: destination }] }, run_events: 'webhook' as const } : {}),
    },
    sql: { warehouse_id: warehouseId, statement: STATEMENT, max_rows: 10 },
    timeouts: { cluster_start: hours(t.clusterSeconds), run: hours(t.runSeconds), sql: '30m' },
    ...(hints ? { expected: { cluster_start: hints.expected.clusterSeconds, run: hints.expected.runSeconds } } : {}),
  };
}
