import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureJavaSdk, JAVA_SDK_VERSION, type JavaSdk } from '../../../src/dev/java-sdk.js';
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
 * The official Java SDK (com.databricks:databricks-sdk-java, unmodified; built on first use by
 * src/dev/java-sdk.ts from java-sdk/pom.xml) against the emulator: java-sdk/.../Conformance.java
 * drives the SDK's own waiters (Wait.get), paginators, mixins and typed exceptions, one mode per
 * service group, and prints what it saw. Where they disagree, the emulator is wrong. The SDK's
 * waiters sleep on the real clock, so the main emulator is instant (every poll sees the settled
 * state) and the waiter test runs one at 120× to go through intermediate states.
 */
const CLIENT = { clientId: 'java-sdk-app', clientSecret: 'java-sdk-secret-123456' };

let sdk: JavaSdk;
let emu: RunningEmulator;
let api: TestClient;

function runMode(mode: string, target: RunningEmulator = emu): Promise<Out> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
    DATABRICKS_HOST: target.url,
    DATABRICKS_TOKEN: target.token,
    // Nothing from a developer's ~/.databrickscfg may leak in.
    DATABRICKS_CONFIG_FILE: join(tmpdir(), 'durabricks-no-such-databrickscfg'),
    JAVA_SDK_CLIENT_ID: CLIENT.clientId,
    JAVA_SDK_CLIENT_SECRET: CLIENT.clientSecret,
  };
  // The C1 compiler only and a small heap keep a short JVM cheap on a 2-core machine.
  return runConformanceProgram(`Conformance ${mode}`, sdk.java, ['-Xmx512m', '-XX:TieredStopAtLevel=1', '-cp', sdk.classpath, 'Conformance', mode], env, 55_000);
}

const P = 'com.databricks.sdk.core.error.platform.';
// The Java SDK's typed exceptions carry their class's error code (ResourceDoesNotExist reports
// RESOURCE_DOES_NOT_EXIST and 404 even when the SDK's override made it from a 400
// INVALID_PARAMETER_VALUE): the class is what shows what the emulator answered.
const typed = (type: string, message?: RegExp) => ({ type: P + type, ...(message ? { message: expect.stringMatching(message) } : {}) });

beforeAll(() => {
  sdk = ensureJavaSdk((line) => process.stdout.write(`[java-sdk] ${line}\n`));
});
beforeAll(async () => {
  ({ emu, api } = await startTestEmulator({ oauthClients: [CLIENT] }));
});
afterAll(() => emu?.close());
beforeEach(() => emu.reset());

describe(`official Databricks Java SDK ${JAVA_SDK_VERSION} conformance`, () => {
  it('clusters: selectors, create/delete/start waiters, list, events (paged), permanent delete, typed errors', async () => {
    const o = await runMode('compute');
    // Unlike the Python SDK's, the Java selector has no default Scala: the latest LTS is the 2.13 build.
    expect(o.selected).toEqual({ spark_version: '16.4.x-scala2.13', scala_2_12: '16.4.x-scala2.12', node_type: 'Standard_D4ds_v5' });
    expect(o.created).toEqual({ state: 'RUNNING', name: 'java-sdk', workers: 1, tags: { team: 'data' }, id_matches: true });
    expect(o.listed).toEqual([[true, 'java-sdk', 'RUNNING']]);
    expect(o.events).toEqual(['CREATING', 'STARTING', 'RUNNING']);
    expect(o.events_paged).toEqual(o.events);
    expect(o.deleted).toEqual({ state: 'TERMINATED', reason: 'USER_REQUEST' });
    expect(o.started).toBe('RUNNING');
    expect(o.start_running_error).toMatchObject(typed('InvalidState', /is in unexpected state Running/));
    // The SDK's error override turns clusters/get's 400 "does not exist" into ResourceDoesNotExist.
    expect(o.after_permanent_delete).toMatchObject(typed('ResourceDoesNotExist'));
    expect(o.missing_cluster).toMatchObject(typed('ResourceDoesNotExist', /Cluster 0000-000000-nope does not exist/));
    expect(o.missing_cluster.is).toEqual(['ResourceDoesNotExist', 'NotFound', 'DatabricksError']);
  });

  it('cluster policies: create/get/list/edit/delete, policy families, a governed create(...).get() and typed rejections', async () => {
    const o = await runMode('policies');
    expectClusterPolicies(o, 'java');
    expect(o.duplicate_name).toMatchObject(typed('InvalidParameterValue', POLICY_ERRORS.duplicate('java')));
    expect(o.rejected).toMatchObject(typed('InvalidParameterValue', POLICY_ERRORS.rejected));
    expect(o.unknown_policy).toMatchObject(typed('ResourceDoesNotExist', POLICY_ERRORS.unknownPolicy));
    expect(o.after_delete).toMatchObject(typed('ResourceDoesNotExist', POLICY_ERRORS.deleted));
  });

  it('jobs: create, runNow and Wait.get, getRunOutput, listRuns paging, submit, cancelRun, delete, typed errors', async () => {
    const o = await runMode('jobs');
    expect(o.job).toEqual({ name: 'java-sdk-job', tasks: ['ingest', 'publish'], creator: 'admin@emulator.local' });
    expect(o.jobs_listed).toEqual(['java-sdk-job']);
    expect(o.jobs_listed_expanded).toEqual([['ingest', 'publish']]);
    expect(o.run).toEqual({
      life_cycle_state: 'TERMINATED',
      result_state: 'SUCCESS',
      status: 'TERMINATED',
      tasks: [
        ['ingest', 'SUCCESS'],
        ['publish', 'SUCCESS'],
      ],
      run_id_matches: true,
      job_id_matches: true,
    });
    expect(o.output).toEqual({ result: 'ingested 10 rows', task_run_id_matches: true });
    expect(o.multi_task_output_error).toMatchObject(typed('InvalidParameterValue', /multiple tasks/));
    expect(o.list_runs).toEqual({ count: 4, newest_first: true });
    expect(o.list_runs_expanded).toEqual([2, 2, 2, 2]);
    expect(o.submitted).toEqual({ life_cycle_state: 'TERMINATED', result_state: 'FAILED', run_type: 'SUBMIT_RUN' });
    expect(o.submitted_output_error).toBe('bad row');
    expect(o.cancel_finished).toEqual({ life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' });
    expect(o.deleted_job).toMatchObject(typed('ResourceDoesNotExist', /^Job \d+ does not exist/));
    expect(o.missing_run).toMatchObject(typed('ResourceDoesNotExist', /Run 987654321 does not exist/));
    expect(o.bad_create).toMatchObject(typed('InvalidParameterValue', /depends on missing/));
  });

  it('workspace import/export/list/getStatus/delete, DBFS stream helpers and plain calls, secrets', async () => {
    const o = await runMode('files');
    expect(o.me).toBe('admin@emulator.local');
    expect(o.export_source).toBe('# Databricks notebook source\nprint("hi")\n');
    expect(o.export_auto_notebook).toBe('# Databricks notebook source\nx = 1\n');
    expect(o.export_file).toBe('a,b\n1,2\n');
    expect(o.export_sql).toBe('-- Databricks notebook source\nSELECT 1');
    expect(o.list).toEqual([
      ['/data.csv', 'FILE', null],
      ['/etl', 'NOTEBOOK', 'PYTHON'],
      ['/q', 'NOTEBOOK', 'SQL'],
      ['/report', 'NOTEBOOK', 'PYTHON'],
    ]);
    expect(o.status).toEqual({ type: 'NOTEBOOK', language: 'PYTHON', has_id: true });
    expect(o.exists_error).toMatchObject(typed('ResourceAlreadyExists'));
    expect(o.overwritten).toBe("# Databricks notebook source\nprint('v2')\n");
    // No class for DIRECTORY_NOT_EMPTY: the SDK maps by HTTP status and keeps the code.
    expect(o.non_recursive_delete).toMatchObject({ ...typed('BadRequest'), error_code: 'DIRECTORY_NOT_EMPTY', status: 400 });
    expect(o.deleted_status).toMatchObject(typed('ResourceDoesNotExist'));

    expect(o.dbfs_roundtrip).toEqual({ size: 2_500_000, same: true });
    expect(o.dbfs_read).toBe('hello dbfs');
    expect(o.dbfs_lines).toEqual([]); // readAllLines keeps only lines ended by \n
    expect(o.dbfs_list).toEqual([
      ['/java-sdk/blob.bin', false, 2_500_000],
      ['/java-sdk/dir', true, null], // file_size is absent for directories
      ['/java-sdk/small.txt', false, 10],
    ]);
    expect(o.dbfs_list_recursive).toEqual(['/java-sdk/blob.bin', '/java-sdk/dir', '/java-sdk/dir/inner.txt', '/java-sdk/small.txt']);
    expect(o.dbfs_exists_error).toMatchObject(typed('ResourceAlreadyExists'));
    expect(o.dbfs_missing).toMatchObject(typed('ResourceDoesNotExist'));

    expect(o.secret_keys).toEqual(['api-key', 'db-password']);
    expect(o.secret_value).toBe('s3cr3t');
    expect(o.scopes).toEqual([['java-scope', 'DATABRICKS']]);
    expect(o.secret_missing).toMatchObject(typed('ResourceDoesNotExist'));
    expect(o.scope_exists).toMatchObject(typed('ResourceAlreadyExists'));
    expect(o.scope_missing).toMatchObject(typed('ResourceDoesNotExist', /Scope java-scope does not exist/));
  });

  it('volumes: create/read/list/update/delete, Files API upload/download/metadata/directories, typed errors', async () => {
    const o = await runMode('volumes');
    expectVolumesAndFiles(o, 'java');
    // A path with a space and '#' goes through the SDK's percent-encoding to the emulator and back.
    expect(o.spaced_download).toBe('spaced');
    expect(o.spaced_length).toBe(6);
    // SDK 0.60.0 rebuilds the URL from the decoded path when it adds a query string (see Conformance.java).
    expect(o.sdk_query_path_bug).toBe(true);
    expect(o.exists_error).toMatchObject({ type: `${P}ResourceConflict`, error_code: 'VOLUME_ALREADY_EXISTS', status: 409, message: "Volume 'main.default.java_vol' already exists" });
    expect(o.no_schema_error).toMatchObject({ type: `${P}NotFound`, error_code: 'SCHEMA_DOES_NOT_EXIST', message: expect.stringMatching(/Schema 'main.nope' does not exist/) });
    expect(o.overwrite_false_error).toMatchObject({ ...typed('AlreadyExists', /in_dir\/note\.txt already exists/), status: 409 });
    expect(o.not_empty_error).toMatchObject({ ...typed('BadRequest', /is not empty/), status: 400 });
    // HEAD answers carry no body, so the SDK sees only the status.
    expect(o.deleted_metadata_error).toMatchObject({ type: `${P}NotFound`, status: 404 });
    expect(o.missing_dir_error).toMatchObject({ ...typed('NotFound', /nope does not exist/), status: 404 });
    expect(o.volume_gone).toMatchObject({ type: `${P}NotFound`, error_code: 'VOLUME_DOES_NOT_EXIST', status: 404 });
    expect(o.files_gone).toMatchObject({ type: `${P}NotFound`, status: 404 });
  });

  it('grants: update (upper-case securable type), get, getEffective with inherited privileges, get paged by max_results, typed errors', async () => {
    const o = await runMode('grants');
    expectGrants(o, 'java_grants');
    expect(o.inapplicable_error).toMatchObject({ ...typed('InvalidParameterValue', GRANT_ERRORS.inapplicable('java_grants')), error_code: 'INVALID_PARAMETER_VALUE', status: 400 });
    // No class for PRINCIPAL_DOES_NOT_EXIST or CATALOG_DOES_NOT_EXIST: the SDK maps by HTTP status and keeps the code.
    expect(o.principal_error).toMatchObject({ ...typed('NotFound', GRANT_ERRORS.principal), error_code: 'PRINCIPAL_DOES_NOT_EXIST', status: 404 });
    expect(o.missing_error).toMatchObject({ ...typed('NotFound', /java_nope/), error_code: 'CATALOG_DOES_NOT_EXIST', status: 404 });
  });

  it('warehouses (create/stop/start waiters), statement execution, Unity Catalog', async () => {
    const o = await runMode('sql');
    expect(o.warehouse).toEqual({ state: 'RUNNING', name: 'java-wh', size: '2X-Small', id_matches: true });
    expect(o.warehouses_listed).toEqual(['java-wh']);
    expect([o.stopped, o.started]).toEqual(['STOPPED', 'RUNNING']);
    expect(o.missing_warehouse).toMatchObject(typed('ResourceDoesNotExist'));

    expectStatementResults(o);
    expect(o.failed).toEqual({ state: 'FAILED', error_code: 'BAD_REQUEST', message: expect.stringMatching(/^\[TABLE_OR_VIEW_NOT_FOUND\]/) });
    expect(o.bad_warehouse).toMatchObject(typed('ResourceDoesNotExist'));
    expect(o.missing_statement).toMatchObject(typed('ResourceDoesNotExist'));

    expect(o.catalog).toEqual({ name: 'java_cat', comment: 'from the java sdk', owner: 'admin@emulator.local' });
    expect(o.catalogs).toEqual(expect.arrayContaining(['main', 'java_cat']));
    expect(o.schema).toEqual({ full_name: 'java_cat.sales', catalog: 'java_cat', comment: 'sales data' });
    expect(o.schemas_paged).toEqual(['a', 'b', 'c', 'default', 'sales']);
    expect(o.schema_get).toBe('sales data');
    expect(o.ddl_state).toBe('SUCCEEDED');
    expectOrdersTable(o.table, 'java_cat');
    expect(o.table_created).toEqual({ full_name: 'java_cat.sales.events', type: 'EXTERNAL', storage: 's3://bucket/java/events' });
    expect(o.tables).toEqual(['java_cat.sales.events', 'java_cat.sales.orders']);
    expect(o.table_exists).toBe(true);
    expect(o.table_rows).toEqual([['1', '9.99', '2024-01-02']]);
    expect(o.table_missing).toMatchObject({ type: `${P}NotFound`, error_code: 'TABLE_DOES_NOT_EXIST', status: 404 });
    expect(o.table_exists_after_delete).toBe(false);
    expect(o.schema_missing).toMatchObject({ type: `${P}NotFound`, error_code: 'SCHEMA_DOES_NOT_EXIST' });
    expect(o.catalog_not_empty).toMatchObject(typed('InvalidState', /is not empty/));
    expect(o.catalog_missing).toMatchObject({ type: `${P}NotFound`, error_code: 'CATALOG_DOES_NOT_EXIST' });
    expect(o.warehouse_deleted).toBe('DELETED');
  });

  it('tokens (a created token authenticates until revoked), permissions, OAuth M2M', async () => {
    const o = await runMode('iam');
    expect(o.token).toEqual({ comment: 'java-sdk', has_value: true, expiry_after_creation: true });
    expect(o.token_list).toEqual(['java-sdk']);
    expect(o.token_me).toBe('admin@emulator.local');
    expect(o.revoked).toMatchObject({ ...typed('Unauthenticated', /Invalid access token/), status: 401 });
    expect(o.token_missing).toMatchObject(typed('ResourceDoesNotExist'));
    expectJobPermissions(o);
    expect(o.permissions_bad_type).toMatchObject(typed('InvalidParameterValue'));
    expect(o.m2m_me).toBe(CLIENT.clientId);
    expect(o.m2m_denied).toMatchObject({ ...typed('PermissionDenied'), status: 403 });
    expect(o.m2m_bad_secret).toBe(true);
  });

  it('iam_groups: SCIM groups create/list(filter, paged)/get/patch/delete, users and service principals, typed SCIM errors', async () => {
    const o = await runMode('iam_groups');
    expectScimGroups(o, 'java', CLIENT.clientId);
    // SCIM bodies: the SDK names the code SCIM_<status> and picks the class by HTTP status. SDK bug
    // (ApiErrors.readErrorFromResponse, as in the Python SDK): it formats scimType + " " + detail,
    // so a body without scimType (as real ones are) reads "null <detail>".
    const scim = (status: number, type: string, detail?: string) => ({ type: P + type, error_code: `SCIM_${status}`, status, ...(detail ? { message: `null ${detail}` } : {}) });
    expect(o.duplicate).toMatchObject(scim(409, 'ResourceConflict', SCIM_ERRORS.duplicate('java-team-2')));
    expect(o.bad_filter).toMatchObject(scim(400, 'BadRequest', SCIM_ERRORS.badFilter));
    expect(o.bad_patch).toMatchObject(scim(400, 'BadRequest', SCIM_ERRORS.badMember));
    expect(o.missing_principal).toMatchObject({ ...typed('ResourceDoesNotExist'), error_code: 'RESOURCE_DOES_NOT_EXIST', message: SCIM_ERRORS.missingPrincipal('java-nobody') });
    expect(o.after_delete).toMatchObject(scim(404, 'NotFound', SCIM_ERRORS.notFound));
    expect(o.delete_again).toMatchObject(scim(404, 'NotFound'));
    // update (PUT) of the group as read back (members with display and $ref, meta, schemas), renamed.
    expect(o.replaced).toEqual({ name: 'java-team-3', members: [true], entitlements: ['workspace-access'] });
    // SDK bug (GrpcTranscodingQueryParamsSerializer.serialize): query enums go out by toString(), the
    // Java constant's name, not their @JsonProperty wire value, so ListSortOrder.DESCENDING arrives as
    // sortOrder=DESCENDING, which is not one of SCIM's values.
    expect(o.sort_order_error).toMatchObject(scim(400, 'BadRequest', 'Invalid value for field sortOrder: "DESCENDING" is not one of ascending, descending.'));
  });

  it('token management: admin list/filter/get/delete, an OBO token that acts as the service principal, non-admin refused', async () => {
    const o = await runMode('token_management');
    await expectTokenManagement(o, 'java', emu.url, CLIENT.clientId);
    expect(o.sp_denied).toMatchObject({ ...typed('PermissionDenied', /Only Admins can access token management APIs/), status: 403 });
    expect(o.revoked).toMatchObject({ ...typed('Unauthenticated', /Invalid access token/), status: 401 });
    expect(o.get_deleted).toMatchObject(typed('ResourceDoesNotExist'));
    expect(o.unknown_sp).toMatchObject(typed('ResourceDoesNotExist', /no-such-app/));
  });

  it('retries: 429 with Retry-After and 503 without it are retried, and so is the DBFS partial delete', async () => {
    await expectSdkRetries(api, () => runMode('retries'));
  });

  it('waiters on a running clock see PENDING, and cancelRun(...).get() lands mid-run', async () => {
    await expectWaitersOnRunningClock((running) => runMode('waiters', running));
  });
});
