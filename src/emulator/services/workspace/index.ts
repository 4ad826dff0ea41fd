import type { ServiceModule } from '../types.js';
import { normaliseWorkspacePath, WorkspaceTree, type WorkspaceObject } from './model.js';
import { workspaceRoutes } from './routes.js';

/** What other services (jobs) may ask of the workspace tree. */
export interface WorkspaceApi {
  /** Source text of a notebook or file (e.g. for test directives), or undefined if absent. */
  readSource(path: string): string | undefined;
  /** A notebook's language (PYTHON, SQL, …), or undefined (part 2 runs SQL notebooks on DuckDB). */
  language(path: string): string | undefined;
}

export const workspaceService: ServiceModule = {
  name: 'workspace',
  create(ctx) {
    const tree = new WorkspaceTree(ctx);
    tree.seedDefaults(ctx.principals.principals().map((p) => p.userName));
    const api: WorkspaceApi = {
      readSource(path) {
        try {
          const o = tree.objects.get(normaliseWorkspacePath(path));
          return o?.content !== undefined ? Buffer.from(o.content, 'base64').toString('utf8') : undefined;
        } catch {
          return undefined;
        }
      },
      language(path) {
        try {
          return tree.objects.get(normaliseWorkspacePath(path))?.language;
        } catch {
          return undefined;
        }
      },
    };
    return {
      routes: workspaceRoutes(tree),
      api,
      snapshot: () => ({ objects: [...tree.objects.values()] }),
      restore(state) {
        const objects = (state as { objects?: unknown }).objects;
        if (!Array.isArray(objects)) return;
        tree.objects.clear();
        for (const o of objects as WorkspaceObject[]) if (typeof o?.path === 'string' && typeof o.object_type === 'string') tree.objects.set(o.path, o);
        tree.seedDefaults([]);
      },
    };
  },
};
