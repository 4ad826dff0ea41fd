/**
 * Generators of invalid input, shared by the property tests (`npm test`) and the chaos runner's
 * bad-input scenario: invalid pipeline specs (each derived from a valid one by a mutation that is
 * known to break a rule, with the path the problem must name) and invalid activity inputs.
 */
import fc from 'fast-check';
import type { PipelineSpecInput } from '../../src/workflows/lib/pipeline-spec.js';

export interface BadSpec {
  /** What the mutation breaks (for the failure message). */
  rule: string;
  spec: unknown;
  /** The problem list must contain a line starting with this path. */
  path: string;
}

const validName = fc.stringMatching(/^[a-z][a-z0-9_-]{0,20}$/);
const taskKey = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);

/** A valid spec: new or existing cluster, one to three notebook tasks in a chain, optional SQL. */
export const validSpec: fc.Arbitrary<PipelineSpecInput> = fc
  .record({
    name: validName,
    existing: fc.boolean(),
    keys: fc.uniqueArray(taskKey, { minLength: 1, maxLength: 3 }),
    sql: fc.boolean(),
    workers: fc.integer({ min: 0, max: 8 }),
  })
  .map(({ name, existing, keys, sql, workers }) => ({
    name,
    cluster: existing ? { existing_cluster_id: '0101-000000-abc' } : { new_cluster: { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: workers } },
    job: { tasks: keys.map((k, i) => ({ task_key: k, notebook_task: { notebook_path: `/Shared/${k}` }, ...(i > 0 ? { depends_on: [{ task_key: keys[i - 1]! }] } : {}) })) },
    ...(sql ? { sql: { warehouse_id: 'wh1', statement: 'SELECT 1' } } : {}),
  }));

type Spec = Record<string, unknown> & { job: { tasks: Record<string, unknown>[] }; cluster: Record<string, unknown> };
type Mutation = (s: Spec) => { rule: string; path: string } | undefined;

const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
const badName = fc.oneof(fc.constant(''), fc.constant('-leading-dash'), fc.constant('has space'), fc.constant('a/b'), fc.constant('x'.repeat(101)), fc.stringMatching(/^[a-z]{1,5}[ !@#$%^&*()+=/\\]{1,3}$/));
const badDuration = fc.oneof(fc.constant(0), fc.constant(-5), fc.constant('abc'), fc.constant('-5m'), fc.constant('0s'), fc.constant(''), fc.constant(true));

/** Each mutation is chosen with its own random parameters. */
function mutations(): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.constant<Mutation>((s) => (delete s.name, { rule: 'name missing', path: 'name' })),
    badName.map<Mutation>((v) => (s) => ((s.name = v), { rule: `name ${JSON.stringify(v)}`, path: 'name' })),
    notAString.map<Mutation>((v) => (s) => ((s.name = v), { rule: 'name not a string', path: 'name' })),
    fc.constant<Mutation>((s) => (delete (s as Partial<Spec>).job, { rule: 'job missing', path: 'job' })),
    fc.oneof(fc.constant(0), fc.constant(-3), fc.constant(1.5), fc.constant('12')).map<Mutation>((v) => (s) => ((s.job = { job_id: v as number } as never), { rule: `job_id ${JSON.stringify(v)}`, path: 'job.job_id' })),
    fc.constant<Mutation>((s) => (((s.job as Record<string, unknown>).job_id = 5), { rule: 'job_id and tasks', path: 'job.tasks' })),
    fc.constant<Mutation>((s) => ((s.job.tasks = []), { rule: 'no tasks', path: 'job.tasks' })),
    fc.constant<Mutation>((s) => (delete s.job.tasks[0]!.notebook_task, { rule: 'task without a type', path: 'job.tasks[0]' })),
    fc.constant<Mutation>((s) => ((s.job.tasks[0]!.spark_python_task = { python_file: '/x.py' }), { rule: 'two task types', path: 'job.tasks[0]' })),
    fc.oneof(fc.constant(''), fc.constant('has space'), fc.constant('a/b'), fc.constant('k'.repeat(101))).map<Mutation>((v) => (s) => ((s.job.tasks[0]!.task_key = v), { rule: `task_key ${JSON.stringify(v)}`, path: 'job.tasks[0].task_key' })),
    fc.constant<Mutation>((s) => (s.job.tasks.length < 2 ? undefined : ((s.job.tasks[1]!.task_key = s.job.tasks[0]!.task_key), { rule: 'duplicate task_key', path: 'job.tasks[1].task_key' }))),
    fc.constant<Mutation>((s) => ((s.job.tasks[0]!.depends_on = [{ task_key: 'no_such_task_zz' }]), { rule: 'depends on unknown task', path: 'job.tasks[0].depends_on[0].task_key' })),
    fc.constant<Mutation>((s) => ((s.cluster = { existing_cluster_id: 'c1', new_cluster: { spark_version: '15.4.x-scala2.12' } }), { rule: 'both cluster kinds', path: 'cluster' })),
    fc.constant<Mutation>((s) => ((s.cluster = {}), { rule: 'no cluster kind', path: 'cluster' })),
    fc.constant<Mutation>((s) => ((s.cluster = { existing_cluster_id: 'c1', cleanup: 'delete' }), { rule: 'deleting a cluster it did not create', path: 'cluster.cleanup' })),
    fc.oneof(fc.constant('destroy'), fc.constant(''), fc.constant(3)).map<Mutation>((v) => (s) => ((s.cluster.cleanup = v), { rule: `cleanup ${JSON.stringify(v)}`, path: 'cluster.cleanup' })),
    fc.constant<Mutation>((s) => ((s.cluster = { new_cluster: { node_type_id: 'i3.xlarge' } }), { rule: 'new_cluster without spark_version', path: 'cluster.new_cluster.spark_version' })),
    fc.oneof(fc.constant(-1), fc.constant(1.5), fc.constant('2')).map<Mutation>((v) => (s) => ((s.cluster = { new_cluster: { spark_version: '15.4.x-scala2.12', num_workers: v } }), { rule: `num_workers ${JSON.stringify(v)}`, path: 'cluster.new_cluster.num_workers' })),
    fc.oneof(fc.constant(5), fc.constant(9), fc.constant(10001), fc.constant(-1)).map<Mutation>((v) => (s) => ((s.cluster = { new_cluster: { spark_version: '15.4.x-scala2.12', autotermination_minutes: v } }), { rule: `autotermination_minutes ${v}`, path: 'cluster.new_cluster.autotermination_minutes' })),
    fc.tuple(fc.constantFrom('cluster_start', 'run', 'sql'), badDuration).map<Mutation>(([k, v]) => (s) => ((s.timeouts = { [k]: v }), { rule: `timeouts.${k} ${JSON.stringify(v)}`, path: `timeouts.${k}` })),
    fc.tuple(fc.constantFrom('cluster_start', 'run'), badDuration).map<Mutation>(([k, v]) => (s) => ((s.expected = { [k]: v }), { rule: `expected.${k} ${JSON.stringify(v)}`, path: `expected.${k}` })),
    fc.constant<Mutation>((s) => (((s.job as Record<string, unknown>).run_events = 'webhook'), { rule: 'run_events webhook without end-event destinations', path: 'job.run_events' })),
    fc.oneof(fc.constant(0), fc.constant(1001), fc.constant(2.5)).map<Mutation>((v) => (s) => ((s.sql = { warehouse_id: 'wh1', statement: 'SELECT 1', max_rows: v }), { rule: `max_rows ${v}`, path: 'sql.max_rows' })),
    fc.constant<Mutation>((s) => ((s.sql = { warehouse_id: 'wh1' }), { rule: 'sql without statement', path: 'sql.statement' })),
    fc.stringMatching(/^[a-z]{3,12}$/).filter((k) => !['name', 'description', 'cluster', 'job', 'sql', 'timeouts', 'expected', 'files', 'tags'].includes(k)).map<Mutation>((k) => (s) => ((s[k] = 1), { rule: `unknown key ${k}`, path: k })),
    fc.constant<Mutation>((s) => ((s.files = [{ path: 'relative/x.py', content: 'x' }]), { rule: 'relative file path', path: 'files[0].path' })),
    fc.oneof(fc.integer(), fc.boolean()).map<Mutation>((v) => (s) => ((s.tags = { team: v }), { rule: 'tag value not a string', path: 'tags.team' })),
  );
}

/** An invalid spec: a valid one with one to three rule-breaking mutations; every broken rule must be reported. */
export const badSpec: fc.Arbitrary<BadSpec[]> = fc.tuple(validSpec, fc.array(mutations(), { minLength: 1, maxLength: 3 })).map(([valid, muts]) => {
  let spec = structuredClone(valid) as unknown as Spec;
  const broken: { rule: string; path: string }[] = [];
  const touched = new Set<string>();
  for (const m of muts) {
    // Each mutation works on a copy and is kept only if it touches a top-level field no earlier one
    // touched: two edits of the same field could repair each other (e.g. "two task types" followed by
    // "remove the notebook task" leaves one valid type).
    const trial = structuredClone(spec);
    let r: { rule: string; path: string } | undefined;
    try {
      r = m(trial);
    } catch {
      r = undefined; // an earlier mutation removed what this one edits
    }
    if (!r) continue;
    const top = r.path.split(/[.[]/)[0]!;
    if (touched.has(top)) continue;
    touched.add(top);
    spec = trial;
    broken.push(r);
  }
  return broken.map((b) => ({ ...b, spec }));
}).filter((list) => list.length > 0);

/** Not a spec at all. */
export const notASpec = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.string(), fc.array(fc.integer()), fc.constant({}));

/** An activity and an input it must refuse before sending anything, naming `argument`. */
export interface BadActivityInput {
  activity: string;
  input: unknown;
  argument: string;
}

const emptyOrWrong = fc.oneof(fc.constant(''), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]));
const badId = fc.oneof(fc.constant(-1), fc.constant(1.5), fc.constant('12'), fc.constant(null), fc.constant(Number.NaN));

export const badActivityInput: fc.Arbitrary<BadActivityInput> = fc.oneof(
  emptyOrWrong.map((v) => ({ activity: 'clustersGet', input: { cluster_id: v }, argument: 'cluster_id' })),
  fc.constant({ activity: 'clustersGet', input: {}, argument: 'cluster_id' }),
  emptyOrWrong.map((v) => ({ activity: 'clustersDelete', input: { cluster_id: v }, argument: 'cluster_id' })),
  emptyOrWrong.map((v) => ({ activity: 'clustersCreate', input: { spark_version: v, num_workers: 1 }, argument: 'spark_version' })),
  fc.oneof(fc.constant(-1), fc.constant(2.5), fc.constant('3')).map((v) => ({ activity: 'clustersCreate', input: { spark_version: '15.4.x-scala2.12', num_workers: v }, argument: 'num_workers' })),
  badId.map((v) => ({ activity: 'jobsGetRun', input: { run_id: v }, argument: 'run_id' })),
  badId.map((v) => ({ activity: 'jobsCancelRun', input: { run_id: v }, argument: 'run_id' })),
  badId.map((v) => ({ activity: 'jobsRunNow', input: { job_id: v }, argument: 'job_id' })),
  badId.map((v) => ({ activity: 'waitRunTerminated', input: { run_id: v }, argument: 'run_id' })),
  emptyOrWrong.map((v) => ({ activity: 'waitClusterRunning', input: { cluster_id: v }, argument: 'cluster_id' })),
  fc.oneof(fc.constant(0), fc.constant(0.1), fc.constant(-1), fc.constant(4000)).map((v) => ({ activity: 'waitClusterRunning', input: { cluster_id: 'c1', minPollSeconds: v }, argument: 'minPollSeconds' })),
  fc.oneof(fc.constant(0), fc.constant(-300), fc.constant('5m'), fc.constant(1e9), fc.constant(null)).map((v) => ({ activity: 'waitRunTerminated', input: { run_id: 1, expectedSeconds: v }, argument: 'expectedSeconds' })),
  fc.oneof(fc.constant('relative/path'), fc.constant(''), fc.constant(7)).map((v) => ({ activity: 'workspaceImport', input: { path: v, content: 'eA==', format: 'AUTO' }, argument: 'path' })),
  emptyOrWrong.map((v) => ({ activity: 'warehousesGet', input: { id: v }, argument: 'id' })),
  emptyOrWrong.map((v) => ({ activity: 'secretsCreateScope', input: { scope: v }, argument: 'scope' })),
  // A secret pasted as a value instead of a reference: refused, and the message must not echo it.
  fc.stringMatching(/^canary-[a-z0-9]{12}$/).map((v) => ({ activity: 'secretsPut', input: { scope: 's', key: 'k', value: v }, argument: 'value' })),
  emptyOrWrong.map((v) => ({ activity: 'secretsPut', input: { scope: v, key: 'k', value: { fromEnv: 'X' } }, argument: 'scope' })),
  emptyOrWrong.map((v) => ({ activity: 'statementsExecute', input: { warehouse_id: 'wh1', statement: v }, argument: 'statement' })),
);
