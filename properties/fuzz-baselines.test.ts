/**
 * Fuzzing the batched scorer (src/hopfield/batch.ts) and the baselines (src/baselines/), with the
 * same contract as fuzz-library.test.ts: a call broken at one argument is refused with a typed error
 * naming that argument; a valid call with entries of any magnitude returns finite outputs or a typed
 * error. Every method of the registry (METHODS) is fitted on a broken instance and asked a broken
 * query.
 *
 * Known bugs (found by these properties) are excluded from the properties and
 * pinned as `it.fails` examples below, each with its failing input: when one is fixed its example
 * starts failing — then turn it into `it` and drop the exclusion from the property.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createInstance, METHODS, mhopFixedPoint, mhopRetrieve, mhopScoreBatch, sparseRetrieve, universalRetrieve } from '../src/baselines/index.ts';
import { hardMax, polynomialSeparation, softmaxSeparation } from '../src/baselines/separation.ts';
import { sparsemax } from '../src/baselines/sparsemax.ts';
import { SEPARATIONS } from '../src/baselines/separation.ts';
import { UNIVERSAL_SIMILARITIES } from '../src/baselines/similarities.ts';
import { identityMap, u2LossAndGradient } from '../src/baselines/u2hop.ts';
import { retrieveBatch, scoreBatch } from '../src/hopfield/batch.ts';
import { noisy } from '../src/variants/index.ts';
import { finite, params, vector } from './support/arbitraries.ts';
import { anyMagnitude, finiteOrTyped, rejectsEveryCorruption, rejectsNaming, runs, typedOrFinite, type Args, type Slot } from './support/fuzz.ts';
import { expectHolds } from './support/mutation.ts';

const RUNS = runs(100);
const CHEAP = { numRuns: RUNS };

const dims = fc.record({ n: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 4 }) });
const matrix = (n: number, d: number, entry: fc.Arbitrary<number> = finite()) => fc.array(vector(d, entry), { minLength: n, maxLength: n });

/** Corruptions of a flat row-major Float64Array (the batched layout). */
const flatSlot = (path: string): Slot => ({
  path,
  kind: 'custom',
  names: [path],
  extra: (a) => {
    const v = a[path] as Float64Array;
    const at = (x: number) => Float64Array.from(v, (e, i) => (i === v.length - 1 ? x : e));
    return [
      ['a plain array', Array.from(v)],
      ['one entry too many', Float64Array.from([...v, 0])],
      ['an entry NaN', at(Number.NaN)],
      ['an entry +Infinity', at(Number.POSITIVE_INFINITY)],
      ['null', null],
      ['empty', new Float64Array(0)],
    ];
  },
});

const batchArgs = (entry: fc.Arbitrary<number>) =>
  fc
    .record({ n: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 4 }), b: fc.integer({ min: 1, max: 3 }) })
    .chain(({ n, d, b }) =>
      fc.record({
        memories: matrix(n, d, entry).map((m) => Float64Array.from(m.flat())),
        queries: matrix(b, d, entry).map((m) => Float64Array.from(m.flat())),
        n: fc.constant(n),
        d: fc.constant(d),
        b: fc.constant(b),
        params: params(d),
      }),
    );

const batchSlots: Slot[] = [
  flatSlot('memories'),
  flatSlot('queries'),
  { path: 'n', kind: 'count', names: ['memories', 'n'] },
  { path: 'd', kind: 'count', names: ['d', 'memories'] },
  { path: 'b', kind: 'count', names: ['queries', 'b'] },
  { path: 'params', kind: 'object', names: ['params', 'params.wDis'] },
  { path: 'params.wDis', kind: 'vector', names: ['params.wDis', 'params.wDot'] },
  { path: 'params.betaDot', kind: 'number', names: ['params.betaDot'] },
  { path: 'options', kind: 'footprint', names: ['options'], optional: true },
];

/** Entries of any magnitude up to 1e150, so no score overflows float64 (see the known bug below). */
const upTo1e150 = anyMagnitude.map((v) => (Math.abs(v) > 1e150 ? v * 1e-160 : v));
/** The shortest failing input fuzzing found: (0 − (−1.8e308))² overflows, and 0 · Infinity is NaN. */
const overflowing: Args = {
  memories: Float64Array.from([0]),
  n: 1,
  d: 1,
  queries: Float64Array.from([-Number.MAX_VALUE]),
  b: 1,
  params: { wDis: [0], wDot: [0], betaDis: 0, betaDot: 0 },
};

const callBatch = (f: typeof scoreBatch | typeof retrieveBatch) => (a: Args) =>
  f(a.memories as never, a.n as never, a.d as never, a.queries as never, a.b as never, a.params as never, a.options as never);

describe('batch.ts: scoreBatch and retrieveBatch', () => {
  for (const [name, f] of [
    ['scoreBatch', scoreBatch],
    ['retrieveBatch', retrieveBatch],
  ] as const) {
    it(`${name}: every malformed argument is a typed error naming it`, () =>
      expectHolds(rejectsEveryCorruption(batchArgs(finite()).map((a) => ({ ...a, options: undefined })), batchSlots, callBatch(f)), CHEAP));
    it(`${name}: entries up to 1e150 in magnitude give finite outputs or a typed error`, () =>
      expectHolds(finiteOrTyped(batchArgs(upTo1e150), callBatch(f)), CHEAP));
    it(`${name} refuses scores that overflow for finite entries near 1.8e308 with a typed error`, () =>
      rejectsNaming(() => callBatch(f)(overflowing), ['memories', 'queries', 's']));
  }
  it('mhopScoreBatch: every malformed argument is a typed error naming it', () =>
    expectHolds(
      rejectsEveryCorruption(
        batchArgs(finite()).map((a) => ({ ...a, beta: 0.5 })),
        [...batchSlots.slice(0, 5), { path: 'beta', kind: 'positive' }],
        (a) => mhopScoreBatch(a.memories as never, a.n as never, a.d as never, a.queries as never, a.b as never, a.beta as never),
      ),
      CHEAP,
    ));
  it('mhopScoreBatch: entries of any magnitude give finite outputs or a typed error', () =>
    expectHolds(
      finiteOrTyped(batchArgs(anyMagnitude), (a) => mhopScoreBatch(a.memories as never, a.n as never, a.d as never, a.queries as never, a.b as never, 0.5)),
      CHEAP,
    ));
  it('mhopScoreBatch refuses scores that overflow both ways (1e308·1e308 − 1e308·1e308) with a typed error', () =>
    rejectsNaming(() => mhopScoreBatch(Float64Array.from([1e308, 1e308]), 1, 2, Float64Array.from([1e308, -1e308]), 1, 1), ['memories', 'queries']));
});

const problem = (entry: fc.Arbitrary<number>) =>
  dims.chain(({ n, d }) => fc.record({ memories: matrix(n, d, entry), query: vector(d, entry), beta: fc.double({ min: 0.01, max: 4, noNaN: true }) }));
const problemSlots: Slot[] = [
  { path: 'memories', kind: 'matrix', names: ['memories', 'query'] },
  { path: 'query', kind: 'vector' },
  { path: 'beta', kind: 'positive' },
];

describe('M-Hop, sparse Hopfield and the universal Hopfield network', () => {
  const single: [string, (a: Args) => unknown][] = [
    ['mhopRetrieve', (a) => mhopRetrieve(a.memories, a.query, a.beta)],
    ['sparseRetrieve', (a) => sparseRetrieve(a.memories, a.query, a.beta)],
    ['mhopFixedPoint', (a) => mhopFixedPoint(a.memories, a.query, a.beta, { maxSteps: 5 })],
  ];
  for (const [name, call] of single) {
    it(`${name}: every malformed argument is a typed error naming it`, () => expectHolds(rejectsEveryCorruption(problem(finite()), problemSlots, call), CHEAP));
    it(`${name}: entries of any magnitude give finite outputs or a typed error`, () => expectHolds(finiteOrTyped(problem(anyMagnitude), call), CHEAP));
  }
  it('mhopFixedPoint: malformed options are typed errors naming them', () =>
    expectHolds(
      rejectsEveryCorruption(
        problem(finite()).map((a) => ({ ...a, options: { maxSteps: 3, tol: 1e-9 } })),
        [
          { path: 'options.maxSteps', kind: 'count', names: ['maxSteps'] },
          { path: 'options.tol', kind: 'custom', names: ['tol'], extra: () => [['NaN', Number.NaN], ['negative', -1], ['+Infinity', Number.POSITIVE_INFINITY], ['a string', '1']] },
        ],
        (a) => mhopFixedPoint(a.memories, a.query, a.beta, a.options as never),
      ),
      CHEAP,
    ));
  const universal = problem(finite()).chain((a) =>
    fc.record({
      memories: fc.constant(a.memories),
      query: fc.constant(a.query),
      options: fc.record({ similarity: fc.constantFrom(...UNIVERSAL_SIMILARITIES), separation: fc.constantFrom(...SEPARATIONS), beta: fc.constant(1), degree: fc.constant(3) }),
    }),
  );
  it('universalRetrieve: every malformed argument or option is a typed error naming it', () =>
    expectHolds(
      rejectsEveryCorruption(
        universal,
        [
          ...problemSlots.slice(0, 2),
          { path: 'options', kind: 'object', names: ['options', 'similarity', 'separation'] },
          { path: 'options.similarity', kind: 'custom', names: ['similarity'], extra: () => [['unknown', 'cosine'], ['null', null], ['a number', 1]] },
          { path: 'options.separation', kind: 'custom', names: ['separation'], extra: () => [['unknown', 'argmax'], ['null', null], ['a number', 1]] },
          { path: 'options.beta', kind: 'positive', names: ['beta'], optional: true },
          { path: 'options.degree', kind: 'custom', names: ['degree'], extra: () => [['zero', 0], ['negative', -2], ['a fraction', 1.5], ['NaN', Number.NaN], ['a string', '2']] },
        ],
        (a) => universalRetrieve(a.memories, a.query, a.options as never),
        // β only matters for softmax and the degree only for polynomial: elsewhere a bad one may be ignored.
        (c) =>
          (c.slot === 'options.beta' && (c.args.options as Args).separation !== 'softmax') ||
          (c.slot === 'options.degree' && (c.args.options as Args).separation !== 'polynomial'),
      ),
      CHEAP,
    ));
  for (const [what, options, name] of [
    ['options null: TypeError', null, 'options'],
    ['options {}: TypeError', {}, 'options'],
    ["an unknown similarity 'cosine': DomainError \"score 0 is NaN\", not naming the similarity", { similarity: 'cosine', separation: 'softmax' }, 'similarity'],
    ['similarity null: accepted, with finite outputs', { similarity: null, separation: 'hardmax' }, 'similarity'],
    ["an unknown separation 'argmax': TypeError", { similarity: 'dot', separation: 'argmax' }, 'separation'],
  ] as const) {
    it(`universalRetrieve refuses bad options with a typed error naming them (was: ${what})`, () =>
      rejectsNaming(() => universalRetrieve([[0]], [0], options as never), [name]));
  }
  it('universalRetrieve: entries of any magnitude give finite outputs or a typed error', () =>
    expectHolds(
      finiteOrTyped(
        universal.chain((a) => problem(anyMagnitude).map((p) => ({ ...p, options: a.options }))),
        (a) => universalRetrieve(a.memories, a.query, a.options as never),
      ),
      CHEAP,
    ));
});

describe('separations on scores of any kind (±Infinity is a legal limit, NaN is not)', () => {
  const scores = fc.array(fc.oneof(anyMagnitude, fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN)), { minLength: 0, maxLength: 6 });
  const seps: [string, (s: number[]) => unknown][] = [
    ['sparsemax', (s) => sparsemax(s)],
    ['softmaxSeparation', (s) => softmaxSeparation(s, 0.5)],
    ['hardMax', (s) => hardMax(s)],
    ['polynomialSeparation', (s) => polynomialSeparation(s, 3)],
  ];
  for (const [name, sep] of seps) {
    it(`${name}: finite weights or a typed error, never NaN`, () =>
      expectHolds(
        fc.property(scores, (s) => {
          typedOrFinite(() => sep(s));
        }),
        CHEAP,
      ));
  }
});

describe('U2-Hop and instances', () => {
  const u2 = dims.chain(({ n, d }) =>
    fc.record({
      memories: matrix(n, d, finite(2)),
      query: vector(d, finite(2)),
      target: fc.nat({ max: n - 1 }),
      model: fc.constant({ d, w: identityMap(d), beta: 0.5 }),
    }),
  );
  it('u2LossAndGradient: every malformed argument is a typed error naming it', () =>
    expectHolds(
      rejectsEveryCorruption(
        u2,
        [
          { path: 'memories', kind: 'matrix', names: ['memories', 'query', 'model.d'] },
          { path: 'query', kind: 'vector' },
          { path: 'target', kind: 'index' },
          { path: 'model', kind: 'object', names: ['model', 'model.d', 'model.w', 'model.beta'] },
          { path: 'model.d', kind: 'count', names: ['model.d', 'model.w'] },
          { path: 'model.beta', kind: 'positive', names: ['model.beta'] },
          { path: 'model.w', kind: 'custom', names: ['model.w'], extra: (a) => [['a shorter W', new Float64Array(((a.model as { d: number }).d) ** 2 - 1)], ['null', null], ['NaN entries', new Float64Array(((a.model as { d: number }).d) ** 2).fill(Number.NaN)]] },
        ],
        (a) => u2LossAndGradient(a.memories, a.query, a.target, a.model as never),
      ),
      CHEAP,
    ));
  it('u2LossAndGradient with model null is a typed error naming the model (was a TypeError)', () =>
    rejectsNaming(() => u2LossAndGradient([[0]], [0], 0, null as never), ['model']));
  it('createInstance(memories, variant, trainPairs, seed)', () =>
    expectHolds(
      rejectsEveryCorruption(
        dims.chain(({ n, d }) => fc.record({ memories: matrix(n, d, finite(1)), d: fc.constant(d), trainPairs: fc.constant(3), seed: fc.nat() })),
        [
          { path: 'memories', kind: 'matrix', names: ['memories', 'xi'] },
          { path: 'trainPairs', kind: 'count', names: ['trainPairs', 'count'] },
          { path: 'seed', kind: 'seed' },
        ],
        (a) => createInstance(a.memories, noisy(Array(a.d as number).fill(0.2)), a.trainPairs as never, a.seed as never),
      ),
      CHEAP,
    ));
});

describe('every registered method: fit on a broken instance, retrieve a broken query', () => {
  const names = [...METHODS.keys()];
  const fitted = dims.chain(({ n, d }) =>
    fc.record({
      name: fc.constantFrom(...names),
      memories: matrix(n, d, finite(1)),
      query: vector(d, finite(1)),
      seed: fc.nat({ max: 1000 }),
    }),
  );
  const fitAndRetrieve = (a: Args) => {
    const d = (a.memories as number[][])[0].length;
    const instance = 'instance' in a ? a.instance : createInstance(a.memories, noisy(Array(d).fill(0.2)), 4, a.seed as number);
    return METHODS.get(a.name as string)!({ epochs: 1, batchSize: 2 }).prepare(instance as never)(a.query as never);
  };
  it('a malformed query is a typed error naming the query', () =>
    expectHolds(rejectsEveryCorruption(fitted, [{ path: 'query', kind: 'vector' }], fitAndRetrieve), { numRuns: RUNS }));
  it('a malformed instance is a typed error naming the broken part', () =>
    expectHolds(
      rejectsEveryCorruption(
        fitted.map((a) => {
          const d = a.memories[0].length;
          return { ...a, instance: { ...createInstance(a.memories, noisy(Array(d).fill(0.2)), 4, a.seed) } };
        }),
        [
          { path: 'instance', kind: 'object', names: ['instance', 'memories', 'train', 'variant'] },
          { path: 'instance.memories', kind: 'matrix', names: ['memories', 'query', 'variant', 'train.queries'] },
          { path: 'instance.train', kind: 'object', names: ['train', 'train.queries', 'pairs', 'pairs.queries'] },
        ],
        fitAndRetrieve,
        // Methods that do not train ignore the pairs.
        (c) => c.slot === 'instance.train' && !/^(ahop|u2hop)/.test(c.args.name as string),
      ),
      { numRuns: RUNS },
    ));
  it('Method.prepare(null) is a typed error naming the instance, for every method (was a TypeError)', () => {
    for (const name of names) rejectsNaming(() => METHODS.get(name)!().prepare(null as never), ['instance']);
  });
  it('entries of any magnitude give finite outputs or a typed error', () =>
    expectHolds(
      finiteOrTyped(
        dims.chain(({ n, d }) =>
          fc.record({ name: fc.constantFrom(...names), memories: matrix(n, d, anyMagnitude), query: vector(d, anyMagnitude), seed: fc.nat({ max: 1000 }) }),
        ),
        fitAndRetrieve,
      ),
      { numRuns: RUNS },
    ));
});
