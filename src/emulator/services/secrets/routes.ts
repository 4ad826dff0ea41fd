import { z } from 'zod';
import { invalidParameter, notFound } from '../../http/errors.js';
import { listBody } from '../../http/paging.js';
import { route, versions, type RouteDef } from '../../http/router.js';
import { nonEmpty } from '../../http/validation.js';
import type { ServiceContext } from '../types.js';
import { decodeBase64 } from '../dbfs/paths.js';
import type { SecretsModel } from './model.js';

const V = ['2.0'];
const scopeOnly = z.object({ scope: nonEmpty() });
const permission = z.enum(['READ', 'WRITE', 'MANAGE']);

export function secretRoutes(ctx: ServiceContext, model: SecretsModel): RouteDef[] {
  return [
    route({
      method: 'POST',
      paths: versions(V, '/secrets/scopes/create'),
      input: z.object({
        scope: nonEmpty(),
        initial_manage_principal: z.string().optional(),
        scope_backend_type: z.enum(['DATABRICKS', 'AZURE_KEYVAULT']).optional(),
        backend_azure_keyvault: z.object({ resource_id: nonEmpty(), dns_name: nonEmpty() }).optional(),
      }),
      handle(i, req) {
        model.createScope(i.scope, req.principal, {
          backend: i.scope_backend_type ?? 'DATABRICKS',
          ...(i.initial_manage_principal !== undefined ? { initialManagePrincipal: i.initial_manage_principal } : {}),
          ...(i.backend_azure_keyvault ? { keyvault: i.backend_azure_keyvault } : {}),
        });
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/secrets/scopes/delete'),
      input: scopeOnly,
      handle(i, req) {
        const scope = model.find(i.scope);
        model.require(scope, req.principal, 'MANAGE');
        model.scopes.delete(scope.name.toLowerCase());
        return {};
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/secrets/scopes/list'),
      input: z.object({}),
      handle: () =>
        listBody(
          'scopes',
          [...model.scopes.values()]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((s) => ({ name: s.name, backend_type: s.backend_type, ...(s.keyvault_metadata ? { keyvault_metadata: s.keyvault_metadata } : {}) })),
        ),
    }),
    route({
      method: 'POST',
      paths: versions(V, '/secrets/put'),
      input: z.object({ scope: nonEmpty(), key: nonEmpty(), string_value: z.string().optional(), bytes_value: z.string().optional() }),
      handle(i, req) {
        const scope = model.find(i.scope);
        model.require(scope, req.principal, 'WRITE');
        if ((i.string_value === undefined) === (i.bytes_value === undefined)) throw invalidParameter('Exactly one of string_value and bytes_value must be specified.');
        const value = i.string_value !== undefined ? Buffer.from(i.string_value, 'utf8') : decodeBase64(i.bytes_value ?? '', 'bytes_value');
        model.put(scope, i.key, value, ctx.clock.now());
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/secrets/delete'),
      input: z.object({ scope: nonEmpty(), key: nonEmpty() }),
      handle(i, req) {
        const scope = model.find(i.scope);
        model.require(scope, req.principal, 'WRITE');
        model.secret(scope, i.key);
        delete scope.secrets[i.key];
        return {};
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/secrets/list'),
      input: scopeOnly,
      handle(i, req) {
        const scope = model.find(i.scope);
        model.require(scope, req.principal, 'READ');
        return listBody(
          'secrets',
          Object.entries(scope.secrets)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, s]) => ({ key, last_updated_timestamp: s.last_updated_timestamp })),
        );
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/secrets/get'),
      input: z.object({ scope: nonEmpty(), key: nonEmpty() }),
      handle(i, req) {
        const scope = model.find(i.scope);
        model.require(scope, req.principal, 'READ');
        return { key: i.key, value: model.secret(scope, i.key).value };
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/secrets/acls/put'),
      input: z.object({ scope: nonEmpty(), principal: nonEmpty(), permission }),
      handle(i, req) {
        const scope = model.find(i.scope);
        model.require(scope, req.principal, 'MANAGE');
        scope.acls[i.principal] = i.permission;
        return {};
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/secrets/acls/get'),
      input: z.object({ scope: nonEmpty(), principal: nonEmpty() }),
      handle(i, req) {
        const scope = model.find(i.scope);
        model.require(scope, req.principal, 'MANAGE');
        const p = Object.hasOwn(scope.acls, i.principal) ? scope.acls[i.principal] : undefined;
        if (!p) throw notFound(`No ACL for principal ${i.principal} on scope ${scope.name}.`);
        return { principal: i.principal, permission: p };
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/secrets/acls/list'),
      input: scopeOnly,
      handle(i, req) {
        const scope = model.find(i.scope);
        model.require(scope, req.principal, 'MANAGE');
        return listBody('items', Object.entries(scope.acls).map(([principal, p]) => ({ principal, permission: p })));
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/secrets/acls/delete'),
      input: z.object({ scope: nonEmpty(), principal: nonEmpty() }),
      handle(i, req) {
        const scope = model.find(i.scope);
        model.require(scope, req.principal, 'MANAGE');
        if (!Object.hasOwn(scope.acls, i.principal)) throw notFound(`No ACL for principal ${i.principal} on scope ${scope.name}.`);
        delete scope.acls[i.principal];
        return {};
      },
    }),
  ];
}
