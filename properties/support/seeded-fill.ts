/**
 * Deterministic pseudo-random numbers for the batched kernels' tests: a 32-bit LCG, kept apart from
 * the seeded rng module so that the kernel tests do not depend on it.
 */

/** Uniform numbers in [0, 1), the same sequence for the same seed. */
export function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `len` numbers uniform in [−scale, scale). */
export function filled(len: number, seed: number, scale = 1): Float64Array {
  const r = uniform(seed);
  return Float64Array.from({ length: len }, () => (r() - 0.5) * 2 * scale);
}
