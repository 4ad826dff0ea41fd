import { notSupported, SqlError } from './errors.js';
import type { VolumeRef } from './volumes.js';

/**
 * A path SQL reads files from (`read_files`, `COPY INTO … FROM`, `LIST`): only a Unity Catalog
 * volume path, `/Volumes/<catalog>/<schema>/<volume>[/…]`. Everything is checked on the text before
 * any disk is touched, so no path can leave its volume: `.`/`..` and empty segments and NUL are
 * refused, and so is every other scheme (`dbfs:`, `s3://`, `file:`, relative or host paths).
 */
export interface SqlVolumePath {
  volume: VolumeRef;
  /** Segments below the volume root (may hold glob characters). */
  segments: string[];
  /** `/Volumes/<catalog>/<schema>/<volume>` as written (listings show paths under it). */
  root: string;
}

/** Characters that make a segment a glob pattern (read_files' "File discovery" table). */
export const GLOB_CHARS = /[*?[\]{}]/;

/** `what` names the caller in messages: `read_files`, `COPY INTO`, `LIST`. */
export function parseSqlVolumePath(raw: string, what: string): SqlVolumePath {
  const shown = JSON.stringify(raw);
  if (!raw.startsWith('/Volumes/')) {
    // s3://, abfss://, dbfs:/ and external locations are real Databricks sources the emulator has no bytes for.
    throw notSupported(`${what} of ${shown}: the emulator reads files only from Unity Catalog volumes (/Volumes/<catalog>/<schema>/<volume>/…)`);
  }
  if (raw.includes('\0')) throw invalidPath(raw, 'it contains a NUL character');
  const parts = raw.split('/').slice(1);
  if (parts.at(-1) === '') parts.pop();
  if (parts.some((s) => s === '')) throw invalidPath(raw, 'empty path segment');
  if (parts.some((s) => s === '.' || s === '..')) throw invalidPath(raw, "'.' and '..' segments are not allowed");
  if (parts.length < 4) throw invalidPath(raw, 'a volume path has the form /Volumes/<catalog>/<schema>/<volume>/<path>');
  const [, catalog, schema, name] = parts as [string, string, string, string];
  if ([catalog, schema, name].some((s) => GLOB_CHARS.test(s))) throw notSupported(`${what}: glob patterns in the catalog, schema or volume name of ${shown}`);
  return {
    volume: { catalog: catalog.toLowerCase(), schema: schema.toLowerCase(), name: name.toLowerCase() },
    segments: parts.slice(4),
    root: `/${parts.slice(0, 4).join('/')}`,
  };
}

// The error class is the emulator's: a real workspace's answer to such a path is unverified.
const invalidPath = (raw: string, why: string) => new SqlError('INVALID_PATH', `Invalid path ${JSON.stringify(raw)}: ${why}.`);
