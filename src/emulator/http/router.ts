import type { z } from 'zod';
import type { Principal } from '../auth.js';
import type { ApiError } from './errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler sees of a request, already authenticated. */
export interface ApiRequest {
  method: HttpMethod;
  /** The concrete path, e.g. `/api/2.1/clusters/get`. */
  path: string;
  /** The matched template, e.g. `/api/2.0/sql/warehouses/{id}`. */
  route: string;
  /** `2.0`, `2.1`, `2.2` … taken from the path. */
  apiVersion: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  /** Parsed JSON body (undefined when there is none). */
  body: unknown;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  principal: Principal;
  /** Base URL of this emulator, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
}

/** A handler's return value is sent as a 200 JSON body; return a RawReply for anything else. */
export class RawReply {
  constructor(
    readonly status: number,
    readonly body: Buffer | string,
    readonly contentType = 'application/json',
    /** Extra response headers, lower-case names (a HEAD reply sets `content-length` to what a GET would send). */
    readonly headers: Record<string, string> = {},
  ) {}
}

export interface RouteDef {
  method: HttpMethod;
  /**
   * Full path templates; `{name}` segments become params, and a last `{name+}` segment takes the
   * rest of the path (one or more segments, e.g. a file path). A route usually lists every API
   * version it is served under.
   */
  paths: readonly string[];
  /** Validates the body (POST/PUT/PATCH) or the query (GET/HEAD/DELETE and raw-body routes; a GET body is merged in, as old clients send one). */
  input?: z.ZodType;
  /** The body is raw bytes (in `req.rawBody`, never parsed); `input` validates the query string. */
  rawBody?: boolean;
  /** Marks reads so persistence skips a save after them. Defaults to true for GET. */
  readOnly?: boolean;
  handle(input: unknown, req: ApiRequest): unknown;
  /**
   * Rewrites every error of this route — validation, guards and handler alike — before it is sent.
   * SCIM routes use it: real Databricks answers them in the SCIM error shape, not `{error_code, message}`.
   */
  mapError?(err: ApiError): ApiError;
}

/** Typed constructor for a route: `input` is inferred from the schema. */
export function route<S extends z.ZodType>(def: {
  method: HttpMethod;
  paths: readonly string[];
  input: S;
  readOnly?: boolean;
  rawBody?: boolean;
  handle(input: z.output<S>, req: ApiRequest): unknown;
  mapError?(err: ApiError): ApiError;
}): RouteDef {
  return def as RouteDef;
}

/** `versions(['2.0', '2.1'], '/clusters/get')` → both full paths. */
export function versions(list: readonly string[], suffix: string): string[] {
  return list.map((v) => `/api/${v}${suffix}`);
}

export interface RouteMatch {
  def: RouteDef;
  template: string;
  params: Record<string, string>;
}

interface ParamRoute {
  segments: string[];
  template: string;
  def: RouteDef;
}

/** Exact paths hit a map (the hot path: runs/get, clusters/get); templated ones are scanned. */
export class Router {
  private readonly exact = new Map<string, RouteDef>();
  private readonly templated: ParamRoute[] = [];

  add(def: RouteDef): void {
    for (const template of def.paths) {
      if (template.includes('{')) this.templated.push({ segments: template.split('/'), template, def });
      else this.exact.set(`${def.method} ${template}`, def);
    }
  }

  /** Returns the match, or `'method'` when the path exists under another method, or undefined. */
  match(method: string, path: string): RouteMatch | 'method' | undefined {
    const def = this.exact.get(`${method} ${path}`);
    if (def) return { def, template: path, params: {} };
    const segments = path.split('/');
    let otherMethod = false;
    for (const r of this.templated) {
      const params = matchSegments(r.segments, segments);
      if (!params) continue;
      if (r.def.method === method) return { def: r.def, template: r.template, params };
      otherMethod = true;
    }
    if (otherMethod) return 'method';
    for (const key of this.exact.keys()) if (key.endsWith(` ${path}`)) return 'method';
    return undefined;
  }
}

function matchSegments(template: string[], actual: string[]): Record<string, string> | undefined {
  const last = template[template.length - 1] as string;
  const rest = last.endsWith('+}') ? last.slice(1, -2) : undefined;
  if (rest === undefined ? template.length !== actual.length : actual.length < template.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i] as string;
    const a = actual[i] as string;
    if (rest !== undefined && i === template.length - 1) {
      // Each segment is decoded on its own, so an encoded `%2F` joins the path like a `/` does.
      try {
        params[rest] = actual.slice(i).map(decodeURIComponent).join('/');
      } catch {
        return undefined;
      }
      if (params[rest] === '') return undefined;
    } else if (t.startsWith('{') && t.endsWith('}')) {
      if (a === '') return undefined;
      try {
        params[t.slice(1, -1)] = decodeURIComponent(a);
      } catch {
        return undefined;
      }
    } else if (t !== a) return undefined;
  }
  return params;
}
