import { invalidParameter } from '../../http/errors.js';
import { policyViolations, read, remove, write, type ApplyOptions, type PolicyDefinition, type PolicyElement } from './definition.js';

/**
 * Enforcing policy compliance on one cluster spec (clusters' and jobs' enforce-compliance): the
 * spec each violated rule is brought back within, and the changes made, as the real API reports
 * them (`{field, previous_value, new_value}`, values as strings, `new_value` absent when removed).
 *
 * What is documented: the job variant derives the new settings "by applying policy default values"
 * (Jobs API reference, EnforcePolicyComplianceResponse.settings). What is modelled here beyond that
 * (unverified, no public answer shows it): only violated attributes change; a `fixed` rule writes
 * its value; a `forbidden` attribute is removed; any other rule takes its `defaultValue` when that
 * value satisfies it; a `range` without a usable default is clamped to its limit. A violation none
 * of these fixes (a regex or allowlist without a default, a required attribute without one, a
 * `cluster_type` mismatch) fails the whole request with 400, naming those violations, and changes
 * nothing — rather than half-enforcing a spec that would still be out of compliance.
 */
export interface SettingsChange {
  field: string;
  previous_value?: string;
  new_value?: string;
}

export function enforceSpec(definition: PolicyDefinition, spec: Record<string, unknown>, options: ApplyOptions): { spec: Record<string, unknown>; changes: SettingsChange[] } {
  const out = structuredClone(spec);
  const changes: SettingsChange[] = [];
  const unfixable: string[] = [];
  for (const [path, el] of Object.entries(definition)) {
    const problem = violation(path, el, out, options);
    if (!problem) continue;
    const before = read(out, path);
    const fixed = fix(path, el, out, options);
    if (!fixed) {
      unfixable.push(problem);
      continue;
    }
    const after = read(out, path);
    changes.push({ field: path, ...(before !== undefined ? { previous_value: text(before) } : {}), ...(after !== undefined ? { new_value: text(after) } : {}) });
  }
  if (unfixable.length > 0) {
    throw invalidParameter(`Policy compliance cannot be enforced automatically: ${unfixable.map((p) => `Validation failed for ${p}`).join('; ')}`);
  }
  return { spec: out, changes };
}

/** The one rule's violation text against the spec as it is now (nothing filled in). */
function violation(path: string, el: PolicyElement, spec: Record<string, unknown>, options: ApplyOptions): string | undefined {
  return policyViolations({ [path]: el }, spec, options)[path];
}

/** Writes the first candidate that satisfies the rule; false when none does (the spec is left as it was for this path). */
function fix(path: string, el: PolicyElement, spec: Record<string, unknown>, options: ApplyOptions): boolean {
  if (path === 'cluster_type') return false;
  if (el.type === 'forbidden') {
    remove(spec, path);
    return true;
  }
  const before = read(spec, path);
  for (const candidate of candidates(el, before)) {
    write(spec, path, candidate);
    if (!violation(path, el, spec, options)) return true;
  }
  if (before === undefined) remove(spec, path);
  else write(spec, path, before);
  return false;
}

function candidates(el: PolicyElement, current: unknown): unknown[] {
  if (el.type === 'fixed') return [el.value];
  const out: unknown[] = [];
  if (el.defaultValue !== undefined) out.push(el.defaultValue);
  const n = Number(current);
  if (el.type === 'range' && typeof current !== 'boolean' && current !== undefined && Number.isFinite(n)) {
    if (el.minValue !== undefined && n < el.minValue) out.push(el.minValue);
    if (el.maxValue !== undefined && n > el.maxValue) out.push(el.maxValue);
  }
  return out;
}

/** "Either a number, a boolean, or a string, converted to a string" (the API's words); objects as JSON. */
function text(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
