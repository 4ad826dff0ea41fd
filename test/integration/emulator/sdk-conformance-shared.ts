/**
 * What the Python and Java SDK conformance tests share: running a conformance program that prints
 * one JSON line of what it observed, and the expectations both SDKs must meet on the same scenario.
 */
import { execFile } from 'node:child_process';
import { expect } from 'vitest';
import { startTestEmulator, type TestClient } from './helpers.js';

export type Out = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs the program asynchronously (the emulator answers from this same process) and parses its last stdout line. */
export function runConformanceProgram(label: string, command: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<Out> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let parsed: Out | undefined;
      try {
        parsed = JSON.parse(last) as Out;
      } catch {
        parsed = undefined;
      }
      if (parsed && !err) return resolve(parsed);
      reject(new Error(`${label} failed: ${parsed?.trace ?? err?.message ?? ''}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    });
  });
}

/** The parameterised SELECT both programs run, read inline, through get-statement and chunk 0. */
export function expectStatementResults(o: Out): void {
  expect(o.select).toEqual({
    state: 'SUCCEEDED',
    columns: [
      ['n', 'LONG', 'BIGINT'],
      ['tag', 'STRING', 'STRING'],
      ['d', 'DATE', 'DATE'],
    ],
    rows: [0, 1, 2].map((n) => [String(n), 'x', '2024-05-01']),
    total_row_count: 3,
    format: 'JSON_ARRAY',
  });
  expect(o.get_statement).toEqual({ state: 'SUCCEEDED', rows: o.select.rows, same_id: true });
  expect(o.chunk0).toEqual(o.select.rows);
}

/** The table both programs create through SQL DDL (with comments) and read back from Unity Catalog. */
export function expectOrdersTable(table: unknown, catalog: string): void {
  expect(table).toEqual({
    full_name: `${catalog}.sales.orders`,
    type: 'MANAGED',
    format: 'DELTA',
    comment: 'orders',
    columns: [
      ['id', 'LONG', 'bigint', false, 0],
      ['amount', 'DECIMAL', 'decimal(10,2)', true, 1],
      ['placed', 'DATE', 'date', true, 2],
    ],
  });
}

/** 'iam': the job's grants after setting CAN_VIEW for users (the owner and admins are implicit), its object and levels. */
export function expectJobPermissions(o: Out): void {
    expect(o.job_permissions).toEqual([
      ['admin@emulator.local', ['IS_OWNER']],
      ['admins', ['CAN_MANAGE']],
      ['users', ['CAN_VIEW']],
    ]);
    expect(o.job_permissions_object).toEqual({ object_id: expect.stringMatching(/^\/jobs\/\d+$/), object_type: 'job' });
    expect(o.job_permission_levels).toEqual(['CAN_MANAGE', 'CAN_MANAGE_RUN', 'CAN_VIEW', 'IS_OWNER']);
}

/**
 * 'policies': what both programs read back from a policy named `${prefix}-policy` (and one named
 * 'another'), the cluster created under it with apply_policy_default_values, the edit, and the
 * policy families paged two at a time.
 */
export function expectClusterPolicies(o: Out, prefix: string): void {
  expect(o.policy).toEqual({ id_ok: true, name: `${prefix}-policy`, description: 'small', max: 5, rules: ['autotermination_minutes', 'custom_tags.team', 'num_workers', 'runtime_engine'] });
  expect(o.listed).toEqual([`${prefix}-policy`, 'another']); // sorted by name, descending
  // Fixed values always, defaults because apply_policy_default_values is true.
  expect(o.governed).toEqual({ state: 'RUNNING', policy_id_ok: true, runtime_engine: 'PHOTON', autotermination_minutes: 45, tags: { team: 'data' } });
  expect(o.clusters_after).toBe(1); // neither rejected create left a cluster
  expect(o.edited).toEqual({ name: `${prefix}-policy-2`, definition: '{}', description: null });
  // max_results 2 pages: the SDK's iterator follows next_page_token through every family.
  expect(o.families).toEqual(['personal-vm', 'shared-compute', 'power-user', 'job-cluster', 'shared-data-science']);
  expect(o.family).toBe('Personal Compute');
}

/** The messages of the policy errors: a duplicate name, a create over the policy's limit, an unknown policy id. */
export const POLICY_ERRORS = {
  duplicate: (prefix: string) => new RegExp(`^Cluster Policy with name \`${prefix}-policy\` already exists$`),
  rejected: /^Validation failed for num_workers, the value cannot be greater than 2$/,
  unknownPolicy: /^Can't find a cluster policy with id: 0123456789ABCDEF\.$/,
  deleted: /Can't find a cluster policy with id/,
};

/**
 * 'token_management': the admin's OBO token `${prefix}-obo` for the OAuth client, which acts as the
 * service principal, and the admin's own `${prefix}-own` token, as token management lists and gets them.
 */
export async function expectTokenManagement(o: Out, prefix: string, emuUrl: string, clientId: string): Promise<void> {
  const metadata = (await (await fetch(`${emuUrl}/.well-known/databricks-config`)).json()) as { workspace_id: string };
  expect(o.obo).toEqual({ has_value: true, comment: `${prefix}-obo`, created_by: 'admin@emulator.local', created_by_is_me: true, lifetime_ms: 3_600_000 });
  expect(o.obo_me).toBe(clientId);
  expect(o.obo_owner_is_sp).toBe(true);
  const both = [`${prefix}-obo`, `${prefix}-own`];
  expect(o.listed).toEqual(both);
  expect(o.listed_by_name).toEqual(both);
  expect(o.listed_by_id).toEqual(both);
  expect(o.listed_nobody).toEqual([]);
  expect(o.get).toEqual({ same_id: true, comment: `${prefix}-obo`, workspace_id: Number(metadata.workspace_id) });
  expect(o.token_permissions).toEqual({ object_id: '/authorization/tokens', object_type: 'tokens' });
  expect(o.token_permission_levels).toEqual(['CAN_USE']);
}

/**
 * 'volumes': the managed volume `${prefix}_vol` and external `${prefix}_ext` in main.default, and
 * the files both programs write, read and list in it through the Files API.
 */
export function expectVolumesAndFiles(o: Out, prefix: string): void {
  expect(o.created).toEqual({ full_name: `main.default.${prefix}_vol`, type: 'MANAGED', comment: 'sdk', has_id: true });
  expect(o.read).toBe(true);
  // max_results 1: the SDK's iterator follows next_page_token across pages.
  expect(o.listed).toEqual([`${prefix}_ext`, `${prefix}_vol`]);
  expect(o.updated).toBe('changed');
  expect(o.download).toEqual({ same: true, length: 10240, type: 'application/octet-stream', has_last_modified: true });
  expect(o.metadata).toEqual({ length: 12, type: 'application/octet-stream' });
  // page_size 1: three pages.
  expect(o.listing).toEqual([
    ['data.bin', false, 10240],
    ['note.txt', false, 12],
    ['sub', true, null],
  ]);
  expect(o.after_delete).toEqual(['data.bin']);
}

/** The 'waiters' mode on a 120× emulator: the cluster waiter sees PENDING, a cancel lands mid-run. */
export async function expectWaitersOnRunningClock(run: (emu: Awaited<ReturnType<typeof startTestEmulator>>['emu']) => Promise<Out>): Promise<void> {
  const { emu: running } = await startTestEmulator({ speed: 120 });
  try {
    const o = await run(running);
    expect(o.cluster_states_seen).toEqual(['PENDING']);
    expect(o.cluster_state).toBe('RUNNING');
    expect(['PENDING', 'RUNNING']).toContain(o.before_cancel);
    expect(o.canceled).toEqual({ life_cycle_state: 'TERMINATED', result_state: 'CANCELED' });
    expect(o.run_now_waiter).toBe('CANCELED');
    expect(o.cluster_terminated).toBe('TERMINATED');
  } finally {
    await running.close();
  }
}

/**
 * The 'retries' mode: 429 with Retry-After (twice) on spark-versions, 503 without it on
 * list-node-types, and the DBFS recursive delete of more than 1,000 files that answers 503 after a
 * partial delete. The SDK's own retry loop must repeat each call until it succeeds.
 */
export async function expectSdkRetries(api: TestClient, run: () => Promise<Out>): Promise<void> {
  await api.control('POST', '/faults', {
    rules: [
      { path: '/api/2.1/clusters/spark-versions', action: 'respond', status: 429, retry_after: 1, times: 2, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' } },
      { path: '/api/2.1/clusters/list-node-types', action: 'respond', status: 503, times: 1, body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'try later' } },
    ],
  });
  const o = await run();
  expect(o.spark_versions).toBeGreaterThan(0);
  expect(o.node_types).toBeGreaterThan(0);
  expect(o.many_left).toBe(false);
  const calls = (await api.control<{ calls: Record<string, number> }>('GET', '/stats')).body.calls;
  expect(calls['GET /api/2.1/clusters/spark-versions']).toBe(3);
  expect(calls['GET /api/2.1/clusters/list-node-types']).toBe(2);
  expect(calls['POST /api/2.0/dbfs/delete']).toBe(2);
}

/**
 * 'grants': what both programs read back after granting USE_CATALOG and SELECT on the catalog
 * `${catalog}` to `users` (with an upper-case securable type), then revoking SELECT. The schema
 * `${catalog}.raw` inherits SELECT; USE_CATALOG is no schema privilege.
 */
export function expectGrants(o: Out, catalog: string): void {
  expect(o.updated).toEqual([['users', ['SELECT', 'USE_CATALOG']]]);
  expect(o.get).toEqual([['users', ['SELECT', 'USE_CATALOG']]]);
  expect(o.effective).toEqual([['users', [['SELECT', 'CATALOG', catalog]]]]);
  expect(o.listed).toEqual(['users']);
  expect(o.after_remove).toEqual([['users', ['USE_CATALOG']]]);
}

/** 'grants': the messages of USE CATALOG granted on the schema `${catalog}.raw`, and of a grant to the unknown principal `ghosts`. */
export const GRANT_ERRORS = {
  inapplicable: (catalog: string) => new RegExp(`Privilege USE CATALOG is not applicable to this entity \\[${catalog}\\.raw:SCHEMA`),
  principal: /Could not find principal with name ghosts/,
};

/**
 * 'iam_groups' (SCIM): what both programs read back from the directory: the admin user, the OAuth
 * client as the one service principal, the group `${prefix}-team` (the admin a member) created,
 * listed by filter (three `${prefix}-page-N` groups two a page), projected, patched to
 * `${prefix}-team-2`, and the service principal `${prefix}-bot` found by applicationId.
 */
export function expectScimGroups(o: Out, prefix: string, clientId: string): void {
  expect(o.users).toEqual(['admin@emulator.local']);
  expect(o.service_principals).toEqual([clientId]); // the OAuth client is the workspace's service principal
  expect(o.created).toEqual({ name: `${prefix}-team`, members: [true], entitlements: ['workspace-access'] });
  expect(o.paged).toEqual([0, 1, 2].map((i) => `${prefix}-page-${i}`));
  expect(o.by_name).toEqual([true]);
  expect(o.contains).toEqual([`${prefix}-team`]);
  expect(o.attributes).toEqual([{ name: `${prefix}-team`, members: 0 }]); // attributes=displayName left the members out
  expect(o.builtin).toEqual(['admins', 'users']);
  expect(o.patched).toEqual({ name: `${prefix}-team-2`, members: [true] });
  expect(o.me_groups).toEqual(['admins', `${prefix}-team-2`]);
  expect(o.sp_listed).toEqual([`${prefix}-bot`]);
}

/**
 * 'iam_groups' (SCIM): the texts both SDKs see for the emulator's SCIM errors. The bodies are
 * `{schemas: [...Error], detail, status}`; the Python SDK reads `detail` as the message and names
 * the code `SCIM_<status>`.
 */
export const SCIM_ERRORS = {
  duplicate: (name: string) => `Group with name ${name} already exists.`,
  badFilter: "Invalid filter 'displayName eq': missing value after displayName eq.",
  badMember: 'Invalid member 404: no user, service principal or group has this id.',
  notFound: 'Group not found.',
  missingPrincipal: (group: string) => `Principal: GroupName(${group}) does not exist`,
};
