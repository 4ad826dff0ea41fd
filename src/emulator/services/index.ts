/**
 * The service registry: one folder per Databricks service under ./services/<svc>/, listed below.
 *
 * HOW TO ADD A SERVICE (part 2: warehouses, statements, unity-catalog, instance-pools, …)
 * 1. Create `services/<svc>/index.ts` exporting a `ServiceModule` (./types.ts):
 *      export const warehousesService: ServiceModule = { name: 'warehouses', create: (ctx) => ({ routes, api, onEvent, snapshot, restore }) };
 *    `create(ctx)` runs at start and on every reset: build fresh state there (a reset is "create again").
 * 2. Routes: `route({ method, paths: versions(['2.0'], '/sql/warehouses/{id}'), input: zodSchema, handle(input, req) })`
 *    from ../http/router.ts. `input` validates the JSON body (POST/PUT/PATCH) or the query (GET/DELETE)
 *    and yields precise 400s; use the helpers in ../http/validation.ts (`int()`, `bool()`, `list()`)
 *    so one schema accepts both JSON values and query strings. Path params are in `req.params`.
 *    Return a plain object for a 200 JSON body, or `new RawReply(status, body, contentType)`.
 *    Throw `ApiError` / helpers from ../http/errors.ts (`notFound`, `invalidParameter`, …) for errors:
 *    they produce the exact `{error_code, message, details?}` body. Validate everything before changing
 *    state: a rejected request must change nothing (the fuzz test checks this).
 * 3. Auth principal: `req.principal` ({userName, isAdmin, kind}); throw `permissionDenied(...)` (403) when it
 *    lacks the level. New credentials (Tokens API, OAuth M2M): `ctx.principals.addToken(token, principal, expiresAtRealMs?)`.
 * 4. Time: `ctx.clock.now()` (virtual epoch ms). State transitions: `ctx.schedule(kind, atMs, data)` delivers
 *    `onEvent({kind, data})` at that virtual time; `data` must be JSON (the queue is persisted).
 *    Use `{idle: true}` for inactivity timers (auto-stop) so instant mode does not fire them at once.
 *    Async work that changes state later (e.g. an executor awaiting DuckDB): pass its promise to
 *    `ctx.track(promise)`, so instant mode waits for it before answering the next request (and a
 *    paused clock's advance lets it settle at each step).
 * 5. Ids: `ctx.ids.numeric()`, `ctx.ids.hex(16)`, `ctx.ids.uuid()` — deterministic per --seed.
 * 6. Persistence: `snapshot()` returns JSON state, `restore(json)` takes it back (validate it). Files go
 *    under `join(ctx.dataDir, '<svc>')`; `ctx.reason` ('start' | 'reset' | 'restore') tells create()
 *    whether to wipe them (only on 'reset', as DBFS does).
 * 7. Other services: expose methods on `api`; read them with `ctx.service<Api>('name')`.
 *    Jobs task types: `ctx.taskExecutors.register('sql_task', { execute(input) { … return {durationMs, result, output} } })`.
 * 8. Add one line to `serviceModules` below (order = creation order; a service that registers a task
 *    executor must come after `jobsService`).
 */
import type { ServiceModule } from './types.js';
import { clustersService } from './clusters/index.js';
import { jobsService } from './jobs/index.js';
import { dbfsService } from './dbfs/index.js';
import { secretsService } from './secrets/index.js';
import { workspaceService } from './workspace/index.js';
import { unityCatalogService } from './unity-catalog/index.js';
import { warehousesService } from './warehouses/index.js';
import { statementsService } from './statements/index.js';
import { tokensService } from './tokens/index.js';
import { oauthService } from './oauth/index.js';
import { permissionsService } from './permissions/index.js';
import { instancePoolsService } from './instance-pools/index.js';
import { librariesService } from './libraries/index.js';
import { reposService } from './repos/index.js';
import { gitCredentialsService } from './git-credentials/index.js';
import { scimService } from './scim/index.js';
import { clusterPoliciesService } from './cluster-policies/index.js';
import { filesService } from './files/index.js';
import { notificationDestinationsService } from './notification-destinations/index.js';
import { globalInitScriptsService } from './global-init-scripts/index.js';
import { instanceProfilesService } from './instance-profiles/index.js';

export const serviceModules: readonly ServiceModule[] = [
  clustersService,
  jobsService,
  dbfsService,
  secretsService,
  workspaceService,
  // Part 2: the shared DuckDB engine (unity-catalog) comes before the services that use it.
  unityCatalogService,
  warehousesService,
  statementsService,
  tokensService,
  oauthService,
  permissionsService,
  instancePoolsService,
  librariesService,
  reposService,
  gitCredentialsService,
  scimService,
  // Clusters and permissions read it per request (ctx.service), so its place in the order is free.
  clusterPoliciesService,
  // The Files API serves the volumes of unity-catalog (created above).
  filesService,
  // The engine's Notifier looks destinations up per notification, so any place in the order works.
  notificationDestinationsService,
  globalInitScriptsService,
  // Clusters look registered profiles up per request, so any place in the order works.
  instanceProfilesService,
];

export type { ServiceModule, ServiceContext, ServiceInstance } from './types.js';
