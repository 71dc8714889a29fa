/**
 * Fuzzing the library's public entry points. Every call below is a valid call broken at
 * exactly one argument — NaN, ±Infinity, wrong JSON types, ragged or empty arrays, N = 0, d = 0, d
 * mismatched between memories, queries and parameters, σ ≤ 0, ρ ≥ 1, low ≥ high, mixture weights
 * off by 1e-3, counts that are not positive integers — and each must be refused with the project's
 * typed error (AhopError) whose message names the broken argument: never a TypeError or RangeError,
 * never a silently accepted value. Valid calls with entries of every magnitude (denormals to 1e300)
 * must return finite outputs or refuse with a typed error (overflow), never NaN or ±Infinity.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { normalisePrior, posterior } from '../src/bayes/posterior.ts';
import { checkProblem, retrieve } from '../src/hopfield/ahop.ts';
import { iterate } from '../src/hopfield/dynamics.ts';
import { rowBlocks, seededMemoryBlocks, streamRetrieve } from '../src/hopfield/stream.ts';
import { createRng } from '../src/random/rng.ts';
import { checkParams } from '../src/similarity/adaptive.ts';
import { createAdam } from '../src/train/adam.ts';
import { initialParams } from '../src/train/init.ts';
import { lossAndGradient } from '../src/train/loss.ts';
import { samplePairs } from '../src/train/pairs.ts';
import { train, trainOnPairs } from '../src/train/train.ts';
import { checkFinite, checkIndex, checkMatrix, checkPositive, checkVector } from '../src/validate.ts';
import { variantFromSpec } from '../src/variants/index.ts';
import { construct, specOf, specSlots } from './support/fuzz-specs.ts';
import { finite, params, vector } from './support/arbitraries.ts';
import { retrieve as brokenRetrieveTarget } from '../src/hopfield/ahop.ts';
import {
  anyMagnitude,
  corrupted,
  mustRefuse,
  finiteOrTyped,
  rejectsEveryCorruption,
  runs,
  type Args,
  type Slot,
} from './support/fuzz.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';
import { scores, readout } from '../src/hopfield/ahop.ts';
import { softmax } from '../src/numeric/logsumexp.ts';

const RUNS = runs(150);
const CHEAP = { numRuns: RUNS };

// ---------- valid calls ----------

const dims = fc.record({ n: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 5 }) });

const problemOf = (entry: fc.Arbitrary<number>) =>
  dims.chain(({ n, d }) =>
    fc.record({
      memories: fc.array(vector(d, entry), { minLength: n, maxLength: n }),
      query: vector(d, entry),
      params: params(d),
    }),
  );

const problemArgs: fc.Arbitrary<Args> = problemOf(finite());

const problemSlots: Slot[] = [
  { path: 'memories', kind: 'matrix', names: ['memories', 'query'] },
  { path: 'query', kind: 'vector' },
  { path: 'params', kind: 'object', names: ['params', 'params.wDis'] },
  { path: 'params.wDis', kind: 'vector', names: ['params.wDis', 'params.wDot'] },
  { path: 'params.wDot', kind: 'vector', names: ['params.wDot', 'params.wDis'] },
  { path: 'params.betaDis', kind: 'number', names: ['params.betaDis'] },
  { path: 'params.betaDot', kind: 'number', names: ['params.betaDot'] },
  { path: 'options', kind: 'footprint', names: ['options'], optional: true },
];

/** The spec's variant takes any d (masked, or a mixture of such). */
const anyD = (spec: unknown) => variantFromSpec(spec).dim === undefined;
const isFiniteVector = (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
const isFiniteMatrix = (m: unknown): boolean =>
  Array.isArray(m) && m.length > 0 && m.every((r) => isFiniteVector(r) && (r as unknown[]).length === (m[0] as unknown[]).length);

// ---------- the properties ----------

describe('validate.ts: the boundary checks name their argument', () => {
  const checks: [string, (v: unknown) => unknown, Slot['kind']][] = [
    ['checkFinite', (v) => checkFinite('arg', v), 'number'],
    ['checkPositive', (v) => checkPositive('arg', v), 'positive'],
    ['checkVector', (v) => checkVector('arg', v, 3), 'vector'],
    ['checkMatrix', (v) => checkMatrix('arg', v, 2), 'matrix'],
    ['checkIndex', (v) => checkIndex('arg', v, 4), 'index'],
  ];
  const valid: Record<string, fc.Arbitrary<unknown>> = {
    number: finite(),
    positive: finite().map((v) => Math.abs(v) + 1e-3),
    vector: vector(3),
    matrix: fc.array(vector(2), { minLength: 1, maxLength: 4 }),
    index: fc.integer({ min: 0, max: 3 }),
  };
  for (const [name, check, kind] of checks) {
    it(`${name}: every malformed value is a typed error naming it`, () =>
      expectHolds(rejectsEveryCorruption(valid[kind].map((v) => ({ arg: v })), [{ path: 'arg', kind }], (a) => check(a.arg)), CHEAP));
  }
});

describe('A-Hop retrieval, dynamics and loss refuse every malformed argument by name', () => {
  const withOptions = problemArgs.map((a) => ({ ...a, options: undefined }));
  it('retrieve(memories, query, params, options)', () =>
    expectHolds(
      rejectsEveryCorruption(withOptions, problemSlots, (a) => retrieve(a.memories as never, a.query as never, a.params as never, a.options as never)),
      CHEAP,
    ));
  it('checkProblem(memories, query, params)', () =>
    expectHolds(rejectsEveryCorruption(problemArgs, problemSlots.slice(0, -1), (a) => checkProblem(a.memories, a.query, a.params)), CHEAP));
  it('iterate(memories, query, params, steps, options)', () =>
    expectHolds(
      rejectsEveryCorruption(
        withOptions.map((a) => ({ ...a, steps: 2 })),
        [...problemSlots, { path: 'steps', kind: 'natural' }],
        (a) => iterate(a.memories as never, a.query as never, a.params as never, a.steps as never, a.options as never),
      ),
      CHEAP,
    ));
  it('lossAndGradient(memories, query, target, params, options)', () =>
    expectHolds(
      rejectsEveryCorruption(
        withOptions.map((a) => ({ ...a, target: 0 })),
        [...problemSlots, { path: 'target', kind: 'index' }],
        (a) => lossAndGradient(a.memories as never, a.query as never, a.target as never, a.params as never, a.options as never),
      ),
      CHEAP,
    ));
  it('checkParams(params, d)', () =>
    expectHolds(
      rejectsEveryCorruption(
        fc.integer({ min: 1, max: 5 }).chain((d) => fc.record({ params: params(d), d: fc.constant(d) })),
        problemSlots.slice(2, 7),
        (a) => checkParams(a.params, a.d as number),
      ),
      CHEAP,
    ));
});

describe('variants refuse every malformed field by name, through the JSON spec and the constructors', () => {
  const specs = fc.integer({ min: 1, max: 4 }).chain((d) => specOf(d));
  it('variantFromSpec(spec) and noisy/masked/biased/composed/mixed(...)', () =>
    expectHolds(
      fc.property(
        specs.chain((spec) => corrupted(fc.constant(spec as unknown as Args), specSlots(spec))),
        (c) => {
          mustRefuse(c, (a) => variantFromSpec(a));
          mustRefuse(c, construct);
        },
      ),
      CHEAP,
    ));
  it('a spec that is not an object is a ParseError naming the variant', () =>
    expectHolds(
      rejectsEveryCorruption(fc.constant({ spec: {} }), [{ path: 'spec', kind: 'object', names: ['variant'] }], (a) => variantFromSpec(a.spec)),
      { numRuns: 20 },
    ));

  const callArgs = fc
    .integer({ min: 1, max: 4 })
    .chain((d) => fc.record({ spec: specOf(d), x: vector(d, finite(2)), xi: vector(d, finite(2)), seed: fc.nat() }));
  it('variant.logLikelihood(x, xi)', () =>
    expectHolds(
      rejectsEveryCorruption(callArgs, [{ path: 'x', kind: 'vector', names: ['x', 'xi'] }, { path: 'xi', kind: 'vector', names: ['xi', 'x'] }], (a) =>
        variantFromSpec(a.spec).logLikelihood(a.x as never, a.xi as never),
      ),
      CHEAP,
    ));
  it('variant.sample(xi, rng)', () =>
    expectHolds(
      rejectsEveryCorruption(
        callArgs,
        [{ path: 'xi', kind: 'vector' }],
        (a) => variantFromSpec(a.spec).sample(a.xi as never, createRng(a.seed as number)),
        // A variant that takes any d (masked, or a mix of them) samples from a ξ of another length.
        (c) => anyD(c.args.spec) && isFiniteVector(c.args.xi),
      ),
      CHEAP,
    ));
});

describe('the Bayes posterior refuses every malformed argument by name', () => {
  const args = dims.chain(({ n, d }) =>
    fc.record({
      spec: specOf(d),
      memories: fc.array(vector(d, finite(2)), { minLength: n, maxLength: n }),
      query: vector(d, finite(2)),
      prior: fc.option(vector(n, fc.double({ min: 0.1, max: 5, noNaN: true })), { nil: undefined }),
    }),
  );
  it('posterior(variant, memories, query, prior)', () =>
    expectHolds(
      rejectsEveryCorruption(
        args.map((a) => ({ ...a, prior: a.prior ?? a.memories.map(() => 1) })),
        [
          { path: 'memories', kind: 'matrix', names: ['memories', 'query'] },
          { path: 'query', kind: 'vector' },
          { path: 'prior', kind: 'positiveVector', optional: true },
        ],
        (a) => posterior(variantFromSpec(a.spec), a.memories as never, a.query as never, a.prior as never),
      ),
      CHEAP,
    ));
  it('normalisePrior(prior, n)', () =>
    expectHolds(
      rejectsEveryCorruption(
        fc.integer({ min: 1, max: 5 }).chain((n) => fc.record({ prior: vector(n, fc.double({ min: 0.1, max: 5, noNaN: true })), n: fc.constant(n) })),
        [{ path: 'prior', kind: 'positiveVector', optional: true }],
        (a) => normalisePrior(a.prior as never, a.n as number),
      ),
      CHEAP,
    ));
});

describe('training refuses every malformed argument and option by name', () => {
  const tiny = fc
    .record({ n: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 3 }) })
    .chain(({ n, d }) =>
      fc.record({
        memories: fc.array(vector(d, finite(1)), { minLength: n, maxLength: n }),
        spec: specOf(d, 1),
        options: fc.record({
          epochs: fc.constant(1),
          pairs: fc.constant(4),
          batchSize: fc.constant(2),
          lr: fc.constant(0.1),
          seed: fc.nat({ max: 1000 }),
          bases: fc.constantFrom(['dis', 'dot'], ['dis'], ['dot']),
          footprint: fc.record({ sort: fc.boolean(), cumulative: fc.boolean() }),
        }),
        pairs: fc.constant({ queries: [Array(d).fill(0.5)], targets: [n - 1] }),
        steps: fc.constant(undefined),
      }),
    );
  const optionSlots: Slot[] = [
    { path: 'options.epochs', kind: 'count', names: ['epochs'] },
    { path: 'options.pairs', kind: 'count', names: ['pairs'] },
    { path: 'options.batchSize', kind: 'count', names: ['batchSize'] },
    { path: 'options.lr', kind: 'positive', names: ['lr'] },
    { path: 'options.seed', kind: 'seed', names: ['seed'] },
    {
      path: 'options.bases',
      kind: 'custom',
      names: ['bases'],
      extra: () => [
        ['empty', []],
        ['an unknown base', ['cos']],
        ['a string', 'dis'],
        ['null', null],
        ['an entry null', [null]],
      ],
    },
    { path: 'options.footprint', kind: 'footprint', names: ['footprint'] },
    { path: 'options.init', kind: 'object', names: ['init', 'params'], optional: true },
    { path: 'options.onEpoch', kind: 'custom', names: ['onEpoch'], extra: () => [['a number', 5], ['a string', 'log']] },
  ];
  it('train(memories, variant, options)', () =>
    expectHolds(
      rejectsEveryCorruption(
        tiny,
        [{ path: 'memories', kind: 'matrix', names: ['memories', 'xi'] }, ...optionSlots],
        (a) => train(a.memories as never, variantFromSpec(a.spec), a.options as never),
        // A masked variant takes any d: memories of another (consistent) width are a valid call;
        // init: null means "the default start", like undefined.
        (c) => (anyD(c.args.spec) && isFiniteMatrix(c.args.memories)) || (c.slot === 'options.init' && c.what === 'null'),
      ),
      CHEAP,
    ));
  it('trainOnPairs(memories, pairs, options)', () =>
    expectHolds(
      rejectsEveryCorruption(
        tiny,
        [
          { path: 'memories', kind: 'matrix', names: ['memories', 'query'] },
          { path: 'pairs', kind: 'object', names: ['pairs', 'pairs.queries'] },
          { path: 'pairs.queries', kind: 'matrix', names: ['pairs.queries', 'queries', 'query', 'targets', 'pairs.targets'] },
          {
            path: 'pairs.targets',
            kind: 'custom',
            names: ['targets', 'pairs.targets'],
            extra: (a) => [
              ['empty', []],
              ['an index N', [(a.memories as unknown[]).length]],
              ['negative', [-1]],
              ['a fraction', [0.5]],
              ['a string', ['0']],
              ['not an array', 0],
              ['one too many', [0, 0]],
            ],
          },
          ...optionSlots.filter((s) => s.path !== 'options.pairs'),
        ],
        (a) => trainOnPairs(a.memories as never, a.pairs as never, a.options as never),
        (c) => c.slot === 'options.init' && c.what === 'null',
      ),
      CHEAP,
    ));
  it('samplePairs(memories, variant, count, rng)', () =>
    expectHolds(
      rejectsEveryCorruption(
        tiny.map((a) => ({ ...a, count: 3 })),
        [
          { path: 'memories', kind: 'matrix', names: ['memories', 'xi'] },
          { path: 'count', kind: 'count' },
        ],
        (a) => samplePairs(a.memories as never, variantFromSpec(a.spec), a.count as never, createRng(1)),
        (c) => c.slot === 'memories' && anyD(c.args.spec) && isFiniteMatrix(c.args.memories),
      ),
      CHEAP,
    ));
  it('createAdam(size, options) and adam.step(theta, g)', () =>
    expectHolds(
      rejectsEveryCorruption(
        fc.record({ size: fc.integer({ min: 1, max: 5 }), options: fc.record({ lr: fc.constant(0.1), eps: fc.constant(1e-8), beta1: fc.constant(0.9), beta2: fc.constant(0.999) }) }),
        [
          { path: 'size', kind: 'count' },
          { path: 'options.lr', kind: 'positive', names: ['lr'] },
          { path: 'options.eps', kind: 'positive', names: ['eps'] },
          { path: 'options.beta1', kind: 'unit', names: ['beta1'] },
          { path: 'options.beta2', kind: 'unit', names: ['beta2'] },
        ],
        (a) => createAdam(a.size as never, a.options as never),
      ),
      CHEAP,
    ));
  it('adam.step refuses θ and g of the wrong length or with non-finite entries', () =>
    expectHolds(
      rejectsEveryCorruption(
        fc.integer({ min: 1, max: 5 }).chain((n) => fc.record({ theta: vector(n), g: vector(n), n: fc.constant(n) })),
        [{ path: 'g', kind: 'vector', names: ['g'] }],
        (a) => createAdam(a.n as number).step(Float64Array.from(a.theta as number[]), a.g as never),
      ),
      CHEAP,
    ));
  it('initialParams(d, beta)', () =>
    expectHolds(
      rejectsEveryCorruption(
        fc.record({ d: fc.integer({ min: 1, max: 5 }), beta: fc.record({ dis: finite(), dot: finite() }) }),
        [
          { path: 'd', kind: 'count' },
          { path: 'beta', kind: 'object', names: ['beta', 'beta.dis'], optional: true },
          { path: 'beta.dis', kind: 'number', names: ['beta.dis'] },
          { path: 'beta.dot', kind: 'number', names: ['beta.dot'] },
        ],
        (a) => initialParams(a.d as never, a.beta as never),
      ),
      CHEAP,
    ));
  it('createRng(seed)', () =>
    expectHolds(rejectsEveryCorruption(fc.record({ seed: fc.nat() }), [{ path: 'seed', kind: 'seed' }], (a) => createRng(a.seed as never)), CHEAP));
});

describe('streaming retrieval refuses every malformed argument by name', () => {
  const streamArgs = problemOf(finite()).chain((a) =>
    fc.record({
      memories: fc.constant(a.memories),
      queries: fc.constant(Float64Array.from(a.query)),
      b: fc.constant(1),
      d: fc.constant(a.query.length),
      params: fc.constant(a.params),
      blockRows: fc.integer({ min: 1, max: 3 }),
      options: fc.constant(undefined),
    }),
  );
  const flat: Slot = {
    path: 'queries',
    kind: 'custom',
    names: ['queries'],
    extra: (a) => {
      const q = a.queries as Float64Array;
      return [
        ['a plain array', Array.from(q)],
        ['one entry too many', Float64Array.from([...q, 0])],
        ['an entry NaN', Float64Array.from(q, (v, i) => (i === 0 ? Number.NaN : v))],
        ['an entry -Infinity', Float64Array.from(q, (v, i) => (i === 0 ? Number.NEGATIVE_INFINITY : v))],
        ['null', null],
      ];
    },
  };
  it('streamRetrieve(blocks, d, queries, b, params, options): memories, queries, d, b, params, options', () =>
    expectHolds(
      rejectsEveryCorruption(
        streamArgs,
        [
          { path: 'memories', kind: 'matrix', names: ['memories', 'N', 'block', 'd'] },
          flat,
          { path: 'd', kind: 'count', names: ['d', 'queries'] },
          { path: 'b', kind: 'count', names: ['b', 'queries'] },
          ...problemSlots.slice(2),
        ],
        (a) => streamRetrieve(rowBlocks(a.memories as never, a.blockRows as number), a.d as never, a.queries as never, a.b as never, a.params as never, a.options as never),
        // Blocks are flat: rows of another width that still cut into whole rows of d (a flat vector
        // of d entries, or 2 rows of width 2 read as 4 rows of d = 1) are a valid, different call.
        (c) =>
          c.slot === 'memories' &&
          isFiniteMatrix(c.args.memories) &&
          [...rowBlocks(c.args.memories as number[][], c.args.blockRows as number)].every((b) => b.length % (c.args.d as number) === 0),
      ),
      CHEAP,
    ));
  it('rowBlocks and seededMemoryBlocks refuse non-positive or fractional sizes by name', () =>
    expectHolds(
      rejectsEveryCorruption(
        fc.record({ seed: fc.nat(), n: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 1, max: 5 }), blockRows: fc.integer({ min: 1, max: 5 }) }),
        [
          { path: 'n', kind: 'count' },
          { path: 'd', kind: 'count' },
          { path: 'blockRows', kind: 'count' },
          { path: 'seed', kind: 'seed' },
        ],
        (a) => [...seededMemoryBlocks(a.seed as never, a.n as never, a.d as never, a.blockRows as never)].length + [...rowBlocks([[1, 2]], a.blockRows as never)].length,
      ),
      CHEAP,
    ));
});

describe('valid calls with entries of every magnitude (denormals … 1e300) give finite outputs or a typed error', () => {
  const wide = problemOf(anyMagnitude);
  const call = (a: Args) => retrieve(a.memories as never, a.query as never, a.params as never);
  it('retrieve', () => expectHolds(finiteOrTyped(wide, call), CHEAP));
  it('iterate (3 steps)', () => expectHolds(finiteOrTyped(wide, (a) => iterate(a.memories as never, a.query as never, a.params as never, 3)), CHEAP));
  it('lossAndGradient', () =>
    expectHolds(finiteOrTyped(wide, (a) => lossAndGradient(a.memories as never, a.query as never, 0, a.params as never)), CHEAP));
  const wideVariant = fc
    .integer({ min: 1, max: 4 })
    .chain((d) => fc.record({ spec: specOf(d), x: vector(d, anyMagnitude), xi: vector(d, anyMagnitude), seed: fc.nat() }));
  it('variant.logLikelihood and variant.sample', () =>
    expectHolds(
      finiteOrTyped(wideVariant, (a) => {
        const v = variantFromSpec(a.spec);
        return [v.logLikelihood(a.x as never, a.xi as never), v.sample(a.xi as never, createRng(a.seed as number))];
      }),
      CHEAP,
    ));
  it('streamRetrieve (blocks of 2)', () =>
    expectHolds(
      finiteOrTyped(wide, (a) =>
        streamRetrieve(rowBlocks(a.memories as never, 2), (a.query as number[]).length, Float64Array.from(a.query as number[]), 1, a.params as never),
      ),
      CHEAP,
    ));
  it('posterior', () =>
    expectHolds(
      finiteOrTyped(
        dims.chain(({ n, d }) =>
          fc.record({ spec: specOf(d), memories: fc.array(vector(d, anyMagnitude), { minLength: n, maxLength: n }), query: vector(d, anyMagnitude) }),
        ),
        (a) => posterior(variantFromSpec(a.spec), a.memories as never, a.query as never),
      ),
      CHEAP,
    ));

  it('… and a retrieve that skips its checks is caught by the contract', () => {
    const unchecked = (a: Args) => {
      const s = scores(a.memories as never, a.query as never, a.params as never);
      return { scores: s, retrieved: readout(a.memories as never, softmax(s)) };
    };
    void brokenRetrieveTarget;
    expectCounterexample(finiteOrTyped(wide, unchecked));
    expectCounterexample(rejectsEveryCorruption(problemArgs, problemSlots.slice(0, 2), unchecked));
  });
});
