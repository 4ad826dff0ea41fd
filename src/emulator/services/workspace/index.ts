import type { ServiceModule } from '../types.js';

export const workspaceService: ServiceModule = {
  name: 'workspace',
  create: () => ({ routes: [] }),
};
