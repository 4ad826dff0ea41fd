import { afterEach, describe, expect, it } from 'vitest';
import { byPageToken, paginate, type PageToken } from '../../../src/databricks/paginate.js';
import { harness, type Harness } from './helpers.js';

let h: Harness = undefined as unknown as Harness;
afterEach(async () => {
  await h?.agent.close();
  h = undefined as unknown as Harness;
});

const ids = <T,>(xs: T[], k: keyof T) => xs.map((x) => x[k]);

describe('page-token style (clusters/list 2.1)', () => {
  it('follows next_page_token across pages', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.1/clusters/list?page_size=2', method: 'GET' }).reply(200, { clusters: [{ cluster_id: 'a' }, { cluster_id: 'b' }], next_page_token: 't1' });
    h.pool.intercept({ path: '/api/2.1/clusters/list?page_size=2&page_token=t1', method: 'GET' }).reply(200, { clusters: [{ cluster_id: 'c' }], prev_page_token: 't0' });
    const out = [];
    for await (const c of h.client.clusters.list({ page_size: 2 })) out.push(c.cluster_id);
    expect(out).toEqual(['a', 'b', 'c']);
  });

  it('the { limit } cap stops early without fetching more pages', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.1/clusters/list?page_size=2', method: 'GET' }).reply(200, { clusters: [{ cluster_id: 'a' }, { cluster_id: 'b' }], next_page_token: 't1' });
    expect(ids(await h.client.clusters.list({ page_size: 2, limit: 1 }).toArray(), 'cluster_id')).toEqual(['a']);
    expect(h.events).toHaveLength(1);
  });

  it('listPage returns one raw page', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.1/clusters/list?page_token=t9', method: 'GET' }).reply(200, { clusters: [{ cluster_id: 'z' }], next_page_token: 't10' });
    await expect(h.client.clusters.listPage({ page_token: 't9' })).resolves.toEqual({ clusters: [{ cluster_id: 'z' }], next_page_token: 't10' });
  });
});

describe('token + legacy offset style (jobs/list, runs/list)', () => {
  it('follows next_page_token when present', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.2/jobs/list', method: 'GET' }).reply(200, { jobs: [{ job_id: 1 }], has_more: true, next_page_token: 'p2' });
    h.pool.intercept({ path: '/api/2.2/jobs/list?page_token=p2', method: 'GET' }).reply(200, { jobs: [{ job_id: 2 }], has_more: false });
    expect(ids(await h.client.jobs.list().toArray(), 'job_id')).toEqual([1, 2]);
  });

  it('falls back to offset when only has_more is sent, and treats a missing array as empty', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.2/jobs/runs/list?job_id=7&limit=2', method: 'GET' }).reply(200, { runs: [{ run_id: 1 }, { run_id: 2 }], has_more: true });
    h.pool.intercept({ path: '/api/2.2/jobs/runs/list?job_id=7&limit=2&offset=2', method: 'GET' }).reply(200, { runs: [{ run_id: 3 }], has_more: true });
    h.pool.intercept({ path: '/api/2.2/jobs/runs/list?job_id=7&limit=2&offset=3', method: 'GET' }).reply(200, { has_more: false });
    const runs = h.client.jobs.listRuns({ job_id: 7, page_size: 2 });
    expect(ids(await runs.toArray(), 'run_id')).toEqual([1, 2, 3]);
    // Iterating the same list again starts over from offset 0.
    h.pool.intercept({ path: '/api/2.2/jobs/runs/list?job_id=7&limit=2', method: 'GET' }).reply(200, { runs: [{ run_id: 9 }], has_more: false });
    expect(ids(await runs.toArray(), 'run_id')).toEqual([9]);
  });
});

describe('in-object pagination (jobs 2.2 get with >100 tasks)', () => {
  it('merges the overflowing arrays of later pages', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.2/jobs/runs/get?run_id=5', method: 'GET' }).reply(200, { run_id: 5, tasks: [{ task_key: 'a' }], has_more: true, next_page_token: 'n1' });
    h.pool.intercept({ path: '/api/2.2/jobs/runs/get?run_id=5&page_token=n1', method: 'GET' }).reply(200, { run_id: 5, tasks: [{ task_key: 'b' }], has_more: false });
    const run = await h.client.jobs.getRun({ run_id: 5 });
    expect(run.tasks?.map((t) => t.task_key)).toEqual(['a', 'b']);
    expect(run.has_more).toBeUndefined();

    h.pool.intercept({ path: '/api/2.2/jobs/get?job_id=9', method: 'GET' }).reply(200, { job_id: 9, settings: { tasks: [{ task_key: 'x' }] }, has_more: true, next_page_token: 'q' });
    h.pool.intercept({ path: '/api/2.2/jobs/get?job_id=9&page_token=q', method: 'GET' }).reply(200, { job_id: 9, settings: { tasks: [{ task_key: 'y' }] } });
    const job = await h.client.jobs.get({ job_id: 9 });
    expect(job.settings?.tasks?.map((t) => t.task_key)).toEqual(['x', 'y']);
  });
});

describe('Unity Catalog style', () => {
  it('keeps going past an empty page that still has a token, stops when the token is absent', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.1/unity-catalog/catalogs?max_results=1', method: 'GET' }).reply(200, { catalogs: [{ name: 'a' }], next_page_token: 'x' });
    h.pool.intercept({ path: '/api/2.1/unity-catalog/catalogs?max_results=1&page_token=x', method: 'GET' }).reply(200, { catalogs: [], next_page_token: 'y' });
    h.pool.intercept({ path: '/api/2.1/unity-catalog/catalogs?max_results=1&page_token=y', method: 'GET' }).reply(200, { catalogs: [{ name: 'b' }] });
    expect(ids(await h.client.catalogs.list({ max_results: 1 }).toArray(), 'name')).toEqual(['a', 'b']);
  });

  it('lists tables of a schema with required params in the query', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.1/unity-catalog/tables?catalog_name=main&schema_name=s', method: 'GET' }).reply(200, { tables: [{ name: 't', full_name: 'main.s.t' }] });
    expect(ids(await h.client.tables.list({ catalog_name: 'main', schema_name: 's' }).toArray(), 'full_name')).toEqual(['main.s.t']);
  });
});

describe('repos style', () => {
  it('sends the cursor as the next_page_token query parameter', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.0/repos?path_prefix=%2FRepos%2Fme', method: 'GET' }).reply(200, { repos: [{ id: 1 }], next_page_token: 'r2' });
    h.pool.intercept({ path: '/api/2.0/repos?path_prefix=%2FRepos%2Fme&next_page_token=r2', method: 'GET' }).reply(200, { repos: [{ id: 2 }] });
    expect(ids(await h.client.repos.list({ path_prefix: '/Repos/me' }).toArray(), 'id')).toEqual([1, 2]);
  });
});

describe('cluster events', () => {
  it('follows next_page_token in the POST body', async () => {
    h = harness();
    const bodies: unknown[] = [];
    h.pool
      .intercept({ path: '/api/2.1/clusters/events', method: 'POST' })
      .reply<object>((o) => {
        const b = JSON.parse(String(o.body)) as { page_token?: string };
        bodies.push(b);
        return b.page_token
          ? { statusCode: 200, data: { events: [{ cluster_id: 'c', type: 'RUNNING' }], total_count: 2 } }
          : { statusCode: 200, data: { events: [{ cluster_id: 'c', type: 'CREATING' }], next_page_token: 'e2', total_count: 2 } };
      })
      .times(2);
    const types = (await h.client.clusters.events({ cluster_id: 'c', page_size: 1 }).toArray()).map((e) => e.type);
    expect(types).toEqual(['CREATING', 'RUNNING']);
    expect(bodies).toEqual([{ cluster_id: 'c', page_size: 1 }, { cluster_id: 'c', page_size: 1, page_token: 'e2' }]);
  });

  it('falls back to the legacy next_page object', async () => {
    h = harness();
    const bodies: unknown[] = [];
    h.pool
      .intercept({ path: '/api/2.1/clusters/events', method: 'POST' })
      .reply<object>((o) => {
        const b = JSON.parse(String(o.body)) as { offset?: number };
        bodies.push(b);
        return b.offset
          ? { statusCode: 200, data: { events: [{ cluster_id: 'c', type: 'B' }] } }
          : { statusCode: 200, data: { events: [{ cluster_id: 'c', type: 'A' }], next_page: { cluster_id: 'c', offset: 1, limit: 1 } } };
      })
      .times(2);
    expect((await h.client.clusters.events({ cluster_id: 'c' }).toArray()).map((e) => e.type)).toEqual(['A', 'B']);
    expect(bodies[1]).toEqual({ cluster_id: 'c', offset: 1, limit: 1 });
  });
});

describe('unpaged lists', () => {
  it('are iterators too, with the cap', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.0/secrets/scopes/list', method: 'GET' }).reply(200, { scopes: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
    expect(ids(await h.client.secrets.listScopes({ limit: 2 }).toArray(), 'name')).toEqual(['a', 'b']);
    h.pool.intercept({ path: '/api/2.0/instance-pools/list', method: 'GET' }).reply(200, {});
    expect(await h.client.instancePools.list().toArray()).toEqual([]);
  });
});

describe('paginate', () => {
  it('stops on a repeated cursor instead of looping forever', async () => {
    let calls = 0;
    const it = paginate<number, string>(async () => {
      calls++;
      return { items: [calls], next: 'same' };
    });
    expect(await it.toArray()).toEqual([1, 2]);
  });

  it('limit 0 fetches nothing', async () => {
    let calls = 0;
    const it = paginate<number, string>(async () => {
      calls++;
      return { items: [1] };
    }, 0);
    expect(await it.toArray()).toEqual([]);
    expect(calls).toBe(0);
  });
});

describe('byPageToken', () => {
  type Resp = { xs?: number[]; next_page_token?: string };
  /** Serves `pages` keyed by the token that asks for them ('' for the first call) and records each request. */
  const server = (pages: Record<string, Resp>) => {
    const calls: PageToken[] = [];
    const fetch = async (page: PageToken): Promise<Resp> => {
      calls.push(page);
      const r = pages[page.page_token ?? ''];
      if (!r) throw new Error(`unexpected page_token ${String(page.page_token)}`);
      return r;
    };
    return { calls, fetch };
  };

  it('follows next_page_token across pages, with no page_token on the first call', async () => {
    const s = server({ '': { xs: [1, 2], next_page_token: 'a' }, a: { xs: [3], next_page_token: 'b' }, b: { xs: [4] } });
    expect(await byPageToken(s.fetch, (r) => r.xs).toArray()).toEqual([1, 2, 3, 4]);
    expect(s.calls).toEqual([{}, { page_token: 'a' }, { page_token: 'b' }]);
    expect('page_token' in s.calls[0]!).toBe(false);
  });

  it('stops on a missing or empty token, and treats a missing array as empty', async () => {
    const missing = server({ '': { xs: [1] } });
    expect(await byPageToken(missing.fetch, (r) => r.xs).toArray()).toEqual([1]);
    expect(missing.calls).toHaveLength(1);
    const empty = server({ '': { xs: [1], next_page_token: 'a' }, a: { next_page_token: '' } });
    expect(await byPageToken(empty.fetch, (r) => r.xs).toArray()).toEqual([1]);
    expect(empty.calls).toHaveLength(2);
  });

  it('caps the total with limit across pages, fetching no page past it', async () => {
    const s = server({ '': { xs: [1, 2], next_page_token: 'a' }, a: { xs: [3, 4], next_page_token: 'b' }, b: { xs: [5] } });
    expect(await byPageToken(s.fetch, (r) => r.xs, 3).toArray()).toEqual([1, 2, 3]);
    expect(s.calls).toEqual([{}, { page_token: 'a' }]);
    const none = server({});
    expect(await byPageToken(none.fetch, (r) => r.xs, 0).toArray()).toEqual([]);
    expect(none.calls).toHaveLength(0);
  });

  it('continues past an empty page that still has a token', async () => {
    const s = server({ '': { xs: [], next_page_token: 'a' }, a: { xs: [], next_page_token: 'b' }, b: { xs: [7] } });
    expect(await byPageToken(s.fetch, (r) => r.xs).toArray()).toEqual([7]);
    expect(s.calls).toEqual([{}, { page_token: 'a' }, { page_token: 'b' }]);
  });

  it('stops on a repeated token instead of looping forever', async () => {
    const s = server({ '': { xs: [1], next_page_token: 'a' }, a: { xs: [2], next_page_token: 'a' } });
    expect(await byPageToken(s.fetch, (r) => r.xs).toArray()).toEqual([1, 2]);
    expect(s.calls).toEqual([{}, { page_token: 'a' }]);
  });

  it('starts over from the first page when iterated again', async () => {
    const s = server({ '': { xs: [1], next_page_token: 'a' }, a: { xs: [2] } });
    const list = byPageToken(s.fetch, (r) => r.xs);
    expect(await list.toArray()).toEqual([1, 2]);
    expect(await list.toArray()).toEqual([1, 2]);
    expect(s.calls).toEqual([{}, { page_token: 'a' }, {}, { page_token: 'a' }]);
  });
});

describe('a server that never ends a list', () => {
  it('empty pages with ever new tokens stop after MAX_EMPTY_PAGES_IN_A_ROW with a PaginationError; a few empty pages are followed', async () => {
    const { MAX_EMPTY_PAGES_IN_A_ROW, PaginationError } = await import('../../../src/databricks/index.js');
    let calls = 0;
    const endless = paginate<number, number>(async (cursor) => {
      calls++;
      return { items: cursor === undefined ? [1] : [], next: (cursor ?? 0) + 1 };
    });
    const got: number[] = [];
    const err = await (async () => {
      for await (const x of endless) got.push(x);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PaginationError);
    expect((err as Error).message).toBe(`list stopped after ${MAX_EMPTY_PAGES_IN_A_ROW} empty pages in a row, each with a new page token: the server never ends this list (1 item(s) were returned before)`);
    expect(got).toEqual([1]);
    expect(calls).toBe(MAX_EMPTY_PAGES_IN_A_ROW + 1);
    // UC's occasional empty page with a token (quirk 8) is followed to the items after it.
    const gappy = paginate<string, number>(async (cursor) => {
      const n = cursor ?? 0;
      return n < 5 ? { items: [], next: n + 1 } : { items: ['x'] };
    });
    expect(await gappy.toArray()).toEqual(['x']);
  });
});
