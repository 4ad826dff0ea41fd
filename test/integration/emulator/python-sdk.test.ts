import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensurePythonSdk, PYTHON_SDK_VERSION, type PythonSdk } from '../../../src/dev/python-sdk.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import {
  expectClusterPolicies,
  expectGrants,
  expectJobPermissions,
  expectOrdersTable,
  expectScimGroups,
  expectSdkRetries,
  expectStatementResults,
  expectTokenManagement,
  expectVolumesAndFiles,
  expectWaitersOnRunningClock,
  GRANT_ERRORS,
  POLICY_ERRORS,
  runConformanceProgram,
  type Out,
  SCIM_ERRORS,
} from './sdk-conformance-shared.js';
import { startTestEmulator, type TestClient } from './helpers.js';

/**
 * The official Python SDK (databricks-sdk, unmodified, installed by src/dev/python-sdk.ts) against
 * the emulator: python-sdk/conformance.py drives the SDK's own waiters, iterators, mixins and typed
 * errors, one mode per service group, and prints what it saw. Where they disagree, the emulator is
 * wrong. The SDK's waiters sleep on the real clock, so the main emulator is instant (every poll sees
 * the settled state) and the waiter test runs one at 120× to go through intermediate states.
 */
const SCRIPT = join(fileURLToPath(new URL('.', import.meta.url)), 'python-sdk', 'conformance.py');
const CLIENT = { clientId: 'py-sdk-app', clientSecret: 'py-sdk-secret-123456' };

let sdk: PythonSdk;
let emu: RunningEmulator;
let api: TestClient;

function runMode(mode: string, target: RunningEmulator = emu): Promise<Out> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    PYTHONPATH: sdk.path,
    PYTHONDONTWRITEBYTECODE: '1',
    DATABRICKS_HOST: target.url,
    DATABRICKS_TOKEN: target.token,
    // Nothing from a developer's ~/.databrickscfg may leak in.
    DATABRICKS_CONFIG_FILE: join(sdk.path, 'no-such-databrickscfg'),
    PY_SDK_CLIENT_ID: CLIENT.clientId,
    PY_SDK_CLIENT_SECRET: CLIENT.clientSecret,
  };
  return runConformanceProgram(`conformance.py ${mode}`, sdk.python, [SCRIPT, mode], env, 50_000);
}

const typed = (code: string, type: string, message?: RegExp) => ({ error_code: code, type, ...(message ? { message: expect.stringMatching(message) } : {}) });

beforeAll(async () => {
  sdk = ensurePythonSdk((line) => process.stdout.write(`[python-sdk] ${line}\n`));
  ({ emu, api } = await startTestEmulator({ oauthClients: [CLIENT] }));
});
afterAll(() => emu?.close());
beforeEach(() => emu.reset());

describe(`official Databricks Python SDK ${PYTHON_SDK_VERSION} conformance`, () => {
  it('compute: selectors, create/delete/start waiters, list, events (paged), pools, libraries, typed errors', async () => {
    const o = await runMode('compute');
    const metadata = (await (await fetch(`${emu.url}/.well-known/databricks-config`)).json()) as { workspace_id: string };
    expect(o.config).toEqual({ workspace_id: metadata.workspace_id, discovery_url: `${emu.url}/oidc/.well-known/oauth-authorization-server` });
    expect(metadata.workspace_id).toMatch(/^\d{16}$/);
    expect(o.selected).toEqual({ spark_version: '16.4.x-scala2.12', node_type: 'Standard_D4ds_v5' });
    expect(o.created).toEqual({ state: 'RUNNING', name: 'py-sdk', workers: 1, tags: { team: 'data' } });
    expect(o.listed).toEqual([[true, 'py-sdk', 'RUNNING']]);
    expect(o.events).toEqual(['CREATING', 'STARTING', 'RUNNING']);
    expect(o.events_paged).toEqual(o.events);
    expect(o.deleted).toEqual({ state: 'TERMINATED', reason: 'USER_REQUEST' });
    expect(o.started).toBe('RUNNING');
    expect(o.start_running_error).toMatchObject(typed('INVALID_STATE', 'InvalidState', /is in unexpected state Running/));
    // The SDK's error override turns clusters/get's 400 "does not exist" into ResourceDoesNotExist.
    expect(o.after_permanent_delete).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'ResourceDoesNotExist'));
    expect(o.missing_cluster).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'ResourceDoesNotExist', /Cluster 0000-000000-nope does not exist/));
    expect(o.missing_cluster.is).toContain('NotFound');
    expect(o.pool).toEqual({ state: 'ACTIVE', name: 'py-pool', max: 4, node_type: 'Standard_D4ds_v5' });
    expect(o.pools_listed).toEqual(['py-pool']);
    expect(o.pool_edited).toBe('py-pool-2');
    expect(o.pool_deleted_state).toBe('DELETED');
    expect(o.libraries).toEqual([
      ['{"maven": {"coordinates": "org.jsoup:jsoup:1.7.2"}}', 'INSTALLED'],
      ['{"pypi": {"package": "pandas==2.2.0"}}', 'INSTALLED'],
    ]);
    expect(o.libraries_all).toEqual([[true, 2]]);
    expect(o.libraries_after_uninstall).toEqual(['INSTALLED', 'UNINSTALL_ON_RESTART']);
  });

  it('cluster policies: create/get/list/edit/delete, policy families, a governed create_and_wait, typed rejections, and jobs.submit under a job-only policy', async () => {
    const o = await runMode('policies');
    expectClusterPolicies(o, 'py');
    expect(o.duplicate_name).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', POLICY_ERRORS.duplicate('py')));
    expect(o.rejected).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', POLICY_ERRORS.rejected));
    expect(o.unknown_policy).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist', POLICY_ERRORS.unknownPolicy));
    expect(o.after_delete).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist', POLICY_ERRORS.deleted));
    // Policy compliance: the governed cluster (2 workers) falls out of it when the policy allows 1.
    expect(o.compliant_before).toBe(true);
    expect(o.compliance_after).toEqual({ compliant: false, violations: { num_workers: 'Validation failed for num_workers, the value cannot be greater than 1' } });
    expect(o.listed_compliance).toEqual([[true, false]]);
    // Job clusters under a job-only policy: jobs.submit(...).result() launches with its fixed values and defaults.
    const launched = { runtime_engine: 'PHOTON', tags: { team: 'data' }, policy_id_ok: true };
    expect(o.job_policy_run).toEqual({ life_cycle_state: 'TERMINATED', result_state: 'SUCCESS', spec: launched, cluster: { source: 'JOB', ...launched } });
    expect(o.job_policy_rejected).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', POLICY_ERRORS.rejected));
    expect(o.job_policy_runs_unchanged).toBe(true);
    expect(o.job_policy_all_purpose).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /^Validation failed for cluster_type, the value must be job \(is "all-purpose"\)$/));
  });

  it('jobs: create, run_now_and_wait, get_run_output, list_runs paging, submit_and_wait, repair, update, delete', async () => {
    const o = await runMode('jobs');
    expect(o.job).toEqual({ name: 'py-sdk-job', tasks: ['ingest', 'publish'], creator: 'admin@emulator.local' });
    expect(o.jobs_listed).toEqual(['py-sdk-job']);
    expect(o.jobs_listed_expanded).toEqual([['ingest', 'publish']]);
    expect(o.run).toEqual({ life_cycle_state: 'TERMINATED', result_state: 'SUCCESS', status: 'TERMINATED', tasks: [['ingest', 'SUCCESS'], ['publish', 'SUCCESS']], job_id_matches: true });
    expect(o.output).toEqual({ result: 'ingested 10 rows', task_run_id_matches: true });
    expect(o.multi_task_output_error).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /multiple tasks/));
    expect(o.list_runs).toEqual({ count: 4, newest_first: true });
    expect(o.list_runs_expanded).toEqual([2, 2, 2, 2]);
    expect(o.submitted).toEqual({ life_cycle_state: 'TERMINATED', result_state: 'FAILED', run_type: 'SUBMIT_RUN' });
    expect(o.submitted_output_error).toBe('bad row');
    expect(o.repaired).toEqual(['ORIGINAL', 'REPAIR']);
    expect(o.renamed).toBe('py-sdk-job-renamed');
    expect(o.v21_job).toBe('a');
    expect(o.deleted_job).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'ResourceDoesNotExist', /^Job \d+ does not exist/));
    expect(o.missing_run).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'ResourceDoesNotExist', /Run 987654321 does not exist/));
    expect(o.bad_create).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /depends on missing/));
  });

  it('workspace (SOURCE/AUTO/JUPYTER upload and download), DBFS mixin and secrets, with typed errors', async () => {
    const o = await runMode('files');
    expect(o.me).toEqual({ user_name: 'admin@emulator.local', active: true, groups: ['admins'] });
    expect(o.download_notebook_py).toBe('# Databricks notebook source\nprint(1)');
    expect(o.download_txt).toBe('print(1)');
    expect(o.download_source).toBe('# Databricks notebook source\nprint("hi")\n');
    expect(o.download_auto_notebook).toBe('# Databricks notebook source\nx = 1\n');
    expect(o.download_file).toBe('a,b\n1,2\n');
    expect(o.download_jupyter).toEqual([
      ['markdown', '# Title'],
      ['code', 'print(1)'],
    ]);
    expect(o.export_sql).toBe('-- Databricks notebook source\nSELECT 1');
    expect(o.list).toEqual([
      ['/data.csv', 'FILE', null],
      ['/etl', 'NOTEBOOK', 'PYTHON'],
      ['/nb', 'NOTEBOOK', 'PYTHON'],
      ['/notebook.py', 'NOTEBOOK', 'PYTHON'],
      ['/notes.txt', 'FILE', null],
      ['/report', 'NOTEBOOK', 'PYTHON'],
      ['/sql_nb', 'NOTEBOOK', 'SQL'],
    ]);
    expect(o.list_recursive).toEqual(['/data.csv', '/etl', '/nb', '/notebook.py', '/notes.txt', '/report', '/sql_nb', '/sub/deeper/leaf.txt']);
    expect(o.status).toEqual({ type: 'NOTEBOOK', language: 'PYTHON', has_id: true });
    expect(o.exists_error).toMatchObject(typed('RESOURCE_ALREADY_EXISTS', 'ResourceAlreadyExists'));
    expect(o.overwritten).toBe("# Databricks notebook source\nprint('v2')\n");
    expect(o.non_recursive_delete).toMatchObject(typed('DIRECTORY_NOT_EMPTY', 'BadRequest'));
    expect(o.deleted_status).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist'));

    expect(o.dbfs_roundtrip).toEqual({ size: 2_500_000, same: true });
    expect(o.dbfs_read).toBe('hello dbfs');
    expect(o.dbfs_list).toEqual([
      ['/py-sdk/blob.bin', false, 2_500_000],
      ['/py-sdk/dir', true, null],
      ['/py-sdk/small.txt', false, 10],
    ]);
    expect(o.dbfs_exists).toEqual([true, false]);
    expect(o.dbfs_list_recursive).toEqual(['/py-sdk/blob.bin', '/py-sdk/dir/moved.txt']);
    expect(o.dbfs_exists_error).toMatchObject(typed('RESOURCE_ALREADY_EXISTS', 'ResourceAlreadyExists'));
    expect(o.dbfs_missing).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist'));

    expect(o.secret_keys).toEqual(['blob', 'db-password']);
    expect(o.secret_value).toBe('s3cr3t');
    expect(o.secret_bytes).toEqual([0, 1, ...Buffer.from('binary')]);
    expect(o.scopes).toEqual([['py-scope', 'DATABRICKS']]);
    expect(o.acls).toEqual(['admin@emulator.local:MANAGE', 'users:READ']);
    expect(o.acl_get).toBe('READ');
    expect(o.secret_missing).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist'));
    expect(o.scope_exists).toMatchObject(typed('RESOURCE_ALREADY_EXISTS', 'ResourceAlreadyExists'));
    expect(o.secret_keys_after_delete).toEqual(['db-password']);
    expect(o.scope_missing).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist', /Scope py-scope does not exist/));
  });

  it('volumes: create/read/list/update/delete, Files API upload/download/metadata/directories through the FilesExt mixin, typed errors', async () => {
    const o = await runMode('volumes');
    // The mixin's download first asks for a presigned URL (not emulated: 404), then falls back to GET /fs/files.
    expectVolumesAndFiles(o, 'py');
    expect(o.exists_error).toMatchObject(typed('VOLUME_ALREADY_EXISTS', 'ResourceConflict'));
    expect(o.no_schema_error).toMatchObject(typed('SCHEMA_DOES_NOT_EXIST', 'NotFound', /Schema 'main.nope' does not exist/));
    expect(o.overwrite_false_error).toMatchObject(typed('ALREADY_EXISTS', 'AlreadyExists'));
    expect(o.not_empty_error).toMatchObject(typed('BAD_REQUEST', 'BadRequest', /is not empty/));
    // HEAD answers carry no body, so the SDK sees only the status.
    expect(o.deleted_metadata_error).toMatchObject({ type: 'NotFound' });
    expect(o.missing_dir_error).toMatchObject(typed('NOT_FOUND', 'NotFound', /nope does not exist/));
    expect(o.volume_gone).toMatchObject(typed('VOLUME_DOES_NOT_EXIST', 'NotFound'));
    expect(o.files_gone).toMatchObject({ type: 'NotFound' });
  });

  it('grants: update (upper-case securable type), get, get_effective with inherited privileges, paged list, typed errors', async () => {
    const o = await runMode('grants');
    expectGrants(o, 'py_grants');
    expect(o.inapplicable_error).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', GRANT_ERRORS.inapplicable('py_grants')));
    expect(o.principal_error).toMatchObject(typed('PRINCIPAL_DOES_NOT_EXIST', 'NotFound', GRANT_ERRORS.principal));
    expect(o.missing_error).toMatchObject(typed('CATALOG_DOES_NOT_EXIST', 'NotFound'));
  });

  it('tokens, permissions (generic and per-service), OAuth M2M through host metadata', async () => {
    const o = await runMode('iam');
    expect(o.token).toEqual({ comment: 'py-sdk', has_value: true, expiry_after_creation: true });
    expect(o.token_list).toEqual(['py-sdk']);
    expect(o.token_me).toBe('admin@emulator.local');
    expect(o.revoked).toMatchObject(typed('UNAUTHENTICATED', 'Unauthenticated', /Invalid access token/));
    expect(o.token_missing).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist'));
    expectJobPermissions(o);
    expect(o.jobs_get_permissions).toEqual(['admin@emulator.local', 'admins', 'users']);
    expect(o.jobs_update_permissions).toEqual(['admin@emulator.local', 'admins', 'users']);
    expect(o.cluster_permissions).toEqual([
      ['admins', ['CAN_MANAGE']],
      ['users', ['CAN_RESTART']],
    ]);
    expect(o.permissions_bad_type).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue'));
    expect(o.m2m_me).toBe(CLIENT.clientId);
    expect(o.m2m_denied).toMatchObject(typed('PERMISSION_DENIED', 'PermissionDenied'));
    expect(o.m2m_bad_secret).toBe(true);
  });

  it('iam_groups: SCIM groups create/list(filter, paged)/get/patch/delete, users and service principals, typed SCIM errors', async () => {
    const o = await runMode('iam_groups');
    expectScimGroups(o, 'py', CLIENT.clientId);
    // SCIM bodies: the SDK names the code SCIM_<status> and picks the class by HTTP status. SDK bug:
    // it formats f"{scimType} {detail}", so a body without scimType (as real ones are, e.g. terraform's
    // logged {"detail": "Group not found.", "status": "404"}) reads "None <detail>".
    const scim = (detail: string) => `None ${detail}`;
    expect(o.duplicate).toMatchObject({ error_code: 'SCIM_409', type: 'ResourceConflict', message: scim(SCIM_ERRORS.duplicate('py-team-2')) });
    expect(o.bad_filter).toMatchObject({ error_code: 'SCIM_400', type: 'BadRequest', message: scim(SCIM_ERRORS.badFilter) });
    expect(o.bad_patch).toMatchObject({ error_code: 'SCIM_400', type: 'BadRequest', message: scim(SCIM_ERRORS.badMember) });
    expect(o.missing_principal).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST', type: 'ResourceDoesNotExist', message: SCIM_ERRORS.missingPrincipal('py-nobody') });
    expect(o.after_delete).toMatchObject({ error_code: 'SCIM_404', type: 'NotFound', message: scim(SCIM_ERRORS.notFound) });
    expect(o.delete_again).toMatchObject({ error_code: 'SCIM_404', type: 'NotFound' });
  });

  it('iam_users: SCIM users update (PUT) and patch, a service principal patch, typed SCIM errors', async () => {
    const o = await runMode('iam_users');
    // users.update / users.patch / service_principals.patch return nothing: the answer's body is not read.
    expect([o.update_returned, o.patch_returned, o.sp_patch_returned]).toEqual([null, null, null]);
    expect(o.updated).toEqual({ user_name: 'py-user2@corp.com', display_name: 'Py 2', active: false, emails: ['py-user2@corp.com'], groups: ['py-users-team'], entitlements: [] });
    expect(o.team_members).toEqual([true]);
    expect(o.inactive).toEqual(['py-user2@corp.com']);
    expect(o.patched).toEqual({ active: true, groups: [], entitlements: ['databricks-sql-access'] });
    expect(o.sp_patched).toEqual({ application_id: 'py-users-app', display_name: 'py-bot-2', active: false, entitlements: ['allow-cluster-create'] });
    const scim = (detail: string) => `None ${detail}`;
    expect(o.duplicate).toMatchObject({ error_code: 'SCIM_409', type: 'ResourceConflict', message: scim('User with username admin@emulator.local already exists.') });
    expect(o.bad_patch).toMatchObject({ error_code: 'SCIM_400', type: 'BadRequest', message: scim('Operations[0]: userName is required and cannot be removed.') });
    expect(o.configured_rename).toMatchObject({ error_code: 'SCIM_400', type: 'BadRequest', message: expect.stringMatching(/^None User admin@emulator\.local is configured with a token .*: its userName cannot change/) });
    expect(o.after_delete).toMatchObject({ error_code: 'SCIM_404', type: 'NotFound', message: scim('User not found.') });
    // SDK finding: Patch(value=False) is sent without a value (as_dict skips falsy values); "false" works.
    expect(o.false_dropped).toMatchObject({ error_code: 'SCIM_400', type: 'BadRequest', message: scim('Operations[0].value is required for replace.') });
  });

  it("git_credentials: create/update/get/list/delete; the token never comes back; typed errors; a service principal's by principal_id", async () => {
    const o = await runMode('git_credentials');
    expect(o.created).toEqual({ provider: 'gitHub', username: 'py-octo', name: 'py-ci', id_is_int: true });
    expect(o.updated_default).toBe(true);
    expect(o.listed).toEqual(['py-ci']);
    expect(o.token_shown).toBe(false);
    expect(o.duplicate).toMatchObject(typed('RESOURCE_ALREADY_EXISTS', 'ResourceAlreadyExists', /^A Git credential named py-ci already exists\.$/));
    expect(o.bad_provider).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /^Invalid Git provider: svn\./));
    expect(o.missing).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist', /^Credential \d+ does not exist\.$/));
    expect({ sp: o.sp_listed, own: o.own_listed, after: o.sp_after_delete }).toEqual({ sp: ['py-sp-ci'], own: [], after: [] });
    expect(o.sp_unknown).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist', /^Service principal 42 does not exist\.$/));
  });

  it('token management: admin list/filter/get/delete, an OBO token that acts as the service principal, non-admin refused', async () => {
    const o = await runMode('token_management');
    await expectTokenManagement(o, 'py', emu.url, CLIENT.clientId);
    expect(o.sp_denied).toMatchObject(typed('PERMISSION_DENIED', 'PermissionDenied', /Only Admins can access token management APIs/));
    expect(o.revoked).toMatchObject(typed('UNAUTHENTICATED', 'Unauthenticated', /Invalid access token/));
    expect(o.get_deleted).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist'));
    expect(o.unknown_sp).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist', /no-such-app/));
  });

  it('notification destinations: create (each config type), get, list paged by page_size, update, delete; secrets answered as *_set flags; typed errors', async () => {
    const o = await runMode('notification_destinations');
    const webhook = (password_set: boolean) => ({ generic_webhook: { url_set: true, username_set: true, password_set } });
    expect(o.created).toEqual({ display_name: 'py-hook', type: 'WEBHOOK', config: webhook(true) });
    expect(o.got).toEqual(o.created);
    expect(o.id_matches).toBe(true);
    expect(o.others).toEqual([
      { display_name: 'py-0', type: 'SLACK', config: { slack: { url_set: true } } },
      { display_name: 'py-1', type: 'MICROSOFT_TEAMS', config: { microsoft_teams: { url_set: true } } },
      { display_name: 'py-2', type: 'PAGERDUTY', config: { pagerduty: { integration_key_set: true } } },
      { display_name: 'py-3', type: 'EMAIL', config: { email: { addresses: ['py@example.test'] } } },
    ]);
    expect(JSON.stringify(o)).not.toMatch(/py-hook-password|py-pd-key|hooks\.slack\.test\/T0/);
    expect(o.listed).toEqual([
      ['py-hook', 'WEBHOOK', true],
      ['py-0', 'SLACK', false],
      ['py-1', 'MICROSOFT_TEAMS', false],
      ['py-2', 'PAGERDUTY', false],
      ['py-3', 'EMAIL', false],
    ]);
    expect(o.updated).toEqual({ display_name: 'py-hook-2', type: 'WEBHOOK', config: webhook(false) });
    expect(o.type_change).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /cannot change: .* is WEBHOOK, the update gives SLACK/));
    expect(o.no_config).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /^config must wrap exactly one of/));
    expect(o.after_delete).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist', /does not exist/));
    expect(o.delete_again).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist'));
    expect(o.remaining).toEqual(['py-0', 'py-1', 'py-2', 'py-3']);
    // Five destinations in pages of two are three list calls, and the final unpaged list one more.
    const stats = (await api.control<{ calls: Record<string, number> }>('GET', '/stats')).body;
    expect(stats.calls['GET /api/2.0/notification-destinations']).toBe(4);
  });

  it('warehouses (create/stop/start/edit waiters), statement execution, Unity Catalog', async () => {
    const o = await runMode('sql');
    expect(o.warehouse).toEqual({ state: 'RUNNING', name: 'py-wh', size: '2X-Small' });
    expect(o.warehouses_listed).toEqual(['py-wh']);
    expect([o.stopped, o.started]).toEqual(['STOPPED', 'RUNNING']);
    expect(o.edited).toEqual({ name: 'py-wh-2', size: 'Small', auto_stop: 20 });
    expect(o.missing_warehouse).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist'));

    expectStatementResults(o);
    // wait_timeout 0s answers at once, before the result (reference §2.12); get then returns it.
    expect(o.async).toEqual({ first_state: expect.stringMatching(/^(PENDING|RUNNING)$/), state: 'SUCCEEDED', rows: [['42']] });
    expect(o.failed).toMatchObject({ state: 'FAILED', error_code: 'BAD_REQUEST', message: expect.stringMatching(/^\[TABLE_OR_VIEW_NOT_FOUND\]/) });
    expect(o.bad_warehouse).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist'));
    expect(o.missing_statement).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist'));

    expect(o.catalog).toEqual({ name: 'py_cat', comment: 'from the python sdk', owner: 'admin@emulator.local' });
    expect(o.catalogs).toEqual(expect.arrayContaining(['main', 'py_cat']));
    expect(o.schema).toEqual({ full_name: 'py_cat.sales', catalog: 'py_cat' });
    expect(o.schemas_paged).toEqual(['a', 'b', 'c', 'default', 'sales']);
    expect(o.ddl_state).toBe('SUCCEEDED');
    expectOrdersTable(o.table, 'py_cat');
    expect(o.tables).toEqual(['py_cat.sales.orders']);
    expect(o.table_summaries).toEqual([['py_cat.sales.orders', 'MANAGED']]);
    expect(o.metastore).toEqual({ default_catalog: 'main', same_as_table: true, summary_id_matches: true });
    expect(o.table_exists).toBe(true);
    expect(o.table_rows).toEqual([['1', '9.99', '2024-01-02']]);
    expect(o.table_missing).toMatchObject({ type: 'NotFound', error_code: 'TABLE_DOES_NOT_EXIST' });
    expect(o.schema_comment).toBe('renamed comment');
    expect(o.schema_missing).toMatchObject({ type: 'NotFound', error_code: 'SCHEMA_DOES_NOT_EXIST' });
    expect(o.catalog_not_empty).toMatchObject(typed('INVALID_STATE', 'InvalidState', /is not empty/));
    expect(o.catalog_missing).toMatchObject({ type: 'NotFound', error_code: 'CATALOG_DOES_NOT_EXIST' });
    expect(o.warehouse_deleted).toBe('DELETED');
  });

  it('query_history: list with a QueryFilter (warehouse, user, status, time range), statuses, pages, metrics, a bad max_results', async () => {
    const o = await runMode('query_history');
    const entry = { user: 'admin@emulator.local', on_warehouse: true, timed: true, is_final: true, has_metrics: false };
    expect(o.all).toEqual([
      { id: 'bad', status: 'FAILED', type: 'SELECT', text: 'SELECT * FROM main.default.nowhere', rows: null, ...entry },
      { id: 'ok', status: 'FINISHED', type: 'SELECT', text: 'SELECT range AS n FROM range(4)', rows: 4, ...entry },
    ]);
    expect(o.filtered).toEqual(['ok']);
    expect(o.failed).toEqual([['bad', expect.stringMatching(/^\[TABLE_OR_VIEW_NOT_FOUND\]/)]]);
    expect(o.nobody).toEqual([]);
    expect(o.pages).toEqual([
      [['bad'], true],
      [['ok'], false],
    ]);
    expect(o.metrics).toEqual({ rows: 4, from_cache: false, total_is_duration: true });
    expect(o.bad_max_results).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /max_results must be less than 1000/));
  });

  it('retries: 429 with Retry-After and 503 without it are retried, and so is the DBFS partial delete', async () => {
    await expectSdkRetries(api, () => runMode('retries'));
  });

  it('waiters on a running clock see PENDING, and cancel_run_and_wait lands mid-run', async () => {
    await expectWaitersOnRunningClock((running) => runMode('waiters', running));
  });

  it('admin_scripts: global init scripts (positions, Base64 content, 64 KB) and instance profiles (ARNs, duplicates, clusters refusing an unregistered one), typed errors', async () => {
    const o = await runMode('admin_scripts');
    expect(o.got).toEqual({ name: 'py-a', script: '#!/bin/bash\necho py\n', enabled: true, position: 1, created_by: 'admin@emulator.local', timestamps: true });
    // A script created at position 0 went before the first; listings never carry the content.
    expect(o.listed).toEqual([
      ['py-first', 0, false, false],
      ['py-a', 1, true, false],
    ]);
    // update: enabled left out keeps its value; position 0 moves it first.
    expect(o.after_update).toEqual([
      ['py-a2', 0, true],
      ['py-first', 1, false],
    ]);
    expect(o.not_base64).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /must be Base64-encoded content/));
    expect(o.too_big).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /65537 bytes; a global init script may be at most 65536 bytes/));
    expect(o.missing).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist', /^The global init script with ID [0-9A-F]{16} does not exist\.$/));
    expect(o.empty).toEqual([]);
    expect(o.profiles).toEqual([
      { instance_profile_arn: 'arn:aws:iam::123456789012:instance-profile/py-sdk', iam_role_arn: 'arn:aws:iam::123456789012:role/py-sdk', is_meta_instance_profile: false },
    ]);
    expect(o.duplicate).toMatchObject(typed('RESOURCE_ALREADY_EXISTS', 'ResourceAlreadyExists', /already exists\.$/));
    expect(o.bad_arn).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /instance_profile_arn: must look like arn:aws:iam::<account-id>:instance-profile\/<name>/));
    expect(o.cluster_unregistered).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /instance-profile\/nobody is not registered in this workspace/));
    expect(o.remove_missing).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist', /does not exist\.$/));
    expect(o.profiles_after).toEqual([]);
  });

  it('uc_storage: storage credentials and external locations create/get/list (paged)/update/delete, grants on them, secrets write-only, typed errors', async () => {
    const o = await runMode('uc_storage');
    expect(o.created).toEqual({ name: 'py_cred', role: 'arn:aws:iam::123456789012:role/py-uc', uc_arn: expect.stringMatching(/^arn:aws:iam::\d+:role\//), mode: 'ISOLATION_MODE_OPEN', id_set: true });
    expect(o.gcp_email).toMatch(/\.iam\.gserviceaccount\.com$/);
    expect(o.secret_shown).toBe(false);
    expect(o.listed).toEqual(['py_azure', 'py_cred', 'py_gcp']);
    expect(o.paged).toEqual(o.listed);
    expect(o.duplicate).toMatchObject(typed('STORAGE_CREDENTIAL_ALREADY_EXISTS', 'ResourceConflict', /^Storage Credential 'py_cred' already exists$/));
    expect(o.no_identity).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /^Exactly one of aws_iam_role/));
    expect(o.location).toEqual({ name: 'py_land', url: 's3://py-bucket/landing', credential: 'py_cred', read_only: false });
    expect(o.overlap).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /overlaps with an existing external location 'py_land'/));
    expect(o.no_credential).toMatchObject(typed('STORAGE_CREDENTIAL_DOES_NOT_EXIST', 'NotFound', /^Storage Credential 'py_nope' does not exist\.$/));
    expect(o.renamed).toEqual(['py_landing', true, ['py_landing']]);
    expect(o.grants).toEqual([['users', ['CREATE_EXTERNAL_TABLE', 'READ_FILES']]]);
    expect(o.metastore_grants).toEqual([['users', ['CREATE_STORAGE_CREDENTIAL']]]);
    expect(o.in_use).toMatchObject(typed('INVALID_STATE', 'InvalidState', /used by 1 external location\(s\): py_landing/));
    expect(o.missing_credential).toMatchObject(typed('STORAGE_CREDENTIAL_DOES_NOT_EXIST', 'NotFound'));
    expect(o.missing_location).toMatchObject(typed('EXTERNAL_LOCATION_DOES_NOT_EXIST', 'NotFound'));
    expect(o.left).toEqual(['py_gcp']);
  });

  it('uc_connections: connections create/get/list (paged)/update/delete, grants on them, the password write-only, typed errors', async () => {
    const o = await runMode('uc_connections');
    expect(o.created).toEqual({
      name: 'py_mysql',
      type: 'MYSQL',
      credential_type: 'USERNAME_PASSWORD',
      options: { host: 'db.example.com', port: '3306' },
      url: 'db.example.com:3306',
      securable_type: 'CONNECTION',
      state: 'ACTIVE',
      id_set: true,
      owner_is_creator: true,
    });
    expect(o.listed).toEqual(['py_mysql', 'py_pg']);
    expect(o.paged).toEqual(o.listed);
    expect(o.updated).toEqual(['py_orders', 'db2.example.com:3306', true]);
    expect(o.secret_shown).toBe(false);
    expect(o.duplicate).toMatchObject(typed('CONNECTION_ALREADY_EXISTS', 'ResourceConflict', /^Connection 'py_pg' already exists$/));
    expect(o.missing_option).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /^Connection type MYSQL requires option 'password'\.$/));
    expect(o.grants).toEqual([['users', ['CREATE_FOREIGN_CATALOG', 'USE_CONNECTION']]]);
    expect(o.missing).toMatchObject(typed('CONNECTION_DOES_NOT_EXIST', 'NotFound', /^Connection 'py_orders' does not exist\.$/));
    expect(o.left).toEqual(['py_pg']);
  });

  it('for_each: submit(...).result() with a for_each task; get_run of its run id gathers 130 iterations across pages; get_run_output of one; list_runs leaves them out', async () => {
    const o = await runMode('for_each');
    expect(o.run).toEqual(['SUCCESS', 'loop', 'SUCCESS']);
    expect(o.stats).toEqual([130, 130, 0, 0]);
    expect(o.each_tasks).toEqual([true]);
    expect(o.iterations).toBe(130);
    expect(o.tables).toBe(true);
    expect(o.distinct_ids).toBe(130);
    expect(o.states).toEqual(['SUCCESS']);
    expect(o.output).toEqual(['loaded t129', true]);
    expect(o.listed).toBe(true);
    expect(o.nested_for_each).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /cannot be another for_each_task/));
  });

  it('policy_compliance: enforce_compliance on a cluster (preview, apply with restart, again) and the jobs compliance API (get, paged list, enforce)', async () => {
    const o = await runMode('policy_compliance');
    const clusterChanges = [
      ['num_workers', '3', '2'],
      ['custom_tags.cost_center', null, 'cc-1'],
    ];
    expect(o.cluster_preview).toEqual({ has_changes: true, changes: clusterChanges, result: null });
    expect(o.cluster_applied).toEqual({ has_changes: true, changes: clusterChanges, result: 'APPLIED' });
    expect(o.cluster_after).toEqual({ state: 'RUNNING', num_workers: 2, tags: { cost_center: 'cc-1' }, compliant: true });
    expect(o.cluster_again).toEqual({ has_changes: false, result: 'NO_CHANGES' });
    expect(o.cluster_missing).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /Cluster 0000-000000-nothing0 does not exist/));
    expect(o.job_before).toEqual({
      compliant: false,
      violations: {
        'job_clusters[main].new_cluster.num_workers': 'Validation failed for num_workers, the value cannot be greater than 2',
        'job_clusters[main].new_cluster.custom_tags.cost_center': 'Validation failed for custom_tags.cost_center, the value must be cc-1 (is missing)',
      },
    });
    expect(o.job_listed).toEqual([
      [false, true],
      [true, false],
    ]);
    const jobChanges = [
      ['job_clusters[main].new_cluster.num_workers', '3', '2'],
      ['job_clusters[main].new_cluster.custom_tags.cost_center', null, 'cc-1'],
    ];
    expect(o.job_preview).toEqual({ has_changes: true, changes: jobChanges, workers: 2 });
    expect(o.job_unchanged).toBe(3);
    expect(o.job_applied).toEqual({ has_changes: true, changes: jobChanges });
    expect(o.job_after).toEqual({ num_workers: 2, tags: { cost_center: 'cc-1' }, compliant: true });
    expect(o.job_missing).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /Job 404 does not exist/));
    expect(o.list_unknown_policy).toMatchObject(typed('RESOURCE_DOES_NOT_EXIST', 'ResourceDoesNotExist', /Can't find a cluster policy with id: FFFFFFFFFFFFFFFF/));
  });
  it('grants_sql: a non-admin service principal (OAuth M2M) is denied a SELECT (and the REST list, get and create) until granted USE CATALOG, USE SCHEMA and SELECT; still denied an INSERT', async () => {
    const o = await runMode('grants_sql');
    expect(o.denied).toEqual({
      state: 'FAILED',
      rows: null,
      error: "[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have USE CATALOG on Catalog 'py_priv'.\nUser does not have USE SCHEMA on Schema 'py_priv.raw'.\nUser does not have SELECT on Table 'py_priv.raw.t'. SQLSTATE: 42501",
    });
    // Only the workspace catalog, whose USE CATALOG every workspace user (service principals too) holds.
    expect(o.rest_catalogs_before).toEqual(['main']);
    expect(o.rest_create_denied).toMatchObject(typed('PERMISSION_DENIED', 'PermissionDenied', /^User does not have USE CATALOG and CREATE SCHEMA on Catalog 'py_priv'\. Config:/));
    expect(o.rest_get_denied).toMatchObject(typed('PERMISSION_DENIED', 'PermissionDenied', /^User does not have USE CATALOG on Catalog 'py_priv'\. Config:/));
    expect(o.allowed).toEqual({ state: 'SUCCEEDED', rows: [['1']], error: null });
    expect(o.rest_catalogs_after).toEqual(['main', 'py_priv']);
    expect(o.rest_tables_after).toEqual(['py_priv.raw.t']);
    expect(o.rest_schemas_left).toEqual(['default', 'raw']);
    expect(o.insert_denied).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/User does not have MODIFY on Table 'py_priv\.raw\.t'/) });
    expect(o.rows_after).toEqual([['1']]);
  });

  it('uc_functions: CREATE FUNCTION over the statement API and functions.create/list (paged)/get/update/delete see one store; calls by 1-, 2- and 3-part name; typed errors', async () => {
    const o = await runMode('uc_functions');
    expect(o.create_sql).toEqual({ state: 'SUCCEEDED', rows: null, error: null });
    expect(o.call).toEqual({ state: 'SUCCEEDED', rows: [['hello world', 'hello py', 'hello two']], error: null });
    expect(o.created).toEqual({ full_name: 'py_fn.s.twice', data_type: 'INT', body: 'SQL', params: [['x', 'INT', 0]] });
    expect(o.call_api_made).toMatchObject({ state: 'SUCCEEDED', rows: [['42']] });
    expect(o.listed).toEqual(['py_fn.s.greet', 'py_fn.s.twice']);
    expect(o.paged).toEqual(['greet', 'twice']);
    expect(o.got).toEqual({
      data_type: 'STRING',
      full_data_type: 'string',
      definition: "concat('hello ', who)",
      comment: 'hello',
      deterministic: true,
      access: 'CONTAINS_SQL',
      params: [['who', 'string', 'STRING', "'world'"]],
    });
    expect(o.owner).toBe('data-eng');
    expect(o.duplicate).toMatchObject(typed('FUNCTION_ALREADY_EXISTS', 'ResourceConflict', /already exists/));
    expect(o.duplicate_sql).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/^\[ROUTINE_ALREADY_EXISTS\]/) });
    expect(o.missing).toMatchObject(typed('FUNCTION_DOES_NOT_EXIST', 'NotFound', /does not exist/));
    expect(o.call_deleted).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/UNRESOLVED_ROUTINE/) });
    expect(o.left).toEqual(['twice']);
  });

  it('warehouse_config: get/set_workspace_warehouse_config replace the whole config, typed enums read back, a disabled CLASSIC refuses create; refusals (flag or policy left out, serverless false, unregistered profile, non-admin) change nothing', async () => {
    const o = await runMode('warehouse_config');
    expect(o.initial).toEqual({ security_policy: 'DATA_ACCESS_CONTROL', enable_serverless_compute: true });
    expect(o.got).toEqual({
      security_policy: 'PASSTHROUGH',
      enable_serverless_compute: true,
      data_access_config: [{ key: 'spark.sql.hive.metastore.version', value: '2.3.9' }],
      channel: { name: 'CHANNEL_NAME_PREVIEW' },
      sql_configuration_parameters: { configuration_pairs: [{ key: 'ANSI_MODE', value: 'true' }] },
      enabled_warehouse_types: [{ warehouse_type: 'CLASSIC', enabled: false }],
    });
    expect(o.typed).toEqual({ policy: 'PASSTHROUGH', channel: 'CHANNEL_NAME_PREVIEW', types: [['CLASSIC', false]] });
    expect(o.classic_refused).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /^Warehouse type CLASSIC is disabled for this workspace/));
    expect(o.flag_left_out).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /^enable_serverless_compute is required\.$/));
    expect(o.serverless_false).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /may only be set to true; got false/));
    expect(o.policy_left_out).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /^Endpoint security policy is required/));
    expect(o.unregistered_profile).toMatchObject(typed('INVALID_PARAMETER_VALUE', 'InvalidParameterValue', /instance-profile\/py-none is not registered in this workspace/));
    expect(o.non_admin_reads).toBe(true);
    expect(o.non_admin_write).toMatchObject(typed('PERMISSION_DENIED', 'PermissionDenied', /Only workspace admins/));
    expect(o.unchanged).toBe(true);
    expect(o.replaced).toEqual({ security_policy: 'NONE', enable_serverless_compute: true });
  });
});
