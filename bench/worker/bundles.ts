/** Workflow bundles built once per benchmark run (webpack is slow) and handed to every worker child by path. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../src/worker/create-worker.js';
import type { Cleanup } from '../lib/cleanup.js';

export type BundleKind = 'etl' | 'noop';

const NOOP_WORKFLOWS = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** What each kind of bench worker bundles (the product's options for etl). */
export const BUNDLE_SOURCES: Record<BundleKind, { workflowsPath: string; preloadModules?: string[] }> = {
  etl: WORKFLOW_BUNDLE_OPTIONS,
  // Preloaded like the product's modules (WORKFLOW_BUNDLE_OPTIONS), so the ceiling does not pay a per-workflow evaluation the pipeline no longer pays.
  noop: { workflowsPath: NOOP_WORKFLOWS, preloadModules: [NOOP_WORKFLOWS] },
};

export class Bundles {
  private dir?: string;
  private readonly built = new Map<BundleKind, Promise<string>>();

  constructor(private readonly cleanup: Cleanup) {}

  /** Path of the bundle's code file. */
  path(kind: BundleKind): Promise<string> {
    let p = this.built.get(kind);
    if (!p) {
      p = (async () => {
        if (!this.dir) {
          const dir = mkdtempSync(join(tmpdir(), 'durabricks-bench-'));
          this.dir = dir;
          this.cleanup.push('bundle dir', async () => rmSync(dir, { recursive: true, force: true }));
        }
        const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
        const { code } = await bundleWorkflowCode({ ...BUNDLE_SOURCES[kind], logger: silent });
        const file = join(this.dir, `${kind}.js`);
        writeFileSync(file, code);
        return file;
      })();
      this.built.set(kind, p);
    }
    return p;
  }
}
