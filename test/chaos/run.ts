/**
 * `npm run chaos`: the reliability and security matrix. Runs the scenarios, prints a summary table
 * and writes it to docs/reliability.md. Every process it starts is stopped on exit, on failure and
 * on SIGINT/SIGTERM (each environment's CleanupStack).
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { closeAllEnvs } from './lib/chaos-env.js';
import { textTable, total, type ScenarioFigures } from './lib/figures.js';
import { closeAllRigs } from './lib/rig.js';
import { REPO_ROOT } from './lib/worker-process.js';
import { reliabilityMarkdown } from './report.js';
import { badInputScenario } from './scenarios/bad-input.js';
import { crashScenario } from './scenarios/crash.js';
import { faultScenario } from './scenarios/faults.js';
import { loadScenario } from './scenarios/load.js';
import { secretsScenario } from './scenarios/secrets.js';

const SCENARIOS = ['crash', 'server-restart', 'faults', 'bad-input', 'secrets', 'load'] as const;
const EXIT_USAGE = 2;

const intList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of non-negative integers, e.g. 1,2,3')
  .transform((s) => s.split(',').map(Number));
const count = (min: number, max: number) => z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

export const optionsSchema = z.strictObject({
  scenarios: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(SCENARIOS, { error: `must be one of ${SCENARIOS.join(', ')}` })).min(1, 'name at least one scenario')),
  seeds: intList.pipe(z.array(z.number()).min(1).max(20, 'at most 20 seeds')),
  pipelines: count(1, 50),
  sagas: count(0, 20),
  load: count(1, 1000),
  badSpecs: count(1, 5000),
  cliSpecs: count(0, 50),
  speed: count(1, 3600),
  timeout: count(1, 120),
  write: z.boolean(),
  out: z.string().min(1),
  render: z.string().min(1).optional(),
});
export type ChaosOptions = z.infer<typeof optionsSchema>;

function parseArgs(argv: string[]): ChaosOptions {
  const program = new Command('chaos')
    .description('Reliability and security matrix: crashes, server restarts, faults, bad input, secrets, load')
    .option('--scenarios <list>', `comma-separated: ${SCENARIOS.join(', ')}`, SCENARIOS.join(','))
    .option('--seeds <list>', 'seeds for the crash matrix (each seed: a pipeline mix and kill points)', '1,2')
    .option('--pipelines <n>', 'pipelines per crash run', '6')
    .option('--sagas <n>', 'provisioning sagas per crash run (alternately succeeding and failing at the cluster)', '2')
    .option('--load <n>', 'concurrent pipelines in the load scenario', '200')
    .option('--bad-specs <n>', 'invalid specs through startPipeline', '300')
    .option('--cli-specs <n>', 'of those, how many also through `durabricks run`', '5')
    .option('--speed <x>', 'emulator clock speed in crash runs (virtual seconds per second)', '30')
    .option('--timeout <minutes>', 'deadline of one crash run', '15')
    .option('--out <file>', 'where to write the report', join(REPO_ROOT, 'docs', 'reliability.md'))
    .addOption(new Option('--no-write', 'print the table only; leave docs/reliability.md alone'))
    .option('--render <json>', 're-render the report from saved figures (.durabricks/chaos-last.json; several comma-separated files merge, later rows replacing earlier ones of the same scenario) without running anything')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv);
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode ?? EXIT_USAGE;
    process.exit(code === 0 ? 0 : EXIT_USAGE);
  }
  const raw = program.opts();
  const parsed = optionsSchema.safeParse({ ...raw, write: raw.write !== false });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) process.stderr.write(`error: --${String(issue.path[0] ?? 'options').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue.message}\n`);
    process.exit(EXIT_USAGE);
  }
  return parsed.data;
}

const HOST = `a ${cpus().length}-CPU ${process.platform} machine (node ${process.version})`;

let stopping = false;
async function stopEverything(): Promise<void> {
  const errors = [...(await closeAllEnvs()), ...(await closeAllRigs())];
  for (const e of errors) process.stderr.write(`cleanup: ${e}\n`);
}

function installSignalHandlers(): void {
  const handler = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (stopping) process.exit(code);
    stopping = true;
    process.stderr.write(`\n${signal}: stopping every worker, server and emulator this run started…\n`);
    void stopEverything().finally(() => process.exit(code));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  // While stopping, scenarios still in flight see their connections close under them: expected.
  // Any other uncaught error still tears everything down before the process ends.
  const fatal = (err: unknown) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\nuncaught error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\nstopping every worker, server and emulator this run started…\n`);
    void stopEverything().finally(() => process.exit(1));
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

interface SavedRun {
  argv: string[];
  finished: boolean;
  date?: string;
  rows: ScenarioFigures[];
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv);
  if (o.render) {
    // Several saved runs merge by scenario name, later files replacing earlier rows (a re-run of one scenario).
    const rows: ScenarioFigures[] = [];
    const commands: string[] = [];
    const dates: string[] = [];
    for (const file of o.render.split(',')) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedRun;
      commands.push(`\`npm run chaos${saved.argv.length ? ` -- ${saved.argv.join(' ')}` : ''}\`${saved.finished ? '' : ` (interrupted after ${saved.rows.length} scenario(s))`}`);
      dates.push(saved.date ?? `${statSync(file).mtime.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
      for (const r of saved.rows) {
        const at = rows.findIndex((x) => x.scenario === r.scenario && x.seed === r.seed);
        if (at >= 0) rows[at] = r;
        else rows.push(r);
      }
    }
    writeFileSync(o.out, reliabilityMarkdown(rows, { command: commands.join(', then '), date: dates.join(' / '), host: HOST }));
    process.stdout.write(`${textTable(rows)}\nwrote ${o.out}\n`);
    return;
  }
  installSignalHandlers();
  const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const rows: ScenarioFigures[] = [];
  const run = async (name: string, fn: () => Promise<ScenarioFigures>) => {
    log(`── ${name}`);
    try {
      const f = await fn();
      rows.push(f);
      report(false);
      log(`${f.problems.length === 0 ? 'pass' : 'FAIL'}: ${name}${f.problems.length ? `\n  ${f.problems.join('\n  ')}` : ''}`);
    } catch (err) {
      if (stopping) return;
      const f = { ...total([]), scenario: name, problems: [`did not run to the end: ${err instanceof Error ? err.message : String(err)}`] };
      rows.push(f);
      log(`FAIL: ${name}: ${f.problems[0]}`);
    }
  };
  const timeoutMs = o.timeout * 60_000;
  const command = `npm run chaos${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  /** Written after every scenario, so an interrupted run still leaves what it measured. */
  const report = (finished: boolean) => {
    mkdirSync(join(REPO_ROOT, '.durabricks'), { recursive: true });
    const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
    writeFileSync(join(REPO_ROOT, '.durabricks', 'chaos-last.json'), JSON.stringify({ argv: process.argv.slice(2), finished, date, rows } satisfies SavedRun, null, 2));
    if (!o.write) return;
    writeFileSync(o.out, reliabilityMarkdown(rows, { command: finished ? command : `${command} (in progress: ${rows.length} scenario(s) done)`, date, host: HOST }));
  };
  try {
    if (o.scenarios.includes('faults')) await run('fault matrix', () => faultScenario({ log }));
    if (o.scenarios.includes('bad-input')) await run('bad input', () => badInputScenario({ specs: o.badSpecs, cli: o.cliSpecs, log }));
    if (o.scenarios.includes('secrets')) await run('secrets', () => secretsScenario({ log }));
    if (o.scenarios.includes('load')) await run('load', () => loadScenario({ pipelines: o.load, log }));
    for (const seed of o.seeds) {
      if (o.scenarios.includes('crash')) await run(`crash matrix, seed ${seed}`, () => crashScenario({ seed, pipelines: o.pipelines, sagas: o.sagas, speed: o.speed, timeoutMs, log }));
      if (o.scenarios.includes('server-restart')) await run(`crash matrix + server restart, seed ${seed}`, () => crashScenario({ seed: seed + 1000, pipelines: o.pipelines, sagas: o.sagas, speed: o.speed, timeoutMs, serverRestart: true, log }));
    }
  } finally {
    await stopEverything();
  }
  process.stdout.write(`\n${textTable(rows)}\n`);
  const t = total(rows);
  report(true);
  if (o.write) process.stdout.write(`\nwrote ${o.out}\n`);
  process.exitCode = t.problems.length === 0 ? 0 : 1;
}

await main();
