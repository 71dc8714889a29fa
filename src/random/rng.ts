/**
 * Seeded randomness: one xoroshiro128+ stream (pure-rand) per seed, so the same seed gives the
 * same samples on every run and machine.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { DomainError } from '../errors.ts';

export interface Rng {
  /** u ~ U[0, 1), 53 random bits. */
  uniform(): number;
  /** z ~ N(0, 1) (Box–Muller). */
  normal(): number;
  /** An integer uniform in [0, n). */
  int(n: number): number;
  /** An index k drawn with probability weights[k] / Σ weights. */
  categorical(weights: readonly number[]): number;
}

/**
 * A seeded stream: u ~ U[0, 1) from one xoroshiro128+ generator per seed, z = √(−2 ln(1 − u₁)) · cos(2π u₂)
 * (Box–Muller) for `normal()`. The same seed gives the same draws on every run and machine.
 * @example
 * ```ts
 * import { createRng } from 'ahop';
 * const a = createRng(7);
 * const b = createRng(7);
 * const u = a.uniform();
 * if (u !== b.uniform() || !(u >= 0 && u < 1)) throw new Error('the same seed gives the same draw in [0, 1)');
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new DomainError(`seed must be a safe integer, got ${seed}`);
  const gen = xoroshiro128plus(seed);
  const uniform = (): number => uniformFloat64(gen);
  return {
    uniform,
    normal() {
      // 1 - u lies in (0, 1], so the log is finite.
      const r = Math.sqrt(-2 * Math.log(1 - uniform()));
      return r * Math.cos(2 * Math.PI * uniform());
    },
    int(n) {
      return Math.min(n - 1, Math.floor(uniform() * n));
    },
    categorical(weights) {
      const total = weights.reduce((a, b) => a + b, 0);
      let u = uniform() * total;
      for (let k = 0; k < weights.length; k++) {
        u -= weights[k];
        if (u < 0) return k;
      }
      // Rounding can leave u ≥ 0 after the loop: return the last index with positive weight.
      for (let k = weights.length - 1; k >= 0; k--) if (weights[k] > 0) return k;
      return weights.length - 1;
    },
  };
}
