import { describe, expect, it } from 'vitest';
import { deprovisionPlan } from '../../../src/workflows/lib/deprovision-plan.js';
import type { LedgerEntry } from '../../../src/workflows/lib/ledger.js';
import { validateProvisionSpec } from '../../../src/workflows/lib/provision-spec.js';

const spec = (() => {
  const v = validateProvisionSpec({
    name: 'team',
    secretScope: { scope: 'team-scope', secrets: [{ key: 'k', value: { fromEnv: 'X' } }] },
    cluster: { spec: { spark_version: '15.4.x-scala2.12' }, libraries: [{ pypi: { package: 'requests' } }] },
    connection: { type: 'MYSQL', options: { host: 'db', port: '3306', user: 'u', password: { fromEnv: 'DB_PASSWORD' } } },
    catalog: { name: 'shared', schema: 'raw' },
    access: { group: 'g', cluster: 'CAN_RESTART', connection: ['USE_CONNECTION'], catalog: ['USE_CATALOG'], schema: ['USE_SCHEMA'] },
  });
  if (!v.ok) throw new Error(v.problems.join('; '));
  return v.spec;
})();

const entry = (kind: LedgerEntry['kind'], name: string, id: string | undefined, status: LedgerEntry['status'], note?: string): LedgerEntry => ({ kind, name, ...(id !== undefined ? { id } : {}), status, ...(note ? { note } : {}) });

describe('deprovisionPlan', () => {
  const ids = { secretScope: 'team-scope', clusterId: 'c1', connection: 'team_connection', catalog: 'shared', schema: 'shared.raw' };
  const resources = [
    entry('secret_scope', 'team-scope', 'team-scope', 'created'),
    entry('secret', 'team-scope/k', 'team-scope/k', 'created'),
    entry('cluster', 'team-cluster', 'c1', 'created'),
    entry('libraries', '1 on c1', 'c1', 'created'),
    entry('connection', 'team_connection', 'team_connection', 'created'),
    entry('catalog', 'shared', 'shared', 'kept', 'already existed: adopted, not ours to delete'),
    entry('schema', 'shared.raw', 'shared.raw', 'created'),
    entry('grant', 'CAN_RESTART on cluster c1 to group g', 'g', 'created'),
    entry('grant', 'USE_CONNECTION on connection team_connection to group g', 'g', 'created'),
    entry('grant', 'USE_CATALOG on catalog shared to group g', 'g', 'created'),
    entry('grant', 'USE_SCHEMA on schema shared.raw to group g', 'g', 'created'),
  ];

  it('newest first: grants on kept resources revoked, what the saga made deleted, children and grants on deleted resources left to their parent, kept listed', () => {
    const plan = deprovisionPlan(spec, { name: 'team', ids, resources });
    expect(plan.steps.map((s) => s.description)).toEqual(['revoke USE_CATALOG on catalog shared to group g', 'delete schema shared.raw', 'delete connection team_connection', 'delete cluster c1', 'delete secret_scope team-scope']);
    expect(plan.kept.map((e) => `${e.kind} ${e.name}`)).toEqual(['catalog shared']);
  });

  it('skips what the saga did not finish making or already undid; a grant the spec no longer names is flagged only when something was kept', () => {
    const partial = [entry('cluster', 'team-cluster', undefined, 'intended'), entry('schema', 'shared.raw', 'shared.raw', 'cleaned', 'deleted schema shared.raw'), entry('secret_scope', 'team-scope', 'team-scope', 'created'), entry('grant', 'CAN_MANAGE on job 7 to group g', 'g', 'created')];
    expect(deprovisionPlan(spec, { name: 'team', ids, resources: partial }).steps.map((s) => s.action)).toEqual(['delete']);
    const withKept = [...partial, entry('catalog', 'shared', 'shared', 'kept')];
    expect(deprovisionPlan(spec, { name: 'team', ids, resources: withKept }).steps.map((s) => `${s.action} ${s.description}`)).toEqual(['unknown-grant revoke CAN_MANAGE on job 7 to group g', 'delete delete secret_scope team-scope']);
  });

  it('a connection the saga adopted is kept and the grant made on it revoked (on the connection securable)', async () => {
    const adopted = resources.map((e) => (e.kind === 'connection' ? { ...e, status: 'kept' as const, note: 'already existed: adopted, not ours to delete' } : e));
    const calls: unknown[] = [];
    const acts = { grantsUpdate: async (i: unknown) => void calls.push(i) } as unknown as Parameters<typeof deprovisionPlan>[2];
    const plan = deprovisionPlan(spec, { name: 'team', ids, resources: adopted }, acts);
    expect(plan.steps.map((s) => s.description)).toEqual(['revoke USE_CATALOG on catalog shared to group g', 'revoke USE_CONNECTION on connection team_connection to group g', 'delete schema shared.raw', 'delete cluster c1', 'delete secret_scope team-scope']);
    expect(plan.kept.map((e) => `${e.kind} ${e.name}`)).toEqual(['connection team_connection', 'catalog shared']);
    const revoke = plan.steps[1]!;
    if (revoke.action !== 'revoke') throw new Error('expected a revoke');
    await revoke.grant.revoke();
    expect(calls).toEqual([{ securable_type: 'connection', full_name: 'team_connection', changes: [{ principal: 'g', remove: ['USE_CONNECTION'] }], omit_permissions_in_response: true }]);
  });

  it('a printed plan cannot run a revoke', async () => {
    const step = deprovisionPlan(spec, { name: 'team', ids, resources }).steps[0]!;
    if (step.action !== 'revoke') throw new Error('expected a revoke first');
    await expect(step.grant.revoke()).rejects.toThrow('a printed plan does not run');
  });
});
