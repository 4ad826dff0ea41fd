import { invalidParameter } from '../../http/errors.js';
import { route, versions, type RouteDef } from '../../http/router.js';
import type { PermissionsApi } from '../permissions/api.js';
import type { StatementsModel } from './model.js';
import { executeInput, noInput } from './schemas.js';

const p = (suffix = '') => versions(['2.0'], `/sql/statements${suffix}`);

export function statementRoutes(model: StatementsModel, permissions: () => PermissionsApi | undefined): RouteDef[] {
  return [
    route({
      method: 'POST',
      // The official Java SDK (StatementExecutionImpl) and the Databricks JDBC driver POST to
      // `/api/2.0/sql/statements/`, with the trailing slash; others send it without.
      paths: [...p(), ...p('/')],
      input: executeInput,
      readOnly: false,
      async handle(input, req) {
        const s = await model.execute(input, req.principal, (id) => permissions()?.require('warehouses', id, req.principal, 'CAN_USE', 'use'));
        return model.view(s);
      },
    }),
    route({
      method: 'GET',
      paths: p('/{id}'),
      input: noInput,
      handle: (_input, req) => model.view(model.get(req.params.id!)),
    }),
    route({
      method: 'GET',
      paths: p('/{id}/result/chunks/{chunk_index}'),
      input: noInput,
      handle(_input, req) {
        const raw = req.params.chunk_index!;
        if (!/^\d+$/.test(raw)) throw invalidParameter(`Invalid chunk_index '${raw}': expected a non-negative integer.`);
        return model.chunk(model.get(req.params.id!), Number(raw));
      },
    }),
    route({
      method: 'POST',
      paths: p('/{id}/cancel'),
      input: noInput,
      handle(_input, req) {
        model.cancel(model.get(req.params.id!));
        return {};
      },
    }),
  ];
}
