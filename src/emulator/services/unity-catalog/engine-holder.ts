import { join } from 'node:path';
import { SqlEngine } from '../../sql/index.js';
import { volumeFilesRoot } from '../files/store.js';
import type { ServiceContext } from '../types.js';
import { grantDirectory } from './grant-principals.js';

/**
 * One DuckDB engine per emulator, shared by Unity Catalog, statements and the sql_task executor.
 *
 * Services are re-created on every reset (and once more when persisted state is restored at
 * start), synchronously, while the engine is async and owns the persisted catalogs. So the
 * engine outlives service instances, keyed by the emulator's data dir: a re-creation for a reset
 * marks a reset as pending (run before the next use), one for a restore keeps the tables on disk.
 */
interface Holder {
  engine: Promise<SqlEngine>;
  pendingReset: boolean;
  /** The reset in progress: concurrent first uses all wait for it. */
  resetting?: Promise<void>;
  clockNow: () => number;
}

const holders = new Map<string, Holder>();

export class SqlEngineHandle {
  private readonly holder: Holder;
  private readonly key: string;

  constructor(ctx: ServiceContext) {
    this.key = ctx.dataDir;
    const existing = holders.get(this.key);
    if (existing) {
      // A reset empties the catalog; a restore (restart with --data-dir) keeps what is on disk.
      existing.pendingReset = ctx.reason === 'reset';
      existing.clockNow = () => ctx.clock.now();
      this.holder = existing;
      return;
    }
    const holder: Holder = { pendingReset: false, clockNow: () => ctx.clock.now(), engine: Promise.resolve(undefined as never) };
    holder.engine = SqlEngine.create({
      ...(ctx.persistent ? { dataDir: join(ctx.dataDir, 'unity-catalog') } : {}),
      now: () => holder.clockNow(),
      seed: ctx.ids.seed,
      defaultUser: 'admin@emulator.local',
      volumeFilesDir: volumeFilesRoot(ctx.dataDir),
      directory: grantDirectory(ctx),
      // SCIM's group of every user and service principal: the workspace catalog's default grants go to it.
      workspaceUsers: 'users',
    });
    // Creation failures surface on first use, not as an unhandled rejection.
    holder.engine.catch(() => undefined);
    holders.set(this.key, holder);
    this.holder = holder;
  }

  /** The engine, after any pending reset. */
  async get(): Promise<SqlEngine> {
    const engine = await this.holder.engine;
    if (this.holder.pendingReset) {
      this.holder.pendingReset = false;
      // After the one still running, if any: two resets at once would drop the same catalogs twice.
      const previous = this.holder.resetting?.catch(() => undefined);
      this.holder.resetting = previous ? previous.then(() => engine.reset()) : engine.reset();
    }
    await this.holder.resetting;
    return engine;
  }

  /** Persisted state is being restored: keep the catalogs on disk as they are. */
  keepState(): void {
    this.holder.pendingReset = false;
  }

  async close(): Promise<void> {
    if (holders.get(this.key) !== this.holder) return;
    holders.delete(this.key);
    const engine = await this.holder.engine.catch(() => undefined);
    // Closing DuckDB under a reset's running queries would take the process down with it.
    await this.holder.resetting?.catch(() => undefined);
    engine?.close();
  }
}
