import { permissionDenied } from './errors.js';
import type { ApiRequest } from './router.js';

/** Workspace-admin-only calls: a non-admin gets 403 PERMISSION_DENIED with the service's own sentence. */
export function requireAdmin(req: ApiRequest, message: string): void {
  if (!req.principal.isAdmin) throw permissionDenied(message);
}
