/**
 * A second, independent computation of every conformance output in 64-digit decimal arithmetic
 * (mathjs BigNumber): the exporter keeps a case only when float64 and this agree, and writes
 * these values rounded to the nearest double. Tests also use it as an exact check of the
 * float64 footprint, softmax and lse.
 */
import type { AhopParams } from '../similarity/adaptive.ts';
import type { Base } from '../similarity/base.ts';
import type { VariantSpec } from '../variants/variant.ts';
import { valueAt } from '../variants/per-dimension.ts';

import { big, bigMath, one, sum, zero, type Big } from '../numeric/bignum.ts';

let halfLog2PiValue: Big | undefined;
/** ½·log 2π in 64 digits, computed on first use (mathjs loads lazily). */
const halfLog2Pi = (): Big => (halfLog2PiValue ??= big(2).times(bigMath().pi as unknown as Big).ln().div(2));


/**
 * log-softmax in 64 digits, shifted by the maximum first: 64 significant digits of lse itself would
 * lose the absolute precision of s_k − lse when |s| is large (1e249 has 250 integer digits).
 */
export function logSoftmaxExact(v: readonly Big[]): Big[] {
  const m = v.reduce((a, b) => (b.gt(a) ? b : a));
  const shifted = v.map((x) => x.minus(m));
  const z = sum(shifted.map((x) => x.exp())).ln();
  return shifted.map((x) => x.minus(z));
}

/** lse in 64 digits (callers pass finite values). */
export function lseExact(v: readonly Big[]): Big {
  const m = v.reduce((a, b) => (b.gt(a) ? b : a));
  return m.plus(sum(v.map((x) => x.minus(m).exp())).ln());
}

export function baseExact(base: Base, xi: readonly number[], x: readonly number[]): Big[] {
  return xi.map((m, i) => (base === 'dis' ? big(m).minus(big(x[i])).pow(2).neg() : big(m).times(big(x[i]))));
}

export function footprintExact(base: Base, xi: readonly number[], x: readonly number[]): Big[] {
  const q = baseExact(base, xi, x).sort((a, b) => b.cmp(a));
  let acc = zero();
  return q.map((v) => (acc = acc.plus(v)));
}

function componentExact(base: Base, xi: readonly number[], x: readonly number[], w: readonly number[]): Big {
  return sum(footprintExact(base, xi, x).map((f, j) => f.times(big(w[j]))));
}

export function scoresExact(memories: readonly number[][], x: readonly number[], p: AhopParams) {
  const sDis = memories.map((m) => componentExact('dis', m, x, p.wDis));
  const sDot = memories.map((m) => componentExact('dot', m, x, p.wDot));
  const s = sDis.map((v, k) => big(p.betaDis).times(v).plus(big(p.betaDot).times(sDot[k])));
  return { s, sDis, sDot };
}

export function similarityExact(memories: readonly number[][], x: readonly number[], p: AhopParams) {
  const { s } = scoresExact(memories, x, p);
  const probs = logSoftmaxExact(s).map((v) => v.exp());
  const retrieved = x.map((_, i) => sum(memories.map((m, k) => probs[k].times(big(m[i])))));
  return { scores: s, probs, retrieved, energy: lseExact(s).neg() };
}

export function gradientExact(memories: readonly number[][], x: readonly number[], p: AhopParams, target: number) {
  const { s, sDis, sDot } = scoresExact(memories, x, p);
  const logP = logSoftmaxExact(s);
  const g = logP.map((v, k) => v.exp().minus(k === target ? one() : zero()));
  const fDis = memories.map((m) => footprintExact('dis', m, x));
  const fDot = memories.map((m) => footprintExact('dot', m, x));
  const wGrad = (f: Big[][], beta: number) => x.map((_, j) => big(beta).times(sum(f.map((row, k) => g[k].times(row[j])))));
  return {
    loss: logP[target].neg(),
    grad: {
      w_dis: wGrad(fDis, p.betaDis),
      w_dot: wGrad(fDot, p.betaDot),
      beta_dis: sum(g.map((gk, k) => gk.times(sDis[k]))),
      beta_dot: sum(g.map((gk, k) => gk.times(sDot[k]))),
    },
  };
}

function logNormalExact(v: number, m: Big, s: number): Big {
  const z = big(v).minus(m).div(big(s));
  return z.pow(2).div(2).neg().minus(big(s).ln()).minus(halfLog2Pi());
}

function logOccludedExact(rho: number, low: number, high: number, v: number, m: Big, s: number): Big {
  const kept = one().minus(big(rho)).times(logNormalExact(v, m, s).exp());
  const occ = v >= low && v <= high ? big(rho).div(big(high).minus(big(low))) : zero();
  return kept.plus(occ).ln();
}

/** log p_V(x | ξ) for a variant in JSON form (already validated). */
export function logLikelihoodExact(spec: VariantSpec, x: readonly number[], xi: readonly number[]): Big {
  switch (spec.type) {
    case 'noisy':
      return sum(x.map((v, i) => logNormalExact(v, big(xi[i]), valueAt(spec.sigma, i))));
    case 'masked':
      return sum(x.map((v, i) => logOccludedExact(spec.rho, spec.low, spec.high, v, big(xi[i]), valueAt(spec.sigma, i))));
    case 'biased':
      return sum(x.map((v, i) => logNormalExact(v, big(xi[i]).plus(big(valueAt(spec.bias, i))), valueAt(spec.sigma, i))));
    case 'composed':
      return sum(
        x.map((v, i) => logOccludedExact(spec.rho, spec.low, spec.high, v, big(xi[i]).plus(big(valueAt(spec.bias, i))), valueAt(spec.sigma, i))),
      );
    case 'mixed':
      return sum(spec.components.map((c) => big(c.weight).times(logLikelihoodExact(c.variant, x, xi).exp()))).ln();
  }
}

export function posteriorExact(spec: VariantSpec, memories: readonly number[][], x: readonly number[], prior?: readonly number[]) {
  const pi = prior ?? memories.map(() => 1);
  const total = sum(pi.map(big));
  return logSoftmaxExact(memories.map((m, k) => big(pi[k]).div(total).ln().plus(logLikelihoodExact(spec, x, m))));
}

export function toNumber(v: Big): number {
  return v.toNumber();
}

export type { Big };
