/**
 * `fields`: the part of an activity's result a workflow keeps. Every activity accepts it next to its
 * own input; the wrapper (define.ts) takes it out before the call and projects the result, so only
 * the listed fields reach workflow history. A Run is several kilobytes (every task's settings, the
 * cluster spec) and grows with the job, while a pipeline reads a dozen fields of it.
 *
 * A path is dot-separated keys; inside arrays it applies to every element:
 *   ['run_id', 'state', 'tasks.task_key', 'tasks.state'] keeps those, and of each task only those two.
 * A listed field the response lacks is simply absent. Without `fields` the result is whole.
 */
import { z } from 'zod';
import { invalidInput } from './failures.js';

export interface FieldsOption {
  /** Keep only these fields of the result (dot paths; see fields.ts). */
  fields?: readonly string[];
}

const Fields = z
  .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'must be a dot-separated field path such as "state" or "tasks.task_key"'))
  .min(1)
  .max(100);

type Tree = Map<string, Tree | true>;

/** Splits `fields` off the input; a malformed list fails the call as invalid input (not retried). */
export function takeFields<I>(activity: string, input: I): { input: I; fields?: readonly string[] } {
  if (input === null || typeof input !== 'object' || Array.isArray(input) || !('fields' in input)) return { input };
  const { fields, ...rest } = input as Record<string, unknown>;
  if (fields === undefined) return { input: rest as I };
  const parsed = Fields.safeParse(fields);
  if (!parsed.success) throw invalidInput(activity, new z.ZodError(parsed.error.issues.map((i) => ({ ...i, path: ['fields', ...i.path] }))));
  return { input: rest as I, fields: parsed.data };
}

/** The value with only the listed paths kept. */
export function project<T>(value: T, fields: readonly string[]): T {
  return keep(value, treeOf(fields)) as T;
}

function treeOf(fields: readonly string[]): Tree {
  const root: Tree = new Map();
  for (const path of fields) {
    const keys = path.split('.');
    let node = root;
    keys.forEach((key, i) => {
      const existing = node.get(key);
      if (existing === true) return;
      if (i === keys.length - 1) {
        node.set(key, true);
        return;
      }
      const child: Tree = existing ?? new Map();
      node.set(key, child);
      node = child;
    });
  }
  return root;
}

function keep(value: unknown, tree: Tree | true): unknown {
  if (tree === true || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => keep(item, tree));
  const out: Record<string, unknown> = {};
  for (const [key, sub] of tree) {
    if (Object.hasOwn(value, key)) out[key] = keep((value as Record<string, unknown>)[key], sub);
  }
  return out;
}
