import type { ServiceModule } from '../types.js';
import { SecretsModel, type Scope } from './model.js';
import { secretRoutes } from './routes.js';

export const secretsService: ServiceModule = {
  name: 'secrets',
  create(ctx) {
    const model = new SecretsModel();
    return {
      routes: secretRoutes(ctx, model),
      snapshot: () => ({ scopes: [...model.scopes.values()] }),
      restore(state) {
        const scopes = (state as { scopes?: unknown }).scopes;
        if (!Array.isArray(scopes)) return;
        for (const s of scopes as Scope[]) {
          if (typeof s?.name !== 'string' || typeof s.acls !== 'object' || typeof s.secrets !== 'object') continue;
          model.scopes.set(s.name.toLowerCase(), { ...s, acls: Object.assign(Object.create(null) as Scope['acls'], s.acls), secrets: Object.assign(Object.create(null) as Scope['secrets'], s.secrets) });
        }
      },
    };
  },
};
