import type { SqlEngine, ExecuteOptions } from '../../../src/emulator/sql/index.js';

/** Runs a script and returns column names and all rows (statement API value format). */
export async function query(engine: SqlEngine, sql: string, options: ExecuteOptions = {}) {
  const r = await engine.runScript(sql, options);
  try {
    return { columns: r.columns.map((c) => c.name), types: r.columns.map((c) => c.type.typeName), rows: await r.read(0, r.rowCount) };
  } finally {
    await r.release();
  }
}

/** The error message of a failing script (fails the test if the script succeeds). */
export async function failure(engine: SqlEngine, sql: string, options: ExecuteOptions = {}): Promise<string> {
  try {
    const r = await engine.runScript(sql, options);
    await r.release();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected failure: ${sql}`);
}
