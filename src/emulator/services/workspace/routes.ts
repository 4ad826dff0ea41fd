import { z } from 'zod';
import { badRequest } from '../../http/errors.js';
import { RawReply, route, versions, type RouteDef } from '../../http/router.js';
import { bool, int, nonEmpty } from '../../http/validation.js';
import { decodeBase64 } from '../dbfs/paths.js';
import { exportObject, planImport } from './formats.js';
import { MAX_NOTEBOOK_BYTES, normaliseWorkspacePath, type WorkspaceTree } from './model.js';

const V = ['2.0'];
const FORMATS = ['SOURCE', 'HTML', 'JUPYTER', 'DBC', 'R_MARKDOWN', 'AUTO', 'RAW'] as const;
const LANGUAGES = ['PYTHON', 'SCALA', 'SQL', 'R'] as const;

export function workspaceRoutes(tree: WorkspaceTree): RouteDef[] {
  return [
    route({
      method: 'GET',
      paths: versions(V, '/workspace/list'),
      input: z.object({ path: nonEmpty(), notebooks_modified_after: int().optional() }),
      handle(i) {
        const o = tree.get(normaliseWorkspacePath(i.path));
        let objects = o.object_type === 'DIRECTORY' || o.object_type === 'REPO' ? tree.children(o.path) : [o];
        if (i.notebooks_modified_after !== undefined) objects = objects.filter((x) => x.object_type !== 'NOTEBOOK' || x.modified_at > (i.notebooks_modified_after ?? 0));
        return objects.length > 0 ? { objects: objects.map((x) => tree.info(x)) } : {};
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/workspace/get-status'),
      input: z.object({ path: nonEmpty() }),
      handle: (i) => tree.info(tree.get(normaliseWorkspacePath(i.path))),
    }),
    route({
      method: 'POST',
      paths: versions(V, '/workspace/mkdirs'),
      input: z.object({ path: nonEmpty() }),
      handle(i) {
        tree.mkdirs(normaliseWorkspacePath(i.path));
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/workspace/delete'),
      input: z.object({ path: nonEmpty(), recursive: bool().optional() }),
      handle(i) {
        tree.delete(normaliseWorkspacePath(i.path), i.recursive ?? false);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/workspace/import'),
      input: z.object({
        path: nonEmpty(),
        content: z.string().optional(),
        format: z.enum(FORMATS).optional(),
        language: z.enum(LANGUAGES).optional(),
        overwrite: bool().optional(),
      }),
      handle(i) {
        const path = normaliseWorkspacePath(i.path);
        if (i.content !== undefined && i.content.length > Math.ceil((MAX_NOTEBOOK_BYTES * 4) / 3) + 4) {
          throw badRequest('MAX_NOTEBOOK_SIZE_EXCEEDED', `The content exceeds the maximum size of ${MAX_NOTEBOOK_BYTES} bytes.`);
        }
        const plan = planImport(path, i.format ?? 'SOURCE', i.language, decodeBase64(i.content ?? '', 'content'));
        tree.write(plan.path, plan.type, plan.content, plan.language, i.overwrite ?? false);
        return {};
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/workspace/export'),
      input: z.object({ path: nonEmpty(), format: z.enum(FORMATS).optional(), direct_download: bool().optional() }),
      handle(i) {
        const o = tree.get(normaliseWorkspacePath(i.path));
        const out = exportObject(o, i.format ?? 'SOURCE');
        if (out.content.length > MAX_NOTEBOOK_BYTES) throw badRequest('MAX_NOTEBOOK_SIZE_EXCEEDED', `The exported content exceeds the maximum size of ${MAX_NOTEBOOK_BYTES} bytes.`);
        if (i.direct_download) return new RawReply(200, out.content, 'application/octet-stream');
        return { content: out.content.toString('base64'), ...(out.file_type ? { file_type: out.file_type } : {}) };
      },
    }),
  ];
}
