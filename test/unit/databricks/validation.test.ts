import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/databricks/index.js';
import { harness, type Harness } from './helpers.js';

let h: Harness = undefined as unknown as Harness;
afterEach(async () => {
  // No interceptor was registered: any request would have failed with a ConnectionError instead.
  expect(h.events).toEqual([]);
  await h.agent.close();
});

const MB = 1024 * 1024;

describe('invalid arguments are rejected before sending, naming the argument', () => {
  it.each<[string, (h: Harness) => Promise<unknown>, string]>([
    ['empty cluster id', (h) => h.client.clusters.get({ cluster_id: '' }), 'cluster_id'],
    ['missing spark_version', (h) => h.client.clusters.create({} as never), 'spark_version'],
    ['negative num_workers', (h) => h.client.clusters.create({ spark_version: 'x', num_workers: -1 }), 'num_workers'],
    ['autotermination 5 minutes', (h) => h.client.clusters.create({ spark_version: 'x', autotermination_minutes: 5 }), 'autotermination_minutes'],
    ['46 cluster tags', (h) => h.client.clusters.create({ spark_version: 'x', custom_tags: Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`k${i}`, 'v'])) }), 'custom_tags'],
    ['job name over 4096 bytes', (h) => h.client.jobs.create({ name: 'é'.repeat(2049) }), 'name'],
    ['26 job tags', (h) => h.client.jobs.create({ tags: Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`k${i}`, 'v'])) }), 'tags'],
    ['string job id', (h) => h.client.jobs.get({ job_id: '12' as unknown as number }), 'job_id'],
    ['negative run id', (h) => h.client.jobs.getRun({ run_id: -5 }), 'run_id'],
    ['idempotency token over 64 chars', (h) => h.client.jobs.runNow({ job_id: 1, idempotency_token: 'x'.repeat(65) }), 'idempotency_token'],
    ['task without key', (h) => h.client.jobs.create({ tasks: [{ task_key: '' }] }), 'tasks.0.task_key'],
    ['negative list limit', (h) => h.client.clusters.list({ limit: -1 }).toArray(), 'limit'],
    ['runs page size over 25', (h) => h.client.jobs.listRuns({ page_size: 26 }).toArray(), 'page_size'],
    ['active_only and completed_only', (h) => h.client.jobs.listRuns({ active_only: true, completed_only: true }).toArray(), 'completed_only'],
    ['DBFS read over 1 MB', (h) => h.client.dbfs.read({ path: '/x', length: MB + 1 }), 'length'],
    ['DBFS negative offset', (h) => h.client.dbfs.read({ path: '/x', offset: -1 }), 'offset'],
    ['DBFS relative path', (h) => h.client.dbfs.getStatus({ path: 'tmp/x' }), 'path'],
    ['DBFS put over 1 MB', (h) => h.client.dbfs.put({ path: '/x', contents: Buffer.alloc(MB + 1).toString('base64') }), 'contents'],
    ['DBFS add-block over 1 MB', (h) => h.client.dbfs.addBlock({ handle: 1, data: Buffer.alloc(MB + 3).toString('base64') }), 'data'],
    ['DBFS upload block size over 1 MB', (h) => h.client.dbfs.upload('/x', Buffer.alloc(1), { blockSize: MB + 1 }), 'blockSize'],
    ['DBFS resume without handle', (h) => h.client.dbfs.upload('/x', Buffer.alloc(10), { startOffset: 5 }), 'handle'],
    ['secret value over 128 KB', (h) => h.client.secrets.put({ scope: 's', key: 'k', string_value: 'x'.repeat(128 * 1024 + 1) }), 'string_value'],
    ['secret without value', (h) => h.client.secrets.put({ scope: 's', key: 'k' }), 'string_value'],
    ['bad secret scope name', (h) => h.client.secrets.createScope({ scope: 'has space' }), 'scope'],
    ['workspace import over 10 MB', (h) => h.client.workspace.importFile('/Users/me/big', Buffer.alloc(10 * MB + 1)), 'content'],
    ['workspace bad format', (h) => h.client.workspace.export({ path: '/x', format: 'PDF' as never }), 'format'],
    ['statement without warehouse', (h) => h.client.statements.execute({ statement: 'SELECT 1', warehouse_id: '' }), 'warehouse_id'],
    ['statement wait_timeout 3s', (h) => h.client.statements.execute({ statement: 'SELECT 1', warehouse_id: 'w', wait_timeout: '3s' }), 'wait_timeout'],
    ['executeAndFetch CSV', (h) => h.client.statements.executeAndFetch({ statement: 'SELECT 1', warehouse_id: 'w', format: 'CSV' }), 'format'],
    ['library with two kinds', (h) => h.client.libraries.install({ cluster_id: 'c', libraries: [{ jar: 'a', whl: 'b' }] }), 'libraries.0'],
    ['ACL with two principals', (h) => h.client.permissions.update({ object_type: 'clusters', object_id: 'c', access_control_list: [{ user_name: 'a', group_name: 'b', permission_level: 'CAN_MANAGE' }] }), 'access_control_list.0'],
    ['warehouse auto_stop 5', (h) => h.client.warehouses.create({ auto_stop_mins: 5 }), 'auto_stop_mins'],
    ['UC negative max_results', (h) => h.client.catalogs.list({ max_results: -1 }).toArray(), 'max_results'],
    ['UC empty table name', (h) => h.client.tables.get({ full_name: '' }), 'full_name'],
    ['repo id not numeric', (h) => h.client.repos.get({ repo_id: 'abc' }), 'repo_id'],
    ['pool name too long', (h) => h.client.instancePools.create({ instance_pool_name: 'p'.repeat(101), node_type_id: 'n' }), 'instance_pool_name'],
    ['token lifetime 0', (h) => h.client.tokens.create({ lifetime_seconds: 0 }), 'lifetime_seconds'],
  ])('%s', async (_name, call, argument) => {
    h = harness();
    // Promise.resolve().then: list() validates synchronously, the promise-returning calls reject.
    const err = await Promise.resolve()
      .then(() => call(h))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).argument).toBe(argument);
    expect((err as ValidationError).message).toContain(`'${argument}'`);
  });
});
