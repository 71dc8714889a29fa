/**
 * Save/load of the model JSON under fuzzing (spec/train.test.ts has the worked examples).
 * Claims: a saved model carries its format, version and d, and loads back to the same doubles for
 * parameters of every magnitude (denormals … ±1.8e308); every prefix of a saved file (a truncated
 * write), every field of the wrong JSON type, an unknown version and a d that disagrees with the
 * weights or with the data are refused with a typed error that names the field — never a TypeError,
 * never a model with NaN in it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError, ShapeError } from '../src/errors.ts';
import { loadModel, MODEL_FORMAT, MODEL_VERSION, saveModel, type Model } from '../src/hopfield/model-json.ts';
import { vector } from './support/arbitraries.ts';
import { anyMagnitude, MISSING, rejectsEveryCorruption, rejectsNaming, runs, type Args, type Slot } from './support/fuzz.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const RUNS = runs(150);

const model: fc.Arbitrary<Model> = fc.integer({ min: 1, max: 8 }).chain((d) =>
  fc.record({
    params: fc.record({ wDis: vector(d, anyMagnitude), wDot: vector(d, anyMagnitude), betaDis: anyMagnitude, betaDot: anyMagnitude }),
    footprint: fc.record({ sort: fc.boolean(), cumulative: fc.boolean() }),
  }),
);

/** Equal as doubles; JSON has no −0, so a saved −0 loads as +0 (the same model: every score is unchanged). */
const sameDouble = (a: number, b: number) => Object.is(a, b) || (a === 0 && b === 0);

const roundTrips = (save: (m: Model) => string, load: (t: string) => Model) =>
  fc.property(model, (m) => {
    const back = load(save(m));
    const p = m.params;
    const q = back.params;
    return (
      q.wDis.length === p.wDis.length &&
      q.wDis.every((v, i) => sameDouble(v, p.wDis[i])) &&
      q.wDot.every((v, i) => sameDouble(v, p.wDot[i])) &&
      sameDouble(q.betaDis, p.betaDis) &&
      sameDouble(q.betaDot, p.betaDot) &&
      back.footprint.sort === m.footprint.sort &&
      back.footprint.cumulative === m.footprint.cumulative
    );
  });

describe('model JSON round trip', () => {
  it('loads back the same doubles, denormals and ±1.8e308 included', () => expectHolds(roundTrips(saveModel, (t) => loadModel(t)), { numRuns: RUNS }));
  it('… and a writer that prints 17 significant digits rounded to 15 is caught', () =>
    expectCounterexample(
      roundTrips(
        (m) => saveModel(m).replace(/-?\d+\.\d+(e[+-]?\d+)?/g, (s) => String(Number(Number(s).toPrecision(15)))),
        (t) => loadModel(t),
      ),
    ));
  it('saves the format, version and d first, so a reader can refuse a file before reading weights', () =>
    expectHolds(
      fc.property(model, (m) => {
        const j = JSON.parse(saveModel(m));
        return Object.keys(j).slice(0, 3).join() === 'format,version,d' && j.format === MODEL_FORMAT && j.version === MODEL_VERSION && j.d === m.params.wDis.length;
      }),
      { numRuns: 50 },
    ));
});

const saved = model.map((m) => JSON.parse(saveModel(m)) as Args);

const wrongTypes = (): [string, unknown][] => [
  ['null', null],
  ['a string', '1'],
  ['an array', []],
  ['an object', {}],
  ['missing', MISSING],
];

const fileSlots: Slot[] = [
  { path: 'format', kind: 'custom', extra: () => [...wrongTypes(), ['another format', 'ahop-conformance']] },
  { path: 'version', kind: 'custom', extra: () => [...wrongTypes(), ['a later version', MODEL_VERSION + 1], ['zero', 0], ['a fraction', 1.5]] },
  {
    path: 'd',
    kind: 'custom',
    names: ['d', 'model.params.w_dis', 'model.d'],
    extra: (a) => [...wrongTypes(), ['zero', 0], ['negative', -1], ['a fraction', 1.5], ['one more than the weights', (a.d as number) + 1]],
  },
  { path: 'footprint', kind: 'footprint', names: ['footprint', 'model.footprint'] },
  { path: 'params', kind: 'object', names: ['params', 'model.params', 'model.params.w_dis'] },
  { path: 'params.w_dis', kind: 'vector', names: ['model.params.w_dis'] },
  { path: 'params.w_dot', kind: 'vector', names: ['model.params.w_dot'] },
  { path: 'params.beta_dis', kind: 'custom', names: ['model.params.beta_dis'], extra: wrongTypes },
  { path: 'params.beta_dot', kind: 'custom', names: ['model.params.beta_dot'], extra: wrongTypes },
];

/**
 * JSON text for a value: JSON has no NaN or ±Infinity, so a NaN is written as null and ±Infinity as
 * ±1e999 (which JSON.parse reads back as ±Infinity, as any file from a float32 backend might say).
 */
function toJsonText(v: unknown): string {
  return JSON.stringify(v, (_, x) => (typeof x === 'number' && !Number.isFinite(x) ? (Number.isNaN(x) ? null : `@@${x > 0 ? '' : '-'}1e999@@`) : x)).replace(
    /"@@(-?1e999)@@"/g,
    '$1',
  );
}

describe('loading a malformed model is refused by name', () => {
  it('every field of the wrong JSON type, missing, or out of range', () =>
    expectHolds(rejectsEveryCorruption(saved, fileSlots, (a) => loadModel(toJsonText(a))), { numRuns: RUNS }));
  it('every proper prefix of a saved file (a truncated write) is a ParseError', () =>
    expectHolds(
      fc.property(model, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (m, at) => {
        const text = saveModel(m).trimEnd();
        const cut = text.slice(0, Math.floor(at * text.length));
        expect(() => loadModel(cut)).toThrow(ParseError);
      }),
      { numRuns: RUNS },
    ));
  it('a document that is not an object is a ParseError', () => {
    for (const text of ['', 'null', '[]', '"ahop-model"', '42', 'true', '{', '}']) expect(() => loadModel(text)).toThrow(ParseError);
  });
  it('loading into data of another d is a ShapeError naming both', () =>
    expectHolds(
      fc.property(model, fc.integer({ min: 1, max: 9 }), (m, d) => {
        const own = m.params.wDis.length;
        if (d === own) return loadModel(saveModel(m), d).params.wDis.length === d;
        const e = rejectsNaming(() => loadModel(saveModel(m), d), ['d']);
        return e instanceof ShapeError && e.message.includes(`d = ${own}`) && e.message.includes(`d = ${d}`);
      }),
      { numRuns: 50 },
    ));
});

describe('saving refuses a model it could not load back', () => {
  const models = model.map((m) => m as unknown as Args);
  it('saveModel: malformed params or footprint are typed errors naming the field', () =>
    expectHolds(
      rejectsEveryCorruption(
        models,
        [
          { path: 'params', kind: 'object', names: ['params', 'params.wDis'] },
          { path: 'params.wDis', kind: 'vector', names: ['params.wDis', 'params.wDot'] },
          { path: 'params.wDot', kind: 'vector', names: ['params.wDot', 'params.wDis'] },
          { path: 'params.betaDis', kind: 'number', names: ['params.betaDis'] },
          { path: 'footprint', kind: 'footprint', names: ['footprint'] },
        ],
        (a) => saveModel(a as never),
      ),
      { numRuns: RUNS },
    ));
  it('saveModel(null) is a typed error, not a TypeError', () => {
    rejectsNaming(() => saveModel(null as never), ['model']);
    rejectsNaming(() => saveModel(1 as never), ['model']);
  });
});
