/**
 * What the SCIM services (groups, users, service principals; `/api/2.0/preview/scim/v2/…`) share:
 * camelCase resource shapes (SCIM's, not the REST API's snake_case), the ListResponse paging by
 * 1-based `startIndex` + `count`, and PATCH operations. Errors come back in the SCIM shape and are
 * mapped by errors.ts into the same taxonomy as every other call (404 → NotFoundError, …).
 */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { paginate, type Paginated } from '../paginate.js';
import { nonEmpty, nonNegativeInt, positiveInt, validate, type In } from '../validate.js';

export const SCIM_BASE = '/api/2.0/preview/scim/v2';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A reference to a member, group, entitlement or role: `{value}` on input, plus `display`/`$ref`/`type` on output. */
export interface ComplexValue {
  value?: string;
  display?: string;
  $ref?: string;
  type?: string;
  primary?: boolean;
  [field: string]: unknown;
}

export interface ScimListResponse<T> {
  totalResults?: number;
  itemsPerPage?: number;
  startIndex?: number;
  schemas?: string[];
  Resources?: T[];
}

export const complexValue = z.looseObject({ value: nonEmpty });
export const ScimListSchema = z.looseObject({
  /** SCIM filter, e.g. `displayName eq "data-eng"`, `userName sw "a"`. */
  filter: z.string().optional(),
  attributes: z.string().optional(),
  excludedAttributes: z.string().optional(),
  sortBy: z.string().optional(),
  sortOrder: z.enum(['ascending', 'descending']).optional(),
  /** Items per page (default 100 here; the server's own default and maximum are unverified). */
  count: positiveInt.optional(),
  /** 1-based index of the first item. */
  startIndex: positiveInt.optional(),
  /** Total cap across pages. */
  limit: nonNegativeInt.optional(),
});
export type ScimListRequest = z.input<typeof ScimListSchema>;

export const PatchOperationSchema = z.looseObject({
  op: z.enum(['add', 'remove', 'replace']),
  path: z.string().optional(),
  value: z.unknown().optional(),
});
export type PatchOperation = z.infer<typeof PatchOperationSchema>;
export const PatchSchema = z.looseObject({ id: nonEmpty, Operations: z.array(PatchOperationSchema).min(1, { error: 'must hold at least one operation' }) });
export const IdSchema = z.looseObject({ id: nonEmpty });

const DEFAULT_COUNT = 100;

/**
 * One SCIM resource type (`Groups`, `Users`, `ServicePrincipals`): get, patch, delete and the
 * paged list are the same for all three, and so is PUT (`replace`); each subclass adds its create
 * and its `update` with its own body schema.
 */
export abstract class ScimService<T> {
  protected constructor(
    protected readonly http: HttpClient,
    /** `groups`, `users`, `servicePrincipals`: the prefix of the operation names. */
    private readonly service: string,
    private readonly resource: string,
  ) {}

  protected path(id?: string): string {
    return `${SCIM_BASE}/${this.resource}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;
  }

  /** Not safe to repeat blindly: a second create conflicts (or, for users without a unique key, duplicates). */
  protected post(body: unknown, opts?: CallOptions): Promise<T> {
    return this.http.request({ operation: `${this.service}.create`, method: 'POST', path: this.path(), body, idempotent: false, ...opts });
  }

  /**
   * Full replace (PUT) of `req.id` after validating `req` against `schema`: attributes left out
   * are cleared. The same result however often it is sent, so it is retried like a read.
   */
  protected async replace<S extends z.ZodType<{ id: string }>>(schema: S, schemas: readonly string[], req: z.input<S>, opts?: CallOptions): Promise<void> {
    const { id, ...body } = validate(`${this.service}.update`, schema, req);
    await this.http.request({ operation: `${this.service}.update`, method: 'PUT', path: this.path(id), body: { schemas, ...body }, idempotent: true, ...opts });
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<T> {
    const { id } = validate(`${this.service}.get`, IdSchema, req);
    return this.http.request({ operation: `${this.service}.get`, method: 'GET', path: this.path(id), idempotent: true, ...opts });
  }

  /**
   * Safe to repeat: add of a present member and remove of an absent one change nothing. (A patch
   * mixing a rename with other edits is still repeatable: the second rename is to the same name.)
   */
  async patch(req: In<typeof PatchSchema>, opts?: CallOptions): Promise<void> {
    const { id, Operations } = validate(`${this.service}.patch`, PatchSchema, req);
    await this.http.request({ operation: `${this.service}.patch`, method: 'PATCH', path: this.path(id), body: { schemas: [PATCH_OP_SCHEMA], Operations }, idempotent: true, ...opts });
  }

  async delete(req: In<typeof IdSchema>, opts?: CallOptions): Promise<void> {
    const { id } = validate(`${this.service}.delete`, IdSchema, req);
    await this.http.request({ operation: `${this.service}.delete`, method: 'DELETE', path: this.path(id), idempotent: true, ...opts });
  }

  listPage(query: Omit<ScimListRequest, 'limit'> = {}, opts?: CallOptions): Promise<ScimListResponse<T>> {
    return this.http.request({ operation: `${this.service}.list`, method: 'GET', path: this.path(), query, idempotent: true, ...opts });
  }

  /**
   * Every item, page by page (`list({ filter: 'displayName eq "data-eng"' })`): the next
   * `startIndex` is this one plus the page's length, and an empty page (or reaching `totalResults`) ends it.
   */
  list(req: ScimListRequest = {}, opts?: CallOptions): Paginated<T> {
    const { limit, startIndex, count, ...query } = validate(`${this.service}.list`, ScimListSchema, req);
    const size = count ?? DEFAULT_COUNT;
    return paginate<T, number>(async (cursor) => {
      const start = cursor ?? startIndex ?? 1;
      const page = await this.listPage({ ...query, startIndex: start, count: size }, opts);
      const items = page.Resources ?? [];
      const next = start + items.length;
      const done = items.length === 0 || (typeof page.totalResults === 'number' && next > page.totalResults);
      return { items, next: done ? undefined : next };
    }, limit);
  }
}
