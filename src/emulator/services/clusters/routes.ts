import { z } from 'zod';
import { invalidParameter, permissionDenied } from '../../http/errors.js';
import { route, versions, type ApiRequest, type RouteDef } from '../../http/router.js';
import { decodePageToken, encodePageToken, listBody, offsetPage } from '../../http/paging.js';
import { NODE_TYPES, SPARK_VERSIONS } from './catalog.js';
import type { ClusterPoliciesApi } from '../cluster-policies/index.js';
import type { InstanceProfilesApi } from '../instance-profiles/index.js';
import { checkInstanceProfile } from './instance-profile.js';
import { checkSpec, doesNotExist, type ClusterRecord, type ClustersModel } from './model.js';
import { enforcePolicy } from './policy.js';
import {
  changeOwnerSchema,
  clusterIdSchema,
  clusterSpecSchema,
  createClusterSchema,
  editClusterSchema,
  eventsSchema,
  listClustersSchema,
  resizeSchema,
  restartSchema,
  updateClusterSchema,
  type ClusterSpec,
} from './schemas.js';

/** Clusters are served under 2.0 (legacy, what old clients call) and 2.1 (what the SDKs call). */
const V = ['2.0', '2.1'];
const empty = z.object({});

function requireAdmin(req: ApiRequest, what: string): void {
  if (!req.principal.isAdmin) throw permissionDenied(`Only workspace admins can ${what}.`);
}

export function clusterRoutes(model: ClustersModel, policies: () => ClusterPoliciesApi | undefined, profiles: () => InstanceProfilesApi | undefined): RouteDef[] {
  const get = (id: string) => model.get(id);
  /** The spec's own rules, then the instance profile it names (another service's state). */
  const check = (spec: ClusterSpec) => (checkSpec(spec), checkInstanceProfile(spec, profiles()));
  const governed = (spec: ClusterSpec, req: ApiRequest, editing?: string) => enforcePolicy(spec, req.principal.userName, model, policies(), editing);
  return [
    route({
      method: 'POST',
      paths: versions(V, '/clusters/create'),
      input: createClusterSchema,
      handle(input, req) {
        const { clone_from, ...fields } = input;
        let spec: ClusterSpec = fields;
        if (clone_from) spec = { ...get(clone_from.source_cluster_id).spec, ...fields };
        spec = governed(spec, req);
        check(spec);
        return { cluster_id: model.create(spec, req.principal.userName).cluster_id };
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/clusters/edit'),
      input: editClusterSchema,
      handle({ cluster_id, ...fields }, req) {
        const c = get(cluster_id);
        const spec = governed(fields, req, c.cluster_id);
        check(spec);
        model.replaceSpec(c, spec, req.principal.userName);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/clusters/update'),
      input: updateClusterSchema,
      handle(input, req) {
        const c = get(input.cluster_id);
        const next: Record<string, unknown> = { ...c.spec };
        const given = (input.cluster ?? {}) as Record<string, unknown>;
        const known = Object.keys(clusterSpecSchema.shape);
        for (const field of input.update_mask.split(',')) {
          if (field === '*') {
            for (const k of known) if (k !== 'spark_version' || given[k] !== undefined) next[k] = given[k];
            continue;
          }
          if (!known.includes(field)) throw invalidParameter(`Invalid update_mask: unknown field ${field}.`);
          if (given[field] === undefined) delete next[field];
          else next[field] = given[field];
        }
        const spec = governed(clusterSpecSchema.parse(Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined))), req, c.cluster_id);
        check(spec);
        model.replaceSpec(c, spec, req.principal.userName);
        return {};
      },
    }),
    route({ method: 'POST', paths: versions(V, '/clusters/start'), input: clusterIdSchema, handle: (i, req) => (model.start(get(i.cluster_id), req.principal.userName), {}) }),
    route({ method: 'POST', paths: versions(V, '/clusters/restart'), input: restartSchema, handle: (i, req) => (model.restart(get(i.cluster_id), i.restart_user ?? req.principal.userName), {}) }),
    route({
      method: 'POST',
      paths: versions(V, '/clusters/resize'),
      input: resizeSchema,
      handle(i, req) {
        const c = get(i.cluster_id);
        if (i.num_workers === undefined && !i.autoscale) throw invalidParameter('Either num_workers or autoscale must be specified.');
        if (i.autoscale && i.autoscale.min_workers > i.autoscale.max_workers) throw invalidParameter('Invalid autoscale configuration: min_workers must not exceed max_workers.');
        const size = i.autoscale ? { autoscale: i.autoscale } : { num_workers: i.num_workers ?? 0 };
        // A cluster under a policy stays within it: the new size is checked as an edit would be.
        if (c.spec.policy_id) {
          const { num_workers: _n, autoscale: _a, ...rest } = c.spec;
          governed({ ...rest, ...size }, req, c.cluster_id);
        }
        model.resize(c, size, req.principal.userName);
        return {};
      },
    }),
    route({ method: 'POST', paths: versions(V, '/clusters/delete'), input: clusterIdSchema, handle: (i, req) => (model.terminate(get(i.cluster_id), req.principal.userName), {}) }),
    route({
      method: 'POST',
      paths: versions(V, '/clusters/permanent-delete'),
      input: clusterIdSchema,
      handle(i) {
        model.permanentlyDelete(get(i.cluster_id));
        return {};
      },
    }),
    route({ method: 'GET', paths: versions(V, '/clusters/get'), input: clusterIdSchema, handle: (i) => model.view(get(i.cluster_id)) }),
    route({
      method: 'POST',
      paths: versions(V, '/clusters/pin'),
      input: clusterIdSchema,
      handle(i, req) {
        const c = get(i.cluster_id);
        requireAdmin(req, 'pin clusters');
        model.setPinned(c, true, req.principal.userName);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/clusters/unpin'),
      input: clusterIdSchema,
      handle(i, req) {
        const c = get(i.cluster_id);
        requireAdmin(req, 'unpin clusters');
        model.setPinned(c, false, req.principal.userName);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/clusters/change-owner'),
      input: changeOwnerSchema,
      handle(i, req) {
        const c = get(i.cluster_id);
        requireAdmin(req, 'change the owner of a cluster');
        if (c.state !== 'TERMINATED') throw invalidParameter(`Cluster ${c.cluster_id} must be terminated to change its owner.`);
        c.creator_user_name = i.owner_username;
        return {};
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/clusters/list'),
      input: listClustersSchema,
      handle(i, req) {
        let list = [...model.clusters.values()].filter((c) => model.listed(c));
        const f = i.filter_by;
        if (f?.cluster_states) list = list.filter((c) => f.cluster_states?.includes(c.state));
        if (f?.cluster_sources) list = list.filter((c) => f.cluster_sources?.includes(c.cluster_source as never));
        if (f?.is_pinned !== undefined) list = list.filter((c) => c.pinned === f.is_pinned);
        if (f?.policy_id !== undefined) list = list.filter((c) => c.spec.policy_id === f.policy_id);
        list.sort(defaultOrder);
        if (i.sort_by?.field === 'CLUSTER_NAME') list.sort((a, b) => (a.spec.cluster_name ?? '').localeCompare(b.spec.cluster_name ?? ''));
        if (i.sort_by?.direction === 'DESC' && i.sort_by.field === 'CLUSTER_NAME') list.reverse();
        // 2.0 is unpaged (reference §1.1); 2.1 pages only when asked to.
        if (req.apiVersion === '2.0' || (i.page_size === undefined && i.page_token === undefined)) return listBody('clusters', list.map((c) => model.view(c)));
        const { page, next, prev } = offsetPage(list, i.page_token, i.page_size && i.page_size > 0 ? Math.min(i.page_size, 100) : 100);
        return listBody('clusters', page.map((c) => model.view(c)), { ...(next ? { next_page_token: next } : {}), ...(prev ? { prev_page_token: prev } : {}) });
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/clusters/events'),
      input: eventsSchema,
      handle(i) {
        const c = model.clusters.get(i.cluster_id);
        if (!c) throw doesNotExist(i.cluster_id);
        let events = c.events.filter((e) => (i.start_time === undefined || e.timestamp >= i.start_time) && (i.end_time === undefined || e.timestamp <= i.end_time));
        if (i.event_types && i.event_types.length > 0) events = events.filter((e) => i.event_types?.includes(e.type));
        if ((i.order ?? 'DESC') === 'DESC') events = [...events].reverse();
        const offset = i.page_token ? decodePageToken(i.page_token) : (i.offset ?? 0);
        const limit = i.page_size || i.limit || 50;
        const page = events.slice(offset, offset + limit);
        const out = listBody('events', page, { total_count: events.length });
        if (offset + limit < events.length) {
          out.next_page_token = encodePageToken(offset + limit);
          // The deprecated object the JS iterator still follows (reference quirk 9).
          out.next_page = { cluster_id: c.cluster_id, start_time: i.start_time, end_time: i.end_time, order: i.order ?? 'DESC', event_types: i.event_types, offset: offset + limit, limit };
        }
        if (offset > 0) out.prev_page_token = encodePageToken(Math.max(0, offset - limit));
        return out;
      },
    }),
    route({ method: 'GET', paths: versions(V, '/clusters/list-node-types'), input: empty, handle: () => ({ node_types: NODE_TYPES }) }),
    route({ method: 'GET', paths: versions(V, '/clusters/spark-versions'), input: empty, handle: () => ({ versions: SPARK_VERSIONS }) }),
    route({ method: 'GET', paths: versions(V, '/clusters/list-zones'), input: empty, handle: () => ({ zones: ['us-west-2a', 'us-west-2b', 'us-west-2c'], default_zone: 'us-west-2a' }) }),
  ];
}

const ACTIVE_FIRST: Record<string, number> = { RUNNING: 0, RESIZING: 0, RESTARTING: 0, PENDING: 1, TERMINATING: 2, ERROR: 3, TERMINATED: 4, UNKNOWN: 5 };

/** Pinned, then active, then terminated; newest first within each group. */
function defaultOrder(a: ClusterRecord, b: ClusterRecord): number {
  return Number(b.pinned) - Number(a.pinned) || (ACTIVE_FIRST[a.state] ?? 9) - (ACTIVE_FIRST[b.state] ?? 9) || b.created_time - a.created_time || a.cluster_id.localeCompare(b.cluster_id);
}
