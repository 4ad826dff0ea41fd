import type { DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import type { UnityCatalog } from './catalog.js';
import { notSupported } from './errors.js';
import type { Token } from './lexer.js';
import type { ResultSet } from './result.js';
import type { StatementAccess } from './statement-access.js';
import type { QualifiedName } from './translate.js';
import type { SqlVolumePath } from './volume-paths.js';

/** What a session lends the statements that read volume files. */
export interface VolumeSessionHooks {
  conn: DuckDBConnection;
  user: string;
  catalog: UnityCatalog;
  /** Where the Files API keeps volume bytes (`<root>/<volume_id>/`); undefined in an engine without it. */
  filesRoot: string | undefined;
  resolveTable(name: QualifiedName): Promise<[string, string, string]>;
  /** A statement's usual privilege check (statement-privileges.ts; admins pass). */
  authorize(access: StatementAccess): Promise<void>;
  /** A statement's usual path: translate, check privileges, run. */
  runTokens(tokens: Token[]): Promise<ResultSet>;
}

let tableCounter = 0;

/** A connection-local table name for one read (dropped when the statement ends). */
export const scratchTable = () => `__volume_read_${++tableCounter}`;

/** The volume's directory in the Files API store (the volume must exist). */
export async function volumeDir(h: VolumeSessionHooks, p: SqlVolumePath): Promise<{ dir: string; id: string }> {
  if (!h.filesRoot) throw notSupported('reading volume files in an engine without the Files API store');
  const { id } = await h.catalog.volumes.find(p.volume);
  return { dir: join(h.filesRoot, id), id };
}

export async function dropTables(conn: DuckDBConnection, tables: readonly string[]): Promise<void> {
  for (const t of tables) await conn.run(`DROP TABLE IF EXISTS temp.main."${t}"`);
}

