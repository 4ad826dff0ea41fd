import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { SqlError } from './errors.js';
import { GLOB_CHARS, type SqlVolumePath } from './volume-paths.js';

/**
 * Finding the files a volume path names, on the Files API's store (`<files root>/<volume_id>/`).
 * Only plain files and directories count: a symbolic link (the store never makes one) is skipped, so
 * nothing outside the volume's directory is ever reached.
 */
export interface VolumeFile {
  /** On disk. */
  disk: string;
  /** `/Volumes/c/s/v/dir/file.csv`, as the path was written down to the volume. */
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
}

export interface VolumeEntry extends VolumeFile {
  isDirectory: boolean;
}

const lstat = (p: string): Stats | undefined => {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
};

/** Spark skips files and directories whose names start with `_` or `.` (`_SUCCESS`, `.crc`, `_delta_log`). */
const hidden = (name: string) => name.startsWith('_') || name.startsWith('.');

export const pathNotFound = (path: string) => new SqlError('PATH_NOT_FOUND', `Path does not exist: ${path}. SQLSTATE: 42K03`);

/** Every plain file under `dir`, recursively, sorted by path, hidden names skipped. */
function walk(dir: string, shown: string, out: VolumeFile[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (hidden(name)) continue;
    const disk = join(dir, name);
    const s = lstat(disk);
    if (s?.isDirectory()) walk(disk, `${shown}/${name}`, out);
    else if (s?.isFile()) out.push({ disk, path: `${shown}/${name}`, name, size: s.size, mtimeMs: s.mtimeMs });
  }
}

/**
 * The files read_files and COPY INTO read: a file itself, every file under a directory
 * (recursively), or, for a glob, every file matched or under a directory matched. Globs follow the
 * documented strict globber: `*` and `?` stay within one path segment.
 */
export function discoverFiles(volumeDir: string, p: SqlVolumePath): VolumeFile[] {
  const literal = p.segments.findIndex((s) => GLOB_CHARS.test(s));
  const prefix = literal < 0 ? p.segments : p.segments.slice(0, literal);
  const base = join(volumeDir, ...prefix);
  const shownBase = [p.root, ...prefix].join('/');
  const s = lstat(base);
  if (!s || !(s.isDirectory() || s.isFile())) throw pathNotFound([p.root, ...p.segments].join('/'));
  if (s.isFile()) return literal < 0 ? [{ disk: base, path: shownBase, name: prefix.at(-1) ?? '', size: s.size, mtimeMs: s.mtimeMs }] : [];
  const all: VolumeFile[] = [];
  walk(base, shownBase, all);
  if (literal < 0) return all;
  const patterns = p.segments.slice(literal).map(globSegment);
  return all.filter((f) => {
    const rel = f.path.slice(shownBase.length + 1).split('/');
    return rel.length >= patterns.length && patterns.every((re, i) => re.test(rel[i]!));
  });
}

/** LIST: the entries directly in a directory (or the file itself), hidden names included. */
export function listEntries(volumeDir: string, p: SqlVolumePath): VolumeEntry[] {
  if (p.segments.some((s) => GLOB_CHARS.test(s))) return [];
  const base = join(volumeDir, ...p.segments);
  const shown = [p.root, ...p.segments].join('/');
  const s = lstat(base);
  if (s?.isFile()) return [{ disk: base, path: shown, name: p.segments.at(-1)!, size: s.size, mtimeMs: s.mtimeMs, isDirectory: false }];
  // The volume root exists with its volume, before anything was written to it.
  if (!s?.isDirectory()) {
    if (p.segments.length === 0) return [];
    throw pathNotFound(shown);
  }
  const out: VolumeEntry[] = [];
  for (const name of readdirSync(base).sort()) {
    const disk = join(base, name);
    const e = lstat(disk);
    if (e?.isDirectory()) out.push({ disk, path: `${shown}/${name}/`, name: `${name}/`, size: 0, mtimeMs: e.mtimeMs, isDirectory: true });
    else if (e?.isFile()) out.push({ disk, path: `${shown}/${name}`, name, size: e.size, mtimeMs: e.mtimeMs, isDirectory: false });
  }
  return out;
}

/** One glob segment as an anchored regex: `?`, `*`, `[abc]`, `[a-z]`, `[^a]`, `{ab,c{de,fh}}`. */
export function globSegment(glob: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) throw badGlob(glob);
      const body = glob.slice(i + 1, end);
      re += `[${body.startsWith('^') ? '^' + escapeClass(body.slice(1)) : escapeClass(body)}]`;
      i = end;
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  if (braces > 0) throw badGlob(glob);
  return new RegExp(`^${re}$`);
}

/** A class body as written, with regex specials other than `-` escaped. */
const escapeClass = (body: string) => body.replace(/[\\\]^[]/g, '\\$&');

const badGlob = (glob: string) => new SqlError('INVALID_PATH', `Invalid glob pattern ${JSON.stringify(glob)}.`);
