import { notSupported, SqlError } from './errors.js';
import { FUNCTION_REWRITES, nowDate, nowTimestamp, type FunctionContext } from './functions.js';
import { sqlIdent, sqlString, type Token } from './lexer.js';
import { MAIN_DUCK_NAME } from './names.js';

/**
 * Token-level rewrite of Databricks SQL expressions and queries into DuckDB SQL: literals and
 * identifiers, type names, functions with different semantics, and query syntax DuckDB spells
 * differently. Statement-level forms (CREATE CATALOG, INSERT OVERWRITE, …) live in translate.ts.
 */
export type RewriteContext = FunctionContext;

const isWord = (t: Token | undefined, ...words: string[]) => t?.kind === 'word' && (words.length === 0 || words.includes(t.value));
const isOp = (t: Token | undefined, op: string) => t?.kind === 'op' && t.text === op;

/** Index of the `)` matching the `(` at `open`. */
export function matchParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOp(tokens[i], '(')) depth++;
    else if (isOp(tokens[i], ')')) {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new SqlError('PARSE_SYNTAX_ERROR', "Syntax error: missing ')'");
}

/**
 * Splits tokens[from, to) at top-level commas. With `angle`, `<…>` nests too (type lists such as
 * column definitions, where `<` cannot be a comparison).
 */
export function splitTopLevel(tokens: readonly Token[], from: number, to: number, angle = false): Token[][] {
  const parts: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (isOp(t, '(') || isOp(t, '[') || (angle && isOp(t, '<'))) depth++;
    if (isOp(t, ')') || isOp(t, ']') || (angle && isOp(t, '>'))) depth--;
    if (angle && isOp(t, '>>')) depth -= 2;
    if (depth === 0 && isOp(t, ',')) {
      parts.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.length > 0 || parts.length > 0) parts.push(cur);
  return parts;
}

const SIMPLE_TYPES: Record<string, string> = {
  LONG: 'BIGINT',
  SHORT: 'SMALLINT',
  BYTE: 'TINYINT',
  STRING: 'VARCHAR',
  BINARY: 'BLOB',
  TIMESTAMP_NTZ: 'TIMESTAMP',
  TIMESTAMP_LTZ: 'TIMESTAMP',
  // Databricks TIMESTAMP is an instant shown in the session time zone; the emulator's is UTC.
  TIMESTAMP: 'TIMESTAMP',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  SMALLINT: 'SMALLINT',
  TINYINT: 'TINYINT',
  DOUBLE: 'DOUBLE',
  FLOAT: 'FLOAT',
  REAL: 'FLOAT',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  VOID: 'INTEGER',
};

/**
 * Parses a Spark type starting at tokens[i]; returns the DuckDB spelling and the index after it.
 * Nested `>>` is lexed as one operator, so the parser splits it.
 */
export function parseType(tokens: Token[], i: number): { sql: string; next: number } {
  const t = tokens[i];
  if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) throw new SqlError('PARSE_SYNTAX_ERROR', 'Syntax error: expected a data type');
  const name = t.kind === 'word' ? t.value : t.value.toUpperCase();
  const expectClose = (j: number): number => {
    const c = tokens[j];
    if (isOp(c, '>')) return j + 1;
    if (isOp(c, '>>')) {
      tokens.splice(j, 1, { ...c!, text: '>', value: '>' }, { kind: 'op', text: '>', value: '>', pre: '' });
      return j + 1;
    }
    throw new SqlError('PARSE_SYNTAX_ERROR', "Syntax error in a complex type: expected '>'");
  };
  if ((name === 'ARRAY' || name === 'MAP' || name === 'STRUCT') && isOp(tokens[i + 1], '<')) {
    if (name === 'ARRAY') {
      const inner = parseType(tokens, i + 2);
      return { sql: `${inner.sql}[]`, next: expectClose(inner.next) };
    }
    if (name === 'MAP') {
      const k = parseType(tokens, i + 2);
      if (!isOp(tokens[k.next], ',')) throw new SqlError('PARSE_SYNTAX_ERROR', "Syntax error in MAP type: expected ','");
      const v = parseType(tokens, k.next + 1);
      return { sql: `MAP(${k.sql}, ${v.sql})`, next: expectClose(v.next) };
    }
    const fields: string[] = [];
    let j = i + 2;
    for (;;) {
      const f = tokens[j];
      if (!f || (f.kind !== 'word' && f.kind !== 'quoted')) throw new SqlError('PARSE_SYNTAX_ERROR', 'Syntax error in STRUCT type: expected a field name');
      j++;
      if (isOp(tokens[j], ':')) j++;
      const ft = parseType(tokens, j);
      fields.push(`${sqlIdent(f.kind === 'word' ? f.text : f.value)} ${ft.sql}`);
      j = ft.next;
      if (isWord(tokens[j], 'NOT') && isWord(tokens[j + 1], 'NULL')) j += 2;
      if (isWord(tokens[j], 'COMMENT')) j += 2;
      if (isOp(tokens[j], ',')) {
        j++;
        continue;
      }
      return { sql: `STRUCT(${fields.join(', ')})`, next: expectClose(j) };
    }
  }
  if (['DECIMAL', 'DEC', 'NUMERIC'].includes(name)) {
    if (isOp(tokens[i + 1], '(')) {
      const close = matchParen(tokens, i + 1);
      return { sql: `DECIMAL(${tokens.slice(i + 2, close).map((x) => x.text).join('')})`, next: close + 1 };
    }
    return { sql: 'DECIMAL(10,0)', next: i + 1 }; // Spark's default precision, not DuckDB's (18,3)
  }
  if (name === 'VARCHAR' || name === 'CHAR') {
    // CHAR(n)/VARCHAR(n) are STRING with a length check in Databricks; DuckDB ignores the length.
    const next = isOp(tokens[i + 1], '(') ? matchParen(tokens, i + 1) + 1 : i + 1;
    return { sql: 'VARCHAR', next };
  }
  if (name === 'INTERVAL') {
    let j = i + 1;
    while (isWord(tokens[j], 'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'TO')) j++;
    return { sql: 'INTERVAL', next: j };
  }
  const mapped = SIMPLE_TYPES[name];
  if (!mapped) throw notSupported(`data type ${t.text}`);
  return { sql: mapped, next: i + 1 };
}

/** Emits a synthetic token carrying already-translated SQL. */
const raw = (sql: string, pre: string): Token => ({ kind: 'op', text: sql, value: sql, pre });

/**
 * Rewrites a token sequence (an expression, query or statement tail) into DuckDB SQL text.
 */
export function rewrite(input: readonly Token[], ctx: RewriteContext): string {
  const tokens = [...input];
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const prev = out[out.length - 1];
    const next = tokens[i + 1];
    if ((t.kind === 'quoted' || t.kind === 'word') && !isOp(prev, '.') && isOp(next, '.') && isOp(tokens[i + 3], '.')) {
      const name = t.kind === 'quoted' ? t.value : t.text;
      if (name.toLowerCase() === 'main') {
        // catalog.schema.table[.column]: the `main` catalog has another name inside DuckDB.
        out.push(raw(sqlIdent(MAIN_DUCK_NAME), t.pre));
        i++;
        continue;
      }
    }
    if (t.kind === 'quoted') {
      out.push(raw(sqlIdent(t.value), t.pre));
      i++;
      continue;
    }
    if (t.kind === 'string') {
      out.push(raw(sqlString(t.value), t.pre));
      i++;
      continue;
    }
    if (t.kind === 'number') {
      out.push(raw(numberLiteral(t.text), t.pre));
      i++;
      continue;
    }
    if (t.kind === 'param') throw new SqlError('UNBOUND_SQL_PARAMETER', `Found the unbound parameter: ${t.value}.`);
    if (isOp(t, '::')) {
      const ty = parseType(tokens, i + 1);
      if (INTEGRAL.has(ty.sql)) {
        const operand = popOperand(out);
        const pre = operand[0]?.pre ?? '';
        const text = operand.map((x, k) => (k === 0 ? '' : x.pre) + x.text).join('');
        out.push(raw(integralCast('CAST', text, ty.sql), pre));
      } else out.push(raw(`::${ty.sql}`, t.pre));
      i = ty.next;
      continue;
    }
    if (isOp(t, '<=>')) {
      out.push(raw('IS NOT DISTINCT FROM', t.pre));
      i++;
      continue;
    }
    if (isOp(t, '*') && isWord(next, 'EXCEPT') && isOp(tokens[i + 2], '(')) {
      out.push(raw('* EXCLUDE', t.pre));
      i += 2;
      continue;
    }
    if (t.kind === 'word') {
      const afterDot = isOp(prev, '.');
      if (!afterDot && (t.value === 'RLIKE' || t.value === 'REGEXP') && !isOp(next, '(')) {
        // Spark matches anywhere in the string (Java's find()); DuckDB's ~ matches the whole string,
        // so a literal pattern is wrapped in [\s\S]* (which crosses newlines as find() does, while the
        // pattern's own `.` still does not).
        if (next?.kind !== 'string') throw notSupported(`the ${t.value} operator with a pattern that is not a string literal (use regexp_like(str, regex))`);
        const negated = isWord(prev, 'NOT') && out.at(-1) === prev;
        if (negated) out.pop();
        out.push(raw(negated ? '!~' : '~', (negated ? prev : t)!.pre), raw(sqlString(`[\\s\\S]*(?:${next.value})[\\s\\S]*`), next.pre));
        i += 2;
        continue;
      }
      if (!afterDot && (t.value === 'LIKE' || t.value === 'ILIKE') && next?.kind === 'string' && next.value.includes('\\') && !isWord(tokens[i + 2], 'ESCAPE')) {
        // Spark's LIKE escapes with '\' by default; DuckDB has no default escape character.
        out.push(t, raw(sqlString(next.value), next.pre), raw(" ESCAPE '\\'", ''));
        i += 2;
        continue;
      }
      if (!afterDot && t.value === 'DIV' && !isOp(next, '(')) {
        out.push(raw('//', t.pre));
        i++;
        continue;
      }
      if (!afterDot && (t.value === 'PIVOT' || t.value === 'UNPIVOT' || t.value === 'TABLESAMPLE')) throw notSupported(t.value);
      if (!afterDot && (t.value === 'VERSION' || t.value === 'TIMESTAMP') && isWord(next, 'AS') && isWord(tokens[i + 2], 'OF')) throw notSupported(`Delta time travel (${t.value} AS OF)`);
      if (!afterDot && t.value === 'LATERAL' && isWord(next, 'VIEW')) throw notSupported('LATERAL VIEW (use unnest in the select list)');
      if (!afterDot && (t.value === 'DISTRIBUTE' || t.value === 'SORT' || t.value === 'CLUSTER') && isWord(next, 'BY')) throw notSupported(`${t.value} BY in a query`);
      if (!afterDot && (t.value === 'CURRENT_TIMESTAMP' || t.value === 'CURRENT_DATE') && !isOp(next, '(')) {
        // Spark allows these without parentheses; either way they read the emulated workspace's clock.
        out.push(raw(t.value === 'CURRENT_DATE' ? nowDate(ctx) : nowTimestamp(ctx), t.pre));
        i++;
        continue;
      }
      if (t.value === 'TIMESTAMP_NTZ' || t.value === 'TIMESTAMP_LTZ') {
        out.push(raw('TIMESTAMP', t.pre));
        i++;
        continue;
      }
      if (!afterDot && t.value === 'VALUES' && isOp(next, '(') && (isWord(prev, 'FROM', 'JOIN') || isOp(prev, ','))) {
        const v = inlineValues(tokens, i, ctx);
        out.push(raw(v.sql, t.pre));
        i = v.next;
        continue;
      }
      if (!afterDot && isOp(next, '(')) {
        const close = matchParen(tokens, i + 1);
        const call = rewriteCall(t, tokens, i, close, ctx);
        if (call !== undefined) {
          out.push(raw(call, t.pre));
          i = close + 1;
          continue;
        }
      }
    }
    out.push(t);
    i++;
  }
  return out.map((x) => x.pre + x.text).join('');
}

const INTEGRAL = new Set(['INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT']);

/**
 * Spark truncates toward zero when casting a fractional number to an integer type; DuckDB rounds.
 * Going through DECIMAL(38,10) and trunc() truncates for numbers, numeric strings and booleans,
 * and still fails (rather than answering differently) for values DuckDB cannot convert.
 */
function integralCast(fn: string, operand: string, type: string): string {
  return `${fn}(trunc(${fn}(${operand} AS DECIMAL(38,10))) AS ${type})`;
}

/**
 * Removes and returns the operand a postfix `::` applies to from the emitted tokens: a
 * parenthesised group (with its function name), a literal, or a dotted name, including any
 * earlier `::` casts in a chain.
 */
function popOperand(out: Token[]): Token[] {
  const taken: Token[] = [];
  const last = out.pop();
  if (!last) throw new SqlError('PARSE_SYNTAX_ERROR', "Syntax error at or near '::'");
  taken.unshift(last);
  if (last.text.startsWith('::')) {
    taken.unshift(...popOperand(out));
    return taken;
  }
  if (isOp(last, ')')) {
    let depth = 1;
    while (out.length > 0 && depth > 0) {
      const x = out.pop()!;
      if (isOp(x, ')')) depth++;
      if (isOp(x, '(')) depth--;
      taken.unshift(x);
    }
    // f(x)::INT — a name right before the '(' (no space) is the function being called; `SELECT (x)` has a space.
    const fnName = out[out.length - 1];
    if (fnName && fnName.kind === 'word' && taken[0]?.pre === '') taken.unshift(out.pop()!);
    return taken;
  }
  // a.b.c: names joined by dots
  while (isOp(out[out.length - 1], '.') && out.length >= 2) {
    taken.unshift(out.pop()!);
    taken.unshift(out.pop()!);
  }
  return taken;
}

/** Spark numeric literal suffixes (1L, 2S, 3Y, 1.5D, 1.5F, 2BD) become explicit casts. */
function numberLiteral(text: string): string {
  const m = /^(.*?)(BD|[LSYDF])$/i.exec(text);
  if (!m) return text;
  const n = m[1]!;
  switch (m[2]!.toUpperCase()) {
    case 'L':
      return `CAST(${n} AS BIGINT)`;
    case 'S':
      return `CAST(${n} AS SMALLINT)`;
    case 'Y':
      return `CAST(${n} AS TINYINT)`;
    case 'D':
      return `CAST(${n} AS DOUBLE)`;
    case 'F':
      return `CAST(${n} AS FLOAT)`;
    default: {
      const [int = '', frac = ''] = n.split('.');
      const scale = frac.length;
      const precision = Math.max(int.replace(/^0+/, '').length + scale, 1, scale);
      return `CAST(${n} AS DECIMAL(${precision},${scale}))`;
    }
  }
}

/** Translates one function call tokens[nameAt .. close]; undefined = leave as written. */
function rewriteCall(name: Token, tokens: Token[], nameAt: number, close: number, ctx: RewriteContext): string | undefined {
  const fn = name.value;
  if (fn === 'CAST' || fn === 'TRY_CAST') {
    const inner = tokens.slice(nameAt + 2, close);
    let depth = 0;
    let asAt = -1;
    for (let j = inner.length - 1; j >= 0; j--) {
      const x = inner[j]!;
      if (isOp(x, ')')) depth++;
      if (isOp(x, '(')) depth--;
      if (depth === 0 && isWord(x, 'AS')) {
        asAt = j;
        break;
      }
    }
    if (asAt < 0) return undefined;
    const ty = parseType(inner, asAt + 1);
    if (ty.next !== inner.length) throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error in ${fn}: unexpected tokens after the type`);
    const operand = rewrite(inner.slice(0, asAt), ctx).trim();
    return INTEGRAL.has(ty.sql) ? integralCast(fn, operand, ty.sql) : `${fn}(${operand} AS ${ty.sql})`;
  }
  if (fn === 'EXTRACT' || fn === 'DATE_PART') {
    const inner = tokens.slice(nameAt + 2, close);
    const field = inner[0];
    const fieldName = field?.kind === 'string' ? field.value.toUpperCase() : field?.value;
    if (fieldName === 'DOW' || fieldName === 'DAYOFWEEK') {
      const rest = fn === 'EXTRACT' ? inner.slice(2) : inner.slice(2); // skip FROM / ','
      return `(dayofweek(${rewrite(rest, ctx).trim()}) + 1)`;
    }
    return undefined;
  }
  const handler = FUNCTION_REWRITES[fn];
  if (!handler) return undefined;
  const args = splitTopLevel(tokens, nameAt + 2, close).map((a) => rewrite(a, ctx).trim());
  if (args.length === 1 && args[0] === '') args.pop();
  return handler(args, ctx);
}

/**
 * `FROM VALUES (1, 'a'), (2, 'b') [AS] t(x, y)` (Spark allows VALUES without parentheses and
 * names the columns col1, col2, …) → `(VALUES …) AS t(x, y)`.
 */
export function inlineValues(tokens: Token[], at: number, ctx: RewriteContext): { sql: string; next: number } {
  const rows: string[] = [];
  let j = at + 1;
  let width = 0;
  while (isOp(tokens[j], '(')) {
    const close = matchParen(tokens, j);
    width = splitTopLevel(tokens, j + 1, close).length;
    rows.push(`(${rewrite(tokens.slice(j + 1, close), ctx).trim()})`);
    j = close + 1;
    if (isOp(tokens[j], ',') && isOp(tokens[j + 1], '(')) j++;
    else break;
  }
  let alias = '__values';
  let columns = Array.from({ length: width }, (_, k) => `col${k + 1}`);
  if (isWord(tokens[j], 'AS')) j++;
  const a = tokens[j];
  const reserved = ['WHERE', 'GROUP', 'ORDER', 'LIMIT', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'UNION', 'ON', 'HAVING', 'WINDOW', 'QUALIFY', 'EXCEPT', 'INTERSECT'];
  if (a && (a.kind === 'quoted' || (a.kind === 'word' && !reserved.includes(a.value)))) {
    alias = a.kind === 'quoted' ? a.value : a.text;
    j++;
    if (isOp(tokens[j], '(')) {
      const close = matchParen(tokens, j);
      columns = splitTopLevel(tokens, j + 1, close).map((c) => {
        const ct = c[0];
        return ct?.kind === 'quoted' ? ct.value : (ct?.text ?? '');
      });
      j = close + 1;
    }
  }
  return { sql: `(VALUES ${rows.join(', ')}) AS ${sqlIdent(alias)}(${columns.map(sqlIdent).join(', ')})`, next: j };
}
