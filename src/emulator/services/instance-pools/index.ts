import { z } from 'zod';
import { invalidParameter } from '../../http/errors.js';
import { route, versions } from '../../http/router.js';
import { anyObject, bool, int, nonEmpty, nonNegInt, stringMap } from '../../http/validation.js';
import { findNodeType } from '../clusters/catalog.js';
import type { PermissionsApi } from '../permissions/api.js';
import type { ServiceModule } from '../types.js';

/**
 * Instance pools (`/api/2.0/instance-pools`, reference §2.2, §3.4): ACTIVE from creation,
 * DELETED after delete (still readable), unpaged list. Idle instances are reported from
 * min_idle_instances; the emulator does not model instances being drawn from a pool.
 */
const poolFields = {
  instance_pool_name: nonEmpty(),
  node_type_id: nonEmpty(),
  min_idle_instances: nonNegInt().optional(),
  max_capacity: int().optional(),
  idle_instance_autotermination_minutes: nonNegInt().optional(),
  custom_tags: stringMap().optional(),
  enable_elastic_disk: bool().optional(),
  preloaded_spark_versions: z.array(z.string()).optional(),
  preloaded_docker_images: z.array(anyObject()).optional(),
  aws_attributes: anyObject().optional(),
  azure_attributes: anyObject().optional(),
  gcp_attributes: anyObject().optional(),
  disk_spec: anyObject().optional(),
};
const createInput = z.object(poolFields);
const editInput = z.object({ instance_pool_id: nonEmpty(), ...poolFields });
const idInput = z.object({ instance_pool_id: nonEmpty() });
type PoolSpec = z.output<typeof createInput>;

interface PoolRecord {
  instance_pool_id: string;
  spec: PoolSpec;
  state: 'ACTIVE' | 'STOPPED' | 'DELETED';
  creator: string;
}

function check(spec: PoolSpec): void {
  if (!findNodeType(spec.node_type_id)) throw invalidParameter(`Node type ${spec.node_type_id} is not supported.`);
  if (spec.max_capacity !== undefined && spec.max_capacity < 1) throw invalidParameter('max_capacity must be at least 1.');
  if (spec.max_capacity !== undefined && (spec.min_idle_instances ?? 0) > spec.max_capacity) {
    throw invalidParameter(`min_idle_instances (${spec.min_idle_instances}) must not exceed max_capacity (${spec.max_capacity}).`);
  }
  if ((Object.keys(spec.custom_tags ?? {}).length) > 43) throw invalidParameter('An instance pool can have at most 43 custom tags.');
}

export const instancePoolsService: ServiceModule = {
  name: 'instance-pools',
  create(ctx) {
    const pools = new Map<string, PoolRecord>();
    const perms = () => ctx.service<PermissionsApi>('permissions');
    const get = (id: string) => {
      const p = pools.get(id);
      if (!p) throw invalidParameter(`Instance pool ${id} does not exist.`);
      return p;
    };
    const view = (p: PoolRecord) => ({
      instance_pool_id: p.instance_pool_id,
      ...p.spec,
      idle_instance_autotermination_minutes: p.spec.idle_instance_autotermination_minutes ?? 60,
      min_idle_instances: p.spec.min_idle_instances ?? 0,
      state: p.state,
      default_tags: { Vendor: 'Databricks', DatabricksInstancePoolCreatorId: p.creator, DatabricksInstancePoolId: p.instance_pool_id },
      stats: { used_count: 0, idle_count: p.state === 'ACTIVE' ? (p.spec.min_idle_instances ?? 0) : 0, pending_used_count: 0, pending_idle_count: 0 },
      status: {},
    });
    const v = (s: string) => versions(['2.0'], `/instance-pools${s}`);
    return {
      routes: [
        route({
          method: 'POST',
          paths: v('/create'),
          input: createInput,
          handle(input, req) {
            check(input);
            if ([...pools.values()].some((p) => p.state !== 'DELETED' && p.spec.instance_pool_name === input.instance_pool_name)) {
              throw invalidParameter(`Instance pool with name ${input.instance_pool_name} already exists.`);
            }
            const d = new Date(ctx.clock.now());
            const pad = (n: number) => String(n).padStart(2, '0');
            const id = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}-${ctx.ids.alnum(6)}-pool-${ctx.ids.alnum(8)}`;
            pools.set(id, { instance_pool_id: id, spec: input, state: 'ACTIVE', creator: req.principal.userName });
            perms()?.setOwner('instance-pools', id, req.principal.userName);
            return { instance_pool_id: id };
          },
        }),
        route({
          method: 'POST',
          paths: v('/edit'),
          input: editInput,
          handle(input, req) {
            const p = get(input.instance_pool_id);
            perms()?.require('instance-pools', p.instance_pool_id, req.principal, 'CAN_MANAGE', 'edit');
            if (p.state === 'DELETED') throw invalidParameter(`Instance pool ${p.instance_pool_id} is deleted.`);
            const { instance_pool_id: _id, ...spec } = input;
            // node_type_id cannot change on a pool.
            if (spec.node_type_id !== p.spec.node_type_id) throw invalidParameter('node_type_id cannot be changed.');
            check(spec);
            p.spec = spec;
            return {};
          },
        }),
        route({ method: 'GET', paths: v('/get'), input: idInput, handle: (input) => view(get(input.instance_pool_id)) }),
        route({
          method: 'GET',
          paths: v('/list'),
          input: z.object({}),
          handle: () => {
            const live = [...pools.values()].filter((p) => p.state !== 'DELETED');
            return live.length > 0 ? { instance_pools: live.map(view) } : {};
          },
        }),
        route({
          method: 'POST',
          paths: v('/delete'),
          input: idInput,
          handle(input, req) {
            const p = get(input.instance_pool_id);
            perms()?.require('instance-pools', p.instance_pool_id, req.principal, 'CAN_MANAGE', 'delete');
            p.state = 'DELETED';
            return {};
          },
        }),
      ],
      api: { exists: (id: string) => pools.get(id)?.state === 'ACTIVE' },
      snapshot: () => ({ pools: [...pools.values()] }),
      restore(state) {
        const list = (state as { pools?: unknown }).pools;
        if (Array.isArray(list)) for (const p of list as PoolRecord[]) if (typeof p?.instance_pool_id === 'string' && typeof p.spec?.node_type_id === 'string') pools.set(p.instance_pool_id, p);
      },
    };
  },
};
