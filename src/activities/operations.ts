/**
 * Every Databricks REST operation as an activity body, one line each, named `<service><Method>`.
 * The comment before each group says which retry policy kind (src/common/activity-policies.ts)
 * a workflow should call it with. Creates that need exactly-once handling live in creates.ts,
 * secret-bearing calls in secrets.ts, long transfers in transfers.ts, waiters in waiters.ts.
 *
 * Not activities, on purpose: iterator helpers whose results are streams (statements
 * executeAndFetch — use statementsExecute + waitStatement + statementsGetChunk; workspace
 * importFile/exportFile and dbfs upload/download of Buffers — use the base64 calls or the
 * transfer activities; files upload/download of bytes — use filesUpload/filesDownload in
 * volume-transfers.ts, which move them between the worker's disk and the volume) and `secrets.get` (it returns a secret value).
 */
import { call, call0, listAll } from './call.js';
import * as creates from './creates.js';
import * as deletes from './deletes.js';
import { jobsGetRunFailureOutput } from './run-output.js';
import * as ucConnections from './uc-connections.js';
import * as ucStorage from './uc-storage.js';

export const operations = {
  // ---- clusters: reads ----
  clustersGet: call('clusters', 'get'),
  clustersList: listAll('clusters', 'list'),
  clustersListPage: call('clusters', 'listPage'),
  clustersEvents: listAll('clusters', 'events'),
  clustersEventsPage: call('clusters', 'eventsPage'),
  clustersListNodeTypes: call0('clusters', 'listNodeTypes'),
  clustersSparkVersions: call0('clusters', 'sparkVersions'),
  clustersListZones: call0('clusters', 'listZones'),
  // ---- clusters: create (exactly-once) and mutations ----
  clustersCreate: creates.clustersCreate,
  clustersEdit: call('clusters', 'edit'),
  clustersUpdate: call('clusters', 'update'),
  clustersStart: call('clusters', 'start'),
  clustersRestart: call('clusters', 'restart'),
  clustersDelete: call('clusters', 'delete'),
  clustersPermanentDelete: call('clusters', 'permanentDelete'),
  clustersResize: call('clusters', 'resize'),
  clustersPin: call('clusters', 'pin'),
  clustersUnpin: call('clusters', 'unpin'),
  clustersChangeOwner: call('clusters', 'changeOwner'),

  // ---- instance pools ----
  instancePoolsGet: call('instancePools', 'get'),
  instancePoolsList: listAll('instancePools', 'list'),
  instancePoolsCreate: creates.instancePoolsCreate,
  instancePoolsEdit: call('instancePools', 'edit'),
  instancePoolsDelete: call('instancePools', 'delete'),

  // ---- cluster policies and policy families ----
  clusterPoliciesGet: call('clusterPolicies', 'get'),
  clusterPoliciesList: listAll('clusterPolicies', 'list'),
  clusterPoliciesCreate: creates.clusterPoliciesCreate,
  clusterPoliciesGetCompliance: call('clusterPolicies', 'getCompliance'),
  clusterPoliciesListCompliance: listAll('clusterPolicies', 'listCompliance'),
  /** Safe to repeat: once the cluster complies a retry has no changes (and restarts nothing). */
  clusterPoliciesEnforceCompliance: call('clusterPolicies', 'enforceCompliance'),
  clusterPoliciesEdit: call('clusterPolicies', 'edit'),
  clusterPoliciesDelete: call('clusterPolicies', 'delete'),
  clusterPoliciesGetFamily: call('clusterPolicies', 'getFamily'),
  clusterPoliciesListFamilies: listAll('clusterPolicies', 'listFamilies'),
  clusterPoliciesListFamiliesPage: call('clusterPolicies', 'listFamiliesPage'),

  // ---- libraries ----
  librariesClusterStatus: call('libraries', 'clusterStatus'),
  librariesAllClusterStatuses: call0('libraries', 'allClusterStatuses'),
  librariesInstall: call('libraries', 'install'),
  librariesUninstall: call('libraries', 'uninstall'),

  // ---- jobs: reads ----
  jobsGet: call('jobs', 'get'),
  jobsList: listAll('jobs', 'list'),
  jobsListPage: call('jobs', 'listPage'),
  jobsGetRun: call('jobs', 'getRun'),
  jobsListRuns: listAll('jobs', 'listRuns'),
  jobsListRunsPage: call('jobs', 'listRunsPage'),
  jobsGetRunOutput: call('jobs', 'getRunOutput'),
  /** get-output trimmed for workflow history (never the logs): what a workflow reports for a failed task. */
  jobsGetRunFailureOutput,
  jobsExportRun: call('jobs', 'exportRun'),
  // ---- jobs: creates (exactly-once) and mutations ----
  jobsCreate: creates.jobsCreate,
  jobsRunNow: creates.jobsRunNow,
  jobsSubmit: creates.jobsSubmit,
  jobsUpdate: call('jobs', 'update'),
  jobsReset: call('jobs', 'reset'),
  jobsDelete: call('jobs', 'delete'),
  jobsCancelRun: call('jobs', 'cancelRun'),
  jobsCancelAllRuns: call('jobs', 'cancelAllRuns'),
  jobsDeleteRun: call('jobs', 'deleteRun'),
  /** Exactly once: a retry adopts the repair an earlier attempt made (pass the latest repair id you know of). */
  jobsRepairRun: creates.jobsRepairRun,
  // ---- jobs: policy compliance of their clusters ----
  jobPolicyComplianceGetCompliance: call('jobPolicyCompliance', 'getCompliance'),
  jobPolicyComplianceListCompliance: listAll('jobPolicyCompliance', 'listCompliance'),
  /** Safe to repeat: once the job complies a retry has no changes. */
  jobPolicyComplianceEnforceCompliance: call('jobPolicyCompliance', 'enforceCompliance'),

  // ---- DBFS (≤1 MB base64 calls; big files: dbfsUpload / dbfsDownload) ----
  dbfsGetStatus: call('dbfs', 'getStatus'),
  dbfsList: listAll('dbfs', 'list'),
  dbfsRead: call('dbfs', 'read'),
  dbfsPut: call('dbfs', 'put'),
  dbfsMkdirs: call('dbfs', 'mkdirs'),
  dbfsDelete: call('dbfs', 'delete'),
  dbfsMove: call('dbfs', 'move'),
  dbfsCreate: call('dbfs', 'create'),
  dbfsAddBlock: call('dbfs', 'addBlock'),
  dbfsClose: call('dbfs', 'close'),

  // ---- secrets (values only by reference: secretsPut in secrets.ts) ----
  secretsCreateScope: creates.secretsCreateScope,
  secretsDeleteScope: call('secrets', 'deleteScope'),
  secretsListScopes: listAll('secrets', 'listScopes'),
  secretsDelete: call('secrets', 'delete'),
  secretsList: listAll('secrets', 'list'),
  secretsPutAcl: call('secrets', 'putAcl'),
  secretsGetAcl: call('secrets', 'getAcl'),
  secretsListAcls: listAll('secrets', 'listAcls'),
  secretsDeleteAcl: call('secrets', 'deleteAcl'),

  // ---- workspace ----
  workspaceGetStatus: call('workspace', 'getStatus'),
  workspaceList: listAll('workspace', 'list'),
  workspaceExport: call('workspace', 'export'),
  workspaceImport: call('workspace', 'import'),
  workspaceMkdirs: call('workspace', 'mkdirs'),
  workspaceDelete: call('workspace', 'delete'),

  // ---- repos ---- (create retries safely by path: repos.ts)
  reposGet: call('repos', 'get'),
  reposList: listAll('repos', 'list'),
  reposUpdate: call('repos', 'update'),
  reposDelete: call('repos', 'delete'),
  // Git credentials (create/update take the token by reference: git-credentials.ts)
  gitCredentialsGet: call('gitCredentials', 'get'),
  gitCredentialsList: call('gitCredentials', 'list'),
  gitCredentialsDelete: call('gitCredentials', 'delete'),

  // ---- tokens (create is in secrets.ts: its value never enters history) ----
  tokensList: listAll('tokens', 'list'),
  tokensRevoke: call('tokens', 'revoke'),

  // ---- token management, admin only (createOboToken is in secrets.ts: its value never enters history) ----
  tokenManagementList: listAll('tokenManagement', 'list'),
  tokenManagementGet: call('tokenManagement', 'get'),
  tokenManagementDelete: call('tokenManagement', 'delete'),

  // ---- permissions ----
  permissionsGet: call('permissions', 'get'),
  permissionsGetPermissionLevels: call('permissions', 'getPermissionLevels'),
  permissionsSet: call('permissions', 'set'),
  permissionsUpdate: call('permissions', 'update'),

  // ---- SCIM identities (writes: admins only) ----
  groupsGet: call('groups', 'get'),
  groupsList: listAll('groups', 'list'),
  groupsListPage: call('groups', 'listPage'),
  groupsCreate: creates.groupsCreate,
  groupsUpdate: call('groups', 'update'),
  groupsPatch: call('groups', 'patch'),
  groupsAddMembers: call('groups', 'addMembers'),
  groupsRemoveMembers: call('groups', 'removeMembers'),
  /** A retry that finds the group gone (its first attempt landed) succeeds with `deleted: false`. */
  groupsDelete: deletes.groupsDelete,
  usersGet: call('users', 'get'),
  usersList: listAll('users', 'list'),
  usersListPage: call('users', 'listPage'),
  usersCreate: creates.usersCreate,
  usersDelete: deletes.usersDelete,
  servicePrincipalsGet: call('servicePrincipals', 'get'),
  servicePrincipalsList: listAll('servicePrincipals', 'list'),
  servicePrincipalsListPage: call('servicePrincipals', 'listPage'),
  servicePrincipalsCreate: creates.servicePrincipalsCreate,
  servicePrincipalsDelete: deletes.servicePrincipalsDelete,

  // ---- SQL warehouses ----
  warehousesGet: call('warehouses', 'get'),
  warehousesList: listAll('warehouses', 'list'),
  warehousesCreate: creates.warehousesCreate,
  warehousesEdit: call('warehouses', 'edit'),
  warehousesStart: call('warehouses', 'start'),
  warehousesStop: call('warehouses', 'stop'),
  warehousesDelete: call('warehouses', 'delete'),

  // ---- SQL statements (execute with wait_timeout '0s', then waitStatement) ----
  /** Not idempotent (a repeat runs the statement again): use CREATE options with maximumAttempts 1 for writes. */
  statementsExecute: call('statements', 'execute'),
  statementsGet: call('statements', 'get'),
  statementsGetChunk: call('statements', 'getChunk'),
  statementsCancel: call('statements', 'cancel'),

  // ---- SQL query history (reads) ----
  queryHistoryList: listAll('queryHistory', 'list'),

  // ---- Unity Catalog ----
  catalogsGet: call('catalogs', 'get'),
  catalogsList: listAll('catalogs', 'list'),
  catalogsCreate: creates.catalogsCreate,
  catalogsUpdate: call('catalogs', 'update'),
  catalogsDelete: call('catalogs', 'delete'),
  schemasGet: call('schemas', 'get'),
  schemasList: listAll('schemas', 'list'),
  schemasCreate: creates.schemasCreate,
  schemasUpdate: call('schemas', 'update'),
  schemasDelete: call('schemas', 'delete'),
  tablesGet: call('tables', 'get'),
  tablesExists: call('tables', 'exists'),
  tablesList: listAll('tables', 'list'),
  tablesListSummaries: listAll('tables', 'listSummaries'),
  metastoresCurrent: call('metastores', 'current'),
  metastoresSummary: call('metastores', 'summary'),
  metastoresGet: call('metastores', 'get'),
  metastoresList: listAll('metastores', 'list'),
  tablesCreate: creates.tablesCreate,
  tablesUpdate: call('tables', 'update'),
  tablesDelete: call('tables', 'delete'),
  volumesRead: call('volumes', 'read'),
  volumesList: listAll('volumes', 'list'),
  volumesCreate: creates.volumesCreate,
  volumesUpdate: call('volumes', 'update'),
  volumesDelete: call('volumes', 'delete'),
  // SQL functions: create adopts its own function on retry; update (owner) and delete repeat safely.
  functionsGet: call('functions', 'get'),
  functionsList: listAll('functions', 'list'),
  functionsCreate: creates.functionsCreate,
  functionsUpdate: call('functions', 'update'),
  functionsDelete: call('functions', 'delete'),
  // Grants: an update is a set operation (adding a held privilege changes nothing), so it retries safely.
  grantsGet: call('grants', 'get'),
  grantsList: listAll('grants', 'list'),
  grantsUpdate: call('grants', 'update'),
  grantsGetEffective: call('grants', 'getEffective'),
  // Storage credentials and external locations: creates adopt their own object on retry (uc-storage.ts),
  // deletes count a retry's 404 as done; a rename (new_name) is not safe to repeat.
  storageCredentialsGet: call('storageCredentials', 'get'),
  storageCredentialsList: listAll('storageCredentials', 'list'),
  storageCredentialsCreate: ucStorage.storageCredentialsCreate,
  storageCredentialsUpdate: ucStorage.storageCredentialsUpdate,
  storageCredentialsDelete: deletes.storageCredentialsDelete,
  externalLocationsGet: call('externalLocations', 'get'),
  externalLocationsList: listAll('externalLocations', 'list'),
  externalLocationsCreate: ucStorage.externalLocationsCreate,
  externalLocationsUpdate: call('externalLocations', 'update'),
  externalLocationsDelete: deletes.externalLocationsDelete,
  // Connections: secret options only by reference, resolved on the worker (uc-connections.ts); the create
  // adopts its own connection on retry, a retried delete counts 404 as done.
  connectionsGet: call('connections', 'get'),
  connectionsList: listAll('connections', 'list'),
  connectionsCreate: ucConnections.connectionsCreate,
  connectionsUpdate: ucConnections.connectionsUpdate,
  connectionsDelete: deletes.connectionsDelete,

  // ---- Files API on volumes (contents: filesUpload / filesDownload) ----
  filesGetMetadata: call('files', 'getMetadata'),
  filesDelete: call('files', 'delete'),
  filesCreateDirectory: call('files', 'createDirectory'),
  filesListDirectoryContents: listAll('files', 'listDirectoryContents'),
  filesDeleteDirectory: call('files', 'deleteDirectory'),
  filesGetDirectoryMetadata: call('files', 'getDirectoryMetadata'),

  // ---- admin provisioning: global init scripts (create adopts on retry: global-init-scripts.ts) and
  // instance profiles (add/remove as desired state: instance-profiles.ts) ----
  globalInitScriptsGet: call('globalInitScripts', 'get'),
  globalInitScriptsList: call0('globalInitScripts', 'list'),
  globalInitScriptsUpdate: call('globalInitScripts', 'update'),
  /** A script already gone counts as deleted (`deleted: false`). */
  globalInitScriptsDelete: deletes.globalInitScriptsDelete,
  instanceProfilesList: call0('instanceProfiles', 'list'),
  instanceProfilesEdit: call('instanceProfiles', 'edit'),
};
