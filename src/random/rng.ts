/**
 * Seeded randomness: one xoroshiro128+ stream (pure-rand) per seed, so the same seed gives the
 * same samples on every run and machine.
 *
 * Seeding follows the xoroshiro authors' recommendation (Blackman & Vigna, https://prng.di.unimi.it/:
 * "we suggest to use a SplitMix64 to initialize the state of our generators starting from a
 * 64-bit seed"): the user's seed s — any safe integer, negative too — is read as a 64-bit
 * two's-complement word, and the 128-bit state is the first two outputs of splitmix64 started
 * at s. pure-rand's own `xoroshiro128plus(seed)` keeps only the low 32 bits of the seed and puts
 * them in the state almost unmixed, so small seeds start from nearly-zero states (a first uniform
 * within 2e-4 of 1) and seeds equal mod 2^32 give the same stream; the mixer removes both.
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
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

const MASK64 = (1n << 64n) - 1n;

/**
 * One step of splitmix64 (Steele, Lea & Flood 2014; reference C at https://prng.di.unimi.it/splitmix64.c):
 *   x ← x + 0x9e3779b97f4a7c15,  z ← (z ⊕ z≫30)·0xbf58476d1ce4e5b9,  z ← (z ⊕ z≫27)·0x94d049bb133111eb,  out = z ⊕ z≫31
 * (all mod 2^64). Returns the next state and the output.
 * @example
 * ```ts
 * import { splitmix64 } from 'ahop';
 * // the first output of the reference C code from state 0
 * if (splitmix64(0n).out !== 0xe220a8397b1dcdafn) throw new Error('splitmix64(0)');
 * ```
 */
export function splitmix64(x: bigint): { state: bigint; out: bigint } {
  const state = (x + 0x9e3779b97f4a7c15n) & MASK64;
  let z = state;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return { state, out: z ^ (z >> 31n) };
}

/**
 * The xoroshiro128+ state for a seed: s0, s1 = the first two splitmix64 outputs from the seed's
 * 64-bit two's-complement word, as pure-rand's four signed 32-bit halves [hi s0, lo s0, hi s1, lo s1].
 * @example
 * ```ts
 * import { seedState, splitmix64 } from 'ahop';
 * const s0 = splitmix64(0n);
 * const hi = Number(BigInt.asIntN(32, s0.out >> 32n));
 * const state = seedState(0);
 * if (state.length !== 4 || state[0] !== hi) throw new Error('the first half is the high word of splitmix64(0)');
 * ```
 */
export function seedState(seed: number): [number, number, number, number] {
  if (!Number.isSafeInteger(seed)) throw new DomainError(`seed must be a safe integer, got ${seed}`);
  const a = splitmix64(BigInt.asUintN(64, BigInt(seed)));
  const b = splitmix64(a.state);
  const half = (v: bigint, shift: bigint) => Number(BigInt.asIntN(32, v >> shift));
  return [half(a.out, 32n), half(a.out, 0n), half(b.out, 32n), half(b.out, 0n)];
}

/**
 * A seeded stream: u ~ U[0, 1) from one xoroshiro128+ generator started from seedState(seed) (the
 * seed scrambled by splitmix64), z = √(−2 ln(1 − u₁)) · cos(2π u₂) (Box–Muller) for `normal()`. The
 * same seed gives the same draws on every run and machine.
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
  const gen = xoroshiro128plusFromState(seedState(seed));
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
