/**
 * Small seeded PRNG (mulberry32) so that k-means++, restarts and isolation forests are
 * reproducible across runs and browsers. Not cryptographic; 32-bit state is plenty here.
 */

/** A source of uniform doubles in [0, 1). */
export type Rng = () => number;

/** Creates a mulberry32 generator from an integer seed (same seed → same sequence). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Derives an independent seed for the i-th sub-task (restart, tree) from a base seed. */
export function deriveSeed(seed: number, i: number): number {
  // One mulberry32 draw per (seed, i) pair spreads nearby seeds far apart.
  return Math.floor(createRng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0)() * 4294967296);
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T>(arr: T[] | Int32Array, rng: Rng): void {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    const t = arr[i]!;
    arr[i] = arr[j]!;
    arr[j] = t;
  }
}
