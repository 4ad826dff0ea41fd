import { describe, expect, it } from 'vitest';
import { acrossRestart, useAdminAndUser } from './helpers.js';

/** Instance profiles on the wire, and clusters that may launch only with a registered one. */

const P = '/api/2.0/instance-profiles';
const ARN = 'arn:aws:iam::123456789012:instance-profile/data-team';
const ROLE = 'arn:aws:iam::123456789012:role/data-team-role';
type Listed = { instance_profiles?: { instance_profile_arn: string; iam_role_arn?: string; is_meta_instance_profile: boolean }[] };

describe('instance profiles', () => {
  const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
  const listed = async (as = ctx.admin) => (await as.get<Listed>(`${P}/list`)).body;

  it('add, list, edit and remove; anyone lists; a duplicate and a missing one are refused', async () => {
    expect(await listed()).toEqual({});
    const added = await ctx.admin.post(`${P}/add`, { instance_profile_arn: ARN, skip_validation: true });
    expect({ status: added.status, body: added.body }).toEqual({ status: 200, body: {} });
    expect(await listed(ctx.user)).toEqual({ instance_profiles: [{ instance_profile_arn: ARN, is_meta_instance_profile: false }] });

    const dup = await ctx.admin.post(`${P}/add`, { instance_profile_arn: ARN });
    expect({ status: dup.status, body: dup.body }).toEqual({ status: 409, body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: `Instance profile ${ARN} already exists.` } });

    expect((await ctx.admin.post(`${P}/edit`, { instance_profile_arn: ARN, iam_role_arn: ROLE, is_meta_instance_profile: true })).status).toBe(200);
    expect(await listed()).toEqual({ instance_profiles: [{ instance_profile_arn: ARN, iam_role_arn: ROLE, is_meta_instance_profile: true }] });
    // Edit replaces: no role given clears it.
    await ctx.admin.post(`${P}/edit`, { instance_profile_arn: ARN, iam_role_arn: '' });
    expect(await listed()).toEqual({ instance_profiles: [{ instance_profile_arn: ARN, is_meta_instance_profile: false }] });

    expect((await ctx.admin.post(`${P}/remove`, { instance_profile_arn: ARN })).status).toBe(200);
    expect(await listed()).toEqual({});
    for (const verb of ['remove', 'edit']) {
      const missing = await ctx.admin.post(`${P}/${verb}`, { instance_profile_arn: ARN });
      expect({ verb, status: missing.status, body: missing.body }).toEqual({ verb, status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Instance profile ${ARN} does not exist.` } });
    }
  });

  it('ARNs must be instance-profile (and role) ARNs of a 12-digit account; refusals change nothing', async () => {
    const bad = [
      'abc',
      'arn:aws:iam::instance-profile/x',
      'arn:aws:iam::12345:instance-profile/x',
      'arn:aws:iam::123456789012:role/x',
      'arn:aws:iam::123456789012:instance-profile/',
    ];
    for (const arn of bad) {
      const r = await ctx.admin.post(`${P}/add`, { instance_profile_arn: arn });
      expect({ arn, status: r.status, body: r.body }).toEqual({
        arn,
        status: 400,
        body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid value for field instance_profile_arn: must look like arn:aws:iam::<account-id>:instance-profile/<name>' },
      });
    }
    const badRole = await ctx.admin.post(`${P}/add`, { instance_profile_arn: ARN, iam_role_arn: ARN });
    expect(badRole.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid value for field iam_role_arn: must look like arn:aws:iam::<account-id>:role/<name>' });
    expect((await ctx.admin.post(`${P}/add`, {})).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: instance_profile_arn' });
    expect(await listed()).toEqual({});
    // Paths and the GovCloud partition are fine.
    for (const arn of ['arn:aws:iam::123456789012:instance-profile/teams/data/etl', 'arn:aws-us-gov:iam::123456789012:instance-profile/gov']) {
      expect((await ctx.admin.post(`${P}/add`, { instance_profile_arn: arn })).status).toBe(200);
    }
  });

  it('add, edit and remove are for admins only', async () => {
    await ctx.admin.post(`${P}/add`, { instance_profile_arn: ARN });
    for (const verb of ['add', 'edit', 'remove']) {
      const r = await ctx.user.post(`${P}/${verb}`, { instance_profile_arn: ARN });
      expect({ verb, status: r.status, body: r.body }).toEqual({
        verb,
        status: 403,
        body: { error_code: 'PERMISSION_DENIED', message: 'Only workspace admins can add, edit or remove instance profiles.' },
      });
    }
    expect(await listed()).toEqual({ instance_profiles: [{ instance_profile_arn: ARN, is_meta_instance_profile: false }] });
  });

  it('clusters/create, edit and update refuse an unregistered instance profile; a registered one launches', async () => {
    const spec = { cluster_name: 'ip', spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 };
    const refusal = { error_code: 'INVALID_PARAMETER_VALUE', message: `Instance profile ${ARN} is not registered in this workspace: an admin must add it (instance-profiles/add) before clusters can use it.` };
    const refused = await ctx.user.post('/api/2.1/clusters/create', { ...spec, aws_attributes: { instance_profile_arn: ARN } });
    expect({ status: refused.status, body: refused.body }).toEqual({ status: 400, body: refusal });
    expect((await ctx.admin.get('/api/2.1/clusters/list')).body).toEqual({});

    const plain = (await ctx.user.post<{ cluster_id: string }>('/api/2.1/clusters/create', spec)).body.cluster_id;
    const edit = await ctx.user.post('/api/2.1/clusters/edit', { cluster_id: plain, ...spec, aws_attributes: { instance_profile_arn: ARN } });
    expect(edit.body).toEqual(refusal);
    const update = await ctx.user.post('/api/2.1/clusters/update', { cluster_id: plain, update_mask: 'aws_attributes', cluster: { aws_attributes: { instance_profile_arn: ARN } } });
    expect(update.body).toEqual(refusal);

    await ctx.admin.post(`${P}/add`, { instance_profile_arn: ARN });
    const made = await ctx.user.post<{ cluster_id: string }>('/api/2.1/clusters/create', { ...spec, aws_attributes: { instance_profile_arn: ARN } });
    expect(made.status).toBe(200);
    // Removing the profile leaves the cluster as it is (docs: existing clusters keep working).
    await ctx.admin.post(`${P}/remove`, { instance_profile_arn: ARN });
    const kept = await ctx.user.get<{ aws_attributes?: Record<string, unknown> }>('/api/2.1/clusters/get', { cluster_id: made.body.cluster_id });
    expect(kept.body.aws_attributes).toEqual({ instance_profile_arn: ARN });
  });

  it('survive a restart with a data dir', async () => {
    const after = await acrossRestart(
      (api) => api.post(`${P}/add`, { instance_profile_arn: ARN, iam_role_arn: ROLE }),
      async (api) => (await api.get<Listed>(`${P}/list`)).body,
    );
    expect(after).toEqual({ instance_profiles: [{ instance_profile_arn: ARN, iam_role_arn: ROLE, is_meta_instance_profile: false }] });
  });
});
