import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/main.js';
import { DEFAULT_TASK_QUEUE, workerEnvSchema } from '../../../src/worker/config.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, unknown>;
  ports?: string[];
  expose?: string[];
  profiles?: string[];
  deploy?: { replicas?: number };
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
const services = compose.services;

/** Every env var name the code can read: our sources plus Temporal's envconfig conventions. */
function envVarsReadByCode(): Set<string> {
  const names = new Set<string>(Object.keys(workerEnvSchema.shape));
  const scan = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) scan(path);
      else if (/\.(ts|js)$/.test(entry.name)) for (const m of readFileSync(path, 'utf8').matchAll(/\b((?:DATABRICKS|DURABRICKS|TEMPORAL|OTEL)_[A-Z0-9_]+)\b/g)) names.add(m[1]!);
    }
  };
  scan(join(ROOT, 'src'));
  scan(join(ROOT, 'node_modules/@temporalio/envconfig/lib'));
  return names;
}

const ourImage = (s: ComposeService) => s.build !== undefined || s.image === services.worker?.image;

describe('docker-compose.yml is consistent with the code', () => {
  it('has Temporal on PostgreSQL, the UI, two worker replicas and an optional emulator', () => {
    expect(Object.keys(services).sort()).toEqual(['emulator', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
    expect(services.temporal?.environment?.DB).toBe('postgres12');
    expect(services.temporal?.environment?.POSTGRES_SEEDS).toBe('postgresql');
    expect(services.worker?.deploy?.replicas).toBe(2);
    expect(services.emulator?.profiles).toEqual(['emulator']);
  });

  it('every depends_on names a service in the file', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(Object.keys(services), `${name} depends on ${dep}`).toContain(dep);
    }
  });

  it('every env var given to our image is one the code reads, and values pass the worker schema', () => {
    const known = envVarsReadByCode();
    for (const [name, service] of Object.entries(services).filter(([, s]) => ourImage(s))) {
      for (const key of Object.keys(service.environment ?? {})) expect(known.has(key), `${name}: ${key} is not read anywhere in src/`).toBe(true);
    }
    const env = services.worker!.environment!;
    const parsed = workerEnvSchema.safeParse(env);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(env.DURABRICKS_TASK_QUEUE).toBe(DEFAULT_TASK_QUEUE);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('the worker exposes the metrics port it is configured with; the UI talks to the temporal service', () => {
    const metricsPort = services.worker!.environment!.DURABRICKS_METRICS_ADDRESS!.split(':')[1];
    expect(services.worker!.expose).toContain(metricsPort);
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toContain(`EXPOSE ${metricsPort}`);
    expect(services['temporal-ui']!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(services.temporal!.ports).toContain('7233:7233');
  });

  it('commands run by our image are real CLI commands with real flags', () => {
    const program = buildProgram();
    for (const [name, service] of Object.entries(services).filter(([, s]) => ourImage(s))) {
      const [commandName, ...args] = service.command ?? [];
      const command = program.commands.find((c) => c.name() === commandName);
      expect(command, `${name}: unknown command ${commandName}`).toBeDefined();
      const flags = new Set(command!.options.flatMap((o) => [o.long, o.short].filter(Boolean)));
      for (const arg of args.filter((a) => a.startsWith('-'))) expect(flags.has(arg), `${name}: ${commandName} has no flag ${arg}`).toBe(true);
    }
  });

  it('the emulator listens on the port the worker is pointed at by default, and its data dir is a volume', () => {
    const emulator = services.emulator!;
    const port = emulator.command![emulator.command!.indexOf('--port') + 1];
    expect(services.worker!.environment!.DATABRICKS_HOST).toContain(`http://emulator:${port}`);
    expect(emulator.ports).toContain(`${port}:${port}`);
    const dataDir = emulator.command![emulator.command!.indexOf('--data-dir') + 1];
    expect((emulator as { volumes?: string[] }).volumes?.some((v) => v.endsWith(`:${dataDir}`))).toBe(true);
  });
});
