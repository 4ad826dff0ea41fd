import { z } from 'zod';
import { scimBadRequest } from './errors.js';
import { parseFilter, type Filter } from './filter.js';
import { PATCH_SCHEMA } from './ids.js';

/**
 * PATCH (RFC 7644 §3.5.2) as Databricks clients send it, for groups, users and service principals:
 *   {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 *    "Operations": [{"op": "add", "path": "members", "value": [{"value": "<id>"}]},
 *                   {"op": "remove", "path": "members[value eq \"<id>\"]"},
 *                   {"op": "replace", "path": "displayName", "value": "new"},
 *                   {"op": "replace", "path": "active", "value": [{"value": "false"}]},
 *                   {"op": "add", "value": {"entitlements": [{"value": "allow-cluster-create"}]}}]}
 * `op` is case-insensitive. Every operation is applied to a draft; the resource changes only when
 * all of them are valid (and the caller's checks pass), so a rejected PATCH changes nothing.
 * `active` takes `[{"value": "false"}]` because terraform's user deactivation sends exactly that.
 */
const complexValue = z.object({ value: z.string().min(1, 'must not be empty') });
const emailValue = z.object({ value: z.string().min(1, 'must not be empty'), type: z.string().optional(), primary: z.boolean().optional() });
export const patchBody = z.object({
  schemas: z.array(z.string()),
  Operations: z.array(z.object({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() })),
});
export type PatchBody = z.output<typeof patchBody>;

/**
 * How an attribute patches: `required` strings cannot be removed, `values` are `[{value}]` lists
 * held as their values, `emails` are lists of `{value, type?, primary?}` keyed by value.
 */
export type AttrKind = 'required' | 'string' | 'boolean' | 'values' | 'emails';
export interface Email {
  value: string;
  type?: string;
  primary?: boolean;
}
type ValueOf<K extends AttrKind> = K extends 'required' ? string : K extends 'string' ? string | undefined : K extends 'boolean' ? boolean : K extends 'values' ? string[] : Email[];
/** A resource's patchable attributes by canonical name, in the order error messages list them. */
export type AttrSpec = Record<string, AttrKind>;
export type Draft<S extends AttrSpec> = { [K in keyof S]: ValueOf<S[K]> };

export const GROUP_ATTRS = { members: 'values', entitlements: 'values', displayName: 'required', externalId: 'string' } as const satisfies AttrSpec;
export type GroupDraft = Draft<typeof GROUP_ATTRS>;

type Op = 'add' | 'remove' | 'replace';
type Slot = Record<string, unknown>;

export function applyPatch<S extends AttrSpec>(draft: Draft<S>, body: PatchBody, attrs: S): Draft<S> {
  if (!body.schemas.includes(PATCH_SCHEMA)) throw scimBadRequest(`Invalid schemas: a PATCH must carry ["${PATCH_SCHEMA}"].`);
  if (body.Operations.length === 0) throw scimBadRequest('Operations must not be empty.');
  const next: Slot = Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, Array.isArray(v) ? [...(v as unknown[])] : v]));
  const names = Object.keys(attrs);
  const canonical = (name: string, n: number): string => {
    const found = names.find((a) => a.toLowerCase() === name.toLowerCase());
    if (!found) throw scimBadRequest(`Operations[${n}].path: unsupported attribute ${JSON.stringify(name)}; expected ${names.slice(0, -1).join(', ')} or ${names.at(-1)}.`);
    return found;
  };
  body.Operations.forEach((operation, n) => {
    const op = operation.op.toLowerCase();
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw scimBadRequest(`Operations[${n}].op: unsupported operation ${JSON.stringify(operation.op)}; expected add, remove or replace.`);
    if (operation.path === undefined) {
      if (op === 'remove') throw scimBadRequest(`Operations[${n}]: remove needs a path.`);
      const value = operation.value;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw scimBadRequest(`Operations[${n}].value: without a path the value must be an object of attributes.`);
      for (const [name, v] of Object.entries(value)) {
        const attr = canonical(name, n);
        applyOne(next, attr, attrs[attr]!, op, undefined, v, n);
      }
    } else {
      const m = /^\s*([A-Za-z]+)\s*(?:\[(.*)\])?\s*$/.exec(operation.path);
      if (!m) throw scimBadRequest(`Operations[${n}].path: invalid path ${JSON.stringify(operation.path)}.`);
      const attr = canonical(m[1]!, n);
      const kind = attrs[attr]!;
      const filterable = kind === 'emails' ? new Set(['value', 'type']) : new Set(['value']);
      const filter = m[2] === undefined ? undefined : parseFilter(m[2], filterable);
      applyOne(next, attr, kind, op, filter, operation.value, n);
    }
  });
  return next as Draft<S>;
}

function applyOne(draft: Slot, attr: string, kind: AttrKind, op: Op, filter: Filter | undefined, value: unknown, n: number): void {
  if (op !== 'remove' && value === undefined) throw scimBadRequest(`Operations[${n}].value is required for ${op}.`);
  if (kind === 'values' || kind === 'emails') {
    const parse = kind === 'values' ? (v: unknown) => listValue(v, n, complexValue).map((x) => x.value) : (v: unknown) => listValue(v, n, emailValue);
    draft[attr] = applyList<unknown>(draft[attr] as unknown[], op, filter, value === undefined ? undefined : parse(value), kind === 'values' ? (x) => x as string : (x) => (x as Email).value);
    return;
  }
  if (filter) throw scimBadRequest(`Operations[${n}].path: ${attr} takes no filter.`);
  if (op === 'remove') {
    if (kind !== 'string') throw scimBadRequest(`Operations[${n}]: ${attr} is required and cannot be removed.`);
    draft[attr] = undefined;
    return;
  }
  if (kind === 'boolean') {
    draft[attr] = booleanValue(value, attr, n);
    return;
  }
  if (typeof value !== 'string' || (kind === 'required' && value.trim() === '')) throw scimBadRequest(`Operations[${n}].value: ${attr} must be a non-empty string.`);
  draft[attr] = value;
}

/** Adds and replaces keep one item per key (a re-added email replaces the one with its value); `given` is set unless removing. */
function applyList<T>(list: T[], op: Op, filter: Filter | undefined, given: T[] | undefined, key: (t: T) => string): T[] {
  const matches = (t: T) => (filter ? filter((a) => (a === 'value' ? key(t) : (t as Slot)[a])) : false);
  const merge = (base: T[], add: T[]) => {
    const out = base.map((t) => add.find((g) => key(g) === key(t)) ?? t);
    for (const g of add) if (!out.some((t) => key(t) === key(g))) out.push(g);
    return out;
  };
  if (op === 'add') {
    return merge(list, given!);
  }
  if (op === 'remove') {
    if (filter) return list.filter((t) => !matches(t));
    if (given) return list.filter((t) => !given.some((g) => key(g) === key(t)));
    return [];
  }
  return merge(filter ? list.filter((t) => !matches(t)) : [], given!);
}

/** `[{value}]` or a single `{value}` → the items. */
function listValue<T>(value: unknown, n: number, item: z.ZodType<T>): T[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((x, i) => {
    const r = item.safeParse(x);
    if (!r.success) throw scimBadRequest(`Operations[${n}].value[${i}]: expected an object {"value": "<id or name>"}, got ${JSON.stringify(x)?.slice(0, 80)}.`);
    return r.data;
  });
}

/** `false`, `"False"` (Entra ID) or `[{"value": "false"}]` (terraform). */
function booleanValue(value: unknown, attr: string, n: number): boolean {
  const one = Array.isArray(value) && value.length === 1 ? (value[0] as Slot | undefined)?.value : value;
  if (typeof one === 'boolean') return one;
  if (typeof one === 'string' && /^(true|false)$/i.test(one)) return one.toLowerCase() === 'true';
  throw scimBadRequest(`Operations[${n}].value: ${attr} must be true or false, got ${JSON.stringify(value)?.slice(0, 80)}.`);
}
