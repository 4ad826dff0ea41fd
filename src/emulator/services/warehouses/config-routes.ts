import { requireAdmin } from '../../http/admin.js';
import { route, versions, type RouteDef } from '../../http/router.js';
import type { InstanceProfilesApi } from '../instance-profiles/index.js';
import { workspaceConfigInput } from './config-schema.js';
import { noInput } from './schemas.js';
import type { WorkspaceWarehouseConfig } from './workspace-config.js';

const DENIED = 'Only workspace admins can change the SQL warehouse configuration of the workspace.';

/**
 * `GET|PUT /api/2.0/sql/config/warehouses`. Writes are for admins (docs: admin settings; Terraform:
 * "you need to be an administrator"). Reads are open to every user: the SDK says the create and edit
 * form reads `enabled_warehouse_types` from it, and users who are not admins create warehouses too;
 * whether the real GET hides anything from them is unverified.
 */
export function workspaceConfigRoutes(config: WorkspaceWarehouseConfig, profiles: () => InstanceProfilesApi | undefined, restartRunning: () => void): RouteDef[] {
  const paths = versions(['2.0'], '/sql/config/warehouses');
  return [
    route({ method: 'GET', paths, input: noInput, handle: () => config.view() }),
    route({
      method: 'PUT',
      paths,
      input: workspaceConfigInput,
      handle(input, req) {
        requireAdmin(req, DENIED);
        if (config.set(input, profiles())) restartRunning();
        return {};
      },
    }),
  ];
}
