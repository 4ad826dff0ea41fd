import type { RouteDef } from '../../http/router.js';
import type { SqlEngine } from '../../sql/index.js';
import * as s from './connection-schemas.js';
import { objectRoutes } from './object-routes.js';

/** Connections (Lakehouse Federation): the five routes every metastore-level object has. */
export function connectionRoutes(engine: () => Promise<SqlEngine>): RouteDef[] {
  return objectRoutes(engine, 'connections', 'connections', (e) => e.catalog.connections, { create: s.createConnectionInput, update: s.updateConnectionInput });
}
