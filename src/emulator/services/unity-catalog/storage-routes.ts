import type { RouteDef } from '../../http/router.js';
import type { SqlEngine } from '../../sql/index.js';
import { objectRoutes } from './object-routes.js';
import * as s from './storage-schemas.js';

/** Storage credentials and external locations, the metastore's links to cloud storage. */
export function storageRoutes(engine: () => Promise<SqlEngine>): RouteDef[] {
  return [
    ...objectRoutes(engine, 'storage-credentials', 'storage_credentials', (e) => e.catalog.storageCredentials, { create: s.createCredentialInput, update: s.updateCredentialInput }),
    ...objectRoutes(engine, 'external-locations', 'external_locations', (e) => e.catalog.externalLocations, { create: s.createLocationInput, update: s.updateLocationInput }),
  ];
}
