import type { ServiceModule } from '../types.js';

export const dbfsService: ServiceModule = {
  name: 'dbfs',
  create: () => ({ routes: [] }),
};
