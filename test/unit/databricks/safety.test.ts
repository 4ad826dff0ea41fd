/** Which operations are safe to send again (they may be retried after reaching the server). */
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabricksClient, DatabricksError } from '../../../src/databricks/index.js';
import { harness } from './helpers.js';

const h = harness();
// Every request answers 400, so each call fails once and reports its operation's safety flag.
h.pool.intercept({ path: () => true, method: () => true }).reply(400, { error_code: 'BAD_REQUEST', message: 'x' }).persist();
afterAll(() => h.agent.close());

const c = h.client;
const cases: [string, (c: DatabricksClient) => Promise<unknown>, boolean][] = [
  ['clusters.create', (c) => c.clusters.create({ spark_version: 'x' }), false],
  ['clusters.start', (c) => c.clusters.start({ cluster_id: 'c' }), false],
  ['clusters.restart', (c) => c.clusters.restart({ cluster_id: 'c' }), false],
  ['clusters.edit', (c) => c.clusters.edit({ cluster_id: 'c', spark_version: 'x' }), false],
  ['clusters.resize', (c) => c.clusters.resize({ cluster_id: 'c', num_workers: 2 }), false],
  ['clusters.delete', (c) => c.clusters.delete({ cluster_id: 'c' }), true],
  ['clusters.permanentDelete', (c) => c.clusters.permanentDelete({ cluster_id: 'c' }), true],
  ['clusters.events', (c) => c.clusters.eventsPage({ cluster_id: 'c' }), true],
  ['clusters.get', (c) => c.clusters.get({ cluster_id: 'c' }), true],
  ['jobs.create', (c) => c.jobs.create({ name: 'j' }), false],
  ['jobs.runNow', (c) => c.jobs.runNow({ job_id: 1 }), false],
  ['jobs.runNow', (c) => c.jobs.runNow({ job_id: 1, idempotency_token: 't' }), true],
  ['jobs.submit', (c) => c.jobs.submit({ tasks: [] }), false],
  ['jobs.submit', (c) => c.jobs.submit({ tasks: [], idempotency_token: 't' }), true],
  ['jobs.repairRun', (c) => c.jobs.repairRun({ run_id: 1, rerun_all_failed_tasks: true }), false],
  ['jobs.cancelRun', (c) => c.jobs.cancelRun({ run_id: 1 }), true],
  ['jobs.reset', (c) => c.jobs.reset({ job_id: 1, new_settings: {} }), true],
  ['dbfs.create', (c) => c.dbfs.create({ path: '/a' }), false],
  ['dbfs.addBlock', (c) => c.dbfs.addBlock({ handle: 1, data: '' }), false],
  ['dbfs.close', (c) => c.dbfs.close({ handle: 1 }), false],
  ['dbfs.put', (c) => c.dbfs.put({ path: '/a', contents: '' }), false],
  ['dbfs.put', (c) => c.dbfs.put({ path: '/a', contents: '', overwrite: true }), true],
  ['dbfs.delete', (c) => c.dbfs.delete({ path: '/a', recursive: true }), true],
  ['dbfs.move', (c) => c.dbfs.move({ source_path: '/a', destination_path: '/b' }), false],
  ['secrets.createScope', (c) => c.secrets.createScope({ scope: 's' }), false],
  ['secrets.put', (c) => c.secrets.put({ scope: 's', key: 'k', string_value: 'v' }), true],
  ['workspace.import', (c) => c.workspace.import({ path: '/a', content: '' }), false],
  ['workspace.import', (c) => c.workspace.import({ path: '/a', content: '', overwrite: true }), true],
  ['workspace.mkdirs', (c) => c.workspace.mkdirs({ path: '/a' }), true],
  ['instancePools.create', (c) => c.instancePools.create({ instance_pool_name: 'p', node_type_id: 'n' }), false],
  ['clusterPolicies.create', (c) => c.clusterPolicies.create({ name: 'p', definition: '{}' }), false],
  ['clusterPolicies.edit', (c) => c.clusterPolicies.edit({ policy_id: 'p', name: 'p' }), true],
  ['clusterPolicies.delete', (c) => c.clusterPolicies.delete({ policy_id: 'p' }), true],
  ['libraries.install', (c) => c.libraries.install({ cluster_id: 'c', libraries: [{ jar: 'a' }] }), true],
  ['repos.create', (c) => c.repos.create({ url: 'u', provider: 'gitHub' }), false],
  ['repos.update', (c) => c.repos.update({ repo_id: 1, branch: 'b' }), true],
  ['tokens.create', (c) => c.tokens.create({}), false],
  ['tokens.revoke', (c) => c.tokens.revoke({ token_id: 't' }), true],
  ['tokenManagement.createOboToken', (c) => c.tokenManagement.createOboToken({ application_id: 'a' }), false],
  ['tokenManagement.delete', (c) => c.tokenManagement.delete({ token_id: 't' }), true],
  ['tokenManagement.get', (c) => c.tokenManagement.get({ token_id: 't' }), true],
  ['permissions.set', (c) => c.permissions.set({ object_type: 'jobs', object_id: '1', access_control_list: [] }), true],
  ['permissions.update', (c) => c.permissions.update({ object_type: 'jobs', object_id: '1', access_control_list: [] }), true],
  ['warehouses.create', (c) => c.warehouses.create({}), false],
  ['warehouses.start', (c) => c.warehouses.start({ id: 'w' }), true],
  ['warehouses.setWorkspaceWarehouseConfig', (c) => c.warehouses.setWorkspaceWarehouseConfig({ security_policy: 'NONE', enable_serverless_compute: true }), true],
  ['statements.execute', (c) => c.statements.execute({ statement: 'SELECT 1', warehouse_id: 'w' }), false],
  ['statements.cancel', (c) => c.statements.cancel({ statement_id: 's' }), true],
  ['catalogs.create', (c) => c.catalogs.create({ name: 'c' }), false],
  ['catalogs.update', (c) => c.catalogs.update({ name: 'c', comment: 'x' }), true],
  ['catalogs.update', (c) => c.catalogs.update({ name: 'c', new_name: 'd' }), false],
  ['tables.delete', (c) => c.tables.delete({ full_name: 'a.b.c' }), true],
  ['globalInitScripts.create', (c) => c.globalInitScripts.create({ name: 'n', script: 'eA==' }), false],
  ['globalInitScripts.update', (c) => c.globalInitScripts.update({ script_id: 'S', name: 'n', script: 'eA==' }), true],
  ['globalInitScripts.delete', (c) => c.globalInitScripts.delete({ script_id: 'S' }), true],
  ['instanceProfiles.add', (c) => c.instanceProfiles.add({ instance_profile_arn: 'arn' }), false],
  ['instanceProfiles.remove', (c) => c.instanceProfiles.remove({ instance_profile_arn: 'arn' }), true],
];

describe('safe-to-repeat flags', () => {
  it.each(cases.map(([operation, call, safe]) => ({ operation, call, safe })))('$operation safe=$safe', async ({ operation, call, safe }) => {
    const err = (await call(c).catch((e: unknown) => e)) as DatabricksError;
    expect(err.operation).toBe(operation);
    expect(err.safeToRepeat).toBe(safe);
  });
});
