/**
 * Each variant's sampler and its log-likelihood describe the same distribution.
 * One dimension: the empirical CDF of M samples against the CDF obtained by integrating
 * exp(logLikelihood) numerically, with the Dvoretzky–Kiefer–Wolfowitz bound
 * P(sup |F_M − F| > ε) ≤ 2 exp(−2Mε²) giving ε for a false-alarm rate α per run.
 * Two dimensions (mixed): per-query mixing, not per-dimension, checked on a joint event with
 * Hoeffding's bound.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createRng, type Rng } from '../src/random/rng.ts';
import { valueAt } from '../src/variants/per-dimension.ts';
import { variantFromSpec } from '../src/variants/spec.ts';
import type { Variant, VariantSpec } from '../src/variants/variant.ts';
import { noisy, mixed } from '../src/variants/index.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const M = 2000;
const ALPHA = 1e-5;
/** DKW / Hoeffding: ε with 2 exp(−2Mε²) = α. */
const EPS_BOUND = Math.sqrt(Math.log(2 / ALPHA) / (2 * M));
/** Allowance for the numerical integration (trapezoid, 20 000 intervals): far below EPS_BOUND. */
const QUADRATURE = 2e-3;

const num = (min: number, max: number) => fc.integer({ min: 0, max: 10_000 }).map((i) => min + ((max - min) * i) / 10_000);
const sigma = num(0.05, 2);
const occluder = fc.record({ rho: num(0, 0.95), low: num(-3, 0), width: num(0.5, 6) });

const spec1d: fc.Arbitrary<VariantSpec> = fc.oneof(
  sigma.map((s) => ({ type: 'noisy', sigma: [s] }) as VariantSpec),
  fc.tuple(occluder, sigma).map(([o, s]) => ({ type: 'masked', rho: o.rho, sigma: s, low: o.low, high: o.low + o.width }) as VariantSpec),
  fc.tuple(num(-2, 2), sigma).map(([b, s]) => ({ type: 'biased', bias: [b], sigma: s }) as VariantSpec),
  fc
    .tuple(occluder, sigma, num(-2, 2))
    .map(([o, s, b]) => ({ type: 'composed', rho: o.rho, sigma: [s], bias: [b], low: o.low, high: o.low + o.width }) as VariantSpec),
);
const anySpec1d: fc.Arbitrary<VariantSpec> = fc.oneof(
  spec1d,
  fc.array(fc.tuple(num(0.1, 1), spec1d), { minLength: 2, maxLength: 3 }).map((cs) => {
    const total = cs.reduce((a, [w]) => a + w, 0);
    const weights = cs.map(([w]) => w / total);
    weights[weights.length - 1] = 1 - weights.slice(0, -1).reduce((a, b) => a + b, 0);
    return { type: 'mixed', components: cs.map(([, v], j) => ({ weight: weights[j], variant: v })) } as VariantSpec;
  }),
);

/** Support of the density: every Gaussian part ± 12σ and every occluder interval. */
function support(spec: VariantSpec, xi: number): [number, number] {
  switch (spec.type) {
    case 'noisy':
      return [xi - 12 * valueAt(spec.sigma, 0), xi + 12 * valueAt(spec.sigma, 0)];
    case 'biased':
      return [xi + valueAt(spec.bias, 0) - 12 * valueAt(spec.sigma, 0), xi + valueAt(spec.bias, 0) + 12 * valueAt(spec.sigma, 0)];
    case 'masked':
      return [Math.min(spec.low, xi - 12 * valueAt(spec.sigma, 0)), Math.max(spec.high, xi + 12 * valueAt(spec.sigma, 0))];
    case 'composed': {
      const m = xi + valueAt(spec.bias, 0);
      return [Math.min(spec.low, m - 12 * valueAt(spec.sigma, 0)), Math.max(spec.high, m + 12 * valueAt(spec.sigma, 0))];
    }
    case 'mixed': {
      const parts = spec.components.map((c) => support(c.variant, xi));
      return [Math.min(...parts.map((p) => p[0])), Math.max(...parts.map((p) => p[1]))];
    }
  }
}

/** sup_v |F_M(v) − F(v)| over a fine grid, F from trapezoid integration of exp(logLikelihood). */
function ksDistance(samples: number[], density: (v: number) => number, lo: number, hi: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const K = 20_000;
  const h = (hi - lo) / K;
  let F = 0;
  let prev = density(lo);
  let j = 0;
  let worst = 0;
  for (let i = 1; i <= K; i++) {
    const v = lo + i * h;
    const cur = density(v);
    F += 0.5 * h * (prev + cur);
    prev = cur;
    while (j < sorted.length && sorted[j] <= v) j++;
    worst = Math.max(worst, Math.abs(j / sorted.length - F));
  }
  return worst;
}

type Build = (spec: VariantSpec) => Variant;

const samplerMatchesLikelihood = (sampleWith: Build) =>
  fc.property(anySpec1d, num(-2, 2), fc.nat(), (spec, xi, seed) => {
    const v = variantFromSpec(spec);
    const sampler = sampleWith(spec);
    const rng = createRng(seed);
    const samples = Array.from({ length: M }, () => sampler.sample([xi], rng)[0]);
    const [lo, hi] = support(spec, xi);
    return ksDistance(samples, (x) => Math.exp(v.logLikelihood([x], [xi])), lo, hi) <= EPS_BOUND + QUADRATURE;
  });

/** A sampler whose occluders are drawn half as often as the likelihood says. */
const halfRho: Build = (spec) => {
  const halve = (s: VariantSpec): VariantSpec =>
    s.type === 'masked' || s.type === 'composed'
      ? { ...s, rho: s.rho / 2 }
      : s.type === 'mixed'
        ? { ...s, components: s.components.map((c) => ({ ...c, variant: halve(c.variant) })) }
        : s;
  return variantFromSpec(halve(spec));
};

/** Joint event |x_1 − ξ_1| < a and |x_2 − ξ_2| < a for a two-component noisy mixture in d = 2. */
const mixturePerQuery = (sampler: (s1: number, s2: number, w: number) => (xi: number[], rng: Rng) => number[]) =>
  fc.property(num(0.05, 0.3), num(1.5, 4), num(0.2, 0.8), fc.nat(), (s1, s2, w, seed) => {
    const v = mixed([
      { weight: w, variant: noisy([s1, s1]) },
      { weight: 1 - w, variant: noisy([s2, s2]) },
    ]);
    const a = 3 * s1;
    const draw = sampler(s1, s2, w);
    const rng = createRng(seed);
    let hits = 0;
    for (let i = 0; i < M; i++) {
      const x = draw([0, 0], rng);
      if (Math.abs(x[0]) < a && Math.abs(x[1]) < a) hits++;
    }
    // P(event) by 2-D midpoint integration of exp(logLikelihood) over the square.
    const K = 200;
    const h = (2 * a) / K;
    let p = 0;
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) p += Math.exp(v.logLikelihood([-a + (i + 0.5) * h, -a + (j + 0.5) * h], [0, 0])) * h * h;
    return Math.abs(hits / M - p) <= EPS_BOUND + QUADRATURE;
  });

const perQuery = (s1: number, s2: number, w: number) => {
  const v = mixed([
    { weight: w, variant: noisy([s1, s1]) },
    { weight: 1 - w, variant: noisy([s2, s2]) },
  ]);
  return (xi: number[], rng: Rng) => v.sample(xi, rng);
};
/** The wrong reading of "mixed": every dimension picks its own component. */
const perDimension = (s1: number, s2: number, w: number) => (xi: number[], rng: Rng) =>
  xi.map((m) => m + (rng.uniform() < w ? s1 : s2) * rng.normal());

describe('samplers match their log-likelihoods', () => {
  it(`every family's 1-D sample CDF is within the DKW bound (α = ${ALPHA} per run) of ∫ exp(logLikelihood)`, () =>
    expectHolds(samplerMatchesLikelihood(variantFromSpec), { numRuns: 60 }));
  it('… and a sampler that occludes half as often as its likelihood says is caught', () =>
    expectCounterexample(samplerMatchesLikelihood(halfRho), { numRuns: 60 }));

  it('a mixed variant draws one component per query (joint event within the Hoeffding bound)', () =>
    expectHolds(mixturePerQuery(perQuery), { numRuns: 10 }));
  it('… and per-dimension mixing is caught', () => expectCounterexample(mixturePerQuery(perDimension), { numRuns: 10 }));
});
