import { z } from 'zod';
import { RawReply, route, versions, type ApiRequest, type RouteDef } from '../../http/router.js';
import type { ServiceContext } from '../types.js';
import type { Directory } from './directory.js';
import { asScimError, requireAdmin, scimBadRequest, scimConflict, scimNotFound } from './errors.js';
import { ADMINS_ID, USERS_ID } from './ids.js';
import { listQuery, listResponse, project } from './list.js';
import { applyPatch, GROUP_ATTRS, patchBody, type GroupDraft } from './patch.js';
import { groupView } from './views.js';

/**
 * `/api/2.0/preview/scim/v2/Groups`: create (201), list (filter, attributes, startIndex/count),
 * get, replace (PUT), patch (204), delete (204). Only admins write. `admins` and `users` are
 * built in: neither can be renamed or deleted, `users` membership is every principal.
 * "Group not found." is the real 404 detail (seen in terraform debug logs); the duplicate-name 409
 * text ("Group with name X already exists.") and the other details are unverified.
 */
const complex = z.object({ value: z.string().min(1, 'must not be empty') });
const groupBody = z.object({
  displayName: z.string().refine((s) => s.trim() !== '', 'must not be empty'),
  externalId: z.string().optional(),
  members: z.array(complex).optional(),
  entitlements: z.array(complex).optional(),
  schemas: z.array(z.string()).optional(),
});
const FILTERABLE = new Set(['id', 'displayname', 'externalid', 'members.value', 'members.display', 'entitlements.value']);

export function groupRoutes(ctx: ServiceContext, dir: Directory): RouteDef[] {
  const base = versions(['2.0'], '/preview/scim/v2/Groups');
  const one = versions(['2.0'], '/preview/scim/v2/Groups/{id}');
  const get = (req: ApiRequest) => {
    const g = dir.findGroup(req.params.id!);
    if (!g) throw scimNotFound('Group not found.');
    return g;
  };
  const uniqueName = (name: string, self?: string) => {
    const other = dir.groupByName(name);
    if (other && other.id !== self) throw scimConflict(`Group with name ${name} already exists.`);
  };
  const draftOf = (id: string): GroupDraft => {
    const r = dir.groups.get(id);
    return { displayName: dir.findGroup(id)!.displayName, externalId: r?.externalId, members: dir.membersOf(id), entitlements: r?.entitlements ?? [] };
  };
  /** Every check of replace and patch, then the write: a rejected request changes nothing. */
  const commit = (id: string, draft: GroupDraft) => {
    const g = dir.findGroup(id)!;
    const members = [...new Set(draft.members)];
    const entitlements = [...new Set(draft.entitlements)];
    if (g.system && draft.displayName !== g.displayName) throw scimBadRequest(`The system group ${g.displayName} cannot be renamed.`);
    if (id === USERS_ID) {
      const now = dir.membersOf(USERS_ID);
      if (members.length !== now.length || members.some((m) => !now.includes(m))) dir.setMembers(USERS_ID, members); // throws: read-only
    }
    if (g.system && (entitlements.length > 0 || draft.externalId)) throw scimBadRequest(`The system group ${g.displayName} takes no entitlements or externalId in the emulator.`);
    uniqueName(draft.displayName, id);
    dir.checkMembers(id, members);
    dir.checkEntitlements(entitlements);
    if (id === ADMINS_ID) dir.setMembers(id, members);
    else if (id !== USERS_ID) {
      dir.groups.set(id, { id, displayName: draft.displayName, ...(draft.externalId ? { externalId: draft.externalId } : {}), members, entitlements });
      dir.changed();
    }
  };
  const mapError = asScimError;

  return [
    route({
      method: 'POST',
      paths: base,
      input: groupBody,
      mapError,
      handle(input, req) {
        requireAdmin(req);
        const members = [...new Set((input.members ?? []).map((m) => m.value))];
        const entitlements = [...new Set((input.entitlements ?? []).map((e) => e.value))];
        uniqueName(input.displayName);
        dir.checkMembers(undefined, members);
        dir.checkEntitlements(entitlements);
        const id = String(ctx.ids.numeric(15));
        dir.groups.set(id, { id, displayName: input.displayName, ...(input.externalId ? { externalId: input.externalId } : {}), members, entitlements });
        dir.changed();
        return new RawReply(201, JSON.stringify(groupView(dir, dir.findGroup(id)!)));
      },
    }),
    route({
      method: 'GET',
      paths: base,
      input: listQuery,
      mapError,
      handle: (q) => listResponse(dir.allGroups().map((g) => groupView(dir, g)), q, FILTERABLE),
    }),
    route({
      method: 'GET',
      paths: one,
      input: listQuery.pick({ attributes: true, excludedAttributes: true }),
      mapError,
      handle: (q, req) => project(groupView(dir, get(req)), q),
    }),
    route({
      method: 'PUT',
      paths: one,
      input: groupBody,
      mapError,
      handle(input, req) {
        requireAdmin(req);
        const g = get(req);
        commit(g.id, { displayName: input.displayName, externalId: input.externalId, members: (input.members ?? []).map((m) => m.value), entitlements: (input.entitlements ?? []).map((e) => e.value) });
        return groupView(dir, dir.findGroup(g.id)!);
      },
    }),
    route({
      method: 'PATCH',
      paths: one,
      input: patchBody,
      mapError,
      handle(input, req) {
        requireAdmin(req);
        const g = get(req);
        commit(g.id, applyPatch(draftOf(g.id), input, GROUP_ATTRS));
        return new RawReply(204, '');
      },
    }),
    route({
      method: 'DELETE',
      paths: one,
      input: z.object({}),
      mapError,
      handle(_i, req) {
        requireAdmin(req);
        const g = get(req);
        if (g.system) throw scimBadRequest(`The system group ${g.displayName} cannot be deleted.`);
        dir.groups.delete(g.id);
        dir.forget(g.id);
        return new RawReply(204, '');
      },
    }),
  ];
}

