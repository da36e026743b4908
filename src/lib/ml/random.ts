/**
 * A small seeded PRNG so that splits, bootstraps and searches are reproducible across runs
 * and between the main thread and workers (Math.random cannot be seeded).
 */

/** Seeded pseudo-random generator (mulberry32: 32-bit state, fast, good enough for ML sampling). */
export class Rng {
  private state: number;

  /** Creates a generator from an integer seed. */
  constructor(seed = 0) {
    // Mix the seed once so that seeds 0, 1, 2… do not start with correlated outputs.
    this.state = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** Next uniform float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [lo, hi) (or [0, lo) when called with one argument). */
  randint(lo: number, hi?: number): number {
    if (hi === undefined) return Math.floor(this.next() * lo);
    return lo + Math.floor(this.next() * (hi - lo));
  }

  /** Standard normal draw (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** `k` distinct integers from [0, n) without replacement, in random order. */
  sample(n: number, k: number): Int32Array {
    if (k > n) throw new Error(`sample: cannot draw ${k} of ${n} without replacement`);
    const out = new Int32Array(k);
    if (k * 4 < n) {
      // Sparse case: rejection with a set avoids allocating n slots.
      const seen = new Set<number>();
      let m = 0;
      while (m < k) {
        const v = this.randint(n);
        if (!seen.has(v)) {
          seen.add(v);
          out[m++] = v;
        }
      }
      return out;
    }
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    // Partial Fisher–Yates: only the first k positions are needed.
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.next() * (n - i));
      const t = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = t;
      out[i] = pool[i]!;
    }
    return out;
  }

  /** `n` integers drawn from [0, n) with replacement (a bootstrap sample). */
  bootstrap(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * n);
    return out;
  }

  /** A derived generator with its own stream, e.g. one per tree or fold. */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 4294967296) | 0);
  }
}
