/** Workspace service principals (SCIM `/api/2.0/preview/scim/v2/ServicePrincipals`): list, get, create, update (PUT), patch and delete. */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { validate } from '../validate.js';
import { complexValue, IdSchema, ScimService, type ComplexValue } from './scim.js';

export const SERVICE_PRINCIPAL_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal';

export interface ServicePrincipal {
  id: string;
  /** The name permissions and OAuth use (the OAuth client id). */
  applicationId?: string;
  displayName?: string;
  active?: boolean;
  externalId?: string;
  groups?: ComplexValue[];
  entitlements?: ComplexValue[];
  roles?: ComplexValue[];
  schemas?: string[];
  [field: string]: unknown;
}

const SpFields = {
  /** Required on Azure (the Entra application id); minted by the workspace elsewhere. */
  applicationId: z.string().min(1, { error: 'must not be empty' }).optional(),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
  externalId: z.string().optional(),
  entitlements: z.array(complexValue).optional(),
  groups: z.array(complexValue).optional(),
};
const CreateSchema = z.looseObject(SpFields);
export type CreateServicePrincipalRequest = z.infer<typeof CreateSchema>;
const UpdateSchema = z.looseObject({ ...SpFields, id: IdSchema.shape.id });
export type UpdateServicePrincipalRequest = z.infer<typeof UpdateSchema>;

export class ServicePrincipalsService extends ScimService<ServicePrincipal> {
  constructor(http: HttpClient) {
    super(http, 'servicePrincipals', 'ServicePrincipals');
  }

  /** Unsafe to repeat: without an applicationId each call mints a new service principal. */
  async create(req: CreateServicePrincipalRequest = {}, opts?: CallOptions): Promise<ServicePrincipal> {
    return this.post({ schemas: [SERVICE_PRINCIPAL_SCHEMA], ...validate('servicePrincipals.create', CreateSchema, req) }, opts);
  }

  /** Full replace (PUT), as users' `update`: what is left out is cleared, groups left out are left. Safe to repeat. */
  async update(req: UpdateServicePrincipalRequest, opts?: CallOptions): Promise<void> {
    await this.replace(UpdateSchema, [SERVICE_PRINCIPAL_SCHEMA], req, opts);
  }
}
