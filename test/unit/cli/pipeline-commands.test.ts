import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
// An address nothing listens on: had the CLI tried to connect, it would fail with exit 1 instead.
const env = { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', DURABRICKS_LOG_LEVEL: 'silent' };
const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/durabricks.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env });

describe('pipeline commands with bad input', () => {
  it('run with an invalid spec lists every problem by path and exits 2 without connecting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'durabricks-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, ['name: bad name', 'cluster:', '  existing_cluster_id: c1', '  cleanup: delete', 'job:', '  timeout: -3', 'colour: blue', ''].join('\n'));
    const res = run('run', file);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(`error: ${file}: invalid pipeline spec (5 problems):`);
    for (const line of [
      '  - name: must be 1-100 letters',
      '  - cluster.cleanup: cannot delete a cluster this pipeline did not create',
      '  - job.timeout: must be a positive duration',
      '  - job: missing job: give job_id (an existing job) or tasks (a one-time run)',
      '  - colour: unknown key',
    ]) {
      expect(res.stderr).toContain(line);
    }
    expect(res.stderr).not.toMatch(/cannot reach the Temporal server/);
  });

  it('backfill and run --logical-date with bad times or counts exit 2 with every problem, without connecting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'durabricks-cli-'));
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ name: 'days', job: { job_id: 1 } }));
    const res = run('backfill', file, '--from', '2026-11-31', '--to', '2026-11-01', '--every', '10s', '--concurrency', 'two');
    expect(res.status).toBe(2);
    expect(res.stderr).toBe(
      'error: --from: must be an ISO-8601 date (2026-11-20) or date-time with a zone (2026-11-20T03:00:00Z), got "2026-11-31"; --every: must be a duration of at least 1m, such as "1d" or "1h", got "10s"; --concurrency: must be a whole number from 1 to 10, got "two"\n',
    );
    const dated = run('run', file, '--logical-date', 'yesterday');
    expect(dated.status).toBe(2);
    expect(dated.stderr).toBe('error: --logical-date "yesterday" is not an ISO-8601 date (2026-11-20) or date-time with a zone (2026-11-20T03:00:00Z)\n');
    // A good range gets as far as connecting.
    const good = run('backfill', file, '--from', '2026-11-01', '--to', '2026-11-08');
    expect(good.status).toBe(1);
    expect(good.stderr).toMatch(/cannot reach the Temporal server/);
  });

  it('validate checks every file offline: ok lines for good ones, every problem of the bad ones, exit 2 if any is bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'durabricks-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'days', job: { job_id: 1, parameters: { day: '{{durabricks.logical_day}}' } }, sql: { warehouse_id: 'w', statement: 'SELECT 1', check: 'yes' } }));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ name: 'days', job: { job_id: 1, parameters: { day: '{{durabricks.logical_date}}' } } }));
    const res = run('validate', good, bad);
    expect(res.status).toBe(2);
    expect(res.stdout).toBe(`ok ${good}: pipeline spec days\n`);
    expect(res.stderr).toBe(
      `error: ${bad}: invalid pipeline spec (2 problems):\n` +
        '  - sql.check: must be true or false\n' +
        '  - job.parameters.day: unknown reference {{durabricks.logical_day}} (known: {{durabricks.logical_date}}, {{durabricks.logical_time}})\n' +
        '1 of 2 spec files are invalid\n',
    );
    const provision = run('validate', '--provision', 'examples/provision.yaml');
    expect(provision.status, provision.stderr).toBe(0);
    expect(provision.stdout).toBe('ok examples/provision.yaml: provisioning spec analytics\n');
  });

  it('provision with an invalid spec lists every problem by path and exits 2 without connecting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'durabricks-cli-'));
    const file = join(dir, 'bad-provision.yaml');
    writeFileSync(file, ['name: team', 'secretScope:', '  scope: s', '  secrets:', '    - key: k', '      value: plain-text-secret', 'instancePool: {}', ''].join('\n'));
    const res = run('provision', file);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(`error: ${file}: invalid provisioning spec (2 problems):`);
    expect(res.stderr).toContain("secretScope.secrets[0].value: must be a reference { fromEnv: 'VAR' } or { fromFile: '/path' }, never the secret itself");
    expect(res.stderr).toContain('instancePool.node_type_id:');
    expect(res.stderr).not.toMatch(/cannot reach the Temporal server/);
  });

  it('provision of the example with its defaults is valid: it gets as far as connecting', () => {
    const res = run('provision', 'examples/provision.yaml');
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/cannot reach the Temporal server/);
  });

  it('run with a missing variable exits 2', () => {
    const res = run('run', 'examples/existing-job.yaml');
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/environment variable (CLUSTER_ID|JOB_ID) is not set/);
  });

  it('schedule create rejects an interval that is not one', () => {
    const res = run('schedule', 'create', 's1', 'examples/job-clusters.yaml', '--every', 'often');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('--every "often" is not an interval');
  });

  it('schedule create with an invalid spec exits 2 without connecting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'durabricks-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'nightly', job: { job_id: 'seven' } }));
    const res = run('schedule', 'create', 's1', file, '--every', '1h');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(`error: ${file}: invalid pipeline spec`);
    expect(res.stderr).toContain('job.job_id');
    expect(res.stderr).not.toMatch(/cannot reach the Temporal server/);
  });

  it('status and cancel against an unreachable server say so in one sentence', () => {
    const res = run('cancel', 'etl-x');
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/cannot reach the Temporal server at 127\.0\.0\.1:1/);
  });

  it('a value from a credential variable is never quoted back in a spec problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'durabricks-cli-'));
    const file = join(dir, 'leak.yaml');
    writeFileSync(file, ['name: leak', 'job:', '  job_id: 1', 'timeouts:', '  run: ${DATABRICKS_TOKEN}', '  sql: ${SQL_TIMEOUT}', ''].join('\n'));
    const res = spawnSync(process.execPath, [join(ROOT, 'bin/durabricks.js'), 'validate', file], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...env, DATABRICKS_TOKEN: 'dapi-very-secret-value-0123', SQL_TIMEOUT: 'ten minutes' },
    });
    expect(res.status).toBe(2);
    expect(res.stderr).not.toContain('dapi-very-secret-value-0123');
    expect(res.stderr).toContain('timeouts.run: must be a positive duration (seconds, or text such as "90s", "20m", "2h"), got "[REDACTED]"');
    // A variable that is not a credential is still quoted: the user needs to see what was wrong.
    expect(res.stderr).toContain('got "ten minutes"');
  });

  it('status refuses --pipeline with a workflow id instead of ignoring it, without connecting', () => {
    const res = run('status', 'etl-daily-sales', '--pipeline', 'daily-sales');
    expect(res.status).toBe(2);
    expect(res.stderr).toBe('error: --pipeline lists the runs of a pipeline: give it without a workflow id (got etl-daily-sales)\n');
  });

  it('backfill names its flags in a range that is too long', () => {
    const dir = mkdtempSync(join(tmpdir(), 'durabricks-cli-'));
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ name: 'days', job: { job_id: 1 } }));
    const res = run('backfill', file, '--from', '2020-01-01', '--to', '2026-01-01');
    expect(res.status).toBe(2);
    expect(res.stderr).toBe('error: the range holds 2192 runs; at most 1000 per backfill (split it, or use a longer --every)\n');
    const empty = run('backfill', file, '--from', '2026-11-04', '--to', '2026-11-01');
    expect(empty.status).toBe(2);
    expect(empty.stderr).toBe('error: --to: must be after --from (the range [from, to) is empty)\n');
  });

  it('webhook-destination: a bad --url or a short secret is bad usage (exit 2), before any call', () => {
    const res = run('webhook-destination', '--url', 'notaurl');
    expect(res.status).toBe(2);
    expect(res.stderr).toBe('error: --url notaurl is not a URL\n');
    const ftp = run('webhook-destination', '--url', 'ftp://user:pw-secret@example.com/hook');
    expect(ftp.status).toBe(2);
    expect(ftp.stderr).toBe('error: --url must be an http or https URL, not ftp:\n');
    const short = spawnSync(process.execPath, [join(ROOT, 'bin/durabricks.js'), 'webhook-destination', '--url', 'https://example.com/hook'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...env, DURABRICKS_WEBHOOK_SECRET: 'short' },
    });
    expect(short.status).toBe(2);
    expect(short.stderr).toBe('error: DURABRICKS_WEBHOOK_SECRET must be at least 16 characters (the worker requires it)\n');
  });
});
