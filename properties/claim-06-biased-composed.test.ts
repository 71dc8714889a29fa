/**
 * Claim 6 — biased and composed variants: their Bayes-optimal similarities, and which of them the
 * footprint family represents exactly, only approximately, or not at all (docs/theory.md §6).
 *
 * Biased: log p(x | ξ) = −‖x − b − ξ‖²/(2σ²) + c(x), i.e. the Bayes similarity is
 *   S_b(ξ, x) = ξᵀx − ‖ξ‖²/2 − ξᵀb   (times 1/σ²).
 * Exact (sorted footprint): if ξ_kᵀb = α‖ξ_k‖² + γ for every k, then w = e_d,
 *   β_dis = (α + ½)/σ², β_dot = −2α/σ² gives softmax = posterior.
 * Exact (unsorted per-dimension weights): if every dimension takes two values {u_i, v_i} with
 *   u_i + v_i ≠ 0 (e.g. binary {0, 1} memories), then ξ_i = (ξ_i² + u_i v_i)/(u_i + v_i), and
 *   w_dis,i = (½ + b_i/(u_i+v_i))/σ², w_dot,i = −2 b_i/((u_i+v_i) σ²) (β = 1, no sort, no U) is exact.
 * Not representable: sorting makes every footprint π-equivariant (claim 4), so memories {ξ, πξ}
 *   at x = c·1 tie while Bayes separates them when (ξ − πξ)ᵀb ≠ 0; no footprint at all (sorted
 *   or not) separates {ξ, −ξ} at x = 0 while Bayes does when ξᵀb ≠ 0.
 * Masked / composed: the Bayes similarity Σ_i ψ(q_i) is non-linear in q; as σ → 0 it tends to
 *   Σ_i max(q_i, −τ²) = max_k (ftpt_k + kτ²) − dτ² — a maximum of footprint-linear functions,
 *   which one linear w can only approximate; the scale-flip instance below defeats every w.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { posterior } from '../src/bayes/posterior.ts';
import { posteriorExact } from '../src/conformance/exact.ts';
import { scores } from '../src/hopfield/ahop.ts';
import { argmax, logSoftmax } from '../src/numeric/logsumexp.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { footprintOf, type FootprintOptions } from '../src/similarity/footprint.ts';
import { train } from '../src/train/train.ts';
import { biased } from '../src/variants/biased.ts';
import type { Variant, VariantSpec } from '../src/variants/variant.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';
import { likelihoodIsOcclusionMixture, likelihoodMutants, srcLogLik } from './support/theory-likelihood.ts';
import { bayesRule, correctness, leastNormSolution, reverse, rngFor, sampleQueries, symmetrisedBayes, tenths, variantOf } from './support/theory-instances.ts';
import type { Rule } from './support/theory-similarities.ts';
import { shrunkCounterexample } from './support/theory-shrink.ts';
import { depth, notSignificantlyWorse, pairedComparison } from './support/theory-stats.ts';

const RUNS = depth(100, 1000);
const STAT_RUNS = depth(6, 40);
const M = depth(800, 8000);
const SORTED: FootprintOptions = { sort: true, cumulative: true };
const UNSORTED: FootprintOptions = { sort: false, cumulative: false };

const unit = (d: number) => Array.from({ length: d }, (_, j) => (j === d - 1 ? 1 : 0));
const dotv = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const vecOf = (d: number, a = tenths(-20, 20)) => fc.array(a, { minLength: d, maxLength: d });

/**
 * softmax(A-Hop scores) equals the posterior in log space: |log softmax(s)_k − log p(ξ_k | x)| ≤
 * 1e-9 (1 + max_j |s_j|) for every memory (an absolute tolerance on probabilities would accept any
 * fit whose wrong probabilities are all tiny).
 */
function softmaxIsPosterior(memories: number[][], x: number[], params: AhopParams, options: FootprintOptions, spec: VariantSpec): boolean {
  const s = scores(memories, x, params, options);
  const got = logSoftmax(s);
  const lp = posterior(variantOf(spec), memories, x).logPosterior;
  const scale = 1 + Math.max(...s.map(Math.abs));
  return got.every((g, k) => Math.abs(g - lp[k]) <= 1e-9 * scale);
}

describe('claim 6: biased and composed variants', () => {
  describe('the biased Bayes similarity is S_b(ξ, x) = ξᵀx − ‖ξ‖²/2 − ξᵀb', () => {
    type S = (xi: readonly number[], x: readonly number[], b: readonly number[]) => number;
    const bayesSim: S = (xi, x, b) => dotv(xi, x) - dotv(xi, xi) / 2 - dotv(xi, b);
    const prop = (sim: S) =>
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((d) => fc.record({ a: vecOf(d), c: vecOf(d), x: vecOf(d, tenths(-40, 40)), b: vecOf(d), sigma: tenths(1, 20) })),
        ({ a, c, x, b, sigma }) => {
          const v = biased(b, sigma);
          const dl = v.logLikelihood(x, a) - v.logLikelihood(x, c);
          const ds = (sim(a, x, b) - sim(c, x, b)) / (sigma * sigma);
          const scale = (dotv(a, a) + dotv(c, c) + dotv(x, x) + dotv(b, b) + 1) / (sigma * sigma);
          return Math.abs(dl - ds) <= 1e-13 * a.length * scale;
        },
      );
    it('Δ log-likelihood = Δ S_b / σ²', () => {
      expectHolds(prop(bayesSim), { numRuns: RUNS });
    });
    it('catches: the bias ignored, or added with the wrong sign', () => {
      expectCounterexample(prop((xi, x) => dotv(xi, x) - dotv(xi, xi) / 2));
      expectCounterexample(prop((xi, x, b) => dotv(xi, x) - dotv(xi, xi) / 2 + dotv(xi, b)));
    });
  });

  describe('exact with the sorted footprint when ξ_kᵀb = α‖ξ_k‖² + γ', () => {
    type Fit = (alpha: number, sigma: number, d: number) => AhopParams;
    const exactFit: Fit = (alpha, sigma, d) => ({ wDis: unit(d), wDot: unit(d), betaDis: (alpha + 0.5) / sigma ** 2, betaDot: (-2 * alpha) / sigma ** 2 });
    const prop = (fitRule: Fit) =>
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((d) =>
          fc.record({
            // N ≥ 2: with one memory every rule gives probability 1 and the property could not fail.
            memories: fc.array(vecOf(d), { minLength: 2, maxLength: d }),
            x: vecOf(d, tenths(-30, 30)),
            alpha: tenths(-10, 10),
            gamma: tenths(-10, 10),
            sigma: tenths(3, 20),
          }),
        ),
        ({ memories, x, alpha, gamma, sigma }) => {
          const bias = leastNormSolution(memories, memories.map((m) => alpha * dotv(m, m) + gamma));
          // The generated memories must be linearly independent for b to exist; the others are not counted as runs.
          fc.pre(bias.every(Number.isFinite) && memories.every((m) => Math.abs(dotv(m, bias) - alpha * dotv(m, m) - gamma) <= 1e-8));
          return softmaxIsPosterior(memories, x, fitRule(alpha, sigma, x.length), SORTED, { type: 'biased', bias, sigma });
        },
      );
    it('w = e_d, β_dis = (α + ½)/σ², β_dot = −2α/σ²: the A-Hop softmax is the posterior', () => {
      expectHolds(prop(exactFit), { numRuns: RUNS });
    });
    const broken: Record<string, Fit> = {
      'the plain isotropic fitRule (α ignored)': (_a, sigma, d) => exactFit(0, sigma, d),
      'β_dis 1 % too large': (alpha, sigma, d) => ({ ...exactFit(alpha, sigma, d), betaDis: 1.01 * exactFit(alpha, sigma, d).betaDis }),
      'β_dot without the factor 2': (alpha, sigma, d) => ({ ...exactFit(alpha, sigma, d), betaDot: -alpha / sigma ** 2 }),
    };
    for (const [name, fit] of Object.entries(broken)) {
      it(`… and ${name} is caught`, () => {
        expectCounterexample(prop(fit));
      });
    }
  });

  describe('exact with unsorted per-dimension weights when each dimension takes two values u_i, v_i (u_i + v_i ≠ 0)', () => {
    type Fit = (u: number[], v: number[], b: number[], sigma: number) => AhopParams;
    const exactFit: Fit = (u, v, b, sigma) => ({
      wDis: b.map((bi, i) => (0.5 + bi / (u[i] + v[i])) / sigma ** 2),
      wDot: b.map((bi, i) => (-2 * bi) / ((u[i] + v[i]) * sigma ** 2)),
      betaDis: 1,
      betaDot: 1,
    });
    const prop = (fitRule: Fit, options: FootprintOptions) =>
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((d) =>
          fc.record({
            u: vecOf(d),
            v: vecOf(d),
            picks: fc.array(fc.array(fc.boolean(), { minLength: d, maxLength: d }), { minLength: 2, maxLength: 5 }),
            b: vecOf(d),
            x: vecOf(d, tenths(-30, 30)),
            sigma: tenths(3, 20),
          }),
        ),
        ({ u, v, picks, b, x, sigma }) => {
          if (u.some((ui, i) => ui + v[i] === 0)) return true;
          const memories = picks.map((row) => row.map((take, i) => (take ? u[i] : v[i])));
          return softmaxIsPosterior(memories, x, fitRule(u, v, b, sigma), options, { type: 'biased', bias: b, sigma });
        },
      );
    it('the per-dimension weights give softmax = posterior (e.g. binary {0, 1} memories)', () => {
      expectHolds(prop(exactFit, UNSORTED), { numRuns: RUNS });
    });
    it('… and the same weights with sorting switched on are caught', () => {
      expectCounterexample(prop(exactFit, { sort: true, cumulative: false }));
    });
  });

  describe('not representable: pairs that every footprint ties but Bayes separates', () => {
    const anyParams = (d: number) =>
      fc.record({ wDis: vecOf(d), wDot: vecOf(d), betaDis: tenths(-20, 20), betaDot: tenths(-20, 20) });
    const tiesSorted = (options: FootprintOptions) =>
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((d) => fc.record({ xi: vecOf(d), c: tenths(-30, 30), params: anyParams(d) })),
        ({ xi, c, params }) => {
          const [sa, sb] = scores([xi, reverse(xi)], xi.map(() => c), params, options);
          return sa === sb;
        },
      );
    const tiesSign = (options: FootprintOptions) =>
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((d) => fc.record({ xi: vecOf(d), params: anyParams(d) })),
        ({ xi, params }) => {
          const [sa, sb] = scores([xi, xi.map((v) => -v)], xi.map(() => 0), params, options);
          return sa === sb;
        },
      );
    it('every sorted footprint ties ξ and its reversal πξ at x = c·1', () => {
      expectHolds(tiesSorted(SORTED), { numRuns: RUNS });
    });
    it('catches: unsorted per-dimension weights separate them', () => {
      expectCounterexample(tiesSorted(UNSORTED));
    });
    it('every footprint, sorted or not, ties ξ and −ξ at x = 0', () => {
      expectHolds(tiesSign(SORTED), { numRuns: RUNS });
      expectHolds(tiesSign(UNSORTED), { numRuns: RUNS });
      expectHolds(tiesSign({ sort: false, cumulative: true }), { numRuns: RUNS });
    });
    it('catches: a footprint that keeps the sign of ξ (q_i = ξ_i, not a decomposable similarity of (ξ_i, x_i) at x = 0)', () => {
      expectCounterexample(
        fc.property(fc.integer({ min: 1, max: 6 }).chain((d) => fc.record({ xi: vecOf(d), w: vecOf(d) })), ({ xi, w }) => {
          const s = (m: number[]) => dotv(w, footprintOf(m, SORTED));
          return s(xi) === s(xi.map((v) => -v));
        }),
      );
    });

    const specs: Record<string, (bias: number[]) => VariantSpec> = {
      biased: (bias) => ({ type: 'biased', bias, sigma: 1 }),
      composed: (bias) => ({ type: 'composed', rho: 0.3, sigma: bias.map(() => 1), bias, low: -3, high: 3 }),
    };
    for (const [name, specFor] of Object.entries(specs)) {
      it(`the ${name} Bayes posterior separates both pairs (shrunk instances, 64-digit check)`, () => {
        const separates = (pairOf: (xi: number[]) => number[], queryOf: (xi: number[], c: number) => number[]) =>
          fc.property(
            fc.integer({ min: 1, max: 4 }).chain((d) => fc.record({ xi: vecOf(d), c: tenths(-20, 20), bias: vecOf(d) })),
            ({ xi, c, bias }) => {
              const lp = posterior(variantOf(specFor(bias)), [xi, pairOf(xi)], queryOf(xi, c)).logPosterior;
              return Math.abs(lp[0] - lp[1]) < 1e-9;
            },
          );
        const cases = [
          { label: '{ξ, πξ} at c·1', pairOf: reverse, queryOf: (xi: number[], c: number) => xi.map(() => c) },
          { label: '{ξ, −ξ} at 0', pairOf: (xi: number[]) => xi.map((v) => -v), queryOf: (xi: number[]) => xi.map(() => 0) },
        ];
        for (const { label, pairOf, queryOf } of cases) {
          const r = shrunkCounterexample(separates(pairOf, queryOf));
          console.log(`claim 6 ${name} Bayes separates ${label}: seed ${r.seed} path ${r.path} → ${JSON.stringify(r.counterexample)}`);
          const [{ xi, c, bias }] = r.counterexample;
          const e = posteriorExact(specFor(bias), [xi, pairOf(xi)], queryOf(xi, c));
          expect(e[0].minus(e[1]).abs().toNumber()).toBeGreaterThan(1e-3);
        }
      });
    }
  });

  describe('on sampled biased queries from binary pairs {ξ, πξ} (McNemar, α = 1e-6)', () => {
    const family = fc.integer({ min: 2, max: 6 }).chain((d) =>
      fc.record({ seed: fc.nat(1_000_000), xi: fc.array(fc.constantFrom(0, 1), { minLength: d, maxLength: d }), bias: vecOf(d, tenths(-10, 10)), sigma: tenths(3, 10) }),
    );
    const neverWorse = (rule: (v: Variant, xi: number[]) => Rule, rival: (v: Variant, xi: number[]) => Rule) =>
      fc.property(family, ({ seed, xi, bias, sigma }) => {
        const memories = [xi, reverse(xi)];
        const variant = biased(bias, sigma);
        const s = sampleQueries(memories, variant, M, rngFor(seed));
        return notSignificantlyWorse(pairedComparison(correctness(rule(variant, xi), memories, s), correctness(rival(variant, xi), memories, s)));
      });
    const bayes = (v: Variant) => bayesRule(v);
    const sym = (v: Variant) => symmetrisedBayes(v, reverse);
    const ahopRule = (p: AhopParams, o: FootprintOptions): Rule => (memories, x) => argmax(scores(memories, x, p, o));
    it('refuted "the best equivariant (sorted-footprint) rule is as accurate as Bayes"', () => {
      const r = shrunkCounterexample(neverWorse(sym, bayes), { numRuns: STAT_RUNS * 4 });
      console.log(`claim 6 symmetrised Bayes < Bayes (biased): seed ${r.seed} path ${r.path} → ${JSON.stringify(r.counterexample)}`);
    });
    it('a sorted A-Hop trained on the pair is never significantly more accurate than the symmetrised Bayes rule', () => {
      expectHolds(
        neverWorse(sym, (v, xi) => ahopRule(train([xi, reverse(xi)], v, { epochs: 40, pairs: 256, seed: 1 }).params, SORTED)),
        { numRuns: STAT_RUNS },
      );
    });
    it('the unsorted exact fitRule (u_i = 0, v_i = 1) is never significantly less accurate than Bayes', () => {
      const fitRule = (v: Variant, xi: number[]): Rule => {
        const { bias: b, sigma } = v.spec as { bias: number[]; sigma: number };
        return ahopRule(
          { wDis: b.map((bi) => (0.5 + bi) / sigma ** 2), wDot: b.map((bi) => (-2 * bi) / sigma ** 2), betaDis: 1, betaDot: 1 },
          UNSORTED,
        );
      };
      expectHolds(neverWorse(fitRule, bayes), { numRuns: STAT_RUNS });
    });
  });

  describe('the composed likelihood is the Binomial(d, ρ) mixture over the occlusion count of shifted Gaussians (64 digits)', () => {
    it('the composed log p(x | ξ) equals Σ_m ρ^m (1 − ρ)^(d−m) e_m within 1e-9 relative', () => {
      expectHolds(likelihoodIsOcclusionMixture(srcLogLik, 'composed'), { numRuns: 100 });
    });
    for (const [name, loglik] of likelihoodMutants('composed')) {
      it(`… and a composed likelihood with ${name} is caught`, () => {
        expectCounterexample(likelihoodIsOcclusionMixture(loglik, 'composed'), { numRuns: 200 });
      });
    }
  });

  describe('masked and composed: the Bayes similarity is non-linear in the footprint', () => {
    it('Σ_i max(q_i, −τ²) = max_k (ftpt_k + kτ²) − dτ² (exact, dyadic inputs): the σ → 0 Bayes similarity is a maximum of footprint-linear functions', () => {
      const identity = (ft: (q: number[]) => number[]) =>
        fc.property(fc.array(fc.integer({ min: -64, max: 16 }).map((k) => k / 4), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 64 }).map((k) => k / 4), (q, tau2) => {
          const d = q.length;
          const lhs = q.reduce((s, v) => s + Math.max(v, -tau2), 0);
          const f = ft(q);
          const rhs = Math.max(0, ...f.map((v, k) => v + (k + 1) * tau2)) - d * tau2;
          return lhs === rhs;
        });
      expectHolds(identity((q) => footprintOf(q, SORTED)), { numRuns: RUNS });
      expectCounterexample(identity((q) => footprintOf(q, { sort: false, cumulative: true })));
    });

    it('the scale-flip instance defeats every footprint weight: one query, two memory pairs that any (w, β) orders alike and Bayes orders oppositely (64-digit check)', () => {
      // x = 0, q_dot ≡ 0, q_dis = −ξ². Pair 1 at scale s, pair 2 at scale S: a = √s(0, 2), b = √s(1, 1).
      // ftpt(a) − ftpt(b) = s·(1, −2) for both pairs, so every w orders (a, b) as it orders (a', b').
      // s = 2⁻¹² and S = 4 differ by the power of two 2¹⁴, so float64 scales every score exactly too.
      const pair = (root: number) => [[0, 2 * root], [root, root]];
      const memories = [...pair(2 ** -6), ...pair(2)];
      const x = [0, 0];
      const spec: VariantSpec = { type: 'masked', rho: 0.3, sigma: 0.2, low: -3, high: 3 };
      const lp = posteriorExact(spec, memories, x);
      expect(lp[1].gt(lp[0]), 'small scale: Bayes prefers b (both dimensions slightly off)').toBe(true);
      expect(lp[2].gt(lp[3]), 'large scale: Bayes prefers a (one dimension exact, one occluded)').toBe(true);
      const sameOrder = (options: FootprintOptions) =>
        fc.property(fc.record({ wDis: vecOf(2), wDot: vecOf(2), betaDis: tenths(-20, 20), betaDot: tenths(-20, 20) }), (params) => {
          const s = scores(memories, x, params, options);
          return Math.sign(s[0] - s[1]) === Math.sign(s[2] - s[3]);
        });
      expectHolds(sameOrder(SORTED), { numRuns: RUNS });
      expectHolds(sameOrder(UNSORTED), { numRuns: RUNS });
      // Catches a similarity that is not linear in the footprint (the clipped distance Σ max(q_i, −τ²), τ² = 0.5).
      expectCounterexample(
        fc.property(fc.constant(null), () => {
          const clip = memories.map((m) => m.reduce((acc, v) => acc + Math.max(-(v * v), -0.5), 0));
          return Math.sign(clip[0] - clip[1]) === Math.sign(clip[2] - clip[3]);
        }),
        { numRuns: 1 },
      );
    });
  });
});
