/**
 * Claim 4 — noisy variant (docs/theory.md §4).
 *
 * (a) log p(x | ξ_a) − log p(x | ξ_b) = ½ [s_σ(ξ_a, x) − s_σ(ξ_b, x)] with the variance-weighted
 *     negative squared distance s_σ(ξ, x) = −Σ_i (x_i − ξ_i)² / σ_i²: it is the Bayes similarity.
 * (b) Isotropic σ: A-Hop with w_dis = e_d, β_dot = 0 and any β_dis > 0 ranks exactly as Bayes, and
 *     at β_dis = 1/(2σ²) its softmax IS the posterior.
 * (c) Anisotropic σ: a sorted-footprint similarity depends on q only through its sorted values,
 *     so for memories {ξ, πξ} (π an involution) and any x, s(ξ, πx) = s(πξ, x): every A-Hop
 *     parameter gives a π-equivariant rule, and at x = c·1 it cannot separate ξ from πξ at all,
 *     while the Bayes posterior can. The accuracy of every equivariant rule is at most that of
 *     the symmetrised Bayes rule, which fast-check shows is significantly below Bayes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { posterior } from '../src/bayes/posterior.ts';
import { posteriorExact } from '../src/conformance/exact.ts';
import { retrieve, scores } from '../src/hopfield/ahop.ts';
import { argmax } from '../src/numeric/logsumexp.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import type { FootprintOptions } from '../src/similarity/footprint.ts';
import { train } from '../src/train/train.ts';
import { noisy } from '../src/variants/noisy.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';
import { bayesRule, correctness, reverse, rngFor, sampleQueries, symmetrisedBayes, tenths } from './support/theory-instances.ts';
import type { Rule } from './support/theory-similarities.ts';
import { shrunkCounterexample } from './support/theory-shrink.ts';
import { depth, notSignificantlyWorse, pairedComparison } from './support/theory-stats.ts';

const RUNS = depth(100, 1000);
const STAT_RUNS = depth(8, 50);
const M = depth(800, 8000);

const dims = fc.integer({ min: 1, max: 6 });
const entry = tenths(-30, 30);
const vecOf = (d: number, a = entry) => fc.array(a, { minLength: d, maxLength: d });

/** (ξ_a, ξ_b, x, σ) with matching d. */
const pairInstance = dims.chain((d) => fc.record({ a: vecOf(d), b: vecOf(d), x: vecOf(d), sigma: vecOf(d, tenths(1, 30)) }));

type PairSimilarity = (xi: readonly number[], x: readonly number[], sigma: readonly number[]) => number;
const varianceWeighted: PairSimilarity = (xi, x, sigma) => -xi.reduce((s, v, i) => s + (x[i] - v) ** 2 / sigma[i] ** 2, 0);

/** (a) the log-likelihood difference is half the similarity difference, up to rounding of terms of size ≤ scale. */
const isBayesSimilarity = (sim: PairSimilarity) =>
  fc.property(pairInstance, ({ a, b, x, sigma }) => {
    const v = noisy(sigma);
    const dl = v.logLikelihood(x, a) - v.logLikelihood(x, b);
    const ds = (sim(a, x, sigma) - sim(b, x, sigma)) / 2;
    const scale = -varianceWeighted(a, x, sigma) - varianceWeighted(b, x, sigma) + 1;
    return Math.abs(dl - ds) <= 1e-13 * a.length * scale;
  });

const unit = (d: number) => Array.from({ length: d }, (_, j) => (j === d - 1 ? 1 : 0));

/** Memories, query, isotropic σ, β_dis. */
const isoInstance = fc
  .record({ n: fc.integer({ min: 2, max: 5 }), d: dims })
  .chain(({ n, d }) => fc.record({ memories: fc.array(vecOf(d), { minLength: n, maxLength: n }), x: vecOf(d), sigma: tenths(2, 20), beta: tenths(1, 50) }));

type ParamsFor = (d: number, sigma: number, beta: number) => AhopParams;
const baseParams: ParamsFor = (d, _sigma, beta) => ({ wDis: unit(d), wDot: unit(d), betaDis: beta, betaDot: 0 });

/** (b1) for every pair of memories whose log-likelihoods differ beyond rounding, the A-Hop scores order them the same way. */
const ranksAsBayes = (paramsFor: ParamsFor) =>
  fc.property(isoInstance, ({ memories, x, sigma, beta }) => {
    const d = x.length;
    const v = noisy(Array(d).fill(sigma));
    const ll = memories.map((m) => v.logLikelihood(x, m));
    const s = scores(memories, x, paramsFor(d, sigma, beta));
    const tol = 1e-12 * (1 + Math.max(...ll.map(Math.abs)));
    return ll.every((la, i) => ll.every((lb, j) => la - lb <= tol || s[i] > s[j]));
  });

/** (b2) at β_dis = 1/(2σ²) the softmax equals the posterior. */
const softmaxIsPosterior = (paramsFor: ParamsFor) =>
  fc.property(isoInstance, ({ memories, x, sigma }) => {
    const d = x.length;
    const p = retrieve(memories, x, paramsFor(d, sigma, 1 / (2 * sigma * sigma))).probs;
    const lp = posterior(noisy(Array(d).fill(sigma)), memories, x).logPosterior;
    return p.every((pk, k) => Math.abs(pk - Math.exp(lp[k])) <= 1e-9);
  });

/** Footprint parameters and options under test for (c). */
const footprintParams = dims.chain((d) =>
  fc.record({
    xi: vecOf(d),
    c: tenths(-30, 30),
    params: fc.record({ wDis: vecOf(d, tenths(-20, 20)), wDot: vecOf(d, tenths(-20, 20)), betaDis: tenths(-20, 20), betaDot: tenths(-20, 20) }),
    x: vecOf(d),
  }),
);

/** (c1) at x = c·1, A-Hop gives ξ and πξ the same score, for every parameter. */
const cannotSeparate = (options: FootprintOptions) =>
  fc.property(footprintParams, ({ xi, c, params }) => {
    const x = xi.map(() => c);
    const [sa, sb] = scores([xi, reverse(xi)], x, params, options);
    return sa === sb;
  });

/** (c2) π-equivariance: s(ξ, πx) = s(πξ, x) and s(πξ, πx) = s(ξ, x), exactly. */
const equivariant = (options: FootprintOptions) =>
  fc.property(footprintParams, ({ xi, params, x }) => {
    const mem = [xi, reverse(xi)];
    const [sa, sb] = scores(mem, x, params, options);
    const [ta, tb] = scores(mem, reverse(x), params, options);
    return ta === sb && tb === sa;
  });

const SORTED: FootprintOptions = { sort: true, cumulative: true };
const UNSORTED: FootprintOptions = { sort: false, cumulative: false };

/** An anisotropic pair instance for the accuracy comparisons. */
const anisotropic = fc
  .integer({ min: 2, max: 5 })
  .chain((d) => fc.record({ seed: fc.integer({ min: 0, max: 1_000_000 }), xi: vecOf(d, tenths(-20, 20)), sigma: vecOf(d, tenths(2, 20)) }));

function pairSample(xi: number[], sigma: number[], seed: number) {
  const memories = [xi, reverse(xi)];
  const variant = noisy(sigma);
  return { memories, variant, sample: sampleQueries(memories, variant, M, rngFor(seed)) };
}

/** "`rule` is never significantly less accurate than `rival`" on the pair {ξ, πξ}. */
const pairNeverWorse = (rule: (v: ReturnType<typeof noisy>) => Rule, rival: (v: ReturnType<typeof noisy>) => Rule) =>
  fc.property(anisotropic, ({ seed, xi, sigma }) => {
    const { memories, variant, sample } = pairSample(xi, sigma, seed);
    const c = pairedComparison(correctness(rule(variant), memories, sample), correctness(rival(variant), memories, sample));
    return notSignificantlyWorse(c);
  });

const sym = (v: ReturnType<typeof noisy>) => symmetrisedBayes(v, reverse);

/** A rule built from footprint parameters (drawn for their own d, cut or zero-padded to the instance's) is never significantly more accurate than the symmetrised Bayes rule. */
const boundedBySymmetrised = (
  ruleFor: (params: AhopParams, sigma: number[], memories: number[][], variant: ReturnType<typeof noisy>, seed: number) => Rule,
) =>
  fc.property(anisotropic, footprintParams, ({ seed, xi, sigma }, { params }) => {
    const fitRule = (w: number[]) => xi.map((_, j) => w[j] ?? 0);
    const p: AhopParams = { wDis: fitRule(params.wDis), wDot: fitRule(params.wDot), betaDis: params.betaDis, betaDot: params.betaDot };
    const { memories, variant, sample } = pairSample(xi, sigma, seed);
    return notSignificantlyWorse(pairedComparison(correctness(sym(variant), memories, sample), correctness(ruleFor(p, sigma, memories, variant, seed), memories, sample)));
  });
const ahop = (params: AhopParams, options: FootprintOptions): Rule => (memories, x) => argmax(scores(memories, x, params, options));

describe('claim 4: the noisy variant', () => {
  it('the variance-weighted negative squared distance is the Bayes similarity: Δ log-likelihood = ½ Δ s_σ', () => {
    expectHolds(isBayesSimilarity(varianceWeighted), { numRuns: RUNS });
  });
  it('catches: unweighted distance, and weights 1/σ instead of 1/σ²', () => {
    expectCounterexample(isBayesSimilarity((xi, x) => -xi.reduce((s, v, i) => s + (x[i] - v) ** 2, 0)));
    expectCounterexample(isBayesSimilarity((xi, x, sigma) => -xi.reduce((s, v, i) => s + (x[i] - v) ** 2 / sigma[i], 0)));
  });

  it('isotropic noise: A-Hop with w_dis = e_d, β_dot = 0 and any β_dis > 0 ranks every pair of memories exactly as Bayes', () => {
    expectHolds(ranksAsBayes(baseParams), { numRuns: RUNS });
  });
  it('isotropic noise: at β_dis = 1/(2σ²) the A-Hop softmax equals the Bayes posterior', () => {
    expectHolds(softmaxIsPosterior(baseParams), { numRuns: RUNS });
  });
  it('catches: a dot-product term (β_dot = 1), the 1-optimal footprint w_dis = e_1, and β_dis = 1/σ²', () => {
    const withDot: ParamsFor = (d, s, b) => ({ ...baseParams(d, s, b), betaDot: 1 });
    const firstEntry: ParamsFor = (d, s, b) => ({ ...baseParams(d, s, b), wDis: unit(d).reverse() });
    expectCounterexample(ranksAsBayes(withDot));
    expectCounterexample(ranksAsBayes(firstEntry));
    expectCounterexample(softmaxIsPosterior(withDot));
    expectCounterexample(softmaxIsPosterior((d, s, b) => baseParams(d, s, 2 * b)));
  });

  it('anisotropic noise: at x = c·1 every sorted-footprint A-Hop gives ξ and its reversal πξ the same score', () => {
    expectHolds(cannotSeparate(SORTED), { numRuns: RUNS });
  });
  it('… while the Bayes posterior separates them (64-digit check of the shrunk instance)', () => {
    // Refute "Bayes cannot separate either": fast-check finds ξ, c, σ with p(ξ | c·1) ≠ ½.
    const bayesCannot = fc.property(
      dims.chain((d) => fc.record({ xi: vecOf(d), c: tenths(-30, 30), sigma: vecOf(d, tenths(1, 30)) })),
      ({ xi, c, sigma }) => {
        const lp = posterior(noisy(sigma), [xi, reverse(xi)], xi.map(() => c)).logPosterior;
        return Math.abs(lp[0] - lp[1]) < 1e-9;
      },
    );
    const { counterexample, seed, path } = shrunkCounterexample(bayesCannot);
    const [{ xi, c, sigma }] = counterexample;
    console.log(`claim 4 Bayes separates ξ and πξ at c·1: seed ${seed} path ${path} → ${JSON.stringify(counterexample)}`);
    const exact = posteriorExact({ type: 'noisy', sigma }, [xi, reverse(xi)], xi.map(() => c));
    expect(exact[0].minus(exact[1]).abs().toNumber()).toBeGreaterThan(1e-3);
  });
  it('the unsorted footprint with per-dimension weights can separate them (the "cannot separate" property catches it)', () => {
    expectCounterexample(cannotSeparate(UNSORTED));
  });

  it('every sorted-footprint A-Hop is π-equivariant on {ξ, πξ}: s(ξ, πx) = s(πξ, x) exactly; the unsorted footprint is not', () => {
    expectHolds(equivariant(SORTED), { numRuns: RUNS });
    expectCounterexample(equivariant(UNSORTED));
  });

  it('no sorted-footprint A-Hop is significantly more accurate than the symmetrised Bayes rule (random parameters, McNemar)', () => {
    expectHolds(boundedBySymmetrised((p) => ahop(p, SORTED)), { numRuns: STAT_RUNS });
  });
  it('nor is an A-Hop trained on the pair (Adam, lr 0.1, 40 epochs of 256 pairs)', () => {
    expectHolds(
      boundedBySymmetrised((_p, sigma, memories, variant, seed) =>
        ahop(train(memories, variant, { epochs: 40, pairs: 256, seed }).params, SORTED),
      ),
      { numRuns: STAT_RUNS },
    );
  });
  it('catches: the unsorted variance-weighted distance beats the symmetrised bound', () => {
    expectCounterexample(boundedBySymmetrised((_p, sigma) => ahop({ wDis: sigma.map((v) => 1 / (v * v)), wDot: sigma.map(() => 0), betaDis: 1, betaDot: 0 }, UNSORTED)), { numRuns: STAT_RUNS * 4 });
  });
  it('refuted "the symmetrised Bayes rule (the best any footprint can do) is as accurate as Bayes": fast-check finds an anisotropic σ where it is significantly worse', () => {
    const r = shrunkCounterexample(pairNeverWorse(sym, (v) => bayesRule(v)), { numRuns: STAT_RUNS * 4 });
    console.log(`claim 4 symmetrised Bayes < Bayes: seed ${r.seed} path ${r.path} → ${JSON.stringify(r.counterexample)}`);
  });
  it('control: the unsorted footprint with weights c_i = 1/σ_i² (variance-weighted distance) is never significantly worse than Bayes', () => {
    const weighted = (v: ReturnType<typeof noisy>): Rule => {
      const s = (v.spec as { sigma: number[] }).sigma;
      return ahop({ wDis: s.map((si) => 1 / (si * si)), wDot: s.map(() => 0), betaDis: 1, betaDot: 0 }, UNSORTED);
    };
    expectHolds(pairNeverWorse(weighted, (v) => bayesRule(v)), { numRuns: STAT_RUNS });
  });
});
