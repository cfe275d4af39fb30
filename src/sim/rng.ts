/**
 * The simulator's only source of randomness: a seeded sfc32 generator. Every random choice in the
 * simulated cluster (UIDs, names, latencies, jitter) comes from here, so one seed gives one cluster.
 * Math.random and Date.now are never used by the simulator.
 */

/** Characters Kubernetes uses for generated name suffixes (apimachinery's rand.String). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const HEX = '0123456789abcdef';
/** Two hex digits per byte value (UIDs and container IDs are on the hot path). */
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads a small seed over the four words of state.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Exponentially distributed value with the given mean (inter-arrival times). */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** A log-normal-ish latency around `median`, with a long tail. */
  latency(median: number): number {
    const g = (this.next() + this.next() + this.next() - 1.5) * 1.4;
    return median * Math.exp(g);
  }

  hex(n: number): string {
    let s = '';
    while (s.length < n) {
      const x = this.u32();
      s += BYTE_HEX[x >>> 24]! + BYTE_HEX[(x >>> 16) & 255]! + BYTE_HEX[(x >>> 8) & 255]! + BYTE_HEX[x & 255]!;
    }
    return s.length === n ? s : s.slice(0, n);
  }

  /** A version-4-shaped UUID, as the apiserver assigns to metadata.uid. */
  uuid(): string {
    const h = this.hex(32);
    const variant = HEX[8 + (this.u32() & 3)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A generated-name suffix (`web-6c8b449b8f-x7k2p` has "x7k2p"). */
  nameSuffix(n = 5): string {
    let s = '';
    for (let i = 0; i < n; i++) s += NAME_ALPHABET[this.int(NAME_ALPHABET.length)];
    return s;
  }

  /** A pod-template-hash, as the deployment controller derives it (safe-encoded, 8 to 10 characters). */
  templateHash(): string {
    return this.nameSuffix(this.chance(0.8) ? 10 : 9);
  }
}
