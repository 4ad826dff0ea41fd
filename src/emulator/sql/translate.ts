import { notSupported, SqlError } from './errors.js';
import { withSparkColumnNames } from './column-names.js';
import { inlineValues, matchParen, parseType, rewrite, splitTopLevel, type RewriteContext } from './expressions.js';
import { sqlIdent, sqlString, type Token } from './lexer.js';
import { translateGrant, translateShowGrants, type GrantAction } from './grant-statements.js';
import { translateCreateFunction, translateDescribeFunction, translateDropFunction, translateShowFunctions, type FunctionAction } from './function-statements.js';
import { duckCatalogName } from './names.js';
import { PLACEHOLDER_COLUMNS_SQL } from './schemaless.js';

/**
 * Statement-level translation of Databricks SQL. Catalog-level statements (CREATE CATALOG, USE,
 * SHOW …) become actions the engine carries out against its Unity Catalog model; everything else
 * becomes DuckDB SQL. Anything the emulator cannot reproduce faithfully is refused here.
 */
export type QualifiedName = string[];

export type Action =
  /** `nullColumns`: result positions that are the NULL literal (typed VOID, not DuckDB's INTEGER). */
  | { kind: 'sql'; sql: string; nullColumns?: number[] }
  /** Several DuckDB statements that must apply atomically (INSERT OVERWRITE). */
  | { kind: 'transaction'; statements: string[] }
  | { kind: 'createCatalog'; name: string; ifNotExists: boolean; comment?: string }
  /** Schema comments live in the metadata store (DuckDB has none). */
  | { kind: 'createSchema'; name: QualifiedName; ifNotExists: boolean; comment?: string }
  /** Column comments are DuckDB's (COMMENT ON COLUMN among `statements`); the table comment is metadata. */
  /** `schemaless`: CREATE TABLE t without columns or query (schemaless.ts). */
  | { kind: 'createTable'; statements: string[]; table: QualifiedName; ifNotExists: boolean; replace: boolean; temp: boolean; schemaless?: boolean; comment?: string }
  /** COMMENT ON CATALOG/SCHEMA/TABLE: `comment` undefined clears it (IS NULL). */
  | { kind: 'setComment'; target: 'catalog' | 'schema' | 'table'; name: QualifiedName; comment?: string }
  | { kind: 'dropCatalog'; name: string; ifExists: boolean; cascade: boolean }
  | { kind: 'use'; catalog?: string; schema?: string }
  | { kind: 'showCatalogs' }
  | { kind: 'showSchemas'; catalog?: string }
  | { kind: 'showTables'; schema?: QualifiedName }
  /** DESCRIBE TABLE; `namesOnly` for SHOW COLUMNS (one `col_name` column). */
  | { kind: 'describeTable'; table: QualifiedName; namesOnly?: boolean }
  /** Accepted and ignored (Delta maintenance, Spark conf); `table` is checked to exist. */
  | { kind: 'noop'; table?: QualifiedName }
  /** GRANT / REVOKE / SHOW GRANTS on the grants store (grant-statements.ts). */
  | GrantAction
  /** CREATE/DROP/SHOW/DESCRIBE FUNCTION (function-statements.ts). */
  | FunctionAction;

const isWord = (t: Token | undefined, ...words: string[]) => t?.kind === 'word' && (words.length === 0 || words.includes(t.value));
const isOp = (t: Token | undefined, op: string) => t?.kind === 'op' && t.text === op;

/** Reads a dotted name at tokens[i]; returns parts (lower-cased unless quoted… UC names are case-insensitive) and next index. */
export function readName(tokens: readonly Token[], i: number): { parts: QualifiedName; next: number } {
  const parts: string[] = [];
  let j = i;
  for (;;) {
    const t = tokens[j];
    if (!t || (t.kind !== 'word' && t.kind !== 'quoted' && t.kind !== 'string')) throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error: expected a name${t ? ` at '${t.text}'` : ''}`);
    parts.push((t.kind === 'word' ? t.text : t.value).toLowerCase());
    j++;
    if (!isOp(tokens[j], '.')) break;
    j++;
  }
  return { parts, next: j };
}

/** A schema name for DuckDB: `catalog.schema` has the catalog's DuckDB name. */
function schemaNameSql(parts: QualifiedName): string {
  if (parts.length === 1) return sqlIdent(parts[0]!);
  if (parts.length === 2) return `${sqlIdent(duckCatalogName(parts[0]!))}.${sqlIdent(parts[1]!)}`;
  throw new SqlError('INVALID_SCHEMA_NAME', `Invalid schema name ${parts.join('.')}`);
}

function expectEnd(tokens: readonly Token[], i: number, what: string): void {
  const t = tokens[i];
  if (t && t.text !== '') throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near '${t.text}' in ${what}`);
}

export function translateStatement(tokens: Token[], ctx: RewriteContext): Action {
  const w = (k: number) => (tokens[k]?.kind === 'word' ? tokens[k]!.value : '');
  const first = w(0);
  switch (first) {
    case 'USE':
      return translateUse(tokens);
    case 'SHOW':
      return translateShow(tokens);
    case 'DESCRIBE':
    case 'DESC': {
      let i = 1;
      if (w(i) === 'FUNCTION') return translateDescribeFunction(tokens, i + 1, readName);
      if (w(i) === 'TABLE') i++;
      if (['CATALOG', 'SCHEMA', 'DATABASE', 'FUNCTION', 'QUERY', 'HISTORY', 'DETAIL', 'VOLUME', 'EXTENDED', 'FORMATTED'].includes(w(i))) throw notSupported(`DESCRIBE ${w(i)}`);
      const name = readName(tokens, i);
      expectEnd(tokens, name.next, 'DESCRIBE');
      return { kind: 'describeTable', table: name.parts };
    }
    case 'CREATE':
      return translateCreate(tokens, ctx);
    case 'DROP':
      return translateDrop(tokens, ctx);
    case 'INSERT':
      return translateInsert(tokens, ctx);
    case 'OPTIMIZE':
    case 'VACUUM':
    case 'ANALYZE':
    case 'REFRESH':
    case 'UNCACHE':
    case 'CACHE':
    case 'FSCK':
    case 'MSCK': {
      // Delta/Spark maintenance: no observable effect on query results, so accepting it is faithful.
      let i = 1;
      if (['TABLE', 'LAZY', 'REPAIR'].includes(w(i))) i++;
      if (w(i) === 'TABLE') i++;
      if (first === 'ANALYZE' || first === 'VACUUM' || first === 'OPTIMIZE' || tokens[i]) {
        const t = tokens[i];
        if (t && (t.kind === 'word' || t.kind === 'quoted')) return { kind: 'noop', table: readName(tokens, i).parts };
      }
      return { kind: 'noop' };
    }
    case 'GRANT':
    case 'REVOKE':
      return translateGrant(tokens, readName);
    case 'SET':
    case 'RESET':
      // Spark conf has no DuckDB meaning.
      return { kind: 'noop' };
    case 'VALUES': {
      const v = inlineValues(tokens, 0, ctx);
      const rest = rewrite(tokens.slice(v.next), ctx);
      return { kind: 'sql', sql: `SELECT * FROM ${v.sql}${rest}` };
    }
    case 'ALTER':
      return translateAlter(tokens, ctx);
    case 'COMMENT':
      if (w(1) === 'ON' && ['CATALOG', 'SCHEMA', 'DATABASE', 'TABLE'].includes(w(2))) return translateCommentOn(tokens);
      return { kind: 'sql', sql: rewrite(tokens, ctx) };
    case 'SELECT':
    case 'WITH':
    case 'FROM':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'TRUNCATE':
    case 'EXPLAIN':
    case 'TABLE':
      if (first === 'MERGE' && tokens.some((t) => isWord(t, 'WITH')) && tokens.some((t) => isWord(t, 'SCHEMA')) && tokens.some((t) => isWord(t, 'EVOLUTION'))) {
        throw notSupported('MERGE WITH SCHEMA EVOLUTION');
      }
      if (first === 'SELECT' || first === 'WITH' || first === 'FROM') {
        // A query's unaliased columns get Databricks' names and its NULL literals their type (column-names.ts).
        const named = withSparkColumnNames(tokens);
        return { kind: 'sql', sql: rewrite(named.tokens, ctx), ...(named.nullColumns.length > 0 ? { nullColumns: named.nullColumns } : {}) };
      }
      return { kind: 'sql', sql: rewrite(tokens, ctx) };
    default:
      if (tokens[0]?.kind === 'op' && tokens[0].text === '(') return { kind: 'sql', sql: rewrite(tokens, ctx) };
      // DuckDB-only statements (ATTACH, COPY, PRAGMA, INSTALL, …) would bypass the catalog model.
      throw notSupported(`the ${tokens[0]?.text ?? ''} statement`);
  }
}

function translateUse(tokens: Token[]): Action {
  let i = 1;
  const kw = tokens[i]?.kind === 'word' ? tokens[i]!.value : '';
  if (kw === 'CATALOG') {
    const n = readName(tokens, i + 1);
    expectEnd(tokens, n.next, 'USE CATALOG');
    if (n.parts.length !== 1) throw new SqlError('PARSE_SYNTAX_ERROR', 'USE CATALOG takes a single name');
    return { kind: 'use', catalog: n.parts[0]! };
  }
  if (kw === 'SCHEMA' || kw === 'DATABASE') i++;
  const n = readName(tokens, i);
  expectEnd(tokens, n.next, 'USE');
  if (n.parts.length === 1) return { kind: 'use', schema: n.parts[0]! };
  if (n.parts.length === 2) return { kind: 'use', catalog: n.parts[0]!, schema: n.parts[1]! };
  throw new SqlError('PARSE_SYNTAX_ERROR', 'USE takes a schema name or catalog.schema');
}

function translateShow(tokens: Token[]): Action {
  const kw = tokens[1]?.kind === 'word' ? tokens[1].value : '';
  const inTarget = (i: number) => (isWord(tokens[i], 'IN', 'FROM') ? readName(tokens, i + 1) : undefined);
  if (kw === 'GRANTS' || kw === 'GRANT') return translateShowGrants(tokens, readName);
  if (kw === 'FUNCTIONS' || (['USER', 'SYSTEM', 'ALL'].includes(kw) && isWord(tokens[2], 'FUNCTIONS'))) return translateShowFunctions(tokens, readName);
  if (kw === 'CATALOGS') {
    expectEnd(tokens, 2, 'SHOW CATALOGS');
    return { kind: 'showCatalogs' };
  }
  if (kw === 'SCHEMAS' || kw === 'DATABASES') {
    const t = inTarget(2);
    expectEnd(tokens, t ? t.next : 2, `SHOW ${kw}`);
    return t ? { kind: 'showSchemas', catalog: t.parts[0]! } : { kind: 'showSchemas' };
  }
  if (kw === 'TABLES') {
    const t = inTarget(2);
    expectEnd(tokens, t ? t.next : 2, 'SHOW TABLES');
    return t ? { kind: 'showTables', schema: t.parts } : { kind: 'showTables' };
  }
  if (kw === 'COLUMNS') {
    // SHOW COLUMNS IN t [IN schema]: the schema may come second instead of qualifying the table.
    const t = inTarget(2);
    if (!t) throw new SqlError('PARSE_SYNTAX_ERROR', 'SHOW COLUMNS needs IN|FROM table');
    const s = inTarget(t.next);
    expectEnd(tokens, s ? s.next : t.next, 'SHOW COLUMNS');
    if (s && t.parts.length > 1) throw new SqlError('PARSE_SYNTAX_ERROR', 'SHOW COLUMNS: give the schema in the table name or after it, not both');
    return { kind: 'describeTable', table: s ? [...s.parts, ...t.parts] : t.parts, namesOnly: true };
  }
  throw notSupported(`SHOW ${tokens[1]?.text ?? ''}`);
}

function translateDrop(tokens: Token[], ctx: RewriteContext): Action {
  const kw = tokens[1]?.kind === 'word' ? tokens[1].value : '';
  if (kw === 'CATALOG') {
    let i = 2;
    const ifExists = isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'EXISTS');
    if (ifExists) i += 2;
    const n = readName(tokens, i);
    let cascade = false;
    if (isWord(tokens[n.next], 'CASCADE')) cascade = true;
    else if (!isWord(tokens[n.next], 'RESTRICT')) expectEnd(tokens, n.next, 'DROP CATALOG');
    return { kind: 'dropCatalog', name: n.parts[0]!, ifExists, cascade };
  }
  if (kw === 'DATABASE' || kw === 'SCHEMA') {
    let i = 2;
    const ifExists = isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'EXISTS');
    if (ifExists) i += 2;
    const n = readName(tokens, i);
    const mode = isWord(tokens[n.next], 'CASCADE', 'RESTRICT') ? ` ${tokens[n.next]!.value}` : '';
    expectEnd(tokens, n.next + (mode ? 1 : 0), `DROP ${kw}`);
    return { kind: 'sql', sql: `DROP SCHEMA ${ifExists ? 'IF EXISTS ' : ''}${schemaNameSql(n.parts)}${mode}` };
  }
  if (kw === 'TABLE' || kw === 'VIEW') return { kind: 'sql', sql: rewrite(tokens, ctx) };
  if (kw === 'FUNCTION') return translateDropFunction(tokens, 2, false, readName);
  if ((kw === 'TEMPORARY' || kw === 'TEMP') && isWord(tokens[2], 'FUNCTION')) return translateDropFunction(tokens, 3, true, readName);
  if (kw === 'TEMPORARY' || kw === 'TEMP') return { kind: 'sql', sql: `DROP${rewrite(tokens.slice(2), ctx)}` };
  throw notSupported(`DROP ${tokens[1]?.text ?? ''}`);
}

function translateCreate(tokens: Token[], ctx: RewriteContext): Action {
  let i = 1;
  let orReplace = false;
  if (isWord(tokens[i], 'OR') && isWord(tokens[i + 1], 'REPLACE')) {
    orReplace = true;
    i += 2;
  }
  let temp = false;
  if (isWord(tokens[i], 'TEMP', 'TEMPORARY')) {
    temp = true;
    i++;
  }
  if (isWord(tokens[i], 'GLOBAL') && isWord(tokens[i + 1], 'TEMPORARY')) throw notSupported('GLOBAL TEMPORARY views');
  const kw = tokens[i]?.kind === 'word' ? tokens[i]!.value : '';
  if (kw === 'CATALOG') {
    if (orReplace) throw new SqlError('PARSE_SYNTAX_ERROR', 'CREATE OR REPLACE CATALOG is not valid syntax');
    let j = i + 1;
    const ifNotExists = isWord(tokens[j], 'IF') && isWord(tokens[j + 1], 'NOT') && isWord(tokens[j + 2], 'EXISTS');
    if (ifNotExists) j += 3;
    const n = readName(tokens, j);
    if (n.parts.length !== 1) throw new SqlError('INVALID_CATALOG_NAME', 'A catalog name must not be qualified');
    const comment = readSchemaClauses(tokens, n.next, 'CREATE CATALOG');
    return { kind: 'createCatalog', name: n.parts[0]!, ifNotExists, ...(comment !== undefined ? { comment } : {}) };
  }
  if (kw === 'SCHEMA' || kw === 'DATABASE') {
    let j = i + 1;
    const ifNotExists = isWord(tokens[j], 'IF') && isWord(tokens[j + 1], 'NOT') && isWord(tokens[j + 2], 'EXISTS');
    if (ifNotExists) j += 3;
    const n = readName(tokens, j);
    const comment = readSchemaClauses(tokens, n.next, `CREATE ${kw}`);
    if (orReplace) throw new SqlError('PARSE_SYNTAX_ERROR', 'CREATE OR REPLACE SCHEMA is not valid syntax');
    schemaNameSql(n.parts);
    return { kind: 'createSchema', name: n.parts, ifNotExists, ...(comment !== undefined ? { comment } : {}) };
  }
  if (kw === 'VIEW') return translateCreateView(tokens, i + 1, orReplace, temp, ctx);
  if (kw === 'TABLE') return translateCreateTable(tokens, i + 1, orReplace, temp, ctx);
  if (kw === 'FUNCTION') return translateCreateFunction(tokens, i + 1, orReplace, temp, readName);
  throw notSupported(`CREATE ${[orReplace ? 'OR REPLACE' : '', temp ? 'TEMPORARY' : '', tokens[i]?.text ?? ''].filter(Boolean).join(' ')}`);
}

/** COMMENT ON CATALOG|SCHEMA|DATABASE|TABLE name IS 'text' | NULL (COMMENT ON COLUMN goes to DuckDB as is). */
function translateCommentOn(tokens: Token[]): Action {
  const kw = tokens[2]!.value;
  const n = readName(tokens, 3);
  if (!isWord(tokens[n.next], 'IS')) throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error: expected IS after COMMENT ON ${kw} ${n.parts.join('.')}`);
  const value = tokens[n.next + 1];
  if (!value || (value.kind !== 'string' && !isWord(value, 'NULL'))) throw new SqlError('PARSE_SYNTAX_ERROR', "Syntax error: COMMENT ON … IS takes a string literal or NULL");
  expectEnd(tokens, n.next + 2, `COMMENT ON ${kw}`);
  const target = kw === 'CATALOG' ? 'catalog' : kw === 'TABLE' ? 'table' : 'schema';
  const limits = { catalog: 1, schema: 2, table: 3 }[target];
  if (n.parts.length > limits) throw new SqlError('PARSE_SYNTAX_ERROR', `Invalid ${target} name ${n.parts.join('.')}`);
  return { kind: 'setComment', target, name: n.parts, ...(value.kind === 'string' ? { comment: value.value } : {}) };
}

/** CREATE CATALOG/SCHEMA options: COMMENT is returned, locations/properties are accepted and ignored. */
function readSchemaClauses(tokens: Token[], start: number, what: string): string | undefined {
  let comment: string | undefined;
  let i = start;
  while (i < tokens.length) {
    if (isWord(tokens[i], 'COMMENT') && tokens[i + 1]?.kind === 'string') {
      comment = tokens[i + 1]!.value;
      i += 2;
    } else if (isWord(tokens[i], 'MANAGED') && isWord(tokens[i + 1], 'LOCATION') && tokens[i + 2]?.kind === 'string') i += 3;
    else if (isWord(tokens[i], 'LOCATION') && tokens[i + 1]?.kind === 'string') i += 2;
    else if (isWord(tokens[i], 'WITH') && isWord(tokens[i + 1], 'DBPROPERTIES', 'PROPERTIES') && isOp(tokens[i + 2], '(')) i = matchParen(tokens, i + 2) + 1;
    else if (isWord(tokens[i], 'DEFAULT') && isWord(tokens[i + 1], 'COLLATION')) i += 3;
    else throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near '${tokens[i]!.text}' in ${what}`);
  }
  return comment;
}

/** `[IF NOT EXISTS] name` after CREATE … TABLE|VIEW, with the name as DuckDB SQL. */
function readCreateTarget(tokens: Token[], start: number, ctx: RewriteContext): { ifNotExists: boolean; name: { parts: QualifiedName; next: number }; nameSql: string } {
  const ifNotExists = isWord(tokens[start], 'IF') && isWord(tokens[start + 1], 'NOT') && isWord(tokens[start + 2], 'EXISTS');
  const at = ifNotExists ? start + 3 : start;
  const name = readName(tokens, at);
  return { ifNotExists, name, nameSql: rewrite(tokens.slice(at, name.next), ctx).trim() };
}

function translateCreateTable(tokens: Token[], start: number, orReplace: boolean, temp: boolean, ctx: RewriteContext): Action {
  const { ifNotExists, name, nameSql } = readCreateTarget(tokens, start, ctx);
  let i = name.next;
  let columns = '';
  const columnComments: string[] = [];
  if (isOp(tokens[i], '(')) {
    const close = matchParen(tokens, i);
    const defs = translateColumns(tokens, i + 1, close, ctx);
    columns = ` (${defs.map((d) => d.sql).join(', ')})`;
    for (const d of defs) if (d.comment !== undefined) columnComments.push(commentOnColumn(nameSql, d.name, d.comment));
    i = close + 1;
  }
  let comment: string | undefined;
  if (isWord(tokens[i], 'LIKE')) throw notSupported('CREATE TABLE … LIKE');
  if (isWord(tokens[i], 'SHALLOW', 'DEEP') && isWord(tokens[i + 1], 'CLONE')) throw notSupported(`${tokens[i]!.value} CLONE`);
  let query = '';
  let layout: string | undefined;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (isWord(t, 'USING') || isWord(t, 'STORED')) {
      if (isWord(t, 'STORED')) throw notSupported('Hive STORED AS tables');
      i += 2;
    } else if (isWord(t, 'PARTITIONED', 'CLUSTER') && isWord(tokens[i + 1], 'BY')) {
      // Physical layout only: no effect on results.
      layout = `${t.value} BY`;
      i = isOp(tokens[i + 2], '(') ? matchParen(tokens, i + 2) + 1 : i + 3;
    } else if (isWord(t, 'TBLPROPERTIES', 'OPTIONS') && isOp(tokens[i + 1], '(')) {
      i = matchParen(tokens, i + 1) + 1;
    } else if (isWord(t, 'COMMENT') && tokens[i + 1]?.kind === 'string') {
      comment = tokens[i + 1]!.value;
      i += 2;
    } else if (isWord(t, 'LOCATION')) {
      throw notSupported('external tables (LOCATION)');
    } else if (isWord(t, 'ROW') || isWord(t, 'DEFAULT') || isWord(t, 'WITH')) {
      throw notSupported(`CREATE TABLE clause ${t.text}`);
    } else if (isWord(t, 'AS')) {
      query = ` AS${rewrite(tokens.slice(i + 1), ctx)}`;
      if (/^\s*VALUES\b/i.test(query.slice(3))) query = ` AS SELECT * FROM ${inlineValues(tokens, i + 1, ctx).sql}`;
      break;
    } else {
      throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near '${t.text}' in CREATE TABLE`);
    }
  }
  // No column list and no query: a schemaless table (schemaless.ts), which has no temporary form.
  const schemaless = !columns && !query;
  if (schemaless && temp) throw new SqlError('PARSE_SYNTAX_ERROR', 'CREATE TEMPORARY TABLE needs a column list or AS query');
  if (schemaless && layout) throw notSupported(`${layout} on a table without columns`);
  if (schemaless) columns = PLACEHOLDER_COLUMNS_SQL;
  const create = `CREATE ${orReplace ? 'OR REPLACE ' : ''}${temp ? 'TEMPORARY ' : ''}TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${nameSql}${columns}${query}`;
  return { kind: 'createTable', statements: [create, ...columnComments], table: name.parts, ifNotExists, replace: orReplace, temp, schemaless, ...(comment !== undefined ? { comment } : {}) };
}

/**
 * CREATE VIEW [IF NOT EXISTS] v [(col [COMMENT '…'], …)] [COMMENT '…'] [TBLPROPERTIES (…)] [WITH SCHEMA …] AS query.
 * The view comment goes to the metadata store; column comments are accepted and not kept (DuckDB
 * cannot comment a renamed view column).
 */
function translateCreateView(tokens: Token[], start: number, orReplace: boolean, temp: boolean, ctx: RewriteContext): Action {
  const { ifNotExists, name, nameSql } = readCreateTarget(tokens, start, ctx);
  let i = name.next;
  let columns = '';
  if (isOp(tokens[i], '(')) {
    const close = matchParen(tokens, i);
    const names = splitTopLevel(tokens, i + 1, close, true).map((part) => {
      const col = readName(part, 0);
      if (col.parts.length !== 1) throw new SqlError('PARSE_SYNTAX_ERROR', 'Syntax error: a view column name must not be qualified');
      if (part.length > col.next && !(isWord(part[col.next], 'COMMENT') && part[col.next + 1]?.kind === 'string' && part.length === col.next + 2)) {
        throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near '${part[col.next]!.text}' in a view column list`);
      }
      return columnSql(part[0]!);
    });
    columns = ` (${names.join(', ')})`;
    i = close + 1;
  }
  let comment: string | undefined;
  while (i < tokens.length && !isWord(tokens[i], 'AS')) {
    if (isWord(tokens[i], 'COMMENT') && tokens[i + 1]?.kind === 'string') {
      comment = tokens[i + 1]!.value;
      i += 2;
    } else if (isWord(tokens[i], 'TBLPROPERTIES') && isOp(tokens[i + 1], '(')) i = matchParen(tokens, i + 1) + 1;
    else if (isWord(tokens[i], 'WITH') && isWord(tokens[i + 1], 'SCHEMA')) {
      // Schema binding modes only matter when underlying tables change type; DuckDB re-binds on use.
      i += 2;
      while (i < tokens.length && isWord(tokens[i], 'BINDING', 'COMPENSATION', 'TYPE', 'EVOLUTION')) i++;
    } else throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near '${tokens[i]!.text}' in CREATE VIEW`);
  }
  if (!isWord(tokens[i], 'AS') || i + 1 >= tokens.length) throw new SqlError('PARSE_SYNTAX_ERROR', 'CREATE VIEW needs AS query');
  const create = `CREATE ${orReplace ? 'OR REPLACE ' : ''}${temp ? 'TEMPORARY ' : ''}VIEW ${ifNotExists ? 'IF NOT EXISTS ' : ''}${nameSql}${columns} AS${rewrite(tokens.slice(i + 1), ctx)}`;
  return { kind: 'createTable', statements: [create], table: name.parts, ifNotExists, replace: orReplace, temp, ...(comment !== undefined ? { comment } : {}) };
}

/** A column name token as DuckDB SQL: quoted names stay quoted. */
function columnSql(tok: Token): string {
  return tok.kind === 'quoted' ? sqlIdent(tok.value) : tok.text;
}

/** Column comments are DuckDB's own, so DESCRIBE and the tables API read what SQL set. */
export function commentOnColumn(tableSql: string, columnSql: string, comment: string): string {
  return `COMMENT ON COLUMN ${tableSql}.${columnSql} IS ${sqlString(comment)}`;
}

/** Words that start the next clause of a column definition. */
const COLUMN_CLAUSES = ['COMMENT', 'NOT', 'NULL', 'PRIMARY', 'GENERATED', 'MASK', 'CONSTRAINT'] as const;

/** Column definitions: Spark types → DuckDB; comments and informational PK/FK constraints dropped. */
function translateColumns(tokens: Token[], from: number, to: number, ctx: RewriteContext): { name: string; sql: string; comment?: string }[] {
  const defs: { name: string; sql: string; comment?: string }[] = [];
  for (const part of splitTopLevel(tokens, from, to, true)) {
    if (part.length === 0) throw new SqlError('PARSE_SYNTAX_ERROR', 'Syntax error: empty column definition');
    // Databricks PRIMARY/FOREIGN KEY constraints are informational (not enforced); DuckDB would enforce them.
    if (isWord(part[0], 'CONSTRAINT', 'PRIMARY', 'FOREIGN')) continue;
    if (isWord(part[0], 'CHECK', 'UNIQUE')) throw notSupported(`${part[0]!.text} constraints`);
    const colName = readName(part, 0);
    if (colName.parts.length !== 1) throw new SqlError('PARSE_SYNTAX_ERROR', 'Syntax error: a column name must not be qualified');
    const nameTok = part[0]!;
    const ty = parseType(part, colName.next);
    const colSql = columnSql(nameTok);
    let def = `${colSql} ${ty.sql}`;
    let comment: string | undefined;
    let j = ty.next;
    while (j < part.length) {
      const t = part[j]!;
      if (isWord(t, 'NOT') && isWord(part[j + 1], 'NULL')) {
        def += ' NOT NULL';
        j += 2;
      } else if (isWord(t, 'NULL')) j++;
      else if (isWord(t, 'COMMENT') && part[j + 1]?.kind === 'string') {
        comment = part[j + 1]!.value;
        j += 2;
      }
      else if (isWord(t, 'PRIMARY') && isWord(part[j + 1], 'KEY')) j += 2;
      else if (isWord(t, 'GENERATED')) {
        if (part.slice(j).some((x) => isWord(x, 'IDENTITY'))) throw notSupported('identity columns (GENERATED … AS IDENTITY)');
        throw notSupported('generated columns');
      } else if (isWord(t, 'DEFAULT')) {
        // The expression runs to the next column clause (COMMENT, NOT NULL, …) outside parentheses.
        let end = j + 1;
        while (end < part.length && !(isWord(part[end], ...COLUMN_CLAUSES) && !(end === j + 1 && isWord(part[end], 'NULL')))) end = isOp(part[end], '(') ? matchParen(part, end) + 1 : end + 1;
        if (end === j + 1) throw new SqlError('PARSE_SYNTAX_ERROR', 'Syntax error: DEFAULT needs an expression');
        def += ` DEFAULT ${rewrite(part.slice(j + 1, end), ctx).trim()}`;
        j = end;
      } else if (isWord(t, 'MASK')) throw notSupported('column masks');
      else throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near '${t.text}' in a column definition`);
    }
    defs.push({ name: colSql, sql: def, ...(comment !== undefined ? { comment } : {}) });
  }
  if (defs.length === 0) throw new SqlError('PARSE_SYNTAX_ERROR', 'CREATE TABLE needs at least one column');
  return defs;
}

function translateInsert(tokens: Token[], ctx: RewriteContext): Action {
  const overwrite = isWord(tokens[1], 'OVERWRITE');
  if (!overwrite && !isWord(tokens[1], 'INTO')) throw new SqlError('PARSE_SYNTAX_ERROR', "Syntax error: expected INTO or OVERWRITE after INSERT");
  let i = 2;
  if (isWord(tokens[i], 'TABLE')) i++;
  const name = readName(tokens, i);
  const tableSql = rewrite(tokens.slice(i, name.next), ctx).trim();
  const rest = tokens.slice(name.next);
  if (isWord(rest[0], 'PARTITION')) throw notSupported('INSERT … PARTITION');
  if (rest.some((t) => isWord(t, 'REPLACE')) && rest.some((t, k) => isWord(t, 'REPLACE') && isWord(rest[k + 1], 'WHERE', 'USING', 'ON'))) throw notSupported('INSERT … REPLACE WHERE');
  let body = rewrite(rest, ctx);
  const valuesAt = rest.findIndex((t) => isWord(t, 'VALUES'));
  if (valuesAt === -1 && rest.length > 0 && !isOp(rest[0], '(') && !isWord(rest[0], 'SELECT', 'WITH', 'FROM', 'TABLE', 'BY', 'DEFAULT')) {
    throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near '${rest[0]!.text}' in INSERT`);
  }
  if (!body.startsWith(' ')) body = ` ${body}`;
  const insert = `INSERT INTO ${tableSql}${body}`;
  if (!overwrite) return { kind: 'sql', sql: insert };
  return { kind: 'transaction', statements: [`DELETE FROM ${tableSql}`, insert] };
}

function translateAlter(tokens: Token[], ctx: RewriteContext): Action {
  if (!isWord(tokens[1], 'TABLE', 'VIEW')) throw notSupported(`ALTER ${tokens[1]?.text ?? ''}`);
  const name = readName(tokens, 2);
  const tableSql = rewrite(tokens.slice(2, name.next), ctx).trim();
  const k = name.next;
  if (isWord(tokens[k], 'SET', 'UNSET') && isWord(tokens[k + 1], 'TBLPROPERTIES')) return { kind: 'noop', table: name.parts };
  if (isWord(tokens[k], 'RENAME') && isWord(tokens[k + 1], 'TO')) {
    // Databricks accepts a qualified new name; DuckDB renames within the schema only.
    const target = readName(tokens, k + 2);
    expectEnd(tokens, target.next, 'ALTER TABLE … RENAME TO');
    const prefix = target.parts.slice(0, -1);
    const sourcePrefix = name.parts.slice(0, -1).slice(-prefix.length);
    if (prefix.length > 0 && (prefix.length > name.parts.length - 1 || prefix.join('.') !== sourcePrefix.join('.'))) {
      throw notSupported('renaming a table into another schema or catalog');
    }
    return { kind: 'sql', sql: `ALTER ${tokens[1]!.value} ${tableSql} RENAME TO ${sqlIdent(target.parts.at(-1)!)}` };
  }
  if (isWord(tokens[k], 'CLUSTER') && isWord(tokens[k + 1], 'BY')) return { kind: 'noop', table: name.parts };
  if (isWord(tokens[k], 'ALTER', 'CHANGE')) {
    const at = isWord(tokens[k + 1], 'COLUMN') ? k + 2 : k + 1;
    const col = readName(tokens, at);
    if (isWord(tokens[col.next], 'COMMENT') && tokens[col.next + 1]?.kind === 'string') {
      expectEnd(tokens, col.next + 2, 'ALTER TABLE … ALTER COLUMN … COMMENT');
      return { kind: 'sql', sql: commentOnColumn(tableSql, sqlIdent(col.parts.at(-1)!), tokens[col.next + 1]!.value) };
    }
  }
  if (isWord(tokens[k], 'ADD') && isWord(tokens[k + 1], 'COLUMNS', 'COLUMN')) {
    const open = k + 2;
    const cols = isOp(tokens[open], '(') ? splitTopLevel(tokens, open + 1, matchParen(tokens, open), true) : [tokens.slice(open)];
    const defs = cols.flatMap((c) => translateColumns(c, 0, c.length, ctx));
    return {
      kind: 'transaction',
      statements: defs.flatMap((d) => [`ALTER TABLE ${tableSql} ADD COLUMN ${d.sql}`, ...(d.comment !== undefined ? [commentOnColumn(tableSql, d.name, d.comment)] : [])]),
    };
  }
  return { kind: 'sql', sql: rewrite(tokens, ctx) };
}
