/**
 * Unity Catalog functions (`/api/2.1/unity-catalog/functions`): SQL user-defined functions, the
 * objects `CREATE FUNCTION` makes. `name` in get/update/delete is the full name
 * `catalog.schema.function`, as the SDKs call it. Create sends `{ function_info: … }`.
 */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { byPageToken, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';
import { BASE, seg } from './uc-common.js';

export interface FunctionParameterInfo {
  name: string;
  type_text: string;
  type_name: string;
  position: number;
  type_json?: string;
  type_precision?: number;
  type_scale?: number;
  type_interval_type?: string;
  parameter_default?: string;
  parameter_mode?: OpenEnum<'IN'>;
  parameter_type?: OpenEnum<'PARAM' | 'COLUMN'>;
  comment?: string;
}

export interface FunctionInfo {
  name?: string;
  catalog_name?: string;
  schema_name?: string;
  full_name?: string;
  function_id?: string;
  input_params?: { parameters?: FunctionParameterInfo[] };
  data_type?: string;
  full_data_type?: string;
  return_params?: { parameters?: FunctionParameterInfo[] };
  routine_body?: OpenEnum<'SQL' | 'EXTERNAL'>;
  routine_definition?: string;
  parameter_style?: string;
  is_deterministic?: boolean;
  sql_data_access?: OpenEnum<'CONTAINS_SQL' | 'READS_SQL_DATA' | 'NO_SQL'>;
  is_null_call?: boolean;
  security_type?: OpenEnum<'DEFINER'>;
  specific_name?: string;
  comment?: string;
  owner?: string;
  metastore_id?: string;
  created_at?: number;
  created_by?: string;
  updated_at?: number;
  updated_by?: string;
  [field: string]: unknown;
}

const Parameter = z.looseObject({ name: nonEmpty, type_text: nonEmpty, type_name: nonEmpty, position: nonNegativeInt, parameter_default: z.string().optional(), comment: z.string().optional() });
const Parameters = z.looseObject({ parameters: z.array(Parameter).optional() });
const CreateFunctionSchema = z.looseObject({
  name: nonEmpty,
  catalog_name: nonEmpty,
  schema_name: nonEmpty,
  input_params: Parameters,
  data_type: nonEmpty,
  full_data_type: nonEmpty,
  return_params: Parameters.optional(),
  routine_body: z.enum(['SQL', 'EXTERNAL'], { error: 'must be SQL or EXTERNAL' }),
  routine_definition: nonEmpty,
  parameter_style: z.string().optional(),
  is_deterministic: z.boolean(),
  sql_data_access: z.enum(['CONTAINS_SQL', 'READS_SQL_DATA', 'NO_SQL'], { error: 'must be CONTAINS_SQL, READS_SQL_DATA or NO_SQL' }),
  is_null_call: z.boolean(),
  security_type: z.string().optional(),
  specific_name: nonEmpty,
  comment: z.string().optional(),
});
/** The `function_info` of a create (the SDKs' CreateFunction). */
export type CreateFunctionRequest = z.infer<typeof CreateFunctionSchema>;
const GetFunctionSchema = z.looseObject({ name: nonEmpty, include_browse: z.boolean().optional() });
const UpdateFunctionSchema = z.looseObject({ name: nonEmpty, owner: z.string().optional() });
export type UpdateFunctionRequest = z.infer<typeof UpdateFunctionSchema>;
const DeleteFunctionSchema = z.looseObject({ name: nonEmpty, force: z.boolean().optional() });
const ListFunctionsSchema = z.looseObject({
  catalog_name: nonEmpty,
  schema_name: nonEmpty,
  max_results: nonNegativeInt.optional(),
  page_token: z.string().optional(),
  include_browse: z.boolean().optional(),
  limit: listCap.shape.limit,
});

export class FunctionsService {
  constructor(private readonly http: HttpClient) {}

  /** Not retried after sending: a repeat answers already-exists. */
  async create(req: CreateFunctionRequest, opts?: CallOptions): Promise<FunctionInfo> {
    const function_info = validate('functions.create', CreateFunctionSchema, req);
    return this.http.request({ operation: 'functions.create', method: 'POST', path: `${BASE}/functions`, body: { function_info }, idempotent: false, ...opts });
  }

  async get(req: In<typeof GetFunctionSchema>, opts?: CallOptions): Promise<FunctionInfo> {
    const { name, ...query } = validate('functions.get', GetFunctionSchema, req);
    return this.http.request({ operation: 'functions.get', method: 'GET', path: `${BASE}/functions/${seg(name)}`, query, idempotent: true, ...opts });
  }

  async listPage(req: In<typeof ListFunctionsSchema>, opts?: CallOptions): Promise<{ functions?: FunctionInfo[]; next_page_token?: string }> {
    const { limit: _l, ...query } = validate('functions.list', ListFunctionsSchema, req);
    return this.http.request({ operation: 'functions.list', method: 'GET', path: `${BASE}/functions`, query, idempotent: true, ...opts });
  }

  list(req: In<typeof ListFunctionsSchema>, opts?: CallOptions): Paginated<FunctionInfo> {
    const { limit, ...q } = validate('functions.list', ListFunctionsSchema, req);
    return byPageToken((page) => this.listPage({ ...q, ...page }, opts), (r) => r.functions, limit);
  }

  /** Changes the owner; safe to repeat. */
  async update(req: UpdateFunctionRequest, opts?: CallOptions): Promise<FunctionInfo> {
    const { name, ...body } = validate('functions.update', UpdateFunctionSchema, req);
    return this.http.request({ operation: 'functions.update', method: 'PATCH', path: `${BASE}/functions/${seg(name)}`, body, idempotent: true, ...opts });
  }

  async delete(req: In<typeof DeleteFunctionSchema>, opts?: CallOptions): Promise<Empty> {
    const { name, ...query } = validate('functions.delete', DeleteFunctionSchema, req);
    return this.http.request({ operation: 'functions.delete', method: 'DELETE', path: `${BASE}/functions/${seg(name)}`, query, idempotent: true, ...opts });
  }
}
