/**
 * End-of-scenario checks against ground truth: the emulator's state (what really exists in the
 * "workspace") and the Temporal server (how each workflow ended).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { IDEMPOTENCY_TAG, WORKFLOW_TAG } from '../../../src/activities/creates.js';
import type { DatabricksClient } from '../../../src/databricks/index.js';
import { provisionNames } from '../../../src/workflows/lib/provision-names.js';
import type { ProvisionSpec } from '../../../src/workflows/lib/provision-spec.js';
import type { ProvisionResult } from '../../../src/workflows/lib/provision-types.js';
import type { PlannedPipeline, PlannedSaga } from './specs.js';

interface ClusterState {
  cluster_id: string;
  state: string;
  spec?: { custom_tags?: Record<string, string> };
  termination_reason?: { code?: string };
}
interface RunState {
  run_id: number;
  run_name?: string;
  life: string;
  idempotency_token?: string;
  repair_history?: { type: string; id?: number }[];
}
interface WarehouseState {
  id: string;
  state: string;
  config?: { tags?: { custom_tags?: { key: string; value: string }[] } };
}

const TERMINAL_RUN = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);
/** A cluster in one of these costs money: a leak if no workflow is still using it. */
const LIVE_CLUSTER = new Set(['PENDING', 'RUNNING', 'RESTARTING', 'RESIZING']);
const LIVE_WAREHOUSE = new Set(['STARTING', 'RUNNING']);

export interface StateReport {
  clusters: number;
  runs: number;
  /** One line per duplicate resource (a second cluster/run/job/warehouse/scope for the same key). */
  duplicates: string[];
  /** One line per resource left running/active. */
  leaks: string[];
  /** Expected resources that do not exist (a pipeline that should have created a cluster but did not). */
  missing: string[];
}

function services(snapshot: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return (snapshot.services ?? {}) as Record<string, Record<string, unknown>>;
}

function countBy<T>(items: T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === undefined) continue;
    m.set(k, [...(m.get(k) ?? []), it]);
  }
  return m;
}

/** Inspects the emulator snapshot for the given pipelines (their workflow ids tie resources to them). */
export function inspectState(snapshot: Record<string, unknown>, pipelines: PlannedPipeline[]): StateReport {
  const s = services(snapshot);
  const clusters = ((s.clusters?.clusters ?? []) as ClusterState[]).filter((c) => c.state !== 'DELETED');
  const runs = (s.jobs?.runs ?? []) as RunState[];
  const jobs = (s.jobs?.jobs ?? []) as { job_id: number; settings?: { tags?: Record<string, string> } }[];
  const warehouses = ((s.warehouses?.warehouses ?? []) as WarehouseState[]).filter((w) => w.state !== 'DELETED');
  const scopes = (s.secrets?.scopes ?? []) as { name: string }[];
  const duplicates: string[] = [];
  const leaks: string[] = [];
  const missing: string[] = [];

  // Any idempotency key on two resources is a duplicate create, whoever made it.
  for (const [key, list] of countBy(clusters, (c) => c.spec?.custom_tags?.[IDEMPOTENCY_TAG])) {
    if (list.length > 1) duplicates.push(`clusters ${list.map((c) => c.cluster_id).join(', ')} share idempotency key ${key}`);
  }
  for (const [key, list] of countBy(jobs, (j) => j.settings?.tags?.[IDEMPOTENCY_TAG])) {
    if (list.length > 1) duplicates.push(`jobs ${list.map((j) => j.job_id).join(', ')} share idempotency key ${key}`);
  }
  for (const [key, list] of countBy(warehouses, (w) => w.config?.tags?.custom_tags?.find((t) => t.key === IDEMPOTENCY_TAG)?.value)) {
    if (list.length > 1) duplicates.push(`warehouses ${list.map((w) => w.id).join(', ')} share idempotency key ${key}`);
  }
  for (const [token, list] of countBy(runs, (r) => r.idempotency_token)) {
    if (list.length > 1) duplicates.push(`runs ${list.map((r) => r.run_id).join(', ')} share idempotency token ${token}`);
  }
  for (const [name, list] of countBy(scopes, (x) => x.name)) {
    if (list.length > 1) duplicates.push(`${list.length} secret scopes named ${name}`);
  }

  const byWorkflow = countBy(clusters, (c) => c.spec?.custom_tags?.[WORKFLOW_TAG]);
  for (const p of pipelines) {
    const own = byWorkflow.get(p.workflowId) ?? [];
    if (p.createsCluster && own.length === 0) missing.push(`${p.workflowId}: no cluster carries its workflow tag`);
    if (own.length > 1) duplicates.push(`${p.workflowId}: ${own.length} clusters (${own.map((c) => c.cluster_id).join(', ')})`);
    for (const c of own) {
      if (LIVE_CLUSTER.has(c.state)) leaks.push(`${p.workflowId}: cluster ${c.cluster_id} left ${c.state}`);
      // Ended by auto-termination rather than by its workflow: it was forgotten, just cheaply.
      else if (c.termination_reason?.code === 'INACTIVITY') leaks.push(`${p.workflowId}: cluster ${c.cluster_id} only stopped by auto-termination`);
    }
    const marker = `[durabricks:${p.workflowId}]`;
    const ownRuns = runs.filter((r) => r.run_name?.endsWith(marker));
    if (p.startsRun && ownRuns.length === 0) missing.push(`${p.workflowId}: no run carries its marker`);
    if (!p.startsRun && ownRuns.length > 0) duplicates.push(`${p.workflowId}: started ${ownRuns.length} run(s) although its cluster failed`);
    if (ownRuns.length > 1) duplicates.push(`${p.workflowId}: ${ownRuns.length} runs (${ownRuns.map((r) => r.run_id).join(', ')})`);
    for (const r of ownRuns) if (!TERMINAL_RUN.has(r.life)) leaks.push(`${p.workflowId}: run ${r.run_id} left ${r.life}`);
    // runs/repair has no idempotency token: a repair made twice shows as two REPAIR entries.
    const repairs = ownRuns.flatMap((r) => (r.repair_history ?? []).filter((h) => h.type === 'REPAIR'));
    if (repairs.length > p.repairs) duplicates.push(`${p.workflowId}: ${repairs.length} repairs of its run (ids ${repairs.map((h) => h.id).join(', ')}), expected ${p.repairs}`);
    if (ownRuns.length > 0 && repairs.length < p.repairs) missing.push(`${p.workflowId}: ${repairs.length} repairs of its run, expected ${p.repairs}`);
  }
  for (const w of warehouses) {
    const owner = w.config?.tags?.custom_tags?.find((t) => t.key === WORKFLOW_TAG)?.value;
    if (owner && pipelines.some((p) => p.workflowId === owner) && LIVE_WAREHOUSE.has(w.state)) leaks.push(`${owner}: warehouse ${w.id} left ${w.state}`);
  }
  return { clusters: clusters.length, runs: runs.length, duplicates, leaks, missing };
}

export interface WorkflowOutcome {
  workflowId: string;
  status: string;
  failureType?: string;
  message?: string;
}

/** Polls until every workflow is closed (or the deadline passes); survives server restarts in between. */
export async function awaitOutcomes(client: Client, workflowIds: string[], timeoutMs: number): Promise<WorkflowOutcome[]> {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, WorkflowOutcome>();
  while (done.size < workflowIds.length && Date.now() < deadline) {
    for (const id of workflowIds) {
      if (done.has(id)) continue;
      try {
        const d = await client.workflow.getHandle(id).describe();
        if (d.status.name !== 'RUNNING') done.set(id, { workflowId: id, status: d.status.name, ...(await failureOf(client, id)) });
      } catch {
        // server restarting: try again next round
      }
    }
    if (done.size < workflowIds.length) await sleep(500);
  }
  return workflowIds.map((id) => done.get(id) ?? { workflowId: id, status: 'STILL_RUNNING' });
}

async function failureOf(client: Client, id: string): Promise<{ failureType?: string; message?: string }> {
  try {
    await client.workflow.getHandle(id).result();
    return {};
  } catch (err) {
    const cause = (err as { cause?: { type?: string; message?: string } }).cause;
    return { ...(cause?.type ? { failureType: cause.type } : {}), message: cause?.message ?? (err as Error).message };
  }
}

/** Problems with how the pipelines ended (empty = every one ended as planned). */
export function outcomeProblems(pipelines: Pick<PlannedPipeline, 'workflowId' | 'expect'>[], outcomes: WorkflowOutcome[]): string[] {
  const problems: string[] = [];
  for (const p of pipelines) {
    const o = outcomes.find((x) => x.workflowId === p.workflowId);
    if (!o) problems.push(`${p.workflowId}: no outcome`);
    else if (o.status !== p.expect.status) problems.push(`${p.workflowId}: ended ${o.status}${o.message ? ` (${o.failureType ?? ''}: ${o.message.split('\n')[0]})` : ''}, expected ${p.expect.status}`);
    else if (p.expect.status === 'FAILED' && o.failureType !== p.expect.failureType) problems.push(`${p.workflowId}: failed with ${o.failureType}, expected ${p.expect.failureType}: ${o.message?.split('\n')[0]}`);
  }
  return problems;
}

/** Waits (bounded) for clusters being terminated to leave RUNNING, then inspects. */
export async function settledState(snapshot: () => Record<string, unknown>, pipelines: PlannedPipeline[], timeoutMs = 20_000): Promise<StateReport> {
  const deadline = Date.now() + timeoutMs;
  let report = inspectState(snapshot(), pipelines);
  while (report.leaks.length > 0 && Date.now() < deadline) {
    await sleep(250);
    report = inspectState(snapshot(), pipelines);
  }
  return report;
}

/**
 * Sagas: a completed one owns exactly one scope, pool, cluster, job and warehouse (by workflow tag or
 * name); a failed one owns none of them any more (all undone).
 */
export function inspectSagas(snapshot: Record<string, unknown>, sagas: PlannedSaga[], after: SagaStage = 'run'): StateReport {
  const s = services(snapshot);
  const tag = (tags: Record<string, string> | undefined) => tags?.[WORKFLOW_TAG];
  const clusters = ((s.clusters?.clusters ?? []) as ClusterState[]).filter((c) => c.state !== 'DELETED');
  const pools = ((s['instance-pools']?.pools ?? []) as { instance_pool_id?: string; state?: string; custom_tags?: Record<string, string>; spec?: { custom_tags?: Record<string, string> } }[]).filter((p) => p.state !== 'DELETED');
  const jobs = (s.jobs?.jobs ?? []) as { job_id: number; settings?: { tags?: Record<string, string> } }[];
  const deletedJobs = new Set(((s.jobs?.deleted ?? []) as unknown[]).map((x) => (typeof x === 'number' ? x : (x as { job_id?: number })?.job_id)));
  const warehouses = ((s.warehouses?.warehouses ?? []) as WarehouseState[]).filter((w) => w.state !== 'DELETED' && w.state !== 'DELETING');
  const scopes = (s.secrets?.scopes ?? []) as { name: string }[];
  const groups = (s.scim?.groups ?? []) as { displayName?: string }[];
  const repos = (s.repos?.repos ?? []) as { path?: string }[];
  const gitCredentials = (s['git-credentials']?.credentials ?? []) as { name?: string }[];
  const duplicates: string[] = [];
  const leaks: string[] = [];
  const missing: string[] = [];
  for (const g of sagas) {
    const owned: Record<string, number> = {
      cluster: clusters.filter((c) => tag(c.spec?.custom_tags) === g.workflowId).length,
      'instance pool': pools.filter((p) => tag(p.custom_tags ?? p.spec?.custom_tags) === g.workflowId).length,
      job: jobs.filter((j) => tag(j.settings?.tags) === g.workflowId && !deletedJobs.has(j.job_id)).length,
      warehouse: warehouses.filter((w) => w.config?.tags?.custom_tags?.some((t) => t.key === WORKFLOW_TAG && t.value === g.workflowId)).length,
      'secret scope': scopes.filter((x) => x.name === (g.spec.secretScope as { scope: string }).scope).length,
      ...(g.spec.repo ? { repo: repos.filter((r) => r.path === (g.spec.repo as { path: string }).path).length } : {}),
      ...(g.spec.gitCredential ? { 'Git credential': gitCredentials.filter((c) => c.name === `${g.spec.name as string}-git`).length } : {}),
      ...(g.spec.group ? { group: groups.filter((x) => x.displayName === (g.spec.group as { name: string }).name).length } : {}),
    };
    for (const [kind, n] of Object.entries(owned)) {
      if (n > 1) duplicates.push(`${g.workflowId}: ${n} ${kind}s`);
      if (after === 'run' && g.expect.status === 'COMPLETED' && n === 0) missing.push(`${g.workflowId}: no ${kind}`);
      if ((after === 'deprovisioned' || g.expect.status === 'FAILED') && n > 0) leaks.push(`${g.workflowId}: ${kind} left behind ${leftBehind(after)}`);
    }
  }
  return { clusters: clusters.length, runs: 0, duplicates, leaks, missing };
}

/** When the saga checks run: after the sagas (completed ones own their resources), or after deprovisioning them (none may be left). */
export type SagaStage = 'run' | 'deprovisioned';
const leftBehind = (after: SagaStage) => (after === 'run' ? 'after the saga unwound' : 'after deprovisioning');

/**
 * Sagas, Unity Catalog side (not in the emulator's JSON snapshot: UC lives in DuckDB, so read through
 * the API): a completed saga owns its storage credential, external location and catalog, an unwound one
 * none of them; and nothing in a completed saga's ledger is marked kept. Nothing existed before the run,
 * so a kept entry means a create that a crash interrupted was taken, on its retry, for someone else's
 * object: an undo would have left it behind.
 */
export async function inspectSagaCatalog(databricks: DatabricksClient, client: Client, sagas: PlannedSaga[], outcomes: WorkflowOutcome[], after: SagaStage = 'run'): Promise<StateReport> {
  const credentials = new Set((await databricks.storageCredentials.list().toArray()).map((c) => c.name));
  const locations = new Set((await databricks.externalLocations.list().toArray()).map((l) => l.name));
  const catalogs = new Set((await databricks.catalogs.list().toArray()).map((c) => c.name));
  const leaks: string[] = [];
  const missing: string[] = [];
  for (const g of sagas) {
    const spec = g.spec as unknown as ProvisionSpec;
    const names = provisionNames(spec);
    const owned: Record<string, boolean> = {
      'storage credential': credentials.has(names.credential),
      'external location': locations.has(names.location),
      catalog: catalogs.has(spec.catalog!.name),
    };
    for (const [kind, exists] of Object.entries(owned)) {
      if (after === 'run' && g.expect.status === 'COMPLETED' && !exists) missing.push(`${g.workflowId}: no ${kind}`);
      if ((after === 'deprovisioned' || g.expect.status === 'FAILED') && exists) leaks.push(`${g.workflowId}: ${kind} left behind ${leftBehind(after)}`);
    }
    if (after === 'deprovisioned' || outcomes.find((o) => o.workflowId === g.workflowId)?.status !== 'COMPLETED') continue;
    const result = (await client.workflow.getHandle(g.workflowId).result()) as ProvisionResult;
    for (const e of result.resources.filter((r) => r.status === 'kept')) leaks.push(`${g.workflowId}: its own ${e.kind} ${e.name} marked kept (an undo would leave it behind)`);
  }
  return { clusters: 0, runs: 0, duplicates: [], leaks, missing };
}
