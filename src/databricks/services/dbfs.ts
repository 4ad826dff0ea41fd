/**
 * DBFS API 2.0 (§2.5), with streaming upload/download of any size: create/add-block/close in
 * ≤1 MB blocks, read in ≤1 MB chunks, both resumable from an offset so an activity can heartbeat
 * its progress and continue after a worker restart.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { CallOptions, HttpClient } from '../http.js';
import { paginate, type Paginated } from '../paginate.js';
import { absPath, listCap, nonNegativeInt, validate, type In } from '../validate.js';
import type { Empty } from './types.js';

const BASE = '/api/2.0/dbfs';
/** Per put `contents`, add-block `data` and read `length` (§1.9). */
export const DBFS_MAX_BLOCK_BYTES = 1024 * 1024;

const base64Max = (what: string) =>
  z.string().refine((c) => Buffer.byteLength(c, 'base64') <= DBFS_MAX_BLOCK_BYTES, { error: `${what} must decode to at most 1 MB` });

const PathSchema = z.looseObject({ path: absPath });
const PathListSchema = PathSchema.extend({ limit: listCap.shape.limit });
const PutSchema = z.looseObject({ path: absPath, contents: base64Max('contents').optional(), overwrite: z.boolean().optional() });
export type PutRequest = z.infer<typeof PutSchema>;
const CreateSchema = z.looseObject({ path: absPath, overwrite: z.boolean().optional() });
const AddBlockSchema = z.looseObject({ handle: z.number({ error: 'must be a number' }).int().nonnegative(), data: base64Max('data') });
const HandleSchema = z.looseObject({ handle: z.number({ error: 'must be a number' }).int().nonnegative() });
const ReadSchema = z.looseObject({
  path: absPath,
  offset: nonNegativeInt.optional(),
  length: nonNegativeInt.max(DBFS_MAX_BLOCK_BYTES, { error: 'must be at most 1 MB (1048576)' }).optional(),
});
const DeleteSchema = z.looseObject({ path: absPath, recursive: z.boolean().optional() });
const MoveSchema = z.looseObject({ source_path: absPath, destination_path: absPath });
const UploadOptionsSchema = z.looseObject({
  overwrite: z.boolean().optional(),
  startOffset: nonNegativeInt.optional(),
  handle: z.number().int().nonnegative().optional(),
  blockSize: z.number().int().positive().max(DBFS_MAX_BLOCK_BYTES, { error: 'must be at most 1 MB (1048576)' }).optional(),
});
const DownloadOptionsSchema = z.looseObject({
  startOffset: nonNegativeInt.optional(),
  chunkSize: z.number().int().positive().max(DBFS_MAX_BLOCK_BYTES, { error: 'must be at most 1 MB (1048576)' }).optional(),
});

export interface FileInfo {
  path: string;
  is_dir?: boolean;
  /** Absent for directories. */
  file_size?: number;
  modification_time?: number;
}

export type ByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface UploadOptions {
  overwrite?: boolean;
  /**
   * Resume: bytes of `source` already written through `handle`; they are skipped. Exact only when
   * the previous attempt's last add-block is known not to have been applied — the DBFS API has no
   * way to ask, so when in doubt restart from 0 with a new handle (and `overwrite: true`).
   */
  startOffset?: number;
  /** The open stream handle to resume (required with `startOffset` > 0; handles expire after 10 min idle). */
  handle?: number;
  /** Block size, default and max 1 MB. */
  blockSize?: number;
  /** After each block: total bytes written (including `startOffset`) and the handle, to heartbeat. */
  onProgress?: (bytesDone: number, handle: number) => void;
}

export interface DownloadOptions {
  /** Byte offset to start reading from (resume). */
  startOffset?: number;
  /** Chunk size, default and max 1 MB. */
  chunkSize?: number;
  /** After each chunk: total bytes read from the start of the file. */
  onProgress?: (bytesDone: number) => void;
}

/** Re-slices any byte source into blocks of exactly `size` bytes (last one shorter), skipping `skip` bytes. */
async function* blocks(source: ByteSource, size: number, skip: number): AsyncGenerator<Buffer> {
  const parts: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = source instanceof Uint8Array ? [source] : source;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let toSkip = skip;
  for await (const part of parts) {
    let buf = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    if (toSkip > 0) {
      const n = Math.min(toSkip, buf.length);
      buf = buf.subarray(n);
      toSkip -= n;
    }
    while (buf.length > 0) {
      const take = Math.min(size - pendingBytes, buf.length);
      pending.push(buf.subarray(0, take));
      pendingBytes += take;
      buf = buf.subarray(take);
      if (pendingBytes === size) {
        yield Buffer.concat(pending, size);
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (toSkip > 0) throw new ValidationError('dbfs.upload', 'startOffset', 'is past the end of the source');
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}

export class DbfsService {
  constructor(private readonly http: HttpClient) {}

  private async post<T>(op: string, path: string, body: unknown, idempotent: boolean, opts?: CallOptions): Promise<T> {
    return this.http.request<T>({ operation: `dbfs.${op}`, method: 'POST', path: `${BASE}${path}`, body, idempotent, ...opts });
  }
  private async read_<T>(op: string, path: string, query: Record<string, unknown>, opts?: CallOptions): Promise<T> {
    return this.http.request<T>({ operation: `dbfs.${op}`, method: 'GET', path: `${BASE}${path}`, query, idempotent: true, ...opts });
  }

  /** One-shot write of ≤1 MB (base64 `contents`). Safe to repeat only with `overwrite: true`. */
  async put(req: PutRequest, opts?: CallOptions): Promise<Empty> {
    const body = validate('dbfs.put', PutSchema, req);
    return this.post('put', '/put', body, body.overwrite === true, opts);
  }

  /** Opens a write stream. Not retried after sending (a repeat would leak a handle). */
  async create(req: In<typeof CreateSchema>, opts?: CallOptions): Promise<{ handle: number }> {
    return this.post('create', '/create', validate('dbfs.create', CreateSchema, req), false, opts);
  }

  /** Appends ≤1 MB. Never retried after sending: a repeat would append the block twice. */
  async addBlock(req: In<typeof AddBlockSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('addBlock', '/add-block', validate('dbfs.addBlock', AddBlockSchema, req), false, opts);
  }

  /** Not retried after sending: a repeat answers RESOURCE_DOES_NOT_EXIST for the closed handle. */
  async close(req: In<typeof HandleSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('close', '/close', validate('dbfs.close', HandleSchema, req), false, opts);
  }

  /** Reads ≤1 MB at `offset`; `data` is base64, `bytes_read` the decoded count (short at EOF). */
  async read(req: In<typeof ReadSchema>, opts?: CallOptions): Promise<{ bytes_read?: number; data?: string }> {
    return this.read_('read', '/read', validate('dbfs.read', ReadSchema, req), opts);
  }

  async getStatus(req: In<typeof PathSchema>, opts?: CallOptions): Promise<FileInfo> {
    return this.read_('getStatus', '/get-status', validate('dbfs.getStatus', PathSchema, req), opts);
  }

  async listPage(req: In<typeof PathSchema>, opts?: CallOptions): Promise<{ files?: FileInfo[] }> {
    return this.read_('list', '/list', validate('dbfs.list', PathSchema, req), opts);
  }

  /** Unpaged in the API; an iterator for uniformity. */
  list(req: In<typeof PathListSchema>, opts?: CallOptions): Paginated<FileInfo> {
    const { limit, ...q } = validate('dbfs.list', PathListSchema, req);
    return paginate(async () => ({ items: (await this.listPage(q, opts)).files ?? [] }), limit);
  }

  async mkdirs(req: In<typeof PathSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('mkdirs', '/mkdirs', validate('dbfs.mkdirs', PathSchema, req), true, opts);
  }

  /** Safe to repeat; a big tree may answer 503 part-way (§1.6 quirk 6), and repeating continues it. */
  async delete(req: In<typeof DeleteSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('delete', '/delete', validate('dbfs.delete', DeleteSchema, req), true, opts);
  }

  /** Not retried after sending: a repeat fails (source gone, destination exists). */
  async move(req: In<typeof MoveSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('move', '/move', validate('dbfs.move', MoveSchema, req), false, opts);
  }

  /**
   * Streams `source` (bytes, or any sync/async iterable of chunks such as a Node Readable) to
   * `path` through a create/add-block/close handle. Returns the total size written.
   */
  async upload(path: string, source: ByteSource, options: UploadOptions = {}, opts?: CallOptions): Promise<{ bytes: number; handle: number }> {
    validate('dbfs.upload', z.looseObject({ path: absPath }), { path });
    const o = validate('dbfs.upload', UploadOptionsSchema, options);
    const startOffset = o.startOffset ?? 0;
    if (startOffset > 0 && o.handle === undefined) {
      throw new ValidationError('dbfs.upload', 'handle', 'is required to resume from startOffset > 0');
    }
    const handle = o.handle ?? (await this.create({ path, overwrite: o.overwrite }, opts)).handle;
    let done = startOffset;
    for await (const block of blocks(source, o.blockSize ?? DBFS_MAX_BLOCK_BYTES, startOffset)) {
      await this.addBlock({ handle, data: block.toString('base64') }, opts);
      done += block.length;
      options.onProgress?.(done, handle);
    }
    await this.close({ handle }, opts);
    return { bytes: done, handle };
  }

  /** Reads `path` in ≤1 MB chunks from `startOffset` to EOF. */
  async *download(path: string, options: DownloadOptions = {}, opts?: CallOptions): AsyncGenerator<Buffer> {
    validate('dbfs.download', z.looseObject({ path: absPath }), { path });
    const o = validate('dbfs.download', DownloadOptionsSchema, options);
    const length = o.chunkSize ?? DBFS_MAX_BLOCK_BYTES;
    let offset = o.startOffset ?? 0;
    for (;;) {
      const r = await this.read({ path, offset, length }, opts);
      const chunk = Buffer.from(r.data ?? '', 'base64');
      if (chunk.length > 0) {
        offset += chunk.length;
        yield chunk;
        options.onProgress?.(offset);
      }
      // A short read means EOF (the API returns what is left past the end).
      if (chunk.length < length) return;
    }
  }

  /** Whole file into memory (use `download` for big files). */
  async readAll(path: string, opts?: CallOptions): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const c of this.download(path, {}, opts)) parts.push(c);
    return Buffer.concat(parts);
  }
}

