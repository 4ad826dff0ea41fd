/** Workspace API 2.0 (§2.7), with file import/export helpers. */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { CallOptions, HttpClient } from '../http.js';
import { paginate, type Paginated } from '../paginate.js';
import { absPath, listCap, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';

const BASE = '/api/2.0/workspace';
/** Import/export limit (§1.9). */
export const MAX_WORKSPACE_FILE_BYTES = 10 * 1024 * 1024;

export type ExportFormat = 'SOURCE' | 'HTML' | 'JUPYTER' | 'DBC' | 'R_MARKDOWN' | 'AUTO' | 'RAW';
export type Language = 'PYTHON' | 'SCALA' | 'SQL' | 'R';
const formatEnum = z.enum(['SOURCE', 'HTML', 'JUPYTER', 'DBC', 'R_MARKDOWN', 'AUTO', 'RAW'], { error: 'must be SOURCE, HTML, JUPYTER, DBC, R_MARKDOWN, AUTO or RAW' });
const languageEnum = z.enum(['PYTHON', 'SCALA', 'SQL', 'R'], { error: 'must be PYTHON, SCALA, SQL or R' });

const PathSchema = z.looseObject({ path: absPath });
const ListSchema = z.looseObject({ path: absPath, notebooks_modified_after: z.number().int().nonnegative().optional(), limit: listCap.shape.limit });
const ImportSchema = z.looseObject({
  path: absPath,
  content: z
    .string()
    .refine((c) => Buffer.byteLength(c, 'base64') <= MAX_WORKSPACE_FILE_BYTES, { error: 'must decode to at most 10 MB' })
    .optional(),
  format: formatEnum.optional(),
  language: languageEnum.optional(),
  overwrite: z.boolean().optional(),
});
export type ImportRequest = z.infer<typeof ImportSchema>;
const ExportSchema = z.looseObject({ path: absPath, format: formatEnum.optional() });
const DeleteSchema = z.looseObject({ path: absPath, recursive: z.boolean().optional() });

export type ObjectType = OpenEnum<'NOTEBOOK' | 'DIRECTORY' | 'FILE' | 'LIBRARY' | 'REPO' | 'DASHBOARD'>;
export interface ObjectInfo {
  path: string;
  object_type?: ObjectType;
  object_id?: number;
  language?: OpenEnum<Language>;
  created_at?: number;
  modified_at?: number;
  size?: number;
  resource_id?: string;
}

export class WorkspaceService {
  constructor(private readonly http: HttpClient) {}

  async listPage(req: In<typeof ListSchema>, opts?: CallOptions): Promise<{ objects?: ObjectInfo[] }> {
    const { limit: _l, ...query } = validate('workspace.list', ListSchema, req);
    return this.http.request({ operation: 'workspace.list', method: 'GET', path: `${BASE}/list`, query, idempotent: true, ...opts });
  }

  /** Unpaged in the API; an iterator for uniformity. */
  list(req: In<typeof ListSchema>, opts?: CallOptions): Paginated<ObjectInfo> {
    const { limit, ...q } = validate('workspace.list', ListSchema, req);
    return paginate(async () => ({ items: (await this.listPage(q, opts)).objects ?? [] }), limit);
  }

  async getStatus(req: In<typeof PathSchema>, opts?: CallOptions): Promise<ObjectInfo> {
    const query = validate('workspace.getStatus', PathSchema, req);
    return this.http.request({ operation: 'workspace.getStatus', method: 'GET', path: `${BASE}/get-status`, query, idempotent: true, ...opts });
  }

  /** Raw import (content already base64). Safe to repeat only with `overwrite: true`. */
  async import(req: ImportRequest, opts?: CallOptions): Promise<Empty> {
    const body = validate('workspace.import', ImportSchema, req);
    return this.http.request({ operation: 'workspace.import', method: 'POST', path: `${BASE}/import`, body, idempotent: body.overwrite === true, ...opts });
  }

  /** Raw export: `content` is base64. */
  async export(req: In<typeof ExportSchema>, opts?: CallOptions): Promise<{ content?: string; file_type?: string }> {
    const query = validate('workspace.export', ExportSchema, req);
    return this.http.request({ operation: 'workspace.export', method: 'GET', path: `${BASE}/export`, query, idempotent: true, ...opts });
  }

  /**
   * Uploads bytes or text as a workspace file (format AUTO) or, with `language`, as a SOURCE notebook.
   * Rejects content over 10 MB before sending.
   */
  async importFile(
    path: string,
    content: Uint8Array | string,
    options: { format?: ExportFormat; language?: Language; overwrite?: boolean } = {},
    opts?: CallOptions,
  ): Promise<Empty> {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    if (bytes.length > MAX_WORKSPACE_FILE_BYTES) throw new ValidationError('workspace.importFile', 'content', 'must be at most 10 MB');
    const format = options.format ?? (options.language ? 'SOURCE' : 'AUTO');
    return this.import({ path, content: bytes.toString('base64'), format, language: options.language, overwrite: options.overwrite }, opts);
  }

  /** Downloads a file or notebook as bytes (default format SOURCE). */
  async exportFile(path: string, format: ExportFormat = 'SOURCE', opts?: CallOptions): Promise<Buffer> {
    const r = await this.export({ path, format }, opts);
    return Buffer.from(r.content ?? '', 'base64');
  }

  /** Creates parents; succeeds on an existing directory (§1.6 quirk 12). Safe to repeat. */
  async mkdirs(req: In<typeof PathSchema>, opts?: CallOptions): Promise<Empty> {
    const body = validate('workspace.mkdirs', PathSchema, req);
    return this.http.request({ operation: 'workspace.mkdirs', method: 'POST', path: `${BASE}/mkdirs`, body, idempotent: true, ...opts });
  }

  async delete(req: In<typeof DeleteSchema>, opts?: CallOptions): Promise<Empty> {
    const body = validate('workspace.delete', DeleteSchema, req);
    return this.http.request({ operation: 'workspace.delete', method: 'POST', path: `${BASE}/delete`, body, idempotent: true, ...opts });
  }
}
