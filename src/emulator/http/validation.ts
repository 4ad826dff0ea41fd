import { z } from 'zod';
import { invalidParameter } from './errors.js';

/**
 * Request validation with the precision the real API has: a missing required field is named,
 * a wrong type names the field, the expected type and what was sent. Unknown fields are dropped
 * (the real API ignores them), so schemas use plain z.object.
 *
 * The field helpers below accept both JSON values and query-string strings, because the same
 * schema validates a POST body and a GET query (and old clients send GET bodies).
 */

export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw invalidParameter('Invalid request.');
  throw invalidParameter(describeIssue(issue, input));
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const p of path) {
    // A repeated query key sent once arrives as a scalar that list() treats as its item 0.
    if (p === 0 && cur !== undefined && cur !== null && typeof cur !== 'object') continue;
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  // A union reports every branch's issues; explain the branch that came closest to matching.
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]?.[0];
    if (best) return describeIssue({ ...best, path: [...issue.path, ...best.path] }, input);
  }
  const field = formatPath(issue.path);
  const actual = valueAt(input, issue.path);
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && actual === undefined) return `Missing required field: ${field}`;
  if (issue.code === 'invalid_type') return `Invalid value for field ${field}: expected ${issue.expected}, got ${jsonType(actual)}.`;
  if (issue.code === 'invalid_value') {
    return `Invalid value for field ${field}: ${truncate(JSON.stringify(actual) ?? String(actual))} is not one of ${issue.values.map((v) => String(v)).join(', ')}.`;
  }
  // Custom refinements carry their own sentence; prefix the field for context.
  return field ? `Invalid value for field ${field}: ${issue.message}` : issue.message;
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** int64 id or count: a JSON integer, or its decimal string form (query strings). */
export const int = (): z.ZodType<number> =>
  z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v), z.number().int().refine(Number.isSafeInteger, 'out of range'));

export const nonNegInt = (): z.ZodType<number> =>
  z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v), z.number().int().min(0, 'must be >= 0').refine(Number.isSafeInteger, 'out of range'));

/** Booleans arrive as JSON booleans or `true`/`false` strings (reference §1.2). */
export const bool = (): z.ZodType<boolean> =>
  z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** Repeated query keys become arrays; a single occurrence arrives as a scalar. */
export const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v !== undefined && !Array.isArray(v) ? [v] : v), z.array(item));

/** Free-form JSON objects whose inner shape the emulator does not interpret (e.g. aws_attributes). */
export const anyObject = () => z.record(z.string(), z.unknown());
export const stringMap = () => z.record(z.string(), z.string());

/** A non-empty string (the real API rejects empty required strings). */
export const nonEmpty = () => z.string().min(1, 'must not be empty');
