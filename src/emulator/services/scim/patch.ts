import { z } from 'zod';
import { scimBadRequest } from './errors.js';
import { parseFilter, type Filter } from './filter.js';
import { PATCH_SCHEMA } from './ids.js';

/**
 * PATCH of a group (RFC 7644 §3.5.2) as Databricks clients send it:
 *   {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 *    "Operations": [{"op": "add", "path": "members", "value": [{"value": "<id>"}]},
 *                   {"op": "remove", "path": "members[value eq \"<id>\"]"},
 *                   {"op": "replace", "path": "displayName", "value": "new"},
 *                   {"op": "add", "value": {"entitlements": [{"value": "allow-cluster-create"}]}}]}
 * `op` is case-insensitive. Every operation is applied to a draft; the group changes only when all
 * of them are valid, so a rejected PATCH changes nothing.
 */
const complexValue = z.object({ value: z.string().min(1, 'must not be empty') });
export const patchBody = z.object({
  schemas: z.array(z.string()),
  Operations: z.array(z.object({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() })),
});

export interface GroupDraft {
  displayName: string;
  externalId?: string | undefined;
  members: string[];
  entitlements: string[];
}

type ListAttr = 'members' | 'entitlements';
const ATTRS: Record<string, ListAttr | 'displayName' | 'externalId'> = { members: 'members', entitlements: 'entitlements', displayname: 'displayName', externalid: 'externalId' };

export function applyPatch(draft: GroupDraft, body: z.output<typeof patchBody>): GroupDraft {
  if (!body.schemas.includes(PATCH_SCHEMA)) throw scimBadRequest(`Invalid schemas: a PATCH must carry ["${PATCH_SCHEMA}"].`);
  if (body.Operations.length === 0) throw scimBadRequest('Operations must not be empty.');
  const next: GroupDraft = { ...draft, members: [...draft.members], entitlements: [...draft.entitlements] };
  body.Operations.forEach((operation, n) => {
    const op = operation.op.toLowerCase();
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw scimBadRequest(`Operations[${n}].op: unsupported operation ${JSON.stringify(operation.op)}; expected add, remove or replace.`);
    if (operation.path === undefined) {
      if (op === 'remove') throw scimBadRequest(`Operations[${n}]: remove needs a path.`);
      const value = operation.value;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw scimBadRequest(`Operations[${n}].value: without a path the value must be an object of attributes.`);
      for (const [attr, v] of Object.entries(value)) applyOne(next, op, attr, undefined, v, n);
    } else {
      const m = /^\s*([A-Za-z]+)\s*(?:\[(.*)\])?\s*$/.exec(operation.path);
      if (!m) throw scimBadRequest(`Operations[${n}].path: invalid path ${JSON.stringify(operation.path)}.`);
      const filter = m[2] === undefined ? undefined : parseFilter(m[2], new Set(['value']));
      applyOne(next, op, m[1]!, filter, operation.value, n);
    }
  });
  return next;
}

function applyOne(draft: GroupDraft, op: 'add' | 'remove' | 'replace', attrName: string, filter: Filter | undefined, value: unknown, n: number): void {
  const attr = ATTRS[attrName.toLowerCase()];
  if (!attr) throw scimBadRequest(`Operations[${n}].path: unsupported attribute ${JSON.stringify(attrName)}; expected members, entitlements, displayName or externalId.`);
  if (attr === 'displayName' || attr === 'externalId') {
    if (filter) throw scimBadRequest(`Operations[${n}].path: ${attr} takes no filter.`);
    if (op === 'remove') {
      if (attr === 'displayName') throw scimBadRequest(`Operations[${n}]: displayName is required and cannot be removed.`);
      draft.externalId = undefined;
      return;
    }
    if (typeof value !== 'string' || (attr === 'displayName' && value.trim() === '')) throw scimBadRequest(`Operations[${n}].value: ${attr} must be a non-empty string.`);
    draft[attr] = value;
    return;
  }
  const matches = (v: string) => (filter ? filter((a) => (a === 'value' ? v : undefined)) : false);
  const given = value === undefined ? undefined : listValue(value, n);
  if (op === 'add') {
    if (!given) throw scimBadRequest(`Operations[${n}].value is required for add.`);
    for (const v of given) if (!draft[attr].includes(v)) draft[attr].push(v);
  } else if (op === 'remove') {
    if (filter) draft[attr] = draft[attr].filter((v) => !matches(v));
    else if (given) draft[attr] = draft[attr].filter((v) => !given.includes(v));
    else draft[attr] = [];
  } else {
    if (!given) throw scimBadRequest(`Operations[${n}].value is required for replace.`);
    const kept = filter ? draft[attr].filter((v) => !matches(v)) : [];
    draft[attr] = [...kept, ...given.filter((v) => !kept.includes(v))];
  }
}

/** `[{value}]` or a single `{value}` → the values. */
function listValue(value: unknown, n: number): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) => {
    const r = complexValue.safeParse(item);
    if (!r.success) throw scimBadRequest(`Operations[${n}].value[${i}]: expected an object {"value": "<id or name>"}, got ${JSON.stringify(item)?.slice(0, 80)}.`);
    return r.data.value;
  });
}
