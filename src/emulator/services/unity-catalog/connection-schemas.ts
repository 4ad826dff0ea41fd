import { z } from 'zod';
import { anyObject, bool, nonEmpty, stringMap } from '../../http/validation.js';

/**
 * Request bodies of connections, with the SDK's field names (service/catalog.py CreateConnection,
 * UpdateConnection). `connection_type` is checked by the store, so its error lists the valid types;
 * `environment_settings`, `parent` and `secrets` are accepted and ignored.
 */
const ignored = { environment_settings: anyObject().optional(), parent: z.string().optional(), secrets: stringMap().optional() };

export const createConnectionInput = z.object({
  name: nonEmpty(),
  connection_type: nonEmpty(),
  options: stringMap(),
  comment: z.string().optional(),
  properties: stringMap().optional(),
  read_only: bool().optional(),
  ...ignored,
});

/** `options` is required on update (UpdateConnection); answer fields sent back (comment, url, …) are dropped. */
export const updateConnectionInput = z.object({ options: stringMap(), new_name: nonEmpty().optional(), owner: nonEmpty().optional(), ...ignored });
