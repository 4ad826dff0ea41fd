/**
 * One error taxonomy for every Databricks call. The class is chosen by the specific `error_code`s
 * the official SDKs let override the status (CODE_OVER_STATUS), else by HTTP status, then by any other
 * `error_code` (for statuses outside the table), then by known quirks (a 400 "… does not exist" is a
 * not-found). The activity layer uses `err.name` (always equal to the class name) as the
 * Temporal failure type and `retryable` / `retryAfterMs` to decide how to retry durably.
 *
 * Secrets: nothing here ever stores a request body or header, and every text that came from the
 * server is scrubbed of the client's secrets by the HTTP layer before an error is built. `toJSON`
 * and `util.inspect` print only the fields below, never `cause` internals.
 */
import { inspect } from 'node:util';

export interface DatabricksErrorInit {
  message: string;
  status?: number;
  errorCode?: string;
  method?: string;
  path?: string;
  requestId?: string;
  retryAfterMs?: number;
  details?: unknown[];
  cause?: unknown;
  operation?: string;
  safeToRepeat?: boolean;
}

export class DatabricksError extends Error {
  /** HTTP status, absent for transport and client-side errors. */
  readonly status: number | undefined;
  /** Databricks `error_code` (or the HTTP status text / a transport code when the body had none). */
  readonly errorCode: string;
  readonly method: string | undefined;
  /** Request path without the query string. */
  readonly path: string | undefined;
  readonly requestId: string | undefined;
  /** Delay the server asked for (Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  readonly details: unknown[] | undefined;
  /** The client operation that failed, e.g. `clusters.create` (absent for client-side errors). */
  readonly operation: string | undefined;
  /**
   * Whether that operation is safe to send again (reads, deletes, calls with an idempotency token).
   * When false and the error may have reached the server (ConnectionError.mayHaveReachedServer,
   * RequestTimeoutError, 5xx), a durable retry must first check whether the first attempt applied.
   */
  readonly safeToRepeat: boolean | undefined;

  constructor(init: DatabricksErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.errorCode = init.errorCode ?? 'UNKNOWN';
    this.method = init.method;
    this.path = init.path;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.details = init.details;
    this.operation = init.operation;
    this.safeToRepeat = init.safeToRepeat;
  }

  /** Whether repeating the same call later may succeed (durable retry at the activity layer). */
  get retryable(): boolean {
    return false;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      errorCode: this.errorCode,
      method: this.method,
      path: this.path,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
      retryable: this.retryable,
      operation: this.operation,
      safeToRepeat: this.safeToRepeat,
    };
  }

  override toString(): string {
    const where = this.method && this.path ? ` (${this.method} ${this.path})` : '';
    return `${this.name}: ${this.errorCode}: ${this.message}${where}`;
  }

  /** Keeps `console.log(err)` to the safe fields (the default would walk `cause` and friends). */
  [inspect.custom](): string {
    return `${this.toString()} ${inspect(this.toJSON(), { breakLength: Infinity })}`;
  }
}

// ---- HTTP families (§1.4 of the API reference) ----
export class BadRequestError extends DatabricksError {}
export class UnauthenticatedError extends DatabricksError {}
export class PermissionDeniedError extends DatabricksError {}
export class NotFoundError extends DatabricksError {}
export class ResourceConflictError extends DatabricksError {}
export class TooManyRequestsError extends DatabricksError {
  override get retryable(): boolean {
    return true;
  }
}
export class CancelledError extends DatabricksError {}
export class InternalError extends DatabricksError {
  override get retryable(): boolean {
    return true;
  }
}
export class NotImplementedError extends DatabricksError {}
export class TemporarilyUnavailableError extends DatabricksError {
  override get retryable(): boolean {
    return true;
  }
}
export class DeadlineExceededError extends DatabricksError {
  override get retryable(): boolean {
    return true;
  }
}

// ---- Transport ----
export interface TransportErrorInit extends DatabricksErrorInit {
  /** False only when the request certainly never reached the server (e.g. connection refused). */
  mayHaveReachedServer: boolean;
}

/** The connection failed (refused, reset, DNS, TLS). Retryable; see `mayHaveReachedServer`. */
export class ConnectionError extends DatabricksError {
  readonly mayHaveReachedServer: boolean;
  constructor(init: TransportErrorInit) {
    super(init);
    this.mayHaveReachedServer = init.mayHaveReachedServer;
  }
  override get retryable(): boolean {
    return true;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), mayHaveReachedServer: this.mayHaveReachedServer };
  }
}

/** No complete response within the per-request timeout. The request may have been applied. */
export class RequestTimeoutError extends DatabricksError {
  override get retryable(): boolean {
    return true;
  }
}

/** The caller's AbortSignal fired. Never retried. */
export class RequestAbortedError extends DatabricksError {}

// ---- Client-side ----
/** Invalid argument, rejected before any request was sent. `argument` names it. */
export class ValidationError extends DatabricksError {
  readonly argument: string;
  constructor(operation: string, argument: string, problem: string) {
    super({ message: `${operation}: invalid argument '${argument}': ${problem}`, errorCode: 'INVALID_ARGUMENT' });
    this.argument = argument;
  }
}

/** Host or credentials could not be resolved from options, environment or config file. */
export class ConfigurationError extends DatabricksError {
  constructor(message: string) {
    super({ message, errorCode: 'CONFIGURATION_ERROR' });
  }
}

/** A SQL statement reached FAILED/CANCELED/CLOSED (the HTTP call itself answered 200, §1.6 quirk 5). */
export class StatementExecutionError extends DatabricksError {
  readonly statementId: string;
  readonly state: string;
  constructor(init: DatabricksErrorInit & { statementId: string; state: string }) {
    super(init);
    this.statementId = init.statementId;
    this.state = init.state;
  }
  override get retryable(): boolean {
    return this.errorCode === 'TEMPORARILY_UNAVAILABLE' || this.errorCode === 'DEADLINE_EXCEEDED';
  }
}

type ErrorClass = new (init: DatabricksErrorInit) => DatabricksError;

const BY_STATUS: Record<number, ErrorClass> = {
  400: BadRequestError,
  401: UnauthenticatedError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ResourceConflictError,
  429: TooManyRequestsError,
  499: CancelledError,
  500: InternalError,
  501: NotImplementedError,
  503: TemporarilyUnavailableError,
  504: DeadlineExceededError,
};

const BY_CODE: Record<string, ErrorClass> = {
  INVALID_PARAMETER_VALUE: BadRequestError,
  BAD_REQUEST: BadRequestError,
  MALFORMED_REQUEST: BadRequestError,
  INVALID_STATE: BadRequestError,
  QUOTA_EXCEEDED: BadRequestError,
  RESOURCE_LIMIT_EXCEEDED: BadRequestError,
  MAX_BLOCK_SIZE_EXCEEDED: BadRequestError,
  MAX_READ_SIZE_EXCEEDED: BadRequestError,
  MAX_NOTEBOOK_SIZE_EXCEEDED: BadRequestError,
  DIRECTORY_NOT_EMPTY: BadRequestError,
  IO_ERROR: BadRequestError,
  UNAUTHENTICATED: UnauthenticatedError,
  PERMISSION_DENIED: PermissionDeniedError,
  CUSTOMER_UNAUTHORIZED: PermissionDeniedError,
  RESOURCE_DOES_NOT_EXIST: NotFoundError,
  NOT_FOUND: NotFoundError,
  RESOURCE_ALREADY_EXISTS: ResourceConflictError,
  ALREADY_EXISTS: ResourceConflictError,
  ABORTED: ResourceConflictError,
  RESOURCE_CONFLICT: ResourceConflictError,
  REQUEST_LIMIT_EXCEEDED: TooManyRequestsError,
  RESOURCE_EXHAUSTED: TooManyRequestsError,
  TOO_MANY_REQUESTS: TooManyRequestsError,
  CANCELLED: CancelledError,
  INTERNAL_ERROR: InternalError,
  UNKNOWN: InternalError,
  DATA_LOSS: InternalError,
  NOT_IMPLEMENTED: NotImplementedError,
  TEMPORARILY_UNAVAILABLE: TemporarilyUnavailableError,
  DEADLINE_EXCEEDED: DeadlineExceededError,
};

/** Codes that name a missing object whatever the status (UC answers e.g. CATALOG_DOES_NOT_EXIST). */
const NOT_FOUND_CODE = /(^|_)(DOES_NOT_EXIST|NOT_FOUND)$/;
/** §1.4 / §1.6: clusters/get, jobs/get, runs/get answer 400 INVALID_PARAMETER_VALUE for missing ids. */
const NOT_FOUND_MESSAGE = /\b(does not exist|doesn't exist)\b/i;

/**
 * Codes more specific than any status: they decide the class whatever the status, as in the official
 * SDKs' error mappers (Python `ERROR_CODE_MAPPING`, "more specific error codes override more generic
 * HTTP status codes"). Databricks answers e.g. a workspace path or repo that already exists with
 * 400 RESOURCE_ALREADY_EXISTS, which is a conflict, not a malformed request.
 */
const CODE_OVER_STATUS = new Set(['INVALID_STATE', 'INVALID_PARAMETER_VALUE', 'RESOURCE_DOES_NOT_EXIST', 'ABORTED', 'ALREADY_EXISTS', 'RESOURCE_ALREADY_EXISTS', 'RESOURCE_EXHAUSTED', 'REQUEST_LIMIT_EXCEEDED', 'UNKNOWN', 'DATA_LOSS']);

/** Chooses the class: a specific error_code, else the status, else any other error_code, then the known quirks. */
export function errorClassFor(status: number, errorCode: string | undefined, message: string): ErrorClass {
  let cls: ErrorClass | undefined = errorCode && CODE_OVER_STATUS.has(errorCode) ? BY_CODE[errorCode] : undefined;
  cls ??= BY_STATUS[status];
  if (!cls && errorCode) cls = BY_CODE[errorCode];
  if (!cls) cls = status >= 500 ? InternalError : DatabricksError;
  if (status === 400 || status === 404 || cls === DatabricksError) {
    if (errorCode && NOT_FOUND_CODE.test(errorCode)) return NotFoundError;
    if (errorCode === 'INVALID_PARAMETER_VALUE' && NOT_FOUND_MESSAGE.test(message)) return NotFoundError;
  }
  return cls;
}

export interface ParsedErrorBody {
  errorCode: string | undefined;
  message: string | undefined;
  details: unknown[] | undefined;
}

/**
 * Reads `{error_code, message, details}`; also the OAuth `{error, error_description}` shape and the
 * SCIM one (`/api/2.0/preview/scim/v2/…`): `{schemas: [...Error], detail, status: "409", scimType?}`
 * becomes errorCode `SCIM_409` (as the official SDKs name it) with `detail` as the message and
 * `scimType`, when sent, as the one details item. The class still follows the HTTP status.
 */
export function parseErrorBody(text: string): ParsedErrorBody {
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object') {
      const b = body as Record<string, unknown>;
      const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
      const detail = str(b.detail);
      if (detail !== undefined && str(b.error_code) === undefined) {
        const status = str(b.status) ?? (typeof b.status === 'number' ? String(b.status) : undefined);
        const scimType = str(b.scimType);
        return {
          errorCode: status ? `SCIM_${status}` : 'SCIM_ERROR',
          // The SDKs' reading of the server's placeholder for "no detail".
          message: detail === 'null' ? 'SCIM API Internal Error' : detail,
          details: scimType ? [{ scimType }] : undefined,
        };
      }
      return {
        errorCode: str(b.error_code) ?? str(b.errorCode) ?? str(b.error),
        message: str(b.message) ?? str(b.error_description) ?? str(b.errorSummary),
        details: Array.isArray(b.details) ? b.details : undefined,
      };
    }
  } catch {
    // Not JSON: HTML error pages from proxies; fall through to the raw-text handling below.
  }
  const pre = /<pre>([\s\S]*?)<\/pre>/i.exec(text)?.[1] ?? /<title>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  return { errorCode: undefined, message: (pre ?? text).trim().slice(0, 500) || undefined, details: undefined };
}
