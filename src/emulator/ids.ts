/**
 * Deterministic ids: every id the emulator mints comes from one seeded PRNG (splitmix32), so a
 * given `--seed` and the same request sequence yield the same ids. Its state is persisted.
 */
export class IdGenerator {
  private state: number;
  private readonly used = new Set<string>();

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  next32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Float in [0, 1). */
  random(): number {
    return this.next32() / 0x1_0000_0000;
  }

  /** A unique positive integer with exactly `digits` digits (≤ 15 so it stays a safe JSON number), like job_id/run_id. */
  numeric(digits = 15): number {
    for (;;) {
      let s = String(1 + (this.next32() % 9));
      while (s.length < digits) s += String(this.next32() % 10);
      if (this.claim(`n${s}`)) return Number(s);
    }
  }

  hex(length: number): string {
    let s = '';
    while (s.length < length) s += this.next32().toString(16).padStart(8, '0');
    return s.slice(0, length);
  }

  /** Lowercase letters and digits, as in the suffix of a cluster id. */
  alnum(length: number): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[this.next32() % alphabet.length];
    return s;
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Records an id as taken; false if it already was (callers retry). */
  claim(id: string): boolean {
    if (this.used.has(id)) return false;
    this.used.add(id);
    return true;
  }

  snapshot(): { seed: number; state: number; used: string[] } {
    return { seed: this.seed, state: this.state, used: [...this.used] };
  }

  restore(s: { state: number; used: string[] }): void {
    this.state = s.state >>> 0;
    this.used.clear();
    for (const id of s.used) this.used.add(id);
  }
}
