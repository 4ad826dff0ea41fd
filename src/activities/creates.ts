/**
 * Exactly-once creates. A create whose response was lost (or whose worker died after sending it)
 * is retried by Temporal; the retry must find the first resource instead of making a second.
 * - jobs run-now / runs submit: Databricks' own `idempotency_token` (§1.8) does it server-side;
 *   runs/repair: its `latest_repair_id` guard, and a retry reads the run's repair history.
 * - clusters, warehouses, instance pools, jobs: no token in the API, so the resource is tagged
 *   with an idempotency key (plus the workflow id, for the leak sweeper) and every attempt after the
 *   first looks the tag up before creating. The first attempt skips the lookup: nothing can exist
 *   under a key that has never been sent.
 * - secret scopes and Unity Catalog objects: no tags; the name is the key, so a retry that finds
 *   the name already taken treats the object as its own (a first attempt keeps the conflict).
 * - cluster policies: no tags either, but a unique name; a retry adopts the policy with that name
 *   only when it also has the requested definition (else it is someone else's and the create fails on the name).
 * - SCIM groups: likewise, a retry that meets the 409 adopts the group with that displayName only when
 *   it has exactly the requested members; users adopt by userName, service principals by applicationId
 *   (one created without an applicationId cannot be found again, so that create is not repeated blindly).
 *
 * The key is derived from workflow id + run id + activity id: stable across the retries of one
 * activity, different for every activity. The run id is included because activity ids restart at
 * "1" after continue-as-new: without it a new run would "find" the run or cluster of the previous one.
 * Callers may pass `idempotency_key` to choose their own (e.g. to adopt across workflow resets).
 */
import { createHash } from 'node:crypto';
import type { Info } from '@temporalio/activity';
import { ResourceConflictError, ValidationError } from '../databricks/errors.js';
import type {
  CatalogInfo,
  CreateCatalogRequest,
  CreateSchemaRequest,
  CreateTableRequest,
  SchemaInfo,
  TableInfo,
  CreateVolumeRequest,
  VolumeInfo,
  CreateFunctionRequest,
  FunctionInfo,
  CreateClusterRequest,
  CreateGroupRequest,
  CreateServicePrincipalRequest,
  CreateUserRequest,
  Group,
  ServicePrincipal,
  User,
  CreatePolicyRequest,
  ClusterPolicy,
  CreateInstancePoolRequest,
  CreateJobRequest,
  CreateScopeRequest,
  CreateWarehouseRequest,
  Paginated,
  RepairRunRequest,
  RunNowRequest,
  SubmitRunRequest,
} from '../databricks/index.js';
import type { Body, OpContext } from './define.js';
import { refuseBlindRetry } from './failures.js';

export const IDEMPOTENCY_TAG = 'durabricks-idempotency-key';
export const WORKFLOW_TAG = 'durabricks-workflow-id';
/** Cluster/pool tag values are limited to 256 characters. */
const MAX_TAG_VALUE = 256;

/** Every create accepts this in addition to the API's fields; it is not sent to Databricks as such. */
export interface IdempotencyInput {
  /** Overrides the derived key (≤ 64 characters of [A-Za-z0-9_.-]). */
  idempotency_key?: string;
}

/** `dbx-` + 43 base64url chars of a SHA-256: 47 characters, inside the 64 allowed for idempotency_token. */
export function deriveIdempotencyKey(info: Pick<Info, 'activityId' | 'workflowExecution' | 'activityRunId'>): string {
  const wf = info.workflowExecution;
  const seed = wf ? `${wf.workflowId}\n${wf.runId}\n${info.activityId}` : `standalone\n${info.activityRunId ?? ''}\n${info.activityId}`;
  return `dbx-${createHash('sha256').update(seed).digest('base64url')}`;
}

interface KeyInfo {
  key: string;
  workflowId: string;
  /** Whether an earlier attempt (or an explicit key) may already have created the resource. */
  mayExist: boolean;
}

const EXPLICIT_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

function keyFor(ctx: OpContext, input: IdempotencyInput | undefined): KeyInfo {
  const explicit = input?.idempotency_key;
  if (explicit !== undefined && (typeof explicit !== 'string' || !EXPLICIT_KEY.test(explicit))) {
    throw new ValidationError(ctx.info.activityType, 'idempotency_key', 'must be 1-64 characters of letters, digits, _, . and -');
  }
  return {
    key: explicit ?? deriveIdempotencyKey(ctx.info),
    workflowId: (ctx.info.workflowExecution?.workflowId ?? '').slice(0, MAX_TAG_VALUE),
    mayExist: explicit !== undefined || ctx.info.attempt > 1,
  };
}

/** The request without our `idempotency_key` (typed as T: Omit would erase the loose schemas' known keys). */
function withoutKey<T extends IdempotencyInput>(input: T): T {
  const { idempotency_key: _k, ...rest } = input;
  return rest as T;
}

async function findFirst<T>(items: Paginated<T>, match: (item: T) => boolean): Promise<T | undefined> {
  for await (const item of items) if (match(item)) return item;
  return undefined;
}

export interface Created {
  /** The key the resource is tagged with (record it in the workflow's resource ledger). */
  idempotency_key: string;
  /** True when a retry found the resource an earlier attempt created. */
  adopted: boolean;
}

type Tags = Record<string, string> | undefined;
const tagged = (tags: Tags, k: KeyInfo): Record<string, string> => ({ ...tags, [IDEMPOTENCY_TAG]: k.key, ...(k.workflowId ? { [WORKFLOW_TAG]: k.workflowId } : {}) });

export const clustersCreate: Body<CreateClusterRequest & IdempotencyInput, { cluster_id: string } & Created> = async (ctx, input) => {
  const k = keyFor(ctx, input);
  if (k.mayExist) {
    const found = await findFirst(ctx.client.clusters.list({}, ctx.opts), (c) => c.custom_tags?.[IDEMPOTENCY_TAG] === k.key);
    if (found) return { cluster_id: found.cluster_id, idempotency_key: k.key, adopted: true };
  }
  const spec = withoutKey(input);
  const r = await ctx.client.clusters.create({ ...spec, custom_tags: tagged(spec.custom_tags, k) }, ctx.opts);
  return { cluster_id: r.cluster_id, idempotency_key: k.key, adopted: false };
};

export const instancePoolsCreate: Body<CreateInstancePoolRequest & IdempotencyInput, { instance_pool_id: string } & Created> = async (ctx, input) => {
  const k = keyFor(ctx, input);
  if (k.mayExist) {
    const found = await findFirst(ctx.client.instancePools.list({}, ctx.opts), (p) => p.custom_tags?.[IDEMPOTENCY_TAG] === k.key && p.state !== 'DELETED');
    if (found) return { instance_pool_id: found.instance_pool_id, idempotency_key: k.key, adopted: true };
  }
  const spec = withoutKey(input);
  const r = await ctx.client.instancePools.create({ ...spec, custom_tags: tagged(spec.custom_tags, k) }, ctx.opts);
  return { instance_pool_id: r.instance_pool_id, idempotency_key: k.key, adopted: false };
};

export const warehousesCreate: Body<(CreateWarehouseRequest & IdempotencyInput) | undefined, { id: string } & Created> = async (ctx, input = {}) => {
  const k = keyFor(ctx, input);
  if (k.mayExist) {
    const found = await findFirst(ctx.client.warehouses.list({}, ctx.opts), (w) =>
      Boolean(w.tags && typeof w.tags === 'object' && (w.tags as { custom_tags?: { key: string; value: string }[] }).custom_tags?.some((t) => t.key === IDEMPOTENCY_TAG && t.value === k.key)) &&
      w.state !== 'DELETED' && w.state !== 'DELETING',
    );
    if (found) return { id: found.id, idempotency_key: k.key, adopted: true };
  }
  const spec = withoutKey(input);
  const own = Object.entries(tagged(undefined, k)).map(([key, value]) => ({ key, value }));
  const custom_tags = [...(spec.tags?.custom_tags ?? []).filter((t) => t.key !== IDEMPOTENCY_TAG && t.key !== WORKFLOW_TAG), ...own];
  const r = await ctx.client.warehouses.create({ ...spec, tags: { ...spec.tags, custom_tags } }, ctx.opts);
  return { id: r.id, idempotency_key: k.key, adopted: false };
};

export const jobsCreate: Body<CreateJobRequest & IdempotencyInput, { job_id: number } & Created> = async (ctx, input) => {
  const k = keyFor(ctx, input);
  if (k.mayExist) {
    // The name filter (exact, server-side) keeps the scan short in workspaces with many jobs.
    const byName = typeof input.name === 'string' && input.name !== '' ? { name: input.name } : {};
    const found = await findFirst(ctx.client.jobs.list(byName, ctx.opts), (j) => (j.settings?.tags as Tags)?.[IDEMPOTENCY_TAG] === k.key);
    if (found) return { job_id: found.job_id, idempotency_key: k.key, adopted: true };
  }
  const spec = withoutKey(input);
  const r = await ctx.client.jobs.create({ ...spec, tags: tagged(spec.tags as Tags, k) }, ctx.opts);
  return { job_id: r.job_id, idempotency_key: k.key, adopted: false };
};

export const clusterPoliciesCreate: Body<CreatePolicyRequest & IdempotencyInput, { policy_id: string } & Created> = async (ctx, input) => {
  const k = keyFor(ctx, input);
  const spec = withoutKey(input);
  if (k.mayExist) {
    const found = await findFirst(ctx.client.clusterPolicies.list({}, ctx.opts), (p) => p.name === spec.name && sameRules(p, spec));
    if (found) return { policy_id: found.policy_id, idempotency_key: k.key, adopted: true };
  }
  const r = await ctx.client.clusterPolicies.create(spec, ctx.opts);
  return { policy_id: r.policy_id, idempotency_key: k.key, adopted: false };
};

/** Whether a stored policy has the rules a create asked for (JSON compared by value, not by spelling). */
function sameRules(stored: ClusterPolicy, wanted: CreatePolicyRequest): boolean {
  if (wanted.policy_family_id) return stored.policy_family_id === wanted.policy_family_id && sameJson(stored.policy_family_definition_overrides, wanted.policy_family_definition_overrides);
  return !stored.policy_family_id && sameJson(stored.definition ?? '{}', wanted.definition ?? '{}');
}

function sameJson(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)).map(([key, value]) => [key, canonical(value)])) : v;
  try {
    return JSON.stringify(canonical(JSON.parse(a))) === JSON.stringify(canonical(JSON.parse(b)));
  } catch {
    return false;
  }
}

export const secretsCreateScope: Body<CreateScopeRequest & IdempotencyInput, Created> = async (ctx, input) => {
  const k = keyFor(ctx, input);
  try {
    await ctx.client.secrets.createScope(withoutKey(input), ctx.opts);
    return { idempotency_key: k.key, adopted: false };
  } catch (err) {
    // Only a retry may claim an existing scope: on a first attempt it belongs to someone else.
    if (err instanceof ResourceConflictError && ctx.info.attempt > 1) return { idempotency_key: k.key, adopted: true };
    throw err;
  }
};

/** The server returns the existing run for a token it has seen (reference §1.8). */
export const jobsRunNow: Body<RunNowRequest & IdempotencyInput, { run_id: number; number_in_job?: number; idempotency_token: string }> = async (ctx, input) => {
  const token = input.idempotency_token ?? keyFor(ctx, input).key;
  const r = await ctx.client.jobs.runNow({ ...withoutKey(input), idempotency_token: token }, ctx.opts);
  return { ...r, idempotency_token: token };
};

export const jobsSubmit: Body<SubmitRunRequest & IdempotencyInput, { run_id: number; idempotency_token: string }> = async (ctx, input) => {
  const token = input.idempotency_token ?? keyFor(ctx, input).key;
  const r = await ctx.client.jobs.submit({ ...withoutKey(input), idempotency_token: token }, ctx.opts);
  return { ...r, idempotency_token: token };
};

/**
 * runs/repair has no idempotency token; the API's own guard serves instead: from the second repair of
 * a run on, `latest_repair_id` must name the latest one. The caller passes the latest it knows of
 * (none before the first), and a retry whose earlier attempt landed finds a newer repair in the run's
 * `repair_history` and returns it rather than repairing twice. A first attempt never looks: a repair
 * it has not sent yet cannot exist.
 */
export const jobsRepairRun: Body<RepairRunRequest, { repair_id: number; adopted: boolean }> = async (ctx, input) => {
  if (ctx.info.attempt > 1) {
    const run = await ctx.client.jobs.getRun({ run_id: input.run_id }, ctx.opts);
    const latest = [...(run.repair_history ?? [])].reverse().find((h) => h.type === 'REPAIR');
    if (latest?.id !== undefined && latest.id !== input.latest_repair_id) return { repair_id: latest.id, adopted: true };
  }
  const r = await ctx.client.jobs.repairRun(input, ctx.opts);
  return { repair_id: r.repair_id, adopted: false };
};

/**
 * Name-keyed creates (Unity Catalog): the name is the key. A retry that gets "already exists" after
 * an earlier attempt may have applied returns the existing object; a first attempt keeps the conflict.
 * With `same`, a retry adopts only an object that matches the request: one that differs is someone
 * else's, and the conflict stands (non-retryable ResourceConflictError).
 */
export function adoptOnRetry<I, O>(create: (ctx: OpContext, input: I) => Promise<O>, get: (ctx: OpContext, input: I) => Promise<O>, same?: (found: O, input: I) => boolean): Body<I, O> {
  return async (ctx, input) => {
    try {
      return await create(ctx, input);
    } catch (err) {
      if (!(err instanceof ResourceConflictError) || ctx.info.attempt <= 1) throw err;
      const found = await get(ctx, input);
      if (same && !same(found, input)) throw err;
      return found;
    }
  };
}

export const catalogsCreate: Body<CreateCatalogRequest, CatalogInfo> = adoptOnRetry(
  (ctx, i) => ctx.client.catalogs.create(i, ctx.opts),
  (ctx, i) => ctx.client.catalogs.get({ name: i.name }, ctx.opts),
);
export const schemasCreate: Body<CreateSchemaRequest, SchemaInfo> = adoptOnRetry(
  (ctx, i) => ctx.client.schemas.create(i, ctx.opts),
  (ctx, i) => ctx.client.schemas.get({ full_name: `${i.catalog_name}.${i.name}` }, ctx.opts),
);
export const volumesCreate: Body<CreateVolumeRequest, VolumeInfo> = adoptOnRetry(
  (ctx, i) => ctx.client.volumes.create(i, ctx.opts),
  (ctx, i) => ctx.client.volumes.read({ name: `${i.catalog_name}.${i.schema_name}.${i.name}` }, ctx.opts),
);
export const functionsCreate: Body<CreateFunctionRequest, FunctionInfo> = adoptOnRetry(
  (ctx, i) => ctx.client.functions.create(i, ctx.opts),
  (ctx, i) => ctx.client.functions.get({ name: `${i.catalog_name}.${i.schema_name}.${i.name}` }, ctx.opts),
);
export const tablesCreate: Body<CreateTableRequest, TableInfo> = adoptOnRetry(
  (ctx, i) => ctx.client.tables.create(i, ctx.opts),
  (ctx, i) => ctx.client.tables.get({ full_name: `${i.catalog_name}.${i.schema_name}.${i.name}` }, ctx.opts),
);

/** What a group this activity created carries in `externalId` (unless the caller set its own). */
export const GROUP_KEY_PREFIX = 'durabricks:';

/**
 * Exactly-once group create. Groups have no tags, so the key goes into `externalId` (SCIM's field
 * for an outside system's id): a later attempt or a re-run with the same key that meets the 409
 * finds the group it made and knows it as its own (`ours`, so a saga may delete it on undo). Without
 * the marker (the caller set its own externalId) a retry adopts only a group with the same name and
 * members, which it cannot prove it made (`ours: false`).
 */
export const groupsCreate: Body<CreateGroupRequest & IdempotencyInput, { id: string; displayName: string; ours: boolean } & Created> = async (ctx, input) => {
  const k = keyFor(ctx, input);
  const spec = withoutKey(input);
  const marker = spec.externalId === undefined ? `${GROUP_KEY_PREFIX}${k.key}` : undefined;
  try {
    const g = await ctx.client.groups.create(marker ? { ...spec, externalId: marker } : spec, ctx.opts);
    return { id: g.id, displayName: g.displayName ?? spec.displayName, idempotency_key: k.key, adopted: false, ours: true };
  } catch (err) {
    // Only a retry (or a caller's explicit key) may find its own group; a first attempt's 409 is someone else's group (non-retryable ResourceConflictError).
    if (!(err instanceof ResourceConflictError) || !k.mayExist) throw err;
    const byName = ctx.client.groups.list({ filter: `displayName eq ${JSON.stringify(spec.displayName)}` }, ctx.opts);
    const isOurs = (g: Group) => marker !== undefined && g.externalId === marker;
    const found = await findFirst(byName, (g) => g.displayName === spec.displayName && (isOurs(g) || sameMembers(g, spec)));
    if (!found) throw err;
    return { id: found.id, displayName: spec.displayName, idempotency_key: k.key, adopted: true, ours: isOurs(found) };
  }
};

/** Same member ids, order and repeats ignored. */
function sameMembers(stored: Group, wanted: CreateGroupRequest): boolean {
  const ids = (list: { value?: string | undefined }[] | undefined) => [...new Set((list ?? []).map((m) => m.value))].sort();
  return JSON.stringify(ids(stored.members)) === JSON.stringify(ids(wanted.members));
}

export const usersCreate: Body<CreateUserRequest, User> = adoptOnRetry(
  (ctx, i) => ctx.client.users.create(i, ctx.opts),
  async (ctx, i) => {
    const found = await findFirst(ctx.client.users.list({ filter: `userName eq ${JSON.stringify(i.userName)}` }, ctx.opts), (u) => u.userName?.toLowerCase() === i.userName.toLowerCase());
    if (!found) throw new ResourceConflictError({ message: `User with username ${i.userName} already exists.`, status: 409, errorCode: 'SCIM_409' });
    return found;
  },
);

export const servicePrincipalsCreate: Body<CreateServicePrincipalRequest, ServicePrincipal> = async (ctx, input) => {
  const applicationId = input.applicationId;
  if (applicationId === undefined) {
    try {
      return await ctx.client.servicePrincipals.create(input, ctx.opts);
    } catch (err) {
      throw refuseBlindRetry(err);
    }
  }
  return adoptOnRetry<CreateServicePrincipalRequest, ServicePrincipal>(
    (c, i) => c.client.servicePrincipals.create(i, c.opts),
    async (c) => {
      const found = await findFirst(c.client.servicePrincipals.list({ filter: `applicationId eq ${JSON.stringify(applicationId)}` }, c.opts), (sp) => sp.applicationId === applicationId);
      if (!found) throw new ResourceConflictError({ message: `Service principal with application id ${applicationId} already exists.`, status: 409, errorCode: 'SCIM_409' });
      return found;
    },
  )(ctx, input);
};
