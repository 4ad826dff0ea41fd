import { describe, expect, it } from 'vitest';
import { checkFailure, isFalsy } from '../../../src/workflows/lib/sql-check.js';

describe('sql.check', () => {
  it('NULL, empty, false and zero are false; anything else is true', () => {
    for (const v of [null, '', ' ', 'false', 'FALSE', '0', '0.0', '-0', '+0.00', '0e5']) expect(isFalsy(v), String(v)).toBe(true);
    for (const v of ['true', '1', '-1', '0.01', 'f', 'no', '2026-11-20', 'abc', '00x']) expect(isFalsy(v), v).toBe(false);
  });

  it('passes when the first row is all true; names the false columns and the row otherwise', () => {
    expect(checkFailure(['has_rows', 'total_ok'], [['true', 'true'], ['false', 'false']])).toBeUndefined();
    expect(checkFailure(['has_rows', 'total_ok', 'n'], [['true', 'false', null]])).toBe('total_ok, n are not true (first row: has_rows=true, total_ok=false, n=NULL)');
    expect(checkFailure(['ok'], [['0']])).toBe('ok is not true (first row: ok=0)');
    expect(checkFailure(['ok'], [])).toBe('the check returned no rows');
    expect(checkFailure([], [['false']])).toBe('column 1 is not true (first row: column 1=false)');
  });
});
