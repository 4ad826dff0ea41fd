/** The wire work of Unity Catalog's named metastore-level objects: storage credentials, external locations, connections. */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { byPageToken, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { Empty } from './types.js';
import { BASE, seg } from './uc-common.js';

const NameSchema = z.looseObject({ name: nonEmpty });
const DeleteSchema = z.looseObject({ name: nonEmpty, force: z.boolean().optional() });
const ListSchema = z.looseObject({ max_results: nonNegativeInt.optional(), page_token: z.string().optional(), include_unbound: z.boolean().optional(), limit: listCap.shape.limit });

/**
 * The five calls of a named metastore-level object; `kind` names operations (`storageCredentials.create`)
 * and `segment` the path. `secrets` picks the secret values out of a create or update body, so error
 * text never echoes them.
 */
export abstract class MetastoreObjectService<Info, CreateSchema extends z.ZodType<{ name: string }>, UpdateSchema extends z.ZodType<{ name: string }>> {
  protected constructor(
    private readonly http: HttpClient,
    private readonly kind: string,
    private readonly segment: string,
    private readonly listField: string,
    private readonly schemas: { create: CreateSchema; update: UpdateSchema },
    private readonly secrets: (body: unknown) => string[] = () => [],
  ) {}

  private path(name?: string): string {
    return `${BASE}/${this.segment}${name === undefined ? '' : `/${seg(name)}`}`;
  }

  /** Not idempotent: a repeat meets "already exists" (the create activity adopts on retry). */
  async create(req: z.input<CreateSchema>, opts?: CallOptions): Promise<Info> {
    const body = validate(`${this.kind}.create`, this.schemas.create, req);
    return this.http.request({ operation: `${this.kind}.create`, method: 'POST', path: this.path(), body, idempotent: false, redact: this.secrets(body), ...opts });
  }

  async get(req: In<typeof NameSchema>, opts?: CallOptions): Promise<Info> {
    const { name } = validate(`${this.kind}.get`, NameSchema, req);
    return this.http.request({ operation: `${this.kind}.get`, method: 'GET', path: this.path(name), idempotent: true, ...opts });
  }

  /** Every object the caller may see, following `next_page_token` (`max_results` sets the page size). */
  list(req: In<typeof ListSchema> = {}, opts?: CallOptions): Paginated<Info> {
    const { limit, ...q } = validate(`${this.kind}.list`, ListSchema, req);
    return byPageToken(
      (page) => this.http.request<Record<string, unknown> & { next_page_token?: string }>({
        operation: `${this.kind}.list`, method: 'GET', path: this.path(),
        // Unset max_results asks for everything at once, which the API calls deprecated; 0 pages at the server's size.
        query: { max_results: 0, ...q, ...page }, idempotent: true, ...opts,
      }),
      (r) => r[this.listField] as Info[] | undefined,
      limit,
    );
  }

  /** A rename is not idempotent (the old name is gone after the first attempt). */
  async update(req: z.input<UpdateSchema>, opts?: CallOptions): Promise<Info> {
    const { name, ...body } = validate(`${this.kind}.update`, this.schemas.update, req) as { name: string; new_name?: string };
    return this.http.request({ operation: `${this.kind}.update`, method: 'PATCH', path: this.path(name), body, idempotent: body.new_name === undefined, redact: this.secrets(body), ...opts });
  }

  async delete(req: In<typeof DeleteSchema>, opts?: CallOptions): Promise<Empty> {
    const { name, force } = validate(`${this.kind}.delete`, DeleteSchema, req);
    return this.http.request({ operation: `${this.kind}.delete`, method: 'DELETE', path: this.path(name), query: force === undefined ? {} : { force }, idempotent: true, ...opts });
  }
}
