import { z } from 'zod';
import { invalidParameter, notFound, permissionDenied } from '../../http/errors.js';
import { listBody } from '../../http/paging.js';
import { route, versions, type ApiRequest } from '../../http/router.js';
import { anyObject, int, nonEmpty } from '../../http/validation.js';
import type { PermissionsApi } from '../permissions/api.js';
import type { ServiceModule } from '../types.js';
import { applyPolicy, isJson, mergeDefinitions, parseDefinition, type ApplyOptions } from './definition.js';
import { complianceRoutes } from './compliance.js';
import { familyRoutes, findFamily } from './families.js';

/**
 * Cluster policies (`/api/2.0/policies/clusters/{create,edit,delete,get,list}`) and policy families.
 * Only admins create, edit and delete policies; everyone else sees (and may create clusters with)
 * only the policies they hold CAN_USE on, through `/permissions/cluster-policies/{id}`.
 * The clusters service enforces a policy through `api.apply` (see ../clusters/policy.ts).
 */
export interface PolicyRecord {
  policy_id: string;
  name: string;
  /** The effective definition: the family's merged with the overrides when `policy_family_id` is set. */
  definition: string;
  description?: string;
  max_clusters_per_user?: number;
  policy_family_id?: string;
  policy_family_definition_overrides?: string;
  libraries?: Record<string, unknown>[];
  creator_user_name: string;
  created_at_timestamp: number;
}

export interface ClusterPoliciesApi {
  find(policyId: string): PolicyRecord | undefined;
  /** The spec with the policy's values filled in; throws 404 for an unknown policy and 400 naming every violation. */
  apply(policyId: string, spec: Record<string, unknown>, options: ApplyOptions): Record<string, unknown>;
}

const fields = {
  definition: z.string().optional(),
  description: z.string().optional(),
  max_clusters_per_user: int().optional(),
  policy_family_id: z.string().optional(),
  policy_family_definition_overrides: z.string().optional(),
  libraries: z.array(anyObject()).optional(),
};
const createInput = z.object({ name: nonEmpty(), ...fields });
const editInput = z.object({ policy_id: nonEmpty(), name: nonEmpty().optional(), ...fields });
const idInput = z.object({ policy_id: nonEmpty() });
const listInput = z.object({ sort_column: z.enum(['POLICY_CREATION_TIME', 'POLICY_NAME']).optional(), sort_order: z.enum(['ASC', 'DESC']).optional() });
type Writable = z.output<typeof createInput>;

export const clusterPoliciesService: ServiceModule = {
  name: 'cluster-policies',
  create(ctx) {
    const policies = new Map<string, PolicyRecord>();
    const perms = () => ctx.service<PermissionsApi>('permissions');
    const get = (id: string) => {
      const p = policies.get(id);
      if (!p) throw notFound(`Can't find a cluster policy with id: ${id}.`);
      return p;
    };
    const canUse = (p: PolicyRecord, req: ApiRequest) => perms()?.has('cluster-policies', p.policy_id, req.principal, 'CAN_USE') ?? true;

    /** Every check of create/edit, before anything changes; returns the fields to store. */
    const check = (input: Writable, self?: string): Omit<PolicyRecord, 'policy_id' | 'creator_user_name' | 'created_at_timestamp'> => {
      if (input.name.length > 100) throw invalidParameter('Cluster policy name must be between 1 and 100 characters.');
      if (input.definition !== undefined && input.policy_family_id) throw invalidParameter('policy_family_id and definition cannot be used together');
      if (input.policy_family_definition_overrides !== undefined && !input.policy_family_id) throw invalidParameter('policy_family_definition_overrides can only be used together with policy_family_id');
      for (const f of ['definition', 'policy_family_definition_overrides'] as const) {
        const text = input[f];
        if (text !== undefined && !isJson(text)) throw invalidParameter(`${f} must be a JSON document passed as a string; could not parse ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)}.`);
      }
      const family = input.policy_family_id ? findFamily(input.policy_family_id) : undefined;
      if (input.policy_family_id && !family) throw invalidParameter(`Policy family ${input.policy_family_id} does not exist.`);
      if (input.max_clusters_per_user !== undefined && input.max_clusters_per_user < 1) throw invalidParameter(`max_clusters_per_user must be greater than 0 (is ${input.max_clusters_per_user}).`);
      if (input.libraries && input.libraries.length > 500) throw invalidParameter('A cluster policy can have at most 500 libraries.');
      for (const p of policies.values()) if (p.name === input.name && p.policy_id !== self) throw invalidParameter(`Cluster Policy with name \`${input.name}\` already exists`);
      const { definition, ...rest } = input;
      return { ...rest, definition: family ? mergeDefinitions(family.definition, input.policy_family_definition_overrides) : (definition ?? '{}') };
    };
    const requireAdmin = (req: ApiRequest, what: string) => {
      if (!req.principal.isAdmin) throw permissionDenied(`Only workspace admins can ${what} cluster policies.`);
    };
    const newId = () => {
      for (;;) {
        const id = ctx.ids.hex(16).toUpperCase();
        if (ctx.ids.claim(`policy:${id}`)) return id;
      }
    };
    const v = (s: string) => versions(['2.0'], `/policies/clusters${s}`);

    const api: ClusterPoliciesApi = {
      find: (id) => policies.get(id),
      apply: (id, spec, options) => applyPolicy(id, parseDefinition(get(id).definition), spec, options),
    };
    return {
      api,
      routes: [
        route({
          method: 'POST',
          paths: v('/create'),
          input: createInput,
          handle(input, req) {
            requireAdmin(req, 'create');
            const stored = check(input);
            const policy_id = newId();
            policies.set(policy_id, { policy_id, ...stored, creator_user_name: req.principal.userName, created_at_timestamp: ctx.clock.now() });
            // The creator (an admin) holds CAN_USE; other users need a grant, as on the real service.
            perms()?.setOwner('cluster-policies', policy_id, req.principal.userName);
            return { policy_id };
          },
        }),
        route({
          method: 'POST',
          paths: v('/edit'),
          input: editInput,
          handle({ policy_id, ...input }, req) {
            const p = get(policy_id);
            requireAdmin(req, 'edit');
            // Edit replaces every writable field; only the name survives when left out.
            const stored = check({ ...input, name: input.name ?? p.name }, policy_id);
            policies.set(policy_id, { policy_id, ...stored, creator_user_name: p.creator_user_name, created_at_timestamp: p.created_at_timestamp });
            return {};
          },
        }),
        route({
          method: 'POST',
          paths: v('/delete'),
          input: idInput,
          handle({ policy_id }, req) {
            get(policy_id);
            requireAdmin(req, 'delete');
            // Clusters created under it keep running with their policy_id (the real API allows that).
            policies.delete(policy_id);
            perms()?.forget('cluster-policies', policy_id);
            return {};
          },
        }),
        route({
          method: 'GET',
          paths: v('/get'),
          input: idInput,
          handle({ policy_id }, req) {
            const p = get(policy_id);
            if (!canUse(p, req)) throw permissionDenied(`${req.principal.userName} does not have CAN_USE permissions on /cluster-policies/${policy_id}.`);
            return view(p);
          },
        }),
        route({
          method: 'GET',
          paths: v('/list'),
          input: listInput,
          handle(i, req) {
            const byName = i.sort_column === 'POLICY_NAME';
            const list = [...policies.values()]
              .filter((p) => canUse(p, req))
              .sort((a, b) => (byName ? a.name.localeCompare(b.name) : a.created_at_timestamp - b.created_at_timestamp) || a.policy_id.localeCompare(b.policy_id));
            if (i.sort_order === 'DESC') list.reverse();
            return listBody('policies', list.map(view));
          },
        }),
        ...familyRoutes(),
        ...complianceRoutes(ctx, (id) => policies.get(id)),
      ],
      snapshot: () => ({ policies: [...policies.values()] }),
      restore(state) {
        const list = (state as { policies?: unknown }).policies;
        if (!Array.isArray(list)) return;
        for (const p of list as PolicyRecord[]) {
          if (typeof p?.policy_id === 'string' && typeof p.name === 'string' && typeof p.definition === 'string') policies.set(p.policy_id, p);
        }
      },
    };
  },
};

/** Policy as get/list return it: stored fields, nothing empty. */
function view(p: PolicyRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([, value]) => value !== undefined));
}
