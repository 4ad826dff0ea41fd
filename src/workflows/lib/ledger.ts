/**
 * What a workflow created or started on Databricks, recorded before and after each creation so that
 * cleanup, the progress query and the final result all read one list. Intent is recorded before the
 * call: if the worker dies mid-call, the replayed workflow still knows the resource may exist.
 */
export type ResourceKind = 'cluster' | 'cluster_policy' | 'run' | 'warehouse' | 'secret_scope' | 'secret' | 'instance_pool' | 'libraries' | 'job' | 'catalog' | 'schema' | 'volume' | 'workspace_file' | 'statement' | 'grant' | 'group' | 'git_credential' | 'repo' | 'folder' | 'storage_credential' | 'external_location' | 'connection';

export interface LedgerEntry {
  kind: ResourceKind;
  /** Human name, e.g. the cluster name; ids come later. */
  name: string;
  id?: string;
  /** `intended` = call made, outcome unknown; `created` = id known; `cleaned` = compensation done. */
  status: 'intended' | 'created' | 'cleaned' | 'kept';
  /** What the cleanup did ("terminated", "cancelled", "deleted") or why it was kept. */
  note?: string;
}

export class ResourceLedger {
  private readonly list: LedgerEntry[] = [];

  intend(kind: ResourceKind, name: string): LedgerEntry {
    const entry: LedgerEntry = { kind, name, status: 'intended' };
    this.list.push(entry);
    return entry;
  }

  /** The id is known (again, with `note`, for a resource that came back into use, e.g. a repaired run). */
  created(entry: LedgerEntry, id: string, note?: string): LedgerEntry {
    entry.id = id;
    entry.status = 'created';
    if (note !== undefined) entry.note = note;
    return entry;
  }

  /** Records an already existing resource this workflow uses (it is not ours to delete). */
  adopt(kind: ResourceKind, name: string, id: string): LedgerEntry {
    const entry: LedgerEntry = { kind, name, id, status: 'created', note: 'existing' };
    this.list.push(entry);
    return entry;
  }

  cleaned(entry: LedgerEntry, note: string): void {
    entry.status = 'cleaned';
    entry.note = note;
  }

  kept(entry: LedgerEntry, note: string): void {
    entry.status = 'kept';
    entry.note = note;
  }

  entries(): readonly LedgerEntry[] {
    return this.list;
  }

  /** Copies for queries and results (callers must not mutate the live entries). */
  snapshot(): LedgerEntry[] {
    return this.list.map((e) => ({ ...e }));
  }
}
