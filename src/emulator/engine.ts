import type { Logger } from '../common/logger.js';
import { defaultPrincipal, Principals } from './auth.js';
import { VirtualClock } from './clock.js';
import { Faults } from './faults.js';
import { ApiError, errorBody, internalError, malformedRequest } from './http/errors.js';
import { isMultipart, parseMultipart } from './http/multipart.js';
import { parseQuery } from './http/query.js';
import { RawReply, Router, type ApiRequest, type HttpMethod, type RouteDef } from './http/router.js';
import { validate } from './http/validation.js';
import { IdGenerator } from './ids.js';
import { Notifier } from './notifications.js';
import { RateLimiter } from './rate-limiter.js';
import { Scheduler, type ScheduledEvent } from './scheduler.js';
import { serviceModules } from './services/index.js';
import { NOTIFICATION_DESTINATIONS, type NotificationDestinationsApi } from './services/notification-destinations/index.js';
import { defaultTaskExecutors, type TaskExecutorRegistry } from './services/jobs/executors.js';
import type { ServiceContext, ServiceInstance } from './services/types.js';
import { CallStats } from './stats.js';
import type { Principal } from './auth.js';
import { settledOrAfter } from '../common/waits.js';

export interface EngineConfig {
  tokens: string[];
  speed: number;
  /** Virtual epoch ms at start (default: now). */
  startTime?: number;
  seed: number;
  dataDir: string;
  persistent: boolean;
  rateLimitPerSecond: number;
  logger: Logger;
  onDirty: () => void;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
  contentType: string;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The emulated workspace without the socket: services, clock, ids, principals, scheduler, stats,
 * faults and the rate limiter. server.ts feeds it HTTP requests; the seed endpoint feeds it
 * requests directly.
 */
export class EmulatorEngine {
  readonly clock: VirtualClock;
  readonly stats = new CallStats();
  readonly rateLimiter: RateLimiter;
  readonly notifier: Notifier;
  /** Same object for the emulator's whole life (tests keep references); a reset clears its rules. */
  readonly faults: Faults;
  ids!: IdGenerator;
  /** Same object for the emulator's whole life; a reset drops every token but the configured ones. */
  readonly principals = new Principals();
  scheduler!: Scheduler;
  taskExecutors!: TaskExecutorRegistry;
  router!: Router;
  readonly workspaceId: number;
  baseUrl = '';
  private instances = new Map<string, ServiceInstance>();
  private guards: NonNullable<ServiceInstance['guard']>[] = [];
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(private readonly config: EngineConfig) {
    this.clock = new VirtualClock(config.speed, config.startTime ?? Date.now());
    this.rateLimiter = new RateLimiter(config.rateLimitPerSecond);
    this.notifier = new Notifier(
      config.logger,
      () => this.workspaceId,
      // Looked up per notification: a reset replaces the service instance.
      (id) => this.service<NotificationDestinationsApi>(NOTIFICATION_DESTINATIONS)?.webhookTarget(id),
    );
    this.workspaceId = new IdGenerator(config.seed ^ 0x5eed).numeric(16);
    this.faults = new Faults(() => this.ids.random());
    this.build('start');
  }

  get logger(): Logger {
    return this.config.logger;
  }

  /** Fresh state for everything except the clock (time never runs backwards) and the rate limit setting. */
  reset(reason: 'reset' | 'restore' = 'reset'): void {
    this.scheduler.close();
    this.build(reason);
    this.stats.reset();
    this.rateLimiter.reset();
  }

  private build(reason: 'start' | 'reset' | 'restore'): void {
    this.ids = new IdGenerator(this.config.seed);
    this.faults.clear();
    this.principals.clear();
    this.config.tokens.forEach((t, i) => this.principals.addToken(t, defaultPrincipal(i)));
    this.scheduler = new Scheduler(
      this.clock,
      (e) => this.dispatchEvent(e),
      (err, e) => this.config.logger.error({ err, service: e.service, kind: e.kind }, 'scheduled event failed'),
    );
    this.taskExecutors = defaultTaskExecutors();
    this.router = new Router();
    this.instances = new Map();
    this.guards = [];
    for (const mod of serviceModules) {
      const instance = mod.create(this.contextFor(mod.name, reason));
      this.instances.set(mod.name, instance);
      if (instance.guard) this.guards.push(instance.guard.bind(instance));
      for (const r of instance.routes) this.router.add(r);
    }
  }

  private contextFor(name: string, reason: 'start' | 'reset' | 'restore'): ServiceContext {
    return {
      name,
      reason,
      clock: this.clock,
      ids: this.ids,
      principals: this.principals,
      logger: this.config.logger.child({ service: name }),
      dataDir: this.config.dataDir,
      persistent: this.config.persistent,
      workspaceId: this.workspaceId,
      baseUrl: () => this.baseUrl,
      schedule: (kind, at, data = {}, options = {}) => this.scheduler.schedule(name, kind, at, data, options.idle ?? false),
      cancelScheduled: (predicate) => this.scheduler.cancel((e) => e.service === name && predicate(e)),
      service: <T>(other: string) => this.instances.get(other)?.api as T | undefined,
      taskExecutors: this.taskExecutors,
      notify: (event) => this.notifier.send(event),
      track: (work) => this.track(work),
      markDirty: () => this.config.onDirty(),
    };
  }

  private dispatchEvent(event: ScheduledEvent): void {
    this.instances.get(event.service)?.onEvent?.(event);
    this.config.onDirty();
  }

  /** Fires due transitions; called before every request so reads see up-to-date state. */
  tick(): void {
    this.scheduler.runDue();
  }

  private track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(settled);
    void settled.then(() => this.inflight.delete(settled));
  }

  /**
   * Brings state up to date before a request. In instant mode it also waits (at most ~2 s of real
   * time) for tracked async work and the transitions it triggers, so "instant" means a read sees
   * the settled outcome; returns undefined when there is nothing to wait for (the hot path).
   */
  settle(): Promise<void> | undefined {
    this.tick();
    // Only instant mode waits: at other speeds async work finishes in its own (virtual) time, and
    // on a paused clock it may be waiting for time to move (advanceClock drains it step by step).
    if (!this.clock.instant || this.inflight.size === 0) return undefined;
    return this.drainInflight(2000);
  }

  private async drainInflight(maxRealMs: number): Promise<void> {
    const deadline = Date.now() + maxRealMs;
    while (this.inflight.size > 0 && Date.now() < deadline) {
      await settledOrAfter(Promise.all([...this.inflight]), Math.max(1, deadline - Date.now()));
      this.tick();
    }
  }

  /**
   * Moves virtual time forward by `ms`, stepping through every scheduled transition at its own due
   * time (so a task that starts during a big jump still records the right start time), and letting
   * async work settle between steps.
   */
  async advanceClock(ms: number): Promise<void> {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError('advance must be a finite number >= 0');
    const target = this.clock.now() + ms;
    for (let steps = 0; steps < 100_000; steps++) {
      const next = this.scheduler.nextAt();
      if (next === undefined || next > target) break;
      this.clock.jumpTo(next);
      this.tick();
      // Short waits: work that needs a later transition (e.g. a warehouse start) cannot finish yet.
      if (this.inflight.size > 0) await this.drainInflight(100);
    }
    this.clock.jumpTo(target);
    this.tick();
    if (this.inflight.size > 0) await this.drainInflight(100);
  }

  service<T>(name: string): T | undefined {
    return this.instances.get(name)?.api as T | undefined;
  }

  /**
   * Routes and runs one authenticated request. Validation happens before the handler, and
   * handlers check before they change anything, so a rejected request leaves state untouched.
   */
  async dispatch(method: string, path: string, search: string, headers: ApiRequest['headers'], rawBody: Buffer, principal: Principal): Promise<ApiResponse> {
    let mapError: RouteDef['mapError'];
    try {
      const match = this.router.match(method, path);
      if (match === undefined || match === 'method') {
        throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${path.replace(/^\/api\/\d+\.\d+/, '')}'`);
      }
      mapError = match.def.mapError;
      const contentType = headers['content-type'];
      const body = match.def.rawBody ? undefined : isMultipart(contentType) && rawBody.length > 0 ? await parseMultipart(rawBody, contentType) : parseBody(rawBody, contentType);
      const query = parseQuery(search);
      const req: ApiRequest = {
        method: method as HttpMethod,
        path,
        route: match.template,
        apiVersion: /^\/api\/(\d+\.\d+)\//.exec(path)?.[1] ?? '',
        params: match.params,
        query,
        body,
        rawBody,
        headers,
        principal,
        baseUrl: this.baseUrl,
      };
      let input: unknown = undefined;
      if (match.def.input) {
        const source = method === 'GET' || method === 'HEAD' || method === 'DELETE' || match.def.rawBody ? mergeGetBody(query, body) : body ?? {};
        input = validate(match.def.input, source);
      }
      for (const guard of this.guards) guard(req, input);
      const result = await match.def.handle(input, req);
      if (MUTATING.has(method) && match.def.readOnly !== true) this.config.onDirty();
      if (result instanceof RawReply) return { status: result.status, headers: result.headers, body: result.body, contentType: result.contentType };
      return json(200, result ?? {});
    } catch (err) {
      return this.errorResponse(mapError && err instanceof ApiError ? mapError(err) : err);
    }
  }

  errorResponse(err: unknown): ApiResponse {
    if (err instanceof ApiError) return { ...json(err.status, err.toBody()), headers: err.headers };
    this.config.logger.error({ err }, 'unhandled error in emulator handler');
    const e = internalError('Unexpected error while handling the request.');
    return json(e.status, e.toBody());
  }

  snapshot(): Record<string, unknown> {
    const services: Record<string, unknown> = {};
    for (const [name, inst] of this.instances) if (inst.snapshot) services[name] = inst.snapshot();
    return { version: 1, virtual_time: this.clock.now(), ids: this.ids.snapshot(), scheduler: this.scheduler.snapshot(), services };
  }

  /** Restores a snapshot (from disk or PUT /_emulator/state); untrusted input, so each part validates its own. */
  restore(snapshot: unknown): void {
    if (!isRecord(snapshot) || snapshot.version !== 1) throw malformedRequest('Not an emulator state snapshot (expected version 1).');
    this.reset('restore');
    if (typeof snapshot.virtual_time === 'number') this.clock.jumpTo(snapshot.virtual_time);
    const ids = snapshot.ids;
    if (isRecord(ids) && typeof ids.state === 'number' && Array.isArray(ids.used)) this.ids.restore({ state: ids.state, used: ids.used.filter((x): x is string => typeof x === 'string') });
    const services = isRecord(snapshot.services) ? snapshot.services : {};
    for (const [name, inst] of this.instances) if (inst.restore && services[name] !== undefined) inst.restore(services[name]);
    const sched = snapshot.scheduler;
    if (isRecord(sched) && typeof sched.seq === 'number' && Array.isArray(sched.queue)) {
      this.scheduler.restore({ seq: sched.seq, queue: sched.queue.filter(isScheduledEvent) });
    }
  }

  async close(): Promise<void> {
    this.scheduler.close();
    for (const inst of this.instances.values()) await inst.close?.();
  }
}

export function json(status: number, body: unknown): ApiResponse {
  return { status, headers: {}, body: JSON.stringify(body), contentType: 'application/json' };
}

export function errorJson(status: number, code: string, message: string): ApiResponse {
  return json(status, errorBody(code, message));
}

function parseBody(raw: Buffer, contentType: string | string[] | undefined): unknown {
  if (raw.length === 0) return undefined;
  const ct = Array.isArray(contentType) ? contentType[0] : contentType;
  const text = raw.toString('utf8');
  // Non-JSON bodies (multipart, form) are left to the routes that accept them. A JSON object sent with
  // curl's default form type (`curl --data @create-cluster.json`, as Databricks' own curl examples
  // do) is still JSON: the API reads it as such.
  const formWithJson = ct !== undefined && /^application\/x-www-form-urlencoded/i.test(ct) && text.trimStart().startsWith('{');
  if (ct && !/json/i.test(ct) && !/^text\/plain/i.test(ct) && !formWithJson) return undefined;
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformedRequest('Invalid JSON given in the body of the request - failed to parse given json');
  }
  if (!isRecord(parsed)) throw malformedRequest('Invalid JSON given in the body of the request - expected a map');
  return parsed;
}

/** Old clients (databricks-cli, 2.0 docs) send GET parameters as a JSON body; query wins on conflicts. */
function mergeGetBody(query: Record<string, unknown>, body: unknown): Record<string, unknown> {
  return isRecord(body) ? { ...body, ...query } : query;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScheduledEvent(v: unknown): v is ScheduledEvent {
  return isRecord(v) && typeof v.at === 'number' && typeof v.seq === 'number' && typeof v.service === 'string' && typeof v.kind === 'string' && isRecord(v.data);
}
