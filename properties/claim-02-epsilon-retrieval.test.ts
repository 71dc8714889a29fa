/**
 * Claim 2 — ε-retrieval is not correct retrieval (docs/theory.md §2).
 *
 * "ε-retrieval" accepts a readout y when some stored pattern lies within ε of it; "correct
 * retrieval" requires the stored pattern nearest to y to be the posterior argmax. The claim
 * "ε-retrieval implies correct retrieval" is refuted: fast-check finds sampled queries whose M-Hop
 * or A-Hop readout lies within ε of a stored pattern that is not the posterior argmax, and the
 * explicit biased-variant family below does so for every ε > 0. Counterexamples are confirmed in
 * 64-digit arithmetic. The hard Bayes readout y = ξ_{argmax posterior} is the control for which the
 * implication holds, so the property is not vacuous.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { posterior } from '../src/bayes/posterior.ts';
import { posteriorExact, similarityExact, type Big } from '../src/conformance/exact.ts';
import { nearestMemory } from '../src/experiments/metrics.ts';
import { retrieve } from '../src/hopfield/ahop.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { initialParams } from '../src/train/init.ts';
import type { VariantSpec } from '../src/variants/variant.ts';
import { expectHolds } from './support/mutation.ts';
import { gaussianMemories, rngFor, variantOf, variantSpec } from './support/theory-instances.ts';
import { shrunkCounterexample } from './support/theory-shrink.ts';
import { depth } from './support/theory-stats.ts';

const EPS = 0.1;
const RUNS = depth(300, 3000);

interface Instance {
  seed: number;
  n: number;
  d: number;
  spec: VariantSpec;
}

const instance: fc.Arbitrary<Instance> = fc
  .record({ n: fc.integer({ min: 2, max: 5 }), d: fc.integer({ min: 1, max: 5 }) })
  .chain(({ n, d }) => fc.record({ seed: fc.integer({ min: 0, max: 1_000_000 }), n: fc.constant(n), d: fc.constant(d), spec: variantSpec(d) }));

function draw(inst: Instance) {
  const rng = rngFor(inst.seed);
  const memories = gaussianMemories(inst.n, inst.d, rng);
  const variant = variantOf(inst.spec);
  const source = rng.int(inst.n);
  const query = variant.sample(memories[source], rng);
  return { memories, variant, source, query };
}

type Readout = (memories: number[][], query: number[], spec: VariantSpec) => number[];

const unit = (d: number) => Array.from({ length: d }, (_, j) => (j === d - 1 ? 1 : 0));
/** M-Hop, p = softmax(β Ξ x), written as A-Hop parameters so the 64-digit check can recompute it. */
const mhopParams = (d: number, beta: number): AhopParams => ({ wDis: unit(d), wDot: unit(d), betaDis: 0, betaDot: beta });

const readouts: Record<string, { readout: Readout; params?: (d: number) => AhopParams }> = {
  'M-Hop (β = 4)': { readout: (m, x) => retrieve(m, x, mhopParams(x.length, 4)).retrieved, params: (d) => mhopParams(d, 4) },
  'A-Hop at its base start (−‖ξ − x‖²)': { readout: (m, x) => retrieve(m, x, initialParams(x.length)).retrieved, params: (d) => initialParams(d) },
  'posterior-mean readout Σ_k p(ξ_k | x) ξ_k': {
    readout: (m, x, spec) => {
      const lp = posterior(variantOf(spec), m, x).logPosterior;
      return x.map((_, i) => m.reduce((acc, row, k) => acc + Math.exp(lp[k]) * row[i], 0));
    },
  },
};

const hardBayes: Readout = (m, x, spec) => [...m[posterior(variantOf(spec), m, x).argmax]];

const dist2 = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);

/** "ε-retrieval implies correct retrieval": if y is within ε of a stored pattern, the pattern nearest y is the posterior argmax. */
const epsilonImpliesCorrect = (readout: Readout) =>
  fc.property(instance, (inst) => {
    const { memories, variant, query } = draw(inst);
    const y = readout(memories, query, inst.spec);
    if (!memories.some((m) => dist2(m, y) <= EPS * EPS)) return true;
    return nearestMemory(memories, y) === posterior(variant, memories, query).argmax;
  });

/** Confirms a counterexample in 64-digit arithmetic: the readout is within ε of ξ_j and j is not the exact posterior argmax. */
function confirmExactly(inst: Instance, params: AhopParams) {
  const { memories, query } = draw(inst);
  const { retrieved } = similarityExact(memories, query, params);
  const d2 = memories.map((m) => retrieved.reduce((s: Big, v, i) => s.plus(v.minus(m[i]).pow(2)), retrieved[0].times(0)));
  const near = d2.findIndex((v) => v.lte(EPS * EPS));
  const lp = posteriorExact(inst.spec, memories, query);
  const top = lp.reduce((best, v, k) => (v.gt(lp[best]) ? k : best), 0);
  return { near, top, gap: lp[top].minus(lp[near]).toNumber(), distance: Math.sqrt(d2[near].toNumber()) };
}

describe('claim 2: ε-retrieval is not correct retrieval', () => {
  it('control: the hard Bayes readout y = ξ_{argmax posterior} satisfies "within ε ⇒ correct"', () => {
    expectHolds(epsilonImpliesCorrect(hardBayes), { numRuns: RUNS });
  });

  for (const [name, { readout, params }] of Object.entries(readouts)) {
    it(`refuted for ${name}: a sampled query whose readout is within ε = ${EPS} of a stored pattern that is not the posterior argmax`, () => {
      const { counterexample, seed, path } = shrunkCounterexample(epsilonImpliesCorrect(readout), { numRuns: RUNS });
      const [inst] = counterexample;
      console.log(`claim 2 [${name}] seed ${seed} path ${path}: ${JSON.stringify(inst)}`);
      if (params !== undefined) {
        const c = confirmExactly(inst, params(inst.d));
        expect(c.near, 'exactly within ε of a stored pattern').toBeGreaterThanOrEqual(0);
        expect(c.near, 'and that pattern is not the exact posterior argmax').not.toBe(c.top);
        expect(c.gap).toBeGreaterThan(0);
      }
    });
  }

  it('for every ε > 0 there is an instance: biased variant b = ξ₂ − ξ₁, query x = ξ₂, A-Hop base readout at β ≥ ln(D/ε)/D² (64-digit check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 4, maxLength: 4 }).filter((v) => v[0] !== v[2] || v[1] !== v[3]),
        fc.integer({ min: 1, max: 12 }),
        (v, e) => {
          const eps = 10 ** -e;
          const xi1 = [v[0] / 10, v[1] / 10];
          const xi2 = [v[2] / 10, v[3] / 10];
          const D2 = dist2(xi1, xi2);
          const beta = Math.log(Math.sqrt(D2) / eps) / D2 + 1;
          const spec: VariantSpec = { type: 'biased', bias: [xi2[0] - xi1[0], xi2[1] - xi1[1]], sigma: 0.5 };
          const params: AhopParams = { wDis: [0, 1], wDot: [0, 1], betaDis: beta, betaDot: 0 };
          const { retrieved } = similarityExact([xi1, xi2], xi2, params);
          const d2 = retrieved[0].minus(xi2[0]).pow(2).plus(retrieved[1].minus(xi2[1]).pow(2));
          const lp = posteriorExact(spec, [xi1, xi2], xi2);
          return d2.lt(eps * eps) && lp[0].gt(lp[1]);
        },
      ),
      { seed: 7, numRuns: depth(50, 400) },
    );
  });
});
