import type { ServiceModule } from '../types.js';

export const clustersService: ServiceModule = {
  name: 'clusters',
  create: () => ({ routes: [] }),
};
