/**
 * Instance generators for the theory properties: memory sets, variant specs (as fast-check
 * arbitraries with small, readable values so that shrunk counterexamples are short), sampled
 * query sets, and the rules compared on them.
 */
import fc from 'fast-check';
import { posterior } from '../../src/bayes/posterior.ts';
import { createRng, type Rng } from '../../src/random/rng.ts';
import { variantFromSpec } from '../../src/variants/spec.ts';
import type { Variant, VariantSpec } from '../../src/variants/variant.ts';
import type { Rule } from './theory-similarities.ts';

/** N memories of dimension d with i.i.d. N(0, scale²) entries. */
export function gaussianMemories(n: number, d: number, rng: Rng, scale = 1): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => scale * rng.normal()));
}

/** A value k/10 for an integer k in [lo, hi]: short decimals shrink to readable counterexamples. */
export const tenths = (lo: number, hi: number): fc.Arbitrary<number> => fc.integer({ min: lo, max: hi }).map((k) => k / 10);

const vec = (d: number, a: fc.Arbitrary<number>) => fc.array(a, { minLength: d, maxLength: d });

export const noisySpec = (d: number): fc.Arbitrary<VariantSpec> =>
  vec(d, tenths(2, 20)).map((sigma) => ({ type: 'noisy', sigma }));

export const maskedSpec = (): fc.Arbitrary<VariantSpec> =>
  fc.record({ rho: tenths(1, 6), sigma: tenths(1, 8) }).map(({ rho, sigma }) => ({ type: 'masked', rho, sigma, low: -3, high: 3 }));

export const biasedSpec = (d: number): fc.Arbitrary<VariantSpec> =>
  fc.record({ bias: vec(d, tenths(-15, 15)), sigma: tenths(2, 12) }).map(({ bias, sigma }) => ({ type: 'biased', bias, sigma }));

export const composedSpec = (d: number): fc.Arbitrary<VariantSpec> =>
  fc
    .record({ rho: tenths(1, 5), sigma: vec(d, tenths(1, 10)), bias: vec(d, tenths(-10, 10)) })
    .map(({ rho, sigma, bias }) => ({ type: 'composed', rho, sigma, bias, low: -3, high: 3 }));

export const mixedSpec = (d: number): fc.Arbitrary<VariantSpec> =>
  fc
    .record({ a: fc.oneof(noisySpec(d), maskedSpec()), b: fc.oneof(biasedSpec(d), maskedSpec()), w: tenths(1, 9) })
    .map(({ a, b, w }) => ({ type: 'mixed', components: [{ weight: w, variant: a }, { weight: 1 - w, variant: b }] }));

/** Any of the five families of docs/conformance.md, for dimension d. */
export const variantSpec = (d: number): fc.Arbitrary<VariantSpec> =>
  fc.oneof(noisySpec(d), maskedSpec(), biasedSpec(d), composedSpec(d), mixedSpec(d));

/** A mixed spec's weights must sum to 1 within 1e-9; k/10 + (1 − k/10) does. */
export function variantOf(spec: VariantSpec): Variant {
  return variantFromSpec(spec);
}

export interface Sampled {
  queries: number[][];
  targets: number[];
}

/** M queries: the source k ~ prior (uniform when absent), then x ~ p_V(· | ξ_k). */
export function sampleQueries(
  memories: readonly (readonly number[])[],
  variant: Variant,
  m: number,
  rng: Rng,
  prior?: readonly number[],
): Sampled {
  const targets = Array.from({ length: m }, () => (prior === undefined ? rng.int(memories.length) : rng.categorical(prior)));
  return { queries: targets.map((k) => variant.sample(memories[k], rng)), targets };
}

/** Which queries a rule retrieves correctly. */
export function correctness(rule: Rule, memories: readonly (readonly number[])[], s: Sampled): boolean[] {
  return s.queries.map((x, i) => rule(memories, x) === s.targets[i]);
}

/** The Bayes rule argmax_k p(ξ_k | x) of src/bayes/posterior.ts for a variant and prior. */
export function bayesRule(variant: Variant, prior?: readonly number[]): Rule {
  return (memories, x) => posterior(variant, memories, x, prior).argmax;
}

/** A seeded stream for a generated instance. */
export function rngFor(seed: number): Rng {
  return createRng(seed);
}

/** Solves A z = r by Gaussian elimination with partial pivoting (small dense systems). */
export function solve(a: readonly (readonly number[])[], r: readonly number[]): number[] {
  const n = a.length;
  const m = a.map((row, i) => [...row, r[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(m[i][c]) > Math.abs(m[p][c])) p = i;
    [m[c], m[p]] = [m[p], m[c]];
    for (let i = c + 1; i < n; i++) {
      const f = m[i][c] / m[c][c];
      for (let j = c; j <= n; j++) m[i][j] -= f * m[c][j];
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i][n];
    for (let j = i + 1; j < n; j++) s -= m[i][j] * z[j];
    z[i] = s / m[i][i];
  }
  return z;
}

/**
 * The bias b that makes the dot product the Bayes-optimal similarity of the biased variant:
 * ξ_kᵀb = −‖ξ_k‖²/2 for every k (least-norm solution b = Ξᵀ(ΞΞᵀ)⁻¹r, needs N ≤ d and Ξ of full
 * rank). Then log p(x | ξ_k) = ξ_kᵀx / σ² + (terms without k).
 */
export function dotOptimalBias(memories: readonly (readonly number[])[]): number[] {
  return leastNormSolution(memories, memories.map((m) => -m.reduce((s, v) => s + v * v, 0) / 2));
}

/** The least-norm b with ξ_kᵀb = r_k for every k: b = Ξᵀ(ΞΞᵀ)⁻¹r (N ≤ d, Ξ of full rank). */
export function leastNormSolution(memories: readonly (readonly number[])[], r: readonly number[]): number[] {
  const gram = memories.map((a) => memories.map((b) => a.reduce((s, v, i) => s + v * b[i], 0)));
  const z = solve(gram, r);
  return memories[0].map((_, i) => memories.reduce((s, m, k) => s + z[k] * m[i], 0));
}

/** The coordinate reversal π(x)_i = x_{d−1−i}, an involution. */
export const reverse = (v: readonly number[]): number[] => [...v].reverse();

/**
 * The best π-equivariant rule on the pair {ξ, πξ} (π an involution, uniform prior): choose ξ
 * iff p(x | ξ) + p(πx | πξ) ≥ p(πx | ξ) + p(x | πξ). Every rule h with h(πx) = swap(h(x)) has
 * accuracy ½∫_R [p(x | ξ) + p(πx | πξ)] dx over its region R for ξ, which this rule maximises
 * pointwise over each orbit {x, πx} (docs/theory.md §4).
 */
export function symmetrisedBayes(variant: Variant, pi: (v: readonly number[]) => number[]): Rule {
  const lae = (u: number, w: number) => (u === -Infinity && w === -Infinity ? -Infinity : Math.max(u, w) + Math.log1p(Math.exp(-Math.abs(u - w))));
  return (memories, x) => {
    const [a, b] = memories;
    const px = pi(x);
    return lae(variant.logLikelihood(x, a), variant.logLikelihood(px, b)) >= lae(variant.logLikelihood(px, a), variant.logLikelihood(x, b)) ? 0 : 1;
  };
}
