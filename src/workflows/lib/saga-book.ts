/**
 * The provisioning saga's bookkeeping for each create: intent in the ledger before the call, the call
 * shielded from cancellation (so the id is always known), then the undo pushed onto the compensation
 * stack — or, for an object the saga adopted rather than made, a ledger note that it is kept. No Node
 * imports: bundled into the workflow sandbox.
 */
import { FailureType, isFailureType } from '../../common/activity-policies.js';
import type { CompensationStack } from './compensation.js';
import type { ResourceKind, ResourceLedger } from './ledger.js';

const KEPT = 'already existed: adopted, not ours to delete';

export class SagaBook {
  constructor(
    readonly ledger: ResourceLedger,
    readonly undo: CompensationStack,
  ) {}

  /**
   * Records intent, creates without interruption, then pushes the undo, unless `notOurs` says the
   * create adopted an object it cannot prove it made (kept, never deleted).
   */
  async created<T>(kind: ResourceKind, name: string, make: () => Promise<T>, idOf: (r: T) => string, remove?: (id: string) => Promise<unknown>, notOurs?: (r: T) => boolean): Promise<T> {
    const entry = this.ledger.intend(kind, name);
    const r = await this.undo.shielded(make);
    const id = idOf(r);
    this.ledger.created(entry, id);
    if (notOurs?.(r)) this.ledger.kept(entry, KEPT);
    else if (remove) {
      this.undo.push(`delete ${kind} ${id}`, async () => {
        await remove(id);
        this.ledger.cleaned(entry, `deleted ${kind} ${id}`);
        return `deleted ${kind} ${id}`;
      });
    }
    return r;
  }

  /**
   * Name-keyed objects (scope, catalog, schema, Git credential, repo, storage): one that already exists
   * (the create's conflict) is adopted, never deleted. `idOf` reads the created object's id (default: the
   * name); `existing` finds the id of the one that was there, and may refuse it (a repo of another remote).
   */
  async createdByName<T>(kind: ResourceKind, name: string, make: () => Promise<T>, remove: (id: string) => Promise<unknown>, idOf: (r: T) => string = () => name, existing: () => Promise<string> = async () => name): Promise<string> {
    try {
      return idOf(await this.created(kind, name, make, idOf, remove));
    } catch (err) {
      if (!isFailureType(err, FailureType.Conflict)) throw err;
      const entry = this.ledger.entries().find((e) => e.kind === kind && e.name === name && e.status === 'intended');
      const id = await existing();
      if (entry) {
        this.ledger.created(entry, id);
        this.ledger.kept(entry, KEPT);
      }
      return id;
    }
  }
}
