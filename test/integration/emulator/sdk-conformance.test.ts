import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceClient } from '@databricks/sdk-experimental';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { sdkErrorOf } from './js-sdk-helpers.js';
import { startTestEmulator, type TestClient } from './helpers.js';

/**
 * The official JS SDK (unmodified) against the emulator. Where the two disagree, the emulator is
 * wrong: these flows use the SDK's own waiters and iterators, which read fields a lazy emulator
 * would omit (reference §4).
 */
describe('official Databricks JS SDK conformance', () => {
  let emu: RunningEmulator;
  let w: WorkspaceClient;
  let api: TestClient;
  beforeAll(async () => {
    ({ emu, api } = await startTestEmulator());
    w = new WorkspaceClient({ host: emu.url, token: emu.token, authType: 'pat' });
  });
  afterAll(() => emu.close());
  afterEach(() => emu.reset());


  it('create-cluster-and-wait, list, events, delete-and-wait; selectors; missing cluster error', async () => {
    const sparkVersion = await w.clusters.selectSparkVersion({ longTermSupport: true });
    const nodeType = await w.clusters.selectNodeType({ minMemoryGb: 16, localDisk: true });
    const cluster = await (await w.clusters.create({ cluster_name: 'sdk', spark_version: sparkVersion, node_type_id: nodeType, num_workers: 1, autotermination_minutes: 30 })).wait();
    expect(cluster.state).toBe('RUNNING');
    const listed = [];
    for await (const c of w.clusters.list({})) listed.push(c.cluster_id);
    expect(listed).toEqual([cluster.cluster_id]);
    const events = [];
    for await (const e of w.clusters.events({ cluster_id: cluster.cluster_id as string })) events.push(e.type);
    expect(events).toContain('RUNNING');
    const terminated = await (await w.clusters.delete({ cluster_id: cluster.cluster_id as string })).wait();
    expect(terminated.state).toBe('TERMINATED');
    const err = await sdkErrorOf(w.clusters.get({ cluster_id: 'nope' }));
    expect(err).toMatchObject({ statusCode: 400, errorCode: 'INVALID_PARAMETER_VALUE' });
    expect(err.message).toMatch(/Cluster nope does not exist/);
  });

  it('the SDK retries a 429 with Retry-After and succeeds', async () => {
    await api.control('POST', '/faults', { path: '/api/2.1/clusters/spark-versions', action: 'respond', status: 429, retry_after: 1, times: 1, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' } });
    const versions = await w.clusters.sparkVersions();
    expect(versions.versions?.length).toBeGreaterThan(0);
    expect((await api.control<{ calls: Record<string, number> }>('GET', '/stats')).body.calls['GET /api/2.1/clusters/spark-versions']).toBe(2);
  });

  it('create-job, run-now and wait; get-output of a notebook task; list jobs and runs', async () => {
    const job = await w.jobs.create({
      name: 'sdk-job',
      tasks: [
        { task_key: 'ingest', notebook_task: { notebook_path: '/Shared/ingest', base_parameters: { 'emulator.exit': 'ingested 10 rows' } } },
        { task_key: 'publish', depends_on: [{ task_key: 'ingest' }], spark_python_task: { python_file: '/Shared/publish.py' } },
      ],
    });
    const run = await (await w.jobs.runNow({ job_id: job.job_id as number, idempotency_token: 'sdk-run-1' })).wait();
    expect(run.state?.life_cycle_state).toBe('TERMINATED');
    expect(run.state?.result_state).toBe('SUCCESS');
    expect(run.status?.state).toBe('TERMINATED');
    const ingest = run.tasks?.find((t) => t.task_key === 'ingest');
    const output = await w.jobs.getRunOutput({ run_id: ingest?.run_id as number });
    expect(output.notebook_output?.result).toBe('ingested 10 rows');
    const jobs = [];
    for await (const j of w.jobs.list({})) jobs.push(j.job_id);
    expect(jobs).toEqual([job.job_id]);
    const runs = [];
    for await (const r of w.jobs.listRuns({ job_id: job.job_id as number })) runs.push(r.run_id);
    expect(runs).toEqual([run.run_id]);
    const again = await w.jobs.runNow({ job_id: job.job_id as number, idempotency_token: 'sdk-run-1' });
    expect(again.run_id).toBe(run.run_id);
  });

  it('submit-and-wait a failing one-time run, then repair it and wait', async () => {
    const submitted = await (
      await w.jobs.submit({ run_name: 'sdk-once', tasks: [{ task_key: 'only', notebook_task: { notebook_path: '/Shared/x', base_parameters: { 'emulator.outcome': 'FAILED' } } }] })
    ).wait();
    expect(submitted.state?.result_state).toBe('FAILED');
    const repaired = await (await w.jobs.repairRun({ run_id: submitted.run_id as number, rerun_all_failed_tasks: true })).wait();
    expect(repaired.repair_history?.map((h) => h.type)).toEqual(['ORIGINAL', 'REPAIR']);
  });

  it('cancel-run-and-wait (paused clock, so the cancel lands mid-run)', async () => {
    const paused = await startTestEmulator({ speed: 0 });
    try {
      const pw = new WorkspaceClient({ host: paused.emu.url, token: paused.emu.token, authType: 'pat' });
      const job = await pw.jobs.create({ name: 'slow', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/slow' } }] });
      const { run_id } = await pw.jobs.runNow({ job_id: job.job_id as number });
      await paused.emu.advance(30);
      const waiter = await pw.jobs.cancelRun({ run_id: run_id as number });
      // The run is TERMINATING until its clean-up time passes; move the clock while the waiter polls.
      const waited = waiter.wait();
      await paused.emu.advance(10);
      const canceled = await waited;
      expect(canceled.state).toMatchObject({ life_cycle_state: 'TERMINATED', result_state: 'CANCELED' });
    } finally {
      await paused.emu.close();
    }
  });

  it('DBFS upload through create/add-block/close and download through read, 3.5 MB intact', async () => {
    const data = Buffer.alloc(3.5 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
    const { handle } = await w.dbfs.create({ path: '/sdk/blob.bin', overwrite: true });
    for (let off = 0; off < data.length; off += 1024 * 1024) {
      await w.dbfs.addBlock({ handle: handle as number, data: data.subarray(off, off + 1024 * 1024).toString('base64') });
    }
    await w.dbfs.close({ handle: handle as number });
    expect((await w.dbfs.getStatus({ path: '/sdk/blob.bin' })).file_size).toBe(data.length);
    const parts: Buffer[] = [];
    for (let off = 0; ; ) {
      const r = await w.dbfs.read({ path: '/sdk/blob.bin', offset: off, length: 1024 * 1024 });
      if (!r.bytes_read) break;
      parts.push(Buffer.from(r.data as string, 'base64'));
      off += r.bytes_read;
    }
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(Buffer.concat(parts))).toBe(sha(data));
    const listed = [];
    for await (const f of w.dbfs.list({ path: '/sdk' })) listed.push(f.path);
    expect(listed).toEqual(['/sdk/blob.bin']);
    await w.dbfs.delete({ path: '/sdk', recursive: true });
    expect(await sdkErrorOf(w.dbfs.getStatus({ path: '/sdk/blob.bin' }))).toMatchObject({ statusCode: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('secrets: scope, put, list, get, ACLs, missing secret is 404', async () => {
    await w.secrets.createScope({ scope: 'sdk-scope' });
    await w.secrets.putSecret({ scope: 'sdk-scope', key: 'db-password', string_value: 's3cr3t' });
    const keys = [];
    for await (const s of w.secrets.listSecrets({ scope: 'sdk-scope' })) keys.push(s.key);
    expect(keys).toEqual(['db-password']);
    const got = await w.secrets.getSecret({ scope: 'sdk-scope', key: 'db-password' });
    expect(Buffer.from(got.value as string, 'base64').toString()).toBe('s3cr3t');
    await w.secrets.putAcl({ scope: 'sdk-scope', principal: 'users', permission: 'READ' });
    const acls = [];
    for await (const a of w.secrets.listAcls({ scope: 'sdk-scope' })) acls.push(`${a.principal}:${a.permission}`);
    expect(acls.sort()).toEqual(['admin@emulator.local:MANAGE', 'users:READ']);
    const scopes = [];
    for await (const s of w.secrets.listScopes()) scopes.push(s.name);
    expect(scopes).toEqual(['sdk-scope']);
    expect(await sdkErrorOf(w.secrets.getSecret({ scope: 'sdk-scope', key: 'nope' }))).toMatchObject({ statusCode: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST' });
    await w.secrets.deleteScope({ scope: 'sdk-scope' });
  });

  it('workspace: mkdirs, import, export, list, get-status, delete', async () => {
    const dir = '/Users/admin@emulator.local/sdk';
    await w.workspace.mkdirs({ path: dir });
    await w.workspace.import({ path: `${dir}/report`, format: 'SOURCE', language: 'PYTHON', content: Buffer.from('print("hi")\n').toString('base64') });
    const exported = await w.workspace.export({ path: `${dir}/report`, format: 'SOURCE' });
    expect(Buffer.from(exported.content as string, 'base64').toString()).toBe('# Databricks notebook source\nprint("hi")\n');
    const objects = [];
    for await (const o of w.workspace.list({ path: dir })) objects.push(`${o.path}:${o.object_type}:${o.language}`);
    expect(objects).toEqual([`${dir}/report:NOTEBOOK:PYTHON`]);
    expect((await w.workspace.getStatus({ path: `${dir}/report` })).object_type).toBe('NOTEBOOK');
    await w.workspace.delete({ path: dir, recursive: true });
    expect(await sdkErrorOf(w.workspace.getStatus({ path: `${dir}/report` }))).toMatchObject({ statusCode: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST' });
  });
});
