import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReadableStream, WorkspaceClient } from '@databricks/sdk-experimental';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { drain, sdkErrorOf } from './js-sdk-helpers.js';
import { startTestEmulator } from './helpers.js';

/**
 * The official JS SDK (@databricks/sdk-experimental 0.17.0, unmodified) against the emulator's
 * admin-side services: cluster policies and policy families, token management (on-behalf-of tokens
 * for a service principal, i.e. one of the emulator's OAuth M2M clients), Unity Catalog volumes and
 * the Files API. The same scenarios as python-sdk/conformance.py modes `policies`,
 * `token_management` and `volumes`. Where the SDK and the emulator disagree, the emulator is wrong.
 * This SDK version has every service involved: w.clusterPolicies, w.policyFamilies,
 * w.tokenManagement, w.volumes and w.files (the generated FilesService; no FilesExt mixin).
 *
 * The SDK's typed error is a single class, ApiError (statusCode, errorCode, message); it has no
 * per-code subclasses like the Python SDK's ResourceDoesNotExist.
 *
 * Two defects of this SDK version, not of the emulator, shape the Files API and volumes part:
 * - `w.files.upload` never sends its `contents` (the generated `_upload` passes `payload: undefined`),
 *   so it can only create empty files. The bytes go through the SDK's own ApiClient instead, with
 *   the SDK's ReadableStream as payload, which it streams chunked: the same PUT the method means to make.
 * - The ApiClient sends a body only for POST and PUT, so `w.volumes.update` and `w.grants.update` (PATCH) arrive empty.
 * Both are asserted below as what they are, so a fixed SDK shows up as a failing expectation here.
 */
const CLIENT = { clientId: 'js-sdk-app', clientSecret: 'js-sdk-secret-123456' };

describe('official Databricks JS SDK conformance: cluster policies, token management, volumes and files', () => {
  let emu: RunningEmulator;
  let w: WorkspaceClient;
  const pat = (token: string) => new WorkspaceClient({ host: emu.url, token, authType: 'pat' });
  beforeAll(async () => {
    ({ emu } = await startTestEmulator({ oauthClients: [CLIENT] }));
    w = pat(emu.token);
  });
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it('cluster policies: create/get/list/edit/delete, policy families (paged), a governed create-and-wait and typed rejections', async () => {
    const definition = JSON.stringify({
      num_workers: { type: 'range', maxValue: 2 },
      runtime_engine: { type: 'fixed', value: 'PHOTON', hidden: true },
      autotermination_minutes: { type: 'unlimited', defaultValue: 45, isOptional: true },
      'custom_tags.team': { type: 'allowlist', values: ['data', 'ml'], defaultValue: 'data' },
    });
    const { policy_id: pid } = await w.clusterPolicies.create({ name: 'js-policy', definition, description: 'small', max_clusters_per_user: 5 });
    expect(pid).toMatch(/^[0-9A-F]{16}$/);
    const got = await w.clusterPolicies.get({ policy_id: pid! });
    expect({ id: got.policy_id, name: got.name, description: got.description, max: got.max_clusters_per_user, rules: Object.keys(JSON.parse(got.definition!)).sort() }).toEqual({
      id: pid,
      name: 'js-policy',
      description: 'small',
      max: 5,
      rules: ['autotermination_minutes', 'custom_tags.team', 'num_workers', 'runtime_engine'],
    });
    await w.clusterPolicies.create({ name: 'another', definition: '{}' });
    const listed = await drain(w.clusterPolicies.list({ sort_column: 'POLICY_NAME', sort_order: 'DESC' }));
    expect(listed.map((p) => p.name)).toEqual(['js-policy', 'another']);
    const duplicate = await sdkErrorOf(w.clusterPolicies.create({ name: 'js-policy', definition: '{}' }));
    expect(duplicate).toMatchObject({ statusCode: 400, errorCode: 'INVALID_PARAMETER_VALUE', message: 'Cluster Policy with name `js-policy` already exists' });

    const sparkVersion = await w.clusters.selectSparkVersion({ longTermSupport: true });
    const nodeType = await w.clusters.selectNodeType({ minMemoryGb: 16, localDisk: true });
    // Fixed values always; defaults because apply_policy_default_values is true. The SDK's waiter polls until RUNNING.
    const governed = await (await w.clusters.create({ spark_version: sparkVersion, node_type_id: nodeType, num_workers: 2, policy_id: pid, apply_policy_default_values: true })).wait();
    expect({ state: governed.state, policy: governed.policy_id, engine: governed.runtime_engine, auto: governed.autotermination_minutes, tags: governed.custom_tags }).toEqual({
      state: 'RUNNING',
      policy: pid,
      engine: 'PHOTON',
      auto: 45,
      tags: { team: 'data' },
    });
    const rejected = await sdkErrorOf(w.clusters.create({ spark_version: sparkVersion, node_type_id: nodeType, num_workers: 3, policy_id: pid, apply_policy_default_values: true }));
    expect(rejected).toMatchObject({ statusCode: 400, errorCode: 'INVALID_PARAMETER_VALUE', message: 'Validation failed for num_workers, the value cannot be greater than 2' });
    const badTag = await sdkErrorOf(w.clusters.create({ spark_version: sparkVersion, node_type_id: nodeType, num_workers: 1, policy_id: pid, custom_tags: { team: 'finance' } }));
    expect(badTag).toMatchObject({ statusCode: 400, errorCode: 'INVALID_PARAMETER_VALUE' });
    expect(badTag.message).toMatch(/custom_tags\.team/);
    const notFixed = await sdkErrorOf(w.clusters.create({ spark_version: sparkVersion, node_type_id: nodeType, num_workers: 1, policy_id: pid, runtime_engine: 'STANDARD' }));
    expect(notFixed).toMatchObject({ statusCode: 400, errorCode: 'INVALID_PARAMETER_VALUE' });
    expect(notFixed.message).toMatch(/^Validation failed for runtime_engine, the value must be PHOTON/);
    const unknown = await sdkErrorOf(w.clusters.create({ spark_version: sparkVersion, node_type_id: nodeType, num_workers: 1, policy_id: '0123456789ABCDEF' }));
    expect(unknown).toMatchObject({ statusCode: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST', message: "Can't find a cluster policy with id: 0123456789ABCDEF." });
    // The rejected creates left nothing behind.
    expect((await drain(w.clusters.list({}))).map((c) => c.cluster_id)).toEqual([governed.cluster_id]);

    await w.clusterPolicies.edit({ policy_id: pid!, name: 'js-policy-2', definition: '{}' });
    const edited = await w.clusterPolicies.get({ policy_id: pid! });
    expect({ name: edited.name, definition: edited.definition, description: edited.description }).toEqual({ name: 'js-policy-2', definition: '{}', description: undefined });
    // max_results 2: the SDK's iterator follows next_page_token through every family.
    const families = await drain(w.policyFamilies.list({ max_results: 2 }));
    expect(families.map((f) => f.policy_family_id)).toEqual(['personal-vm', 'shared-compute', 'power-user', 'job-cluster', 'shared-data-science']);
    const personal = await w.policyFamilies.get({ policy_family_id: 'personal-vm' });
    expect(personal.name).toBe('Personal Compute');
    expect(Object.keys(JSON.parse(personal.definition!)).length).toBeGreaterThan(0);
    // A policy made from a family takes the family's definition.
    const fromFamily = await w.clusterPolicies.create({ name: 'personal', policy_family_id: 'personal-vm' });
    expect((await w.clusterPolicies.get({ policy_id: fromFamily.policy_id! })).policy_family_id).toBe('personal-vm');

    await w.clusterPolicies.delete({ policy_id: pid! });
    const gone = await sdkErrorOf(w.clusterPolicies.get({ policy_id: pid! }));
    expect(gone).toMatchObject({ statusCode: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST' });
    expect(gone.message).toMatch(/Can't find a cluster policy with id/);
  });

  it('token management: an OBO token that acts as the service principal until deleted; list filters, get, non-admin refused', async () => {
    const me = await w.currentUser.me();
    const obo = await w.tokenManagement.createOboToken({ application_id: CLIENT.clientId, lifetime_seconds: 3600, comment: 'js-obo' });
    const info = obo.token_info!;
    expect({
      hasValue: typeof obo.token_value === 'string' && obo.token_value.length > 0,
      comment: info.comment,
      createdBy: info.created_by_username,
      createdByMe: info.created_by_id === Number(me.id),
      lifetimeMs: info.expiry_time! - info.creation_time!,
    }).toEqual({ hasValue: true, comment: 'js-obo', createdBy: 'admin@emulator.local', createdByMe: true, lifetimeMs: 3_600_000 });

    const sp = pat(obo.token_value!);
    const spMe = await sp.currentUser.me();
    expect(spMe.userName).toBe(CLIENT.clientId);
    expect(info.owner_id).toBe(Number(spMe.id));

    const own = await w.tokens.create({ comment: 'js-own', lifetime_seconds: 600 });
    const comments = (tokens: { comment?: string }[]) => tokens.map((t) => t.comment).sort();
    expect(comments(await drain(w.tokenManagement.list({})))).toEqual(['js-obo', 'js-own']);
    expect(comments(await drain(w.tokenManagement.list({ created_by_username: me.userName })))).toEqual(['js-obo', 'js-own']);
    expect(comments(await drain(w.tokenManagement.list({ created_by_id: Number(me.id) })))).toEqual(['js-obo', 'js-own']);
    expect(await drain(w.tokenManagement.list({ created_by_username: 'nobody@emulator.local' }))).toEqual([]);
    const metadata = (await (await fetch(`${emu.url}/.well-known/databricks-config`)).json()) as { workspace_id: string };
    const got = (await w.tokenManagement.get({ token_id: info.token_id! })).token_info!;
    expect({ id: got.token_id, comment: got.comment, workspace: got.workspace_id }).toEqual({ id: info.token_id, comment: 'js-obo', workspace: Number(metadata.workspace_id) });

    const denied = await sdkErrorOf(drain(sp.tokenManagement.list({})));
    expect(denied).toMatchObject({ statusCode: 403, errorCode: 'PERMISSION_DENIED' });
    expect(denied.message).toMatch(/Only Admins can access token management APIs/);

    await w.tokenManagement.delete({ token_id: info.token_id! });
    const revoked = await sdkErrorOf(sp.currentUser.me());
    expect(revoked).toMatchObject({ statusCode: 401, errorCode: 'UNAUTHENTICATED' });
    expect(revoked.message).toMatch(/Invalid access token/);
    expect(await sdkErrorOf(w.tokenManagement.get({ token_id: info.token_id! }))).toMatchObject({ statusCode: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST' });
    const unknownSp = await sdkErrorOf(w.tokenManagement.createOboToken({ application_id: 'no-such-app', lifetime_seconds: 60 }));
    expect(unknownSp).toMatchObject({ statusCode: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST' });
    expect(unknownSp.message).toMatch(/no-such-app/);

    const perms = await w.tokenManagement.getPermissions();
    expect({ id: perms.object_id, type: perms.object_type }).toEqual({ id: '/authorization/tokens', type: 'tokens' });
    expect((await w.tokenManagement.getPermissionLevels()).permission_levels?.map((l) => l.permission_level)).toEqual(['CAN_USE']);
    await w.tokens.delete({ token_id: own.token_info!.token_id! });
    expect(await drain(w.tokenManagement.list({}))).toEqual([]);
  });

  it('a family-based policy with overrides governs an OBO service principal, who may use it only once granted CAN_USE', async () => {
    const overrides = JSON.stringify({ autotermination_minutes: { type: 'fixed', value: 25 } });
    const { policy_id: pid } = await w.clusterPolicies.create({ name: 'personal-25', policy_family_id: 'personal-vm', policy_family_definition_overrides: overrides, max_clusters_per_user: 1 });
    const policy = await w.clusterPolicies.get({ policy_id: pid! });
    expect({ family: policy.policy_family_id, overrides: policy.policy_family_definition_overrides, auto: JSON.parse(policy.definition!).autotermination_minutes }).toEqual({
      family: 'personal-vm',
      overrides,
      auto: { type: 'fixed', value: 25 },
    });
    expect((await w.clusterPolicies.getPermissionLevels({ cluster_policy_id: pid! })).permission_levels?.map((l) => l.permission_level)).toEqual(['CAN_USE']);

    const obo = await w.tokenManagement.createOboToken({ application_id: CLIENT.clientId, lifetime_seconds: 600 });
    const sp = pat(obo.token_value!);
    const spec = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 0, policy_id: pid, apply_policy_default_values: true };
    const denied = await sdkErrorOf(sp.clusters.create(spec));
    expect(denied).toMatchObject({ statusCode: 403, errorCode: 'PERMISSION_DENIED' });
    expect(denied.message).toMatch(/CAN_USE/);
    const granted = await w.clusterPolicies.setPermissions({ cluster_policy_id: pid!, access_control_list: [{ service_principal_name: CLIENT.clientId, permission_level: 'CAN_USE' }] });
    expect(granted.access_control_list?.find((a) => a.service_principal_name === CLIENT.clientId)?.all_permissions?.map((x) => x.permission_level)).toEqual(['CAN_USE']);

    // The family fixes single-node Spark and zero workers; the override fixes auto-termination; data_security_mode is the family's default.
    const c = await (await sp.clusters.create(spec)).wait();
    expect({ state: c.state, creator: c.creator_user_name, auto: c.autotermination_minutes, mode: c.data_security_mode, conf: c.spark_conf }).toEqual({
      state: 'RUNNING',
      creator: CLIENT.clientId,
      auto: 25,
      mode: 'SINGLE_USER',
      conf: { 'spark.databricks.cluster.profile': 'singleNode' },
    });
    const broken = await sdkErrorOf(sp.clusters.create({ ...spec, num_workers: 2 }));
    expect(broken).toMatchObject({ statusCode: 400, errorCode: 'INVALID_PARAMETER_VALUE' });
    expect(broken.message).toMatch(/^Validation failed for num_workers/);
    // max_clusters_per_user 1: a second active cluster under the policy is refused, and none was made.
    expect((await sdkErrorOf(sp.clusters.create(spec))).statusCode).toBe(400);
    expect((await drain(w.clusters.list({}))).map((x) => x.cluster_id)).toEqual([c.cluster_id]);
  });

  it('volumes and the Files API: create/read/list (paged)/delete, byte-identical round trip, metadata, directories, typed errors', async () => {
    const created = await w.volumes.create({ catalog_name: 'main', schema_name: 'default', name: 'js_vol', volume_type: 'MANAGED', comment: 'sdk' });
    expect({ full_name: created.full_name, type: created.volume_type, comment: created.comment, hasId: Boolean(created.volume_id) }).toEqual({
      full_name: 'main.default.js_vol',
      type: 'MANAGED',
      comment: 'sdk',
      hasId: true,
    });
    expect((await w.volumes.read({ name: 'main.default.js_vol' })).volume_id).toBe(created.volume_id);
    await w.volumes.create({ catalog_name: 'main', schema_name: 'default', name: 'js_ext', volume_type: 'EXTERNAL', storage_location: 's3://bucket/js/' });
    // max_results 1: the SDK's iterator follows next_page_token across pages.
    expect((await drain(w.volumes.list({ catalog_name: 'main', schema_name: 'default', max_results: 1 }))).map((v) => v.name).sort()).toEqual(['js_ext', 'js_vol']);
    // PATCH body dropped by the SDK (see above): the volume comes back unchanged.
    expect((await w.volumes.update({ name: 'main.default.js_ext', comment: 'changed' })).comment).toBeUndefined();
    expect(await sdkErrorOf(w.volumes.create({ catalog_name: 'main', schema_name: 'default', name: 'js_vol', volume_type: 'MANAGED' }))).toMatchObject({ statusCode: 409, errorCode: 'VOLUME_ALREADY_EXISTS' });
    const noSchema = await sdkErrorOf(w.volumes.create({ catalog_name: 'main', schema_name: 'nope', name: 'x', volume_type: 'MANAGED' }));
    expect(noSchema).toMatchObject({ statusCode: 404, errorCode: 'SCHEMA_DOES_NOT_EXIST' });
    expect(noSchema.message).toMatch(/Schema 'main.nope' does not exist/);

    const base = '/Volumes/main/default/js_vol';
    const data = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 11) & 0xff;
    /** The PUT files.upload means to make, through the SDK's ApiClient, streamed in 64 KiB chunks. */
    const upload = (path: string, bytes: Buffer, overwrite?: boolean) =>
      w.apiClient.request({
        path: `/api/2.0/fs/files${path}`,
        method: 'PUT',
        headers: new Headers({ 'Content-Type': 'application/octet-stream' }),
        raw: false,
        query: overwrite === undefined ? {} : { overwrite },
        payload: new ReadableStream({
          start(c) {
            for (let off = 0; off < bytes.length; off += 64 * 1024) c.enqueue(bytes.subarray(off, off + 64 * 1024));
            c.close();
          },
        }),
      });
    await w.files.createDirectory({ directory_path: `${base}/in dir/sub` });
    await upload(`${base}/in dir/data.bin`, data);
    await upload(`${base}/in dir/note.txt`, Buffer.from('hello volume'), true);

    const download = await w.files.download({ file_path: `${base}/in dir/data.bin` });
    const chunks: Buffer[] = [];
    for await (const chunk of download.contents as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
    const back = Buffer.concat(chunks);
    expect({ length: back.length, same: sha(back) === sha(data) }).toEqual({ length: data.length, same: true });
    // The response headers arrive as the strings they are on the wire, whatever the SDK's types say.
    expect({ length: download['content-length'], type: download['content-type'] }).toEqual({ length: String(data.length), type: 'application/octet-stream' });
    expect(Number.isNaN(Date.parse(download['last-modified']!))).toBe(false);
    const meta = await w.files.getMetadata({ file_path: `${base}/in dir/note.txt` });
    expect({ length: meta['content-length'], type: meta['content-type'] }).toEqual({ length: '12', type: 'application/octet-stream' });
    await w.files.getDirectoryMetadata({ directory_path: `${base}/in dir` });

    // page_size 1: three pages, followed by the SDK's iterator.
    const listing = await drain(w.files.listDirectoryContents({ directory_path: `${base}/in dir`, page_size: 1 }));
    expect(listing.map((e) => [e.name, e.path, e.is_directory, e.file_size]).sort()).toEqual([
      ['data.bin', `${base}/in dir/data.bin`, false, data.length],
      ['note.txt', `${base}/in dir/note.txt`, false, 12],
      ['sub', `${base}/in dir/sub`, true, undefined],
    ]);

    // files.upload sends no body (SDK defect above), but its overwrite=false query still reaches the emulator.
    const exists = await sdkErrorOf(w.files.upload({ file_path: `${base}/in dir/note.txt`, overwrite: false }));
    expect(exists).toMatchObject({ statusCode: 409, errorCode: 'ALREADY_EXISTS' });
    await w.files.upload({ file_path: `${base}/empty.txt`, contents: new ReadableStream({ start: (c) => (c.enqueue(Buffer.from('lost')), c.close()) }) });
    expect((await w.files.getMetadata({ file_path: `${base}/empty.txt` }))['content-length']).toBe('0');

    const notEmpty = await sdkErrorOf(w.files.deleteDirectory({ directory_path: `${base}/in dir` }));
    expect(notEmpty).toMatchObject({ statusCode: 400, errorCode: 'BAD_REQUEST' });
    expect(notEmpty.message).toMatch(/is not empty/);
    await w.files.delete({ file_path: `${base}/in dir/note.txt` });
    await w.files.deleteDirectory({ directory_path: `${base}/in dir/sub` });
    // HEAD answers carry no body, so the SDK sees only the status.
    expect((await sdkErrorOf(w.files.getMetadata({ file_path: `${base}/in dir/note.txt` }))).statusCode).toBe(404);
    const missingDir = await sdkErrorOf(drain(w.files.listDirectoryContents({ directory_path: `${base}/nope` })));
    expect(missingDir).toMatchObject({ statusCode: 404, errorCode: 'NOT_FOUND' });
    expect(missingDir.message).toMatch(/nope does not exist/);
    expect((await drain(w.files.listDirectoryContents({ directory_path: `${base}/in dir` }))).map((e) => e.name)).toEqual(['data.bin']);

    await w.volumes.delete({ name: 'main.default.js_vol' });
    expect(await sdkErrorOf(w.volumes.read({ name: 'main.default.js_vol' }))).toMatchObject({ statusCode: 404, errorCode: 'VOLUME_DOES_NOT_EXIST' });
    expect((await sdkErrorOf(w.files.getMetadata({ file_path: `${base}/in dir/data.bin` }))).statusCode).toBe(404);
    expect(await sdkErrorOf(w.files.download({ file_path: `${base}/in dir/data.bin` }))).toMatchObject({ statusCode: 404, errorCode: 'NOT_FOUND' });
    // A volume of the same name made afterwards is a new volume (new id) and starts empty: the old files do not come back.
    const again = await w.volumes.create({ catalog_name: 'main', schema_name: 'default', name: 'js_vol', volume_type: 'MANAGED' });
    expect(again.volume_id).not.toBe(created.volume_id);
    expect(await drain(w.files.listDirectoryContents({ directory_path: base }))).toEqual([]);
  });

  it('Unity Catalog grants: get and getEffective read what was granted; update (PATCH) arrives without its changes', async () => {
    await w.catalogs.create({ name: 'js_grants' });
    await w.schemas.create({ catalog_name: 'js_grants', name: 'raw' });
    // The SDK's update is a PATCH, whose body this ApiClient drops: the emulator sees no changes and answers the current grants.
    const viaSdk = await w.grants.update({ securable_type: 'catalog', full_name: 'js_grants', changes: [{ principal: 'users', add: ['USE_CATALOG'] }] });
    expect(viaSdk.privilege_assignments ?? []).toEqual([]);
    const granted = await fetch(`${emu.url}/api/2.1/unity-catalog/permissions/catalog/js_grants`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ changes: [{ principal: 'users', add: ['USE_CATALOG', 'SELECT'] }] }),
    });
    expect(granted.status).toBe(200);
    expect((await w.grants.get({ securable_type: 'catalog', full_name: 'js_grants' })).privilege_assignments).toEqual([{ principal: 'users', privileges: ['SELECT', 'USE_CATALOG'] }]);
    expect((await w.grants.getEffective({ securable_type: 'schema', full_name: 'js_grants.raw', principal: 'users' })).privilege_assignments).toEqual([
      { principal: 'users', privileges: [{ privilege: 'SELECT', inherited_from_type: 'CATALOG', inherited_from_name: 'js_grants' }] },
    ]);
    expect(await sdkErrorOf(w.grants.get({ securable_type: 'catalog', full_name: 'js_nope' }))).toMatchObject({ statusCode: 404, errorCode: 'CATALOG_DOES_NOT_EXIST' });
  });
});
