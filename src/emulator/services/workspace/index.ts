import type { ServiceModule } from '../types.js';

/** What other services (jobs) may ask of the workspace tree. */
export interface WorkspaceApi {
  /** Source text of a notebook or file (e.g. for test directives), or undefined if absent. */
  readSource(path: string): string | undefined;
}

export const workspaceService: ServiceModule = {
  name: 'workspace',
  create: () => ({ routes: [] }),
};
