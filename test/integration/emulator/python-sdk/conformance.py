"""The official Databricks Python SDK (databricks-sdk, unmodified) against the emulator.

Usage: python3 conformance.py <mode>   (modes: compute, policies, jobs, files, volumes, grants, iam, iam_groups, iam_users, token_management, sql,
       query_history, retries, waiters, notification_destinations, git_credentials, uc_storage, uc_connections, policy_compliance,
       warehouse_config)

Reads DATABRICKS_HOST and DATABRICKS_TOKEN (iam also PY_SDK_CLIENT_ID/SECRET, an OAuth client; token_management its id), drives the SDK's own waiters, iterators and mixins, and
prints ONE JSON object with what it observed; python-sdk.test.ts asserts on it. An unexpected
exception is printed as {"error": ...} and exits 1. Nothing here works around the emulator: where
the SDK and the emulator disagree, the emulator is wrong.
"""

import base64
import io
import json
import os
import sys
import traceback
from datetime import timedelta

from databricks.sdk import WorkspaceClient
from databricks.sdk import errors
from databricks.sdk.service import catalog, compute, jobs, sql, workspace
from databricks.sdk.service import iam
from databricks.sdk.service.iam import AccessControlRequest, PermissionLevel

TIMEOUT = timedelta(minutes=2)


def client(token=None):
    return WorkspaceClient(host=os.environ["DATABRICKS_HOST"], token=token or os.environ["DATABRICKS_TOKEN"])


def error_of(fn):
    """Runs fn, which must fail; returns the SDK exception's class chain, error code and message."""
    try:
        fn()
    except errors.DatabricksError as e:
        return {
            "type": type(e).__name__,
            "is": sorted(c.__name__ for c in type(e).__mro__ if issubclass(c, errors.DatabricksError)),
            "error_code": e.error_code,
            "message": str(e),
        }
    raise AssertionError("expected the call to fail")


def enum(v):
    return None if v is None else v.value


# --- compute: clusters, instance pools, libraries -------------------------------------------------


def compute_mode(w):
    out = {}
    # Filled from GET /.well-known/databricks-config while the client was built (else the SDK logs a fallback warning).
    out["config"] = {"workspace_id": w.config.workspace_id, "discovery_url": w.config.discovery_url}
    spark_version = w.clusters.select_spark_version(long_term_support=True)
    node_type = w.clusters.select_node_type(local_disk=True, min_memory_gb=16)
    out["selected"] = {"spark_version": spark_version, "node_type": node_type}

    cluster = w.clusters.create_and_wait(
        cluster_name="py-sdk",
        spark_version=spark_version,
        node_type_id=node_type,
        num_workers=1,
        autotermination_minutes=30,
        custom_tags={"team": "data"},
        timeout=TIMEOUT,
    )
    cid = cluster.cluster_id
    out["created"] = {"state": enum(cluster.state), "name": cluster.cluster_name, "workers": cluster.num_workers, "tags": cluster.custom_tags}
    out["listed"] = [(c.cluster_id == cid, c.cluster_name, enum(c.state)) for c in w.clusters.list()]
    out["events"] = [enum(e.type) for e in w.clusters.events(cid, order=compute.GetEventsOrder.ASC)]
    # page_size 1: the iterator follows next_page bodies until every event has been read.
    out["events_paged"] = [enum(e.type) for e in w.clusters.events(cid, order=compute.GetEventsOrder.ASC, page_size=1)]

    terminated = w.clusters.delete_and_wait(cid, timeout=TIMEOUT)
    out["deleted"] = {"state": enum(terminated.state), "reason": enum(terminated.termination_reason.code) if terminated.termination_reason else None}
    restarted = w.clusters.start_and_wait(cid, timeout=TIMEOUT)
    out["started"] = enum(restarted.state)
    out["start_running_error"] = error_of(lambda: w.clusters.start(cid))
    w.clusters.permanent_delete(cid)
    out["after_permanent_delete"] = error_of(lambda: w.clusters.get(cid))
    out["missing_cluster"] = error_of(lambda: w.clusters.get("0000-000000-nope"))

    pool = w.instance_pools.create(instance_pool_name="py-pool", node_type_id=node_type, min_idle_instances=1, max_capacity=4)
    got = w.instance_pools.get(pool.instance_pool_id)
    out["pool"] = {"state": enum(got.state), "name": got.instance_pool_name, "max": got.max_capacity, "node_type": got.node_type_id}
    out["pools_listed"] = [p.instance_pool_name for p in w.instance_pools.list()]
    w.instance_pools.edit(pool.instance_pool_id, instance_pool_name="py-pool-2", node_type_id=node_type, max_capacity=8)
    out["pool_edited"] = w.instance_pools.get(pool.instance_pool_id).instance_pool_name
    w.instance_pools.delete(pool.instance_pool_id)
    out["pool_deleted_state"] = enum(w.instance_pools.get(pool.instance_pool_id).state)

    lib_cluster = w.clusters.create_and_wait(spark_version=spark_version, node_type_id=node_type, num_workers=0, timeout=TIMEOUT)
    w.libraries.install(
        lib_cluster.cluster_id,
        [compute.Library(pypi=compute.PythonPyPiLibrary(package="pandas==2.2.0")), compute.Library(maven=compute.MavenLibrary(coordinates="org.jsoup:jsoup:1.7.2"))],
    )
    statuses = []
    for _ in range(50):
        statuses = sorted((json.dumps(s.library.as_dict(), sort_keys=True), enum(s.status)) for s in w.libraries.cluster_status(lib_cluster.cluster_id))
        if statuses and all(s == "INSTALLED" for _, s in statuses):
            break
    out["libraries"] = statuses
    out["libraries_all"] = [(a.cluster_id == lib_cluster.cluster_id, len(a.library_statuses or [])) for a in w.libraries.all_cluster_statuses()]
    w.libraries.uninstall(lib_cluster.cluster_id, [compute.Library(pypi=compute.PythonPyPiLibrary(package="pandas==2.2.0"))])
    out["libraries_after_uninstall"] = sorted(enum(s.status) for s in w.libraries.cluster_status(lib_cluster.cluster_id))
    w.clusters.permanent_delete(lib_cluster.cluster_id)
    return out


# --- cluster policies: CRUD, families, and clusters governed by a policy ---------------------------


def policies_mode(w):
    out = {}
    definition = json.dumps(
        {
            "num_workers": {"type": "range", "maxValue": 2},
            "runtime_engine": {"type": "fixed", "value": "PHOTON", "hidden": True},
            "autotermination_minutes": {"type": "unlimited", "defaultValue": 45, "isOptional": True},
            "custom_tags.team": {"type": "allowlist", "values": ["data", "ml"], "defaultValue": "data"},
        }
    )
    created = w.cluster_policies.create(name="py-policy", definition=definition, description="small", max_clusters_per_user=5)
    pid = created.policy_id
    got = w.cluster_policies.get(pid)
    out["policy"] = {"id_ok": got.policy_id == pid, "name": got.name, "description": got.description, "max": got.max_clusters_per_user, "rules": sorted(json.loads(got.definition))}
    w.cluster_policies.create(name="another", definition="{}")
    out["listed"] = [p.name for p in w.cluster_policies.list(sort_column=compute.ListSortColumn.POLICY_NAME, sort_order=compute.ListSortOrder.DESC)]
    out["duplicate_name"] = error_of(lambda: w.cluster_policies.create(name="py-policy", definition="{}"))

    spark_version = w.clusters.select_spark_version(long_term_support=True)
    node_type = w.clusters.select_node_type(local_disk=True, min_memory_gb=16)
    cluster = w.clusters.create_and_wait(spark_version=spark_version, node_type_id=node_type, num_workers=2, policy_id=pid, apply_policy_default_values=True, timeout=TIMEOUT)
    out["governed"] = {
        "state": enum(cluster.state),
        "policy_id_ok": cluster.policy_id == pid,
        "runtime_engine": enum(cluster.runtime_engine),
        "autotermination_minutes": cluster.autotermination_minutes,
        "tags": cluster.custom_tags,
    }
    out["rejected"] = error_of(lambda: w.clusters.create(spark_version=spark_version, node_type_id=node_type, num_workers=3, policy_id=pid, apply_policy_default_values=True))
    out["unknown_policy"] = error_of(lambda: w.clusters.create(spark_version=spark_version, node_type_id=node_type, num_workers=1, policy_id="0123456789ABCDEF"))
    out["clusters_after"] = len(list(w.clusters.list()))
    out.update(job_policy_checks(w, spark_version, node_type))

    pc = w.policy_compliance_for_clusters
    out["compliant_before"] = pc.get_compliance(cluster.cluster_id).is_compliant
    w.cluster_policies.edit(pid, name="py-policy-2", definition=json.dumps({"num_workers": {"type": "range", "maxValue": 1}}))
    after = pc.get_compliance(cluster.cluster_id)
    out["compliance_after"] = {"compliant": after.is_compliant, "violations": after.violations}
    out["listed_compliance"] = [(c.cluster_id == cluster.cluster_id, c.is_compliant) for c in pc.list_compliance(pid, page_size=1)]
    w.cluster_policies.edit(pid, name="py-policy-2", definition="{}")
    edited = w.cluster_policies.get(pid)
    out["edited"] = {"name": edited.name, "definition": edited.definition, "description": edited.description}
    out["families"] = [f.policy_family_id for f in w.policy_families.list(max_results=2)]
    out["family"] = w.policy_families.get("personal-vm").name
    w.cluster_policies.delete(pid)
    out["after_delete"] = error_of(lambda: w.cluster_policies.get(pid))
    w.clusters.permanent_delete(cluster.cluster_id)
    return out


def job_policy_checks(w, spark_version, node_type):
    """A job-only policy (cluster_type fixed "job"): jobs.submit launches its new_cluster with the policy's values, a violation is the SDK's typed error, clusters.create refuses it."""
    out = {}
    definition = json.dumps(
        {
            "cluster_type": {"type": "fixed", "value": "job"},
            "runtime_engine": {"type": "fixed", "value": "PHOTON"},
            "num_workers": {"type": "range", "maxValue": 2},
            "custom_tags.team": {"type": "unlimited", "defaultValue": "data", "isOptional": True},
        }
    )
    job_pid = w.cluster_policies.create(name="py-job-policy", definition=definition).policy_id

    def submit(workers):
        spec = compute.ClusterSpec(spark_version=spark_version, node_type_id=node_type, num_workers=workers, policy_id=job_pid, apply_policy_default_values=True)
        task = jobs.SubmitTask(task_key="governed", notebook_task=jobs.NotebookTask(notebook_path="/Shared/governed"), new_cluster=spec)
        return w.jobs.submit(run_name="py-job-policy-run", tasks=[task])

    run = submit(1).result(timeout=TIMEOUT)
    launched = run.cluster_spec.new_cluster
    cluster = w.clusters.get(run.tasks[0].cluster_instance.cluster_id)
    out["job_policy_run"] = {
        "life_cycle_state": enum(run.state.life_cycle_state),
        "result_state": enum(run.state.result_state),
        "spec": {"runtime_engine": enum(launched.runtime_engine), "tags": launched.custom_tags, "policy_id_ok": launched.policy_id == job_pid},
        "cluster": {"source": enum(cluster.cluster_source), "runtime_engine": enum(cluster.runtime_engine), "tags": cluster.custom_tags, "policy_id_ok": cluster.policy_id == job_pid},
    }
    runs_before = len(list(w.jobs.list_runs()))
    out["job_policy_rejected"] = error_of(lambda: submit(3))
    out["job_policy_runs_unchanged"] = len(list(w.jobs.list_runs())) == runs_before
    out["job_policy_all_purpose"] = error_of(lambda: w.clusters.create(spark_version=spark_version, node_type_id=node_type, num_workers=1, policy_id=job_pid))
    w.cluster_policies.delete(job_pid)
    return out


# --- jobs ---------------------------------------------------------------------------------------


def jobs_mode(w):
    out = {}
    job = w.jobs.create(
        name="py-sdk-job",
        tasks=[
            jobs.Task(task_key="ingest", notebook_task=jobs.NotebookTask(notebook_path="/Shared/ingest", base_parameters={"emulator.exit": "ingested 10 rows"})),
            jobs.Task(task_key="publish", depends_on=[jobs.TaskDependency(task_key="ingest")], spark_python_task=jobs.SparkPythonTask(python_file="/Shared/publish.py")),
        ],
        max_concurrent_runs=1,
    )
    got = w.jobs.get(job.job_id)
    out["job"] = {"name": got.settings.name, "tasks": [t.task_key for t in got.settings.tasks], "creator": got.creator_user_name}
    out["jobs_listed"] = [j.settings.name for j in w.jobs.list()]
    out["jobs_listed_expanded"] = [[t.task_key for t in j.settings.tasks] for j in w.jobs.list(expand_tasks=True)]

    run = w.jobs.run_now_and_wait(job.job_id, timeout=TIMEOUT)
    out["run"] = {
        "life_cycle_state": enum(run.state.life_cycle_state),
        "result_state": enum(run.state.result_state),
        "status": enum(run.status.state) if run.status else None,
        "tasks": sorted((t.task_key, enum(t.state.result_state)) for t in run.tasks),
        "job_id_matches": run.job_id == job.job_id,
    }
    ingest = next(t for t in run.tasks if t.task_key == "ingest")
    output = w.jobs.get_run_output(ingest.run_id)
    out["output"] = {"result": output.notebook_output.result if output.notebook_output else None, "task_run_id_matches": output.metadata.run_id == ingest.run_id if output.metadata else None}
    out["multi_task_output_error"] = error_of(lambda: w.jobs.get_run_output(run.run_id))

    # Three more runs, then list_runs pages through them two at a time.
    more = [w.jobs.run_now_and_wait(job.job_id, timeout=TIMEOUT).run_id for _ in range(3)]
    listed = [r.run_id for r in w.jobs.list_runs(job_id=job.job_id, limit=2)]
    out["list_runs"] = {"count": len(listed), "newest_first": listed == list(reversed([run.run_id] + more))}
    out["list_runs_expanded"] = [len(r.tasks or []) for r in w.jobs.list_runs(job_id=job.job_id, expand_tasks=True, limit=2)]

    failed = w.jobs.submit_and_wait(
        run_name="py-once",
        tasks=[jobs.SubmitTask(task_key="only", notebook_task=jobs.NotebookTask(notebook_path="/Shared/x", base_parameters={"emulator.outcome": "FAILED", "emulator.message": "bad row"}))],
        timeout=TIMEOUT,
    )
    out["submitted"] = {"life_cycle_state": enum(failed.state.life_cycle_state), "result_state": enum(failed.state.result_state), "run_type": enum(failed.run_type)}
    out["submitted_output_error"] = w.jobs.get_run_output(failed.tasks[0].run_id).error
    repaired = w.jobs.repair_run_and_wait(failed.run_id, rerun_all_failed_tasks=True, timeout=TIMEOUT)
    out["repaired"] = [enum(h.type) for h in repaired.repair_history or []]

    # jobs/update and a 2.1 create read back through the SDK's 2.2 get.
    w.jobs.update(job.job_id, new_settings=jobs.JobSettings(name="py-sdk-job-renamed"))
    out["renamed"] = w.jobs.get(job.job_id).settings.name
    legacy = w.api_client.do("POST", "/api/2.1/jobs/create", body={"name": "v21", "tasks": [{"task_key": "a", "spark_python_task": {"python_file": "/a.py"}}]})
    out["v21_job"] = w.jobs.get(legacy["job_id"]).settings.tasks[0].task_key

    w.jobs.delete(job.job_id)
    out["deleted_job"] = error_of(lambda: w.jobs.get(job.job_id))
    out["missing_run"] = error_of(lambda: w.jobs.get_run(987654321))
    out["bad_create"] = error_of(lambda: w.jobs.create(name="bad", tasks=[jobs.Task(task_key="a", depends_on=[jobs.TaskDependency(task_key="missing")], notebook_task=jobs.NotebookTask(notebook_path="/x"))]))
    return out


# --- files: workspace, DBFS, secrets ----------------------------------------------------------------


def files_mode(w):
    out = {}
    me = w.current_user.me()
    out["me"] = {"user_name": me.user_name, "active": me.active, "groups": [g.display for g in me.groups or []]}
    base = f"/Users/{me.user_name}/py-sdk"
    w.workspace.mkdirs(base)
    w.workspace.mkdirs(base)  # mkdirs on an existing directory succeeds

    w.workspace.upload(f"{base}/report", b'print("hi")\n', format=workspace.ImportFormat.SOURCE, language=workspace.Language.PYTHON)
    w.workspace.upload(f"{base}/etl.py", b"# Databricks notebook source\nx = 1\n", format=workspace.ImportFormat.AUTO)
    w.workspace.upload(f"{base}/data.csv", b"a,b\n1,2\n", format=workspace.ImportFormat.AUTO)
    ipynb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
            {"cell_type": "code", "metadata": {}, "source": ["print(1)"], "outputs": [], "execution_count": None},
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 2,
    }
    w.workspace.upload(f"{base}/nb", json.dumps(ipynb).encode(), format=workspace.ImportFormat.JUPYTER)
    w.workspace.import_(path=f"{base}/sql_nb", format=workspace.ImportFormat.SOURCE, language=workspace.Language.SQL, content=base64.b64encode(b"SELECT 1").decode())

    # Cases from the SDK's own integration tests (run against real workspaces): SOURCE keeps the .py name.
    w.workspace.upload(f"{base}/notebook.py", io.BytesIO(b"print(1)"))
    w.workspace.upload(f"{base}/notes.txt", io.BytesIO(b"print(1)"), format=workspace.ImportFormat.AUTO)
    with w.workspace.download(f"{base}/notebook.py") as f:
        out["download_notebook_py"] = f.read().decode()
    out["download_txt"] = w.workspace.download(f"{base}/notes.txt").read().decode()
    out["download_source"] = w.workspace.download(f"{base}/report").read().decode()
    out["download_auto_notebook"] = w.workspace.download(f"{base}/etl", format=workspace.ExportFormat.SOURCE).read().decode()
    out["download_file"] = w.workspace.download(f"{base}/data.csv", format=workspace.ExportFormat.AUTO).read().decode()
    jupyter = json.loads(w.workspace.download(f"{base}/nb", format=workspace.ExportFormat.JUPYTER).read())
    out["download_jupyter"] = [(c["cell_type"], "".join(c["source"])) for c in jupyter["cells"]]
    out["export_sql"] = base64.b64decode(w.workspace.export(f"{base}/sql_nb", format=workspace.ExportFormat.SOURCE).content).decode()
    out["list"] = sorted((o.path[len(base):], enum(o.object_type), enum(o.language)) for o in w.workspace.list(base))
    w.workspace.mkdirs(f"{base}/sub/deeper")
    w.workspace.upload(f"{base}/sub/deeper/leaf.txt", b"leaf", format=workspace.ImportFormat.AUTO)
    out["list_recursive"] = sorted(o.path[len(base):] for o in w.workspace.list(base, recursive=True))
    status = w.workspace.get_status(f"{base}/report")
    out["status"] = {"type": enum(status.object_type), "language": enum(status.language), "has_id": isinstance(status.object_id, int)}
    out["exists_error"] = error_of(lambda: w.workspace.upload(f"{base}/report", b"x", format=workspace.ImportFormat.SOURCE, language=workspace.Language.PYTHON))
    w.workspace.upload(f"{base}/report", b"print('v2')\n", format=workspace.ImportFormat.SOURCE, language=workspace.Language.PYTHON, overwrite=True)
    out["overwritten"] = w.workspace.download(f"{base}/report").read().decode()
    out["non_recursive_delete"] = error_of(lambda: w.workspace.delete(base))
    w.workspace.delete(base, recursive=True)
    out["deleted_status"] = error_of(lambda: w.workspace.get_status(f"{base}/report"))

    # DBFS through the SDK's file-like mixin (create/add-block/close, read) and the plain calls.
    data = bytes((i * 31 + 7) & 0xFF for i in range(2_500_000))
    w.dbfs.upload("/py-sdk/blob.bin", io.BytesIO(data), overwrite=True)
    back = w.dbfs.download("/py-sdk/blob.bin").read()
    out["dbfs_roundtrip"] = {"size": len(back), "same": back == data}
    w.dbfs.put("/py-sdk/small.txt", contents=base64.b64encode(b"hello dbfs").decode(), overwrite=True)
    out["dbfs_read"] = base64.b64decode(w.dbfs.read("/py-sdk/small.txt").data).decode()
    w.dbfs.mkdirs("/py-sdk/dir")
    out["dbfs_list"] = sorted((f.path, f.is_dir, f.file_size) for f in w.dbfs.list("/py-sdk"))
    out["dbfs_exists"] = [w.dbfs.exists("/py-sdk/small.txt"), w.dbfs.exists("/py-sdk/none.txt")]
    w.dbfs.move_("/py-sdk/small.txt", "/py-sdk/dir/moved.txt")  # the mixin; DBFS to DBFS is one dbfs/move
    out["dbfs_list_recursive"] = sorted(f.path for f in w.dbfs.list("/py-sdk", recursive=True))
    out["dbfs_exists_error"] = error_of(lambda: w.dbfs.put("/py-sdk/dir/moved.txt", contents=base64.b64encode(b"x").decode()))
    w.dbfs.delete("/py-sdk", recursive=True)
    out["dbfs_missing"] = error_of(lambda: w.dbfs.get_status("/py-sdk/blob.bin"))

    w.secrets.create_scope("py-scope")
    w.secrets.put_secret("py-scope", "db-password", string_value="s3cr3t")
    w.secrets.put_secret("py-scope", "blob", bytes_value=base64.b64encode(b"\x00\x01binary").decode())
    out["secret_keys"] = sorted(s.key for s in w.secrets.list_secrets("py-scope"))
    out["secret_value"] = base64.b64decode(w.secrets.get_secret("py-scope", "db-password").value).decode()
    out["secret_bytes"] = list(base64.b64decode(w.secrets.get_secret("py-scope", "blob").value))
    out["scopes"] = [(s.name, enum(s.backend_type)) for s in w.secrets.list_scopes()]
    w.secrets.put_acl("py-scope", "users", workspace.AclPermission.READ)
    out["acls"] = sorted(f"{a.principal}:{enum(a.permission)}" for a in w.secrets.list_acls("py-scope"))
    out["acl_get"] = enum(w.secrets.get_acl("py-scope", "users").permission)
    out["secret_missing"] = error_of(lambda: w.secrets.get_secret("py-scope", "nope"))
    out["scope_exists"] = error_of(lambda: w.secrets.create_scope("py-scope"))
    w.secrets.delete_secret("py-scope", "blob")
    out["secret_keys_after_delete"] = sorted(s.key for s in w.secrets.list_secrets("py-scope"))
    w.secrets.delete_scope("py-scope")
    out["scope_missing"] = error_of(lambda: list(w.secrets.list_secrets("py-scope")))
    return out


# --- volumes: Unity Catalog volumes and the Files API (w.files is the SDK's FilesExt mixin) ------


def volumes_mode(w):
    out = {}
    v = w.volumes.create(catalog_name="main", schema_name="default", name="py_vol", volume_type=catalog.VolumeType.MANAGED, comment="sdk")
    out["created"] = {"full_name": v.full_name, "type": enum(v.volume_type), "comment": v.comment, "has_id": bool(v.volume_id)}
    out["read"] = w.volumes.read("main.default.py_vol").volume_id == v.volume_id
    w.volumes.create(catalog_name="main", schema_name="default", name="py_ext", volume_type=catalog.VolumeType.EXTERNAL, storage_location="s3://bucket/py/")
    out["listed"] = sorted(x.name for x in w.volumes.list(catalog_name="main", schema_name="default", max_results=1))
    out["updated"] = w.volumes.update("main.default.py_ext", comment="changed").comment
    out["exists_error"] = error_of(lambda: w.volumes.create(catalog_name="main", schema_name="default", name="py_vol", volume_type=catalog.VolumeType.MANAGED))
    out["no_schema_error"] = error_of(lambda: w.volumes.create(catalog_name="main", schema_name="nope", name="x", volume_type=catalog.VolumeType.MANAGED))

    base = "/Volumes/main/default/py_vol"
    data = bytes(range(256)) * 40
    w.files.create_directory(f"{base}/in dir/sub")
    w.files.upload(f"{base}/in dir/data.bin", io.BytesIO(data))
    w.files.upload(f"{base}/in dir/note.txt", io.BytesIO(b"hello volume"), overwrite=True)
    got = w.files.download(f"{base}/in dir/data.bin")
    out["download"] = {"same": got.contents.read() == data, "length": got.content_length, "type": got.content_type, "has_last_modified": bool(got.last_modified)}
    meta = w.files.get_metadata(f"{base}/in dir/note.txt")
    out["metadata"] = {"length": meta.content_length, "type": meta.content_type}
    w.files.get_directory_metadata(f"{base}/in dir")
    out["listing"] = sorted((e.name, e.is_directory, e.file_size) for e in w.files.list_directory_contents(f"{base}/in dir", page_size=1))
    out["overwrite_false_error"] = error_of(lambda: w.files.upload(f"{base}/in dir/note.txt", io.BytesIO(b"x"), overwrite=False))
    out["not_empty_error"] = error_of(lambda: w.files.delete_directory(f"{base}/in dir"))
    w.files.delete(f"{base}/in dir/note.txt")
    w.files.delete_directory(f"{base}/in dir/sub")
    out["deleted_metadata_error"] = error_of(lambda: w.files.get_metadata(f"{base}/in dir/note.txt"))
    out["missing_dir_error"] = error_of(lambda: list(w.files.list_directory_contents(f"{base}/nope")))
    out["after_delete"] = sorted(e.name for e in w.files.list_directory_contents(f"{base}/in dir"))

    w.volumes.delete("main.default.py_vol")
    out["volume_gone"] = error_of(lambda: w.volumes.read("main.default.py_vol"))
    out["files_gone"] = error_of(lambda: w.files.get_metadata(f"{base}/in dir/data.bin"))
    return out


# --- grants: Unity Catalog privileges (w.grants) ----------------------------------------------------


def grants_mode(w):
    out = {}
    w.catalogs.create(name="py_grants")
    w.schemas.create(name="raw", catalog_name="py_grants")
    change = catalog.PermissionsChange(principal="users", add=[catalog.Privilege.USE_CATALOG, catalog.Privilege.SELECT])
    # The SDK's docs pass securable types as the enum's upper-case values; paths take lower case too.
    updated = w.grants.update(securable_type=catalog.SecurableType.CATALOG.value, full_name="py_grants", changes=[change])
    out["updated"] = [[a.principal, sorted(enum(p) for p in a.privileges)] for a in updated.privilege_assignments]
    got = w.grants.get(securable_type="catalog", full_name="py_grants", principal="users")
    out["get"] = [[a.principal, sorted(enum(p) for p in a.privileges)] for a in got.privilege_assignments]
    eff = w.grants.get_effective(securable_type="schema", full_name="py_grants.raw")
    out["effective"] = [[a.principal, sorted((enum(p.privilege), enum(p.inherited_from_type), p.inherited_from_name) for p in a.privileges)] for a in eff.privilege_assignments]
    out["listed"] = [a.principal for a in w.grants.list(securable_type="catalog", full_name="py_grants")]
    w.grants.update(securable_type="catalog", full_name="py_grants", changes=[catalog.PermissionsChange(principal="users", remove=[catalog.Privilege.SELECT])])
    out["after_remove"] = [[a.principal, [enum(p) for p in a.privileges]] for a in w.grants.get(securable_type="catalog", full_name="py_grants").privilege_assignments]
    out["inapplicable_error"] = error_of(lambda: w.grants.update(securable_type="schema", full_name="py_grants.raw", changes=[catalog.PermissionsChange(principal="users", add=[catalog.Privilege.USE_CATALOG])]))
    out["principal_error"] = error_of(lambda: w.grants.update(securable_type="catalog", full_name="py_grants", changes=[catalog.PermissionsChange(principal="ghosts", add=[catalog.Privilege.USE_CATALOG])]))
    out["missing_error"] = error_of(lambda: w.grants.get(securable_type="catalog", full_name="py_nope"))
    return out


# --- iam: tokens, permissions ---------------------------------------------------------------------


def iam_mode(w):
    out = {}
    created = w.tokens.create(comment="py-sdk", lifetime_seconds=3600)
    out["token"] = {"comment": created.token_info.comment, "has_value": bool(created.token_value), "expiry_after_creation": created.token_info.expiry_time > created.token_info.creation_time}
    mine = client(created.token_value)
    out["token_list"] = [t.comment for t in mine.tokens.list()]
    out["token_me"] = mine.current_user.me().user_name
    w.tokens.delete(created.token_info.token_id)
    out["revoked"] = error_of(lambda: list(mine.tokens.list()))
    out["token_missing"] = error_of(lambda: w.tokens.delete("no-such-token"))

    job = w.jobs.create(name="perm-job", tasks=[jobs.Task(task_key="t", notebook_task=jobs.NotebookTask(notebook_path="/x"))])
    w.permissions.set(
        "jobs",
        str(job.job_id),
        access_control_list=[AccessControlRequest(group_name="users", permission_level=PermissionLevel.CAN_VIEW)],
    )
    perms = w.permissions.get("jobs", str(job.job_id))
    out["job_permissions"] = sorted(
        (a.group_name or a.user_name or a.service_principal_name, sorted(enum(p.permission_level) for p in a.all_permissions)) for a in perms.access_control_list
    )
    out["job_permissions_object"] = {"object_id": perms.object_id, "object_type": perms.object_type}
    levels = w.permissions.get_permission_levels("jobs", str(job.job_id))
    out["job_permission_levels"] = sorted(enum(l.permission_level) for l in levels.permission_levels)
    job_perms = w.jobs.get_permissions(str(job.job_id))
    out["jobs_get_permissions"] = sorted(a.group_name or a.user_name for a in job_perms.access_control_list)
    w.jobs.update_permissions(str(job.job_id), access_control_list=[jobs.JobAccessControlRequest(user_name="admin@emulator.local", permission_level=jobs.JobPermissionLevel.CAN_MANAGE)])
    out["jobs_update_permissions"] = sorted(a.group_name or a.user_name for a in w.jobs.get_permissions(str(job.job_id)).access_control_list)

    cluster = w.clusters.create_and_wait(spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge", num_workers=0, timeout=TIMEOUT)
    w.clusters.set_permissions(cluster.cluster_id, access_control_list=[compute.ClusterAccessControlRequest(group_name="users", permission_level=compute.ClusterPermissionLevel.CAN_RESTART)])
    cperms = w.clusters.get_permissions(cluster.cluster_id)
    out["cluster_permissions"] = sorted((a.group_name or a.user_name, sorted(enum(p.permission_level) for p in a.all_permissions)) for a in cperms.access_control_list)
    out["permissions_bad_type"] = error_of(lambda: w.permissions.get("nonsense", "1"))
    # OAuth M2M: host metadata names the OIDC endpoint, discovery gives the token endpoint.
    sp = WorkspaceClient(host=os.environ["DATABRICKS_HOST"], client_id=os.environ["PY_SDK_CLIENT_ID"], client_secret=os.environ["PY_SDK_CLIENT_SECRET"], auth_type="oauth-m2m")
    out["m2m_me"] = sp.current_user.me().user_name
    out["m2m_denied"] = error_of(lambda: sp.clusters.pin(cluster.cluster_id))
    bad = WorkspaceClient(host=os.environ["DATABRICKS_HOST"], client_id=os.environ["PY_SDK_CLIENT_ID"], client_secret="wrong", auth_type="oauth-m2m")
    try:
        bad.current_user.me()
        out["m2m_bad_secret"] = None
    except Exception as e:  # the token request fails before any API call
        out["m2m_bad_secret"] = "invalid_client" in str(e)

    w.clusters.permanent_delete(cluster.cluster_id)
    w.jobs.delete(job.job_id)
    return out


# --- token management (admin): everyone's tokens, on-behalf-of tokens for a service principal ----


def token_management_mode(w):
    out = {}
    me = w.current_user.me()
    obo = w.token_management.create_obo_token(application_id=os.environ["PY_SDK_CLIENT_ID"], lifetime_seconds=3600, comment="py-obo")
    info = obo.token_info
    out["obo"] = {
        "has_value": bool(obo.token_value),
        "comment": info.comment,
        "created_by": info.created_by_username,
        "created_by_is_me": info.created_by_id == int(me.id),
        "lifetime_ms": info.expiry_time - info.creation_time,
    }
    sp = client(obo.token_value)
    sp_me = sp.current_user.me()
    out["obo_me"] = sp_me.user_name
    out["obo_owner_is_sp"] = info.owner_id == int(sp_me.id)
    mine = w.tokens.create(comment="py-own", lifetime_seconds=600)
    out["listed"] = sorted(t.comment for t in w.token_management.list())
    out["listed_by_name"] = sorted(t.comment for t in w.token_management.list(created_by_username=me.user_name))
    out["listed_by_id"] = sorted(t.comment for t in w.token_management.list(created_by_id=int(me.id)))
    out["listed_nobody"] = list(w.token_management.list(created_by_username="nobody@emulator.local"))
    got = w.token_management.get(info.token_id).token_info
    out["get"] = {"same_id": got.token_id == info.token_id, "comment": got.comment, "workspace_id": got.workspace_id}
    out["sp_denied"] = error_of(lambda: list(sp.token_management.list()))
    w.token_management.delete(info.token_id)
    out["revoked"] = error_of(lambda: sp.current_user.me())
    out["get_deleted"] = error_of(lambda: w.token_management.get(info.token_id))
    out["unknown_sp"] = error_of(lambda: w.token_management.create_obo_token(application_id="no-such-app", lifetime_seconds=60))
    perms = w.token_management.get_permissions()
    out["token_permissions"] = {"object_id": perms.object_id, "object_type": perms.object_type}
    out["token_permission_levels"] = sorted(enum(l.permission_level) for l in w.token_management.get_permission_levels().permission_levels)
    w.tokens.delete(mine.token_info.token_id)
    return out


# --- sql: warehouses, statement execution, Unity Catalog -------------------------------------------


def sql_mode(w):
    out = {}
    wh = w.warehouses.create_and_wait(name="py-wh", cluster_size="2X-Small", auto_stop_mins=10, max_num_clusters=1, timeout=TIMEOUT)
    out["warehouse"] = {"state": enum(wh.state), "name": wh.name, "size": wh.cluster_size}
    out["warehouses_listed"] = [x.name for x in w.warehouses.list()]
    stopped = w.warehouses.stop_and_wait(wh.id, timeout=TIMEOUT)
    out["stopped"] = enum(stopped.state)
    started = w.warehouses.start_and_wait(wh.id, timeout=TIMEOUT)
    out["started"] = enum(started.state)
    w.warehouses.edit_and_wait(wh.id, name="py-wh-2", cluster_size="Small", auto_stop_mins=20, timeout=TIMEOUT)
    edited = w.warehouses.get(wh.id)
    out["edited"] = {"name": edited.name, "size": edited.cluster_size, "auto_stop": edited.auto_stop_mins}
    out["missing_warehouse"] = error_of(lambda: w.warehouses.get("nope"))

    se = w.statement_execution
    r = se.execute_statement(
        warehouse_id=wh.id,
        statement="SELECT range AS n, :tag AS tag, CAST(:d AS DATE) AS d FROM range(3) ORDER BY n",
        parameters=[sql.StatementParameterListItem(name="tag", value="x"), sql.StatementParameterListItem(name="d", value="2024-05-01", type="DATE")],
        wait_timeout="30s",
    )
    out["select"] = {
        "state": enum(r.status.state),
        "columns": [(c.name, enum(c.type_name), c.type_text) for c in r.manifest.schema.columns],
        "rows": r.result.data_array,
        "total_row_count": r.manifest.total_row_count,
        "format": enum(r.manifest.format),
    }
    again = se.get_statement(r.statement_id)
    out["get_statement"] = {"state": enum(again.status.state), "rows": again.result.data_array if again.result else None, "same_id": again.statement_id == r.statement_id}
    chunk = se.get_statement_result_chunk_n(r.statement_id, 0)
    out["chunk0"] = chunk.data_array

    # wait_timeout 0s: the statement comes back PENDING/RUNNING or already done; follow up with get.
    async_r = se.execute_statement(warehouse_id=wh.id, statement="SELECT 40 + 2 AS answer", wait_timeout="0s", on_wait_timeout=sql.ExecuteStatementRequestOnWaitTimeout.CONTINUE)
    polled = async_r
    for _ in range(100):
        if polled.status.state not in (sql.StatementState.PENDING, sql.StatementState.RUNNING):
            break
        polled = se.get_statement(async_r.statement_id)
    out["async"] = {"first_state": enum(async_r.status.state), "state": enum(polled.status.state), "rows": polled.result.data_array}

    failed = se.execute_statement(warehouse_id=wh.id, statement="SELECT * FROM main.default.nowhere", wait_timeout="30s")
    out["failed"] = {"state": enum(failed.status.state), "error_code": enum(failed.status.error.error_code), "message": failed.status.error.message}
    out["bad_warehouse"] = error_of(lambda: se.execute_statement(warehouse_id="nope", statement="SELECT 1", wait_timeout="30s"))
    out["missing_statement"] = error_of(lambda: se.get_statement("01ef0000-0000-0000-0000-000000000000"))

    # Unity Catalog through the SDK's own catalog/schema/table APIs (tables created through SQL).
    cat = w.catalogs.create("py_cat", comment="from the python sdk")
    out["catalog"] = {"name": cat.name, "comment": cat.comment, "owner": cat.owner}
    out["catalogs"] = sorted(c.name for c in w.catalogs.list())
    schema = w.schemas.create("sales", "py_cat", comment="sales data")
    out["schema"] = {"full_name": schema.full_name, "catalog": schema.catalog_name}
    for s in ("a", "b", "c"):
        w.schemas.create(s, "py_cat")
    out["schemas_paged"] = sorted(s.name for s in w.schemas.list("py_cat", max_results=2))
    ddl = se.execute_statement(warehouse_id=wh.id, statement="CREATE TABLE py_cat.sales.orders (id BIGINT NOT NULL, amount DECIMAL(10,2), placed DATE) COMMENT 'orders'", wait_timeout="30s")
    out["ddl_state"] = enum(ddl.status.state)
    se.execute_statement(warehouse_id=wh.id, statement="INSERT INTO py_cat.sales.orders VALUES (1, 9.99, DATE'2024-01-02')", wait_timeout="30s")
    t = w.tables.get("py_cat.sales.orders")
    out["table"] = {
        "full_name": t.full_name,
        "type": enum(t.table_type),
        "format": enum(t.data_source_format),
        "comment": t.comment,
        "columns": [(c.name, enum(c.type_name), c.type_text, c.nullable, c.position) for c in t.columns],
    }
    out["tables"] = [x.full_name for x in w.tables.list("py_cat", "sales")]
    out["table_summaries"] = [(x.full_name, enum(x.table_type)) for x in w.tables.list_summaries("py_cat", table_name_pattern="ord%", max_results=1)]
    current = w.metastores.current()
    out["metastore"] = {"default_catalog": current.default_catalog_name, "same_as_table": current.metastore_id == t.metastore_id, "summary_id_matches": w.metastores.summary().metastore_id == current.metastore_id}
    out["table_exists"] = w.tables.exists("py_cat.sales.orders").table_exists
    rows = se.execute_statement(warehouse_id=wh.id, statement="SELECT id, amount, placed FROM py_cat.sales.orders", wait_timeout="30s")
    out["table_rows"] = rows.result.data_array
    w.tables.delete("py_cat.sales.orders")
    out["table_missing"] = error_of(lambda: w.tables.get("py_cat.sales.orders"))
    w.schemas.update("py_cat.sales", comment="renamed comment")
    out["schema_comment"] = w.schemas.get("py_cat.sales").comment
    w.schemas.delete("py_cat.sales")
    out["schema_missing"] = error_of(lambda: w.schemas.get("py_cat.sales"))
    out["catalog_not_empty"] = error_of(lambda: w.catalogs.delete("py_cat"))
    w.catalogs.delete("py_cat", force=True)
    out["catalog_missing"] = error_of(lambda: w.catalogs.get("py_cat"))

    w.warehouses.delete(wh.id)
    out["warehouse_deleted"] = enum(w.warehouses.get(wh.id).state)
    return out


# --- query_history: what the warehouse ran, through w.query_history.list ---------------------------


def query_history_mode(w):
    out = {}
    wh = w.warehouses.create_and_wait(name="py-qh", cluster_size="2X-Small", auto_stop_mins=10, max_num_clusters=1, timeout=TIMEOUT)
    se = w.statement_execution
    ok = se.execute_statement(warehouse_id=wh.id, statement="SELECT range AS n FROM range(4)", wait_timeout="30s")
    bad = se.execute_statement(warehouse_id=wh.id, statement="SELECT * FROM main.default.nowhere", wait_timeout="30s")
    label = {ok.statement_id: "ok", bad.statement_id: "bad"}
    qh = w.query_history
    listed = qh.list().res
    out["all"] = [
        {
            "id": label.get(q.query_id),
            "status": enum(q.status),
            "type": enum(q.statement_type),
            "text": q.query_text,
            "rows": q.rows_produced,
            "user": q.user_name,
            "on_warehouse": q.warehouse_id == wh.id and q.endpoint_id == wh.id,
            "timed": q.query_end_time_ms - q.query_start_time_ms == q.duration,
            "is_final": q.is_final,
            "has_metrics": q.metrics is not None,
        }
        for q in listed
    ]
    me = w.current_user.me()
    start = next(q.query_start_time_ms for q in listed if q.query_id == ok.statement_id)
    flt = sql.QueryFilter(
        warehouse_ids=[wh.id],
        user_ids=[int(me.id)],
        statuses=[sql.QueryStatus.FINISHED],
        query_start_time_range=sql.TimeRange(start_time_ms=start, end_time_ms=start + 60_000),
    )
    out["filtered"] = [label.get(q.query_id) for q in qh.list(filter_by=flt).res]
    failed = qh.list(filter_by=sql.QueryFilter(statuses=[sql.QueryStatus.FAILED])).res
    out["failed"] = [(label.get(q.query_id), q.error_message) for q in failed]
    out["nobody"] = qh.list(filter_by=sql.QueryFilter(statement_ids=["01ef0000-0000-0000-0000-000000000000"])).res
    first = qh.list(max_results=1)
    second = qh.list(max_results=1, page_token=first.next_page_token)
    out["pages"] = [([label.get(q.query_id) for q in p.res], p.has_next_page) for p in (first, second)]
    m = qh.list(filter_by=sql.QueryFilter(statement_ids=[ok.statement_id]), include_metrics=True).res[0].metrics
    out["metrics"] = {"rows": m.rows_produced_count, "from_cache": m.result_from_cache, "total_is_duration": m.total_time_ms == listed[-1].duration}
    out["bad_max_results"] = error_of(lambda: qh.list(max_results=1000))
    w.warehouses.delete(wh.id)
    return out


# --- waiters on a running clock: intermediate states, cancel mid-run --------------------------------


def waiters_mode(w):
    out = {}
    seen = []
    cluster = w.clusters.create(spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge", num_workers=1).result(timeout=TIMEOUT, callback=lambda c: seen.append(enum(c.state)))
    out["cluster_states_seen"] = sorted(set(seen))
    out["cluster_state"] = enum(cluster.state)
    job = w.jobs.create(name="slow", tasks=[jobs.Task(task_key="t", notebook_task=jobs.NotebookTask(notebook_path="/Shared/slow", base_parameters={"emulator.duration_s": "3600"}), existing_cluster_id=cluster.cluster_id)])
    waiter = w.jobs.run_now(job.job_id)
    running = w.jobs.get_run(waiter.run_id)
    out["before_cancel"] = enum(running.state.life_cycle_state)
    canceled = w.jobs.cancel_run_and_wait(waiter.run_id, timeout=TIMEOUT)
    out["canceled"] = {"life_cycle_state": enum(canceled.state.life_cycle_state), "result_state": enum(canceled.state.result_state)}
    # The run-now waiter ends on TERMINATED whatever the result; callers read result_state.
    out["run_now_waiter"] = enum(waiter.result(timeout=TIMEOUT).state.result_state)
    terminated = w.clusters.delete_and_wait(cluster.cluster_id, timeout=TIMEOUT)
    out["cluster_terminated"] = enum(terminated.state)
    return out


# --- retries: the SDK's own handling of 429/503 (Retry-After) and of the DBFS partial-delete 503 ----


def retries_mode(w):
    out = {}
    # The test installs fault rules first: 429 with Retry-After on spark-versions, 503 without it on list-node-types.
    out["spark_versions"] = len(w.clusters.spark_versions().versions)
    out["node_types"] = len(w.clusters.list_node_types().node_types)
    # More than 1,000 files: the first recursive delete removes 1,000 and answers 503; the SDK repeats it.
    for i in range(1001):
        w.dbfs.put(f"/many/f{i:04d}.txt", contents="", overwrite=True)
    w.dbfs.delete("/many", recursive=True)
    out["many_left"] = w.dbfs.exists("/many")
    return out


# --- iam_groups: SCIM groups, users, service principals ------------------------------------------


def iam_groups_mode(w):
    out = {}
    users = list(w.users.list())
    out["users"] = sorted(u.user_name for u in users)
    admin = next(u for u in users if u.user_name == "admin@emulator.local")
    out["service_principals"] = sorted(s.application_id for s in w.service_principals.list())
    g = w.groups.create(display_name="py-team", members=[iam.ComplexValue(value=admin.id)], entitlements=[iam.ComplexValue(value="workspace-access")])
    out["created"] = {"name": g.display_name, "members": [m.value == admin.id for m in g.members or []], "entitlements": [e.value for e in g.entitlements or []]}
    for i in range(3):
        w.groups.create(display_name=f"py-page-{i}")
    # count=2 pages: the SDK's iterator advances startIndex by each page's length until an empty page.
    out["paged"] = [x.display_name for x in w.groups.list(filter='displayName sw "py-page-"', count=2)]
    out["by_name"] = [x.id == g.id for x in w.groups.list(filter='displayName eq "py-team"')]
    out["contains"] = sorted(x.display_name for x in w.groups.list(filter='displayName co "team"'))
    listed = list(w.groups.list(filter='displayName eq "py-team"', attributes="displayName"))
    out["attributes"] = [{"name": x.display_name, "members": len(x.members or [])} for x in listed]
    out["builtin"] = sorted(x.display_name for x in w.groups.list(filter='displayName eq "admins" or displayName eq "users"'))
    w.groups.patch(
        g.id,
        operations=[
            iam.Patch(op=iam.PatchOp.REMOVE, path=f'members[value eq "{admin.id}"]'),
            iam.Patch(op=iam.PatchOp.REPLACE, path="displayName", value="py-team-2"),
        ],
        schemas=[iam.PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP],
    )
    w.groups.patch(g.id, operations=[iam.Patch(op=iam.PatchOp.ADD, path="members", value=[{"value": admin.id}])], schemas=[iam.PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP])
    got = w.groups.get(g.id)
    out["patched"] = {"name": got.display_name, "members": [m.value == admin.id for m in got.members or []]}
    out["me_groups"] = sorted(x.display for x in w.current_user.me().groups or [])
    out["duplicate"] = error_of(lambda: w.groups.create(display_name="py-team-2"))
    out["bad_filter"] = error_of(lambda: list(w.groups.list(filter="displayName eq")))
    out["bad_patch"] = error_of(lambda: w.groups.patch(g.id, operations=[iam.Patch(op=iam.PatchOp.ADD, path="members", value=[{"value": "404"}])], schemas=[iam.PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP]))
    out["missing_principal"] = error_of(
        lambda: w.permissions.set("clusters", w.clusters.create(spark_version="16.4.x-scala2.12", node_type_id="Standard_D4ds_v5", num_workers=1).cluster_id, access_control_list=[AccessControlRequest(group_name="py-nobody", permission_level=PermissionLevel.CAN_RESTART)])
    )
    sp = w.service_principals.create(display_name="py-bot", application_id="py-bot-app")
    out["sp_listed"] = [s.display_name for s in w.service_principals.list(filter='applicationId eq "py-bot-app"')]
    w.service_principals.delete(sp.id)
    w.groups.delete(g.id)
    out["after_delete"] = error_of(lambda: w.groups.get(g.id))
    out["delete_again"] = error_of(lambda: w.groups.delete(g.id))
    return out


MODES = {"compute": compute_mode, "policies": policies_mode, "jobs": jobs_mode, "files": files_mode, "volumes": volumes_mode, "grants": grants_mode, "iam": iam_mode, "iam_groups": iam_groups_mode, "token_management": token_management_mode, "sql": sql_mode, "query_history": query_history_mode, "waiters": waiters_mode, "retries": retries_mode}


# --- notification_destinations: the Notification Destinations API (settings) ------------------------


def notification_destinations_mode(w):
    from databricks.sdk.service import settings

    nd = w.notification_destinations
    out = {}

    def shown(d):
        return {"display_name": d.display_name, "type": enum(d.destination_type), "config": d.config.as_dict() if d.config else None}

    hook = nd.create(display_name="py-hook", config=settings.Config(generic_webhook=settings.GenericWebhookConfig(url="https://example.test/hook", username="databricks", password="py-hook-password")))
    out["created"] = shown(hook)
    out["got"] = shown(nd.get(hook.id))
    out["id_matches"] = nd.get(hook.id).id == hook.id
    others = [
        settings.Config(slack=settings.SlackConfig(url="https://hooks.slack.test/T0/B0/py")),
        settings.Config(microsoft_teams=settings.MicrosoftTeamsConfig(url="https://teams.test/webhookb2/py")),
        settings.Config(pagerduty=settings.PagerdutyConfig(integration_key="py-pd-key")),
        settings.Config(email=settings.EmailConfig(addresses=["py@example.test"])),
    ]
    out["others"] = [shown(nd.create(display_name=f"py-{i}", config=c)) for i, c in enumerate(others)]
    # page_size=2: the SDK's iterator follows next_page_token until a page has none.
    out["listed"] = [[x.display_name, enum(x.destination_type), x.id == hook.id] for x in nd.list(page_size=2)]
    updated = nd.update(hook.id, display_name="py-hook-2", config=settings.Config(generic_webhook=settings.GenericWebhookConfig(password="")))
    out["updated"] = shown(updated)
    out["type_change"] = error_of(lambda: nd.update(hook.id, config=settings.Config(slack=settings.SlackConfig(url="https://hooks.slack.test/x"))))
    out["no_config"] = error_of(lambda: nd.create(display_name="py-bad", config=settings.Config()))
    nd.delete(hook.id)
    out["after_delete"] = error_of(lambda: nd.get(hook.id))
    out["delete_again"] = error_of(lambda: nd.delete(hook.id))
    out["remaining"] = sorted(x.display_name for x in nd.list())
    return out


MODES["notification_destinations"] = notification_destinations_mode


# --- iam_users: SCIM users' replace (PUT) and PATCH, a service principal's PATCH -------------------


def iam_users_mode(w):
    out = {}
    schemas = [iam.PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP]
    ents = lambda r: sorted(e.value for e in r.entitlements or [])
    team = w.groups.create(display_name="py-users-team")
    u = w.users.create(user_name="py-user@corp.com", display_name="Py", entitlements=[iam.ComplexValue(value="workspace-access")])
    out["update_returned"] = w.users.update(
        u.id, user_name="py-user2@corp.com", display_name="Py 2", active=False, emails=[iam.ComplexValue(value="py-user2@corp.com", type="work", primary=True)], groups=[iam.ComplexValue(value=team.id)]
    )
    got = w.users.get(u.id)
    out["updated"] = {"user_name": got.user_name, "display_name": got.display_name, "active": got.active, "emails": [e.value for e in got.emails or []], "groups": [g.display for g in got.groups or []], "entitlements": ents(got)}
    out["team_members"] = [m.value == u.id for m in w.groups.get(team.id).members or []]
    out["inactive"] = [x.user_name for x in w.users.list(filter="active eq false")]
    out["patch_returned"] = w.users.patch(
        u.id,
        operations=[
            iam.Patch(op=iam.PatchOp.ADD, path="entitlements", value=[{"value": "allow-cluster-create"}, {"value": "databricks-sql-access"}]),
            iam.Patch(op=iam.PatchOp.REMOVE, path='entitlements[value eq "allow-cluster-create"]'),
            iam.Patch(op=iam.PatchOp.REPLACE, path="active", value=True),
            iam.Patch(op=iam.PatchOp.REMOVE, path=f'groups[value eq "{team.id}"]'),
        ],
        schemas=schemas,
    )
    got = w.users.get(u.id)
    out["patched"] = {"active": got.active, "groups": [g.display for g in got.groups or []], "entitlements": ents(got)}
    out["duplicate"] = error_of(lambda: w.users.update(u.id, user_name="admin@emulator.local"))
    out["bad_patch"] = error_of(lambda: w.users.patch(u.id, operations=[iam.Patch(op=iam.PatchOp.REMOVE, path="userName")], schemas=schemas))
    me = w.current_user.me()
    out["configured_rename"] = error_of(lambda: w.users.update(me.id, user_name="someone-else@emulator.local"))
    sp = w.service_principals.create(application_id="py-users-app", display_name="py-bot")
    # SDK finding: Patch.as_dict drops a falsy value, so value=False goes out without one.
    out["false_dropped"] = error_of(lambda: w.service_principals.patch(sp.id, operations=[iam.Patch(op=iam.PatchOp.REPLACE, path="active", value=False)], schemas=schemas))
    out["sp_patch_returned"] = w.service_principals.patch(
        sp.id,
        operations=[
            iam.Patch(op=iam.PatchOp.REPLACE, path="active", value="false"),
            iam.Patch(op=iam.PatchOp.ADD, path="entitlements", value=[{"value": "allow-cluster-create"}]),
            iam.Patch(op=iam.PatchOp.REPLACE, path="displayName", value="py-bot-2"),
        ],
        schemas=schemas,
    )
    s = w.service_principals.get(sp.id)
    out["sp_patched"] = {"application_id": s.application_id, "display_name": s.display_name, "active": s.active, "entitlements": ents(s)}
    w.users.delete(u.id)
    out["after_delete"] = error_of(lambda: w.users.get(u.id))
    w.service_principals.delete(sp.id)
    w.groups.delete(team.id)
    return out


MODES["iam_users"] = iam_users_mode


# --- git_credentials: the Git credentials API (workspace) ------------------------------------------


def git_credentials_mode(w):
    gc = w.git_credentials
    out = {}
    created = gc.create("GitHub", git_username="py-octo", personal_access_token="ghp_py_s3cr3t", name="py-ci")
    out["created"] = {"provider": created.git_provider, "username": created.git_username, "name": created.name, "id_is_int": isinstance(created.credential_id, int)}
    gc.update(created.credential_id, "gitHub", is_default_for_provider=True, personal_access_token="ghp_py_rotated")
    got = gc.get(created.credential_id)
    out["updated_default"] = got.is_default_for_provider
    out["listed"] = [c.name for c in gc.list()]
    out["token_shown"] = "s3cr3t" in json.dumps(got.as_dict()) or "rotated" in json.dumps([c.as_dict() for c in gc.list()])
    out["duplicate"] = error_of(lambda: gc.create("gitHub", name="py-ci"))
    out["bad_provider"] = error_of(lambda: gc.create("svn"))
    gc.delete(created.credential_id)
    out["missing"] = error_of(lambda: gc.get(created.credential_id))
    # A service principal's credential (principal_id), as an admin: not among the caller's own.
    sp = w.service_principals.create(display_name="py-git-sp")
    mine = gc.create("gitLab", name="py-sp-ci", principal_id=int(sp.id))
    out["sp_listed"] = [c.name for c in gc.list(principal_id=int(sp.id))]
    out["own_listed"] = [c.name for c in gc.list()]
    gc.delete(mine.credential_id, principal_id=int(sp.id))
    out["sp_after_delete"] = [c.name for c in gc.list(principal_id=int(sp.id))]
    out["sp_unknown"] = error_of(lambda: gc.list(principal_id=42))
    return out


MODES["git_credentials"] = git_credentials_mode


# --- admin_scripts: global init scripts and instance profiles (compute) ----------------------------


def admin_scripts_mode(w):
    gis = w.global_init_scripts
    out = {}
    b64 = lambda raw: base64.b64encode(raw).decode()
    body = b64(b"#!/bin/bash\necho py\n")
    a = gis.create(name="py-a", script=body, enabled=True)
    first = gis.create(name="py-first", script=b64(b"echo first"), position=0)
    got = gis.get(a.script_id)
    out["got"] = {
        "name": got.name,
        "script": base64.b64decode(got.script).decode(),
        "enabled": got.enabled,
        "position": got.position,
        "created_by": got.created_by,
        "timestamps": isinstance(got.created_at, int) and got.updated_at >= got.created_at,
    }
    out["listed"] = [[s.name, s.position, s.enabled, "script" in s.as_dict()] for s in gis.list()]
    gis.update(a.script_id, "py-a2", body, position=0)
    out["after_update"] = [[s.name, s.position, s.enabled] for s in gis.list()]
    out["not_base64"] = error_of(lambda: gis.create("py-bad", "echo plain"))
    out["too_big"] = error_of(lambda: gis.create("py-big", b64(b"x" * (64 * 1024 + 1))))
    gis.delete(a.script_id)
    gis.delete(first.script_id)
    out["missing"] = error_of(lambda: gis.get(a.script_id))
    out["empty"] = list(gis.list())

    ip = w.instance_profiles
    arn = "arn:aws:iam::123456789012:instance-profile/py-sdk"
    ip.add(arn, skip_validation=True)
    ip.edit(arn, iam_role_arn="arn:aws:iam::123456789012:role/py-sdk")
    out["profiles"] = [p.as_dict() for p in ip.list()]
    out["duplicate"] = error_of(lambda: ip.add(arn))
    out["bad_arn"] = error_of(lambda: ip.add("arn:aws:iam::1:instance-profile/x"))
    unregistered = compute.AwsAttributes(instance_profile_arn="arn:aws:iam::123456789012:instance-profile/nobody")
    out["cluster_unregistered"] = error_of(lambda: w.clusters.create(spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge", num_workers=0, aws_attributes=unregistered))
    ip.remove(arn)
    out["remove_missing"] = error_of(lambda: ip.remove(arn))
    out["profiles_after"] = list(ip.list())
    return out


MODES["admin_scripts"] = admin_scripts_mode


# --- uc_storage: Unity Catalog storage credentials and external locations ---------------------------


def uc_storage_mode(w):
    out = {}
    sc, el = w.storage_credentials, w.external_locations
    role = catalog.AwsIamRoleRequest(role_arn="arn:aws:iam::123456789012:role/py-uc")
    created = sc.create("py_cred", aws_iam_role=role, comment="py", read_only=False)
    out["created"] = {"name": created.name, "role": created.aws_iam_role.role_arn, "uc_arn": created.aws_iam_role.unity_catalog_iam_arn, "mode": enum(created.isolation_mode), "id_set": bool(created.id)}
    sp = catalog.AzureServicePrincipal(directory_id="tenant", application_id="app", client_secret="py-sp-s3cr3t")
    azure = sc.create("py_azure", azure_service_principal=sp)
    gcp = sc.create("py_gcp", databricks_gcp_service_account=catalog.DatabricksGcpServiceAccountRequest())
    out["gcp_email"] = gcp.databricks_gcp_service_account.email
    out["secret_shown"] = "s3cr3t" in json.dumps([azure.as_dict(), sc.get("py_azure").as_dict()] + [c.as_dict() for c in sc.list()])
    out["listed"] = [c.name for c in sc.list()]
    out["paged"] = [c.name for c in sc.list(max_results=1)]
    out["duplicate"] = error_of(lambda: sc.create("PY_CRED", aws_iam_role=role))
    out["no_identity"] = error_of(lambda: sc.create("py_none"))

    loc = el.create("py_land", "s3://py-bucket/landing", "py_cred", comment="raw", skip_validation=True)
    out["location"] = {"name": loc.name, "url": loc.url, "credential": loc.credential_name, "read_only": loc.read_only}
    out["overlap"] = error_of(lambda: el.create("py_sub", "s3://py-bucket/landing/sub", "py_cred"))
    out["no_credential"] = error_of(lambda: el.create("py_x", "s3://py-other/x", "py_nope"))
    renamed = el.update("py_land", new_name="py_landing", read_only=True)
    out["renamed"] = [renamed.name, renamed.read_only, [l.name for l in el.list()]]
    change = catalog.PermissionsChange(principal="users", add=[catalog.Privilege.READ_FILES, catalog.Privilege.CREATE_EXTERNAL_TABLE])
    granted = w.grants.update(securable_type=catalog.SecurableType.EXTERNAL_LOCATION.value, full_name="py_landing", changes=[change])
    out["grants"] = [[a.principal, sorted(enum(p) for p in a.privileges)] for a in granted.privilege_assignments]
    metastore_id = w.metastores.current().metastore_id
    meta_change = catalog.PermissionsChange(principal="users", add=[catalog.Privilege.CREATE_STORAGE_CREDENTIAL])
    out["metastore_grants"] = [[a.principal, [enum(p) for p in a.privileges]] for a in w.grants.update(securable_type="metastore", full_name=metastore_id, changes=[meta_change]).privilege_assignments]

    out["in_use"] = error_of(lambda: sc.delete("py_cred"))
    el.delete("py_landing")
    sc.delete("py_cred")
    sc.delete("py_azure", force=True)
    out["missing_credential"] = error_of(lambda: sc.get("py_cred"))
    out["missing_location"] = error_of(lambda: el.get("py_landing"))
    out["left"] = [c.name for c in sc.list()]
    return out


MODES["uc_storage"] = uc_storage_mode


# --- uc_connections: Lakehouse Federation connections ----------------------------------------------


def uc_connections_mode(w):
    out = {}
    cs = w.connections
    opts = {"host": "db.example.com", "port": "3306", "user": "etl", "password": "py-conn-s3cr3t"}
    created = cs.create("py_mysql", catalog.ConnectionType.MYSQL, opts, comment="orders", properties={"team": "data"})
    out["created"] = {
        "name": created.name,
        "type": enum(created.connection_type),
        "credential_type": enum(created.credential_type),
        "options": created.options,
        "url": created.url,
        "securable_type": enum(created.securable_type),
        "state": enum(created.provisioning_info.state),
        "id_set": bool(created.connection_id),
        "owner_is_creator": created.owner == created.created_by,
    }
    cs.create("py_pg", catalog.ConnectionType.POSTGRESQL, {"host": "pg", "port": "5432", "user": "u", "password": "py-pg-s3cr3t"})
    out["listed"] = [c.name for c in cs.list()]
    out["paged"] = [c.name for c in cs.list(max_results=1)]
    updated = cs.update("py_mysql", {**opts, "host": "db2.example.com"}, new_name="py_orders")
    out["updated"] = [updated.name, updated.url, updated.connection_id == created.connection_id]
    out["secret_shown"] = "s3cr3t" in json.dumps([created.as_dict(), updated.as_dict(), cs.get("py_orders").as_dict()] + [c.as_dict() for c in cs.list()])
    out["duplicate"] = error_of(lambda: cs.create("PY_PG", catalog.ConnectionType.POSTGRESQL, opts))
    out["missing_option"] = error_of(lambda: cs.create("py_x", catalog.ConnectionType.MYSQL, {"host": "h", "port": "1", "user": "u"}))
    change = catalog.PermissionsChange(principal="users", add=[catalog.Privilege.USE_CONNECTION, catalog.Privilege.CREATE_FOREIGN_CATALOG])
    granted = w.grants.update(securable_type=catalog.SecurableType.CONNECTION.value, full_name="py_orders", changes=[change])
    out["grants"] = [[a.principal, sorted(enum(p) for p in a.privileges)] for a in granted.privilege_assignments]
    cs.delete("py_orders")
    out["missing"] = error_of(lambda: cs.get("py_orders"))
    out["left"] = [c.name for c in cs.list()]
    return out


MODES["uc_connections"] = uc_connections_mode



# --- for_each: for_each_task iterations as runs of their own ----------------------------------------


def for_each_mode(w):
    out = {}
    inputs = [f"t{i}" for i in range(130)]
    inner = jobs.Task(task_key="inner", notebook_task=jobs.NotebookTask(notebook_path="/Shared/each", base_parameters={"table": "{{input}}", "emulator.exit": "loaded {{input}}", "emulator.duration_s": "1"}))
    loop = jobs.SubmitTask(task_key="loop", for_each_task=jobs.ForEachTask(inputs=json.dumps(inputs), task=inner, concurrency=100))
    run = w.jobs.submit(run_name="py-loop", tasks=[loop]).result(timeout=TIMEOUT)
    task = run.tasks[0]
    stats = task.for_each_task.stats.task_run_stats
    out["run"] = [enum(run.state.result_state), task.task_key, enum(task.state.result_state)]
    out["stats"] = [stats.total_iterations, stats.succeeded_iterations, stats.failed_iterations, stats.active_iterations]
    # get_run of the for_each task's run id: the SDK's mixin follows next_page_token and gathers the iterations.
    each = w.jobs.get_run(task.run_id)
    out["each_tasks"] = [t.run_id == task.run_id for t in each.tasks]
    out["iterations"] = len(each.iterations)
    out["tables"] = [i.notebook_task.base_parameters["table"] for i in each.iterations] == inputs
    out["distinct_ids"] = len({i.run_id for i in each.iterations})
    out["states"] = sorted({enum(i.state.result_state) for i in each.iterations})
    last = each.iterations[-1]
    output = w.jobs.get_run_output(last.run_id)
    out["output"] = [output.notebook_output.result, output.metadata.run_id == last.run_id]
    out["listed"] = [r.run_id for r in w.jobs.list_runs(run_type=jobs.RunType.SUBMIT_RUN)] == [run.run_id]
    out["nested_for_each"] = error_of(
        lambda: w.jobs.submit(run_name="bad", tasks=[jobs.SubmitTask(task_key="outer", for_each_task=jobs.ForEachTask(inputs="[1]", task=jobs.Task(task_key="loop", for_each_task=jobs.ForEachTask(inputs="[1]", task=inner))))])
    )
    return out


MODES["for_each"] = for_each_mode


# --- policy_compliance: enforcing cluster policy compliance on clusters and on jobs ---------------------


def policy_compliance_mode(w):
    out = {}
    spark_version = w.clusters.select_spark_version(long_term_support=True)
    node_type = w.clusters.select_node_type(local_disk=True, min_memory_gb=16)
    pid = w.cluster_policies.create(name="py-compliance", definition=json.dumps({"num_workers": {"type": "range", "maxValue": 4}})).policy_id
    tighter = json.dumps({"num_workers": {"type": "range", "maxValue": 2}, "custom_tags.cost_center": {"type": "fixed", "value": "cc-1"}})

    def changes(cs):
        return [[c.field, c.previous_value, c.new_value] for c in cs or []]

    cluster = w.clusters.create_and_wait(spark_version=spark_version, node_type_id=node_type, num_workers=3, policy_id=pid, timeout=TIMEOUT)
    new_cluster = compute.ClusterSpec(spark_version=spark_version, node_type_id=node_type, num_workers=3, policy_id=pid)
    job = w.jobs.create(
        name="py-compliance",
        job_clusters=[jobs.JobCluster(job_cluster_key="main", new_cluster=new_cluster)],
        tasks=[jobs.Task(task_key="a", job_cluster_key="main", notebook_task=jobs.NotebookTask(notebook_path="/Shared/a"))],
    )
    w.cluster_policies.edit(pid, name="py-compliance", definition=tighter)

    pcc = w.policy_compliance_for_clusters
    preview = pcc.enforce_compliance(cluster.cluster_id, validate_only=True)
    out["cluster_preview"] = {"has_changes": preview.has_changes, "changes": changes(preview.changes), "result": enum(preview.enforce_result)}
    applied = pcc.enforce_compliance(cluster.cluster_id)
    out["cluster_applied"] = {"has_changes": applied.has_changes, "changes": changes(applied.changes), "result": enum(applied.enforce_result)}
    running = w.clusters.wait_get_cluster_running(cluster.cluster_id, timeout=TIMEOUT)
    out["cluster_after"] = {"state": enum(running.state), "num_workers": running.num_workers, "tags": running.custom_tags, "compliant": pcc.get_compliance(cluster.cluster_id).is_compliant}
    again = pcc.enforce_compliance(cluster.cluster_id)
    out["cluster_again"] = {"has_changes": again.has_changes, "result": enum(again.enforce_result)}
    out["cluster_missing"] = error_of(lambda: pcc.enforce_compliance("0000-000000-nothing0"))

    pcj = w.policy_compliance_for_jobs
    before = pcj.get_compliance(job.job_id)
    out["job_before"] = {"compliant": before.is_compliant, "violations": before.violations}
    w.jobs.create(name="py-compliance-2", tasks=[jobs.Task(task_key="b", new_cluster=compute.ClusterSpec(spark_version=spark_version, node_type_id=node_type, num_workers=1, policy_id=pid, custom_tags={"cost_center": "cc-1"}), notebook_task=jobs.NotebookTask(notebook_path="/Shared/b"))])
    out["job_listed"] = sorted([j.job_id == job.job_id, j.is_compliant] for j in pcj.list_compliance(pid, page_size=1))
    job_preview = pcj.enforce_compliance(job.job_id, validate_only=True)
    out["job_preview"] = {"has_changes": job_preview.has_changes, "changes": changes(job_preview.job_cluster_changes), "workers": job_preview.settings.job_clusters[0].new_cluster.num_workers}
    out["job_unchanged"] = w.jobs.get(job.job_id).settings.job_clusters[0].new_cluster.num_workers
    job_applied = pcj.enforce_compliance(job.job_id)
    out["job_applied"] = {"has_changes": job_applied.has_changes, "changes": changes(job_applied.job_cluster_changes)}
    saved = w.jobs.get(job.job_id).settings.job_clusters[0].new_cluster
    out["job_after"] = {"num_workers": saved.num_workers, "tags": saved.custom_tags, "compliant": pcj.get_compliance(job.job_id).is_compliant}
    out["job_missing"] = error_of(lambda: pcj.get_compliance(404))
    out["list_unknown_policy"] = error_of(lambda: list(pcj.list_compliance("FFFFFFFFFFFFFFFF")))
    return out


MODES["policy_compliance"] = policy_compliance_mode


# --- uc_functions: SQL functions over the statement API and the functions API ---------------------


def uc_functions_mode(w):
    out = {}
    w.catalogs.create("py_fn")
    w.schemas.create("s", "py_fn")
    wh = w.warehouses.create_and_wait(name="py-fn-wh", cluster_size="2X-Small", max_num_clusters=1, timeout=TIMEOUT)

    def run(statement):
        r = w.statement_execution.execute_statement(warehouse_id=wh.id, statement=statement, catalog="py_fn", schema="s", wait_timeout="30s")
        return {"state": enum(r.status.state), "rows": r.result.data_array if r.result else None, "error": r.status.error.message if r.status.error else None}

    out["create_sql"] = run("CREATE FUNCTION py_fn.s.greet(who STRING DEFAULT 'world') RETURNS STRING COMMENT 'hello' RETURN concat('hello ', who)")
    out["call"] = run("SELECT greet(), py_fn.s.greet('py'), s.greet('two')")
    fi = catalog.CreateFunction(
        name="twice",
        catalog_name="py_fn",
        schema_name="s",
        input_params=catalog.FunctionParameterInfos(parameters=[catalog.FunctionParameterInfo(name="x", type_text="int", type_name=catalog.ColumnTypeName.INT, position=0)]),
        data_type=catalog.ColumnTypeName.INT,
        full_data_type="int",
        routine_body=catalog.CreateFunctionRoutineBody.SQL,
        routine_definition="x * 2",
        parameter_style=catalog.CreateFunctionParameterStyle.S,
        is_deterministic=True,
        sql_data_access=catalog.CreateFunctionSqlDataAccess.CONTAINS_SQL,
        is_null_call=False,
        security_type=catalog.CreateFunctionSecurityType.DEFINER,
        specific_name="twice",
    )
    created = w.functions.create(fi)
    out["created"] = {"full_name": created.full_name, "data_type": enum(created.data_type), "body": enum(created.routine_body), "params": [(p.name, enum(p.type_name), p.position) for p in created.input_params.parameters]}
    out["call_api_made"] = run("SELECT twice(21)")
    out["listed"] = [f.full_name for f in w.functions.list("py_fn", "s")]
    out["paged"] = [f.name for f in w.functions.list("py_fn", "s", max_results=1)]
    got = w.functions.get("py_fn.s.greet")
    out["got"] = {
        "data_type": enum(got.data_type),
        "full_data_type": got.full_data_type,
        "definition": got.routine_definition,
        "comment": got.comment,
        "deterministic": got.is_deterministic,
        "access": enum(got.sql_data_access),
        "params": [(p.name, p.type_text, enum(p.type_name), p.parameter_default) for p in got.input_params.parameters],
    }
    out["owner"] = w.functions.update("py_fn.s.greet", owner="data-eng").owner
    out["duplicate"] = error_of(lambda: w.functions.create(fi))
    out["duplicate_sql"] = run("CREATE FUNCTION py_fn.s.twice(x INT) RETURNS INT RETURN x")
    w.functions.delete("py_fn.s.greet")
    out["missing"] = error_of(lambda: w.functions.get("py_fn.s.greet"))
    out["call_deleted"] = run("SELECT greet()")
    out["left"] = [f.name for f in w.functions.list("py_fn", "s")]
    return out


MODES["uc_functions"] = uc_functions_mode


# --- grants_sql: UC privileges enforced on statements, for a non-admin service principal (OAuth M2M) ----


def grants_sql_mode(w):
    out = {}
    app = os.environ["PY_SDK_CLIENT_ID"]
    sp = WorkspaceClient(host=os.environ["DATABRICKS_HOST"], client_id=app, client_secret=os.environ["PY_SDK_CLIENT_SECRET"], auth_type="oauth-m2m")
    wh = w.warehouses.create_and_wait(name="py-grants-wh", cluster_size="2X-Small", max_num_clusters=1, timeout=TIMEOUT)
    w.permissions.set("warehouses", wh.id, access_control_list=[AccessControlRequest(service_principal_name=app, permission_level=PermissionLevel.CAN_USE)])

    def run(client, statement):
        r = client.statement_execution.execute_statement(warehouse_id=wh.id, statement=statement, wait_timeout="30s")
        return {"state": enum(r.status.state), "rows": r.result.data_array if r.result else None, "error": r.status.error.message if r.status.error else None}

    for statement in ["CREATE CATALOG py_priv", "CREATE SCHEMA py_priv.raw", "CREATE TABLE py_priv.raw.t AS SELECT 1 AS x"]:
        run(w, statement)
    out["denied"] = run(sp, "SELECT x FROM py_priv.raw.t")
    # The REST routes hold the same privileges: py_priv not listed (the workspace catalog main is), no create, no get.
    out["rest_catalogs_before"] = [c.name for c in sp.catalogs.list()]
    out["rest_create_denied"] = error_of(lambda: sp.schemas.create(name="mine", catalog_name="py_priv"))
    out["rest_get_denied"] = error_of(lambda: sp.tables.get("py_priv.raw.t"))
    w.grants.update(securable_type="catalog", full_name="py_priv", changes=[catalog.PermissionsChange(principal=app, add=[catalog.Privilege.USE_CATALOG, catalog.Privilege.USE_SCHEMA])])
    run(w, f"GRANT SELECT ON TABLE py_priv.raw.t TO `{app}`")
    out["allowed"] = run(sp, "SELECT x FROM py_priv.raw.t")
    out["rest_catalogs_after"] = [c.name for c in sp.catalogs.list()]
    out["rest_tables_after"] = [t.full_name for t in sp.tables.list("py_priv", "raw")]
    out["rest_schemas_left"] = sorted(s.name for s in w.schemas.list("py_priv"))
    out["insert_denied"] = run(sp, "INSERT INTO py_priv.raw.t VALUES (2)")
    out["rows_after"] = run(w, "SELECT count(*) FROM py_priv.raw.t")["rows"]
    return out


MODES["grants_sql"] = grants_sql_mode


# --- warehouse_config: the workspace-level SQL warehouse config (GET/PUT /api/2.0/sql/config/warehouses) ---


def warehouse_config_mode(w):
    whs = w.warehouses
    policy = sql.SetWorkspaceWarehouseConfigRequestSecurityPolicy
    out = {"initial": whs.get_workspace_warehouse_config().as_dict()}
    whs.set_workspace_warehouse_config(
        security_policy=policy.PASSTHROUGH,
        enable_serverless_compute=True,
        data_access_config=[sql.EndpointConfPair(key="spark.sql.hive.metastore.version", value="2.3.9")],
        channel=sql.Channel(name=sql.ChannelName.CHANNEL_NAME_PREVIEW),
        sql_configuration_parameters=sql.RepeatedEndpointConfPairs(configuration_pairs=[sql.EndpointConfPair(key="ANSI_MODE", value="true")]),
        enabled_warehouse_types=[sql.WarehouseTypePair(warehouse_type=sql.WarehouseTypePairWarehouseType.CLASSIC, enabled=False)],
    )
    got = whs.get_workspace_warehouse_config()
    out["got"] = got.as_dict()
    out["typed"] = {"policy": enum(got.security_policy), "channel": enum(got.channel.name), "types": [[enum(p.warehouse_type), p.enabled] for p in got.enabled_warehouse_types]}
    out["classic_refused"] = error_of(lambda: whs.create(name="py-classic", warehouse_type=sql.CreateWarehouseRequestWarehouseType.CLASSIC))
    # The SDK leaves unset arguments out of the body, so a caller who omits the flag is refused.
    out["flag_left_out"] = error_of(lambda: whs.set_workspace_warehouse_config(security_policy=policy.NONE))
    out["serverless_false"] = error_of(lambda: whs.set_workspace_warehouse_config(security_policy=policy.NONE, enable_serverless_compute=False))
    out["policy_left_out"] = error_of(lambda: whs.set_workspace_warehouse_config(enable_serverless_compute=True))
    out["unregistered_profile"] = error_of(
        lambda: whs.set_workspace_warehouse_config(security_policy=policy.NONE, enable_serverless_compute=True, instance_profile_arn="arn:aws:iam::123456789012:instance-profile/py-none")
    )
    sp = WorkspaceClient(host=os.environ["DATABRICKS_HOST"], client_id=os.environ["PY_SDK_CLIENT_ID"], client_secret=os.environ["PY_SDK_CLIENT_SECRET"], auth_type="oauth-m2m")
    out["non_admin_reads"] = sp.warehouses.get_workspace_warehouse_config().as_dict() == out["got"]
    out["non_admin_write"] = error_of(lambda: sp.warehouses.set_workspace_warehouse_config(security_policy=policy.NONE, enable_serverless_compute=True))
    out["unchanged"] = whs.get_workspace_warehouse_config().as_dict() == out["got"]
    whs.set_workspace_warehouse_config(security_policy=policy.NONE, enable_serverless_compute=True)
    out["replaced"] = whs.get_workspace_warehouse_config().as_dict()
    return out


MODES["warehouse_config"] = warehouse_config_mode


def main():
    mode = sys.argv[1]
    try:
        result = MODES[mode](client())
    except Exception as e:  # report, so the test shows the SDK's own message
        print(json.dumps({"error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}))
        sys.exit(1)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
