import { appendFileSync, existsSync, mkdirSync, openSync, readSync, closeSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { alreadyExists, ApiError, badRequest, invalidParameter, notFound } from '../../http/errors.js';
import type { ServiceContext } from '../types.js';

export const MAX_BLOCK_BYTES = 1024 * 1024;
export const DEFAULT_READ_BYTES = 512 * 1024;
/** Files removed per dbfs/delete call before it answers 503 (quirk 6). */
export const DELETE_BATCH = 1000;
/** Streaming handles expire after 10 minutes idle (reference §1.9), measured on the real clock. */
export const HANDLE_IDLE_MS = 10 * 60_000;

export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
  modification_time: number;
}

interface Handle {
  path: string;
  staging: string;
  overwrite: boolean;
  lastUsed: number;
}

/**
 * DBFS backed by real files under `<dataDir>/dbfs`; open streaming handles write to
 * `<dataDir>/dbfs-staging` and the file appears at `close` (atomic rename).
 */
export class DbfsStore {
  private readonly root: string;
  private readonly staging: string;
  readonly handles = new Map<number, Handle>();

  constructor(private readonly ctx: ServiceContext) {
    this.root = join(ctx.dataDir, 'dbfs');
    this.staging = join(ctx.dataDir, 'dbfs-staging');
    mkdirSync(this.root, { recursive: true });
    rmSync(this.staging, { recursive: true, force: true });
    mkdirSync(this.staging, { recursive: true });
  }

  private disk(path: string): string {
    return path === '/' ? this.root : join(this.root, path);
  }

  private stat(path: string): Stats | undefined {
    try {
      return statSync(this.disk(path));
    } catch {
      return undefined;
    }
  }

  private missing(path: string): never {
    throw notFound(`No file or directory exists on path ${path}.`);
  }

  info(path: string): FileInfo {
    const s = this.stat(path) ?? this.missing(path);
    return s.isDirectory() ? { path, is_dir: true, modification_time: Math.floor(s.mtimeMs) } : { path, is_dir: false, file_size: s.size, modification_time: Math.floor(s.mtimeMs) };
  }

  list(path: string): FileInfo[] {
    const info = this.info(path);
    if (!info.is_dir) return [info];
    return readdirSync(this.disk(path))
      .sort()
      .map((name) => this.info(path === '/' ? `/${name}` : `${path}/${name}`));
  }

  /** Quirk 12: existing directories are fine, a file anywhere on the path is not. */
  mkdirs(path: string): void {
    this.assertNoFileOnPath(path, true);
    mkdirSync(this.disk(path), { recursive: true });
  }

  private assertNoFileOnPath(path: string, includeSelf: boolean): void {
    const parts = path.split('/').filter(Boolean);
    let cur = '';
    for (let i = 0; i < parts.length; i++) {
      cur += `/${parts[i]}`;
      if (!includeSelf && i === parts.length - 1) break;
      const s = this.stat(cur);
      if (s && !s.isDirectory()) throw alreadyExists(`A file or directory already exists at the input path ${cur}.`);
      if (!s) return;
    }
  }

  /** Checks a write target before anything is written. */
  private checkWritable(path: string, overwrite: boolean): void {
    if (path === '/') throw invalidParameter('Cannot write to the root directory.');
    this.assertNoFileOnPath(path, false);
    const s = this.stat(path);
    if (s?.isDirectory()) throw alreadyExists(`A directory already exists at the input path ${path}.`);
    if (s && !overwrite) throw alreadyExists(`A file or directory already exists at the input path ${path}.`);
  }

  put(path: string, contents: Buffer, overwrite: boolean, limited = true): void {
    if (limited && contents.length > MAX_BLOCK_BYTES) throw badRequest('MAX_BLOCK_SIZE_EXCEEDED', `File uploads through /dbfs/put are limited to ${MAX_BLOCK_BYTES} bytes; use create/add-block/close for larger files.`);
    this.checkWritable(path, overwrite);
    mkdirSync(dirname(this.disk(path)), { recursive: true });
    writeFileSync(this.disk(path), contents);
    this.touch(path);
  }

  private touch(path: string): void {
    const t = new Date(this.ctx.clock.now());
    utimesSync(this.disk(path), t, t);
  }

  read(path: string, offset: number, length: number): { bytes_read: number; data: string } {
    if (length > MAX_BLOCK_BYTES) throw badRequest('MAX_READ_SIZE_EXCEEDED', `Cannot read more than ${MAX_BLOCK_BYTES} bytes at once (requested ${length}).`);
    const s = this.stat(path) ?? this.missing(path);
    if (s.isDirectory()) throw invalidParameter(`Cannot read from ${path}: it is a directory.`);
    if (offset >= s.size || length === 0) return { bytes_read: 0, data: '' };
    const n = Math.min(length, s.size - offset);
    const buf = Buffer.alloc(n);
    const fd = openSync(this.disk(path), 'r');
    try {
      const got = readSync(fd, buf, 0, n, offset);
      return { bytes_read: got, data: buf.subarray(0, got).toString('base64') };
    } finally {
      closeSync(fd);
    }
  }

  delete(path: string, recursive: boolean): void {
    if (path === '/') throw invalidParameter('Cannot delete the root directory.');
    const s = this.stat(path);
    if (!s) return; // deleting a missing path succeeds, like the real service
    if (s.isDirectory() && !recursive && readdirSync(this.disk(path)).length > 0) {
      throw badRequest('IO_ERROR', `Directory ${path} is not empty; use recursive=true to delete it.`);
    }
    if (s.isDirectory()) this.deletePartOfBigTree(path);
    rmSync(this.disk(path), { recursive: true, force: true });
  }

  /**
   * Quirk 6: deleting a big tree times out with 503 after removing part of it, and callers repeat
   * the call. Here a tree of more than DELETE_BATCH files loses DELETE_BATCH of them per call.
   */
  private deletePartOfBigTree(path: string): void {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (files.length > DELETE_BATCH) return;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(this.disk(path));
    if (files.length <= DELETE_BATCH) return;
    for (const f of files.slice(0, DELETE_BATCH)) rmSync(f, { force: true });
    throw new ApiError(503, 'TEMPORARILY_UNAVAILABLE', `The operation timed out while deleting ${path}; part of it was deleted. Repeat the call to delete the rest.`);
  }

  move(source: string, destination: string): void {
    if (!this.stat(source)) throw notFound(`No file or directory exists on path ${source}.`);
    if (source === '/' || destination === '/') throw invalidParameter('Cannot move the root directory.');
    if (destination === source || destination.startsWith(`${source}/`)) throw invalidParameter(`Cannot move ${source} into itself.`);
    if (this.stat(destination)) throw alreadyExists(`A file or directory already exists at the input path ${destination}.`);
    this.assertNoFileOnPath(destination, false);
    mkdirSync(dirname(this.disk(destination)), { recursive: true });
    renameSync(this.disk(source), this.disk(destination));
  }

  // ---------- streaming ----------

  create(path: string, overwrite: boolean): number {
    this.checkWritable(path, overwrite);
    const handle = this.ctx.ids.numeric(15);
    const staging = join(this.staging, String(handle));
    writeFileSync(staging, Buffer.alloc(0));
    this.handles.set(handle, { path, staging, overwrite, lastUsed: Date.now() });
    return handle;
  }

  private handle(id: number): Handle {
    const h = this.handles.get(id);
    if (h && Date.now() - h.lastUsed > HANDLE_IDLE_MS) {
      this.handles.delete(id);
      rmSync(h.staging, { force: true });
    } else if (h) {
      h.lastUsed = Date.now();
      return h;
    }
    throw notFound(`The handle ${id} does not exist or has expired.`);
  }

  addBlock(id: number, data: Buffer): void {
    const h = this.handle(id);
    if (data.length > MAX_BLOCK_BYTES) throw badRequest('MAX_BLOCK_SIZE_EXCEEDED', `A block is limited to ${MAX_BLOCK_BYTES} bytes (got ${data.length}).`);
    appendFileSync(h.staging, data);
  }

  close(id: number): void {
    const h = this.handle(id);
    this.checkWritable(h.path, h.overwrite);
    mkdirSync(dirname(this.disk(h.path)), { recursive: true });
    renameSync(h.staging, this.disk(h.path));
    this.touch(h.path);
    this.handles.delete(id);
  }

  exists(path: string): boolean {
    return existsSync(this.disk(path));
  }

  /** Forgets all files (reset): the DBFS root is emptied. */
  wipe(): void {
    rmSync(this.root, { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true });
    this.handles.clear();
  }
}
