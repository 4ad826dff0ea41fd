import type { UnityCatalog } from '../../sql/index.js';
import type { ServiceModule } from '../types.js';
import type { UnityCatalogApi } from '../unity-catalog/index.js';
import { filesRoutes } from './routes.js';
import { VolumeFileStore } from './store.js';

/**
 * The Files API over Unity Catalog volumes. Volumes themselves are Unity Catalog objects (the
 * unity-catalog service, metadata in its engine); the bytes live on disk here, by volume_id, so
 * they persist with --data-dir like DBFS. A reset empties them; a deleted volume's files go with
 * it (the catalog reports dropped ids), and the first Files API call after a start sweeps away what
 * belongs to no volume.
 */
export const filesService: ServiceModule = {
  name: 'files',
  create(ctx) {
    const store = new VolumeFileStore(ctx);
    if (ctx.reason === 'reset') store.wipe();
    const uc = ctx.service<UnityCatalogApi>('unity-catalog');
    if (!uc) throw new Error('the files service needs the unity-catalog service, listed before it');
    // On first use, not here: asking for the engine runs the catalog's pending reset, and an emulator
    // reset must stay cheap and synchronous (a reset followed by close would close DuckDB mid-reset).
    // Until then a dropped volume's files go through the previous instance's store (the same folder).
    let ready: Promise<UnityCatalog> | undefined;
    const catalog = (): Promise<UnityCatalog> =>
      (ready ??= uc.engine().then(
        (engine) => {
          const v = engine.catalog.volumes;
          v.onDropped = (ids) => store.drop(ids);
          store.sweep(v.liveIds());
          return engine.catalog;
        },
        (err: unknown) => {
          ready = undefined; // a failing engine fails this request; the next one tries again
          throw err;
        },
      ));
    return { routes: filesRoutes(store, catalog) };
  },
};
