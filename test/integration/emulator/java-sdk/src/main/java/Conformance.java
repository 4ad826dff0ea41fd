import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.mixin.NodeTypeSelector;
import com.databricks.sdk.mixin.SparkVersionSelector;
import com.databricks.sdk.service.catalog.CatalogInfo;
import com.databricks.sdk.service.catalog.ColumnTypeName;
import com.databricks.sdk.service.catalog.CreateCatalog;
import com.databricks.sdk.service.catalog.CreateSchema;
import com.databricks.sdk.service.catalog.CreateVolumeRequestContent;
import com.databricks.sdk.service.catalog.CreateTableRequest;
import com.databricks.sdk.service.catalog.DataSourceFormat;
import com.databricks.sdk.service.catalog.DeleteCatalogRequest;
import com.databricks.sdk.service.catalog.ListCatalogsRequest;
import com.databricks.sdk.service.catalog.EffectivePermissionsList;
import com.databricks.sdk.service.catalog.EffectivePrivilege;
import com.databricks.sdk.service.catalog.EffectivePrivilegeAssignment;
import com.databricks.sdk.service.catalog.GetEffectiveRequest;
import com.databricks.sdk.service.catalog.GetGrantRequest;
import com.databricks.sdk.service.catalog.GetPermissionsResponse;
import com.databricks.sdk.service.catalog.PermissionsChange;
import com.databricks.sdk.service.catalog.Privilege;
import com.databricks.sdk.service.catalog.PrivilegeAssignment;
import com.databricks.sdk.service.catalog.SecurableType;
import com.databricks.sdk.service.catalog.UpdatePermissions;
import com.databricks.sdk.service.catalog.ListSchemasRequest;
import com.databricks.sdk.service.catalog.ListVolumesRequest;
import com.databricks.sdk.service.catalog.SchemaInfo;
import com.databricks.sdk.service.catalog.TableInfo;
import com.databricks.sdk.service.catalog.TableType;
import com.databricks.sdk.service.catalog.UpdateVolumeRequestContent;
import com.databricks.sdk.service.catalog.VolumeInfo;
import com.databricks.sdk.service.catalog.VolumeType;
import com.databricks.sdk.service.compute.ClusterDetails;
import com.databricks.sdk.service.compute.CreateCluster;
import com.databricks.sdk.service.compute.CreatePolicy;
import com.databricks.sdk.service.compute.EditPolicy;
import com.databricks.sdk.service.compute.GetEvents;
import com.databricks.sdk.service.compute.GetEventsOrder;
import com.databricks.sdk.service.compute.ListClustersRequest;
import com.databricks.sdk.service.compute.ListClusterPoliciesRequest;
import com.databricks.sdk.service.compute.ListPolicyFamiliesRequest;
import com.databricks.sdk.service.compute.ListSortColumn;
import com.databricks.sdk.service.compute.ListSortOrder;
import com.databricks.sdk.service.compute.Policy;
import com.databricks.sdk.service.compute.PolicyFamily;
import com.databricks.sdk.service.files.Delete;
import com.databricks.sdk.service.files.CreateDirectoryRequest;
import com.databricks.sdk.service.files.FileInfo;
import com.databricks.sdk.service.files.DirectoryEntry;
import com.databricks.sdk.service.files.DownloadResponse;
import com.databricks.sdk.service.files.GetMetadataResponse;
import com.databricks.sdk.service.files.ListDirectoryContentsRequest;
import com.databricks.sdk.service.files.Put;
import com.databricks.sdk.service.files.UploadRequest;
import com.databricks.sdk.service.iam.AccessControlRequest;
import com.databricks.sdk.service.iam.AccessControlResponse;
import com.databricks.sdk.service.iam.ComplexValue;
import com.databricks.sdk.service.iam.Group;
import com.databricks.sdk.service.iam.ListGroupsRequest;
import com.databricks.sdk.service.iam.ListServicePrincipalsRequest;
import com.databricks.sdk.service.iam.ListUsersRequest;
import com.databricks.sdk.service.iam.PartialUpdate;
import com.databricks.sdk.service.iam.Patch;
import com.databricks.sdk.service.iam.PatchOp;
import com.databricks.sdk.service.iam.PatchSchema;
import com.databricks.sdk.service.iam.ServicePrincipal;
import com.databricks.sdk.service.iam.ObjectPermissions;
import com.databricks.sdk.service.iam.Permission;
import com.databricks.sdk.service.iam.PermissionLevel;
import com.databricks.sdk.service.iam.PermissionsDescription;
import com.databricks.sdk.service.iam.SetObjectPermissions;
import com.databricks.sdk.service.iam.User;
import com.databricks.sdk.service.jobs.BaseRun;
import com.databricks.sdk.service.jobs.CreateJob;
import com.databricks.sdk.service.jobs.Job;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.databricks.sdk.service.jobs.ListRunsRequest;
import com.databricks.sdk.service.jobs.NotebookTask;
import com.databricks.sdk.service.jobs.Run;
import com.databricks.sdk.service.jobs.RunNow;
import com.databricks.sdk.service.jobs.RunNowResponse;
import com.databricks.sdk.service.jobs.RunOutput;
import com.databricks.sdk.service.jobs.RunTask;
import com.databricks.sdk.service.jobs.SparkPythonTask;
import com.databricks.sdk.service.jobs.SubmitRun;
import com.databricks.sdk.service.jobs.SubmitTask;
import com.databricks.sdk.service.jobs.Task;
import com.databricks.sdk.service.jobs.TaskDependency;
import com.databricks.sdk.service.sql.CreateWarehouseRequest;
import com.databricks.sdk.service.sql.ExecuteStatementRequest;
import com.databricks.sdk.service.sql.GetWarehouseResponse;
import com.databricks.sdk.service.sql.ListWarehousesRequest;
import com.databricks.sdk.service.sql.StartRequest;
import com.databricks.sdk.service.sql.StatementExecutionAPI;
import com.databricks.sdk.service.sql.StatementParameterListItem;
import com.databricks.sdk.service.sql.StatementResponse;
import com.databricks.sdk.service.sql.StopRequest;
import com.databricks.sdk.service.settings.CreateOboTokenRequest;
import com.databricks.sdk.service.settings.CreateOboTokenResponse;
import com.databricks.sdk.service.settings.CreateTokenRequest;
import com.databricks.sdk.service.settings.CreateTokenResponse;
import com.databricks.sdk.service.settings.ListTokenManagementRequest;
import com.databricks.sdk.service.settings.PublicTokenInfo;
import com.databricks.sdk.service.settings.TokenInfo;
import com.databricks.sdk.service.settings.TokenPermissions;
import com.databricks.sdk.service.workspace.CreateScope;
import com.databricks.sdk.service.workspace.ExportFormat;
import com.databricks.sdk.service.workspace.ExportRequest;
import com.databricks.sdk.service.workspace.Import;
import com.databricks.sdk.service.workspace.ImportFormat;
import com.databricks.sdk.service.workspace.Language;
import com.databricks.sdk.service.workspace.ListWorkspaceRequest;
import com.databricks.sdk.service.workspace.ObjectInfo;
import com.databricks.sdk.service.workspace.PutSecret;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The official Databricks Java SDK (com.databricks:databricks-sdk-java, unmodified) against the
 * emulator.
 *
 * <p>Usage: java -cp ... Conformance MODE (modes: compute, policies, jobs, files, volumes, grants, sql, waiters,
 * iam, iam_groups, token_management, retries)
 *
 * <p>Reads DATABRICKS_HOST and DATABRICKS_TOKEN (iam and token_management also JAVA_SDK_CLIENT_ID,
 * an OAuth client, i.e. a service principal; iam its JAVA_SDK_CLIENT_SECRET), drives the SDK's own
 * waiters ({@code Wait.get}), iterators and mixins, and prints ONE JSON object with what it
 * observed; java-sdk.test.ts asserts on it. An unexpected exception is printed as {"error": ..., "trace": ...} and exits 1. Nothing
 * here works around the emulator: where the SDK and the emulator disagree, the emulator is wrong.
 */
public final class Conformance {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A call that must fail. */
  interface Call {
    Object run() throws Exception;
  }

  private Conformance() {}

  static WorkspaceClient client() {
    return client(System.getenv("DATABRICKS_TOKEN"));
  }

  static WorkspaceClient client(String token) {
    return new WorkspaceClient(new DatabricksConfig().setHost(System.getenv("DATABRICKS_HOST")).setToken(token));
  }

  /** OAuth M2M: the SDK finds the token endpoint through the workspace's OIDC discovery. */
  static WorkspaceClient m2mClient(String clientSecret) {
    DatabricksConfig config =
        new DatabricksConfig()
            .setHost(System.getenv("DATABRICKS_HOST"))
            .setClientId(System.getenv("JAVA_SDK_CLIENT_ID"))
            .setClientSecret(clientSecret)
            .setAuthType("oauth-m2m");
    return new WorkspaceClient(config);
  }

  /** Principal → sorted permission levels, sorted by principal. */
  static List<List<Object>> grants(ObjectPermissions perms) {
    List<List<Object>> out = new ArrayList<>();
    for (AccessControlResponse a : perms.getAccessControlList()) {
      String who = a.getGroupName() != null ? a.getGroupName() : a.getUserName() != null ? a.getUserName() : a.getServicePrincipalName();
      TreeSet<String> levels = new TreeSet<>();
      for (Permission p : a.getAllPermissions()) levels.add(name(p.getPermissionLevel()));
      out.add(Arrays.asList(who, new ArrayList<>(levels)));
    }
    out.sort(Comparator.comparing(l -> (String) l.get(0)));
    return out;
  }

  /** Runs the call, which must fail; returns the SDK exception's class, its chain, code and message. */
  static Map<String, Object> errorOf(Call call) throws Exception {
    try {
      call.run();
    } catch (DatabricksError e) {
      List<String> chain = new ArrayList<>();
      for (Class<?> c = e.getClass(); c != null && DatabricksError.class.isAssignableFrom(c); c = c.getSuperclass()) {
        chain.add(c.getSimpleName());
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("type", e.getClass().getName());
      out.put("is", chain);
      out.put("error_code", e.getErrorCode());
      out.put("status", e.getStatusCode());
      out.put("message", e.getMessage());
      return out;
    }
    throw new AssertionError("expected the call to fail");
  }

  static String name(Object enumValue) {
    return enumValue == null ? null : enumValue.toString();
  }

  static <T> List<T> all(Iterable<T> items) {
    return StreamSupport.stream(items.spliterator(), false).collect(Collectors.toList());
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  // --- compute: clusters ------------------------------------------------------------------------

  static Map<String, Object> compute(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    String sparkVersion = w.clusters().selectSparkVersion(new SparkVersionSelector().withLongTermSupport().withLatest());
    String nodeType = w.clusters().selectNodeType(new NodeTypeSelector().withLocalDisk().withMinMemoryGb(16));
    String scala212 = w.clusters().selectSparkVersion(new SparkVersionSelector().withLongTermSupport().withLatest().withScala("2.12"));
    out.put("selected", map("spark_version", sparkVersion, "scala_2_12", scala212, "node_type", nodeType));

    var creating =
        w.clusters()
            .create(
                new CreateCluster()
                    .setClusterName("java-sdk")
                    .setSparkVersion(sparkVersion)
                    .setNodeTypeId(nodeType)
                    .setNumWorkers(1L)
                    .setAutoterminationMinutes(30L)
                    .setCustomTags(Map.of("team", "data")));
    String cid = creating.getResponse().getClusterId();
    ClusterDetails cluster = creating.get(TIMEOUT);
    out.put(
        "created",
        map(
            "state", name(cluster.getState()),
            "name", cluster.getClusterName(),
            "workers", cluster.getNumWorkers(),
            "tags", cluster.getCustomTags(),
            "id_matches", cid.equals(cluster.getClusterId())));
    out.put(
        "listed",
        all(w.clusters().list(new ListClustersRequest())).stream()
            .map(c -> Arrays.asList(cid.equals(c.getClusterId()), c.getClusterName(), name(c.getState())))
            .collect(Collectors.toList()));
    out.put(
        "events",
        all(w.clusters().events(new GetEvents().setClusterId(cid).setOrder(GetEventsOrder.ASC))).stream()
            .map(e -> name(e.getType()))
            .collect(Collectors.toList()));
    // page_size 1: the paginator posts each response's next_page back until every event is read.
    out.put(
        "events_paged",
        all(w.clusters().events(new GetEvents().setClusterId(cid).setOrder(GetEventsOrder.ASC).setPageSize(1L))).stream()
            .map(e -> name(e.getType()))
            .collect(Collectors.toList()));

    ClusterDetails terminated = w.clusters().delete(cid).get(TIMEOUT);
    out.put(
        "deleted",
        map(
            "state", name(terminated.getState()),
            "reason", terminated.getTerminationReason() == null ? null : name(terminated.getTerminationReason().getCode())));
    out.put("started", name(w.clusters().start(cid).get(TIMEOUT).getState()));
    out.put("start_running_error", errorOf(() -> w.clusters().start(cid)));
    w.clusters().permanentDelete(cid);
    out.put("after_permanent_delete", errorOf(() -> w.clusters().get(cid)));
    out.put("missing_cluster", errorOf(() -> w.clusters().get("0000-000000-nope")));
    return out;
  }

  // --- cluster policies: CRUD, families, and clusters governed by a policy ------------------------

  static Map<String, Object> policies(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    String definition =
        JSON.writeValueAsString(
            map(
                "num_workers", map("type", "range", "maxValue", 2),
                "runtime_engine", map("type", "fixed", "value", "PHOTON", "hidden", true),
                "autotermination_minutes", map("type", "unlimited", "defaultValue", 45, "isOptional", true),
                "custom_tags.team", map("type", "allowlist", "values", List.of("data", "ml"), "defaultValue", "data")));
    String pid =
        w.clusterPolicies()
            .create(new CreatePolicy().setName("java-policy").setDefinition(definition).setDescription("small").setMaxClustersPerUser(5L))
            .getPolicyId();
    Policy got = w.clusterPolicies().get(pid);
    TreeSet<String> rules = new TreeSet<>();
    JSON.readTree(got.getDefinition()).fieldNames().forEachRemaining(rules::add);
    out.put(
        "policy",
        map(
            "id_ok", pid.equals(got.getPolicyId()),
            "name", got.getName(),
            "description", got.getDescription(),
            "max", got.getMaxClustersPerUser(),
            "rules", rules));
    w.clusterPolicies().create(new CreatePolicy().setName("another").setDefinition("{}"));
    out.put(
        "listed",
        all(w.clusterPolicies().list(new ListClusterPoliciesRequest().setSortColumn(ListSortColumn.POLICY_NAME).setSortOrder(ListSortOrder.DESC))).stream()
            .map(Policy::getName)
            .collect(Collectors.toList()));
    out.put("duplicate_name", errorOf(() -> w.clusterPolicies().create(new CreatePolicy().setName("java-policy").setDefinition("{}"))));

    String sparkVersion = w.clusters().selectSparkVersion(new SparkVersionSelector().withLongTermSupport().withLatest());
    String nodeType = w.clusters().selectNodeType(new NodeTypeSelector().withLocalDisk().withMinMemoryGb(16));
    CreateCluster governed =
        new CreateCluster().setSparkVersion(sparkVersion).setNodeTypeId(nodeType).setNumWorkers(2L).setPolicyId(pid).setApplyPolicyDefaultValues(true);
    ClusterDetails cluster = w.clusters().create(governed).get(TIMEOUT);
    out.put(
        "governed",
        map(
            "state", name(cluster.getState()),
            "policy_id_ok", pid.equals(cluster.getPolicyId()),
            "runtime_engine", name(cluster.getRuntimeEngine()),
            "autotermination_minutes", cluster.getAutoterminationMinutes(),
            "tags", cluster.getCustomTags()));
    out.put("rejected", errorOf(() -> w.clusters().create(governed.setNumWorkers(3L))));
    out.put(
        "unknown_policy",
        errorOf(() -> w.clusters().create(new CreateCluster().setSparkVersion(sparkVersion).setNodeTypeId(nodeType).setNumWorkers(1L).setPolicyId("0123456789ABCDEF"))));
    out.put("clusters_after", all(w.clusters().list(new ListClustersRequest())).size());

    w.clusterPolicies().edit(new EditPolicy().setPolicyId(pid).setName("java-policy-2").setDefinition("{}"));
    Policy edited = w.clusterPolicies().get(pid);
    out.put("edited", map("name", edited.getName(), "definition", edited.getDefinition(), "description", edited.getDescription()));
    out.put(
        "families",
        all(w.policyFamilies().list(new ListPolicyFamiliesRequest().setMaxResults(2L))).stream().map(PolicyFamily::getPolicyFamilyId).collect(Collectors.toList()));
    out.put("family", w.policyFamilies().get("personal-vm").getName());
    w.clusterPolicies().delete(pid);
    out.put("after_delete", errorOf(() -> w.clusterPolicies().get(pid)));
    w.clusters().permanentDelete(cluster.getClusterId());
    return out;
  }

  // --- jobs ---------------------------------------------------------------------------------------

  static Map<String, Object> jobs(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    long jobId =
        w.jobs()
            .create(
                new CreateJob()
                    .setName("java-sdk-job")
                    .setMaxConcurrentRuns(1L)
                    .setTasks(
                        List.of(
                            new Task()
                                .setTaskKey("ingest")
                                .setNotebookTask(
                                    new NotebookTask()
                                        .setNotebookPath("/Shared/ingest")
                                        .setBaseParameters(Map.of("emulator.exit", "ingested 10 rows"))),
                            new Task()
                                .setTaskKey("publish")
                                .setDependsOn(List.of(new TaskDependency().setTaskKey("ingest")))
                                .setSparkPythonTask(new SparkPythonTask().setPythonFile("/Shared/publish.py")))))
            .getJobId();
    Job got = w.jobs().get(jobId);
    out.put(
        "job",
        map(
            "name", got.getSettings().getName(),
            "tasks", got.getSettings().getTasks().stream().map(Task::getTaskKey).collect(Collectors.toList()),
            "creator", got.getCreatorUserName()));
    out.put("jobs_listed", all(w.jobs().list(new ListJobsRequest())).stream().map(j -> j.getSettings().getName()).collect(Collectors.toList()));
    out.put(
        "jobs_listed_expanded",
        all(w.jobs().list(new ListJobsRequest().setExpandTasks(true))).stream()
            .map(j -> j.getSettings().getTasks().stream().map(Task::getTaskKey).collect(Collectors.toList()))
            .collect(Collectors.toList()));

    var waiter = w.jobs().runNow(new RunNow().setJobId(jobId));
    RunNowResponse started = waiter.getResponse();
    Run run = waiter.get(TIMEOUT);
    out.put(
        "run",
        map(
            "life_cycle_state", name(run.getState().getLifeCycleState()),
            "result_state", name(run.getState().getResultState()),
            "status", run.getStatus() == null ? null : name(run.getStatus().getState()),
            "tasks",
                run.getTasks().stream()
                    .sorted(Comparator.comparing(RunTask::getTaskKey))
                    .map(t -> Arrays.asList(t.getTaskKey(), name(t.getState().getResultState())))
                    .collect(Collectors.toList()),
            "run_id_matches", started.getRunId().equals(run.getRunId()),
            "job_id_matches", run.getJobId() == jobId));
    RunTask ingest = run.getTasks().stream().filter(t -> "ingest".equals(t.getTaskKey())).findFirst().orElseThrow();
    RunOutput output = w.jobs().getRunOutput(ingest.getRunId());
    out.put(
        "output",
        map(
            "result", output.getNotebookOutput() == null ? null : output.getNotebookOutput().getResult(),
            "task_run_id_matches", output.getMetadata() != null && ingest.getRunId().equals(output.getMetadata().getRunId())));
    out.put("multi_task_output_error", errorOf(() -> w.jobs().getRunOutput(run.getRunId())));

    // Three more runs, then listRuns pages through all four two at a time (limit 2).
    List<Long> ids = new ArrayList<>(List.of(run.getRunId()));
    for (int i = 0; i < 3; i++) ids.add(w.jobs().runNow(new RunNow().setJobId(jobId)).get(TIMEOUT).getRunId());
    List<Long> listed =
        all(w.jobs().listRuns(new ListRunsRequest().setJobId(jobId).setLimit(2L).setExpandTasks(false))).stream()
            .map(BaseRun::getRunId)
            .collect(Collectors.toList());
    List<Long> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    out.put("list_runs", map("count", listed.size(), "newest_first", listed.equals(newestFirst)));
    out.put(
        "list_runs_expanded",
        all(w.jobs().listRuns(new ListRunsRequest().setJobId(jobId).setLimit(2L).setExpandTasks(true))).stream()
            .map(r -> r.getTasks() == null ? 0 : r.getTasks().size())
            .collect(Collectors.toList()));

    Run failed =
        w.jobs()
            .submit(
                new SubmitRun()
                    .setRunName("java-once")
                    .setTasks(
                        List.of(
                            new SubmitTask()
                                .setTaskKey("only")
                                .setNotebookTask(
                                    new NotebookTask()
                                        .setNotebookPath("/Shared/x")
                                        .setBaseParameters(Map.of("emulator.outcome", "FAILED", "emulator.message", "bad row"))))))
            .get(TIMEOUT);
    out.put(
        "submitted",
        map(
            "life_cycle_state", name(failed.getState().getLifeCycleState()),
            "result_state", name(failed.getState().getResultState()),
            "run_type", name(failed.getRunType())));
    out.put("submitted_output_error", w.jobs().getRunOutput(failed.getTasks().iterator().next().getRunId()).getError());

    // cancelRun on a finished run is accepted and its waiter returns the terminated run as it was.
    Run afterCancel = w.jobs().cancelRun(run.getRunId()).get(TIMEOUT);
    out.put("cancel_finished", map("life_cycle_state", name(afterCancel.getState().getLifeCycleState()), "result_state", name(afterCancel.getState().getResultState())));

    w.jobs().delete(jobId);
    out.put("deleted_job", errorOf(() -> w.jobs().get(jobId)));
    out.put("missing_run", errorOf(() -> w.jobs().getRun(987654321L)));
    out.put(
        "bad_create",
        errorOf(
            () ->
                w.jobs()
                    .create(
                        new CreateJob()
                            .setName("bad")
                            .setTasks(
                                List.of(
                                    new Task()
                                        .setTaskKey("a")
                                        .setDependsOn(List.of(new TaskDependency().setTaskKey("missing")))
                                        .setNotebookTask(new NotebookTask().setNotebookPath("/x")))))));
    return out;
  }

  // --- files: workspace, DBFS, secrets ------------------------------------------------------------

  static Map<String, Object> files(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    String me = w.currentUser().me().getUserName();
    out.put("me", me);
    String base = "/Users/" + me + "/java-sdk";
    w.workspace().mkdirs(base);
    w.workspace().mkdirs(base); // mkdirs on an existing directory succeeds

    w.workspace()
        .importContent(
            new Import().setPath(base + "/report").setFormat(ImportFormat.SOURCE).setLanguage(Language.PYTHON).setContent(b64("print(\"hi\")\n")));
    w.workspace().importContent(new Import().setPath(base + "/etl.py").setFormat(ImportFormat.AUTO).setContent(b64("# Databricks notebook source\nx = 1\n")));
    w.workspace().importContent(new Import().setPath(base + "/data.csv").setFormat(ImportFormat.AUTO).setContent(b64("a,b\n1,2\n")));
    w.workspace().importContent(new Import().setPath(base + "/q").setFormat(ImportFormat.SOURCE).setLanguage(Language.SQL).setContent(b64("SELECT 1")));
    out.put("export_source", unb64(w.workspace().export(new ExportRequest().setPath(base + "/report").setFormat(ExportFormat.SOURCE)).getContent()));
    out.put("export_auto_notebook", unb64(w.workspace().export(new ExportRequest().setPath(base + "/etl").setFormat(ExportFormat.SOURCE)).getContent()));
    out.put("export_file", unb64(w.workspace().export(new ExportRequest().setPath(base + "/data.csv").setFormat(ExportFormat.AUTO)).getContent()));
    out.put("export_sql", unb64(w.workspace().export(base + "/q").getContent()));
    out.put(
        "list",
        all(w.workspace().list(new ListWorkspaceRequest().setPath(base))).stream()
            .sorted(Comparator.comparing(ObjectInfo::getPath))
            .map(o -> Arrays.asList(o.getPath().substring(base.length()), name(o.getObjectType()), name(o.getLanguage())))
            .collect(Collectors.toList()));
    ObjectInfo status = w.workspace().getStatus(base + "/report");
    out.put("status", map("type", name(status.getObjectType()), "language", name(status.getLanguage()), "has_id", status.getObjectId() != null && status.getObjectId() > 0));
    out.put(
        "exists_error",
        errorOf(
            () -> {
              w.workspace().importContent(new Import().setPath(base + "/report").setFormat(ImportFormat.SOURCE).setLanguage(Language.PYTHON).setContent(b64("x")));
              return null;
            }));
    w.workspace()
        .importContent(
            new Import().setPath(base + "/report").setFormat(ImportFormat.SOURCE).setLanguage(Language.PYTHON).setOverwrite(true).setContent(b64("print('v2')\n")));
    out.put("overwritten", unb64(w.workspace().export(base + "/report").getContent()));
    out.put(
        "non_recursive_delete",
        errorOf(
            () -> {
              w.workspace().delete(new com.databricks.sdk.service.workspace.Delete().setPath(base));
              return null;
            }));
    w.workspace().delete(new com.databricks.sdk.service.workspace.Delete().setPath(base).setRecursive(true));
    out.put("deleted_status", errorOf(() -> w.workspace().getStatus(base + "/report")));

    // DBFS through the SDK's stream helpers (create/add-block/close; read in 1 MB pages) and the plain calls.
    byte[] data = new byte[2_500_000];
    for (int i = 0; i < data.length; i++) data[i] = (byte) ((i * 31 + 7) & 0xFF);
    w.dbfs().write(Paths.get("/java-sdk/blob.bin"), data);
    byte[] back = w.dbfs().readAllBytes(Paths.get("/java-sdk/blob.bin"));
    out.put("dbfs_roundtrip", map("size", back.length, "same", Arrays.equals(back, data)));
    w.dbfs().put(new Put().setPath("/java-sdk/small.txt").setContents(b64("hello dbfs")).setOverwrite(true));
    out.put("dbfs_read", unb64(w.dbfs().read("/java-sdk/small.txt").getData()));
    out.put("dbfs_lines", w.dbfs().readAllLines(Paths.get("/java-sdk/small.txt"), StandardCharsets.UTF_8));
    w.dbfs().mkdirs("/java-sdk/dir");
    w.dbfs().put(new Put().setPath("/java-sdk/dir/inner.txt").setContents(b64("inner")));
    out.put(
        "dbfs_list",
        all(w.dbfs().list("/java-sdk")).stream()
            .sorted(Comparator.comparing(FileInfo::getPath))
            .map(f -> Arrays.asList(f.getPath(), f.getIsDir(), f.getFileSize()))
            .collect(Collectors.toList()));
    out.put("dbfs_list_recursive", all(w.dbfs().recursiveList("/java-sdk")).stream().map(FileInfo::getPath).sorted().collect(Collectors.toList()));
    out.put("dbfs_exists_error", errorOf(() -> {
      w.dbfs().put(new Put().setPath("/java-sdk/dir/inner.txt").setContents(b64("x")));
      return null;
    }));
    w.dbfs().delete(new com.databricks.sdk.service.files.Delete().setPath("/java-sdk").setRecursive(true));
    out.put("dbfs_missing", errorOf(() -> w.dbfs().getStatus("/java-sdk/blob.bin")));

    w.secrets().createScope(new CreateScope().setScope("java-scope"));
    w.secrets().putSecret(new PutSecret().setScope("java-scope").setKey("db-password").setStringValue("s3cr3t"));
    w.secrets().putSecret(new PutSecret().setScope("java-scope").setKey("api-key").setStringValue("k"));
    out.put("secret_keys", all(w.secrets().listSecrets("java-scope")).stream().map(s -> s.getKey()).sorted().collect(Collectors.toList()));
    out.put("secret_value", unb64(w.secrets().getSecret("java-scope", "db-password").getValue()));
    out.put("scopes", all(w.secrets().listScopes()).stream().map(s -> Arrays.asList(s.getName(), name(s.getBackendType()))).collect(Collectors.toList()));
    out.put("secret_missing", errorOf(() -> w.secrets().getSecret("java-scope", "nope")));
    out.put("scope_exists", errorOf(() -> {
      w.secrets().createScope(new CreateScope().setScope("java-scope"));
      return null;
    }));
    w.secrets().deleteScope("java-scope");
    out.put("scope_missing", errorOf(() -> all(w.secrets().listSecrets("java-scope"))));
    return out;
  }

  // --- volumes: Unity Catalog volumes and the Files API ------------------------------------------

  static Map<String, Object> volumes(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    VolumeInfo v =
        w.volumes().create(new CreateVolumeRequestContent().setCatalogName("main").setSchemaName("default").setName("java_vol").setVolumeType(VolumeType.MANAGED).setComment("sdk"));
    out.put("created", map("full_name", v.getFullName(), "type", name(v.getVolumeType()), "comment", v.getComment(), "has_id", v.getVolumeId() != null && !v.getVolumeId().isEmpty()));
    out.put("read", v.getVolumeId().equals(w.volumes().read("main.default.java_vol").getVolumeId()));
    w.volumes()
        .create(
            new CreateVolumeRequestContent()
                .setCatalogName("main")
                .setSchemaName("default")
                .setName("java_ext")
                .setVolumeType(VolumeType.EXTERNAL)
                .setStorageLocation("s3://bucket/java/"));
    out.put(
        "listed",
        all(w.volumes().list(new ListVolumesRequest().setCatalogName("main").setSchemaName("default").setMaxResults(1L))).stream()
            .map(VolumeInfo::getName)
            .sorted()
            .collect(Collectors.toList()));
    out.put("updated", w.volumes().update(new UpdateVolumeRequestContent().setName("main.default.java_ext").setComment("changed")).getComment());
    out.put(
        "exists_error",
        errorOf(() -> w.volumes().create(new CreateVolumeRequestContent().setCatalogName("main").setSchemaName("default").setName("java_vol").setVolumeType(VolumeType.MANAGED))));
    out.put(
        "no_schema_error",
        errorOf(() -> w.volumes().create(new CreateVolumeRequestContent().setCatalogName("main").setSchemaName("nope").setName("x").setVolumeType(VolumeType.MANAGED))));

    String base = "/Volumes/main/default/java_vol";
    // The SDK percent-encodes the file path, but Request.getUri rebuilds the URL from the decoded
    // path when a query string is added (upload with overwrite, listing with page_size): a space
    // then fails in the client (URISyntaxException) before any request. So the space is exercised
    // by the calls without a query, and the main scenario uses a directory name without one.
    w.files().createDirectory(new CreateDirectoryRequest().setDirectoryPath(base + "/with space"));
    w.files().upload(new UploadRequest().setFilePath(base + "/with space/a b#1.txt").setContents(new ByteArrayInputStream("spaced".getBytes(StandardCharsets.UTF_8))));
    try (InputStream in = w.files().download(base + "/with space/a b#1.txt").getContents()) {
      out.put("spaced_download", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    out.put("spaced_length", w.files().getMetadata(base + "/with space/a b#1.txt").getContentLength());
    try {
      all(w.files().listDirectoryContents(new ListDirectoryContentsRequest().setDirectoryPath(base + "/with space").setPageSize(1L)));
      out.put("sdk_query_path_bug", false);
    } catch (IllegalArgumentException e) {
      out.put("sdk_query_path_bug", String.valueOf(e.getMessage()).contains("Illegal character in path"));
    }
    w.files().delete(base + "/with space/a b#1.txt");
    w.files().deleteDirectory(base + "/with space");

    byte[] data = new byte[10240];
    for (int i = 0; i < data.length; i++) data[i] = (byte) i;
    w.files().createDirectory(new CreateDirectoryRequest().setDirectoryPath(base + "/in_dir/sub"));
    w.files().upload(new UploadRequest().setFilePath(base + "/in_dir/data.bin").setContents(new ByteArrayInputStream(data)));
    w.files().upload(new UploadRequest().setFilePath(base + "/in_dir/note.txt").setContents(new ByteArrayInputStream("hello volume".getBytes(StandardCharsets.UTF_8))).setOverwrite(true));
    DownloadResponse got = w.files().download(base + "/in_dir/data.bin");
    byte[] back;
    try (InputStream in = got.getContents()) {
      back = in.readAllBytes();
    }
    out.put(
        "download",
        map(
            "same", Arrays.equals(back, data),
            "length", got.getContentLength(),
            "type", got.getContentType(),
            "has_last_modified", got.getLastModified() != null && !got.getLastModified().isEmpty()));
    GetMetadataResponse meta = w.files().getMetadata(base + "/in_dir/note.txt");
    out.put("metadata", map("length", meta.getContentLength(), "type", meta.getContentType()));
    w.files().getDirectoryMetadata(base + "/in_dir");
    out.put(
        "listing",
        all(w.files().listDirectoryContents(new ListDirectoryContentsRequest().setDirectoryPath(base + "/in_dir").setPageSize(1L))).stream()
            .sorted(Comparator.comparing(DirectoryEntry::getName))
            .map(e -> Arrays.asList(e.getName(), e.getIsDirectory(), e.getFileSize()))
            .collect(Collectors.toList()));
    out.put(
        "overwrite_false_error",
        errorOf(() -> {
          w.files().upload(new UploadRequest().setFilePath(base + "/in_dir/note.txt").setContents(new ByteArrayInputStream(new byte[] {'x'})).setOverwrite(false));
          return null;
        }));
    out.put("not_empty_error", errorOf(() -> { w.files().deleteDirectory(base + "/in_dir"); return null; }));
    w.files().delete(base + "/in_dir/note.txt");
    w.files().deleteDirectory(base + "/in_dir/sub");
    out.put("deleted_metadata_error", errorOf(() -> w.files().getMetadata(base + "/in_dir/note.txt")));
    out.put("missing_dir_error", errorOf(() -> all(w.files().listDirectoryContents(base + "/nope"))));
    out.put("after_delete", all(w.files().listDirectoryContents(base + "/in_dir")).stream().map(DirectoryEntry::getName).sorted().collect(Collectors.toList()));

    w.volumes().delete("main.default.java_vol");
    out.put("volume_gone", errorOf(() -> w.volumes().read("main.default.java_vol")));
    out.put("files_gone", errorOf(() -> w.files().getMetadata(base + "/in_dir/data.bin")));
    return out;
  }

  // --- sql: warehouses, statement execution, Unity Catalog ----------------------------------------

  static Map<String, Object> statementOut(StatementResponse r) {
    return map(
        "state", name(r.getStatus().getState()),
        "columns",
            r.getManifest() == null
                ? null
                : r.getManifest().getSchema().getColumns().stream()
                    .map(c -> Arrays.asList(c.getName(), name(c.getTypeName()), c.getTypeText()))
                    .collect(Collectors.toList()),
        "rows", r.getResult() == null ? null : r.getResult().getDataArray(),
        "total_row_count", r.getManifest() == null ? null : r.getManifest().getTotalRowCount(),
        "format", r.getManifest() == null ? null : name(r.getManifest().getFormat()));
  }

  static Map<String, Object> sql(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    var creating =
        w.warehouses().create(new CreateWarehouseRequest().setName("java-wh").setClusterSize("2X-Small").setAutoStopMins(10L).setMaxNumClusters(1L));
    String id = creating.getResponse().getId();
    GetWarehouseResponse wh = creating.get(TIMEOUT);
    out.put("warehouse", map("state", name(wh.getState()), "name", wh.getName(), "size", wh.getClusterSize(), "id_matches", id.equals(wh.getId())));
    out.put("warehouses_listed", all(w.warehouses().list(new ListWarehousesRequest())).stream().map(x -> x.getName()).collect(Collectors.toList()));
    out.put("stopped", name(w.warehouses().stop(new StopRequest().setId(id)).get(TIMEOUT).getState()));
    out.put("started", name(w.warehouses().start(new StartRequest().setId(id)).get(TIMEOUT).getState()));
    out.put("missing_warehouse", errorOf(() -> w.warehouses().get("nope")));

    StatementExecutionAPI se = w.statementExecution();
    StatementResponse r =
        se.executeStatement(
            new ExecuteStatementRequest()
                .setWarehouseId(id)
                .setStatement("SELECT range AS n, :tag AS tag, CAST(:d AS DATE) AS d FROM range(3) ORDER BY n")
                .setParameters(
                    List.of(
                        new StatementParameterListItem().setName("tag").setValue("x"),
                        new StatementParameterListItem().setName("d").setValue("2024-05-01").setType("DATE")))
                .setWaitTimeout("30s"));
    out.put("select", statementOut(r));
    StatementResponse again = se.getStatement(r.getStatementId());
    out.put("get_statement", map("state", name(again.getStatus().getState()), "rows", again.getResult() == null ? null : again.getResult().getDataArray(), "same_id", r.getStatementId().equals(again.getStatementId())));
    out.put("chunk0", se.getStatementResultChunkN(r.getStatementId(), 0L).getDataArray());

    StatementResponse failed = se.executeStatement(new ExecuteStatementRequest().setWarehouseId(id).setStatement("SELECT * FROM main.default.nowhere").setWaitTimeout("30s"));
    out.put(
        "failed",
        map(
            "state", name(failed.getStatus().getState()),
            "error_code", failed.getStatus().getError() == null ? null : name(failed.getStatus().getError().getErrorCode()),
            "message", failed.getStatus().getError() == null ? null : failed.getStatus().getError().getMessage()));
    out.put("bad_warehouse", errorOf(() -> se.executeStatement(new ExecuteStatementRequest().setWarehouseId("nope").setStatement("SELECT 1").setWaitTimeout("30s"))));
    out.put("missing_statement", errorOf(() -> se.getStatement("01ef0000-0000-0000-0000-000000000000")));

    // Unity Catalog through the SDK's catalog, schema and table APIs.
    CatalogInfo cat = w.catalogs().create(new CreateCatalog().setName("java_cat").setComment("from the java sdk"));
    out.put("catalog", map("name", cat.getName(), "comment", cat.getComment(), "owner", cat.getOwner()));
    out.put("catalogs", new TreeSet<>(all(w.catalogs().list(new ListCatalogsRequest())).stream().map(CatalogInfo::getName).collect(Collectors.toList())));
    SchemaInfo schema = w.schemas().create(new CreateSchema().setName("sales").setCatalogName("java_cat").setComment("sales data"));
    out.put("schema", map("full_name", schema.getFullName(), "catalog", schema.getCatalogName(), "comment", schema.getComment()));
    for (String s : List.of("a", "b", "c")) w.schemas().create(new CreateSchema().setName(s).setCatalogName("java_cat"));
    out.put(
        "schemas_paged",
        all(w.schemas().list(new ListSchemasRequest().setCatalogName("java_cat").setMaxResults(2L))).stream().map(SchemaInfo::getName).sorted().collect(Collectors.toList()));
    out.put("schema_get", w.schemas().get("java_cat.sales").getComment());

    StatementResponse ddl =
        se.executeStatement(
            new ExecuteStatementRequest()
                .setWarehouseId(id)
                .setStatement("CREATE TABLE java_cat.sales.orders (id BIGINT NOT NULL, amount DECIMAL(10,2), placed DATE) COMMENT 'orders'")
                .setWaitTimeout("30s"));
    out.put("ddl_state", name(ddl.getStatus().getState()));
    se.executeStatement(new ExecuteStatementRequest().setWarehouseId(id).setStatement("INSERT INTO java_cat.sales.orders VALUES (1, 9.99, DATE'2024-01-02')").setWaitTimeout("30s"));
    TableInfo t = w.tables().get("java_cat.sales.orders");
    out.put(
        "table",
        map(
            "full_name", t.getFullName(),
            "type", name(t.getTableType()),
            "format", name(t.getDataSourceFormat()),
            "comment", t.getComment(),
            "columns",
                t.getColumns().stream()
                    .map(c -> Arrays.asList(c.getName(), name(c.getTypeName()), c.getTypeText(), c.getNullable(), c.getPosition()))
                    .collect(Collectors.toList())));
    // tables/create (an external table described by its columns), then both are listed.
    TableInfo created =
        w.tables()
            .create(
                new CreateTableRequest()
                    .setName("events")
                    .setCatalogName("java_cat")
                    .setSchemaName("sales")
                    .setTableType(TableType.EXTERNAL)
                    .setDataSourceFormat(DataSourceFormat.DELTA)
                    .setStorageLocation("s3://bucket/java/events")
                    .setColumns(
                        List.of(
                            new com.databricks.sdk.service.catalog.ColumnInfo()
                                .setName("id")
                                .setTypeName(ColumnTypeName.LONG)
                                .setTypeText("bigint")
                                .setTypeJson("{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}}")
                                .setNullable(false)
                                .setPosition(0L))));
    out.put("table_created", map("full_name", created.getFullName(), "type", name(created.getTableType()), "storage", created.getStorageLocation()));
    out.put("tables", all(w.tables().list("java_cat", "sales")).stream().map(TableInfo::getFullName).sorted().collect(Collectors.toList()));
    out.put("table_exists", w.tables().exists("java_cat.sales.orders").getTableExists());
    StatementResponse rows = se.executeStatement(new ExecuteStatementRequest().setWarehouseId(id).setStatement("SELECT id, amount, placed FROM java_cat.sales.orders").setWaitTimeout("30s"));
    out.put("table_rows", rows.getResult().getDataArray());
    w.tables().delete("java_cat.sales.orders");
    out.put("table_missing", errorOf(() -> w.tables().get("java_cat.sales.orders")));
    out.put("table_exists_after_delete", w.tables().exists("java_cat.sales.orders").getTableExists());
    w.schemas().delete("java_cat.a");
    out.put("schema_missing", errorOf(() -> w.schemas().get("java_cat.a")));
    out.put("catalog_not_empty", errorOf(() -> {
      w.catalogs().delete("java_cat");
      return null;
    }));
    w.catalogs().delete(new DeleteCatalogRequest().setName("java_cat").setForce(true));
    out.put("catalog_missing", errorOf(() -> w.catalogs().get("java_cat")));

    w.warehouses().delete(id);
    out.put("warehouse_deleted", name(w.warehouses().get(id).getState()));
    return out;
  }

  // --- waiters on a running clock: intermediate states, cancel mid-run ----------------------------

  static Map<String, Object> waiters(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> seen = new ArrayList<>();
    ClusterDetails cluster =
        w.clusters()
            .create(new CreateCluster().setSparkVersion("15.4.x-scala2.12").setNodeTypeId("i3.xlarge").setNumWorkers(1L))
            .onProgress(c -> seen.add(name(c.getState())))
            .get(TIMEOUT);
    out.put("cluster_states_seen", new TreeSet<>(seen));
    out.put("cluster_state", name(cluster.getState()));
    long jobId =
        w.jobs()
            .create(
                new CreateJob()
                    .setName("slow")
                    .setTasks(
                        List.of(
                            new Task()
                                .setTaskKey("t")
                                .setExistingClusterId(cluster.getClusterId())
                                .setNotebookTask(new NotebookTask().setNotebookPath("/Shared/slow").setBaseParameters(Map.of("emulator.duration_s", "3600"))))))
            .getJobId();
    var waiter = w.jobs().runNow(new RunNow().setJobId(jobId));
    long runId = waiter.getResponse().getRunId();
    out.put("before_cancel", name(w.jobs().getRun(runId).getState().getLifeCycleState()));
    Run canceled = w.jobs().cancelRun(runId).get(TIMEOUT);
    out.put("canceled", map("life_cycle_state", name(canceled.getState().getLifeCycleState()), "result_state", name(canceled.getState().getResultState())));
    // The run-now waiter ends on TERMINATED whatever the result; callers read result_state.
    out.put("run_now_waiter", name(waiter.get(TIMEOUT).getState().getResultState()));
    out.put("cluster_terminated", name(w.clusters().delete(cluster.getClusterId()).get(TIMEOUT).getState()));
    return out;
  }

  // --- iam: tokens, permissions, OAuth M2M ----------------------------------------------------

  static Map<String, Object> iam(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    CreateTokenResponse created = w.tokens().create(new CreateTokenRequest().setComment("java-sdk").setLifetimeSeconds(3600L));
    PublicTokenInfo info = created.getTokenInfo();
    out.put("token", map("comment", info.getComment(), "has_value", created.getTokenValue() != null && !created.getTokenValue().isEmpty(), "expiry_after_creation", info.getExpiryTime() > info.getCreationTime()));
    WorkspaceClient mine = client(created.getTokenValue());
    out.put("token_list", all(mine.tokens().list()).stream().map(PublicTokenInfo::getComment).collect(Collectors.toList()));
    out.put("token_me", mine.currentUser().me().getUserName());
    w.tokens().delete(info.getTokenId());
    out.put("revoked", errorOf(() -> all(mine.tokens().list())));
    out.put("token_missing", errorOf(() -> { w.tokens().delete("no-such-token"); return null; }));

    long jobId = w.jobs().create(new CreateJob().setName("perm-job").setTasks(Arrays.asList(new Task().setTaskKey("t").setNotebookTask(new NotebookTask().setNotebookPath("/x"))))).getJobId();
    String job = Long.toString(jobId);
    w.permissions().set(new SetObjectPermissions().setRequestObjectType("jobs").setRequestObjectId(job).setAccessControlList(Arrays.asList(new AccessControlRequest().setGroupName("users").setPermissionLevel(PermissionLevel.CAN_VIEW))));
    ObjectPermissions perms = w.permissions().get("jobs", job);
    out.put("job_permissions", grants(perms));
    out.put("job_permissions_object", map("object_id", perms.getObjectId(), "object_type", perms.getObjectType()));
    TreeSet<String> levels = new TreeSet<>();
    for (PermissionsDescription d : w.permissions().getPermissionLevels("jobs", job).getPermissionLevels()) levels.add(name(d.getPermissionLevel()));
    out.put("job_permission_levels", new ArrayList<>(levels));
    out.put("permissions_bad_type", errorOf(() -> w.permissions().get("nonsense", "1")));

    WorkspaceClient sp = m2mClient(System.getenv("JAVA_SDK_CLIENT_SECRET"));
    out.put("m2m_me", sp.currentUser().me().getUserName());
    out.put("m2m_denied", errorOf(() -> { sp.jobs().delete(jobId); return null; }));
    try {
      m2mClient("wrong").currentUser().me();
      out.put("m2m_bad_secret", null);
    } catch (Exception e) { // the token request fails before any API call
      out.put("m2m_bad_secret", String.valueOf(e.getMessage()).contains("invalid_client"));
    }
    w.jobs().delete(jobId);
    return out;
  }

  // --- token management (admin): everyone's tokens, on-behalf-of tokens for a service principal ---

  static Map<String, Object> tokenManagement(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    User me = w.currentUser().me();
    long myId = Long.parseLong(me.getId());
    CreateOboTokenResponse obo =
        w.tokenManagement().createOboToken(new CreateOboTokenRequest().setApplicationId(System.getenv("JAVA_SDK_CLIENT_ID")).setLifetimeSeconds(3600L).setComment("java-obo"));
    TokenInfo info = obo.getTokenInfo();
    out.put(
        "obo",
        map(
            "has_value", obo.getTokenValue() != null && !obo.getTokenValue().isEmpty(),
            "comment", info.getComment(),
            "created_by", info.getCreatedByUsername(),
            "created_by_is_me", Long.valueOf(myId).equals(info.getCreatedById()),
            "lifetime_ms", info.getExpiryTime() - info.getCreationTime()));
    WorkspaceClient sp = client(obo.getTokenValue());
    User spMe = sp.currentUser().me();
    out.put("obo_me", spMe.getUserName());
    out.put("obo_owner_is_sp", Long.valueOf(spMe.getId()).equals(info.getOwnerId()));
    CreateTokenResponse mine = w.tokens().create(new CreateTokenRequest().setComment("java-own").setLifetimeSeconds(600L));
    out.put("listed", comments(w.tokenManagement().list(new ListTokenManagementRequest())));
    out.put("listed_by_name", comments(w.tokenManagement().list(new ListTokenManagementRequest().setCreatedByUsername(me.getUserName()))));
    out.put("listed_by_id", comments(w.tokenManagement().list(new ListTokenManagementRequest().setCreatedById(myId))));
    out.put("listed_nobody", comments(w.tokenManagement().list(new ListTokenManagementRequest().setCreatedByUsername("nobody@emulator.local"))));
    TokenInfo got = w.tokenManagement().get(info.getTokenId()).getTokenInfo();
    out.put("get", map("same_id", info.getTokenId().equals(got.getTokenId()), "comment", got.getComment(), "workspace_id", got.getWorkspaceId()));
    out.put("sp_denied", errorOf(() -> all(sp.tokenManagement().list(new ListTokenManagementRequest()))));
    w.tokenManagement().delete(info.getTokenId());
    out.put("revoked", errorOf(() -> sp.currentUser().me()));
    out.put("get_deleted", errorOf(() -> w.tokenManagement().get(info.getTokenId())));
    out.put("unknown_sp", errorOf(() -> w.tokenManagement().createOboToken(new CreateOboTokenRequest().setApplicationId("no-such-app").setLifetimeSeconds(60L))));
    TokenPermissions perms = w.tokenManagement().getPermissions();
    out.put("token_permissions", map("object_id", perms.getObjectId(), "object_type", perms.getObjectType()));
    out.put(
        "token_permission_levels",
        new ArrayList<>(new TreeSet<>(w.tokenManagement().getPermissionLevels().getPermissionLevels().stream().map(d -> name(d.getPermissionLevel())).collect(Collectors.toList()))));
    w.tokens().delete(mine.getTokenInfo().getTokenId());
    return out;
  }

  static List<String> comments(Iterable<TokenInfo> tokens) {
    return all(tokens).stream().map(TokenInfo::getComment).sorted().collect(Collectors.toList());
  }

  // --- grants: Unity Catalog privileges (w.grants) -------------------------------------------------

  /** Principal → sorted privileges, in the answer's order. */
  static List<List<Object>> assignments(java.util.Collection<PrivilegeAssignment> assignments) {
    List<List<Object>> out = new ArrayList<>();
    if (assignments == null) return out;
    for (PrivilegeAssignment a : assignments) {
      out.add(Arrays.asList(a.getPrincipal(), a.getPrivileges().stream().map(Conformance::name).sorted().collect(Collectors.toList())));
    }
    return out;
  }

  static Map<String, Object> ucGrants(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    w.catalogs().create(new CreateCatalog().setName("java_grants"));
    w.schemas().create(new CreateSchema().setName("raw").setCatalogName("java_grants"));
    PermissionsChange change = new PermissionsChange().setPrincipal("users").setAdd(List.of(Privilege.USE_CATALOG, Privilege.SELECT));
    // The securable type as the SDK's enum names it (upper case); the paths take lower case too.
    out.put(
        "updated",
        assignments(
            w.grants()
                .update(new UpdatePermissions().setSecurableType(SecurableType.CATALOG.toString()).setFullName("java_grants").setChanges(List.of(change)))
                .getPrivilegeAssignments()));
    out.put("get", assignments(w.grants().get(new GetGrantRequest().setSecurableType("catalog").setFullName("java_grants").setPrincipal("users")).getPrivilegeAssignments()));
    EffectivePermissionsList eff = w.grants().getEffective("schema", "java_grants.raw");
    List<List<Object>> effective = new ArrayList<>();
    for (EffectivePrivilegeAssignment a : eff.getPrivilegeAssignments()) {
      List<List<Object>> privileges = new ArrayList<>();
      for (EffectivePrivilege p : a.getPrivileges()) privileges.add(Arrays.asList(name(p.getPrivilege()), name(p.getInheritedFromType()), p.getInheritedFromName()));
      privileges.sort(Comparator.comparing(Object::toString));
      effective.add(Arrays.asList(a.getPrincipal(), privileges));
    }
    out.put("effective", effective);
    // SDK 0.60.0 has no paged grants list: get with max_results 0 (server-sized pages) follows next_page_token.
    List<String> listed = new ArrayList<>();
    String token = null;
    do {
      GetPermissionsResponse page = w.grants().get(new GetGrantRequest().setSecurableType("catalog").setFullName("java_grants").setMaxResults(0L).setPageToken(token));
      if (page.getPrivilegeAssignments() != null) for (PrivilegeAssignment a : page.getPrivilegeAssignments()) listed.add(a.getPrincipal());
      token = page.getNextPageToken();
    } while (token != null && !token.isEmpty());
    out.put("listed", listed);
    w.grants()
        .update(
            new UpdatePermissions()
                .setSecurableType("catalog")
                .setFullName("java_grants")
                .setChanges(List.of(new PermissionsChange().setPrincipal("users").setRemove(List.of(Privilege.SELECT)))));
    out.put("after_remove", assignments(w.grants().get("catalog", "java_grants").getPrivilegeAssignments()));
    out.put(
        "inapplicable_error",
        errorOf(
            () ->
                w.grants()
                    .update(
                        new UpdatePermissions()
                            .setSecurableType("schema")
                            .setFullName("java_grants.raw")
                            .setChanges(List.of(new PermissionsChange().setPrincipal("users").setAdd(List.of(Privilege.USE_CATALOG)))))));
    out.put(
        "principal_error",
        errorOf(
            () ->
                w.grants()
                    .update(
                        new UpdatePermissions()
                            .setSecurableType("catalog")
                            .setFullName("java_grants")
                            .setChanges(List.of(new PermissionsChange().setPrincipal("ghosts").setAdd(List.of(Privilege.USE_CATALOG)))))));
    out.put("missing_error", errorOf(() -> w.grants().get("catalog", "java_nope")));
    return out;
  }

  // --- iam_groups: SCIM groups, users, service principals --------------------------------------

  static PartialUpdate patchOf(String id, Patch... operations) {
    return new PartialUpdate().setId(id).setOperations(Arrays.asList(operations)).setSchemas(List.of(PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP));
  }

  static List<String> groupNames(Iterable<Group> groups) {
    return all(groups).stream().map(Group::getDisplayName).collect(Collectors.toList());
  }

  static Map<String, Object> iamGroups(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    List<User> users = all(w.users().list(new ListUsersRequest()));
    out.put("users", users.stream().map(User::getUserName).sorted().collect(Collectors.toList()));
    String adminId = users.stream().filter(u -> "admin@emulator.local".equals(u.getUserName())).findFirst().orElseThrow().getId();
    out.put("service_principals", all(w.servicePrincipals().list(new ListServicePrincipalsRequest())).stream().map(ServicePrincipal::getApplicationId).sorted().collect(Collectors.toList()));
    Group g =
        w.groups()
            .create(
                new Group()
                    .setDisplayName("java-team")
                    .setMembers(List.of(new ComplexValue().setValue(adminId)))
                    .setEntitlements(List.of(new ComplexValue().setValue("workspace-access"))));
    out.put(
        "created",
        map(
            "name", g.getDisplayName(),
            "members", g.getMembers() == null ? List.of() : g.getMembers().stream().map(m -> adminId.equals(m.getValue())).collect(Collectors.toList()),
            "entitlements", g.getEntitlements() == null ? List.of() : g.getEntitlements().stream().map(ComplexValue::getValue).collect(Collectors.toList())));
    for (int i = 0; i < 3; i++) w.groups().create(new Group().setDisplayName("java-page-" + i));
    // count 2 pages: the SDK's paginator advances startIndex by each page's length until an empty page.
    out.put("paged", groupNames(w.groups().list(new ListGroupsRequest().setFilter("displayName sw \"java-page-\"").setCount(2L))));
    out.put(
        "by_name",
        all(w.groups().list(new ListGroupsRequest().setFilter("displayName eq \"java-team\""))).stream().map(x -> g.getId().equals(x.getId())).collect(Collectors.toList()));
    out.put("contains", groupNames(w.groups().list(new ListGroupsRequest().setFilter("displayName co \"team\""))).stream().sorted().collect(Collectors.toList()));
    // attributes=displayName leaves the members out; SCIM always returns id, which the paginator dedupes by.
    out.put(
        "attributes",
        all(w.groups().list(new ListGroupsRequest().setFilter("displayName eq \"java-team\"").setAttributes("displayName"))).stream()
            .map(x -> map("name", x.getDisplayName(), "members", x.getMembers() == null ? 0 : x.getMembers().size()))
            .collect(Collectors.toList()));
    // Java only. SDK bug: GrpcTranscodingQueryParamsSerializer writes query enums with toString(),
    // the constant's name, not its @JsonProperty wire value: sortOrder=DESCENDING, not descending.
    out.put(
        "sort_order_error",
        errorOf(
            () ->
                all(
                    w.groups()
                        .list(
                            new ListGroupsRequest()
                                .setFilter("displayName sw \"java-page-\"")
                                .setSortBy("displayName")
                                .setSortOrder(com.databricks.sdk.service.iam.ListSortOrder.DESCENDING)))));
    out.put(
        "builtin",
        groupNames(w.groups().list(new ListGroupsRequest().setFilter("displayName eq \"admins\" or displayName eq \"users\""))).stream().sorted().collect(Collectors.toList()));
    w.groups()
        .patch(
            patchOf(
                g.getId(),
                new Patch().setOp(PatchOp.REMOVE).setPath("members[value eq \"" + adminId + "\"]"),
                new Patch().setOp(PatchOp.REPLACE).setPath("displayName").setValue("java-team-2")));
    w.groups().patch(patchOf(g.getId(), new Patch().setOp(PatchOp.ADD).setPath("members").setValue(List.of(Map.of("value", adminId)))));
    Group got = w.groups().get(g.getId());
    out.put(
        "patched",
        map("name", got.getDisplayName(), "members", got.getMembers() == null ? List.of() : got.getMembers().stream().map(m -> adminId.equals(m.getValue())).collect(Collectors.toList())));
    User me = w.currentUser().me();
    out.put("me_groups", me.getGroups() == null ? List.of() : me.getGroups().stream().map(ComplexValue::getDisplay).sorted().collect(Collectors.toList()));
    out.put("duplicate", errorOf(() -> w.groups().create(new Group().setDisplayName("java-team-2"))));
    out.put("bad_filter", errorOf(() -> all(w.groups().list(new ListGroupsRequest().setFilter("displayName eq")))));
    out.put(
        "bad_patch",
        errorOf(() -> {
          w.groups().patch(patchOf(g.getId(), new Patch().setOp(PatchOp.ADD).setPath("members").setValue(List.of(Map.of("value", "404")))));
          return null;
        }));
    // Java only: update (PUT) sends back the whole group as read (members with display and $ref, meta, schemas), renamed.
    Group replaced = w.groups().get(g.getId()).setDisplayName("java-team-3");
    w.groups().update(replaced);
    Group afterPut = w.groups().get(g.getId());
    out.put(
        "replaced",
        map(
            "name", afterPut.getDisplayName(),
            "members", afterPut.getMembers() == null ? List.of() : afterPut.getMembers().stream().map(m -> adminId.equals(m.getValue())).collect(Collectors.toList()),
            "entitlements", afterPut.getEntitlements() == null ? List.of() : afterPut.getEntitlements().stream().map(ComplexValue::getValue).collect(Collectors.toList())));
    String clusterId =
        w.clusters().create(new CreateCluster().setSparkVersion("16.4.x-scala2.12").setNodeTypeId("Standard_D4ds_v5").setNumWorkers(1L)).getResponse().getClusterId();
    out.put(
        "missing_principal",
        errorOf(
            () ->
                w.permissions()
                    .set(
                        new SetObjectPermissions()
                            .setRequestObjectType("clusters")
                            .setRequestObjectId(clusterId)
                            .setAccessControlList(List.of(new AccessControlRequest().setGroupName("java-nobody").setPermissionLevel(PermissionLevel.CAN_RESTART))))));
    ServicePrincipal sp = w.servicePrincipals().create(new ServicePrincipal().setDisplayName("java-bot").setApplicationId("java-bot-app"));
    out.put(
        "sp_listed",
        all(w.servicePrincipals().list(new ListServicePrincipalsRequest().setFilter("applicationId eq \"java-bot-app\""))).stream().map(ServicePrincipal::getDisplayName).collect(Collectors.toList()));
    w.servicePrincipals().delete(sp.getId());
    w.groups().delete(g.getId());
    out.put("after_delete", errorOf(() -> w.groups().get(g.getId())));
    out.put("delete_again", errorOf(() -> {
      w.groups().delete(g.getId());
      return null;
    }));
    return out;
  }

  // --- retries: the SDK's own retry loop against injected faults ------------------------------

  static Map<String, Object> retries(WorkspaceClient w) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    // The test installs fault rules first: 429 with Retry-After on spark-versions, 503 without it on list-node-types.
    out.put("spark_versions", w.clusters().sparkVersions().getVersions().size());
    out.put("node_types", w.clusters().listNodeTypes().getNodeTypes().size());
    // More than 1,000 files: the first recursive delete removes 1,000 and answers 503.
    for (int i = 0; i < 1001; i++) w.dbfs().put(new Put().setPath(String.format("/many/f%04d.txt", i)).setContents("").setOverwrite(true));
    w.dbfs().delete(new Delete().setPath("/many").setRecursive(true));
    boolean left = true;
    try {
      w.dbfs().getStatus("/many");
    } catch (DatabricksError e) {
      if (!"RESOURCE_DOES_NOT_EXIST".equals(e.getErrorCode())) throw e;
      left = false;
    }
    out.put("many_left", left);
    return out;
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    Map<String, Object> result;
    try {
      WorkspaceClient w = client();
      switch (mode) {
        case "compute":
          result = compute(w);
          break;
        case "policies":
          result = policies(w);
          break;
        case "jobs":
          result = jobs(w);
          break;
        case "files":
          result = files(w);
          break;
        case "volumes":
          result = volumes(w);
          break;
        case "sql":
          result = sql(w);
          break;
        case "waiters":
          result = waiters(w);
          break;
        case "iam":
          result = iam(w);
          break;
        case "grants":
          result = ucGrants(w);
          break;
        case "iam_groups":
          result = iamGroups(w);
          break;
        case "token_management":
          result = tokenManagement(w);
          break;
        case "retries":
          result = retries(w);
          break;
        default:
          throw new IllegalArgumentException("unknown mode " + mode + " (compute, policies, jobs, files, volumes, grants, sql, waiters, iam, iam_groups, token_management, retries)");
      }
    } catch (Throwable e) { // report, so the test shows the SDK's own message
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      System.out.println(JSON.writeValueAsString(map("error", e.getClass().getName() + ": " + e.getMessage(), "trace", trace.toString())));
      System.exit(1);
      return;
    }
    System.out.println(JSON.writeValueAsString(result));
  }
}
