import { notFound } from '../../http/errors.js';

export interface GlobalInitScript {
  script_id: string;
  name: string;
  /** Base64, as sent (already checked to decode). */
  script: string;
  enabled: boolean;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
}

/**
 * The workspace's global init scripts in run order: a script's `position` is its index, so positions
 * are always 0..n-1. Placing one at a taken position shifts that one and every later one down by one;
 * a position past the end (or none) means last (Python SDK docstrings of create and update). Removing
 * one closes the gap (implied by positions always being 0..n-1; unverified).
 */
export class ScriptStore {
  private order: GlobalInitScript[] = [];

  all(): readonly GlobalInitScript[] {
    return this.order;
  }

  positionOf(s: GlobalInitScript): number {
    return this.order.indexOf(s);
  }

  find(id: string): GlobalInitScript {
    const s = this.order.find((x) => x.script_id === id);
    // Wording after a Terraform provider test fixture (which has "unit" for "init"); unverified.
    if (!s) throw notFound(`The global init script with ID ${id} does not exist.`);
    return s;
  }

  /** Puts `s` at `position` (last when undefined or beyond the end), taking it out of its old place first. */
  place(s: GlobalInitScript, position: number | undefined): void {
    const rest = this.order.filter((x) => x !== s);
    const at = position === undefined ? rest.length : Math.min(position, rest.length);
    this.order = [...rest.slice(0, at), s, ...rest.slice(at)];
  }

  remove(s: GlobalInitScript): void {
    this.order = this.order.filter((x) => x !== s);
  }
}
