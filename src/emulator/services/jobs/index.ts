import type { ServiceModule } from '../types.js';

export const jobsService: ServiceModule = {
  name: 'jobs',
  create: () => ({ routes: [] }),
};
