import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlEngine } from '../../../src/emulator/sql/index.js';
import { failure } from './helpers.js';

let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create({ now: () => 1_700_000_000_000, seed: 1 });
  await (await engine.runScript('CREATE TABLE main.default.existing (a INT)')).release();
});
afterAll(() => engine.close());

/** Databricks' own wording for the errors a pipeline's SQL most often hits, not DuckDB's. */
describe('SQL errors read as a Databricks warehouse writes them', () => {
  it.each([
    ['SELECT * FROM nowhere', /^\[TABLE_OR_VIEW_NOT_FOUND\] The table or view `nowhere` cannot be found\. Verify the spelling .* SQLSTATE: 42P01$/],
    ['SELECT nocol FROM main.default.existing', /^\[UNRESOLVED_COLUMN\.WITHOUT_SUGGESTION\] A column, variable, or function parameter with name `nocol` cannot be resolved\. SQLSTATE: 42703$/],
    ['SELECT 1 FROM FROM', /^\[PARSE_SYNTAX_ERROR\] Syntax error at or near 'FROM'\. SQLSTATE: 42601$/],
    ['SELECT 1 +', /^\[PARSE_SYNTAX_ERROR\] Syntax error at or near end of input\. SQLSTATE: 42601$/],
    ["SELECT CAST('x' AS INT)", /^\[CAST_INVALID_INPUT\] The value 'x' of the type "STRING" cannot be cast to the target type because it is malformed\. .*`try_cast`.* SQLSTATE: 22018$/],
    ['CREATE TABLE main.default.existing (b INT)', /^\[TABLE_OR_VIEW_ALREADY_EXISTS\] Cannot create table or view `existing` because it already exists\. .* SQLSTATE: 42P07$/],
    ['SELECT * FROM nocat.s.t', /^\[NO_SUCH_CATALOG_EXCEPTION\] Catalog 'nocat' was not found\. .* SQLSTATE: 42704$/],
    ['SELECT no_such_fn(1)', /^\[UNRESOLVED_ROUTINE\] Cannot resolve routine `no_such_fn` on search path .* SQLSTATE: 42883$/],
  ])('%s', async (sql, expected) => {
    const message = await failure(engine, sql);
    expect(message).toMatch(expected);
    expect(message).not.toMatch(/Catalog Error|Binder Error|Parser Error|Conversion Error|DECIMAL\(38/);
  });
});
