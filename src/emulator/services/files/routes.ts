import { z } from 'zod';
import { ApiError, invalidParameter } from '../../http/errors.js';
import { decodePageToken, encodePageToken } from '../../http/paging.js';
import { RawReply, route, versions, type ApiRequest, type RouteDef } from '../../http/router.js';
import { bool, int } from '../../http/validation.js';
import { UcError, volumeSecurable, type UnityCatalog } from '../../sql/index.js';
import { RestAccess } from '../unity-catalog/rest-access.js';
import { parseVolumePath, type VolumePath } from './paths.js';
import { parseRange } from './range.js';
import { fileNotFound, type VolumeFileStore } from './store.js';

/**
 * Uploads above this are refused. The real limit is 5 GiB; the emulator keeps request bodies in
 * memory, so it takes 16 MiB (the server refuses any body above 32 MiB before routing).
 */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
/** `page_size` default and cap (larger values are coerced, as documented). */
export const DIRECTORY_PAGE_SIZE = 1000;

const files = versions(['2.0'], '/fs/files/{path+}');
const directories = versions(['2.0'], '/fs/directories/{path+}');
const noInput = z.object({});
const NO_BODY = Buffer.alloc(0);
const OCTETS = 'application/octet-stream';

/**
 * What a call needs on the volume, besides USE CATALOG and USE SCHEMA above it: the volume
 * privileges docs' table ("Read or list files": READ VOLUME; "Create, delete, or update files": READ
 * VOLUME and WRITE VOLUME), for files and directories alike.
 */
const READ = ['READ_VOLUME'];
const WRITE = ['READ_VOLUME', 'WRITE_VOLUME'];

/** The Files API (`/api/2.0/fs/files…`, `/api/2.0/fs/directories…`) over Unity Catalog volumes. */
export function filesRoutes(store: VolumeFileStore, catalog: () => Promise<UnityCatalog>): RouteDef[] {
  /**
   * The path and its volume's id, once the caller may use the volume as `need` says (rest-access.ts;
   * admins pass). The privileges are checked on the names before the volume is looked up, so a caller
   * without them gets the same 403 whether the volume (or schema, catalog) exists or not; one who has
   * them, or an admin, gets a plain 404 for what is missing.
   */
  async function resolve(req: ApiRequest, need: readonly string[]): Promise<{ p: VolumePath; id: string }> {
    const p = parseVolumePath(req.params.path!);
    const uc = await catalog();
    try {
      new RestAccess(uc.grants, req.principal.userName).requirePrivileges(volumeSecurable(uc.volumes, p.volume), need);
      return { p, id: (await uc.volumes.find(p.volume)).id };
    } catch (e) {
      if (e instanceof UcError) throw e.status === 404 ? fileNotFound(e.message) : new ApiError(e.status, e.errorCode, e.message);
      throw e;
    }
  }
  /** A write answered 204 without a body ("If the request is successful, there is no response body"). */
  const noContent = (method: 'PUT' | 'DELETE', paths: string[], op: (volumeId: string, p: VolumePath) => void): RouteDef =>
    route({
      method,
      paths,
      rawBody: true,
      input: noInput,
      async handle(_input, req) {
        const { p, id } = await resolve(req, WRITE);
        op(id, p);
        return new RawReply(204, NO_BODY);
      },
    });
  const lastModified = (mtimeMs: number): string => new Date(mtimeMs).toUTCString();
  const metadata = (size: number, mtimeMs: number): Record<string, string> => ({ 'content-length': String(size), 'last-modified': lastModified(mtimeMs) });

  return [
    route({
      method: 'PUT',
      paths: files,
      rawBody: true,
      input: z.object({ overwrite: bool().optional() }),
      async handle(input, req) {
        const { p, id } = await resolve(req, WRITE);
        if (req.rawBody.length > MAX_UPLOAD_BYTES) {
          throw invalidParameter(`The upload of ${req.rawBody.length} bytes exceeds the emulator's limit of ${MAX_UPLOAD_BYTES} bytes per file (the real Files API takes up to 5 GiB).`);
        }
        // Unset means overwrite (documented: "If true or unspecified, an existing file will be overwritten").
        store.write(id, p, req.rawBody, input.overwrite ?? true);
        return new RawReply(204, NO_BODY);
      },
    }),
    route({
      method: 'GET',
      paths: files,
      input: noInput,
      async handle(_input, req) {
        const { p, id } = await resolve(req, READ);
        const { bytes, stats } = store.read(id, p);
        const headers = { 'last-modified': lastModified(stats.mtimeMs), 'accept-ranges': 'bytes' };
        const range = parseRange(req.headers.range, bytes.length);
        if (range === 'unsatisfiable') {
          throw new ApiError(416, 'INVALID_PARAMETER_VALUE', `The range ${String(req.headers.range)} is outside the file ${p.display} of ${bytes.length} bytes.`, { 'content-range': `bytes */${bytes.length}` });
        }
        if (range) {
          const part = bytes.subarray(range.start, range.end + 1);
          return new RawReply(206, part, OCTETS, { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${bytes.length}` });
        }
        return new RawReply(200, bytes, OCTETS, headers);
      },
    }),
    route({
      method: 'HEAD',
      paths: files,
      input: noInput,
      async handle(_input, req) {
        const { p, id } = await resolve(req, READ);
        const stats = store.fileInfo(id, p);
        return new RawReply(200, NO_BODY, OCTETS, metadata(stats.size, stats.mtimeMs));
      },
    }),
    noContent('DELETE', files, (id, p) => store.deleteFile(id, p)),
    noContent('PUT', directories, (id, p) => store.mkdirs(id, p)),
    route({
      method: 'GET',
      paths: directories,
      input: z.object({ page_size: int().optional(), page_token: z.string().optional() }),
      async handle(input, req) {
        if (input.page_size !== undefined && input.page_size < 0) throw invalidParameter('page_size must be greater than or equal to 0.');
        const offset = input.page_token ? decodePageToken(input.page_token) : 0;
        const { p, id } = await resolve(req, READ);
        const entries = store.list(id, p);
        const size = input.page_size ? Math.min(input.page_size, DIRECTORY_PAGE_SIZE) : DIRECTORY_PAGE_SIZE;
        const next = offset + size;
        return { contents: entries.slice(offset, next), ...(next < entries.length ? { next_page_token: encodePageToken(next) } : {}) };
      },
    }),
    route({
      method: 'HEAD',
      paths: directories,
      input: noInput,
      async handle(_input, req) {
        const { p, id } = await resolve(req, READ);
        store.directoryExists(id, p);
        return new RawReply(200, NO_BODY, OCTETS, { 'content-length': '0' });
      },
    }),
    noContent('DELETE', directories, (id, p) => store.rmdir(id, p)),
  ];
}
