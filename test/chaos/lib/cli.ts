/** Runs the durabricks CLI (`bin/durabricks.js`) as a user would, capturing what it prints. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './worker-process.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABRICKS_|TEMPORAL_|DURABRICKS_)/.test(k)));
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'durabricks.js'), ...args], { env: { ...base, ...env }, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
