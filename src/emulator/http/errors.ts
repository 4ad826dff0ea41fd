/**
 * Error bodies exactly as the real workspace sends them (reference §1.4): `error_code` plus a
 * non-empty `message`, and `details[]` items that always carry a `metadata` object — the JS SDK
 * discards the whole body if either rule is broken.
 */

export interface ErrorDetail {
  '@type': string;
  reason?: string;
  domain?: string;
  metadata: Record<string, string>;
}

export interface ErrorBody {
  error_code: string;
  message: string;
  details?: ErrorDetail[];
}

/** Thrown by handlers and middleware; the server turns it into a response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details?: ErrorDetail[],
  ) {
    super(message || errorCode);
    this.name = 'ApiError';
  }

  /** The JSON body sent for it; SCIM routes send their own shape (see ../services/scim/errors.ts). */
  toBody(): object {
    return errorBody(this.errorCode, this.message, this.details);
  }
}

export function errorBody(errorCode: string, message: string, details?: readonly Partial<ErrorDetail>[]): ErrorBody {
  const body: ErrorBody = { error_code: errorCode, message: message.length > 0 ? message : errorCode };
  if (details && details.length > 0) {
    body.details = details.map((d) => ({ '@type': d['@type'] ?? 'type.googleapis.com/google.rpc.ErrorInfo', ...d, metadata: d.metadata ?? {} }));
  }
  return body;
}

// Shorthands for the codes the services use; status per the reference's class table.
export const invalidParameter = (message: string): ApiError => new ApiError(400, 'INVALID_PARAMETER_VALUE', message);
export const malformedRequest = (message: string): ApiError => new ApiError(400, 'MALFORMED_REQUEST', message);
export const invalidState = (message: string): ApiError => new ApiError(400, 'INVALID_STATE', message);
export const badRequest = (code: string, message: string): ApiError => new ApiError(400, code, message);
export const notFound = (message: string): ApiError => new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string): ApiError => new ApiError(409, 'RESOURCE_ALREADY_EXISTS', message);
export const permissionDenied = (message: string): ApiError => new ApiError(403, 'PERMISSION_DENIED', message);
export const unauthenticated = (message: string): ApiError => new ApiError(401, 'UNAUTHENTICATED', message);
export const internalError = (message: string): ApiError => new ApiError(500, 'INTERNAL_ERROR', message);
export const notImplemented = (message: string): ApiError => new ApiError(501, 'NOT_IMPLEMENTED', message);
