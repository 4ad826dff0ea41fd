import { describe, expect, it } from 'vitest';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

/** Storage credential and external location activities against the in-process emulator. */
const ctx = useEmulatorActivities();
const attempt = (n: number) => ({ attempt: n, activityId: 'uc-storage-1' });
const role = { role_arn: 'arn:aws:iam::123456789012:role/uc' };

describe('storage credential and external location activities', () => {
  it('a retried create adopts the credential its first attempt made; a first attempt keeps the conflict', async () => {
    const input = { name: 'cred', azure_service_principal: { directory_id: 'd', application_id: 'a', client_secret: 'sp-s3cr3t' }, comment: 'etl' };
    const first = await mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsCreate, input);
    expect(first).toMatchObject({ name: 'cred', azure_service_principal: { directory_id: 'd', application_id: 'a' } });
    expect(JSON.stringify(first)).not.toMatch(/s3cr3t/);
    const retried = await mockEnv(attempt(2)).exec(ctx.acts.storageCredentialsCreate, input);
    expect(retried.id).toBe(first.id);
    expect(await mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsList, {})).toHaveLength(1);
    const err = await rejection(mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsCreate, input));
    expect(err).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });
  });

  it('a retry that meets a same-named credential or location that differs fails, typed and non-retryable', async () => {
    await mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsCreate, { name: 'cred', aws_iam_role: role });
    const other = await rejection(mockEnv(attempt(2)).exec(ctx.acts.storageCredentialsCreate, { name: 'cred', aws_iam_role: { role_arn: 'arn:aws:iam::123456789012:role/other' } }));
    expect(other).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });
    const readOnly = await rejection(mockEnv(attempt(3)).exec(ctx.acts.storageCredentialsCreate, { name: 'cred', aws_iam_role: role, read_only: true }));
    expect(readOnly).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });

    const loc = { name: 'land', url: 's3://bucket/landing', credential_name: 'cred' };
    const made = await mockEnv(attempt(1)).exec(ctx.acts.externalLocationsCreate, loc);
    expect((await mockEnv(attempt(2)).exec(ctx.acts.externalLocationsCreate, { ...loc, url: 's3://bucket/landing/' })).id).toBe(made.id);
    await mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsCreate, { name: 'cred2', aws_iam_role: role });
    const elsewhere = await rejection(mockEnv(attempt(2)).exec(ctx.acts.externalLocationsCreate, { ...loc, credential_name: 'cred2' }));
    expect(elsewhere).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });
  });

  it('get and list; a delete whose earlier attempt landed counts as done, a first attempt on nothing is NotFound', async () => {
    await mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsCreate, { name: 'cred', databricks_gcp_service_account: {} });
    await mockEnv(attempt(1)).exec(ctx.acts.externalLocationsCreate, { name: 'land', url: 'gs://bucket/landing', credential_name: 'cred' });
    expect(await mockEnv(attempt(1)).exec(ctx.acts.externalLocationsGet, { name: 'land' })).toMatchObject({ url: 'gs://bucket/landing', credential_name: 'cred' });
    expect((await mockEnv(attempt(1)).exec(ctx.acts.externalLocationsList, {})).map((l) => l.name)).toEqual(['land']);
    const inUse = await rejection(mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsDelete, { name: 'cred' }));
    expect(inUse).toMatchObject({ type: 'BadRequestError', nonRetryable: true });

    expect(await mockEnv(attempt(1)).exec(ctx.acts.externalLocationsDelete, { name: 'land' })).toEqual({ deleted: true });
    expect(await mockEnv(attempt(2)).exec(ctx.acts.externalLocationsDelete, { name: 'land' })).toEqual({ deleted: false });
    expect(await mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsDelete, { name: 'cred' })).toEqual({ deleted: true });
    const missing = await rejection(mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsGet, { name: 'cred' }));
    expect(missing).toMatchObject({ type: 'NotFoundError', nonRetryable: true });
    expect(await rejection(mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsDelete, { name: 'cred' }))).toMatchObject({ type: 'NotFoundError' });
  });
});
