import { connectDurabricks, TemporalConnectError, type DurabricksClient } from '../client/connect.js';
import { UserFacingError } from './errors.js';

/**
 * Connects the way every client command does (TEMPORAL_* env, shared data converter), runs `fn`,
 * and always closes the connection. An unreachable server is one sentence, not a stack trace.
 */
export async function withTemporal<T>(fn: (conn: DurabricksClient) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  let conn;
  try {
    conn = await connectDurabricks(env);
  } catch (err) {
    if (err instanceof TemporalConnectError) throw new UserFacingError(err.message);
    throw err;
  }
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}
