import { z } from 'zod';
import { bool, nonEmpty, nonNegInt } from '../../http/validation.js';
import { isMultipart } from '../../http/multipart.js';
import { listBody } from '../../http/paging.js';
import { route, versions, type RouteDef } from '../../http/router.js';
import { decodeBase64, normaliseDbfsPath } from './paths.js';
import { DEFAULT_READ_BYTES, type DbfsStore } from './store.js';

const V = ['2.0'];
const pathOnly = z.object({ path: nonEmpty() });

export function dbfsRoutes(store: DbfsStore): RouteDef[] {
  return [
    route({
      method: 'POST',
      paths: versions(V, '/dbfs/put'),
      input: z.object({ path: nonEmpty(), contents: z.string().optional(), overwrite: bool().optional() }),
      handle(i, req) {
        const path = normaliseDbfsPath(i.path);
        // The 1 MB limit is on the JSON `contents` field; a multipart upload may be larger.
        store.put(path, decodeBase64(i.contents ?? '', 'contents'), i.overwrite ?? false, !isMultipart(req.headers['content-type']));
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/dbfs/create'),
      input: z.object({ path: nonEmpty(), overwrite: bool().optional() }),
      handle: (i) => ({ handle: store.create(normaliseDbfsPath(i.path), i.overwrite ?? false) }),
    }),
    route({
      method: 'POST',
      paths: versions(V, '/dbfs/add-block'),
      input: z.object({ handle: nonNegInt(), data: z.string() }),
      handle(i) {
        store.addBlock(i.handle, decodeBase64(i.data, 'data'));
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/dbfs/close'),
      input: z.object({ handle: nonNegInt() }),
      handle(i) {
        store.close(i.handle);
        return {};
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/dbfs/read'),
      input: z.object({ path: nonEmpty(), offset: nonNegInt().optional(), length: nonNegInt().optional() }),
      handle: (i) => store.read(normaliseDbfsPath(i.path), i.offset ?? 0, i.length ?? DEFAULT_READ_BYTES),
    }),
    route({ method: 'GET', paths: versions(V, '/dbfs/get-status'), input: pathOnly, handle: (i) => store.info(normaliseDbfsPath(i.path)) }),
    route({ method: 'GET', paths: versions(V, '/dbfs/list'), input: pathOnly, handle: (i) => listBody('files', store.list(normaliseDbfsPath(i.path))) }),
    route({
      method: 'POST',
      paths: versions(V, '/dbfs/mkdirs'),
      input: pathOnly,
      handle(i) {
        store.mkdirs(normaliseDbfsPath(i.path));
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/dbfs/delete'),
      input: z.object({ path: nonEmpty(), recursive: bool().optional() }),
      handle(i) {
        store.delete(normaliseDbfsPath(i.path), i.recursive ?? false);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/dbfs/move'),
      input: z.object({ source_path: nonEmpty(), destination_path: nonEmpty() }),
      handle(i) {
        store.move(normaliseDbfsPath(i.source_path, 'source_path'), normaliseDbfsPath(i.destination_path, 'destination_path'));
        return {};
      },
    }),
  ];
}
