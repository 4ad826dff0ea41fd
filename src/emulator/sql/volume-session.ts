import { BIGINT, VARCHAR } from '@duckdb/node-api';
import { copyInto } from './copy-into.js';
import { notSupported } from './errors.js';
import { inferFormat, readSpec, withFormat, type PartialSpec } from './file-format.js';
import { loadFiles } from './file-reader.js';
import type { Token } from './lexer.js';
import { MemoryResultSet, type ResultSet } from './result.js';
import { toDatabricksType } from './types.js';
import { discoverFiles, listEntries } from './volume-files.js';
import { dropTables, scratchTable, volumeDir, type VolumeSessionHooks } from './volume-hooks.js';
import { parseSqlVolumePath, type SqlVolumePath } from './volume-paths.js';
import { authorizeVolumeReads } from './volume-privileges.js';
import type { VolumeStatement } from './volume-statements.js';

/**
 * Runs the statements that read volume files (volume-statements.ts): LIST and COPY INTO whole, and
 * any other statement with read_files calls by loading each call's files into a connection-local
 * table, putting that table's name where the call was and running the statement as usual.
 */
const STRING = toDatabricksType(VARCHAR);
const LONG = toDatabricksType(BIGINT);

export async function runVolumeStatement(st: VolumeStatement, tokens: readonly Token[], h: VolumeSessionHooks): Promise<ResultSet> {
  switch (st.kind) {
    case 'list':
      return list(st.path, st.limit, h);
    case 'copyInto':
      return copyInto(st, h);
    case 'readFiles': {
      const reads = st.calls.map((c) => ({ call: c, path: parseSqlVolumePath(c.path, 'read_files'), spec: readSpec(c.options, 'read_files') }));
      authorizeVolumeReads(h.catalog.grants, h.catalog.volumes, h.user, reads.map((r) => r.path.volume));
      const tables: string[] = [];
      try {
        const out = [...tokens];
        // Last call first, so earlier token positions stay valid.
        for (const r of [...reads].reverse()) {
          const table = scratchTable();
          tables.push(table);
          await readInto(h, r.path, r.spec, table);
          out.splice(r.call.start, r.call.end - r.call.start + 1, { kind: 'word', text: table, value: table.toUpperCase(), pre: tokens[r.call.start]!.pre });
        }
        return await h.runTokens(out);
      } finally {
        await dropTables(h.conn, tables);
      }
    }
  }
}

/** read_files: discover, settle the format, load into `table`. */
async function readInto(h: VolumeSessionHooks, path: SqlVolumePath, spec: PartialSpec, table: string): Promise<void> {
  const { dir } = await volumeDir(h, path);
  const files = discoverFiles(dir, path);
  const format = spec.format ?? (files.length > 0 ? inferFormat(files.map((f) => f.name)) : undefined);
  if (!format) throw notSupported('read_files without format => … on a path with no files');
  await loadFiles(h.conn, dir, withFormat(spec, format), files.map((f) => f.disk), table);
}

/** LIST: path, name, size (0 for directories) and modification_time (epoch ms), as the LIST docs' columns. */
async function list(raw: string, limit: number | undefined, h: VolumeSessionHooks): Promise<ResultSet> {
  const p = parseSqlVolumePath(raw, 'LIST');
  authorizeVolumeReads(h.catalog.grants, h.catalog.volumes, h.user, [p.volume]);
  const { dir } = await volumeDir(h, p);
  const entries = listEntries(dir, p).slice(0, limit);
  return new MemoryResultSet(
    [
      { name: 'path', type: STRING },
      { name: 'name', type: STRING },
      { name: 'size', type: LONG },
      { name: 'modification_time', type: LONG },
    ],
    entries.map((e) => [e.path, e.name, String(e.size), String(Math.floor(e.mtimeMs))]),
  );
}

