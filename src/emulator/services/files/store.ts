import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, utimesSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { ApiError, invalidParameter } from '../../http/errors.js';
import type { ServiceContext } from '../types.js';
import type { VolumePath } from './paths.js';

/** Files API errors (404 `NOT_FOUND`; 409 `ALREADY_EXISTS`, which the Databricks CLI checks for on upload). */
export const fileNotFound = (message: string): ApiError => new ApiError(404, 'NOT_FOUND', message);
const alreadyExists = (message: string): ApiError => new ApiError(409, 'ALREADY_EXISTS', message);

export interface DirectoryEntry {
  path: string;
  name: string;
  is_directory: boolean;
  file_size?: number;
  last_modified?: number;
}

/** Where volume bytes live under the emulator's data dir (the SQL engine reads them there too). */
export const volumeFilesRoot = (dataDir: string): string => join(dataDir, 'files');

/**
 * The bytes of volume files, on disk under `<dataDir>/files/<volume_id>/`: keyed by id, so a
 * renamed volume keeps its files and a re-created one starts empty. Callers resolve the volume
 * first (it must exist); every method checks before it writes, so a refused call changes nothing.
 */
export class VolumeFileStore {
  private readonly root: string;

  constructor(private readonly ctx: ServiceContext) {
    this.root = volumeFilesRoot(ctx.dataDir);
    mkdirSync(this.root, { recursive: true });
  }

  private disk(volumeId: string, rel: readonly string[]): string {
    return join(this.root, volumeId, ...rel);
  }

  private stat(volumeId: string, rel: readonly string[]): Stats | undefined {
    try {
      return statSync(this.disk(volumeId, rel));
    } catch {
      return undefined;
    }
  }

  /** A file on the way down (`a` in `a/b`) makes the path unusable for a write. */
  private assertNoFileAbove(volumeId: string, p: VolumePath, includeSelf: boolean): void {
    const upTo = includeSelf ? p.rel.length : p.rel.length - 1;
    for (let i = 1; i <= upTo; i++) {
      const s = this.stat(volumeId, p.rel.slice(0, i));
      if (!s) return;
      if (!s.isDirectory()) throw alreadyExists(`A file exists at ${[p.root, ...p.rel.slice(0, i)].join('/')}, so ${p.display} cannot be created.`);
    }
  }

  fileInfo(volumeId: string, p: VolumePath): Stats {
    const s = this.stat(volumeId, p.rel);
    // A directory is not a file: the API answers 404 for it, as for a missing path.
    if (!s || s.isDirectory()) throw fileNotFound(`The file ${p.display} does not exist.`);
    return s;
  }

  read(volumeId: string, p: VolumePath): { bytes: Buffer; stats: Stats } {
    const stats = this.fileInfo(volumeId, p);
    return { bytes: readFileSync(this.disk(volumeId, p.rel)), stats };
  }

  /** Parent directories are created as needed; the file appears whole (temp file, then rename). */
  write(volumeId: string, p: VolumePath, bytes: Buffer, overwrite: boolean): void {
    if (p.rel.length === 0) throw alreadyExists(`${p.display} is the root directory of a volume, not a file.`);
    this.assertNoFileAbove(volumeId, p, false);
    const s = this.stat(volumeId, p.rel);
    if (s?.isDirectory()) throw alreadyExists(`A directory exists at ${p.display}.`);
    if (s && !overwrite) throw alreadyExists(`The file ${p.display} already exists.`);
    const target = this.disk(volumeId, p.rel);
    mkdirSync(this.disk(volumeId, p.rel.slice(0, -1)), { recursive: true });
    const tmp = `${target}.upload-${process.pid}-${Date.now()}`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
    this.touch(target);
  }

  deleteFile(volumeId: string, p: VolumePath): void {
    this.fileInfo(volumeId, p);
    rmSync(this.disk(volumeId, p.rel));
  }

  /** Like `mkdir -p`: an existing directory is fine, a file anywhere on the path is a conflict. */
  mkdirs(volumeId: string, p: VolumePath): void {
    this.assertNoFileAbove(volumeId, p, true);
    mkdirSync(this.disk(volumeId, p.rel), { recursive: true });
  }

  directoryExists(volumeId: string, p: VolumePath): void {
    // The volume root exists as soon as the volume does.
    if (p.rel.length === 0) return;
    if (!this.stat(volumeId, p.rel)?.isDirectory()) throw fileNotFound(`The directory ${p.display} does not exist.`);
  }

  /** Entries sorted by name (the API promises no order; a stable one makes page tokens offsets). */
  list(volumeId: string, p: VolumePath): DirectoryEntry[] {
    this.directoryExists(volumeId, p);
    const dir = this.disk(volumeId, p.rel);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return []; // the volume root before anything was written to it
    }
    return names.map((name) => {
      const s = statSync(join(dir, name));
      const path = `${p.display}/${name}`;
      return s.isDirectory() ? { path, name, is_directory: true } : { path, name, is_directory: false, file_size: s.size, last_modified: Math.floor(s.mtimeMs) };
    });
  }

  /** Only an empty directory; the reason is what the Databricks CLI looks for in `details`. */
  rmdir(volumeId: string, p: VolumePath): void {
    if (p.rel.length === 0) throw invalidParameter(`${p.display} is the root directory of a volume; delete the volume instead.`);
    this.directoryExists(volumeId, p);
    const dir = this.disk(volumeId, p.rel);
    if (readdirSync(dir).length > 0) {
      throw new ApiError(400, 'BAD_REQUEST', `The directory ${p.display} is not empty. Delete its contents first.`, {}, [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'FILES_API_DIRECTORY_IS_NOT_EMPTY', metadata: {} },
      ]);
    }
    rmdirSync(dir);
  }

  /** The files of deleted volumes go with them. */
  drop(volumeIds: readonly string[]): void {
    for (const id of volumeIds) if (isId(id)) rmSync(join(this.root, id), { recursive: true, force: true });
  }

  /** Removes what belongs to no volume (volumes deleted while this service was not listening). */
  sweep(liveIds: ReadonlySet<string>): void {
    for (const id of readdirSync(this.root)) if (!liveIds.has(id)) rmSync(join(this.root, id), { recursive: true, force: true });
  }

  /** A reset: no volume survives, so no file does. */
  wipe(): void {
    rmSync(this.root, { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true });
  }

  private touch(diskPath: string): void {
    const t = new Date(this.ctx.clock.now());
    utimesSync(diskPath, t, t);
  }
}

/** Volume ids are UUID-shaped; anything else never names a directory here. */
function isId(id: string): boolean {
  return /^[0-9a-f-]{36}$/.test(id);
}
