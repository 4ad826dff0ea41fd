import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * --data-dir persistence: the whole state snapshot as one JSON file, written atomically
 * (temp + rename) shortly after changes and on close, read back at start.
 */
export class StatePersistence {
  private timer: NodeJS.Timeout | undefined;
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly snapshot: () => unknown,
    private readonly onError: (err: unknown) => void,
    private readonly debounceMs = 200,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'emulator-state.json');
  }

  load(): unknown {
    if (!existsSync(this.file)) return undefined;
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
    } catch (err) {
      throw new Error(`Cannot read the emulator state in ${this.file} (${err instanceof Error ? err.message : String(err)}); move the file away to start with a fresh workspace.`);
    }
  }

  markDirty(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.snapshot()));
      renameSync(tmp, this.file);
    } catch (err) {
      this.onError(err);
    }
  }
}
