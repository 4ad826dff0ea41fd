import { describe, expect, it } from 'vitest';
import { validateProvisionSpec } from '../../../src/workflows/lib/provision-spec.js';

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
