/**
 * The masked variant with a known number m of occluded dimensions (claim 5): the occluded set S
 * is uniform over the m-subsets of {1..d}; x_i ~ U[low, high] for i ∈ S, x_i = ξ_i + σ z_i
 * otherwise. (src/variants/masked.ts occludes each dimension independently, so the count is
 * Binomial(d, ρ); this fixed-m form is the one the claim is about.)
 *
 *   p(x | ξ) = C(d, m)⁻¹ Σ_{|S| = m} Π_{i∈S} u(x_i) Π_{i∉S} N(x_i; ξ_i, σ²),  u = 1[low ≤ · ≤ high]/(high − low),
 *
 * summed by dynamic programming over the dimensions (elementary symmetric polynomial), in log
 * space for float64 and with 64-digit BigNumbers for the exact check.
 */
import { big, bigMath, type Big as BigNumber } from '../../src/numeric/bignum.ts';
import type { Rng } from '../../src/random/rng.ts';
import { logChoose } from './theory-stats.ts';

export interface FixedMask {
  m: number;
  sigma: number;
  low: number;
  high: number;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function lae(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const top = Math.max(a, b);
  return top + Math.log1p(Math.exp(-Math.abs(a - b)));
}

export function fixedMaskLogLik(v: FixedMask, x: readonly number[], xi: readonly number[]): number {
  const d = x.length;
  let e = new Array<number>(v.m + 1).fill(-Infinity);
  e[0] = 0;
  const logU = -Math.log(v.high - v.low);
  for (let i = 0; i < d; i++) {
    const z = (x[i] - xi[i]) / v.sigma;
    const logG = -0.5 * z * z - Math.log(v.sigma) - HALF_LOG_2PI;
    const inside = x[i] >= v.low && x[i] <= v.high;
    const next = new Array<number>(v.m + 1).fill(-Infinity);
    for (let k = 0; k <= v.m; k++) {
      next[k] = e[k] + logG;
      if (k > 0 && inside) next[k] = lae(next[k], e[k - 1] + logU);
    }
    e = next;
  }
  return e[v.m] - logChoose(d, v.m);
}


/** p(x | ξ) in 64-digit arithmetic (no logs until the end), returned as log p. */
export function fixedMaskLogLikExact(v: FixedMask, x: readonly number[], xi: readonly number[]): BigNumber {
  const d = x.length;
  const zero = big(0);
  const norm = big(v.sigma).times(bigMath().sqrt(bigMath().multiply(big(2), bigMath().pi) as BigNumber) as BigNumber);
  const u = big(1).div(big(v.high).minus(big(v.low)));
  let e: BigNumber[] = Array.from({ length: v.m + 1 }, (_, k) => (k === 0 ? big(1) : zero));
  for (let i = 0; i < d; i++) {
    const z = big(x[i]).minus(big(xi[i])).div(big(v.sigma));
    const g = z.pow(2).div(-2).exp().div(norm);
    const inside = x[i] >= v.low && x[i] <= v.high;
    e = e.map((ek, k) => ek.times(g).plus(k > 0 && inside ? e[k - 1].times(u) : zero));
  }
  let choose = big(1);
  for (let k = 0; k < v.m; k++) choose = choose.times(d - k).div(k + 1);
  return e[v.m].div(choose).ln();
}

/** Draws x given ξ: m distinct occluded dimensions, uniform. */
export function sampleFixedMask(v: FixedMask, xi: readonly number[], rng: Rng): number[] {
  const d = xi.length;
  const idx = Array.from({ length: d }, (_, i) => i);
  for (let i = 0; i < v.m; i++) {
    const j = i + rng.int(d - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const occluded = new Set(idx.slice(0, v.m));
  return xi.map((mu, i) => (occluded.has(i) ? v.low + (v.high - v.low) * rng.uniform() : mu + v.sigma * rng.normal()));
}
