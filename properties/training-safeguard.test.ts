/**
 * The training safeguard (docs/protocol.md, "Training safeguard"): whatever Adam does at the
 * paper's lr 0.1, the parameters training returns have a training loss no higher than the
 * parameters it started from. The loss is judged independently of the training objective: from
 * hopfield/ahop.ts's retrieve() (A-Hop) and u2Probs (U2-Hop), −log p_t averaged over the pairs.
 *
 * With the protocol's validation split the guarantee is on the held-out pairs: fewer errors than the
 * start, or as many and a loss no higher — judged the same way on the split `holdOut` names.
 *
 * The mutation — the same loop with the safeguard removed (plain Adam) — is caught on a small
 * MNIST instance at δ 0.7 (8 digits, d = 196, 32 pairs) where plain Adam's last iterate ends
 * above its start, as the protocol's MNIST δ 0.7 seed-0 cell did.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trainU2 } from '../src/baselines/u2hop-train.ts';
import { u2Probs } from '../src/baselines/u2hop.ts';
import { buildExperiment, type Task } from '../src/experiments/instance.ts';
import { trainFast } from '../src/experiments/train-fast.ts';
import { retrieve } from '../src/hopfield/ahop.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import type { Pairs } from '../src/train/pairs.ts';
import { initialParams } from '../src/train/init.ts';
import { holdOut } from '../src/train/loop.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

/** 1e-12 relative: the judge sums the same terms in another order. */
const SLACK = 1e-12;

interface Case {
  task: Task;
  delta: number;
  seed: number;
  epochs: number;
}

const cases: fc.Arbitrary<Case> = fc.record({
  task: fc.oneof(
    fc.constant<Task>({ kind: 'mnist', n: 8, pool: 2 }),
    fc.constant<Task>({ kind: 'mnist', n: 8, pool: 4 }),
    fc.integer({ min: 4, max: 48 }).map((d): Task => ({ kind: 'synthetic', patterns: 'uniform', n: 8, d })),
  ),
  delta: fc.constantFrom(0.5, 0.6, 0.7, 0.8),
  seed: fc.nat({ max: 1e6 }),
  epochs: fc.integer({ min: 5, max: 60 }),
});

/** The instance on which plain Adam (lr 0.1) ends above its start; see the module comment. */
const RISING: Case = { task: { kind: 'mnist', n: 8, pool: 2 }, delta: 0.7, seed: 7, epochs: 60 };

const meanNegLogP = (pairs: Pairs, p: (q: number[]) => number[]) =>
  pairs.queries.reduce((a, q, i) => a - Math.log(p(q)[pairs.targets[i]]), 0) / pairs.queries.length;

type Safeguard = 'best-iterate' | 'none';

const ahopNeverEndsWorse = (safeguard: Safeguard) =>
  fc.property(cases, ({ task, delta, seed, epochs }) => {
    const exp = buildExperiment(task, 'composed', delta, seed, { trainPairs: 32, testQueries: 1 });
    const { memories, train } = exp.instance;
    const r = trainFast(memories, train, { epochs, lr: 0.1, batchSize: 16, seed, safeguard });
    const loss = (p: AhopParams) => meanNegLogP(train, (q) => retrieve(memories, q, p).probs);
    const start = loss(initialParams(memories[0].length));
    return loss(r.params) <= start * (1 + SLACK);
  });

/** The protocol's form: a quarter of the pairs held out, early stopping after 20 epochs without progress. */
const ahopNeverEndsWorseOnHeldOut = (safeguard: Safeguard) =>
  fc.property(cases, ({ task, delta, seed, epochs }) => {
    const exp = buildExperiment(task, 'composed', delta, seed, { trainPairs: 32, testQueries: 1 });
    const { memories, train } = exp.instance;
    const r = trainFast(memories, train, { epochs, lr: 0.1, batchSize: 16, seed, safeguard, validationShare: 0.25, patience: 20 });
    const { validation } = holdOut(train.queries.length, 0.25, seed);
    const held: Pairs = { queries: validation.map((i) => train.queries[i]), targets: validation.map((i) => train.targets[i]) };
    // The criterion: held-out errors (argmax off the source) first, then the held-out loss.
    const judge = (p: AhopParams) => {
      const probs = held.queries.map((q) => retrieve(memories, q, p).probs);
      const errors = probs.filter((pr, i) => pr.indexOf(Math.max(...pr)) !== held.targets[i]).length;
      return { errors, loss: meanNegLogP(held, (q) => retrieve(memories, q, p).probs) };
    };
    const end = judge(r.params);
    const start = judge(initialParams(memories[0].length));
    return end.errors < start.errors || (end.errors === start.errors && end.loss <= start.loss * (1 + SLACK));
  });

describe('training never ends worse than it started', () => {
  it('A-Hop with a validation split: the returned parameters’ held-out (errors, loss) ≤ the start’s, in that order', () =>
    expectHolds(ahopNeverEndsWorseOnHeldOut('best-iterate'), { numRuns: 12, examples: [[RISING]] }));

  it('… and plain Adam on the fit pairs (the safeguard removed) is caught, on the small MNIST δ 0.7 instance', () =>
    expectCounterexample(ahopNeverEndsWorseOnHeldOut('none'), { numRuns: 1, examples: [[RISING]] }));

  it('A-Hop at lr 0.1: the returned parameters’ training loss ≤ the starting loss', () =>
    expectHolds(ahopNeverEndsWorse('best-iterate'), { numRuns: 12, examples: [[RISING]] }));

  it('… and plain Adam (the safeguard removed) is caught, on the small MNIST δ 0.7 instance', () =>
    expectCounterexample(ahopNeverEndsWorse('none'), { numRuns: 1, examples: [[RISING]] }));

  it('U2-Hop at lr 0.1: the returned W’s training loss ≤ the loss at W = I', () =>
    expectHolds(
      fc.property(fc.nat({ max: 1e6 }), fc.integer({ min: 2, max: 8 }), (seed, d) => {
        const exp = buildExperiment({ kind: 'synthetic', patterns: 'uniform', n: 6, d }, 'composed', 0.7, seed, { trainPairs: 24, testQueries: 1 });
        const { memories, train } = exp.instance;
        const r = trainU2(memories, train, { epochs: 20, lr: 0.1, batchSize: 8, seed });
        const loss = (w: Float64Array) => meanNegLogP(train, (q) => u2Probs(memories, q, { ...r.model, w }));
        const identity = Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0));
        expect(r.finalLoss).toBeLessThanOrEqual(r.losses[0]);
        return loss(r.model.w) <= loss(identity) * (1 + SLACK);
      }),
      { numRuns: 8 },
    ));
});
