import { BIGINT, type DuckDBConnection } from '@duckdb/node-api';
import { notSupported, SqlError } from './errors.js';
import { parseFormat, readSpec, withFormat } from './file-format.js';
import { loadFiles } from './file-reader.js';
import { sqlIdent, type Token } from './lexer.js';
import { MemoryResultSet, type ResultSet } from './result.js';
import { tableSql } from './names.js';
import { PLACEHOLDER_COLUMN, schemaMismatch } from './schemaless.js';
import { toDatabricksType } from './types.js';
import { discoverFiles, type VolumeFile } from './volume-files.js';
import { parseSqlVolumePath, type SqlVolumePath } from './volume-paths.js';
import { authorizeVolumeReads } from './volume-privileges.js';
import { dropTables, scratchTable, volumeDir, type VolumeSessionHooks } from './volume-hooks.js';
import type { CopyInto } from './volume-statements.js';

/**
 * COPY INTO <table> FROM '/Volumes/…': loads volume files into an existing table, idempotently —
 * files already loaded into that table are skipped on a re-run (even if changed since) unless
 * COPY_OPTIONS ('force' = 'true'). The loaded-file set lives with the table's metadata, so it
 * survives a restart with --data-dir and goes when the table is dropped. Source columns go to the
 * target's columns of the same name (case-insensitive); target columns the files lack get NULL;
 * source columns the target lacks fail the statement unless COPY_OPTIONS ('mergeSchema' = 'true')
 * adds them (so a schemaless table, schemaless.ts, gets all its columns). Values are cast to the
 * target's types by DuckDB: a value that does not convert fails the statement (Spark's PERMISSIVE
 * nulls are not modelled).
 */
const LONG = toDatabricksType(BIGINT);

export async function copyInto(st: CopyInto, h: VolumeSessionHooks): Promise<ResultSet> {
  const base = parseSqlVolumePath(st.path, 'COPY INTO');
  const format = parseFormat(st.format, 'COPY INTO');
  const spec = withFormat(readSpec(st.formatOptions, 'COPY INTO', format), format);
  const { force, mergeSchema } = copyOptions(st.copyOptions);
  // Privileges first, so a denied statement reads and changes nothing: READ VOLUME on the source, MODIFY on the target.
  authorizeVolumeReads(h.catalog.grants, h.catalog.volumes, h.user, [base.volume]);
  await h.authorize({ reads: [], modifies: [st.table], manages: [] });
  const [c, s, t] = await h.resolveTable(st.table);
  const [, , isView] = await h.catalog.findTable(c, s, t);
  if (isView) throw notSupported(`COPY INTO the view ${c}.${s}.${t} (the target must be a Delta table)`);
  const { dir, id } = await volumeDir(h, base);
  const files = sourceFiles(dir, base, st);
  const key = `${c}.${s}.${t}`;
  const loadedKey = (f: VolumeFile) => `${id}${f.path.slice(base.root.length)}`;
  const done = new Set(h.catalog.loadedFiles(key));
  const todo = force ? files : files.filter((f) => !done.has(loadedKey(f)));
  if (todo.length === 0) return result(0);
  const tables = [scratchTable()];
  try {
    await loadFiles(h.conn, dir, spec, todo.map((f) => f.disk), tables[0]!);
    if (st.select) {
      // The query runs as any statement does (translated, its function calls checked) over the loaded rows.
      const from = scratchTable();
      tables.push(from);
      const query = st.select.tokens.map((tok, i) => (i === st.select!.pathAt ? word(tables[0]!, tok.pre) : i === 0 ? { ...tok, pre: ' ' } : tok));
      await h.runTokens([word('CREATE', ''), word('TEMP'), word('TABLE'), word(from), word('AS'), ...query]);
    }
    const inserted = await insertByName(h.conn, tableSql(c, s, t), tables.at(-1)!, mergeSchema, () => h.catalog.tableId(c, s, t, h.user));
    h.catalog.schemaless.forget(key);
    h.catalog.recordLoadedFiles(key, h.user, todo.map(loadedKey));
    return result(inserted);
  } finally {
    await dropTables(h.conn, tables);
  }
}

const word = (text: string, pre = ' '): Token => ({ kind: 'word', text, value: text.toUpperCase(), pre });

function copyOptions(options: ReadonlyMap<string, string>): { force: boolean; mergeSchema: boolean } {
  const out = { force: false, mergeSchema: false };
  for (const [key, value] of options) {
    const k = key.toLowerCase();
    if (k !== 'force' && k !== 'mergeschema') throw notSupported(`COPY INTO copy option ${key}`);
    if (!/^(true|false)$/i.test(value)) throw new SqlError('INVALID_OPTION_VALUE', `The value '${value}' of option '${key}' is not a boolean.`);
    out[k === 'force' ? 'force' : 'mergeSchema'] = value.toLowerCase() === 'true';
  }
  return out;
}

/** The files FROM names, narrowed by FILES (names under the source directory) or PATTERN (a glob under it). */
function sourceFiles(dir: string, base: SqlVolumePath, st: CopyInto): VolumeFile[] {
  if (st.pattern !== undefined) return discoverFiles(dir, parseSqlVolumePath(`${[base.root, ...base.segments].join('/')}/${st.pattern.replace(/^\/+/, '')}`, 'COPY INTO'));
  if (!st.files) return discoverFiles(dir, base);
  return st.files.flatMap((name) => discoverFiles(dir, parseSqlVolumePath(`${[base.root, ...base.segments].join('/')}/${name}`, 'COPY INTO')));
}

async function columnsOf(conn: DuckDBConnection, relation: string): Promise<{ name: string; type: string }[]> {
  const prepared = await conn.prepare(`SELECT * FROM ${relation}`);
  try {
    return Array.from({ length: prepared.columnCount }, (_, i) => ({ name: prepared.columnName(i), type: prepared.columnType(i).toString() }));
  } finally {
    prepared.destroySync();
  }
}

/** Inserts the loaded rows by column name in one transaction (with mergeSchema's new columns); returns the row count. */
async function insertByName(conn: DuckDBConnection, target: string, source: string, mergeSchema: boolean, tableId: () => string): Promise<number> {
  const src = `temp.main.${sqlIdent(source)}`;
  const targetCols = new Map((await columnsOf(conn, target)).map((c) => [c.name.toLowerCase(), c.name]));
  const sourceCols = await columnsOf(conn, src);
  const extra = sourceCols.filter((c) => !targetCols.has(c.name.toLowerCase()));
  if (extra.length > 0 && !mergeSchema) throw schemaMismatch(tableId(), `Data columns the table does not have: ${extra.map((c) => c.name).join(', ')}.`);
  await conn.run('BEGIN TRANSACTION');
  try {
    for (const c of extra) await conn.run(`ALTER TABLE ${target} ADD COLUMN ${sqlIdent(c.name)} ${c.type}`);
    // A schemaless table's placeholder goes once it has the files' columns (schemaless.ts).
    if (targetCols.has(PLACEHOLDER_COLUMN) && extra.length > 0) await conn.run(`ALTER TABLE ${target} DROP COLUMN ${sqlIdent(PLACEHOLDER_COLUMN)}`);
    const into = sourceCols.map((c) => sqlIdent(targetCols.get(c.name.toLowerCase()) ?? c.name)).join(', ');
    const reader = await conn.runAndReadAll(`INSERT INTO ${target} (${into}) SELECT ${sourceCols.map((c) => sqlIdent(c.name)).join(', ')} FROM ${src}`);
    await conn.run('COMMIT');
    return Number(reader.getRows()[0]?.[0] ?? 0);
  } catch (e) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** COPY INTO's one-row answer (column names as Databricks SQL shows them; see docs/emulator-sql.md). */
function result(inserted: number): ResultSet {
  return new MemoryResultSet(
    ['num_affected_rows', 'num_inserted_rows', 'num_skipped_corrupt_files'].map((name) => ({ name, type: LONG })),
    [[String(inserted), String(inserted), '0']],
  );
}
