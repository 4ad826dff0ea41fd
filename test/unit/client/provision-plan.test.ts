import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { provisionPlan } from '../../../src/client/provision-plan.js';
import { validateProvisionSpec } from '../../../src/workflows/lib/provision-spec.js';
import { provisionSpec } from '../../integration/workflows/fake-provisioning.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('provisionPlan', () => {
  it("lists every step in the saga's order with the names the saga gives, and the grants", () => {
    const v = validateProvisionSpec({ ...provisionSpec, group: { name: 'team-a-users', members: ['ann@example.com'] }, access: { group: 'team-a-users', repo: 'CAN_RUN', externalLocation: ['READ_FILES'], connection: ['USE_CONNECTION'], schema: ['USE_SCHEMA', 'SELECT'] } });
    if (!v.ok) throw new Error(v.problems.join('; '));
    expect(provisionPlan(v.spec, 'provision-x')).toEqual([
      'plan for provisioning team-a as workflow provision-x, in this order:',
      '   1. group team-a-users with 1 member: ann@example.com',
      '   2. secret scope team-a with db-password (read from $TEAM_A_DB_PASSWORD on the worker)',
      '   3. cluster policy team-a-policy (1 rule)',
      '   4. instance pool team-a-pool (i3.xlarge)',
      '   5. cluster team-a-cluster (on team-a-pool, under team-a-policy), waited for until RUNNING, then 1 library installed',
      '   6. Git credential team-a-git for gitHub (token read from $TEAM_A_GIT_TOKEN on the worker)',
      '   7. repo /Repos/team-a/etl cloning https://github.com/acme/team-a.git at branch release (its folder made if missing)',
      '   8. job team-a-nightly (1 task; tasks without compute run on team-a-cluster)',
      '   9. SQL warehouse team-a-warehouse',
      '  10. storage credential team_a_credential and external location team_a_location for s3://team-a-data/uc',
      '  11. connection team_a_connection (POSTGRESQL; password read from $TEAM_A_PG_PASSWORD on the worker)',
      '  12. catalog team_a (managed storage s3://team-a-data/uc/team_a), schema team_a.raw, volume team_a.raw.landing',
      '  13. access for group team-a-users: CAN_RUN on repo /Repos/team-a/etl; READ_FILES on external location team_a_location; USE_CONNECTION on connection team_a_connection; USE_SCHEMA, SELECT on schema team_a.raw',
      expect.stringMatching(/^If a step fails or the saga is cancelled, what it created is deleted again, newest first\./),
    ]);
  });

  it('durabricks provision --plan prints the plan and exits 0 without connecting', () => {
    // Nothing listens on port 1: a connection attempt would fail with exit 1.
    const env = { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', DURABRICKS_LOG_LEVEL: 'silent', TEAM: 'plan' };
    const res = spawnSync(process.execPath, [join(ROOT, 'bin/durabricks.js'), 'provision', 'examples/provision.yaml', '--plan', '--id', 'p-1'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^plan for provisioning plan as workflow p-1, in this order:$/m);
    expect(res.stdout).toMatch(/^ {3}1\. group plan-team$/m);
    expect(res.stdout).toMatch(/^ +\d+\. repo \/Repos\/plan\/notebook-best-practices cloning /m);
    expect(res.stdout).not.toMatch(/started provisioning/);
  });
});
