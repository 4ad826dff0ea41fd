/**
 * Files API 2.0 over Unity Catalog volumes: `/api/2.0/fs/files{path}` (raw bytes up and down,
 * HEAD for metadata) and `/api/2.0/fs/directories{path}`. Paths are absolute,
 * `/Volumes/<catalog>/<schema>/<volume>/…`, and every segment is URL-encoded.
 * Uploads are single requests (the API takes up to 5 GiB); a stream body is sent once, never retried.
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { CallOptions, HttpClient, RawResponse } from '../http.js';
import { byPageToken, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { Empty } from './types.js';

const volumePath = nonEmpty.refine((p) => p.startsWith('/'), { error: 'must be an absolute path (/Volumes/<catalog>/<schema>/<volume>/…)' });
/** `/a b/c` → `/a%20b/c`: each segment encoded, slashes kept. */
const encodePath = (p: string): string => p.split('/').map(encodeURIComponent).join('/');
const filesPath = (p: string): string => `/api/2.0/fs/files${encodePath(p)}`;
const directoriesPath = (p: string): string => `/api/2.0/fs/directories${encodePath(p)}`;

export interface DirectoryEntry {
  path?: string;
  name?: string;
  is_directory?: boolean;
  /** Omitted for directories. */
  file_size?: number;
  /** Epoch ms. */
  last_modified?: number;
}

export interface FileMetadata {
  content_length?: number;
  content_type?: string;
  /** The Last-Modified header as sent (an HTTP date). */
  last_modified?: string;
}

export interface DownloadResult extends FileMetadata {
  contents: Buffer;
  /** For a `range` request: the `Content-Range` header (`bytes a-b/size`). */
  content_range?: string;
}

const FileSchema = z.looseObject({ file_path: volumePath });
const DirectorySchema = z.looseObject({ directory_path: volumePath });
const UploadSchema = z.looseObject({
  file_path: volumePath,
  contents: z.union([z.instanceof(Uint8Array), z.instanceof(Readable)], { error: 'must be a Buffer, Uint8Array or Readable stream' }),
  overwrite: z.boolean().optional(),
});
export type UploadRequest = z.input<typeof UploadSchema>;
const DownloadSchema = z.looseObject({
  file_path: volumePath,
  /** Inclusive byte range: `{ start, end? }` (end omitted = to the end of the file). */
  range: z.object({ start: nonNegativeInt, end: nonNegativeInt.optional() }).optional(),
});
const ListSchema = z.looseObject({ directory_path: volumePath, page_size: nonNegativeInt.optional(), page_token: z.string().optional(), limit: listCap.shape.limit });

function metadataOf(r: RawResponse): FileMetadata {
  const length = r.headers['content-length'];
  return {
    ...(length !== undefined && /^\d+$/.test(length) ? { content_length: Number(length) } : {}),
    ...(r.headers['content-type'] ? { content_type: r.headers['content-type'] } : {}),
    ...(r.headers['last-modified'] ? { last_modified: r.headers['last-modified'] } : {}),
  };
}

export class FilesService {
  constructor(private readonly http: HttpClient) {}

  /** `overwrite` unset: the API overwrites. Bytes are safe to send again; a stream is sent once. */
  async upload(req: UploadRequest, opts?: CallOptions): Promise<Empty> {
    const { file_path, contents, overwrite } = validate('files.upload', UploadSchema, req);
    return this.http.request({
      operation: 'files.upload',
      method: 'PUT',
      path: filesPath(file_path),
      query: { overwrite },
      rawBody: contents,
      // Writing the same bytes twice leaves the same file, unless overwrite=false made the first one win.
      idempotent: overwrite !== false && contents instanceof Uint8Array,
      ...opts,
    });
  }

  /** The whole file (or one byte range) in memory, with its metadata. */
  async download(req: In<typeof DownloadSchema>, opts?: CallOptions): Promise<DownloadResult> {
    const { file_path, range } = validate('files.download', DownloadSchema, req);
    const r = await this.http.request<RawResponse>({
      operation: 'files.download',
      method: 'GET',
      path: filesPath(file_path),
      headers: { accept: 'application/octet-stream', ...(range ? { range: `bytes=${range.start}-${range.end ?? ''}` } : {}) },
      response: 'raw',
      idempotent: true,
      ...opts,
    });
    return { ...metadataOf(r), contents: r.body, ...(r.headers['content-range'] ? { content_range: r.headers['content-range'] } : {}) };
  }

  /** HEAD: size, type and modification time; NotFoundError when no file is there (a directory included). */
  async getMetadata(req: In<typeof FileSchema>, opts?: CallOptions): Promise<FileMetadata> {
    const { file_path } = validate('files.getMetadata', FileSchema, req);
    const r = await this.http.request<RawResponse>({ operation: 'files.getMetadata', method: 'HEAD', path: filesPath(file_path), response: 'raw', idempotent: true, ...opts });
    return metadataOf(r);
  }

  /** Not safe to repeat blindly: a second delete of the same file answers 404. */
  async delete(req: In<typeof FileSchema>, opts?: CallOptions): Promise<Empty> {
    const { file_path } = validate('files.delete', FileSchema, req);
    return this.http.request({ operation: 'files.delete', method: 'DELETE', path: filesPath(file_path), idempotent: false, ...opts });
  }

  /** Like `mkdir -p`; succeeds when the directory exists. */
  async createDirectory(req: In<typeof DirectorySchema>, opts?: CallOptions): Promise<Empty> {
    const { directory_path } = validate('files.createDirectory', DirectorySchema, req);
    return this.http.request({ operation: 'files.createDirectory', method: 'PUT', path: directoriesPath(directory_path), idempotent: true, ...opts });
  }

  /** Only an empty directory (400 with reason FILES_API_DIRECTORY_IS_NOT_EMPTY otherwise). */
  async deleteDirectory(req: In<typeof DirectorySchema>, opts?: CallOptions): Promise<Empty> {
    const { directory_path } = validate('files.deleteDirectory', DirectorySchema, req);
    return this.http.request({ operation: 'files.deleteDirectory', method: 'DELETE', path: directoriesPath(directory_path), idempotent: false, ...opts });
  }

  /** HEAD: resolves when the directory exists, NotFoundError otherwise. */
  async getDirectoryMetadata(req: In<typeof DirectorySchema>, opts?: CallOptions): Promise<Empty> {
    const { directory_path } = validate('files.getDirectoryMetadata', DirectorySchema, req);
    await this.http.request<RawResponse>({ operation: 'files.getDirectoryMetadata', method: 'HEAD', path: directoriesPath(directory_path), response: 'raw', idempotent: true, ...opts });
    return {};
  }

  async listDirectoryContentsPage(req: In<typeof ListSchema>, opts?: CallOptions): Promise<{ contents?: DirectoryEntry[]; next_page_token?: string }> {
    const { directory_path, limit: _l, ...query } = validate('files.listDirectoryContents', ListSchema, req);
    return this.http.request({ operation: 'files.listDirectoryContents', method: 'GET', path: directoriesPath(directory_path), query, idempotent: true, ...opts });
  }

  /** Every entry, page by page until no `next_page_token` (a page may be short). */
  listDirectoryContents(req: In<typeof ListSchema>, opts?: CallOptions): Paginated<DirectoryEntry> {
    const { limit, ...q } = validate('files.listDirectoryContents', ListSchema, req);
    return byPageToken((page) => this.listDirectoryContentsPage({ ...q, ...page }, opts), (r) => r.contents, limit);
  }
}
