import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/durabricks.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });

describe('durabricks CLI', () => {
  it('lists every command in --help', () => {
    const res = run('--help');
    expect(res.status).toBe(0);
    for (const cmd of ['dev', 'worker', 'emulator', 'run', 'provision', 'status', 'cancel', 'schedule', 'codec-server']) expect(res.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('a reader that closes the pipe early (durabricks … | head) ends the CLI quietly, without a stack trace', async () => {
    const p = spawn(process.execPath, [join(ROOT, 'bin/durabricks.js'), '--help'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.destroy(); // closed before the CLI writes anything: its first write fails with EPIPE
    let err = '';
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => p.once('exit', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('rejects an unknown flag with a precise message and exit code 2', () => {
    const res = run('--no-such-flag');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("unknown option '--no-such-flag'");
  });

  it('rejects a bad port value with a precise message and exit code 2', () => {
    const res = run('dev', '--port', 'seventy');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('"seventy" is not a TCP port');
  });

  it('rejects a bad emulator speed naming both accepted forms', () => {
    const res = run('emulator', '--speed', 'fast');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('"fast" is not a speed: a positive number of virtual seconds per real second (1, 60, 0.5) or "instant".');
  });

  it('rejects an unknown command with exit code 2', () => {
    const res = run('deploy-everything');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("unknown command 'deploy-everything'");
  });

  it('a worker pointed at an unreachable Temporal says so in one sentence, without a stack trace', () => {
    const res = spawnSync(process.execPath, [join(ROOT, 'bin/durabricks.js'), 'worker'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', DURABRICKS_LOG_LEVEL: 'silent' },
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^error: cannot reach the Temporal server at 127\.0\.0\.1:1 .*TEMPORAL_ADDRESS/m);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('a worker with an invalid tuning value names the variable', () => {
    const res = spawnSync(process.execPath, [join(ROOT, 'bin/durabricks.js'), 'worker'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, DURABRICKS_MAX_CONCURRENT_ACTIVITIES: '-3' },
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('DURABRICKS_MAX_CONCURRENT_ACTIVITIES must be at least 1');
  });
});
