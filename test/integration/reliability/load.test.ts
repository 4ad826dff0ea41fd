/** Quick load run (200 in `npm run chaos`): concurrent pipelines under the emulator's 30 req/s limit. */
import { describe, expect, it } from 'vitest';
import { counterByStatus, loadScenario } from '../../chaos/scenarios/load.js';

describe('load under the rate limit (quick)', () => {
  it('reads 429s from the worker\'s Prometheus text', () => {
    const text = [
      '# TYPE durabricks_databricks_requests counter',
      'durabricks_databricks_requests{operation="clusters.get",status="200",retry="false"} 40',
      'durabricks_databricks_requests{operation="clusters.get",status="429",retry="true"} 3',
      'durabricks_databricks_requests{operation="jobs.submit",status="429",retry="true"} 2',
    ].join('\n');
    expect(counterByStatus(text, 'durabricks_databricks_requests', '429')).toBe(5);
    expect(counterByStatus(text, 'durabricks_databricks_requests', '503')).toBe(0);
  });

  it('30 concurrent pipelines all complete; 429s under 1 % of calls; none fails from throttling', async () => {
    const f = await loadScenario({ pipelines: 30, seed: 3, timeoutMs: 4 * 60_000 });
    expect(f.problems).toEqual([]);
    expect(f.asExpected).toBe(30);
    expect(f.throttled / f.apiCalls).toBeLessThan(0.01);
    expect(f.apiCalls).toBeGreaterThan(30 * 5);
  }, 300_000);
});
