/**
 * Pipeline specs the scenarios run, and what each is expected to end as. Emulator directives pick
 * the outcome: `emulator.outcome` on a task (FAILED / INTERNAL_ERROR), `emulator.outcome: ERROR` as a
 * cluster tag (the launch fails), `emulator.duration_s` for how long a task runs (virtual seconds).
 */
import type { PipelineSpecInput } from '../../../src/workflows/lib/pipeline-spec.js';

/** `repaired`: its task fails, the pipeline repairs the run once (job.repair), the repair fails too. */
export type PipelineKind = 'ok' | 'task-failed' | 'internal-error' | 'cluster-error' | 'repaired';

export interface PlannedPipeline {
  workflowId: string;
  kind: PipelineKind;
  spec: PipelineSpecInput;
  /** 'completed' or the ApplicationFailure type the workflow must fail with. */
  expect: { status: 'COMPLETED' } | { status: 'FAILED'; failureType: string };
  /** Creates a cluster of its own (so exactly one cluster must carry its workflow tag). */
  createsCluster: boolean;
  /** Starts a run (so exactly one run must carry its marker). */
  startsRun: boolean;
  /** Repairs its run must show once it ended: exactly this many, however often the worker died. */
  repairs: number;
}

const CLUSTER = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1, autotermination_minutes: 0 };
// autotermination off: a cluster the workflow forgot must stay RUNNING so the leak check sees it.

export function pipelineSpec(name: string, kind: PipelineKind, taskSeconds = 120): PipelineSpecInput {
  const params: Record<string, string> = { 'emulator.duration_s': String(taskSeconds) };
  if (kind === 'task-failed' || kind === 'repaired') Object.assign(params, { 'emulator.outcome': 'FAILED', 'emulator.message': 'chaos: injected task failure' });
  if (kind === 'internal-error') Object.assign(params, { 'emulator.outcome': 'INTERNAL_ERROR', 'emulator.message': 'chaos: injected internal error' });
  return {
    name,
    cluster: {
      new_cluster: { ...CLUSTER, ...(kind === 'cluster-error' ? { custom_tags: { 'emulator.outcome': 'ERROR', 'emulator.message': 'chaos: injected launch failure' } } : {}) },
      cleanup: 'terminate',
    },
    job: {
      run_name: name,
      tasks: [{ task_key: 'etl', notebook_task: { notebook_path: '/Shared/chaos/etl', base_parameters: params } }],
      ...(kind === 'repaired' ? { repair: { attempts: 1 } } : {}),
    },
  };
}

export function planPipeline(workflowId: string, kind: PipelineKind, taskSeconds?: number): PlannedPipeline {
  const spec = pipelineSpec(workflowId.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 100), kind, taskSeconds);
  const failureType = kind === 'cluster-error' ? 'ClusterStartFailed' : 'PipelineTaskFailed';
  return {
    workflowId,
    kind,
    spec,
    expect: kind === 'ok' ? { status: 'COMPLETED' } : { status: 'FAILED', failureType },
    createsCluster: true,
    startsRun: kind !== 'cluster-error',
    repairs: kind === 'repaired' ? 1 : 0,
  };
}

/** A deterministic mix: mostly successes, some failing tasks, an internal error, a cluster that fails, a repaired run. */
export function pipelineMix(prefix: string, n: number, rand: () => number): PlannedPipeline[] {
  const kinds: PipelineKind[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    kinds.push(r < 0.65 ? 'ok' : r < 0.8 ? 'task-failed' : r < 0.9 ? 'internal-error' : 'cluster-error');
  }
  if (n >= 2 && !kinds.includes('ok')) kinds[0] = 'ok';
  // One run repaired (and failing again), its task long enough that a kill point can wait for the repair.
  if (n >= 2) kinds[n - 1] = 'repaired';
  return kinds.map((k, i) => planPipeline(`${prefix}-${i}-${k}`, k, k === 'repaired' ? 600 : 60 + Math.floor(rand() * 240)));
}

/** mulberry32: small seeded PRNG, so every crash point and mix is reproducible from the seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A provisioning saga: everything it can create; `cluster-error` makes its cluster fail to launch so it unwinds. */
export interface PlannedSaga {
  workflowId: string;
  kind: 'saga-ok' | 'saga-cluster-error';
  spec: Record<string, unknown>;
  expect: { status: 'COMPLETED' } | { status: 'FAILED'; failureType: string };
}

/** The environment variable the saga's secret reference reads on the worker. */
export const SAGA_SECRET_ENV = 'CHAOS_SAGA_SECRET';

export function planSaga(workflowId: string, kind: PlannedSaga['kind']): PlannedSaga {
  const name = workflowId.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 50);
  return {
    workflowId,
    kind,
    spec: {
      name,
      secretScope: { scope: `${name}-scope`, secrets: [{ key: 'password', value: { fromEnv: SAGA_SECRET_ENV } }] },
      instancePool: { node_type_id: 'i3.xlarge', min_idle_instances: 0, idle_instance_autotermination_minutes: 10 },
      cluster: { spec: { spark_version: '15.4.x-scala2.12', num_workers: 1, autotermination_minutes: 0, ...(kind === 'saga-cluster-error' ? { custom_tags: { 'emulator.outcome': 'ERROR' } } : {}) } },
      // Name- and path-keyed creates: a crash after the request was applied must end in adoption, not a failed saga.
      gitCredential: { provider: 'gitHub', token: { fromEnv: SAGA_SECRET_ENV } },
      repo: { url: `https://github.com/chaos/${name}.git`, provider: 'gitHub', path: `/Repos/${name}/etl`, branch: 'release' },
      job: { name: `${name}-job`, tasks: [{ task_key: 'etl', notebook_task: { notebook_path: '/Shared/chaos/etl' } }] },
      warehouse: { cluster_size: 'X-Small', auto_stop_mins: 10, max_num_clusters: 1 },
      storage: { url: `s3://chaos-${name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}/uc`, credential: { aws_iam_role: { role_arn: 'arn:aws:iam::123456789012:role/chaos' } } },
      catalog: { name: `${name.replace(/[^A-Za-z0-9_]/g, '_')}_cat`, schema: 'raw' },
      // The team group first and grants to it last: a crash anywhere between must neither duplicate nor leak it.
      group: { name: `${name}-team`, members: ['admin@emulator.local'] },
      access: { group: `${name}-team`, cluster: 'CAN_RESTART', job: 'CAN_MANAGE_RUN', warehouse: 'CAN_USE', catalog: ['USE_CATALOG'], schema: ['USE_SCHEMA', 'SELECT'] },
    },
    expect: kind === 'saga-ok' ? { status: 'COMPLETED' } : { status: 'FAILED', failureType: 'ProvisioningFailed' },
  };
}
