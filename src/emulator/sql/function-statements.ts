import { notSupported, SqlError } from './errors.js';
import { matchParen, parseType, splitTopLevel } from './expressions.js';
import type { FunctionBody, FunctionParam } from './function-macros.js';
import type { Token } from './lexer.js';

/**
 * Parsing of the SQL function statements: CREATE [OR REPLACE] [TEMPORARY] FUNCTION [IF NOT EXISTS],
 * DROP [TEMPORARY] FUNCTION [IF EXISTS], SHOW [USER|ALL] FUNCTIONS, DESCRIBE FUNCTION [EXTENDED].
 * The session carries them out against the catalog's functions (uc-functions.ts).
 */
type Name = string[];
type ReadName = (tokens: readonly Token[], i: number) => { parts: Name; next: number };

export type FunctionAction =
  | { kind: 'createFunction'; name: Name; temp: boolean; replace: boolean; ifNotExists: boolean; def: FunctionBody }
  | { kind: 'dropFunction'; name: Name; temp: boolean; ifExists: boolean }
  /** `pattern`: SHOW FUNCTIONS' own syntax (`*` any characters, `|` alternatives), case-insensitive. */
  | { kind: 'showFunctions'; schema?: Name; pattern?: string }
  | { kind: 'describeFunction'; name: Name; extended: boolean };

const isWord = (t: Token | undefined, ...words: string[]) => t?.kind === 'word' && (words.length === 0 || words.includes(t.value));
const isOp = (t: Token | undefined, op: string) => t?.kind === 'op' && t.text === op;

/** The source text of tokens (as written, for routine_definition and parameter defaults). */
const source = (tokens: readonly Token[]) => tokens.map((t, k) => (k === 0 ? '' : t.pre) + t.text).join('');

const syntax = (at: Token | undefined, what: string) => new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near '${at?.text ?? 'end of input'}' in ${what}`);

/** `name TYPE [DEFAULT expr] [COMMENT 'text']` (DEFAULT only for parameters). */
function readParam(part: Token[], readName: ReadName, what: string, defaults: boolean): FunctionParam {
  const n = readName(part, 0);
  if (n.parts.length !== 1) throw syntax(part[0], what);
  const ty = parseType(part, n.next);
  const param: FunctionParam = { name: n.parts[0]!, typeText: source(part.slice(n.next, ty.next)) };
  let j = ty.next;
  while (j < part.length) {
    if (defaults && isWord(part[j], 'DEFAULT')) {
      let end = j + 1;
      while (end < part.length && !isWord(part[end], 'COMMENT')) end = isOp(part[end], '(') ? matchParen(part, end) + 1 : end + 1;
      if (end === j + 1) throw syntax(part[j], what);
      param.default = source(part.slice(j + 1, end));
      j = end;
    } else if (isWord(part[j], 'COMMENT') && part[j + 1]?.kind === 'string') {
      param.comment = part[j + 1]!.value;
      j += 2;
    } else if (isWord(part[j], 'NOT') && isWord(part[j + 1], 'NULL') && !defaults) j += 2;
    else throw syntax(part[j], what);
  }
  return param;
}

function readParams(tokens: Token[], open: number, readName: ReadName, what: string, defaults: boolean): { params: FunctionParam[]; next: number } {
  if (!isOp(tokens[open], '(')) throw syntax(tokens[open], what);
  const close = matchParen(tokens, open);
  const parts = close === open + 1 ? [] : splitTopLevel(tokens, open + 1, close, true);
  return { params: parts.map((p) => readParam(p, readName, what, defaults)), next: close + 1 };
}

/** After `CREATE [OR REPLACE] [TEMPORARY] FUNCTION`: `[IF NOT EXISTS] name (params) [RETURNS …] [characteristics] RETURN body`. */
export function translateCreateFunction(tokens: Token[], start: number, replace: boolean, temp: boolean, readName: ReadName): FunctionAction {
  const what = 'CREATE FUNCTION';
  const ifNotExists = isWord(tokens[start], 'IF') && isWord(tokens[start + 1], 'NOT') && isWord(tokens[start + 2], 'EXISTS');
  if (ifNotExists && (replace || temp)) throw new SqlError('INVALID_SQL_SYNTAX', 'CREATE FUNCTION with IF NOT EXISTS cannot also be OR REPLACE or TEMPORARY.');
  const name = readName(tokens, ifNotExists ? start + 3 : start);
  if (name.parts.length > 3) throw new SqlError('PARSE_SYNTAX_ERROR', `Invalid function name ${name.parts.join('.')}`);
  if (temp && name.parts.length > 1) throw new SqlError('INVALID_SQL_SYNTAX', `A temporary function name must not be qualified: ${name.parts.join('.')}`);
  const { params, next } = readParams(tokens, name.next, readName, what, true);
  const def: FunctionBody = { params, body: '' };
  let i = next;
  if (isWord(tokens[i], 'RETURNS')) {
    if (isWord(tokens[i + 1], 'TABLE')) {
      if (isOp(tokens[i + 2], '(')) {
        const cols = readParams(tokens, i + 2, readName, what, false);
        if (cols.params.length === 0) throw syntax(tokens[i + 3], what);
        def.table = cols.params;
        i = cols.next;
      } else {
        def.table = [];
        i += 2;
      }
    } else {
      const ty = parseType(tokens, i + 1);
      def.returns = source(tokens.slice(i + 1, ty.next));
      i = ty.next;
    }
  }
  while (i < tokens.length && !isWord(tokens[i], 'RETURN')) {
    const t = tokens[i];
    if (isWord(t, 'COMMENT') && tokens[i + 1]?.kind === 'string') {
      def.comment = tokens[i + 1]!.value;
      i += 2;
    } else if (isWord(t, 'DETERMINISTIC')) {
      def.deterministic = true;
      i++;
    } else if (isWord(t, 'NOT') && isWord(tokens[i + 1], 'DETERMINISTIC')) {
      def.deterministic = false;
      i += 2;
    } else if (isWord(t, 'LANGUAGE')) {
      if (!isWord(tokens[i + 1], 'SQL')) throw notSupported(`LANGUAGE ${tokens[i + 1]?.text ?? ''} functions (only SQL functions)`);
      i += 2;
    } else if (isWord(t, 'CONTAINS') && isWord(tokens[i + 1], 'SQL')) {
      def.dataAccess = 'CONTAINS_SQL';
      i += 2;
    } else if (isWord(t, 'READS') && isWord(tokens[i + 1], 'SQL') && isWord(tokens[i + 2], 'DATA')) {
      def.dataAccess = 'READS_SQL_DATA';
      i += 3;
    } else if (isWord(t, 'SQL') && isWord(tokens[i + 1], 'SECURITY') && isWord(tokens[i + 2], 'DEFINER')) i += 3;
    else if (isWord(t, 'AS')) throw notSupported('functions with an AS body (Python and other external languages)');
    else throw syntax(t, what);
  }
  if (!isWord(tokens[i], 'RETURN') || i + 1 >= tokens.length) throw new SqlError('PARSE_SYNTAX_ERROR', 'Syntax error: CREATE FUNCTION needs RETURN followed by the body');
  def.body = source(tokens.slice(i + 1));
  return { kind: 'createFunction', name: name.parts, temp, replace, ifNotExists, def };
}

/** After `DROP [TEMPORARY] FUNCTION`: `[IF EXISTS] name`. */
export function translateDropFunction(tokens: Token[], start: number, temp: boolean, readName: ReadName): FunctionAction {
  const ifExists = isWord(tokens[start], 'IF') && isWord(tokens[start + 1], 'EXISTS');
  const name = readName(tokens, ifExists ? start + 2 : start);
  if (name.next < tokens.length) throw syntax(tokens[name.next], 'DROP FUNCTION');
  if (name.parts.length > 3) throw new SqlError('PARSE_SYNTAX_ERROR', `Invalid function name ${name.parts.join('.')}`);
  return { kind: 'dropFunction', name: name.parts, temp, ifExists };
}

/**
 * `SHOW [USER|ALL] FUNCTIONS [{IN|FROM} schema] [[LIKE] pattern]` from tokens[1]. The emulator lists
 * the schema's Unity Catalog functions only: built-ins (SYSTEM, and ALL's share of them) are not
 * listed, since DuckDB's list is not Databricks'.
 */
export function translateShowFunctions(tokens: Token[], readName: ReadName): FunctionAction {
  let i = 1;
  if (isWord(tokens[i], 'SYSTEM')) throw notSupported('SHOW SYSTEM FUNCTIONS (the built-in function list)');
  if (isWord(tokens[i], 'USER', 'ALL')) i++;
  if (!isWord(tokens[i], 'FUNCTIONS')) throw syntax(tokens[i], 'SHOW FUNCTIONS');
  i++;
  let schema: Name | undefined;
  if (isWord(tokens[i], 'IN', 'FROM')) {
    const n = readName(tokens, i + 1);
    schema = n.parts;
    i = n.next;
  }
  let pattern: string | undefined;
  if (isWord(tokens[i], 'LIKE')) i++;
  if (tokens[i]?.kind === 'string') {
    pattern = tokens[i]!.value;
    i++;
  }
  if (i < tokens.length) throw syntax(tokens[i], 'SHOW FUNCTIONS');
  return { kind: 'showFunctions', ...(schema ? { schema } : {}), ...(pattern !== undefined ? { pattern } : {}) };
}

/** `DESCRIBE FUNCTION [EXTENDED] name`, from the token after FUNCTION. */
export function translateDescribeFunction(tokens: Token[], start: number, readName: ReadName): FunctionAction {
  const extended = isWord(tokens[start], 'EXTENDED');
  const name = readName(tokens, extended ? start + 1 : start);
  if (name.next < tokens.length) throw syntax(tokens[name.next], 'DESCRIBE FUNCTION');
  return { kind: 'describeFunction', name: name.parts, extended };
}

/** SHOW FUNCTIONS' pattern: `*` any characters, `|` alternatives, case-insensitive. */
export function showPattern(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  const alternatives = pattern.split('|').map((alt) => alt.trim().split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
  const re = new RegExp(`^(?:${alternatives.join('|')})$`, 'i');
  return (name) => re.test(name);
}
