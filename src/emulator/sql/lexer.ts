import { SqlError } from './errors.js';

/**
 * A small lexer for Databricks SQL. Translation works on tokens rather than regexes over the raw
 * text so that keywords inside string literals, comments or quoted identifiers are never rewritten.
 */
export type TokenKind =
  | 'word' // bare identifier or keyword
  | 'quoted' // `backtick identifier` (value = unescaped name)
  | 'string' // '…' or "…" literal (value = decoded text; Databricks treats both quotes as strings)
  | 'number' // numeric literal, possibly with a Spark type suffix (1L, 1.5D, 2BD)
  | 'param' // :name named parameter marker (value = name)
  | 'op' // punctuation / operator
  | 'semicolon';

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  /** Decoded value for words (upper-cased), quoted identifiers, strings and params. */
  value: string;
  /** Whitespace and comments that preceded the token; kept so translated SQL keeps its layout. */
  pre: string;
}

const OPERATORS = ['::', '<=>', '<=', '>=', '<>', '!=', '==', '||', '->', '=>', '<<', '>>'];

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let pre = '';
  const n = sql.length;
  const push = (kind: TokenKind, text: string, value: string) => {
    tokens.push({ kind, text, value, pre });
    pre = '';
  };
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      pre += c;
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      pre += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new SqlError('PARSE_SYNTAX_ERROR', 'Unclosed bracketed comment');
      pre += sql.slice(i, end + 2);
      i = end + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const [value, end] = readString(sql, i, c);
      push('string', sql.slice(i, end), value);
      i = end;
      continue;
    }
    if (c === '`') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= n) throw new SqlError('PARSE_SYNTAX_ERROR', 'Unclosed backtick-quoted identifier');
        if (sql[j] === '`') {
          if (sql[j + 1] === '`') {
            value += '`';
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j];
        j++;
      }
      push('quoted', sql.slice(i, j + 1), value);
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:BD|[LSYDF])?(?![A-Za-z0-9_])/i.exec(sql.slice(i));
      if (m) {
        push('number', m[0], m[0]);
        i += m[0].length;
        continue;
      }
      // Digits followed by letters: an identifier such as 1st_col (Spark allows these).
    }
    if (/[A-Za-z0-9_]/.test(c)) {
      const m = /^[A-Za-z0-9_]+/.exec(sql.slice(i))!;
      push('word', m[0], m[0].toUpperCase());
      i += m[0].length;
      continue;
    }
    if (c === ':' && sql[i + 1] !== ':' && sql[i - 1] !== ':' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))!;
      push('param', sql.slice(i, i + 1 + m[0].length), m[0]);
      i += 1 + m[0].length;
      continue;
    }
    if (c === ';') {
      push('semicolon', ';', ';');
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => sql.startsWith(o, i)) ?? c;
    push('op', op, op);
    i += op.length;
  }
  if (pre) tokens.push({ kind: 'op', text: '', value: '', pre }); // trailing comments/space
  return tokens.filter((t) => !(t.kind === 'op' && t.text === '' && t.pre.trim() === ''));
}

/** Reads a Spark string literal: backslash escapes are decoded, a doubled quote is a quote. */
function readString(sql: string, start: number, quote: string): [string, number] {
  let value = '';
  let j = start + 1;
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', '0': '\0', Z: '\x1a' };
  for (;;) {
    if (j >= sql.length) throw new SqlError('PARSE_SYNTAX_ERROR', `Unclosed string literal starting at position ${start}`);
    const ch = sql[j]!;
    if (ch === '\\' && j + 1 < sql.length) {
      const nx = sql[j + 1]!;
      // Spark keeps \% and \_ as written, so LIKE patterns can escape wildcards with its default '\'.
      value += nx === '%' || nx === '_' ? `\\${nx}` : (escapes[nx] ?? nx);
      j += 2;
      continue;
    }
    if (ch === quote) {
      if (sql[j + 1] === quote) {
        value += quote;
        j += 2;
        continue;
      }
      return [value, j + 1];
    }
    value += ch;
    j++;
  }
}

/** Renders tokens back to SQL text, keeping the original spacing. */
export function render(tokens: readonly Token[]): string {
  return tokens.map((t) => t.pre + t.text).join('');
}

/** A DuckDB string literal for an arbitrary value (DuckDB strings have no backslash escapes). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A DuckDB double-quoted identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Splits a script into statements at top-level semicolons; empty statements are dropped. */
export function splitStatements(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'semicolon') {
      if (cur.some((x) => x.text !== '')) out.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.some((x) => x.text !== '')) out.push(cur);
  return out;
}
