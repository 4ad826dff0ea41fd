/**
 * Reads a pipeline (or provisioning) spec file for the CLI: YAML or JSON (by extension; YAML is a superset, so
 * anything else is parsed as YAML), `${VAR}` / `${VAR:-default}` from the environment, and
 * `content_file:` in `files` entries read relative to the spec. Every problem — syntax, a missing
 * variable, an unreadable file, a schema violation — is collected and reported together.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { MIN_SCRUBBED_SECRET_LENGTH, scrubSecrets } from '../common/logger.js';
import { validatePipelineSpec, type PipelineSpec } from '../workflows/lib/pipeline-spec.js';
import { validateProvisionSpec, type ProvisionSpec } from '../workflows/lib/provision-spec.js';

export class SpecFileError extends Error {
  override name = 'SpecFileError';
  constructor(
    readonly file: string,
    readonly problems: string[],
    kind = 'pipeline spec',
  ) {
    super(`${file}: invalid ${kind} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface LoadSpecOptions {
  env?: Record<string, string | undefined>;
}

export async function loadPipelineSpecFile(file: string, options: LoadSpecOptions = {}): Promise<PipelineSpec> {
  return parsePipelineSpecText(await readSpecFile(file, 'pipeline spec'), { ...options, file, baseDir: dirname(resolve(file)) });
}

export async function parsePipelineSpecText(text: string, options: LoadSpecOptions & { file?: string; baseDir?: string } = {}): Promise<PipelineSpec> {
  const file = options.file ?? '(spec)';
  const { raw, problems, secrets } = parseSpecDocument(text, { ...options, ...(options.file ? { file: options.file } : {}) });
  if (problems.length > 0) throw new SpecFileError(file, problems);
  await inlineContentFiles(raw, options.baseDir ?? process.cwd(), problems);
  const r = validatePipelineSpec(raw);
  if (!r.ok) problems.push(...r.problems, ...provisioningHint(raw, r.problems));
  if (problems.length > 0 || !r.ok) throw new SpecFileError(file, problems.map((p) => scrubSecrets(p, secrets)));
  return r.spec;
}

/** A provisioning spec file: the same YAML/JSON and `${VAR}` rules as pipeline specs. */
export async function loadProvisionSpecFile(file: string, options: LoadSpecOptions = {}): Promise<ProvisionSpec> {
  const kind = 'provisioning spec';
  const { raw, problems, secrets } = parseSpecDocument(await readSpecFile(file, kind), { ...options, file });
  if (problems.length > 0) throw new SpecFileError(file, problems, kind);
  const r = validateProvisionSpec(raw);
  if (!r.ok) throw new SpecFileError(file, r.problems.map((p) => scrubSecrets(p, secrets)), kind);
  return r.spec;
}

async function readSpecFile(file: string, kind: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new SpecFileError(file, [`cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`], kind);
  }
}

/**
 * Variables whose values are credentials by their name: a problem that quotes a value (`got "…"`) shows
 * `[REDACTED]` instead when the value came from one of them, e.g. `timeouts.run: ${DATABRICKS_TOKEN}`.
 */
const SECRET_VARIABLE = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL|CODEC_KEYS/i;

/**
 * Interpolates the environment and parses YAML (JSON is YAML); syntax and variable problems are
 * collected. A `.json` file must also be strict JSON: YAML would let a trailing comma through, which
 * the file's other readers (editors, jq, JSON.parse) refuse.
 */
function parseSpecDocument(text: string, options: LoadSpecOptions & { file?: string }): { raw: unknown; problems: string[]; secrets: string[] } {
  const problems: string[] = [];
  const secrets: string[] = [];
  const interpolated = interpolate(text, options.env ?? process.env, problems, secrets);
  const doc = parseDocument(interpolated, { prettyErrors: true, uniqueKeys: true });
  // The first line of a pretty error ends with ':' before the source excerpt, which is left out here.
  for (const e of doc.errors) problems.push(scrubSecrets(`syntax: ${e.message.split('\n')[0]!.replace(/:\s*$/, '')}`, secrets));
  if (doc.errors.length === 0 && options.file?.toLowerCase().endsWith('.json')) {
    try {
      JSON.parse(interpolated);
    } catch (err) {
      problems.push(scrubSecrets(`syntax: not valid JSON (${(err as Error).message})`, secrets));
    }
  }
  return { raw: problems.length > 0 ? undefined : (doc.toJS() as unknown), problems, secrets };
}

/** Top-level keys only a provisioning spec has: their presence in a pipeline spec means the wrong kind of file. */
const PROVISIONING_KEYS = ['group', 'secretScope', 'clusterPolicy', 'instancePool', 'repo', 'warehouse', 'storage', 'catalog', 'access'];

/** A pipeline spec that reads like a provisioning spec gets one more line saying so. */
function provisioningHint(raw: unknown, problems: readonly string[]): string[] {
  const keys = typeof raw === 'object' && raw !== null ? Object.keys(raw) : [];
  const unknown = keys.filter((k) => PROVISIONING_KEYS.includes(k) && problems.includes(`${k}: unknown key`));
  return unknown.length > 0 ? [`(${unknown.join(', ')} belong to provisioning specs: for \`durabricks provision\` files use \`durabricks validate --provision\`)`] : [];
}

/** `${NAME}` and `${NAME:-default}`; `$${` escapes. Missing variables are problems, never empty strings. */
function interpolate(text: string, env: Record<string, string | undefined>, problems: string[], secrets: string[]): string {
  const missing = new Set<string>();
  // Whole-line comments are left alone: documentation may mention ${VARS} that this spec does not use.
  const out = text.split('\n').map((line) => (/^\s*#/.test(line) ? line : line.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (match, name: string, fallback: string | undefined) => {
    if (match.startsWith('$$')) return match.slice(1);
    const value = env[name];
    if (value !== undefined && value !== '') {
      if (SECRET_VARIABLE.test(name) && value.length >= MIN_SCRUBBED_SECRET_LENGTH) secrets.push(value);
      return value;
    }
    if (fallback !== undefined) return fallback;
    missing.add(name);
    return match;
  }))).join('\n');
  for (const name of missing) problems.push(`environment variable ${name} is not set (used as \${${name}})`);
  return out;
}

/** `files[i].content_file: ./query.sql` → `content: <text>`, relative to the spec's folder. */
async function inlineContentFiles(raw: unknown, baseDir: string, problems: string[]): Promise<void> {
  const files = (raw as { files?: unknown })?.files;
  if (!Array.isArray(files)) return;
  await Promise.all(
    files.map(async (f: unknown, i) => {
      if (typeof f !== 'object' || f === null || !('content_file' in f)) return;
      const entry = f as Record<string, unknown>;
      const ref = entry.content_file;
      delete entry.content_file;
      if (typeof ref !== 'string' || ref === '') return problems.push(`files[${i}].content_file: must be a file path`);
      if (entry.content !== undefined) return problems.push(`files[${i}]: give content or content_file, not both`);
      const path = isAbsolute(ref) ? ref : resolve(baseDir, ref);
      try {
        entry.content = await readFile(path, 'utf8');
      } catch (err) {
        problems.push(`files[${i}].content_file: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
        entry.content = ''; // the problem is said; the schema need not add "content: must be a string"
      }
    }),
  );
}
