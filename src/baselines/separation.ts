/**
 * Separation functions of the Universal Hopfield framework (Millidge et al., 2022): they turn a
 * vector of similarity scores s (one per memory) into weights p on the simplex, Σ_k p_k = 1.
 * Sparsemax, the fourth separation, lives in sparsemax.ts.
 *
 * Infinite scores are allowed and handled by their limit, so every separation stays finite:
 * when some s_k = +∞ (the reciprocal similarity of an exact match, or β·s overflowing), the weight
 * goes uniformly to those k; −∞ entries get weight 0. A NaN score has no limit and is a DomainError.
 */
import { DomainError } from '../errors.ts';
import { softmax } from '../numeric/logsumexp.ts';

export type Separation = 'softmax' | 'hardmax' | 'polynomial';

export const SEPARATIONS: readonly Separation[] = ['softmax', 'hardmax', 'polynomial'];

/** Rejects NaN scores (which no separation can order); ±∞ are legal. */
export function checkScores(s: ArrayLike<number>): void {
  for (let k = 0; k < s.length; k++) {
    if (Number.isNaN(s[k])) throw new DomainError(`score ${k} is NaN (inputs too large for float64?)`);
  }
}

/** Uniform weights over the indices k where `pick(k)` holds; the caller guarantees at least one. */
function uniformOver(n: number, pick: (k: number) => boolean): number[] {
  const chosen = Array.from({ length: n }, (_, k) => pick(k));
  const count = chosen.filter(Boolean).length;
  return chosen.map((c) => (c ? 1 / count : 0));
}

/**
 * The limit of any separation when some scores are +∞: p_k = 1/|{j : s_j = +∞}| on those entries,
 * 0 elsewhere. Returns undefined when no score is +∞. When every score is −∞ (no evidence for any
 * memory) the weights are uniform.
 */
export function infiniteLimit(s: ArrayLike<number>): number[] | undefined {
  checkScores(s);
  const n = s.length;
  let anyPosInf = false;
  let allNegInf = true;
  for (let k = 0; k < n; k++) {
    if (s[k] === Infinity) anyPosInf = true;
    if (s[k] !== -Infinity) allNegInf = false;
  }
  if (anyPosInf) return uniformOver(n, (k) => s[k] === Infinity);
  if (allNegInf) return uniformOver(n, () => true);
  return undefined;
}

/**
 * Softmax separation with inverse temperature β:
 *   p_k = exp(β s_k − m) / Σ_j exp(β s_j − m),  m = max_j β s_j,
 * the max-shifted form of numeric/logsumexp.ts, finite for scores of any magnitude.
 */
export function softmaxSeparation(s: ArrayLike<number>, beta: number): number[] {
  const z = Array.from(s, (v) => beta * v);
  return infiniteLimit(z) ?? softmax(z);
}

/**
 * Hard-max separation: p = uniform over the maximal scores,
 *   p_k = 1[s_k = max_j s_j] / |{k : s_k = max_j s_j}|.
 * Tie rule: equality is exact float64 equality, and tied maxima share the mass equally, so the
 * readout is the mean of the tied memories and the result does not depend on memory order
 * (lowest-index tie-breaking would). With a unique maximum p is the one-hot vector e_argmax.
 */
export function hardMax(s: ArrayLike<number>): number[] {
  const lim = infiniteLimit(s);
  if (lim !== undefined) return lim;
  let m = -Infinity;
  for (let k = 0; k < s.length; k++) if (s[k] > m) m = s[k];
  return uniformOver(s.length, (k) => s[k] === m);
}

/**
 * Polynomial separation of degree n:
 *   p_k = (s_k − c)^n / Σ_j (s_j − c)^n,  c = min(0, min_j s_j).
 * For nonnegative similarities (the reciprocal distances) c = 0 and this is Millidge et al.'s
 * p_k ∝ s_k^n; signed or negative similarities (dot, negative distances) are first shifted so the
 * least similar memory sits at 0, because an odd power of a negative score is not a weight and an
 * even one would reward distance. When every s_k − c = 0 the weights are uniform.
 * Computed as ((s_k − c)/(max_j s_j − c))^n, so no power overflows; the halving keeps s_k − c
 * finite for scores near ±1.8e308.
 */
export function polynomialSeparation(s: ArrayLike<number>, degree: number): number[] {
  const lim = infiniteLimit(s);
  if (lim !== undefined) return lim;
  const finite = Array.from(s, (v) => (v === -Infinity ? NaN : v));
  let lo = 0;
  let hi = -Infinity;
  for (const v of finite) {
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const top = hi / 2 - lo / 2;
  if (!(top > 0)) return uniformOver(finite.length, (k) => !Number.isNaN(finite[k]));
  const r = finite.map((v) => (Number.isNaN(v) ? 0 : ((v / 2 - lo / 2) / top) ** degree));
  const z = r.reduce((a, b) => a + b, 0);
  return r.map((v) => v / z);
}

/** Checks a polynomial degree: an integer n ≥ 1. */
export function checkDegree(degree: unknown): number {
  if (typeof degree !== 'number' || !Number.isInteger(degree) || degree < 1) {
    throw new DomainError(`degree must be an integer >= 1, got ${String(degree)}`);
  }
  return degree;
}
