/**
 * Input of `provisionWorkspace`: which resources to create, in order. Secret values are references
 * (`{ fromEnv }` / `{ fromFile }` resolved on the worker), never values: inputs live in history.
 * No Node imports: bundled into the workflow sandbox.
 */
import { z } from 'zod';
import { canonicalGitProvider, GIT_PROVIDERS } from '../../common/git.js';
import { isSecretConnectionOption } from '../../common/uc-connection-options.js';
import { ACCESS_TARGETS } from './access-targets.js';

const nonEmpty = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });
const name = (max: number) => z.string({ error: 'must be a string' }).regex(new RegExp(`^[A-Za-z0-9_.-]{1,${max}}$`), { error: `must be 1-${max} letters, digits, _ . -` });
const SECRET_REF_ONLY = "must be a reference { fromEnv: 'VAR' } or { fromFile: '/path' }, never the secret itself";
const secretRef = z.union([z.strictObject({ fromEnv: nonEmpty }), z.strictObject({ fromFile: nonEmpty })], { error: SECRET_REF_ONLY });

/** Unity Catalog privileges the saga may grant, per securable (privilege model 1.0). */
const DATA_PRIVILEGES = ['ALL_PRIVILEGES', 'APPLY_TAG', 'CREATE_FUNCTION', 'CREATE_MATERIALIZED_VIEW', 'CREATE_MODEL', 'CREATE_TABLE', 'CREATE_VOLUME', 'EXECUTE', 'MANAGE', 'MODIFY', 'READ_VOLUME', 'REFRESH', 'SELECT', 'USE_SCHEMA', 'WRITE_VOLUME'] as const;
const privileges = <T extends readonly [string, ...string[]]>(allowed: T) =>
  z.array(z.enum(allowed, { error: `must be one of ${allowed.join(', ')}` })).min(1).max(allowed.length);

/**
 * Who gets access to what the saga provisions: one principal (a group, a user or a service
 * principal's application id) and, per resource, the level (Permissions API, secret ACL) or the
 * Unity Catalog privileges to grant. Granting on a resource the spec does not provision is an error.
 */
const AccessSchema = z
  .strictObject({
    group: z.string().min(1).max(255).optional(),
    user: nonEmpty.optional(),
    servicePrincipal: nonEmpty.optional(),
    secretScope: z.enum(['READ', 'WRITE', 'MANAGE']).optional(),
    clusterPolicy: z.enum(['CAN_USE']).optional(),
    instancePool: z.enum(['CAN_ATTACH_TO', 'CAN_MANAGE']).optional(),
    cluster: z.enum(['CAN_ATTACH_TO', 'CAN_RESTART', 'CAN_MANAGE']).optional(),
    job: z.enum(['CAN_VIEW', 'CAN_MANAGE_RUN', 'CAN_MANAGE']).optional(),
    warehouse: z.enum(['CAN_VIEW', 'CAN_MONITOR', 'CAN_USE', 'CAN_MANAGE']).optional(),
    repo: z.enum(['CAN_READ', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE']).optional(),
    catalog: privileges(['BROWSE', 'CREATE_SCHEMA', 'USE_CATALOG', ...DATA_PRIVILEGES]).optional(),
    schema: privileges(DATA_PRIVILEGES).optional(),
    volume: privileges(['ALL_PRIVILEGES', 'APPLY_TAG', 'MANAGE', 'READ_VOLUME', 'WRITE_VOLUME']).optional(),
    externalLocation: privileges(['ALL_PRIVILEGES', 'BROWSE', 'CREATE_EXTERNAL_TABLE', 'CREATE_EXTERNAL_VOLUME', 'CREATE_MANAGED_STORAGE', 'MANAGE', 'READ_FILES', 'WRITE_FILES']).optional(),
    connection: privileges(['ALL_PRIVILEGES', 'CREATE_FOREIGN_CATALOG', 'MANAGE', 'USE_CONNECTION']).optional(),
  })
  // `when`: report this alongside problems in the grants, not only once they are fixed.
  .refine((a) => [a.group, a.user, a.servicePrincipal].filter((p) => p !== undefined).length === 1, { error: 'name exactly one of group, user, servicePrincipal', when: () => true });

/** Where the team's data lives in cloud storage; UC external locations take these schemes. */
const storageUrl = z.string({ error: 'must be a string' }).regex(/^(s3|abfss|gs|r2):\/\/[^/\s]+(\/\S*)?$/, { error: 'must be a cloud storage URL: s3://, abfss://, gs:// or r2://' });

/**
 * The cloud identity a storage credential uses, as the API names it. Only identities without a secret:
 * a service principal's client secret or an R2 key would have to pass through history.
 */
const storageIdentity = z
  .strictObject({
    aws_iam_role: z.strictObject({ role_arn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/, { error: 'must be an IAM role ARN, arn:aws:iam::<12 digits>:role/<name>' }) }).optional(),
    azure_managed_identity: z.strictObject({ access_connector_id: nonEmpty, managed_identity_id: nonEmpty.optional() }).optional(),
    databricks_gcp_service_account: z.strictObject({}).optional(),
  })
  .refine((c) => Object.values(c).filter((v) => v !== undefined).length === 1, { error: 'give exactly one of aws_iam_role, azure_managed_identity, databricks_gcp_service_account' });

/**
 * A connection's options as the API takes them (strings; a YAML number such as a port becomes one). Any
 * may be a reference resolved on the worker; a secret one (the password, a client secret, a private key)
 * only a reference. The refusal names the option and never repeats its value.
 */
const connectionOptions = z
  .record(z.string(), z.union([z.string(), z.number().transform(String), secretRef], { error: "must be a string or a reference { fromEnv: 'VAR' } or { fromFile: '/path' }" }), {
    error: "must be an object of connection options, e.g. { host: 'db.example.com', port: '5432', user: 'etl', password: { fromEnv: 'PG_PASSWORD' } }",
  })
  .superRefine(
    (options, ctx) => {
      // Runs even when another option is invalid (see `when`), so guard against a non-object.
      if (typeof options !== 'object' || options === null) return;
      for (const [key, value] of Object.entries(options)) {
        if ((typeof value === 'string' || typeof value === 'number') && isSecretConnectionOption(key)) ctx.addIssue({ code: 'custom', path: [key], message: SECRET_REF_ONLY });
      }
    },
    { when: () => true },
  );

/** A Git provider as Repos and Git credentials name it (case-insensitive), given in its canonical spelling. */
const gitProvider = z
  .string({ error: 'must be a string' })
  .refine((p) => canonicalGitProvider(p) !== undefined, { error: `must be one of ${GIT_PROVIDERS.join(', ')}` })
  .transform((p) => canonicalGitProvider(p)!);

const ProvisionSpecSchema = z.strictObject({
  /** Prefix for created names and the stable workflow id (`provision-<name>`). */
  name: name(60),
  /** A workspace group for the team (SCIM), with these users (by user name) as members; `access.group` may name it. */
  group: z
    .strictObject({ name: z.string().min(1).max(255), members: z.array(nonEmpty).max(100).optional() })
    .optional(),
  secretScope: z
    .strictObject({ scope: name(128), secrets: z.array(z.strictObject({ key: name(128), value: secretRef })).max(100).optional() })
    .optional(),
  /** A cluster policy (`definition` as an object) that the provisioned cluster is created under. */
  clusterPolicy: z
    .strictObject({
      definition: z.record(z.string(), z.unknown(), { error: 'must be an object of policy rules, e.g. { "autotermination_minutes": { "type": "fixed", "value": 60 } }' }),
      description: z.string().max(1000).optional(),
      max_clusters_per_user: z.number().int().min(1).optional(),
    })
    .optional(),
  instancePool: z
    .looseObject({ node_type_id: nonEmpty, min_idle_instances: z.number().int().min(0).optional(), max_capacity: z.number().int().min(1).optional(), idle_instance_autotermination_minutes: z.number().int().min(0).max(10000).optional() })
    .optional(),
  cluster: z
    .strictObject({
      spec: z.looseObject({ spark_version: nonEmpty, num_workers: z.number().int().min(0).optional(), node_type_id: nonEmpty.optional(), autotermination_minutes: z.number().int().min(0).optional() }),
      libraries: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
    })
    .optional(),
  /**
   * A Git credential for the identity the worker calls Databricks as, so that it (and jobs it owns)
   * can clone the private repo below. Named `<name>-git`; the token is a reference, like secrets.
   */
  gitCredential: z
    .strictObject({
      provider: gitProvider,
      username: nonEmpty.optional(),
      token: secretRef,
      /** Whose credential: this service principal's (its application id), e.g. the one the job runs as; default the worker's own identity. */
      servicePrincipal: z.string({ error: 'must be a string' }).regex(/^[^\s"\\]+$/, { error: "must be a service principal's application id" }).optional(),
    })
    .optional(),
  /** A Git folder (Repos) for the team's code, at `/Repos/<folder>/<name>`, checked out at `branch` or `tag`. */
  repo: z
    .strictObject({
      url: z.string({ error: 'must be a string' }).regex(/^https:\/\/[^/\s]+\/\S+$/, { error: 'must be an https clone URL, e.g. https://github.com/acme/etl.git' }),
      provider: gitProvider,
      path: z.string({ error: 'must be a string' }).regex(/^\/Repos\/[^/]+\/[^/]+$/, { error: 'must be /Repos/<folder>/<name>' }),
      branch: nonEmpty.optional(),
      tag: nonEmpty.optional(),
    })
    .refine((r) => r.branch === undefined || r.tag === undefined, { error: 'give branch or tag, not both', path: ['tag'] })
    .optional(),
  /** Job settings; tasks without compute run on the provisioned cluster. */
  job: z.looseObject({ name: nonEmpty, tasks: z.array(z.looseObject({ task_key: nonEmpty })).min(1).max(100) }).optional(),
  warehouse: z.looseObject({ cluster_size: nonEmpty.optional(), auto_stop_mins: z.number().int().min(0).optional(), max_num_clusters: z.number().int().min(1).max(40).optional() }).optional(),
  /**
   * A storage credential (`<name>_credential`) and an external location (`<name>_location`) on it for
   * `url`: where the catalog below may keep its managed tables (`catalog.storageRoot`).
   */
  storage: z.strictObject({ url: storageUrl, credential: storageIdentity, readOnly: z.boolean().optional() }).optional(),
  /**
   * A Unity Catalog connection (`<name>_connection`, Lakehouse Federation) to an external database,
   * e.g. `type: POSTGRESQL` with host, port, user and the password by reference.
   */
  connection: z
    .strictObject({
      type: z.string({ error: 'must be a string' }).regex(/^[A-Z][A-Z0-9_]*$/, { error: 'must be a connection type in capitals, e.g. POSTGRESQL, MYSQL, SNOWFLAKE' }),
      options: connectionOptions,
      comment: z.string().max(1000).optional(),
      readOnly: z.boolean().optional(),
    })
    .optional(),
  /** A catalog, optionally a schema in it, and optionally a managed volume in that schema (for files). */
  catalog: z
    .strictObject({ name: name(255), comment: z.string().optional(), storageRoot: storageUrl.optional(), schema: name(255).optional(), volume: name(255).optional() })
    .refine((c) => c.volume === undefined || c.schema !== undefined, { error: 'a volume needs a schema to live in (catalog.schema)', path: ['volume'] })
    .optional(),
  access: AccessSchema.optional(),
}).superRefine((spec, ctx) => {
  // Runs even when other parts of the spec have problems (see `when`), so guard against a non-object.
  if (typeof spec !== 'object' || spec === null) return;
  // A grant needs its resource in the same spec: the saga grants on what it provisions.
  for (const target of ACCESS_TARGETS) {
    if (spec.access?.[target.key] !== undefined && !target.provisioned(spec)) {
      ctx.addIssue({ code: 'custom', path: ['access', target.key], message: `grants on ${target.inProblems} this spec does not provision` });
    }
  }
}, { when: () => true });

export type AccessSpec = z.output<typeof AccessSchema>;
export type ProvisionSpec = z.output<typeof ProvisionSpecSchema>;
export type ProvisionSpecInput = z.input<typeof ProvisionSpecSchema>;

export function validateProvisionSpec(input: unknown): { ok: true; spec: ProvisionSpec } | { ok: false; problems: string[] } {
  const r = ProvisionSpecSchema.safeParse(input);
  if (r.success) return { ok: true, spec: r.data };
  return {
    ok: false,
    problems: r.error.issues.flatMap((i) => {
      const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(spec)';
      return i.code === 'unrecognized_keys' ? i.keys.map((k) => `${path === '(spec)' ? '' : `${path}.`}${k}: unknown key`) : [`${path}: ${i.message}`];
    }),
  };
}
