import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  CancelledError,
  ConnectionError,
  DatabricksError,
  DeadlineExceededError,
  InternalError,
  NotFoundError,
  NotImplementedError,
  PermissionDeniedError,
  ResourceConflictError,
  TemporarilyUnavailableError,
  TooManyRequestsError,
  UnauthenticatedError,
  errorClassFor,
  parseErrorBody,
} from '../../../src/databricks/errors.js';

describe('errorClassFor', () => {
  it.each([
    [400, 'INVALID_PARAMETER_VALUE', 'bad', BadRequestError],
    [401, 'UNAUTHENTICATED', 'x', UnauthenticatedError],
    [403, 'PERMISSION_DENIED', 'x', PermissionDeniedError],
    [404, 'RESOURCE_DOES_NOT_EXIST', 'x', NotFoundError],
    [409, 'RESOURCE_ALREADY_EXISTS', 'x', ResourceConflictError],
    [429, 'REQUEST_LIMIT_EXCEEDED', 'x', TooManyRequestsError],
    [499, 'CANCELLED', 'x', CancelledError],
    [500, 'INTERNAL_ERROR', 'x', InternalError],
    [501, 'NOT_IMPLEMENTED', 'x', NotImplementedError],
    [503, 'TEMPORARILY_UNAVAILABLE', 'x', TemporarilyUnavailableError],
    [504, 'DEADLINE_EXCEEDED', 'x', DeadlineExceededError],
  ])('maps status %i', (status, code, msg, cls) => {
    expect(errorClassFor(status, code, msg)).toBe(cls);
  });

  it("lets the official SDKs' specific codes override the status: a 400 RESOURCE_ALREADY_EXISTS is a conflict", () => {
    expect(errorClassFor(400, 'RESOURCE_ALREADY_EXISTS', 'Repo /Repos/a/b already exists.')).toBe(ResourceConflictError);
    expect(errorClassFor(400, 'ALREADY_EXISTS', 'x')).toBe(ResourceConflictError);
    expect(errorClassFor(400, 'REQUEST_LIMIT_EXCEEDED', 'x')).toBe(TooManyRequestsError);
    expect(errorClassFor(500, 'RESOURCE_DOES_NOT_EXIST', 'x')).toBe(NotFoundError);
    expect(errorClassFor(403, 'INVALID_STATE', 'x')).toBe(BadRequestError);
    // Codes outside that list keep the status's class.
    expect(errorClassFor(400, 'PERMISSION_DENIED', 'x')).toBe(BadRequestError);
    expect(errorClassFor(403, 'RESOURCE_CONFLICT', 'x')).toBe(PermissionDeniedError);
  });

  it('falls back to error_code when the status is not in the table', () => {
    expect(errorClassFor(418, 'RESOURCE_ALREADY_EXISTS', 'x')).toBe(ResourceConflictError);
    expect(errorClassFor(418, 'NOT_FOUND', 'x')).toBe(NotFoundError);
    expect(errorClassFor(418, undefined, 'x')).toBe(DatabricksError);
    expect(errorClassFor(502, undefined, 'bad gateway')).toBe(InternalError);
  });

  it('treats a 400 INVALID_PARAMETER_VALUE "does not exist" as not found (clusters/jobs/runs quirk)', () => {
    expect(errorClassFor(400, 'INVALID_PARAMETER_VALUE', 'Cluster 0929-1 does not exist')).toBe(NotFoundError);
    expect(errorClassFor(400, 'INVALID_PARAMETER_VALUE', "Run: 1 in job: 2 doesn't exist")).toBe(NotFoundError);
    expect(errorClassFor(400, 'INVALID_PARAMETER_VALUE', 'num_workers must be positive')).toBe(BadRequestError);
    expect(errorClassFor(400, 'RESOURCE_DOES_NOT_EXIST', 'Scope x does not exist')).toBe(NotFoundError);
    expect(errorClassFor(404, 'CATALOG_DOES_NOT_EXIST', 'x')).toBe(NotFoundError);
  });
});

describe('retryable', () => {
  it('is true for throttling, server and transport errors only', () => {
    const init = { message: 'm' };
    expect(new TooManyRequestsError(init).retryable).toBe(true);
    expect(new TemporarilyUnavailableError(init).retryable).toBe(true);
    expect(new InternalError(init).retryable).toBe(true);
    expect(new DeadlineExceededError(init).retryable).toBe(true);
    expect(new ConnectionError({ ...init, mayHaveReachedServer: true }).retryable).toBe(true);
    expect(new BadRequestError(init).retryable).toBe(false);
    expect(new NotFoundError(init).retryable).toBe(false);
    expect(new PermissionDeniedError(init).retryable).toBe(false);
    expect(new NotImplementedError(init).retryable).toBe(false);
  });
});

describe('error shape', () => {
  it('name equals the class name, and toJSON / toString / inspect show the safe fields', () => {
    const e = new NotFoundError({ message: 'Cluster x does not exist', status: 400, errorCode: 'INVALID_PARAMETER_VALUE', method: 'GET', path: '/api/2.1/clusters/get', requestId: 'r-1' });
    expect(e.name).toBe('NotFoundError');
    expect(e).toBeInstanceOf(DatabricksError);
    expect(e.toJSON()).toMatchObject({ name: 'NotFoundError', status: 400, errorCode: 'INVALID_PARAMETER_VALUE', requestId: 'r-1', retryable: false });
    expect(String(e)).toBe('NotFoundError: INVALID_PARAMETER_VALUE: Cluster x does not exist (GET /api/2.1/clusters/get)');
    expect(inspect(e)).toContain('requestId');
    expect(inspect(new ConnectionError({ message: 'm', mayHaveReachedServer: false, cause: new Error('inner-secret') }))).not.toContain('inner-secret');
  });
});

describe('parseErrorBody', () => {
  it('reads Databricks, OAuth and HTML bodies', () => {
    expect(parseErrorBody('{"error_code":"X","message":"m","details":[{"metadata":{}}]}')).toEqual({ errorCode: 'X', message: 'm', details: [{ metadata: {} }] });
    expect(parseErrorBody('{"error":"invalid_client","error_description":"bad secret"}')).toMatchObject({ errorCode: 'invalid_client', message: 'bad secret' });
    expect(parseErrorBody('<html><title>Error 502 Bad Gateway</title></html>').message).toBe('Error 502 Bad Gateway');
    expect(parseErrorBody('<html><pre>oops</pre></html>').message).toBe('oops');
    expect(parseErrorBody('').message).toBeUndefined();
  });

  it('reads SCIM error bodies: detail as message, SCIM_<status> as code, scimType kept', () => {
    const scim = (body: Record<string, unknown>) => parseErrorBody(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], ...body }));
    expect(scim({ detail: 'Group with name x already exists.', status: '409' })).toEqual({ errorCode: 'SCIM_409', message: 'Group with name x already exists.', details: undefined });
    expect(scim({ detail: 'Bad filter', status: '400', scimType: 'invalidFilter' })).toEqual({ errorCode: 'SCIM_400', message: 'Bad filter', details: [{ scimType: 'invalidFilter' }] });
    expect(scim({ detail: 'null', status: 500 })).toMatchObject({ errorCode: 'SCIM_500', message: 'SCIM API Internal Error' });
    expect(scim({ detail: 'Group not found.' }).errorCode).toBe('SCIM_ERROR');
    // SCIM classes follow the HTTP status like every other body.
    expect(errorClassFor(404, 'SCIM_404', 'Group not found.')).toBe(NotFoundError);
    expect(errorClassFor(409, 'SCIM_409', 'Group with name x already exists.')).toBe(ResourceConflictError);
    expect(errorClassFor(403, 'SCIM_403', 'not an admin')).toBe(PermissionDeniedError);
  });
});
