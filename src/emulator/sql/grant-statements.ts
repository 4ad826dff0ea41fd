import { SqlError } from './errors.js';
import type { Token } from './lexer.js';
import type { QualifiedName } from './translate.js';

/**
 * GRANT / REVOKE / SHOW GRANTS, parsed into what the grants store (grants.ts) applies:
 *   GRANT priv [, priv …] ON securable TO principal
 *   REVOKE priv [, priv …] ON securable FROM principal
 *   SHOW GRANTS [principal] ON securable
 * Privileges are words (`USE CATALOG`, `ALL PRIVILEGES`); a securable is `CATALOG name`,
 * `SCHEMA|DATABASE name`, `[TABLE|VIEW] name`, `VOLUME name` or `FUNCTION name`; a principal is a backquoted name
 * (`\`data engineers\``) or a bare one.
 */
export interface GrantTarget {
  /** The REST securable_type: catalog, schema, table, volume, function (others are refused by the store). */
  type: string;
  /** As written; the session qualifies it with the current catalog and schema. */
  name: QualifiedName;
}

export type GrantAction =
  | { kind: 'grant'; revoke: boolean; privileges: string[]; target: GrantTarget; principal: string }
  | { kind: 'showGrants'; principal?: string; target: GrantTarget };

const SECURABLE_WORDS: Record<string, string> = { CATALOG: 'catalog', SCHEMA: 'schema', DATABASE: 'schema', TABLE: 'table', VIEW: 'table', VOLUME: 'volume', FUNCTION: 'function', METASTORE: 'metastore', CONNECTION: 'connection', SHARE: 'share' };

const syntax = (msg: string) => new SqlError('PARSE_SYNTAX_ERROR', `[PARSE_SYNTAX_ERROR] Syntax error: ${msg}`);

function readPrincipal(tokens: readonly Token[], i: number): { principal: string; next: number } {
  const t = tokens[i];
  if (!t || (t.kind !== 'quoted' && t.kind !== 'word' && t.kind !== 'string')) throw syntax(`expected a principal${t ? ` at '${t.text}'` : ''}`);
  return { principal: t.kind === 'word' ? t.text : t.value, next: i + 1 };
}

function readTarget(tokens: readonly Token[], i: number, readName: (tokens: readonly Token[], i: number) => { parts: QualifiedName; next: number }): { target: GrantTarget; next: number } {
  const t = tokens[i];
  let type = 'table';
  let j = i;
  const after = tokens[i + 1];
  // `ON catalog TO x` names a table called catalog; `ON CATALOG sales TO x` a catalog.
  const nameFollows = after !== undefined && (after.kind === 'quoted' || (after.kind === 'word' && after.value !== 'TO' && after.value !== 'FROM'));
  if (t?.kind === 'word' && SECURABLE_WORDS[t.value] !== undefined && nameFollows) {
    type = SECURABLE_WORDS[t.value]!;
    j++;
  }
  const name = readName(tokens, j);
  return { target: { type, name: name.parts }, next: name.next };
}

/** Privileges up to ON: words joined by `_`, separated by commas (`USE CATALOG, SELECT`). */
function readPrivileges(tokens: readonly Token[], i: number): { privileges: string[]; next: number } {
  const privileges: string[] = [];
  let words: string[] = [];
  let j = i;
  for (; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.kind === 'word' && t.value === 'ON') break;
    if (t.kind === 'op' && t.text === ',') {
      if (words.length === 0) throw syntax(`expected a privilege before ','`);
      privileges.push(words.join('_'));
      words = [];
    } else if (t.kind === 'word') words.push(t.value);
    else throw syntax(`unexpected '${t.text}' in the privilege list`);
  }
  if (words.length > 0) privileges.push(words.join('_'));
  if (privileges.length === 0) throw syntax('expected a privilege');
  if (!tokens[j]) throw syntax("expected ON after the privileges");
  return { privileges, next: j + 1 };
}

function expectEnd(tokens: readonly Token[], i: number, what: string): void {
  const t = tokens[i];
  if (t && !(t.kind === 'op' && t.text === ';')) throw syntax(`unexpected '${t.text}' after ${what}`);
}

export function translateGrant(tokens: readonly Token[], readName: (tokens: readonly Token[], i: number) => { parts: QualifiedName; next: number }): GrantAction {
  const revoke = tokens[0]?.value === 'REVOKE';
  const p = readPrivileges(tokens, 1);
  const t = readTarget(tokens, p.next, readName);
  const to = tokens[t.next];
  const keyword = revoke ? 'FROM' : 'TO';
  if (!(to?.kind === 'word' && to.value === keyword)) throw syntax(`expected ${keyword} <principal>${to ? ` at '${to.text}'` : ''}`);
  const who = readPrincipal(tokens, t.next + 1);
  expectEnd(tokens, who.next, revoke ? 'REVOKE' : 'GRANT');
  return { kind: 'grant', revoke, privileges: p.privileges, target: t.target, principal: who.principal };
}

/** `tokens` starts at SHOW GRANTS. */
export function translateShowGrants(tokens: readonly Token[], readName: (tokens: readonly Token[], i: number) => { parts: QualifiedName; next: number }): GrantAction {
  let i = 2;
  let principal: string | undefined;
  if (!(tokens[i]?.kind === 'word' && tokens[i]!.value === 'ON')) {
    const who = readPrincipal(tokens, i);
    principal = who.principal;
    i = who.next;
  }
  if (!(tokens[i]?.kind === 'word' && tokens[i]!.value === 'ON')) throw syntax('SHOW GRANTS needs ON <securable>');
  const t = readTarget(tokens, i + 1, readName);
  expectEnd(tokens, t.next, 'SHOW GRANTS');
  return { kind: 'showGrants', ...(principal !== undefined ? { principal } : {}), target: t.target };
}
