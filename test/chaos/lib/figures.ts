/** The numbers the suite reports: one row per scenario, a total, printed and written to docs/reliability.md. */

export interface ScenarioFigures {
  scenario: string;
  seed?: number;
  /** Worker SIGKILLs plus dev-server SIGKILLs. */
  crashes: number;
  workflows: number;
  /** Workflows that ended exactly as planned (completed, or failed with the planned type). */
  asExpected: number;
  duplicates: number;
  leaks: number;
  apiCalls: number;
  throttled: number;
  badInputsTried: number;
  badInputsRejected: number;
  canaryHits: number;
  /** Everything that went wrong, one line each; empty = the scenario passed. */
  problems: string[];
  seconds: number;
}

export function emptyFigures(scenario: string, seed?: number): ScenarioFigures {
  return {
    scenario,
    ...(seed !== undefined ? { seed } : {}),
    crashes: 0,
    workflows: 0,
    asExpected: 0,
    duplicates: 0,
    leaks: 0,
    apiCalls: 0,
    throttled: 0,
    badInputsTried: 0,
    badInputsRejected: 0,
    canaryHits: 0,
    problems: [],
    seconds: 0,
  };
}

const COLUMNS: [string, (f: ScenarioFigures) => string][] = [
  ['scenario', (f) => f.scenario + (f.seed !== undefined ? ` (seed ${f.seed})` : '')],
  ['result', (f) => (f.problems.length === 0 ? 'pass' : `FAIL (${f.problems.length})`)],
  ['crashes injected', (f) => String(f.crashes)],
  ['workflows', (f) => String(f.workflows)],
  ['ended as expected', (f) => String(f.asExpected)],
  ['duplicates', (f) => String(f.duplicates)],
  ['leaks', (f) => String(f.leaks)],
  ['API calls', (f) => String(f.apiCalls)],
  ['429s', (f) => (f.throttled === 0 ? '0' : `${f.throttled} (${((100 * f.throttled) / Math.max(1, f.apiCalls)).toFixed(2)} %)`)],
  ['bad inputs tried / rejected', (f) => (f.badInputsTried === 0 ? '–' : `${f.badInputsTried} / ${f.badInputsRejected}`)],
  ['canary hits', (f) => String(f.canaryHits)],
  ['seconds', (f) => f.seconds.toFixed(0)],
];

export function total(rows: ScenarioFigures[]): ScenarioFigures {
  const t = emptyFigures('TOTAL');
  for (const r of rows) {
    for (const k of ['crashes', 'workflows', 'asExpected', 'duplicates', 'leaks', 'apiCalls', 'throttled', 'badInputsTried', 'badInputsRejected', 'canaryHits', 'seconds'] as const) t[k] += r[k];
    t.problems.push(...r.problems.map((p) => `${r.scenario}: ${p}`));
  }
  return t;
}

export function markdownTable(rows: ScenarioFigures[]): string {
  const all = [...rows, total(rows)];
  const lines = [`| ${COLUMNS.map(([h]) => h).join(' | ')} |`, `|${COLUMNS.map(() => '---').join('|')}|`];
  for (const r of all) lines.push(`| ${COLUMNS.map(([, f]) => f(r).replaceAll('|', '\\|')).join(' | ')} |`);
  return lines.join('\n');
}

/** Fixed-width table for the terminal. */
export function textTable(rows: ScenarioFigures[]): string {
  const all = [...rows, total(rows)];
  const cells = [COLUMNS.map(([h]) => h), ...all.map((r) => COLUMNS.map(([, f]) => f(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row, j) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ') + (j === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : '')).join('\n');
}
