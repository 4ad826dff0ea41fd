import { notSupported, SqlError } from './errors.js';
import { matchParen, splitTopLevel } from './expressions.js';
import type { Token } from './lexer.js';
import { readName, type QualifiedName } from './translate.js';

/**
 * The statements that read volume files, parsed from tokens: `read_files(…)` calls anywhere in a
 * statement, `COPY INTO … FROM '/Volumes/…'` and `LIST '/Volumes/…'`. volume-session.ts runs them.
 */
export interface ReadFilesCall {
  /** Token range of `read_files ( … )`, inclusive. */
  start: number;
  end: number;
  path: string;
  /** Option keys as written (file-format.ts matches them case-insensitively), values as text. */
  options: Map<string, string>;
}

export interface CopyInto {
  kind: 'copyInto';
  table: QualifiedName;
  path: string;
  format: string;
  files?: string[];
  pattern?: string;
  formatOptions: Map<string, string>;
  copyOptions: Map<string, string>;
  /** `FROM (SELECT … FROM 'path' …)`: the query's tokens, and where in them the path is. */
  select?: { tokens: Token[]; pathAt: number };
}

export type VolumeStatement =
  | { kind: 'list'; path: string; limit?: number }
  | CopyInto
  | { kind: 'readFiles'; calls: ReadFilesCall[] };

const isWord = (t: Token | undefined, ...words: string[]) => t?.kind === 'word' && (words.length === 0 || words.includes(t.value));
const isOp = (t: Token | undefined, op: string) => t?.kind === 'op' && t.text === op;
const syntax = (what: string) => new SqlError('PARSE_SYNTAX_ERROR', `Syntax error: ${what}.`);

/** The statement if it reads volume files; undefined for every other statement (the usual path). */
export function volumeStatement(tokens: readonly Token[]): VolumeStatement | undefined {
  if (isWord(tokens[0], 'LIST') && tokens[1]?.kind === 'string') return parseList(tokens);
  if (isWord(tokens[0], 'COPY') && isWord(tokens[1], 'INTO')) return parseCopyInto(tokens);
  const calls = readFilesCalls(tokens);
  if (calls.length === 0) return undefined;
  // The files are loaded for the statement alone: a view or function would keep a name that is gone after it.
  const head = tokens.findIndex((t) => isWord(t, 'AS', 'RETURN', 'SELECT', 'FROM'));
  if (isWord(tokens[0], 'CREATE') && tokens.slice(0, head < 0 ? undefined : head).some((t) => isWord(t, 'VIEW', 'FUNCTION'))) {
    throw notSupported('read_files in a view or function definition');
  }
  // _metadata (file path, size, modification time per row) is a hidden column the emulator does not provide.
  if (tokens.some((t) => (t.kind === 'word' || t.kind === 'quoted') && (t.kind === 'word' ? t.text : t.value).toLowerCase() === '_metadata')) {
    throw notSupported('the _metadata column of read_files');
  }
  return { kind: 'readFiles', calls };
}

/** A literal as option text: strings as their value, numbers and TRUE/FALSE as written. */
function literal(part: readonly Token[], what: string): string {
  const [t] = part;
  if (part.length === 1 && t && (t.kind === 'string' || t.kind === 'number' || isWord(t, 'TRUE', 'FALSE'))) return t.kind === 'string' ? t.value : t.text;
  throw notSupported(`${what} other than a literal (${part.map((x) => x.text).join(' ')})`);
}

function readFilesCalls(tokens: readonly Token[]): ReadFilesCall[] {
  const calls: ReadFilesCall[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'READ_FILES') || !isOp(tokens[i + 1], '(') || isOp(tokens[i - 1], '.')) continue;
    const end = matchParen(tokens, i + 1);
    const [first, ...rest] = splitTopLevel(tokens, i + 2, end);
    if (!first || first.length === 0) throw new SqlError('REQUIRED_PARAMETER_NOT_FOUND', 'Cannot invoke function `read_files` because the parameter named `path` is required.');
    const path = literal(first, 'a read_files path');
    const options = new Map<string, string>();
    for (const part of rest) {
      const key = part[0];
      if (!key || (key.kind !== 'word' && key.kind !== 'quoted') || !isOp(part[1], '=>')) throw syntax('read_files takes its options by name (key => value)');
      options.set(key.kind === 'word' ? key.text : key.value, literal(part.slice(2), `read_files option ${key.text}`));
    }
    calls.push({ start: i, end, path, options });
    i = end;
  }
  return calls;
}

function parseList(tokens: readonly Token[]): VolumeStatement {
  const path = tokens[1]!.value;
  let i = 2;
  if (isWord(tokens[i], 'WITH')) throw notSupported('LIST … WITH (CREDENTIAL …)');
  let limit: number | undefined;
  if (isWord(tokens[i], 'LIMIT')) {
    const n = tokens[i + 1];
    if (n?.kind !== 'number' || !/^\d+$/.test(n.text)) throw syntax('LIMIT takes a positive integer');
    limit = Number(n.text);
    i += 2;
  }
  if (tokens[i] && tokens[i]!.text !== '') throw syntax(`unexpected '${tokens[i]!.text}' in LIST`);
  return { kind: 'list', path, ...(limit !== undefined ? { limit } : {}) };
}

/** `( 'k' = 'v', … )` of FORMAT_OPTIONS and COPY_OPTIONS (keys as written). */
function keyValues(tokens: readonly Token[], open: number, what: string): { map: Map<string, string>; next: number } {
  if (!isOp(tokens[open], '(')) throw syntax(`${what} takes ( 'key' = 'value', … )`);
  const close = matchParen(tokens, open);
  const map = new Map<string, string>();
  for (const part of splitTopLevel(tokens, open + 1, close)) {
    if (part.length === 0) continue;
    const key = part[0]!;
    if (!isOp(part[1], '=') || (key.kind !== 'string' && key.kind !== 'word' && key.kind !== 'quoted')) throw syntax(`${what} takes ( 'key' = 'value', … )`);
    map.set(key.kind === 'word' ? key.text : key.value, literal(part.slice(2), `a ${what} value`));
  }
  return { map, next: close + 1 };
}

function parseCopyInto(tokens: readonly Token[]): CopyInto {
  const target = readName(tokens, 2);
  let i = target.next;
  if (isOp(tokens[i], '(') || isWord(tokens[i], 'BY')) throw notSupported('COPY INTO with a column list or BY POSITION (use FROM (SELECT …))');
  if (!isWord(tokens[i], 'FROM')) throw syntax('COPY INTO needs FROM');
  i++;
  let path: string;
  let select: CopyInto['select'];
  if (tokens[i]?.kind === 'string') {
    path = tokens[i]!.value;
    i++;
  } else if (isOp(tokens[i], '(') && isWord(tokens[i + 1], 'SELECT')) {
    const close = matchParen(tokens, i);
    const inner = tokens.slice(i + 1, close);
    const pathAt = inner.findIndex((t, k) => t.kind === 'string' && isWord(inner[k - 1], 'FROM'));
    if (pathAt < 0) throw syntax("COPY INTO's query reads FROM a path ('/Volumes/…')");
    path = inner[pathAt]!.value;
    select = { tokens: inner, pathAt };
    i = close + 1;
  } else throw syntax("COPY INTO reads FROM a path ('/Volumes/…') or (SELECT … FROM '/Volumes/…')");
  if (isWord(tokens[i], 'WITH')) throw notSupported('COPY INTO … WITH (CREDENTIAL | ENCRYPTION …)');
  const out: CopyInto = { kind: 'copyInto', table: target.parts, path, format: '', formatOptions: new Map(), copyOptions: new Map(), ...(select ? { select } : {}) };
  while (i < tokens.length && tokens[i]!.text !== '') {
    const t = tokens[i]!;
    if (isWord(t, 'FILEFORMAT') && isOp(tokens[i + 1], '=') && tokens[i + 2]?.kind === 'word') {
      out.format = tokens[i + 2]!.text;
      i += 3;
    } else if (isWord(t, 'FILES') && isOp(tokens[i + 1], '=') && isOp(tokens[i + 2], '(')) {
      const close = matchParen(tokens, i + 2);
      out.files = splitTopLevel(tokens, i + 3, close).map((p) => literal(p, 'a COPY INTO file name'));
      i = close + 1;
    } else if (isWord(t, 'PATTERN') && isOp(tokens[i + 1], '=') && tokens[i + 2]?.kind === 'string') {
      out.pattern = tokens[i + 2]!.value;
      i += 3;
    } else if (isWord(t, 'FORMAT_OPTIONS')) {
      const kv = keyValues(tokens, i + 1, 'FORMAT_OPTIONS');
      out.formatOptions = kv.map;
      i = kv.next;
    } else if (isWord(t, 'COPY_OPTIONS')) {
      const kv = keyValues(tokens, i + 1, 'COPY_OPTIONS');
      out.copyOptions = kv.map;
      i = kv.next;
    } else if (isWord(t, 'VALIDATE')) throw notSupported('COPY INTO … VALIDATE');
    else throw syntax(`unexpected '${t.text}' in COPY INTO`);
  }
  if (!out.format) throw syntax('COPY INTO needs FILEFORMAT = CSV | JSON | PARQUET | TEXT | …');
  if (out.files && out.pattern !== undefined) throw syntax('COPY INTO takes FILES or PATTERN, not both');
  // The docs' limit on FILES.
  if (out.files && out.files.length > 1000) throw new SqlError('INVALID_PARAMETER_VALUE', 'COPY INTO takes at most 1000 FILES.');
  return out;
}
