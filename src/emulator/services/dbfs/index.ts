import type { ServiceModule } from '../types.js';
import { dbfsRoutes } from './routes.js';
import { DbfsStore } from './store.js';

/**
 * DBFS: files live on disk under the data dir, so they persist with --data-dir by nature.
 * A reset empties the tree (a fresh workspace); a start or restore keeps it.
 */
export const dbfsService: ServiceModule = {
  name: 'dbfs',
  create(ctx) {
    const store = new DbfsStore(ctx);
    if (ctx.reason === 'reset') store.wipe();
    return { routes: dbfsRoutes(store) };
  },
};
