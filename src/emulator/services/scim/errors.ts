import { ApiError } from '../../http/errors.js';
import type { ApiRequest } from '../../http/router.js';
import { ERROR_SCHEMA } from './ids.js';

/**
 * SCIM endpoints answer errors in the SCIM shape (RFC 7644 §3.12), not `{error_code, message}`:
 * `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "detail": "…", "status": "409"}`,
 * `status` a string; RFC 7644 adds `scimType` to some 400s, which the emulator leaves out because no
 * real Databricks answer seen carries one (the SDKs would prefix it to the message). Verified: the official SDKs parse exactly these
 * keys (databricks-sdk-py `_StandardErrorDeserializer`, JS `parseErrorFromResponse`), and terraform
 * debug logs show `{"detail": "Group not found.", "schemas": [...], "status": "404"}`. The exact
 * wording of the other details is unverified (see docs/emulator.md).
 */
export type ScimType = 'invalidFilter' | 'invalidSyntax' | 'invalidPath' | 'invalidValue' | 'noTarget' | 'uniqueness' | 'mutability' | 'tooMany';

export class ScimError extends ApiError {
  constructor(
    status: number,
    detail: string,
    readonly scimType?: ScimType,
  ) {
    super(status, `SCIM_${status}`, detail);
    this.name = 'ScimError';
  }

  override toBody(): object {
    return { schemas: [ERROR_SCHEMA], detail: this.message, status: String(this.status), ...(this.scimType ? { scimType: this.scimType } : {}) };
  }
}

export const scimBadRequest = (detail: string, scimType?: ScimType): ScimError => new ScimError(400, detail, scimType);
export const scimNotFound = (detail: string): ScimError => new ScimError(404, detail);
export const scimConflict = (detail: string): ScimError => new ScimError(409, detail);
export const scimForbidden = (detail: string): ScimError => new ScimError(403, detail);

/**
 * The route-level error mapper: errors raised before a SCIM handler runs (body validation, bad
 * JSON, a service guard) keep their status and text but take the SCIM shape.
 */
export function asScimError(err: ApiError): ApiError {
  if (err instanceof ScimError) return err;
  return new ScimError(err.status, err.message);
}

/** Only workspace admins write users, service principals and groups (403 otherwise). */
export function requireAdmin(req: ApiRequest): void {
  if (!req.principal.isAdmin) throw scimForbidden(`${req.principal.userName} is not a workspace admin: only admins can change users, service principals and groups.`);
}
