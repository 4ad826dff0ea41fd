import { invalidParameter, invalidState, notFound } from '../../http/errors.js';
import type { ServiceContext } from '../types.js';
import type { WarehouseFields } from './schemas.js';

/**
 * SQL warehouse state machine (reference §2.11, §3.3):
 *   create/start → STARTING → RUNNING → (stop | auto-stop) → STOPPING → STOPPED;  delete → DELETING → DELETED;
 *   a change of the workspace's warehouse settings restarts RUNNING/STARTING ones (→ STARTING).
 * `start` leaves STOPPED synchronously, or the SDK's start waiter fails on its first poll.
 * Transitions are scheduled events tagged with a generation; a newer transition makes older
 * events stale. Auto-stop is an idle timer measured from the last activity (a statement).
 */
export type WarehouseState = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'DELETING' | 'DELETED';

export const DEFAULT_WAREHOUSE_TYPE = 'CLASSIC';
export const START_MS = 150_000;
export const SERVERLESS_START_MS = 8_000;
export const STOP_MS = 20_000;
export const DELETE_MS = 10_000;

export interface WarehouseRecord {
  id: string;
  config: Required<Pick<WarehouseFields, 'name' | 'cluster_size' | 'min_num_clusters' | 'max_num_clusters' | 'auto_stop_mins' | 'enable_photon' | 'enable_serverless_compute' | 'warehouse_type' | 'spot_instance_policy'>> &
    Omit<WarehouseFields, 'name'>;
  state: WarehouseState;
  creator_name: string;
  generation: number;
  last_activity: number;
  active_statements: number;
}

export const warehouseNotFound = (id: string) => notFound(`Unable to find warehouse with ID ${id}.`);

/** Cross-field rules the schema cannot express; `current` is the config being edited. */
export function checkConfig(f: WarehouseFields, current?: WarehouseRecord['config']): void {
  const min = f.min_num_clusters ?? current?.min_num_clusters ?? 1;
  const max = f.max_num_clusters ?? current?.max_num_clusters ?? Math.max(1, min);
  if (max < 1 || max > 40) throw invalidParameter(`max_num_clusters must be between 1 and 40, got ${max}.`);
  if (min < 1 || min > Math.min(max, 30)) throw invalidParameter(`min_num_clusters must be between 1 and min(max_num_clusters, 30), got ${min}.`);
  const stop = f.auto_stop_mins;
  const serverless = f.enable_serverless_compute ?? current?.enable_serverless_compute ?? false;
  if (stop !== undefined && stop !== 0 && stop < (serverless ? 1 : 10)) {
    throw invalidParameter(`auto_stop_mins must be 0 (no auto stop) or at least ${serverless ? 1 : 10}, got ${stop}.`);
  }
  if (stop !== undefined && stop < 0) throw invalidParameter(`auto_stop_mins must not be negative, got ${stop}.`);
  const type = f.warehouse_type ?? current?.warehouse_type ?? DEFAULT_WAREHOUSE_TYPE;
  if (serverless && type !== 'PRO') throw invalidParameter('Serverless compute requires warehouse_type PRO.');
  if ((f.tags?.custom_tags?.length ?? 0) >= 45) throw invalidParameter('A warehouse can have fewer than 45 custom tags.');
}

export class WarehousesModel {
  readonly warehouses = new Map<string, WarehouseRecord>();
  /**
   * The generation each warehouse's pending auto-stop was armed for. In memory only: after a restart
   * the first activity re-arms once (scheduleAutoStop drops the restored event first).
   */
  private readonly autoStopArmed = new Map<string, number>();

  constructor(private readonly ctx: ServiceContext) {}

  get(id: string): WarehouseRecord {
    const w = this.warehouses.get(id);
    if (!w) throw warehouseNotFound(id);
    return w;
  }

  create(f: WarehouseFields, user: string): WarehouseRecord {
    checkConfig(f);
    const name = f.name ?? '';
    if (!name) throw invalidParameter('Missing required field: name');
    if ([...this.warehouses.values()].some((w) => w.state !== 'DELETED' && w.config.name === name)) {
      throw invalidParameter(`Warehouse with name '${name}' already exists.`);
    }
    let id = this.ctx.ids.hex(16);
    while (!this.ctx.ids.claim(`wh${id}`)) id = this.ctx.ids.hex(16);
    const w: WarehouseRecord = {
      id,
      config: {
        ...f,
        name,
        cluster_size: f.cluster_size ?? 'Small',
        min_num_clusters: f.min_num_clusters ?? 1,
        max_num_clusters: f.max_num_clusters ?? Math.max(1, f.min_num_clusters ?? 1),
        auto_stop_mins: f.auto_stop_mins ?? 120,
        enable_photon: f.enable_photon ?? true,
        enable_serverless_compute: f.enable_serverless_compute ?? false,
        warehouse_type: f.warehouse_type ?? DEFAULT_WAREHOUSE_TYPE,
        spot_instance_policy: f.spot_instance_policy ?? 'COST_OPTIMIZED',
      },
      state: 'STOPPED',
      creator_name: f.creator_name ?? user,
      generation: 0,
      last_activity: this.ctx.clock.now(),
      active_statements: 0,
    };
    this.warehouses.set(id, w);
    this.start(w);
    return w;
  }

  edit(w: WarehouseRecord, f: WarehouseFields): void {
    this.requireLive(w);
    checkConfig(f, w.config);
    if (f.name !== undefined && [...this.warehouses.values()].some((o) => o !== w && o.state !== 'DELETED' && o.config.name === f.name)) {
      throw invalidParameter(`Warehouse with name '${f.name}' already exists.`);
    }
    const defined = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
    w.config = { ...w.config, ...defined };
    if (w.state === 'RUNNING') this.scheduleAutoStop(w);
  }

  /** STOPPED/STOPPING → STARTING at once; STARTING/RUNNING: nothing to do. */
  start(w: WarehouseRecord): void {
    this.requireLive(w);
    if (w.state === 'STARTING' || w.state === 'RUNNING') return;
    w.state = 'STARTING';
    w.generation++;
    const ms = w.config.enable_serverless_compute ? SERVERLESS_START_MS : START_MS;
    this.ctx.schedule('started', this.ctx.clock.now() + ms, { id: w.id, generation: w.generation });
  }

  /**
   * The workspace's warehouse settings changed: every RUNNING or STARTING warehouse starts over
   * (STARTING for a full start time, then RUNNING with the new settings). Stopped ones pick the
   * settings up at their next start.
   */
  restartRunning(): void {
    for (const w of this.warehouses.values()) {
      if (w.state !== 'RUNNING' && w.state !== 'STARTING') continue;
      this.ctx.cancelScheduled((e) => e.kind === 'auto_stop' && e.data.id === w.id);
      w.state = 'STOPPED';
      this.start(w);
    }
  }

  stop(w: WarehouseRecord): void {
    this.requireLive(w);
    if (w.state === 'STOPPED' || w.state === 'STOPPING') return;
    this.beginStop(w);
  }

  delete(w: WarehouseRecord): void {
    if (w.state === 'DELETED' || w.state === 'DELETING') throw warehouseNotFound(w.id);
    w.state = 'DELETING';
    w.generation++;
    this.ctx.schedule('deleted', this.ctx.clock.now() + DELETE_MS, { id: w.id, generation: w.generation });
  }

  /** A statement used the warehouse: push the auto-stop deadline back. */
  touch(w: WarehouseRecord): void {
    w.last_activity = this.ctx.clock.now();
    // A pending auto-stop re-reads last_activity when it fires and moves itself if the warehouse was
    // used since, so activity only arms one when none is pending: re-arming on every statement
    // scanned the scheduler's queues (which grow with every statement's idle timers) per call.
    if (w.state === 'RUNNING' && this.autoStopArmed.get(w.id) !== w.generation) this.scheduleAutoStop(w);
  }

  onEvent(kind: string, data: Record<string, unknown>): void {
    const w = typeof data.id === 'string' ? this.warehouses.get(data.id) : undefined;
    if (!w || data.generation !== w.generation) return;
    if (kind === 'started' && w.state === 'STARTING') {
      w.state = 'RUNNING';
      w.last_activity = this.ctx.clock.now();
      this.scheduleAutoStop(w);
    } else if (kind === 'auto_stop' && w.state === 'RUNNING') {
      const due = w.last_activity + w.config.auto_stop_mins * 60_000;
      if (w.config.auto_stop_mins > 0 && w.active_statements === 0 && this.ctx.clock.now() >= due) this.beginStop(w);
      else this.scheduleAutoStop(w);
    } else if (kind === 'stopped' && w.state === 'STOPPING') {
      w.state = 'STOPPED';
    } else if (kind === 'deleted' && w.state === 'DELETING') {
      w.state = 'DELETED';
    }
  }

  private beginStop(w: WarehouseRecord): void {
    w.state = 'STOPPING';
    w.generation++;
    this.ctx.schedule('stopped', this.ctx.clock.now() + STOP_MS, { id: w.id, generation: w.generation });
  }

  private scheduleAutoStop(w: WarehouseRecord): void {
    if (w.config.auto_stop_mins <= 0) return;
    this.ctx.cancelScheduled((e) => e.kind === 'auto_stop' && e.data.id === w.id);
    // Idle timer: instant mode must not jump to it, or every warehouse would stop at once.
    this.ctx.schedule('auto_stop', w.last_activity + w.config.auto_stop_mins * 60_000, { id: w.id, generation: w.generation }, { idle: true });
    this.autoStopArmed.set(w.id, w.generation);
  }

  private requireLive(w: WarehouseRecord): void {
    if (w.state === 'DELETED' || w.state === 'DELETING') throw invalidState(`Warehouse ${w.id} is deleted.`);
  }

  /** The API representation (health always present: SDK waiters read health.summary). */
  view(w: WarehouseRecord): Record<string, unknown> {
    const host = new URL(this.ctx.baseUrl() || 'http://127.0.0.1').hostname;
    const path = `/sql/1.0/warehouses/${w.id}`;
    const running = w.state === 'RUNNING';
    return {
      id: w.id,
      ...w.config,
      creator_name: w.creator_name,
      state: w.state,
      num_clusters: running ? w.config.min_num_clusters : 0,
      num_active_sessions: running ? w.active_statements : 0,
      jdbc_url: `jdbc:spark://${host}:443/default;transportMode=http;ssl=1;AuthMech=3;httpPath=${path};`,
      odbc_params: { hostname: host, path, port: 443, protocol: 'https' },
      health: running || w.state === 'STARTING' ? { status: 'HEALTHY', summary: running ? 'Warehouse is running.' : 'Warehouse is starting.' } : { status: 'HEALTHY', summary: `Warehouse is ${w.state.toLowerCase()}.` },
    };
  }
}
