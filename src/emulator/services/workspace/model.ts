import { posix } from 'node:path';
import { alreadyExists, badRequest, invalidParameter, notFound } from '../../http/errors.js';
import type { ServiceContext } from '../types.js';

export type ObjectType = 'NOTEBOOK' | 'DIRECTORY' | 'FILE' | 'LIBRARY' | 'REPO' | 'DASHBOARD';
export type Language = 'PYTHON' | 'SCALA' | 'SQL' | 'R';

export const MAX_NOTEBOOK_BYTES = 10 * 1024 * 1024;

export interface WorkspaceObject {
  path: string;
  object_type: ObjectType;
  object_id: number;
  language?: Language;
  /** base64 content for notebooks and files. */
  content?: string;
  created_at: number;
  modified_at: number;
}

export const COMMENT: Record<Language, string> = { PYTHON: '#', SCALA: '//', SQL: '--', R: '#' };
export const EXTENSION: Record<Language, string> = { PYTHON: 'py', SCALA: 'scala', SQL: 'sql', R: 'r' };

/** Workspace paths are absolute; `/Workspace/...` is accepted as an alias of `/...`. */
export function normaliseWorkspacePath(raw: string): string {
  if (!raw.startsWith('/')) throw invalidParameter(`Path (${raw}) doesn't start with '/'`);
  if (raw.includes('\0')) throw invalidParameter('Path contains a NUL character.');
  let p = posix.normalize(raw);
  if (p === '/Workspace' || p.startsWith('/Workspace/')) p = p.slice('/Workspace'.length) || '/';
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/**
 * The workspace tree as a flat map from path to object. Directories are explicit objects; the
 * root and the usual top-level folders exist from the start.
 */
export class WorkspaceTree {
  readonly objects = new Map<string, WorkspaceObject>();

  constructor(private readonly ctx: ServiceContext) {}

  seedDefaults(userNames: string[]): void {
    for (const p of ['/', '/Users', '/Shared', '/Repos', ...userNames.map((u) => `/Users/${u}`)]) if (!this.objects.has(p)) this.add(p, 'DIRECTORY');
  }

  private add(path: string, type: ObjectType, extra: Partial<WorkspaceObject> = {}): WorkspaceObject {
    const now = this.ctx.clock.now();
    const o: WorkspaceObject = { path, object_type: type, object_id: this.ctx.ids.numeric(15), created_at: now, modified_at: now, ...extra };
    this.objects.set(path, o);
    return o;
  }

  get(path: string): WorkspaceObject {
    const o = this.objects.get(path);
    if (!o) throw notFound(`Path (${path}) doesn't exist.`);
    return o;
  }

  children(path: string): WorkspaceObject[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    const out: WorkspaceObject[] = [];
    for (const o of this.objects.values()) if (o.path !== path && o.path.startsWith(prefix) && !o.path.slice(prefix.length).includes('/')) out.push(o);
    return out.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Quirk 12: existing directories are fine, a non-directory on any prefix is not. */
  mkdirs(path: string): void {
    const parts = path.split('/').filter(Boolean);
    let cur = '';
    const toCreate: string[] = [];
    for (const part of parts) {
      cur += `/${part}`;
      const o = this.objects.get(cur);
      if (o && o.object_type !== 'DIRECTORY' && o.object_type !== 'REPO') throw alreadyExists(`Path (${cur}) already exists and is not a directory.`);
      if (!o) toCreate.push(cur);
    }
    for (const p of toCreate) this.add(p, 'DIRECTORY');
  }

  /** Checks then writes; the parent must exist (import does not create folders). */
  write(path: string, type: 'NOTEBOOK' | 'FILE', content: Buffer, language: Language | undefined, overwrite: boolean): void {
    if (content.length > MAX_NOTEBOOK_BYTES) throw badRequest('MAX_NOTEBOOK_SIZE_EXCEEDED', `The content exceeds the maximum size of ${MAX_NOTEBOOK_BYTES} bytes.`);
    if (path === '/') throw invalidParameter('Cannot import to the root path.');
    const parent = posix.dirname(path);
    const p = this.objects.get(parent);
    if (!p || (p.object_type !== 'DIRECTORY' && p.object_type !== 'REPO')) throw notFound(`The parent folder (${parent}) does not exist.`);
    const existing = this.objects.get(path);
    if (existing && (existing.object_type === 'DIRECTORY' || !overwrite)) throw alreadyExists(`Path (${path}) already exists.`);
    const extra = { content: content.toString('base64'), ...(language ? { language } : {}) };
    if (existing) {
      existing.object_type = type;
      existing.content = extra.content;
      if (language) existing.language = language;
      else delete existing.language;
      existing.modified_at = this.ctx.clock.now();
    } else this.add(path, type, extra);
  }

  delete(path: string, recursive: boolean): void {
    const o = this.get(path);
    if (path === '/') throw invalidParameter('Cannot delete the root folder.');
    const kids = this.children(path);
    if (o.object_type === 'DIRECTORY' && kids.length > 0 && !recursive) throw badRequest('DIRECTORY_NOT_EMPTY', `Folder (${path}) is not empty.`);
    const prefix = `${path}/`;
    for (const key of [...this.objects.keys()]) if (key === path || key.startsWith(prefix)) this.objects.delete(key);
  }

  info(o: WorkspaceObject): Record<string, unknown> {
    const out: Record<string, unknown> = { path: o.path, object_type: o.object_type, object_id: o.object_id, resource_id: String(o.object_id), created_at: o.created_at, modified_at: o.modified_at };
    if (o.language) out.language = o.language;
    if (o.object_type === 'FILE') out.size = Buffer.byteLength(o.content ?? '', 'base64');
    return out;
  }
}
