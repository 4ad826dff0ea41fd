/**
 * What a provisioning spec will do, in the saga's order, read from the spec alone (nothing is called):
 * `durabricks provision <spec> --plan`. Names come from the same function the saga uses, so the plan
 * names what the saga will create.
 */
import { ACCESS_TARGETS } from '../workflows/lib/access-targets.js';
import { provisionNames } from '../workflows/lib/provision-names.js';
import type { ProvisionSpec } from '../workflows/lib/provision-spec.js';

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const ref = (r: { fromEnv: string } | { fromFile: string }) => ('fromEnv' in r ? `$${r.fromEnv}` : r.fromFile);

export function provisionPlan(spec: ProvisionSpec, workflowId = `provision-${spec.name}`): string[] {
  const names = provisionNames(spec);
  const steps: string[] = [];
  if (spec.group) steps.push(`group ${spec.group.name}${spec.group.members?.length ? ` with ${count(spec.group.members.length, 'member')}: ${spec.group.members.join(', ')}` : ''}`);
  if (spec.secretScope) {
    const secrets = spec.secretScope.secrets ?? [];
    steps.push(`secret scope ${spec.secretScope.scope}${secrets.length ? ` with ${secrets.map((s) => `${s.key} (read from ${ref(s.value)} on the worker)`).join(', ')}` : ''}`);
  }
  if (spec.clusterPolicy) steps.push(`cluster policy ${names.policy} (${count(Object.keys(spec.clusterPolicy.definition).length, 'rule')})`);
  if (spec.instancePool) steps.push(`instance pool ${names.pool} (${spec.instancePool.node_type_id})`);
  if (spec.cluster) {
    const where = [spec.instancePool ? `on ${names.pool}` : undefined, spec.clusterPolicy ? `under ${names.policy}` : undefined].filter(Boolean).join(', ');
    const libraries = spec.cluster.libraries?.length ?? 0;
    steps.push(`cluster ${names.cluster}${where ? ` (${where})` : ''}, waited for until RUNNING${libraries ? `, then ${count(libraries, 'library')} installed` : ''}`);
  }
  if (spec.gitCredential) {
    const owner = spec.gitCredential.servicePrincipal !== undefined ? ` of service principal ${spec.gitCredential.servicePrincipal}` : '';
    steps.push(`Git credential ${names.gitCredential}${owner} for ${spec.gitCredential.provider} (token read from ${ref(spec.gitCredential.token)} on the worker)`);
  }
  if (spec.repo) {
    const at = spec.repo.branch !== undefined ? ` at branch ${spec.repo.branch}` : spec.repo.tag !== undefined ? ` at tag ${spec.repo.tag}` : '';
    steps.push(`repo ${spec.repo.path} cloning ${spec.repo.url}${at} (its folder made if missing)`);
  }
  if (spec.job) steps.push(`job ${names.job} (${count(spec.job.tasks.length, 'task')}${spec.cluster ? `; tasks without compute run on ${names.cluster}` : ''})`);
  if (spec.warehouse) steps.push(`SQL warehouse ${names.warehouse}`);
  if (spec.storage) steps.push(`storage credential ${names.credential} and external location ${names.location} for ${spec.storage.url}`);
  if (spec.connection) {
    const c = spec.connection;
    const refs = Object.entries(c.options).flatMap(([k, v]) => (typeof v === 'string' ? [] : [`${k} read from ${ref(v)}`]));
    steps.push(`connection ${names.connection} (${c.type}${c.readOnly ? ', read-only' : ''}${refs.length ? `; ${refs.join(', ')} on the worker` : ''})`);
  }
  if (spec.catalog) {
    const c = spec.catalog;
    steps.push(
      [`catalog ${c.name}${c.storageRoot ? ` (managed storage ${c.storageRoot})` : ''}`, c.schema ? `schema ${c.name}.${c.schema}` : undefined, c.volume ? `volume ${c.name}.${c.schema}.${c.volume}` : undefined].filter(Boolean).join(', '),
    );
  }
  if (spec.access) {
    const a = spec.access;
    const who = a.group !== undefined ? `group ${a.group}` : a.user !== undefined ? `user ${a.user}` : `service principal ${a.servicePrincipal}`;
    const grants = ACCESS_TARGETS.flatMap((t) => {
      const level = a[t.key];
      return level === undefined ? [] : [`${Array.isArray(level) ? level.join(', ') : level} on ${t.label} ${t.name(spec, names)}`];
    });
    steps.push(`access for ${who}: ${grants.join('; ')}`);
  }
  return [
    `plan for provisioning ${spec.name} as workflow ${workflowId}, in this order:`,
    ...steps.map((s, i) => `  ${String(i + 1).padStart(2)}. ${s}`),
    'If a step fails or the saga is cancelled, what it created is deleted again, newest first. Name-keyed objects that already exist (secret scope, policy with the same rules, repo of the same URL, Git credential, storage and connection that match the spec, catalog, schema, volume) are adopted and kept; running the same workflow id again adopts what an earlier run created.',
  ];
}
