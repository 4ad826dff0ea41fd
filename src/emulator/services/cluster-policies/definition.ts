import { ApiError, invalidParameter } from '../../http/errors.js';

/**
 * The Databricks policy definition language (compute policy reference): a JSON object from an
 * attribute path (`node_type_id`, `autoscale.max_workers`, `spark_conf.<key>`, `custom_tags.<tag>`)
 * to one element `{type, value?, values?, pattern?, minValue?, maxValue?, defaultValue?, isOptional?, hidden?}`.
 *
 * Semantics modelled here:
 * - `fixed` always applies its value when the attribute is absent (with or without
 *   apply_policy_default_values, per the Clusters API doc of that flag) and rejects any other value.
 * - `forbidden` rejects any value. `hidden` only affects the UI.
 * - every other type fills `defaultValue` when apply_policy_default_values is true and the attribute is
 *   absent; an absent attribute is then an error unless `isOptional` is true.
 * - `regex` is anchored at both ends (as the reference says); values compare as strings, as the
 *   real messages show (`the value must be true (is "false")`).
 * - `cluster_type` is virtual: `all-purpose` for clusters/create, `job` for job clusters; other
 *   virtual paths (`dbus_per_hour`) are not computed and so not enforced.
 *
 * Messages: `Validation failed for <path>, the value must be <v> (is "<actual>")`,
 * `Validation failed for spark_conf, <key> must be present`, `…, the value cannot be less than <n>`
 * and the `; ` join of several violations are the real service's wording (seen in provider issues);
 * `…, the value cannot be present` for a forbidden attribute is the example of the Jobs policy
 * compliance API reference; the wording for allowlist/blocklist/regex/max follows the same pattern (unverified).
 */
export interface PolicyElement {
  type: 'fixed' | 'forbidden' | 'allowlist' | 'blocklist' | 'regex' | 'range' | 'unlimited';
  value?: unknown;
  values?: unknown[];
  pattern?: string;
  minValue?: number;
  maxValue?: number;
  defaultValue?: unknown;
  isOptional?: boolean;
  hidden?: boolean;
}
export type PolicyDefinition = Record<string, PolicyElement>;

const TYPES = new Set(['fixed', 'forbidden', 'allowlist', 'blocklist', 'regex', 'range', 'unlimited']);
/** Attributes whose values are string maps: the rest of the path after the first dot is one key. */
const MAP_FIELDS = new Set(['spark_conf', 'custom_tags', 'spark_env_vars']);
const VIRTUAL = new Set(['dbus_per_hour']);

/** Parses a definition string; `undefined` when the text is JSON but not a usable definition (stored as is, failing only when used). */
export function parseDefinition(text: string): PolicyDefinition | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  for (const el of Object.values(parsed as Record<string, unknown>)) {
    if (el === null || typeof el !== 'object' || !TYPES.has(String((el as { type?: unknown }).type))) return undefined;
    const e = el as PolicyElement;
    if (e.type === 'range' && [e.minValue, e.maxValue].some((n) => n !== undefined && typeof n !== 'number')) return undefined;
    if ((e.type === 'allowlist' || e.type === 'blocklist') && !Array.isArray(e.values)) return undefined;
    if (e.type === 'regex' && (typeof e.pattern !== 'string' || !compiles(e.pattern))) return undefined;
  }
  return parsed as PolicyDefinition;
}

/** Whether `text` is JSON at all (the create/edit check; its shape is only checked when a cluster uses it). */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Family definition + overrides: override rules replace the family's rule for the same path. */
export function mergeDefinitions(base: string, overrides: string | undefined): string {
  if (!overrides) return base;
  const a = JSON.parse(base) as Record<string, unknown>;
  const b = JSON.parse(overrides) as unknown;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return base;
  return JSON.stringify({ ...a, ...(b as Record<string, unknown>) });
}

export interface ApplyOptions {
  applyDefaults: boolean;
  /** The virtual `cluster_type` value of the request. */
  clusterType: 'all-purpose' | 'job';
}

/** Returns the spec with the policy's fixed (and, when asked, default) values filled in, or throws 400 naming every violation. */
export function applyPolicy(policyId: string, definition: PolicyDefinition | undefined, spec: Record<string, unknown>, options: ApplyOptions): Record<string, unknown> {
  if (!definition) {
    throw invalidParameter(`Requests for the policy ${policyId} cannot be satisfied due to the malformed policy definition. Please contact your administrator to correct the policy definition.`);
  }
  const out = structuredClone(spec);
  const violations = evaluate(definition, out, options, true);
  if (violations.length > 0) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', violations.map(([, problem]) => `Validation failed for ${problem}`).join('; '));
  return out;
}

/**
 * Where an existing cluster's spec departs from its policy (policy compliance): path → what is
 * wrong. Nothing is filled in, so a fixed value the spec lacks (a policy tightened after the cluster
 * was made) is a violation too.
 */
export function policyViolations(definition: PolicyDefinition, spec: Record<string, unknown>, options: ApplyOptions): Record<string, string> {
  return Object.fromEntries(evaluate(definition, structuredClone(spec), options, false));
}

/** Every element against the spec; `fill` writes fixed (and asked-for default) values into it. */
function evaluate(definition: PolicyDefinition, spec: Record<string, unknown>, options: ApplyOptions, fill: boolean): [string, string][] {
  const violations: [string, string][] = [];
  for (const [path, el] of Object.entries(definition)) {
    if (VIRTUAL.has(path)) continue;
    const problem = path === 'cluster_type' ? checkValue(path, el, options.clusterType) : applyElement(spec, path, el, fill && options.applyDefaults, fill);
    if (problem) violations.push([path, problem]);
  }
  return violations;
}

/** One element against the spec (mutating `spec` to fill values); returns the violation text, if any. */
function applyElement(spec: Record<string, unknown>, path: string, el: PolicyElement, applyDefaults: boolean, fill: boolean): string | undefined {
  let actual = read(spec, path);
  if (el.type === 'forbidden') return actual === undefined ? undefined : `${path}, the value cannot be present`;
  if (actual === undefined) {
    if (el.type === 'fixed' && !fill) return `${path}, the value must be ${String(el.value)} (is missing)`;
    if (el.type === 'fixed') actual = el.value;
    else if (applyDefaults && el.defaultValue !== undefined) actual = el.defaultValue;
    if (actual !== undefined) write(spec, path, actual);
  }
  if (actual === undefined) {
    if (el.type === 'fixed' || el.isOptional) return undefined;
    const dot = path.indexOf('.');
    return dot > 0 && MAP_FIELDS.has(path.slice(0, dot)) ? `${path.slice(0, dot)}, ${path.slice(dot + 1)} must be present` : `${path}, the value must be present`;
  }
  return checkValue(path, el, actual);
}

function checkValue(path: string, el: PolicyElement, actual: unknown): string | undefined {
  const s = String(actual);
  const list = () => `[${(el.values ?? []).map(String).join(', ')}]`;
  switch (el.type) {
    case 'fixed':
      return s === String(el.value) ? undefined : `${path}, the value must be ${String(el.value)} (is "${s}")`;
    case 'forbidden':
      return `${path}, the value cannot be present`;
    case 'allowlist':
      return (el.values ?? []).some((v) => String(v) === s) ? undefined : `${path}, the value must be one of ${list()} (is "${s}")`;
    case 'blocklist':
      return (el.values ?? []).some((v) => String(v) === s) ? `${path}, the value must not be one of ${list()} (is "${s}")` : undefined;
    case 'regex':
      return new RegExp(`^(?:${el.pattern ?? ''})$`).test(s) ? undefined : `${path}, the value must match the regex ${el.pattern ?? ''} (is "${s}")`;
    case 'range': {
      const n = Number(actual);
      if (typeof actual === 'boolean' || !Number.isFinite(n)) return `${path}, the value must be a number (is "${s}")`;
      if (el.minValue !== undefined && n < el.minValue) return `${path}, the value cannot be less than ${el.minValue}`;
      if (el.maxValue !== undefined && n > el.maxValue) return `${path}, the value cannot be greater than ${el.maxValue}`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The value at a policy path: map attributes take the whole rest as one key; others walk objects and array indexes. */
export function read(spec: Record<string, unknown>, path: string): unknown {
  const [head, rest] = split(path);
  if (rest !== undefined && MAP_FIELDS.has(head)) return (spec[head] as Record<string, unknown> | undefined)?.[rest];
  let cur: unknown = spec;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur ?? undefined;
}

export function write(spec: Record<string, unknown>, path: string, value: unknown): void {
  const [head, rest] = split(path);
  if (rest !== undefined && MAP_FIELDS.has(head)) {
    // Map values are strings in the Clusters API; a policy may write `true` or `2`.
    spec[head] = { ...(spec[head] as Record<string, string> | undefined), [rest]: String(value) };
    return;
  }
  const parts = path.split('.');
  let cur = spec;
  parts.slice(0, -1).forEach((part, i) => {
    const next = cur[part];
    // An index as the next step (`init_scripts.0.…`) makes this level an array.
    if (next === null || typeof next !== 'object') cur[part] = /^\d+$/.test(parts[i + 1]!) ? [] : {};
    cur = cur[part] as Record<string, unknown>;
  });
  cur[parts.at(-1)!] = value;
}

/** Removes the attribute at a policy path (a map key, or the last step of an object path). */
export function remove(spec: Record<string, unknown>, path: string): void {
  const [head, rest] = split(path);
  const parts = rest !== undefined && MAP_FIELDS.has(head) ? [head, rest] : path.split('.');
  let cur: unknown = spec;
  for (const part of parts.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur !== null && typeof cur === 'object') delete (cur as Record<string, unknown>)[parts.at(-1)!];
}

function split(path: string): [string, string | undefined] {
  const dot = path.indexOf('.');
  return dot < 0 ? [path, undefined] : [path.slice(0, dot), path.slice(dot + 1)];
}
