import { describe, expect, it } from 'vitest';
import { parsePipelineSpec, validatePipelineSpec, InvalidPipelineSpecError } from '../../../src/workflows/lib/pipeline-spec.js';

const minimal = {
  name: 'p1',
  cluster: { new_cluster: { spark_version: '15.4.x-scala2.12', num_workers: 1 } },
  job: { tasks: [{ task_key: 'a', notebook_task: { notebook_path: '/Shared/a' } }] },
};

function problems(spec: unknown): string[] {
  const r = validatePipelineSpec(spec);
  if (r.ok) throw new Error('expected the spec to be rejected');
  return r.problems;
}

describe('pipeline spec', () => {
  it('accepts a minimal spec and turns durations into seconds', () => {
    const spec = parsePipelineSpec({ ...minimal, job: { ...minimal.job, timeout: '1h30m' }, timeouts: { cluster_start: 90, run: '2h', sql: '45s' } });
    expect(spec.job.timeout).toBe(5400);
    expect(spec.timeouts).toEqual({ cluster_start: 90, run: 7200, sql: 45 });
    // The parsed spec is itself valid input: the workflow re-validates what the client sends.
    expect(parsePipelineSpec(spec)).toEqual(spec);
  });

  it('lists every problem at once, each with its path', () => {
    const list = problems({
      name: 'bad name!',
      extra: true,
      cluster: { existing_cluster_id: 'c1', cleanup: 'delete', colour: 'red' },
      job: {
        tasks: [
          { task_key: 'a', notebook_task: { notebook_path: '/x' }, depends_on: [{ task_key: 'zzz' }] },
          { task_key: 'a', sql_task: { warehouse_id: 'w' }, spark_python_task: { python_file: '/y' } },
        ],
        timeout: -5,
      },
      timeouts: { run: 'soon' },
      sql: { warehouse_id: 7 },
    });
    expect(list).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: /),
        'extra: unknown key',
        'cluster.colour: unknown key',
        expect.stringMatching(/^cluster\.cleanup: cannot delete a cluster this pipeline did not create/),
        expect.stringMatching(/^job\.timeout: must be a positive duration .* got -5$/),
        'job.tasks[0].depends_on[0].task_key: depends on unknown task "zzz"',
        'job.tasks[1].task_key: duplicate task_key "a" (also tasks[0])',
        expect.stringMatching(/^job\.tasks\[1\]: has 2 task types \(spark_python_task, sql_task\)/),
        expect.stringMatching(/^timeouts\.run: must be a positive duration .*"soon"/),
        'sql.warehouse_id: must be a string',
        'sql.statement: required',
      ]),
    );
    expect(list).toHaveLength(11);
  });

  it('rejects a spec without a job, and one with both job_id and tasks', () => {
    expect(problems({ name: 'p', job: {} })).toEqual(['job: missing job: give job_id (an existing job) or tasks (a one-time run)']);
    expect(problems({ job: { job_id: 1 } })).toEqual(['name: required']);
    expect(problems({ name: 'p' })).toEqual(['job: required']);
    expect(problems({ name: 'p', job: 'run it' })).toEqual(['job: must be an object with job_id or tasks']);
    expect(problems({ ...minimal, job: { job_id: 5, tasks: minimal.job.tasks } })).toEqual(['job.tasks: give job_id or tasks, not both']);
  });

  it('rejects impossible compute and cleanup combinations', () => {
    expect(problems({ name: 'p', job: minimal.job })).toEqual([
      'job.tasks[0]: has no compute: add a top-level cluster, or existing_cluster_id / new_cluster / job_cluster_key on the task',
    ]);
    expect(problems({ ...minimal, cluster: { cleanup: 'terminate' } })).toEqual(['cluster: give exactly one of existing_cluster_id or new_cluster']);
    expect(problems({ name: 'p', job: { tasks: [{ task_key: 'a', job_cluster_key: 'nope', notebook_task: { notebook_path: '/x' } }] } })).toEqual([
      'job.tasks[0].job_cluster_key: no job_clusters entry has job_cluster_key "nope"',
    ]);
    // SQL tasks run on a warehouse, so they need no cluster.
    expect(validatePipelineSpec({ name: 'p', job: { tasks: [{ task_key: 'q', sql_task: { warehouse_id: 'w', file: { path: '/q.sql' } } }] } }).ok).toBe(true);
  });

  it('rejects negative and zero timeouts and out-of-range numbers', () => {
    expect(problems({ ...minimal, timeouts: { cluster_start: 0 } })).toEqual([expect.stringMatching(/^timeouts\.cluster_start: must be a positive duration/)]);
    expect(problems({ ...minimal, sql: { warehouse_id: 'w', statement: 'select 1', max_rows: 5000 } })).toEqual([expect.stringMatching(/^sql\.max_rows: must be at most 1000/)]);
    expect(problems({ ...minimal, cluster: { new_cluster: { spark_version: 'x', autotermination_minutes: 5 } } })).toEqual([
      'cluster.new_cluster.autotermination_minutes: must be 0 (never) or from 10 to 10000',
    ]);
  });

  it('expected durations: hints in seconds, each shorter than its wait timeout, only for waits the pipeline has', () => {
    const spec = parsePipelineSpec({ ...minimal, expected: { cluster_start: '5m', run: 600 } });
    expect(spec.expected).toEqual({ cluster_start: 300, run: 600 });
    expect(parsePipelineSpec(spec)).toEqual(spec);
    expect(problems({ ...minimal, expected: { cluster_start: '45m', run: 'soon', sql: '1m', later: 1 } })).toEqual([
      'expected.run: must be a positive duration (seconds, or text such as "90s", "20m", "2h"), got "soon"',
      'expected.later: unknown key',
      'expected.cluster_start: must be shorter than the default timeouts.cluster_start (30m): the wait would give up before the expected end',
      'expected.sql: there is no follow-up SQL to wait for (no sql section)',
    ]);
    expect(problems({ ...minimal, job: { ...minimal.job, timeout: '10m' }, timeouts: { cluster_start: '5m' }, expected: { cluster_start: '5m', run: '20m' } })).toEqual([
      'expected.cluster_start: must be shorter than timeouts.cluster_start (5m): the wait would give up before the expected end',
      'expected.run: must be shorter than job.timeout + 10m: the wait would give up before the expected end',
    ]);
    expect(problems({ ...minimal, expected: 5 })).toEqual(['expected: must be an object (typical durations: cluster_start, run, sql)']);
  });

  it('run events by webhook: a one-time run must name its end-event destinations; job_id runs use the job\'s own', () => {
    const hooks = { on_success: [{ id: 'durabricks' }], on_failure: [{ id: 'durabricks' }] };
    const spec = parsePipelineSpec({ ...minimal, job: { ...minimal.job, webhook_notifications: hooks, run_events: 'webhook' } });
    expect(spec.job).toMatchObject({ run_events: 'webhook', webhook_notifications: hooks });
    expect(parsePipelineSpec({ name: 'p2', job: { job_id: 7, run_events: 'webhook' } }).job.run_events).toBe('webhook');
    expect(problems({ ...minimal, job: { ...minimal.job, webhook_notifications: { on_success: [{ id: 'd' }] }, run_events: 'webhook' } })).toEqual([
      'job.run_events: run_events: webhook needs webhook_notifications.on_failure naming the destination of the durabricks webhook receiver (a one-time run notifies no one else)',
    ]);
    expect(problems({ name: 'p3', job: { job_id: 7, run_events: 'push', webhook_notifications: { on_sucess: [] } } })).toEqual([
      'job.webhook_notifications.on_sucess: unknown key',
      'job.run_events: must be poll or webhook',
      "job.webhook_notifications: webhook_notifications only apply to tasks (a one-time run); an existing job has its own (set run_events: webhook if they reach the durabricks webhook receiver)",
    ]);
  });

  it('throws InvalidPipelineSpecError with the problem list from parsePipelineSpec', () => {
    const err = (() => {
      try {
        parsePipelineSpec({ name: '', job: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidPipelineSpecError);
    expect((err as InvalidPipelineSpecError).problems).toHaveLength(2);
    expect((err as Error).message).toMatch(/invalid pipeline spec \(2 problems\):\n {2}- name: /);
  });
});
