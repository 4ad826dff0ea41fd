import { describe, expect, expectTypeOf, it } from 'vitest';
import { provisionPlan } from '../../../src/client/provision-plan.js';
import { ACCESS_TARGET_KEYS, type AccessTargetKey } from '../../../src/workflows/lib/access-targets.js';
import { validateProvisionSpec, type AccessSpec } from '../../../src/workflows/lib/provision-spec.js';

describe('provisioning spec: cluster policy and volume', () => {
  it('accepts a policy given as an object of rules and a volume inside the schema', () => {
    const r = validateProvisionSpec({
      name: 'team',
      clusterPolicy: { definition: { num_workers: { type: 'range', maxValue: 4 } }, max_clusters_per_user: 3 },
      catalog: { name: 'team_cat', schema: 'raw', volume: 'landing' },
    });
    expect(r).toMatchObject({ ok: true, spec: { clusterPolicy: { max_clusters_per_user: 3 }, catalog: { volume: 'landing' } } });
  });

  it('names every problem by path: rules that are not an object, a bad limit, an unknown key, a volume without a schema', () => {
    const r = validateProvisionSpec({
      name: 'team',
      clusterPolicy: { definition: '{"num_workers": {}}', max_clusters_per_user: 0, libraries: [] },
      catalog: { name: 'team_cat', volume: 'landing' },
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      'clusterPolicy.definition: must be an object of policy rules, e.g. { "autotermination_minutes": { "type": "fixed", "value": 60 } }',
      'clusterPolicy.max_clusters_per_user: Too small: expected number to be >=1',
      'clusterPolicy.libraries: unknown key',
      'catalog.volume: a volume needs a schema to live in (catalog.schema)',
    ]);
  });
});

describe('provisioning spec: access', () => {
  it('grants one principal levels on workspace objects and privileges on catalog objects', () => {
    const r = validateProvisionSpec({
      name: 'team',
      cluster: { spec: { spark_version: '15.4.x-scala2.12' } },
      catalog: { name: 'team_cat', schema: 'raw', volume: 'landing' },
      access: { group: 'team users', cluster: 'CAN_RESTART', catalog: ['USE_CATALOG'], schema: ['USE_SCHEMA', 'SELECT'], volume: ['READ_VOLUME'] },
    });
    expect(r).toMatchObject({ ok: true, spec: { access: { group: 'team users', cluster: 'CAN_RESTART', schema: ['USE_SCHEMA', 'SELECT'] } } });
  });

  it('names each problem: two principals, a level the object does not have, a privilege of another securable, a grant on nothing provisioned', () => {
    const r = validateProvisionSpec({
      name: 'team',
      cluster: { spec: { spark_version: '15.4.x-scala2.12' } },
      catalog: { name: 'team_cat' },
      access: { group: 'g', user: 'u@example.com', cluster: 'CAN_USE', catalog: ['READ_VOLUME_X'], warehouse: 'CAN_USE' },
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      'access.cluster: Invalid option: expected one of "CAN_ATTACH_TO"|"CAN_RESTART"|"CAN_MANAGE"',
      expect.stringMatching(/^access\.catalog\[0\]: must be one of BROWSE, CREATE_SCHEMA, USE_CATALOG, /),
      'access: name exactly one of group, user, servicePrincipal',
      'access.warehouse: grants on a warehouse this spec does not provision',
    ]);
    expect(validateProvisionSpec(null)).toEqual({ ok: false, problems: ['(spec): Invalid input: expected object, received null'] });
    const unprovisioned = validateProvisionSpec({ name: 'team', catalog: { name: 'team_cat' }, access: { group: 'g', warehouse: 'CAN_USE', schema: ['SELECT'] } });
    expect(!unprovisioned.ok && unprovisioned.problems).toEqual(['access.warehouse: grants on a warehouse this spec does not provision', 'access.schema: grants on a schema this spec does not provision']);
  });
});

describe('provisioning spec: access targets (one table for validation, saga and plan)', () => {
  const everything = {
    name: 'team',
    secretScope: { scope: 'team-secrets' },
    clusterPolicy: { definition: { num_workers: { type: 'range', maxValue: 4 } } },
    instancePool: { node_type_id: 'i3.xlarge' },
    cluster: { spec: { spark_version: '15.4.x-scala2.12' } },
    repo: { url: 'https://github.com/acme/etl.git', provider: 'gitHub', path: '/Repos/team/etl' },
    job: { name: 'team-etl', tasks: [{ task_key: 'a', notebook_task: { notebook_path: '/Repos/team/etl/main' } }] },
    warehouse: { cluster_size: '2X-Small' },
    storage: { url: 's3://bucket/team', credential: { aws_iam_role: { role_arn: 'arn:aws:iam::123456789012:role/team' } } },
    connection: { type: 'POSTGRESQL', options: { host: 'pg.internal', port: '5432', user: 'team', password: { fromEnv: 'PG_PASSWORD' } } },
    catalog: { name: 'team_cat', schema: 'raw', volume: 'landing' },
  };
  const access = {
    group: 'g',
    secretScope: 'READ',
    clusterPolicy: 'CAN_USE',
    instancePool: 'CAN_ATTACH_TO',
    cluster: 'CAN_RESTART',
    repo: 'CAN_RUN',
    job: 'CAN_VIEW',
    warehouse: 'CAN_USE',
    externalLocation: ['READ_FILES'],
    connection: ['USE_CONNECTION'],
    catalog: ['USE_CATALOG'],
    schema: ['USE_SCHEMA'],
    volume: ['READ_VOLUME'],
  };

  it('every access key but the principal has a target (checked by the type checker too)', () => {
    expectTypeOf<AccessTargetKey>().toEqualTypeOf<Exclude<keyof AccessSpec, 'group' | 'user' | 'servicePrincipal'>>();
    expect([...ACCESS_TARGET_KEYS].sort()).toEqual(Object.keys(access).filter((k) => k !== 'group').sort());
  });

  it('a grant on each target needs that resource in the spec; the plan names each by the name the saga gives it', () => {
    const alone = validateProvisionSpec({ name: 'team', access });
    expect(!alone.ok && alone.problems.length).toBe(ACCESS_TARGET_KEYS.length);
    const r = validateProvisionSpec({ ...everything, access });
    if (!r.ok) throw new Error(r.problems.join('; '));
    expect(provisionPlan(r.spec).find((line) => line.includes('access for group g'))?.trim()).toBe(
      '11. access for group g: READ on secret scope team-secrets; CAN_USE on cluster policy team-policy; CAN_ATTACH_TO on instance pool team-pool; CAN_RESTART on cluster team-cluster; CAN_RUN on repo /Repos/team/etl; CAN_VIEW on job team-etl; CAN_USE on warehouse team-warehouse; READ_FILES on external location team_location; USE_CONNECTION on connection team_connection; USE_CATALOG on catalog team_cat; USE_SCHEMA on schema team_cat.raw; READ_VOLUME on volume team_cat.raw.landing',
    );
  });
});

describe('provisioning spec: group', () => {
  it('a group with members by user name; bad members are named', () => {
    expect(validateProvisionSpec({ name: 'team', group: { name: 'team users', members: ['ann@example.com'] } })).toMatchObject({ ok: true, spec: { group: { name: 'team users', members: ['ann@example.com'] } } });
    const r = validateProvisionSpec({ name: 'team', group: { name: '', members: [''], owner: 'x' } });
    expect(!r.ok && r.problems).toEqual(['group.name: Too small: expected string to have >=1 characters', 'group.members[0]: must not be empty', 'group.owner: unknown key']);
  });
});

describe('provisioning spec: Git credential and repo', () => {
  it('takes the provider in any case and gives it in the API spelling; the token is a reference', () => {
    const r = validateProvisionSpec({
      name: 'team',
      gitCredential: { provider: 'GITHUB', token: { fromEnv: 'GIT_TOKEN' } },
      repo: { url: 'https://github.com/acme/etl.git', provider: 'gitlab', path: '/Repos/team/etl', tag: 'v1.2' },
      access: { group: 'team', repo: 'CAN_RUN' },
    });
    expect(r).toMatchObject({ ok: true, spec: { gitCredential: { provider: 'gitHub' }, repo: { provider: 'gitLab', tag: 'v1.2' }, access: { repo: 'CAN_RUN' } } });
  });

  it("a service principal's credential by application id, which cannot break out of the lookup's quotes; the plan names it", () => {
    const r = validateProvisionSpec({ name: 'team', gitCredential: { provider: 'gitHub', token: { fromEnv: 'GIT_TOKEN' }, servicePrincipal: '9f1c2d3e-aaaa-bbbb-cccc-0123456789ab' } });
    if (!r.ok) throw new Error(r.problems.join('; '));
    expect(provisionPlan(r.spec)[1]).toBe('   1. Git credential team-git of service principal 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab for gitHub (token read from $GIT_TOKEN on the worker)');
    const bad = validateProvisionSpec({ name: 'team', gitCredential: { provider: 'gitHub', token: { fromEnv: 'GIT_TOKEN' }, servicePrincipal: 'x" or displayName pr "' } });
    expect(!bad.ok && bad.problems).toEqual(["gitCredential.servicePrincipal: must be a service principal's application id"]);
  });

  it('names each problem: a plain token, an unknown provider, a path outside /Repos/<folder>/<name>, branch and tag, a grant on no repo', () => {
    const r = validateProvisionSpec({
      name: 'team',
      gitCredential: { provider: 'github', token: 'ghp_plain_token_value' },
      repo: { url: 'git@github.com:acme/etl.git', provider: 'svn', path: '/Workspace/etl', branch: 'main', tag: 'v1' },
    });
    expect(!r.ok && r.problems).toEqual([
      "gitCredential.token: must be a reference { fromEnv: 'VAR' } or { fromFile: '/path' }, never the secret itself",
      'repo.url: must be an https clone URL, e.g. https://github.com/acme/etl.git',
      'repo.provider: must be one of gitHub, gitHubEnterprise, bitbucketCloud, bitbucketServer, gitLab, gitLabEnterpriseEdition, azureDevOpsServices, awsCodeCommit',
      'repo.path: must be /Repos/<folder>/<name>',
      'repo.tag: give branch or tag, not both',
    ]);
    expect(JSON.stringify(r)).not.toContain('ghp_plain_token_value');
    const both = validateProvisionSpec({ name: 'team', repo: { url: 'https://github.com/acme/etl', provider: 'gitHub', path: '/Repos/t/etl', branch: 'main', tag: 'v1' }, access: { group: 'g', job: 'CAN_VIEW' } });
    expect(!both.ok && both.problems).toEqual(['repo.tag: give branch or tag, not both', 'access.job: grants on a job this spec does not provision']);
    const noRepo = validateProvisionSpec({ name: 'team', access: { group: 'g', repo: 'CAN_READ' } });
    expect(!noRepo.ok && noRepo.problems).toEqual(['access.repo: grants on a repo this spec does not provision']);
  });
});

describe('provisioning spec: storage', () => {
  it('one identity without a secret, a cloud storage URL; the catalog may keep its managed storage there', () => {
    const r = validateProvisionSpec({
      name: 'team',
      storage: { url: 'abfss://data@acct.dfs.core.windows.net/team', credential: { azure_managed_identity: { access_connector_id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Databricks/accessConnectors/c' } } },
      catalog: { name: 'team_cat', storageRoot: 'abfss://data@acct.dfs.core.windows.net/team/cat' },
      access: { group: 'team', externalLocation: ['READ_FILES', 'WRITE_FILES'] },
    });
    expect(r).toMatchObject({ ok: true, spec: { catalog: { storageRoot: 'abfss://data@acct.dfs.core.windows.net/team/cat' }, access: { externalLocation: ['READ_FILES', 'WRITE_FILES'] } } });
  });

  it('names each problem: two identities, a secret-bearing one, a bad ARN, a URL scheme UC refuses, a grant on no location', () => {
    const two = validateProvisionSpec({ name: 'team', storage: { url: 's3://b/x', credential: { aws_iam_role: { role_arn: 'arn:aws:iam::123456789012:role/r' }, databricks_gcp_service_account: {} } } });
    expect(!two.ok && two.problems).toEqual(['storage.credential: give exactly one of aws_iam_role, azure_managed_identity, databricks_gcp_service_account']);
    const r = validateProvisionSpec({
      name: 'team',
      storage: { url: 'wasbs://c@a.blob.core.windows.net/x', credential: { azure_service_principal: { directory_id: 'd', application_id: 'a', client_secret: 'sp-s3cr3t' } } },
      catalog: { name: 'c', storageRoot: 'file:///tmp' },
    });
    expect(!r.ok && r.problems).toEqual([
      'storage.url: must be a cloud storage URL: s3://, abfss://, gs:// or r2://',
      'storage.credential.azure_service_principal: unknown key',
      'storage.credential: give exactly one of aws_iam_role, azure_managed_identity, databricks_gcp_service_account',
      'catalog.storageRoot: must be a cloud storage URL: s3://, abfss://, gs:// or r2://',
    ]);
    expect(JSON.stringify(r)).not.toContain('sp-s3cr3t');
    const arn = validateProvisionSpec({ name: 'team', storage: { url: 's3://b', credential: { aws_iam_role: { role_arn: 'arn:aws:iam::1:role/r' } } }, access: { group: 'g', catalog: ['USE_CATALOG'] } });
    expect(!arn.ok && arn.problems).toEqual(['storage.credential.aws_iam_role.role_arn: must be an IAM role ARN, arn:aws:iam::<12 digits>:role/<name>', 'access.catalog: grants on a catalog this spec does not provision']);
    const noLocation = validateProvisionSpec({ name: 'team', access: { group: 'g', externalLocation: ['READ_FILES'] } });
    expect(!noLocation.ok && noLocation.problems).toEqual(['access.externalLocation: grants on an external location (storage) this spec does not provision']);
  });
});

describe('provisioning spec: connection', () => {
  it('options as strings (a YAML port number becomes one), secret options by reference; grants take connection privileges', () => {
    const r = validateProvisionSpec({
      name: 'team',
      connection: { type: 'POSTGRESQL', options: { host: 'pg.internal', port: 5432, user: { fromEnv: 'PG_USER' }, password: { fromFile: '/run/secrets/pg' } }, comment: 'orders db', readOnly: true },
      access: { group: 'g', connection: ['USE_CONNECTION', 'CREATE_FOREIGN_CATALOG'] },
    });
    expect(r).toEqual({
      ok: true,
      spec: {
        name: 'team',
        connection: { type: 'POSTGRESQL', options: { host: 'pg.internal', port: '5432', user: { fromEnv: 'PG_USER' }, password: { fromFile: '/run/secrets/pg' } }, comment: 'orders db', readOnly: true },
        access: { group: 'g', connection: ['USE_CONNECTION', 'CREATE_FOREIGN_CATALOG'] },
      },
    });
  });

  it('a secret option given as the secret itself is refused by path, never repeating it, alongside the other problems', () => {
    const r = validateProvisionSpec({
      name: 'team',
      connection: { type: 'postgres', options: { host: true, port: 5432, user: 'team', password: 'hunter2', client_secret: 424242 }, ssl: true },
      access: { group: 'g', connection: ['SELECT'] },
    });
    expect(!r.ok && r.problems).toEqual([
      'connection.type: must be a connection type in capitals, e.g. POSTGRESQL, MYSQL, SNOWFLAKE',
      "connection.options.host: must be a string or a reference { fromEnv: 'VAR' } or { fromFile: '/path' }",
      "connection.options.password: must be a reference { fromEnv: 'VAR' } or { fromFile: '/path' }, never the secret itself",
      "connection.options.client_secret: must be a reference { fromEnv: 'VAR' } or { fromFile: '/path' }, never the secret itself",
      'connection.ssl: unknown key',
      'access.connection[0]: must be one of ALL_PRIVILEGES, CREATE_FOREIGN_CATALOG, MANAGE, USE_CONNECTION',
    ]);
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(JSON.stringify(r)).not.toContain('424242');
    const noConnection = validateProvisionSpec({ name: 'team', access: { group: 'g', connection: ['USE_CONNECTION'] } });
    expect(!noConnection.ok && noConnection.problems).toEqual(['access.connection: grants on a connection this spec does not provision']);
    const notAnObject = validateProvisionSpec({ name: 'team', connection: { type: 'MYSQL', options: 'host=db;password=hunter2' } });
    expect(!notAnObject.ok && notAnObject.problems).toEqual(["connection.options: must be an object of connection options, e.g. { host: 'db.example.com', port: '5432', user: 'etl', password: { fromEnv: 'PG_PASSWORD' } }"]);
  });
});
