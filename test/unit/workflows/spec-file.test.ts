import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipelineSpecFile, parsePipelineSpecText, SpecFileError } from '../../../src/client/spec-file.js';

async function rejection(p: Promise<unknown>): Promise<SpecFileError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SpecFileError);
  return err as SpecFileError;
}

describe('spec files', () => {
  it('loads every example in examples/ (with the variables they use)', async () => {
    const env = { DATABRICKS_WAREHOUSE_ID: 'wh-1', JOB_ID: '42', CLUSTER_ID: '0101-000000-abc' };
    const demo = await loadPipelineSpecFile('examples/daily-sales.yaml', { env });
    expect(demo.sql?.warehouse_id).toBe('wh-1');
    expect(demo.files?.map((f) => f.path)).toEqual(['/Workspace/Shared/durabricks_check_input.py', '/Workspace/Shared/durabricks_daily_sales.sql']);
    expect(demo.files?.[1]?.content).toMatch(/CREATE OR REPLACE TABLE main\.default\.daily_sales/);
    expect((await loadPipelineSpecFile('examples/existing-job.yaml', { env })).job.job_id).toBe(42);
    expect((await loadPipelineSpecFile('examples/job-clusters.yaml', { env })).job.tasks).toHaveLength(2);
  });

  it('reads JSON as well as YAML', async () => {
    const spec = await parsePipelineSpecText(JSON.stringify({ name: 'j', job: { job_id: 1 } }));
    expect(spec.job.job_id).toBe(1);
  });

  it('reports missing variables, syntax errors and schema problems together with the file name', async () => {
    const err = await rejection(parsePipelineSpecText('name: ${NOPE}\njob: {}\n', { env: {}, file: 'p.yaml' }));
    expect(err.problems).toEqual(['environment variable NOPE is not set (used as ${NOPE})']);
    expect(err.message).toMatch(/^p\.yaml: invalid pipeline spec \(1 problem\)/);
    const syntax = await rejection(parsePipelineSpecText('name: a\nname: b\njob: [', { env: {} }));
    expect(syntax.problems.length).toBeGreaterThanOrEqual(1);
    expect(syntax.problems.every((p) => p.startsWith('syntax: '))).toBe(true);
    const schema = await rejection(parsePipelineSpecText('name: ok\njob:\n  job_id: -1\n  colour: red\n', { env: {} }));
    expect(schema.problems).toEqual(['job.job_id: must be positive', 'job.colour: unknown key']);
  });

  it('a .json file must be strict JSON (YAML would accept a trailing comma); syntax problems do not end with a dangling colon', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'durabricks-spec-'));
    writeFileSync(join(dir, 'p.json'), '{ "name": "j", "job": { "job_id": 1 }, }');
    const err = await rejection(loadPipelineSpecFile(join(dir, 'p.json'), { env: {} }));
    expect(err.problems).toEqual([expect.stringMatching(/^syntax: not valid JSON \(.+\)$/)]);
    writeFileSync(join(dir, 'p.yaml'), '{ "name": "j", "job": { "job_id": 1 }, }');
    expect((await loadPipelineSpecFile(join(dir, 'p.yaml'), { env: {} })).name).toBe('j');
    const yaml = await rejection(parsePipelineSpecText('name: a: b\njob: { job_id: 1 }\n', { env: {} }));
    expect(yaml.problems.length).toBeGreaterThan(0);
    for (const p of yaml.problems) expect(p).toMatch(/^syntax: .*[^:]$/);
  });

  it('a provisioning spec given where a pipeline spec is expected says so', async () => {
    const err = await rejection(loadPipelineSpecFile('examples/provision.yaml', { env: { ANALYTICS_API_KEY: 'x' } }));
    expect(err.problems.at(-1)).toBe('(group, secretScope, clusterPolicy, instancePool, repo, warehouse, catalog, access belong to provisioning specs: for `durabricks provision` files use `durabricks validate --provision`)');
    const plain = await rejection(parsePipelineSpecText('name: ok\njob: { job_id: 1 }\ncolour: red\n', { env: {} }));
    expect(plain.problems).toEqual(['colour: unknown key']);
  });

  it('uses defaults, leaves comments alone and keeps escaped $${…}', async () => {
    const spec = await parsePipelineSpecText('# uses ${UNSET_IN_COMMENT}\nname: ${N:-fallback}\ndescription: "costs $${PRICE}"\njob: { job_id: 3 }\n', { env: {} });
    expect(spec.name).toBe('fallback');
    expect(spec.description).toBe('costs ${PRICE}');
  });

  it('inlines content_file relative to the spec and reports unreadable ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'durabricks-spec-'));
    writeFileSync(join(dir, 'q.sql'), 'SELECT 1');
    writeFileSync(join(dir, 'p.yaml'), 'name: f\njob: { job_id: 1 }\nfiles:\n  - { path: /Shared/q.sql, content_file: q.sql }\n');
    expect((await loadPipelineSpecFile(join(dir, 'p.yaml'), { env: {} })).files).toEqual([{ path: '/Shared/q.sql', content: 'SELECT 1' }]);
    writeFileSync(join(dir, 'bad.yaml'), 'name: f\njob: { job_id: 1 }\nfiles:\n  - { path: /Shared/q.sql, content_file: missing.sql }\n');
    const err = await rejection(loadPipelineSpecFile(join(dir, 'bad.yaml'), { env: {} }));
    expect(err.problems).toEqual([expect.stringMatching(/^files\[0\]\.content_file: cannot read .*missing\.sql \(ENOENT\)$/)]);
    const none = await rejection(loadPipelineSpecFile(join(dir, 'absent.yaml')));
    expect(none.problems).toEqual(['cannot read the file (ENOENT)']);
  });
});
