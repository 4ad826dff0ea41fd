import { describe, expect, it } from 'vitest';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

/** Unity Catalog function activities (client `functions` service) against the in-process emulator. */
const ctx = useEmulatorActivities();
const attempt = (n: number) => ({ attempt: n, activityId: 'uc-functions-1' });
const fn = {
  name: 'double_it',
  catalog_name: 'main',
  schema_name: 'default',
  input_params: { parameters: [{ name: 'x', type_text: 'int', type_name: 'INT', position: 0 }] },
  data_type: 'INT',
  full_data_type: 'int',
  routine_body: 'SQL' as const,
  routine_definition: 'x * 2',
  is_deterministic: true,
  sql_data_access: 'CONTAINS_SQL' as const,
  is_null_call: false,
  specific_name: 'double_it',
};

describe('function activities', () => {
  it('a retried create adopts the function its first attempt made; a first attempt keeps the conflict', async () => {
    const first = await mockEnv(attempt(1)).exec(ctx.acts.functionsCreate, fn);
    expect(first).toMatchObject({ full_name: 'main.default.double_it', routine_definition: 'x * 2' });
    expect((await mockEnv(attempt(2)).exec(ctx.acts.functionsCreate, fn)).function_id).toBe(first.function_id);
    expect(await rejection(mockEnv(attempt(1)).exec(ctx.acts.functionsCreate, fn))).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });
  });

  it('get, list, update owner and delete', async () => {
    await mockEnv(attempt(1)).exec(ctx.acts.functionsCreate, fn);
    expect((await mockEnv(attempt(1)).exec(ctx.acts.functionsList, { catalog_name: 'main', schema_name: 'default' })).map((f) => f.name)).toEqual(['double_it']);
    expect(await mockEnv(attempt(1)).exec(ctx.acts.functionsUpdate, { name: 'main.default.double_it', owner: 'data-eng' })).toMatchObject({ owner: 'data-eng' });
    await mockEnv(attempt(1)).exec(ctx.acts.functionsDelete, { name: 'main.default.double_it' });
    expect(await rejection(mockEnv(attempt(1)).exec(ctx.acts.functionsGet, { name: 'main.default.double_it' }))).toMatchObject({ type: 'NotFoundError', nonRetryable: true });
  });
});
