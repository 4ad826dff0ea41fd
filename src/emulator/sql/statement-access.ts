import { matchParen } from './expressions.js';
import type { Token } from './lexer.js';
import { readName, type QualifiedName } from './translate.js';

/**
 * What a statement touches in Unity Catalog, read from its tokens: the tables and views it reads
 * (FROM and JOIN factors at any depth, MERGE's USING source; CTE names are not tables), the table it
 * writes, the object it creates, the objects it drops, alters or comments on, and the functions it
 * calls. Names are as written; statement-privileges.ts qualifies them and checks the caller's
 * privileges before the statement runs. Statements not listed here touch nothing that needs a data
 * privilege (USE, SET, maintenance no-ops) or are checked where they run: GRANT by the grants store,
 * SHOW, DESCRIBE and SHOW GRANTS by metadata-access.ts.
 */
export interface StatementAccess {
  /** Need SELECT (a view counts as itself: its owner answers for the tables under it). */
  reads: QualifiedName[];
  /** Need MODIFY (INSERT, UPDATE, DELETE, MERGE, TRUNCATE). */
  modifies: QualifiedName[];
  /**
   * Needs CREATE TABLE / CREATE FUNCTION on the schema, CREATE SCHEMA on the catalog, or CREATE CATALOG
   * on the metastore; `replace` may replace an existing table.
   */
  creates?: { kind: 'table' | 'function' | 'schema' | 'catalog'; name: QualifiedName; replace: boolean };
  /** DROP, ALTER, COMMENT ON: the owner (or MANAGE) only. */
  manages: { kind: 'catalog' | 'schema' | 'table' | 'function'; name: QualifiedName }[];
  /**
   * Names called as functions (`f(`, `s.f(`, `c.s.f(`, table functions in FROM too): those that bind
   * to a UC function need EXECUTE on it. Built-ins and keywords followed by `(` are here as well;
   * statement-privileges.ts keeps only names DuckDB binds to a UC function.
   */
  calls?: QualifiedName[];
  /**
   * Calls DuckDB's query() or query_table(), which read tables named in strings the scan cannot see
   * (Databricks has neither function): refused to anyone the privileges are checked for.
   */
  opaque?: true;
}

const isWord = (t: Token | undefined, ...words: string[]) => t?.kind === 'word' && (words.length === 0 || words.includes(t.value));
const isOp = (t: Token | undefined, op: string) => t?.kind === 'op' && t.text === op;
const isName = (t: Token | undefined) => t?.kind === 'word' || t?.kind === 'quoted';

/** Words that end a FROM list (at its own depth): the next clause or set operation. */
const FROM_LIST_END = new Set(['WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'QUALIFY', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'SELECT', 'SET', 'WHEN', 'OFFSET']);

/** `name` at tokens[i], or undefined when there is none (the statement already translated, so this is rare). */
function nameAt(tokens: readonly Token[], i: number): { parts: QualifiedName; next: number } | undefined {
  if (!isName(tokens[i])) return undefined;
  try {
    return readName(tokens, i);
  } catch {
    return undefined;
  }
}

/** Index after an optional `IF [NOT] EXISTS`. */
function skipIf(tokens: readonly Token[], i: number): number {
  if (isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'NOT') && isWord(tokens[i + 2], 'EXISTS')) return i + 3;
  if (isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'EXISTS')) return i + 2;
  return i;
}

/** Names the statement's WITH clauses define (at any depth): references to them are not tables. */
function cteNames(tokens: readonly Token[]): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'WITH')) continue;
    let j = isWord(tokens[i + 1], 'RECURSIVE') ? i + 2 : i + 1;
    for (;;) {
      const name = tokens[j];
      if (!isName(name)) break;
      let k = j + 1;
      if (isOp(tokens[k], '(')) k = matchParen(tokens, k) + 1;
      if (!isWord(tokens[k], 'AS')) break;
      k++;
      if (isWord(tokens[k], 'NOT')) k++;
      if (isWord(tokens[k], 'MATERIALIZED')) k++;
      if (!isOp(tokens[k], '(')) break;
      names.add((name!.kind === 'word' ? name!.text : name!.value).toLowerCase());
      k = matchParen(tokens, k) + 1;
      if (!isOp(tokens[k], ',')) break;
      j = k + 1;
    }
  }
  return names;
}

/**
 * Whether the FROM at tokens[i] starts a FROM clause rather than being part of an expression:
 * `IS DISTINCT FROM`, `EXTRACT(YEAR FROM d)`, `TRIM(BOTH FROM s)`, `substring(s FROM 2)` are not.
 */
function startsFromClause(tokens: readonly Token[], i: number): boolean {
  if (isWord(tokens[i - 1], 'DISTINCT')) return false;
  let depth = 0;
  for (let k = i - 1; k >= 0; k--) {
    if (isOp(tokens[k], ')')) depth++;
    else if (isOp(tokens[k], '(')) {
      if (depth === 0) {
        // Inside parentheses: a function's arguments unless they are a query.
        const fn = tokens[k - 1];
        const firstInside = tokens[k + 1];
        return !(fn?.kind === 'word' && !isWord(fn, 'IN', 'EXISTS', 'AS', 'FROM', 'JOIN', 'ON', 'AND', 'OR', 'NOT', 'SELECT', 'WHERE', 'USING') && !isWord(firstInside, 'SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE'));
      }
      depth--;
    }
  }
  return true;
}

class Scanner {
  readonly reads: QualifiedName[] = [];
  private readonly ctes: Set<string>;
  constructor(private readonly tokens: readonly Token[]) {
    this.ctes = cteNames(tokens);
  }

  /** One table factor at tokens[i]: a name (not a table function, subquery, VALUES or CTE) is a read. */
  factor(i: number): void {
    const t = this.tokens[i];
    if (isWord(t, 'LATERAL', 'VALUES') || isOp(t, '(')) return;
    const name = nameAt(this.tokens, i);
    if (!name || isOp(this.tokens[name.next], '(')) return;
    if (name.parts.length === 1 && this.ctes.has(name.parts[0]!)) return;
    this.reads.push(name.parts);
  }

  /** The factors of the FROM list starting at tokens[i]: the first, then each after a comma at its depth. */
  private fromList(i: number): void {
    this.factor(i);
    let depth = 0;
    for (let k = i; k < this.tokens.length; k++) {
      const t = this.tokens[k]!;
      if (isOp(t, '(')) depth++;
      else if (isOp(t, ')')) {
        if (--depth < 0) return;
      } else if (depth === 0 && isOp(t, ';')) return;
      else if (depth === 0 && t.kind === 'word' && FROM_LIST_END.has(t.value)) return;
      else if (depth === 0 && isOp(t, ',')) this.factor(k + 1);
    }
  }

  /** Every FROM clause and JOIN from tokens[start] on, at any depth (subqueries, CTE bodies, IN (…)). */
  scan(start: number): this {
    for (let i = start; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (isWord(t, 'FROM') && startsFromClause(this.tokens, i)) this.fromList(i + 1);
      else if (isWord(t, 'JOIN')) this.factor(i + 1);
      // `TABLE t` as a query (alone, in a set operation or a subquery); not `TABLE(…)`.
      else if (isWord(t, 'TABLE') && (i === 0 || isOp(this.tokens[i - 1], '(') || isWord(this.tokens[i - 1], 'UNION', 'INTERSECT', 'EXCEPT', 'ALL', 'DISTINCT'))) this.factor(i + 1);
    }
    return this;
  }
}

const none = (): StatementAccess => ({ reads: [], modifies: [], manages: [] });

/** DuckDB table functions that run SQL or read a table given as a string. */
const OPAQUE_FUNCTIONS = ['QUERY', 'QUERY_TABLE'];

/** Words before a name that make `name (` a definition or a column list, not a call. */
const NOT_A_CALL_AFTER = ['INTO', 'TABLE', 'VIEW', 'FUNCTION', 'EXISTS'];

/** Every dotted name followed by `(` (see StatementAccess.calls), each once. */
function callsOf(tokens: readonly Token[]): QualifiedName[] {
  const calls = new Map<string, QualifiedName>();
  for (let i = 0; i < tokens.length; i++) {
    if (!isName(tokens[i]) || isOp(tokens[i - 1], '.') || isWord(tokens[i - 1], ...NOT_A_CALL_AFTER)) continue;
    const name = nameAt(tokens, i);
    if (!name || !isOp(tokens[name.next], '(')) continue;
    calls.set(name.parts.join('.'), name.parts);
    i = name.next - 1;
  }
  return [...calls.values()];
}

export function statementAccess(tokens: readonly Token[]): StatementAccess {
  const access = accessOf(tokens);
  const calls = callsOf(tokens);
  const opaque = tokens.some((t, i) => isWord(t, ...OPAQUE_FUNCTIONS) && isOp(tokens[i + 1], '(') && !isOp(tokens[i - 1], '.'));
  return { ...access, ...(calls.length > 0 ? { calls } : {}), ...(opaque ? { opaque: true as const } : {}) };
}

function accessOf(tokens: readonly Token[]): StatementAccess {
  const first = isWord(tokens[0]) ? tokens[0]!.value : isOp(tokens[0], '(') ? '(' : '';
  const access = none();
  const scanner = new Scanner(tokens);
  const withReads = (a: StatementAccess, from: number): StatementAccess => ({ ...a, reads: [...a.reads, ...scanner.scan(from).reads] });
  switch (first) {
    case 'SELECT':
    case 'WITH':
    case 'FROM':
    case 'VALUES':
    case 'TABLE':
    case 'EXPLAIN':
    case '(':
      return withReads(access, 0);
    case 'INSERT': {
      let i = 2;
      if (isWord(tokens[i], 'TABLE')) i++;
      const target = nameAt(tokens, i);
      if (!target) return withReads(access, 0);
      access.modifies.push(target.parts);
      // INSERT INTO t [(cols)] TABLE s
      let k = target.next;
      if (isOp(tokens[k], '(') && !isWord(tokens[k + 1], 'SELECT', 'WITH', 'FROM', 'VALUES')) k = matchParen(tokens, k) + 1;
      if (isWord(tokens[k], 'TABLE')) scanner.factor(k + 1);
      return withReads(access, target.next);
    }
    case 'UPDATE': {
      const target = nameAt(tokens, 1);
      if (!target) return withReads(access, 0);
      // Real UPDATEs read the rows they change (SET x = x + 1, WHERE): SELECT as well as MODIFY.
      access.modifies.push(target.parts);
      access.reads.push(target.parts);
      return withReads(access, target.next);
    }
    case 'DELETE': {
      const target = nameAt(tokens, isWord(tokens[1], 'FROM') ? 2 : 1);
      if (!target) return withReads(access, 0);
      access.modifies.push(target.parts);
      // A DELETE with a condition reads the table; DELETE FROM t alone only empties it.
      if (tokens.slice(target.next).some((t) => isWord(t, 'WHERE'))) access.reads.push(target.parts);
      return withReads(access, target.next);
    }
    case 'MERGE': {
      const target = nameAt(tokens, isWord(tokens[1], 'INTO') ? 2 : 1);
      if (!target) return withReads(access, 0);
      access.modifies.push(target.parts);
      access.reads.push(target.parts);
      const using = tokens.findIndex((t, k) => k >= target.next && isWord(t, 'USING'));
      if (using >= 0) scanner.factor(using + 1);
      return withReads(access, target.next);
    }
    case 'TRUNCATE': {
      const target = nameAt(tokens, isWord(tokens[1], 'TABLE') ? 2 : 1);
      if (target) access.modifies.push(target.parts);
      return access;
    }
    case 'CREATE':
      return createAccess(tokens, access, (from) => scanner.scan(from).reads);
    case 'DROP': {
      const kw = isWord(tokens[1]) ? tokens[1]!.value : '';
      // DROP TEMPORARY FUNCTION drops the session's own function: nothing of UC's.
      const kind = kw === 'CATALOG' ? 'catalog' : kw === 'SCHEMA' || kw === 'DATABASE' ? 'schema' : kw === 'TABLE' || kw === 'VIEW' ? 'table' : kw === 'FUNCTION' ? 'function' : undefined;
      const name = kind && nameAt(tokens, skipIf(tokens, 2));
      if (kind && name) access.manages.push({ kind, name: name.parts });
      return access;
    }
    case 'ALTER': {
      const name = isWord(tokens[1], 'TABLE', 'VIEW') ? nameAt(tokens, 2) : undefined;
      if (name) access.manages.push({ kind: 'table', name: name.parts });
      return access;
    }
    case 'COMMENT': {
      const kw = isWord(tokens[1], 'ON') && isWord(tokens[2]) ? tokens[2]!.value : '';
      const name = nameAt(tokens, 3);
      if (!name) return access;
      if (kw === 'CATALOG') access.manages.push({ kind: 'catalog', name: name.parts });
      else if (kw === 'SCHEMA' || kw === 'DATABASE') access.manages.push({ kind: 'schema', name: name.parts });
      else if (kw === 'TABLE' || kw === 'VIEW') access.manages.push({ kind: 'table', name: name.parts });
      else if (kw === 'COLUMN' && name.parts.length > 1) access.manages.push({ kind: 'table', name: name.parts.slice(0, -1) });
      return access;
    }
    default:
      return access;
  }
}

/** CREATE [OR REPLACE] [TEMP] TABLE|VIEW|FUNCTION|SCHEMA|CATALOG: temporary objects are the session's, not UC's. */
function createAccess(tokens: readonly Token[], access: StatementAccess, reads: (from: number) => QualifiedName[]): StatementAccess {
  let i = 1;
  const replace = isWord(tokens[i], 'OR') && isWord(tokens[i + 1], 'REPLACE');
  if (replace) i += 2;
  const temp = isWord(tokens[i], 'TEMP', 'TEMPORARY');
  if (temp) i++;
  const kw = isWord(tokens[i]) ? tokens[i]!.value : '';
  const kind = kw === 'TABLE' || kw === 'VIEW' ? 'table' : kw === 'FUNCTION' ? 'function' : kw === 'SCHEMA' || kw === 'DATABASE' ? 'schema' : kw === 'CATALOG' ? 'catalog' : undefined;
  if (!kind) return access;
  const name = nameAt(tokens, skipIf(tokens, i + 1));
  if (!name) return access;
  return { ...access, ...(temp ? {} : { creates: { kind, name: name.parts, replace } }), reads: kind === 'schema' || kind === 'catalog' ? [] : reads(name.next) };
}
