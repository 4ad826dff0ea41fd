import { describe, expect, it } from 'vitest';
import { SqlEngineHandle } from '../../../src/emulator/services/unity-catalog/engine-holder.js';
import type { ServiceContext } from '../../../src/emulator/services/types.js';

/**
 * Services are re-created on every emulator reset while the DuckDB engine outlives them, so each
 * re-creation only marks a catalog reset as pending and the next use runs it. Uses that follow two
 * quick resets must not run both catalog resets at once (they drop the same catalogs twice), and
 * closing must wait for a running one (DuckDB closed under running queries can crash the process).
 */
const contextFor = (dataDir: string, reason: ServiceContext['reason']) => ({ dataDir, reason, persistent: false, clock: { now: () => 1_700_000_000_000 }, ids: { seed: 1 } }) as unknown as ServiceContext;

describe('the shared SQL engine across emulator resets', () => {
  it('catalog resets pending from back-to-back resets run one after the other, and each use sees a clean catalog', async () => {
    const key = `/tmp/engine-holder-test-${process.pid}-a`;
    const first = new SqlEngineHandle(contextFor(key, 'start'));
    const engine = await first.get();
    try {
      await engine.catalog.createCatalog('scratch', 'me', {});
      const uses: Promise<unknown>[] = [];
      for (let i = 0; i < 4; i++) {
        const handle = new SqlEngineHandle(contextFor(key, 'reset'));
        uses.push(handle.get());
        await Promise.resolve(); // let this use start its reset before the next emulator reset
        await Promise.resolve();
      }
      await expect(Promise.all(uses)).resolves.toHaveLength(4);
      expect(await engine.catalog.catalogNames()).not.toContain('scratch');
      expect(await engine.catalog.catalogNames()).toContain('main');
    } finally {
      await first.close();
    }
  });

  it('close waits for a catalog reset that is running', async () => {
    const key = `/tmp/engine-holder-test-${process.pid}-b`;
    const first = new SqlEngineHandle(contextFor(key, 'start'));
    const engine = await first.get();
    await engine.catalog.createCatalog('scratch', 'me', {});
    const handle = new SqlEngineHandle(contextFor(key, 'reset'));
    const use = handle.get();
    await Promise.resolve();
    await Promise.resolve();
    await handle.close();
    await expect(use).resolves.toBe(engine);
  });
});
