/**
 * The analytic A-Hop+ gradient (src/train/objective-plus.ts, a VJP of the scores) matches central
 * finite differences of the loss in every parameter: b, ℓ, λ, the gate (low, high, τ), w_dis,
 * w_dot, β_dis, β_dot — under all four footprint ablations, on smooth gates (τ > 0) with the link on, and on the hard gate with the
 * link partly off (λ = 0 in some dimensions: there ∂L/∂λ is the one-sided derivative at 0⁺, so
 * that coordinate is differenced forward).
 *
 * Tolerance, derived from the step: with h_j = H(1 + |θ_j|), H = 1e-6, the central quotient
 * differs from the derivative by the truncation h²|L'''|/6 plus the rounding of the two losses,
 * ≤ 2u|L|·(few)/(2h). Inputs are bounded (|ξ|, |x| ≤ 2, |b| ≤ 1, ℓ ∈ [−1, 1], |w|, |β| ≤ 2), so
 * |L| ≲ 10³ and the rounding term is ≲ 10³·2⁻⁵²/10⁻⁶ ≈ 2·10⁻⁷; we allow 10⁻⁴(1 + |g_j|), which also
 * covers |L'''| up to ~10⁸ in the truncation term. The forward quotient (λ = 0 coordinates) has
 * truncation h|L''|/2, and at λ = 0 the curvature of g = log(e^u + λG) is e^{−2u} against a slope
 * of e^{−u}; its step is therefore h = H·min(1, e^{min_k u_k}), which keeps the relative
 * truncation ≤ H/2, and the allowance is 10⁻³(1 + |g_j|).
 * The loss is piecewise smooth (the sort): instances whose transformed values come within 10⁻⁴
 * of a tie (or, with the hard gate, a query entry within 10⁻⁴ of low or high) are skipped, as a
 * difference quotient across a kink is not a derivative (with seed 7 that is 0 of 60 smooth-gate
 * and 3 of 60 hard-gate instances).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { saturationLevels, scaledResidual, transformedSimilarities, type AhopPlusParams } from '../src/similarity/adaptive-plus.ts';
import type { FootprintOptions } from '../src/similarity/footprint.ts';
import { ahopPlusLossAndGradient, type AhopPlusLossGradient } from '../src/train/objective-plus.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type Objective = (memories: number[][], query: number[], target: number, p: AhopPlusParams, o: FootprintOptions) => AhopPlusLossGradient;

const H = 1e-6;
const grid = (lo: number, hi: number) => fc.integer({ min: 0, max: 2 ** 16 }).map((i) => lo + ((hi - lo) * i) / 2 ** 16);
const vec = (d: number, a: fc.Arbitrary<number>) => fc.array(a, { minLength: d, maxLength: d });

const FIELDS = ['offset', 'logScale', 'linkWeight', 'gateLow', 'gateHigh', 'gateWidth', 'wDis', 'wDot', 'betaDis', 'betaDot'] as const;

function flat(p: AhopPlusParams): number[] {
  return FIELDS.flatMap((f) => (Array.isArray(p[f]) ? (p[f] as number[]) : [p[f] as number]));
}

function fromFlat(theta: readonly number[], d: number): AhopPlusParams {
  let o = 0;
  const out: Record<string, number | number[]> = {};
  for (const f of FIELDS) {
    const vector = !['gateLow', 'gateHigh', 'gateWidth', 'betaDis', 'betaDot'].includes(f);
    out[f] = vector ? theta.slice(o, (o += d)) : theta[o++];
  }
  return out as unknown as AhopPlusParams;
}

const instance = (hard: boolean) =>
  fc
    .record({ n: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 5 }) })
    .chain(({ n, d }) =>
      fc.record({
        memories: fc.array(vec(d, grid(-2, 2)), { minLength: n, maxLength: n }),
        query: vec(d, grid(-2, 2)),
        target: fc.nat({ max: n - 1 }),
        options: fc.record({ sort: fc.boolean(), cumulative: fc.boolean() }) as fc.Arbitrary<FootprintOptions>,
        params: fc.record({
          offset: vec(d, grid(-1, 1)),
          logScale: vec(d, grid(-1, 1)),
          linkWeight: vec(d, hard ? fc.oneof(fc.constant(0), grid(0.05, 3)) : grid(0.05, 3)),
          gateLow: grid(-2, 0),
          gateHigh: grid(0.1, 2),
          gateWidth: hard ? fc.constant(0) : grid(0.05, 1),
          wDis: vec(d, grid(-2, 2)),
          wDot: vec(d, grid(-2, 2)),
          betaDis: grid(-2, 2),
          betaDot: grid(-2, 2),
        }),
      }),
    );

/** min_k u_ki, the most negative scaled residual of dimension i. */
function minU(memories: number[][], query: number[], p: AhopPlusParams, i: number): number {
  return Math.min(...memories.map((m) => scaledResidual(query[i], m[i], p.offset[i], Math.exp(-2 * p.logScale[i]))));
}

function nearTie(memories: number[][], query: number[], p: AhopPlusParams): boolean {
  const levels = saturationLevels(query, p);
  // The hard gate jumps at low and high: a query entry there is a kink in (low, high).
  if (p.gateWidth === 0 && query.some((v) => Math.abs(v - p.gateLow) < 1e-4 || Math.abs(v - p.gateHigh) < 1e-4)) return true;
  return memories.some((m) => {
    const g = [...transformedSimilarities(m, query, p, levels)].sort((a, b) => a - b);
    return g.some((v, i) => i > 0 && v - g[i - 1] < 1e-4);
  });
}

const matchesFiniteDifferences = (objective: Objective, hard: boolean) =>
  fc.property(instance(hard), ({ memories, query, target, params, options }) => {
    if (nearTie(memories, query, params)) return true;
    const d = query.length;
    const g = flat(objective(memories, query, target, params, options).grad);
    const theta = flat(params);
    const loss = (t: number[]) => ahopPlusLossAndGradient(memories, query, target, fromFlat(t, d), options).loss;
    return theta.every((t, j) => {
      const link0 = j >= 2 * d && j < 3 * d && t === 0;
      const h = link0 ? H * Math.min(1, Math.exp(minU(memories, query, params, j - 2 * d))) : H * (1 + Math.abs(t));
      const at = (delta: number) => loss(theta.map((v, i) => (i === j ? t + delta : v)));
      const oneSided = link0;
      if (hard && j === 3 * d + 2) return g[j] === 0; // τ = 0: the gate is piecewise constant, ∂L/∂τ := 0
      const fd = oneSided ? (at(h) - loss(theta)) / h : (at(h) - at(-h)) / (2 * h);
      return Math.abs(fd - g[j]) <= (oneSided ? 1e-3 : 1e-4) * (1 + Math.abs(g[j]));
    });
  });

describe('analytic A-Hop+ gradient', () => {
  it('matches central finite differences in every parameter (smooth gate, link on)', () =>
    expectHolds(matchesFiniteDifferences(ahopPlusLossAndGradient, false), { numRuns: 60 }));

  it('matches finite differences with the hard gate and λ = 0 in some dimensions', () =>
    expectHolds(matchesFiniteDifferences(ahopPlusLossAndGradient, true), { numRuns: 60 }));

  const mutate = (f: (g: AhopPlusParams) => AhopPlusParams): Objective => (m, q, t, p, o) => {
    const r = ahopPlusLossAndGradient(m, q, t, p, o);
    return { ...r, grad: f(r.grad) };
  };

  it('… and ∂L/∂b with the wrong sign is caught', () =>
    expectCounterexample(matchesFiniteDifferences(mutate((g) => ({ ...g, offset: g.offset.map((v) => -v) })), false)));

  it('… and ∂L/∂ℓ without the factor 2 of e^{−2ℓ} is caught', () =>
    expectCounterexample(matchesFiniteDifferences(mutate((g) => ({ ...g, logScale: g.logScale.map((v) => v / 2) })), false)));

  it('… and the gate gradient dropped is caught', () =>
    expectCounterexample(matchesFiniteDifferences(mutate((g) => ({ ...g, gateLow: 0, gateHigh: 0, gateWidth: 0 })), false)));

  it('… and ∂L/∂λ taken as if the link did not saturate (∂g/∂λ = G e^{−u}) is caught', () =>
    expectCounterexample(
      matchesFiniteDifferences((m, q, t, p, o) => {
        const r = ahopPlusLossAndGradient(m, q, t, p, o);
        const bumped = ahopPlusLossAndGradient(m, q, t, { ...p, linkWeight: p.linkWeight.map(() => 0) }, o);
        return { ...r, grad: { ...r.grad, linkWeight: bumped.grad.linkWeight } };
      }, false),
    ));
});
