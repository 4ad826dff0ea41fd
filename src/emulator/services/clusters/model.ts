import type { ServiceContext } from '../types.js';
import { invalidParameter, invalidState } from '../../http/errors.js';
import { findNodeType, isKnownSparkVersion } from './catalog.js';
import type { ClusterSpec, ClusterState } from './schemas.js';

/**
 * Clusters state machine (reference §3.1):
 *   create/start → PENDING → RUNNING → (RESIZING | RESTARTING → RUNNING) → TERMINATING → TERMINATED
 *   PENDING → ERROR when a test asks the launch to fail (custom tag `emulator.outcome: ERROR`).
 * Each transition is a scheduled event carrying the cluster's `generation`; any newer transition
 * bumps the generation, so stale events are ignored instead of being hunted down.
 */

export const DEFAULT_START_MS = 240_000;
export const RESTART_MS = 90_000;
export const RESIZE_MS = 60_000;
export const TERMINATE_MS = 30_000;
const DAY_MS = 24 * 3600_000;
/** Terminated clusters stay readable 60 days and listed 30 (reference §2.1); pinned ones forever. */
const RETAINED_MS = 60 * DAY_MS;
const LISTED_MS = 30 * DAY_MS;

export interface TerminationReason {
  code: string;
  type: 'SUCCESS' | 'CLIENT_ERROR' | 'SERVICE_FAULT' | 'CLOUD_FAILURE';
  parameters: Record<string, string>;
}

export interface ClusterEvent {
  cluster_id: string;
  timestamp: number;
  type: string;
  details: Record<string, unknown>;
}

export interface ClusterRecord {
  cluster_id: string;
  spec: ClusterSpec;
  state: ClusterState;
  state_message: string;
  creator_user_name: string;
  cluster_source: string;
  created_time: number;
  start_time: number;
  terminated_time?: number;
  last_restarted_time?: number;
  last_state_loss_time?: number;
  termination_reason?: TerminationReason;
  pinned: boolean;
  generation: number;
  spark_context_id: number;
  /** Workers currently up (num_workers in the spec is the target). */
  current_workers: number;
  events: ClusterEvent[];
}

const TITLE: Record<ClusterState, string> = {
  PENDING: 'Pending',
  RUNNING: 'Running',
  RESTARTING: 'Restarting',
  RESIZING: 'Resizing',
  TERMINATING: 'Terminating',
  TERMINATED: 'Terminated',
  ERROR: 'Error',
  UNKNOWN: 'Unknown',
};

export const doesNotExist = (id: string) => invalidParameter(`Cluster ${id} does not exist`);
/** Quirk 3/4: title-case state in the message. */
export const unexpectedState = (c: ClusterRecord) => invalidState(`Cluster ${c.cluster_id} is in unexpected state ${TITLE[c.state]}.`);

/** Checks the parts of a spec that zod cannot (cross-field rules and catalog lookups). Throws 400. */
export function checkSpec(spec: ClusterSpec): void {
  if (!isKnownSparkVersion(spec.spark_version)) throw invalidParameter(`Invalid spark version ${spec.spark_version}.`);
  if (!spec.node_type_id && !spec.instance_pool_id && !spec.policy_id) throw invalidParameter('Missing required field: node_type_id');
  if (spec.node_type_id && !findNodeType(spec.node_type_id)) throw invalidParameter(`Node type ${spec.node_type_id} is not supported.`);
  if (spec.driver_node_type_id && !findNodeType(spec.driver_node_type_id)) throw invalidParameter(`Node type ${spec.driver_node_type_id} is not supported.`);
  if (spec.autoscale && spec.autoscale.min_workers > spec.autoscale.max_workers) {
    throw invalidParameter(`Invalid autoscale configuration: min_workers (${spec.autoscale.min_workers}) must not exceed max_workers (${spec.autoscale.max_workers}).`);
  }
  const at = spec.autotermination_minutes;
  if (at !== undefined && at !== 0 && (at < 10 || at > 10000)) {
    throw invalidParameter(`Invalid autotermination_minutes: ${at}. It must be between 10 and 10000 minutes, or 0 to disable auto termination.`);
  }
  if (spec.custom_tags && Object.keys(spec.custom_tags).length > 45) throw invalidParameter('Custom tags must not exceed 45 tags.');
  if (spec.ssh_public_keys && spec.ssh_public_keys.length > 10) throw invalidParameter('Cannot specify more than 10 SSH public keys.');
}

export class ClustersModel {
  readonly clusters = new Map<string, ClusterRecord>();
  /** Permanently deleted ids: later calls answer "does not exist". */
  readonly purged = new Set<string>();

  constructor(private readonly ctx: ServiceContext) {}

  get(id: string): ClusterRecord {
    const c = this.clusters.get(id);
    if (!c || (!c.pinned && this.terminatedFor(c) > RETAINED_MS)) throw doesNotExist(id);
    return c;
  }

  /** Virtual ms since the cluster terminated (0 if it has not). */
  terminatedFor(c: ClusterRecord): number {
    return c.state === 'TERMINATED' && c.terminated_time !== undefined ? this.ctx.clock.now() - c.terminated_time : 0;
  }

  /** clusters/list shows pinned, active, and clusters terminated in the last 30 days. */
  listed(c: ClusterRecord): boolean {
    return c.pinned || this.terminatedFor(c) <= LISTED_MS;
  }

  newClusterId(): string {
    for (;;) {
      const d = new Date(this.ctx.clock.now());
      const pad = (n: number) => String(n).padStart(2, '0');
      const id = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}-${this.ctx.ids.alnum(8)}`;
      if (this.ctx.ids.claim(id)) return id;
    }
  }

  create(spec: ClusterSpec, creator: string, source = 'API'): ClusterRecord {
    const now = this.ctx.clock.now();
    const c: ClusterRecord = {
      cluster_id: this.newClusterId(),
      spec,
      state: 'PENDING',
      state_message: 'Finding instances for new nodes, acquiring more instances if necessary',
      creator_user_name: creator,
      cluster_source: source,
      created_time: now,
      start_time: now,
      pinned: false,
      generation: 0,
      spark_context_id: this.ctx.ids.numeric(15),
      current_workers: 0,
      events: [],
    };
    this.clusters.set(c.cluster_id, c);
    this.event(c, 'CREATING', { user: creator });
    this.launch(c);
    return c;
  }

  /** PENDING → (after the start time) RUNNING or ERROR. */
  private launch(c: ClusterRecord): void {
    const tags = c.spec.custom_tags ?? {};
    const seconds = Number(tags['emulator.duration_s']);
    const ms = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_START_MS;
    this.transition(c, ms, tags['emulator.outcome']?.toUpperCase() === 'ERROR' ? 'launch_failed' : 'started');
  }

  private transition(c: ClusterRecord, afterMs: number, kind: string): void {
    c.generation++;
    this.ctx.schedule(kind, this.ctx.clock.now() + afterMs, { cluster_id: c.cluster_id, generation: c.generation });
  }

  private event(c: ClusterRecord, type: string, details: Record<string, unknown> = {}): void {
    c.events.push({ cluster_id: c.cluster_id, timestamp: this.ctx.clock.now(), type, details });
  }

  private targetWorkers(c: ClusterRecord): number {
    return c.spec.autoscale ? c.spec.autoscale.min_workers : (c.spec.num_workers ?? 0);
  }

  /** Scheduled transitions land here; stale generations are dropped. */
  onEvent(kind: string, data: Record<string, unknown>): void {
    const c = typeof data.cluster_id === 'string' ? this.clusters.get(data.cluster_id) : undefined;
    if (!c || data.generation !== c.generation) return;
    const now = this.ctx.clock.now();
    switch (kind) {
      case 'started':
        if (c.state !== 'PENDING') return;
        c.state = 'RUNNING';
        c.state_message = '';
        c.current_workers = this.targetWorkers(c);
        c.spark_context_id = this.ctx.ids.numeric(15);
        this.event(c, 'STARTING', {});
        this.event(c, 'RUNNING', { current_num_workers: c.current_workers, target_num_workers: c.current_workers });
        this.armAutotermination(c);
        return;
      case 'launch_failed':
        if (c.state !== 'PENDING') return;
        c.state = 'ERROR';
        c.state_message = c.spec.custom_tags?.['emulator.message'] ?? 'Cloud provider launch failure: the requested instances could not be acquired.';
        c.termination_reason = { code: 'CLOUD_PROVIDER_LAUNCH_FAILURE', type: 'CLOUD_FAILURE', parameters: { databricks_error_message: c.state_message } };
        c.terminated_time = now;
        this.event(c, 'TERMINATING', { reason: c.termination_reason });
        return;
      case 'restarted':
      case 'resized':
        if (c.state !== 'RESTARTING' && c.state !== 'RESIZING') return;
        if (c.state === 'RESTARTING') {
          c.last_restarted_time = now;
          c.spark_context_id = this.ctx.ids.numeric(15);
        }
        c.current_workers = c.spec.autoscale ? Math.max(c.spec.autoscale.min_workers, Math.min(c.current_workers, c.spec.autoscale.max_workers)) : (c.spec.num_workers ?? 0);
        this.event(c, c.state === 'RESIZING' ? 'UPSIZE_COMPLETED' : 'RUNNING', { current_num_workers: c.current_workers, target_num_workers: c.current_workers });
        c.state = 'RUNNING';
        c.state_message = '';
        this.armAutotermination(c);
        return;
      case 'inactivity':
        if (c.state !== 'RUNNING') return;
        this.beginTermination(c, { code: 'INACTIVITY', type: 'SUCCESS', parameters: { inactivity_duration_min: String(c.spec.autotermination_minutes ?? 0) } });
        return;
      case 'terminated':
        if (c.state !== 'TERMINATING') return;
        c.state = 'TERMINATED';
        c.state_message = c.termination_reason?.code === 'USER_REQUEST' ? `Termination requested by ${c.termination_reason.parameters.username ?? 'user'}` : 'Cluster terminated';
        c.terminated_time = now;
        c.current_workers = 0;
        return;
    }
  }

  private armAutotermination(c: ClusterRecord): void {
    const minutes = c.spec.autotermination_minutes ?? 0;
    if (minutes > 0) this.ctx.schedule('inactivity', this.ctx.clock.now() + minutes * 60_000, { cluster_id: c.cluster_id, generation: c.generation }, { idle: true });
  }

  private beginTermination(c: ClusterRecord, reason: TerminationReason): void {
    c.state = 'TERMINATING';
    c.state_message = 'Terminating the cluster';
    c.termination_reason = reason;
    this.event(c, 'TERMINATING', { reason });
    this.transition(c, TERMINATE_MS, 'terminated');
  }

  start(c: ClusterRecord, user: string): void {
    if (c.cluster_source === 'JOB') throw invalidParameter(`Cluster ${c.cluster_id} is a job cluster and cannot be started.`);
    if (c.state !== 'TERMINATED') throw unexpectedState(c);
    c.state = 'PENDING';
    c.state_message = 'Starting the cluster';
    c.start_time = this.ctx.clock.now();
    delete c.termination_reason;
    delete c.terminated_time;
    this.event(c, 'STARTING', { user });
    this.launch(c);
  }

  restart(c: ClusterRecord, user: string): void {
    if (c.state !== 'RUNNING') throw unexpectedState(c);
    c.state = 'RESTARTING';
    c.state_message = 'Restarting the cluster';
    this.event(c, 'RESTARTING', { user });
    this.transition(c, RESTART_MS, 'restarted');
  }

  resize(c: ClusterRecord, change: { num_workers?: number; autoscale?: { min_workers: number; max_workers: number } }, user: string): void {
    if (c.state !== 'RUNNING') throw unexpectedState(c);
    if (change.autoscale) {
      c.spec = { ...c.spec, autoscale: change.autoscale };
      delete c.spec.num_workers;
    } else {
      c.spec = { ...c.spec, num_workers: change.num_workers ?? 0 };
      delete c.spec.autoscale;
    }
    c.state = 'RESIZING';
    c.state_message = 'Resizing the cluster';
    this.event(c, 'RESIZING', { current_num_workers: c.current_workers, target_num_workers: this.targetWorkers(c), user });
    this.transition(c, RESIZE_MS, 'resized');
  }

  /** edit/update: RUNNING restarts with the new spec, TERMINATED just takes it; anything else is INVALID_STATE. */
  replaceSpec(c: ClusterRecord, spec: ClusterSpec, user: string): void {
    if (c.state !== 'RUNNING' && c.state !== 'TERMINATED') throw unexpectedState(c);
    if (c.cluster_source === 'JOB') throw invalidParameter(`Cluster ${c.cluster_id} is a job cluster and cannot be edited.`);
    const previous = c.spec;
    c.spec = spec;
    this.event(c, 'EDITED', { previous_attributes: previous, attributes: spec, user });
    if (c.state === 'RUNNING') {
      c.state = 'RESTARTING';
      c.state_message = 'Restarting the cluster to apply the new configuration';
      this.transition(c, RESTART_MS, 'restarted');
    }
  }

  /** A job run's cluster ends with JOB_FINISHED when its run does. */
  finishJobCluster(c: ClusterRecord): void {
    if (c.state === 'TERMINATED' || c.state === 'TERMINATING') return;
    this.beginTermination(c, { code: 'JOB_FINISHED', type: 'SUCCESS', parameters: {} });
  }

  /** clusters/delete: no-op when already terminating/terminated (the real API returns {}). */
  terminate(c: ClusterRecord, user: string): void {
    if (c.state === 'TERMINATED' || c.state === 'TERMINATING') return;
    if (c.state === 'ERROR') {
      c.state = 'TERMINATED';
      c.terminated_time = this.ctx.clock.now();
      c.generation++;
      return;
    }
    this.beginTermination(c, { code: 'USER_REQUEST', type: 'SUCCESS', parameters: { username: user } });
  }

  permanentlyDelete(c: ClusterRecord): void {
    c.generation++;
    this.clusters.delete(c.cluster_id);
    this.purged.add(c.cluster_id);
  }

  setPinned(c: ClusterRecord, pinned: boolean, user: string): void {
    if (c.pinned === pinned) return;
    c.pinned = pinned;
    this.event(c, pinned ? 'PINNED' : 'UNPINNED', { user });
  }

  /** ClusterDetails as clusters/get returns it. */
  view(c: ClusterRecord): Record<string, unknown> {
    const node = c.spec.node_type_id ? findNodeType(c.spec.node_type_id) : undefined;
    const running = c.state === 'RUNNING' || c.state === 'RESIZING' || c.state === 'RESTARTING';
    const nodes = running ? c.current_workers + 1 : 0;
    const out: Record<string, unknown> = {
      cluster_id: c.cluster_id,
      ...c.spec,
      driver_node_type_id: c.spec.driver_node_type_id ?? c.spec.node_type_id,
      autotermination_minutes: c.spec.autotermination_minutes ?? 0,
      enable_elastic_disk: c.spec.enable_elastic_disk ?? false,
      creator_user_name: c.creator_user_name,
      cluster_source: c.cluster_source,
      state: c.state,
      state_message: c.state_message,
      start_time: c.start_time,
      default_tags: {
        Vendor: 'Databricks',
        Creator: c.creator_user_name,
        ClusterName: c.spec.cluster_name ?? '',
        ClusterId: c.cluster_id,
        Name: `workerenv-${this.ctx.workspaceId}-${c.cluster_id}`,
      },
      spark_context_id: c.spark_context_id,
      jdbc_port: 10000,
      cluster_memory_mb: nodes * (node?.memory_mb ?? 0),
      cluster_cores: nodes * (node?.num_cores ?? 0),
      init_scripts_safe_mode: false,
      spec: { ...c.spec },
    };
    if (c.spec.autoscale === undefined) out.num_workers = c.spec.num_workers ?? 0;
    if (running) {
      out.driver = this.node(c, 0);
      out.executors = Array.from({ length: c.current_workers }, (_, i) => this.node(c, i + 1));
    }
    if (c.terminated_time !== undefined) out.terminated_time = c.terminated_time;
    if (c.last_restarted_time !== undefined) out.last_restarted_time = c.last_restarted_time;
    if (c.last_state_loss_time !== undefined) out.last_state_loss_time = c.last_state_loss_time;
    if (c.termination_reason) out.termination_reason = c.termination_reason;
    return out;
  }

  private node(c: ClusterRecord, index: number): Record<string, unknown> {
    const octet = (index % 250) + 2;
    return {
      node_id: `${c.cluster_id.slice(-8)}${String(index).padStart(4, '0')}`,
      instance_id: `i-${c.cluster_id.slice(-8)}${String(index).padStart(8, '0')}`,
      private_ip: `10.0.${index >> 8}.${octet}`,
      public_dns: '',
      start_timestamp: c.start_time,
    };
  }
}
