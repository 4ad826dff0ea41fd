import type { ServiceModule } from '../types.js';
import type { UnityCatalogApi } from '../unity-catalog/index.js';
import { filesRoutes } from './routes.js';
import { VolumeFileStore } from './store.js';

/**
 * The Files API over Unity Catalog volumes. Volumes themselves are Unity Catalog objects (the
 * unity-catalog service, metadata in its engine); the bytes live on disk here, by volume_id, so
 * they persist with --data-dir like DBFS. A reset empties them; a deleted volume's files go with
 * it (the catalog reports dropped ids), and a start sweeps away what belongs to no volume.
 */
export const filesService: ServiceModule = {
  name: 'files',
  create(ctx) {
    const store = new VolumeFileStore(ctx);
    if (ctx.reason === 'reset') store.wipe();
    const uc = ctx.service<UnityCatalogApi>('unity-catalog');
    if (!uc) throw new Error('the files service needs the unity-catalog service, listed before it');
    const ready = uc.engine().then((engine) => {
      const volumes = engine.catalog.volumes;
      volumes.onDropped = (ids) => store.drop(ids);
      store.sweep(volumes.liveIds());
      return volumes;
    });
    // A failing engine surfaces on the first request, not as an unhandled rejection.
    ready.catch(() => undefined);
    return { routes: filesRoutes(store, () => ready) };
  },
};
