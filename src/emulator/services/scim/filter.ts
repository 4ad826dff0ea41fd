import { scimBadRequest } from './errors.js';

/**
 * SCIM list filters (RFC 7644 §3.4.2.2): `displayName eq "x"`, `co`, `sw`, `ew`, `ne`, `gt`/`ge`/
 * `lt`/`le`, `pr`, joined by `and` / `or` (and binds tighter), `not (…)` and parentheses.
 * Attribute names and operators are case-insensitive; string comparisons are too (SCIM's default
 * `caseExact: false`), except `id`. Whether Databricks compares `displayName` case-insensitively is
 * unverified. An attribute the resource does not filter on, or a malformed filter, is a 400.
 */
export type Getter = (attribute: string) => unknown;
export type Filter = (get: Getter) => boolean;

const OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

type Token = { kind: 'word' | 'string' | 'lparen' | 'rparen'; text: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') {
      out.push({ kind: c === '(' ? 'lparen' : 'rparen', text: c });
      i++;
    } else if (c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= src.length) throw invalid(src, 'unterminated string');
        const d = src[i]!;
        if (d === '\\' && i + 1 < src.length) {
          text += src[i + 1];
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          text += d;
          i++;
        }
      }
      out.push({ kind: 'string', text });
    } else {
      const m = /^[^\s()"]+/.exec(src.slice(i))!;
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

function invalid(src: string, why: string): Error {
  return scimBadRequest(`Invalid filter '${src.length > 100 ? `${src.slice(0, 100)}...` : src}': ${why}.`);
}

/** Parses `src`; `attributes` are the (lower-case) names this resource can be filtered on. */
export function parseFilter(src: string, attributes: ReadonlySet<string>): Filter {
  const tokens = tokenize(src);
  let pos = 0;
  const peekWord = (w: string) => tokens[pos]?.kind === 'word' && tokens[pos]!.text.toLowerCase() === w;

  const or = (): Filter => {
    const parts = [and()];
    while (peekWord('or')) {
      pos++;
      parts.push(and());
    }
    return parts.length === 1 ? parts[0]! : (get) => parts.some((p) => p(get));
  };
  const and = (): Filter => {
    const parts = [atom()];
    while (peekWord('and')) {
      pos++;
      parts.push(atom());
    }
    return parts.length === 1 ? parts[0]! : (get) => parts.every((p) => p(get));
  };
  const group = (): Filter => {
    if (tokens[pos]?.kind !== 'lparen') throw invalid(src, 'expected (');
    pos++;
    const inner = or();
    if (tokens[pos]?.kind !== 'rparen') throw invalid(src, 'missing )');
    pos++;
    return inner;
  };
  const atom = (): Filter => {
    const t = tokens[pos];
    if (!t) throw invalid(src, 'unexpected end');
    if (t.kind === 'lparen') return group();
    if (peekWord('not')) {
      pos++;
      const inner = group();
      return (get) => !inner(get);
    }
    if (t.kind !== 'word') throw invalid(src, `expected an attribute name, got "${t.text}"`);
    const attribute = t.text.toLowerCase();
    if (!attributes.has(attribute)) throw invalid(src, `unsupported attribute ${t.text}`);
    pos++;
    const opToken = tokens[pos];
    const op = opToken?.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'pr') {
      pos++;
      return (get) => present(get(attribute));
    }
    if (!OPS.has(op)) throw invalid(src, opToken ? `unsupported operator ${opToken.text}` : `missing operator after ${t.text}`);
    pos++;
    const v = tokens[pos];
    if (!v || v.kind === 'lparen' || v.kind === 'rparen') throw invalid(src, `missing value after ${t.text} ${op}`);
    pos++;
    const value = v.kind === 'string' ? v.text : literal(v.text, src);
    const caseExact = attribute === 'id';
    return (get) => values(get(attribute)).some((actual) => compare(op, actual, value, caseExact));
  };

  if (tokens.length === 0) throw invalid(src, 'empty filter');
  const f = or();
  if (pos < tokens.length) throw invalid(src, `unexpected "${tokens[pos]!.text}"`);
  return f;
}

function literal(text: string, src: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  throw invalid(src, `values must be quoted strings, true, false, null or numbers; got ${text}`);
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

const values = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function compare(op: string, actual: unknown, expected: unknown, caseExact: boolean): boolean {
  if (actual === undefined || actual === null) return op === 'ne' ? expected !== null : op === 'eq' && expected === null;
  if (typeof expected !== 'string' || typeof actual !== 'string') {
    if (op === 'eq') return actual === expected;
    if (op === 'ne') return actual !== expected;
    if (typeof actual === 'number' && typeof expected === 'number') return ordered(op, actual - expected);
    return false;
  }
  const a = caseExact ? actual : actual.toLowerCase();
  const e = caseExact ? expected : expected.toLowerCase();
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    default:
      return ordered(op, a < e ? -1 : a > e ? 1 : 0);
  }
}

function ordered(op: string, cmp: number): boolean {
  return op === 'gt' ? cmp > 0 : op === 'ge' ? cmp >= 0 : op === 'lt' ? cmp < 0 : cmp <= 0;
}
