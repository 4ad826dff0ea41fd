import type { ServiceModule } from '../types.js';

export const secretsService: ServiceModule = {
  name: 'secrets',
  create: () => ({ routes: [] }),
};
