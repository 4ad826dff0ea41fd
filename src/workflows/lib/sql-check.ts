/**
 * `sql.check: true`: the follow-up statement is a data check, as Airflow's SQLCheckOperator reads one —
 * its first row must exist and every value in it be true. No Node imports: bundled into the workflow.
 */

/**
 * Whether a value the Statement Execution API returned (a string, or null) counts as false: NULL, the
 * empty string, `false` in any case, or a number equal to zero (`0`, `0.0`, `-0`).
 */
export function isFalsy(value: string | null): boolean {
  if (value === null) return true;
  const v = value.trim();
  if (v === '' || v.toLowerCase() === 'false') return true;
  return /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(v) && Number(v) === 0;
}

/** Why the check failed, naming the false columns and the row as read; undefined when it passed. */
export function checkFailure(columns: string[], rows: (string | null)[][]): string | undefined {
  const first = rows[0];
  if (!first) return 'the check returned no rows';
  const name = (i: number) => columns[i] ?? `column ${i + 1}`;
  const falsy = first.map((v, i) => (isFalsy(v) ? name(i) : undefined)).filter((n): n is string => n !== undefined);
  if (falsy.length === 0) return undefined;
  const row = first.map((v, i) => `${name(i)}=${v === null ? 'NULL' : v}`).join(', ');
  return `${falsy.join(', ')} ${falsy.length === 1 ? 'is' : 'are'} not true (first row: ${row})`;
}
