/**
 * DatabricksClient: one property per service, all sharing one HTTP layer (auth, rate limit,
 * retries, hooks). No Temporal imports here — the activity layer wraps this client.
 */
import { inspect } from 'node:util';
import { Agent } from 'undici';
import { createCredentials, type Credentials } from './auth.js';
import { resolveConfig, type DatabricksClientConfig, type ResolvedConfig } from './config.js';
import { HttpClient } from './http.js';
import { sharedBucket } from './rate-limit.js';
import { realClock } from './retry.js';
import { ClusterPoliciesService } from './services/cluster-policies.js';
import { ClustersService } from './services/clusters.js';
import { DbfsService } from './services/dbfs.js';
import { FilesService } from './services/files.js';
import { GitCredentialsService } from './services/git-credentials.js';
import { GlobalInitScriptsService } from './services/global-init-scripts.js';
import { GroupsService } from './services/groups.js';
import { InstancePoolsService } from './services/instance-pools.js';
import { InstanceProfilesService } from './services/instance-profiles.js';
import { JobPolicyComplianceService } from './services/job-policy-compliance.js';
import { JobsService } from './services/jobs.js';
import { LibrariesService } from './services/libraries.js';
import { NotificationDestinationsService } from './services/notification-destinations.js';
import { PermissionsService } from './services/permissions.js';
import { QueryHistoryService } from './services/query-history.js';
import { ReposService } from './services/repos.js';
import { SecretsService } from './services/secrets.js';
import { ServicePrincipalsService } from './services/service-principals.js';
import { StatementsService } from './services/statements.js';
import { TokenManagementService } from './services/token-management.js';
import { TokensService } from './services/tokens.js';
import type { GrantsService } from './services/uc-grants.js';
import type { MetastoresService } from './services/uc-metastores.js';
import type { ExternalLocationsService, StorageCredentialsService } from './services/uc-storage.js';
import type { ConnectionsService } from './services/uc-connections.js';
import type { FunctionsService } from './services/uc-functions.js';
import { UsersService } from './services/users.js';
import { UnityCatalogService, type CatalogsService, type SchemasService, type TablesService, type VolumesService } from './services/unity-catalog.js';
import { WarehousesService } from './services/warehouses.js';
import { WorkspaceService } from './services/workspace.js';

const VERSION = '0.1.0';

export class DatabricksClient {
  /** Resolved host and auth type (no secrets are exposed here). */
  readonly host: string;
  readonly authType: ResolvedConfig['authType'];
  readonly clusters: ClustersService;
  readonly clusterPolicies: ClusterPoliciesService;
  readonly instancePools: InstancePoolsService;
  readonly libraries: LibrariesService;
  readonly jobs: JobsService;
  /** Policy compliance of jobs' clusters (the SDKs' `policy_compliance_for_jobs`). */
  readonly jobPolicyCompliance: JobPolicyComplianceService;
  readonly dbfs: DbfsService;
  /** Files API over Unity Catalog volumes (`/Volumes/...`). */
  readonly files: FilesService;
  readonly secrets: SecretsService;
  readonly workspace: WorkspaceService;
  readonly repos: ReposService;
  readonly gitCredentials: GitCredentialsService;
  readonly tokens: TokensService;
  /** Admin only: every user's tokens, and tokens on behalf of service principals. */
  readonly tokenManagement: TokenManagementService;
  readonly permissions: PermissionsService;
  /** Where job notifications go (webhooks, Slack, Teams, PagerDuty, email); writes are admin only. */
  readonly notificationDestinations: NotificationDestinationsService;
  /** Workspace identities over SCIM (writes are admin only). */
  readonly groups: GroupsService;
  readonly users: UsersService;
  readonly servicePrincipals: ServicePrincipalsService;
  readonly warehouses: WarehousesService;
  readonly statements: StatementsService;
  /** What SQL warehouses ran (admins: everyone's statements; others: their own). */
  readonly queryHistory: QueryHistoryService;
  readonly unityCatalog: UnityCatalogService;
  /** Same objects as `unityCatalog.catalogs` / `.schemas` / `.tables` / `.volumes`. */
  readonly catalogs: CatalogsService;
  readonly schemas: SchemasService;
  readonly tables: TablesService;
  readonly volumes: VolumesService;
  /** Unity Catalog grants; same object as `unityCatalog.grants`. */
  readonly grants: GrantsService;
  /** The workspace's metastore; same object as `unityCatalog.metastores`. */
  readonly metastores: MetastoresService;
  /** Admin only: scripts every cluster node runs at start. */
  readonly globalInitScripts: GlobalInitScriptsService;
  /** AWS instance profiles clusters may launch with (writes are admin only). */
  readonly instanceProfiles: InstanceProfilesService;
  /** Storage credentials and external locations; same objects as `unityCatalog.storageCredentials` / `.externalLocations`. */
  readonly storageCredentials: StorageCredentialsService;
  readonly externalLocations: ExternalLocationsService;
  /** Lakehouse Federation connections; same object as `unityCatalog.connections`. */
  readonly connections: ConnectionsService;
  /** SQL user-defined functions; same object as `unityCatalog.functions`. */
  readonly functions: FunctionsService;

  private readonly http: HttpClient;
  private readonly credentials: Credentials;

  constructor(config: DatabricksClientConfig = {}) {
    const resolved = resolveConfig(config);
    const clock = config.clock ?? realClock;
    const timeoutMs = config.timeoutMs ?? 60_000;
    const userAgent = `durabricks/${VERSION} node/${process.versions.node}${config.userAgent ? ` ${config.userAgent}` : ''}`;
    // One dispatcher for API and OAuth token calls; owned (and closed) by us unless passed in.
    const dispatcher = config.dispatcher ?? new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
    const credentials = createCredentials(resolved, {
      dispatcher,
      clock,
      timeoutMs,
      userAgent,
      onResponse: config.hooks?.onResponse ? (e) => config.hooks?.onResponse?.(e) : undefined,
    });
    const rate = config.rateLimitPerSecond ?? 30;
    this.credentials = credentials;
    this.http = new HttpClient({
      host: resolved.host,
      credentials,
      dispatcher,
      ownsDispatcher: config.dispatcher === undefined,
      clock,
      timeoutMs,
      retryBudgetMs: config.retryBudgetMs ?? 60_000,
      bucket: rate > 0 ? sharedBucket(`${resolved.host}|${credentials.principal}`, rate, clock) : undefined,
      logger: config.logger?.child({ component: 'databricks' }),
      userAgent,
      hooks: config.hooks,
    });

    this.host = resolved.host;
    this.authType = resolved.authType;
    this.clusters = new ClustersService(this.http);
    this.clusterPolicies = new ClusterPoliciesService(this.http);
    this.instancePools = new InstancePoolsService(this.http);
    this.libraries = new LibrariesService(this.http);
    this.jobs = new JobsService(this.http);
    this.jobPolicyCompliance = new JobPolicyComplianceService(this.http);
    this.dbfs = new DbfsService(this.http);
    this.files = new FilesService(this.http);
    this.secrets = new SecretsService(this.http);
    this.workspace = new WorkspaceService(this.http);
    this.repos = new ReposService(this.http);
    this.gitCredentials = new GitCredentialsService(this.http);
    this.tokens = new TokensService(this.http);
    this.tokenManagement = new TokenManagementService(this.http);
    this.permissions = new PermissionsService(this.http);
    this.notificationDestinations = new NotificationDestinationsService(this.http);
    this.groups = new GroupsService(this.http);
    this.users = new UsersService(this.http);
    this.servicePrincipals = new ServicePrincipalsService(this.http);
    this.warehouses = new WarehousesService(this.http);
    this.statements = new StatementsService(this.http);
    this.queryHistory = new QueryHistoryService(this.http);
    this.unityCatalog = new UnityCatalogService(this.http);
    this.catalogs = this.unityCatalog.catalogs;
    this.schemas = this.unityCatalog.schemas;
    this.tables = this.unityCatalog.tables;
    this.volumes = this.unityCatalog.volumes;
    this.globalInitScripts = new GlobalInitScriptsService(this.http);
    this.instanceProfiles = new InstanceProfilesService(this.http);
    this.grants = this.unityCatalog.grants;
    this.metastores = this.unityCatalog.metastores;
    this.storageCredentials = this.unityCatalog.storageCredentials;
    this.externalLocations = this.unityCatalog.externalLocations;
    this.connections = this.unityCatalog.connections;
    this.functions = this.unityCatalog.functions;
  }

  /** Only the safe fields: a logged client must not dump its credentials or HTTP internals. */
  [inspect.custom](): string {
    return `DatabricksClient { host: '${this.host}', authType: '${this.authType}' }`;
  }

  toJSON(): Record<string, string> {
    return { host: this.host, authType: this.authType };
  }

  /** Closes the connection pool if the client created it (not a dispatcher passed in config). */
  close(): Promise<void> {
    return this.http.close();
  }

  /** Secret values this client knows (token, client secret, issued OAuth tokens), e.g. to configure log scrubbing. */
  knownSecrets(): string[] {
    return this.credentials.secrets();
  }
}

export * from './errors.js';
export type { DatabricksClientConfig, ClientHooks, ResponseEvent, AuthType, Clock } from './config.js';
export { resolveConfig, normalizeHost, detectCloud } from './config.js';
export type { CallOptions } from './http.js';
export { MAX_EMPTY_PAGES_IN_A_ROW, Paginated, PaginationError, type ListOptions } from './paginate.js';
export type { OpenEnum, Empty } from './services/types.js';
export * from './services/clusters.js';
export * from './services/cluster-policies.js';
export * from './services/instance-pools.js';
export * from './services/libraries.js';
export * from './services/jobs.js';
export * from './services/job-policy-compliance.js';
export * from './services/dbfs.js';
export * from './services/files.js';
export * from './services/secrets.js';
export * from './services/workspace.js';
export * from './services/repos.js';
export * from './services/tokens.js';
export * from './services/token-management.js';
export * from './services/permissions.js';
export * from './services/notification-destinations.js';
export * from './services/scim.js';
export * from './services/groups.js';
export * from './services/users.js';
export * from './services/service-principals.js';
export * from './services/warehouses.js';
export * from './services/statements.js';
export * from './services/query-history.js';
export * from './services/unity-catalog.js';
export * from './services/uc-grants.js';
export * from './services/uc-metastores.js';
export * from './services/uc-storage.js';
export * from './services/uc-connections.js';
export * from './services/uc-functions.js';
export * from './services/git-credentials.js';
export * from './services/global-init-scripts.js';
export * from './services/instance-profiles.js';
