import { describe, expect, it } from 'vitest';
import { project } from '../../../src/activities/fields.js';
import { FailureType } from '../../../src/common/activity-policies.js';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

describe('project', () => {
  const run = {
    run_id: 7,
    state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' },
    run_page_url: 'https://x/#job/1/run/7',
    tasks: [
      { task_key: 'a', run_id: 8, state: { life_cycle_state: 'TERMINATED' }, notebook_task: { notebook_path: '/n' } },
      { task_key: 'b', run_id: 9, existing_cluster_id: 'c-1' },
    ],
    cluster_spec: { new_cluster: { num_workers: 4 } },
  };

  it('keeps the listed paths, applies a path inside an array to every element, and omits what the value lacks', () => {
    expect(project(run, ['run_id', 'state.result_state', 'tasks.task_key', 'tasks.state', 'missing', 'cluster_spec.nope'])).toEqual({
      run_id: 7,
      state: { result_state: 'SUCCESS' },
      tasks: [{ task_key: 'a', state: { life_cycle_state: 'TERMINATED' } }, { task_key: 'b' }],
      cluster_spec: {},
    });
  });

  it('a whole field wins over a path inside it, in either order', () => {
    expect(project(run, ['state.result_state', 'state'])).toEqual({ state: run.state });
    expect(project(run, ['state', 'state.result_state'])).toEqual({ state: run.state });
  });

  it('leaves the value it projects unchanged', () => {
    const copy = structuredClone(run);
    project(run, ['run_id']);
    expect(run).toEqual(copy);
  });
});

describe('fields on activities', () => {
  const ctx = useEmulatorActivities();

  it('a read returns only the fields asked for; without them it returns the whole object', async () => {
    const { id } = await ctx.client.warehouses.create({ name: 'w', cluster_size: '2X-Small', max_num_clusters: 1 });
    const whole = await mockEnv().exec(ctx.acts.warehousesGet, { id });
    expect(Object.keys(whole).length).toBeGreaterThan(5);
    const slim = await mockEnv().exec(ctx.acts.warehousesGet, { id, fields: ['id', 'state'] });
    expect(slim).toEqual({ id, state: whole.state });
  });

  it('a waiter projects the object it ends with', async () => {
    const { run_id } = await ctx.client.jobs.submit({ run_name: 'r', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/n' } }] });
    const run = await mockEnv().exec(ctx.acts.waitRunTerminated, { run_id, fields: ['run_id', 'state.result_state', 'tasks.task_key'] });
    expect(run).toEqual({ run_id, state: { result_state: 'SUCCESS' }, tasks: [{ task_key: 't' }] });
  });

  it('malformed fields fail the call as invalid input, before any request', async () => {
    const before = ctx.events.length;
    for (const fields of [[], ['state..x'], ['a b'], [42], 'state']) {
      const err = await rejection(mockEnv().exec(ctx.acts.warehousesGet, { id: 'w', fields } as never));
      expect(err).toMatchObject({ type: FailureType.Validation, nonRetryable: true });
      expect(err.message).toMatch(/warehousesGet: invalid argument 'fields/);
    }
    expect(ctx.events.length).toBe(before);
  });
});
