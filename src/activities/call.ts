/**
 * Body builders that turn a client method into an activity body in one line, keeping its types:
 *   call('clusters', 'get')            → (input: { cluster_id }) => Promise<ClusterDetails>
 *   call0('clusters', 'sparkVersions') for methods that take only CallOptions
 *   listAll('clusters', 'list')        for iterator methods: every item (capped by `limit`)
 * The client validates the input with zod before sending (a ValidationError naming the field,
 * which failures.ts makes non-retryable) and the activity's cancellation signal aborts the request.
 */
import type { CallOptions, DatabricksClient, Paginated } from '../databricks/index.js';
import type { Body } from './define.js';
import { refuseBlindRetry } from './failures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;
type KeysWhere<S, F> = { [K in keyof S]: S[K] extends F ? K : never }[keyof S];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ReqFn = (req: any, opts?: CallOptions) => Promise<unknown>;
type OptsFn = (opts?: CallOptions) => Promise<unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ListFn = (req: any, opts?: CallOptions) => Paginated<unknown>;

type Req<F> = F extends (req: infer R, opts?: CallOptions) => unknown ? R : never;
type Res<F> = F extends (...args: never[]) => Promise<infer O> ? O : never;
type Item<F> = F extends (...args: never[]) => Paginated<infer T> ? T : never;
/** The client's service properties (`clusters`, `jobs`, …). */
type Svc = Exclude<keyof DatabricksClient, 'host' | 'authType' | 'close' | 'knownSecrets' | 'toJSON'>;
type S<K extends Svc> = DatabricksClient[K];

export function call<K extends Svc, M extends KeysWhere<S<K>, ReqFn>>(svc: K, method: M): Body<Req<S<K>[M]>, Res<S<K>[M]>> {
  return async ({ client, opts }, input) => {
    const service = client[svc];
    try {
      return (await (service[method] as Fn).call(service, input, opts)) as Res<S<K>[M]>;
    } catch (err) {
      throw refuseBlindRetry(err);
    }
  };
}

export function call0<K extends Svc, M extends KeysWhere<S<K>, OptsFn>>(svc: K, method: M): Body<Record<string, never> | undefined, Res<S<K>[M]>> {
  return async ({ client, opts }) => {
    const service = client[svc];
    try {
      return (await (service[method] as Fn).call(service, opts)) as Res<S<K>[M]>;
    } catch (err) {
      throw refuseBlindRetry(err);
    }
  };
}

/** Every item of a listing in one activity result; keep `limit` small enough for workflow history. */
export function listAll<K extends Svc, M extends KeysWhere<S<K>, ListFn>>(svc: K, method: M): Body<Req<S<K>[M]>, Item<S<K>[M]>[]> {
  return async ({ client, opts }, input) => {
    const service = client[svc];
    const it = (service[method] as Fn).call(service, input ?? {}, opts) as Paginated<Item<S<K>[M]>>;
    return it.toArray();
  };
}
