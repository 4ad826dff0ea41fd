import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { formatProvisionFailure, provisionChanges } from '../../../src/client/format.js';
import type { ProvisionFailureDetails, ProvisionProgress } from '../../../src/workflows/lib/provision-types.js';

const progress = (step: string, resources: ProvisionProgress['resources']): ProvisionProgress => ({ name: 'team', phase: 'running', step, resources, undone: [] });

describe('provisioning saga as text', () => {
  it('progress lines: the step entered, then each resource once its outcome is known (not while in flight)', () => {
    const a = progress('cluster', [
      { kind: 'instance_pool', name: 'team-pool', id: 'pool-1', status: 'created' },
      { kind: 'cluster', name: 'team-cluster', status: 'intended' },
    ]);
    expect(provisionChanges(undefined, a)).toEqual(['… cluster', '  instance pool team-pool (pool-1): created']);
    const b = progress('libraries', [a.resources[0]!, { kind: 'cluster', name: 'team-cluster', id: 'c-1', status: 'created' }]);
    expect(provisionChanges(a, b)).toEqual(['… libraries', '  cluster team-cluster (c-1): created']);
    expect(provisionChanges(b, b)).toEqual([]);
  });

  it('a failure shows its message and every undo step, failed ones marked', () => {
    const details: ProvisionFailureDetails = {
      step: 'schema',
      resources: [],
      undone: [
        { description: 'delete warehouse', ok: true, detail: 'deleted warehouse w-1' },
        { description: 'delete cluster', ok: false, detail: 'cluster c-1: 503 TEMPORARILY_UNAVAILABLE' },
      ],
    };
    const failure = ApplicationFailure.create({ type: 'ProvisioningFailed', message: 'provisioning team failed at schema: Schema name is reserved.', details: [details] });
    expect(formatProvisionFailure({ cause: failure })).toEqual([
      'ProvisioningFailed: provisioning team failed at schema: Schema name is reserved.',
      'undo: done — deleted warehouse w-1',
      'undo: FAILED — cluster c-1: 503 TEMPORARILY_UNAVAILABLE',
    ]);
  });
});
