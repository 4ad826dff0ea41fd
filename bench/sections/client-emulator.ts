/**
 * Item 5: reuses the per-issue scripts as they are (bench/client.ts, bench/emulator.ts) in child
 * processes and reads their printed figures.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ClientEmulatorFigures {
  client?: { rawPerSecond: number; clientPerSecond: number; ratio: number };
  emulator?: { endpoint: string; perSecond: number; p50Ms: number; p99Ms: number }[];
  errors: string[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runScript(script: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${script} exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

export function parseClientOutput(out: string): ClientEmulatorFigures['client'] {
  const raw = /raw undici\.request\s*:\s*(\d+)/.exec(out);
  const client = /DatabricksClient\s*:\s*(\d+)/.exec(out);
  const ratio = /ratio client\/raw\s*:\s*([\d.]+)/.exec(out);
  if (!raw || !client || !ratio) return undefined;
  return { rawPerSecond: Number(raw[1]), clientPerSecond: Number(client[1]), ratio: Number(ratio[1]) };
}

export function parseEmulatorOutput(out: string): NonNullable<ClientEmulatorFigures['emulator']> {
  return [...out.matchAll(/^(GET \S+)\s+(\d+) req\/s\s+p50 ([\d.]+) ms\s+p99 ([\d.]+) ms/gm)].map((m) => ({ endpoint: m[1]!, perSecond: Number(m[2]), p50Ms: Number(m[3]), p99Ms: Number(m[4]) }));
}

export async function clientAndEmulator(opts: { seconds: number }): Promise<ClientEmulatorFigures> {
  const errors: string[] = [];
  const figures: ClientEmulatorFigures = { errors };
  const limit = (opts.seconds * 12 + 60) * 1000;
  try {
    // Four times the per-measurement time per path, in rounds of about 0.3 s (see bench/client.ts).
    const clientSeconds = opts.seconds * 4;
    const out = await runScript('bench/client.ts', ['--seconds', String(clientSeconds), '--rounds', String(Math.max(8, Math.round(clientSeconds / 0.3)))], limit);
    figures.client = parseClientOutput(out);
    if (!figures.client) errors.push(`could not read bench/client.ts output: ${out.slice(-300)}`);
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
  }
  try {
    const out = await runScript('bench/emulator.ts', ['--seconds', String(opts.seconds)], limit);
    figures.emulator = parseEmulatorOutput(out);
    if (figures.emulator.length === 0) errors.push(`could not read bench/emulator.ts output: ${out.slice(-300)}`);
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
  }
  return figures;
}
