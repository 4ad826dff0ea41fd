import { describe, expect, it } from 'vitest';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

/** Storage credential and external location activities against the in-process emulator. */
const ctx = useEmulatorActivities();
const attempt = (n: number) => ({ attempt: n, activityId: 'uc-storage-1' });
const role = { role_arn: 'arn:aws:iam::123456789012:role/uc' };
const SP_SECRET_ENV = 'DURABRICKS_TEST_SP_CLIENT_SECRET';

describe('storage credential and external location activities', () => {
  it('a retried create adopts the credential its first attempt made; a first attempt keeps the conflict; the client secret goes by reference', async () => {
    process.env[SP_SECRET_ENV] = 'sp-s3cr3t';
    const input = { name: 'cred', azure_service_principal: { directory_id: 'd', application_id: 'a', client_secret: { fromEnv: SP_SECRET_ENV } }, comment: 'etl' };
    const first = await mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsCreate, input);
    expect(JSON.stringify(input)).not.toMatch(/s3cr3t/);
    expect(first).toMatchObject({ name: 'cred', azure_service_principal: { directory_id: 'd', application_id: 'a' } });
    expect(JSON.stringify(first)).not.toMatch(/s3cr3t/);
    const retried = await mockEnv(attempt(2)).exec(ctx.acts.storageCredentialsCreate, input);
    expect(retried.id).toBe(first.id);
    expect(await mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsList, {})).toHaveLength(1);
    const err = await rejection(mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsCreate, input));
    expect(err).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });
    const updated = await mockEnv(attempt(1)).exec(ctx.acts.storageCredentialsUpdate, { ...input, comment: 'rotated' });
    expect(updated).toMatchObject({ comment: 'rotated' });
    expect(JSON.stringify(updated)).not.toMatch(/s3cr3t/);
    delete process.env[SP_SECRET_ENV];
  });

  it('a secret given in plain (Azure client secret, R2 secret access key) is refused by name before anything is sent', async () => {
    const sp = await rejection(mockEnv().exec(ctx.acts.storageCredentialsCreate, { name: 'leaky', azure_service_principal: { directory_id: 'd', application_id: 'a', client_secret: 'plain-leak-me' } } as never));
    expect(sp).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(sp.message).toContain('azure_service_principal.client_secret');
    expect(sp.message).not.toContain('plain-leak-me');
    const r2 = await rejection(mockEnv().exec(ctx.acts.storageCredentialsUpdate, { name: 'leaky', cloudflare_api_token: { access_key_id: 'k', account_id: 'acc', secret_access_key: 'r2-leak-me' } } as never));
    expect(r2.message).toContain('cloudflare_api_token.secret_access_key');
    expect(r2.message).not.toContain('r2-leak-me');
    expect(ctx.events).toHaveLength(0);
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
