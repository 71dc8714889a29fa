/**
 * Claim 1 — correct retrieval: the Bayes rule argmax_k p(ξ_k | x) has the highest expected
 * accuracy of any retrieval rule (docs/theory.md §1).
 *
 * Proof: for any rule h, P(h correct | x) = p(ξ_{h(x)} | x) ≤ max_k p(ξ_k | x), so
 * P(h correct) = E_x[p(ξ_{h(x)} | x)] ≤ E_x[max_k p(ξ_k | x)] = P(Bayes correct).
 *
 * Two checks: (a) on every sampled query, the posterior mass of the Bayes choice is at least that
 * of every other rule's choice (the pointwise inequality, exact); (b) on the same sampled queries,
 * no rule — dot, negative distance, Manhattan, cosine, a random A-Hop footprint similarity, and
 * the maximum-likelihood rule that ignores the prior — is more accurate than the Bayes rule beyond
 * the exact one-sided McNemar (binomial) bound at α = 1e-6.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { posterior } from '../src/bayes/posterior.ts';
import { posteriorExact } from '../src/conformance/exact.ts';
import { scores } from '../src/hopfield/ahop.ts';
import { argmax } from '../src/numeric/logsumexp.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import type { Variant, VariantSpec } from '../src/variants/variant.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';
import { bayesRule, gaussianMemories, rngFor, sampleQueries, correctness, tenths, variantOf, variantSpec } from './support/theory-instances.ts';
import { argmaxRule, FIXED_SIMILARITIES, type Rule } from './support/theory-similarities.ts';
import { ALPHA, binomialThreshold, binomialUpperTail, depth, describe as describeComparison, notSignificantlyWorse, pairedComparison } from './support/theory-stats.ts';

const M = depth(600, 6000);
const RUNS = depth(12, 80);
const POINTWISE = depth(25, 200);

interface Instance {
  seed: number;
  n: number;
  d: number;
  spec: VariantSpec;
  prior: number[] | undefined;
  params: AhopParams;
}

const instance: fc.Arbitrary<Instance> = fc
  .record({ n: fc.integer({ min: 2, max: 6 }), d: fc.integer({ min: 2, max: 6 }) })
  .chain(({ n, d }) =>
    fc.record({
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      n: fc.constant(n),
      d: fc.constant(d),
      spec: variantSpec(d),
      prior: fc.option(fc.array(tenths(1, 10), { minLength: n, maxLength: n }), { nil: undefined }),
      params: fc.record({
        wDis: fc.array(tenths(-10, 10), { minLength: d, maxLength: d }),
        wDot: fc.array(tenths(-10, 10), { minLength: d, maxLength: d }),
        betaDis: tenths(0, 20),
        betaDot: tenths(-10, 10),
      }),
    }),
  );

/** A Bayes-rule implementation under test: given the variant and prior, a rule. */
type BayesImpl = (variant: Variant, prior: readonly number[] | undefined) => Rule;

const ahopRule = (p: AhopParams): Rule => (memories, x) => argmax(scores(memories, x, p));

function contenders(inst: Instance, variant: Variant): { name: string; rule: Rule }[] {
  return [
    ...FIXED_SIMILARITIES.map(({ name, sim }) => ({ name, rule: argmaxRule(sim) })),
    { name: 'A-Hop (random footprint weights)', rule: ahopRule(inst.params) },
    { name: 'maximum likelihood (prior ignored)', rule: bayesRule(variant) },
  ];
}

function setup(inst: Instance) {
  const rng = rngFor(inst.seed);
  const memories = gaussianMemories(inst.n, inst.d, rng);
  const variant = variantOf(inst.spec);
  const total = inst.prior?.reduce((a, b) => a + b, 0);
  const prior = inst.prior?.map((v) => v / total!);
  const sample = sampleQueries(memories, variant, M, rng, prior);
  return { memories, variant, prior, sample };
}

/**
 * (a) Pointwise: p(ξ_{Bayes(x)} | x) ≥ p(ξ_{h(x)} | x) for every sampled x and every contender h,
 * judged by the 64-digit posterior of src/conformance/exact.ts (its own likelihoods, prior and
 * normaliser), not by the float64 posterior() that makes the choice. Within 1e-12 in log space:
 * float64 may break a near-tie the other way. The first POINTWISE queries of each sample (the
 * 64-digit posterior costs milliseconds).
 */
const pointwiseOptimal = (bayes: BayesImpl) =>
  fc.property(instance, (inst) => {
    const { memories, variant, prior, sample } = setup(inst);
    const b = bayes(variant, prior);
    const rules = contenders(inst, variant);
    return sample.queries.slice(0, POINTWISE).every((x) => {
      const chosen = b(memories, x);
      const rivals = new Set(rules.map(({ rule }) => rule(memories, x)).filter((j) => j !== chosen));
      if (rivals.size === 0) return true;
      const exact = posteriorExact(variant.spec, memories, x, prior);
      return [...rivals].every((j) => exact[j].minus(exact[chosen]).toNumber() <= 1e-12);
    });
  });

/** (b) On the same M sampled queries, no contender beats the Bayes rule beyond the McNemar bound. */
const neverSignificantlyWorse = (bayes: BayesImpl) =>
  fc.property(instance, (inst) => {
    const { memories, variant, prior, sample } = setup(inst);
    const bayesCorrect = correctness(bayes(variant, prior), memories, sample);
    for (const { name, rule } of contenders(inst, variant)) {
      const c = pairedComparison(bayesCorrect, correctness(rule, memories, sample));
      if (!notSignificantlyWorse(c)) throw new Error(`${name} beats Bayes: ${describeComparison(c)}`);
    }
    return true;
  });

const reference: BayesImpl = (variant, prior) => bayesRule(variant, prior);

const mutants: Record<string, BayesImpl> = {
  // A posterior that forgets π: argmax_k p(x | ξ_k), the maximum-likelihood rule.
  'posterior ignoring the prior': (variant) => (memories, x) => posterior(variant, memories, x).argmax,
  // The least probable source instead of the most probable.
  'argmin of the posterior': (variant, prior) => (memories, x) => {
    const lp = posterior(variant, memories, x, prior).logPosterior;
    return lp.indexOf(Math.min(...lp));
  },
  // The prior applied with the wrong sign: p(x | ξ_k) / π_k.
  'prior inverted': (variant, prior) => (memories, x) => {
    const ll = memories.map((m) => variant.logLikelihood(x, m));
    return argmax(ll.map((v, k) => v - Math.log(prior?.[k] ?? 1)));
  },
  // A likelihood with the bias subtracted twice (x compared with ξ + 2b), noise and occlusion kept.
  'bias applied twice': (variant, prior) => {
    const shift = (spec: VariantSpec): VariantSpec =>
      spec.type === 'biased' || spec.type === 'composed'
        ? { ...spec, bias: typeof spec.bias === 'number' ? 2 * spec.bias : spec.bias.map((b) => 2 * b) }
        : spec.type === 'mixed'
          ? { ...spec, components: spec.components.map((c) => ({ ...c, variant: shift(c.variant) })) }
          : spec;
    return bayesRule(variantOf(shift(variant.spec)), prior);
  },
};

describe('claim 1: the Bayes rule is the most accurate retrieval rule', () => {
  it('on every sampled query the Bayes choice carries at least the posterior mass of any other rule’s choice', () => {
    expectHolds(pointwiseOptimal(reference), { numRuns: RUNS });
  });

  it(`the Bayes rule is never less accurate than dot, distance, Manhattan, cosine, A-Hop or maximum likelihood beyond the McNemar bound (α = ${ALPHA}, M = ${M})`, () => {
    expectHolds(neverSignificantlyWorse(reference), { numRuns: RUNS });
  });

  describe('each property catches a broken Bayes rule', () => {
    for (const [name, impl] of Object.entries(mutants)) {
      it(`pointwise optimality, judged in 64 digits: … and ${name} is caught`, () => {
        expectCounterexample(pointwiseOptimal(impl), { numRuns: RUNS * 4 });
      });
      // Ignoring the prior makes the Bayes rule the maximum-likelihood contender itself: only the pointwise judge sees it.
      if (name !== 'posterior ignoring the prior') {
        it(`the accuracy comparison: … and ${name} is caught`, () => {
          expectCounterexample(neverSignificantlyWorse(impl), { numRuns: RUNS * 4 });
        });
      }
    }
  });

  it('the binomial tail behind every statistical claim equals the exact BigInt sum, and α = 1e-6 first rejects 35 of 40 discordant queries', () => {
    // P(Bin(n, 1/2) ≥ k) = Σ_{i≥k} C(n, i) / 2ⁿ with BigInt coefficients, converted from the top 60 bits.
    const exactTail = (n: number, k: number): number => {
      let c = 1n;
      let s = 0n;
      for (let i = 0; i <= n; i++) {
        if (i >= k) s += c;
        c = (c * BigInt(n - i)) / BigInt(i + 1);
      }
      if (s === 0n) return 0;
      const shift = Math.max(0, s.toString(2).length - 60);
      return Number(s >> BigInt(shift)) * 2 ** (shift - n);
    };
    const tailMatches = (n: number, k: number) => {
      const got = binomialUpperTail(n, k, 0.5);
      const want = exactTail(n, Math.min(k, n + 1));
      return Math.abs(got - want) <= 1e-12 * want + 1e-300;
    };
    fc.assert(fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 400 }), tailMatches), { seed: 7, numRuns: 200 });
    // Large n with k far below n/2 (tail ≈ 1) and far above (tail tiny): both ends of the log-space sum.
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 6000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => tailMatches(n, Math.round(f * n))),
      { seed: 7, numRuns: 20 },
    );
    expect(binomialThreshold(40)).toBe(35);
    const split = (onlyA: number, onlyB: number) =>
      pairedComparison([...Array(onlyA).fill(true), ...Array(onlyB).fill(false)], [...Array(onlyA).fill(false), ...Array(onlyB).fill(true)]);
    expect(notSignificantlyWorse(split(6, 34))).toBe(true);
    expect(notSignificantlyWorse(split(5, 35))).toBe(false);
  });
});
