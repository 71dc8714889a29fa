/**
 * Worked examples of the A-Hop layer: what it returns at a tie of the sort, its boundary checks,
 * and the modules' boundary checks.
 */
import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../src/errors.ts';
import { layerForward, layerVjp, type LayerInputs } from '../src/hopfield/layer.ts';
import { Hopfield } from '../src/layers/hopfield.ts';
import { HopfieldLayer } from '../src/layers/hopfield-layer.ts';
import { HopfieldPooling } from '../src/layers/hopfield-pooling.ts';

const base: LayerInputs = {
  queries: [[0, 0]],
  keys: [[1, -1]],
  values: [[1]],
  params: { wDis: [1, 0], wDot: [0, 0], betaDis: 1, betaDot: 0 },
};

describe('at a tie of the sort the VJP is the gradient of the stable order’s piece', () => {
  // q_dis = (−1, −1): tied. With w_dis = (1, 0), c = (1, 0) and s = max(q_0, q_1). One key: E = −s, so Ē = −1 gives L = s.
  const s = (x: number[]) => layerForward({ ...base, queries: [x] }).scores[0][0];
  const g = layerVjp(base, { retrieved: [[0]], energy: [-1] }).queries[0];
  const h = 1e-7;

  it('the scores are continuous across the tie (both sides meet at s = −1)', () => {
    expect(s([0, 0])).toBe(-1);
    expect(Math.abs(s([h, 0]) - s([-h, 0]))).toBeLessThan(1e-6);
  });

  it('the gradient jumps: the one-sided derivatives in x_0 are 2 and 0', () => {
    expect((s([h, 0]) - s([0, 0])) / h).toBeCloseTo(2, 5);
    expect((s([0, 0]) - s([-h, 0])) / h).toBeCloseTo(0, 12);
  });

  it('the reference returns the piece where the lower index ranks first (q_0 > q_1): (2, 0)', () => {
    expect(g[0]).toBe(2);
    expect(g[1]).toBe(0);
    // Entering that piece from the tie: x_0 up (q_0 grows) or x_1 up (q_1 shrinks).
    expect((s([h, 0]) - s([0, 0])) / h).toBeCloseTo(g[0], 5);
    expect((s([0, h]) - s([0, 0])) / h).toBeCloseTo(g[1], 12);
  });
});

describe('the layer refuses bad input with a typed error naming the field', () => {
  const ct = { retrieved: [[1]], energy: [0] };
  it.each([
    ['ragged queries', { ...base, queries: [[0, 0], [0]] }, ShapeError, /queries/],
    ['keys of another d', { ...base, keys: [[1, 2, 3]] }, ShapeError, /keys\[0\]/],
    ['values with a row per key missing', { ...base, values: [[1], [2]] }, ShapeError, /values has 2 rows but keys has N = 1/],
    ['NaN in values', { ...base, values: [[NaN]] }, DomainError, /values\[0\]\[0\]/],
    ['w_dis of the wrong length', { ...base, params: { ...base.params, wDis: [1] } }, ShapeError, /params\.wDis/],
    ['scores beyond float64', { ...base, queries: [[1e200, 0]] }, DomainError, /too large/],
  ])('%s', (_, inputs, type, message) => {
    expect(() => layerForward(inputs as LayerInputs)).toThrow(type);
    expect(() => layerForward(inputs as LayerInputs)).toThrow(message);
    expect(() => layerVjp(inputs as LayerInputs, ct)).toThrow(type);
  });

  it('a cotangent of the wrong shape', () => {
    expect(() => layerVjp(base, { retrieved: [[1, 2]], energy: [0] })).toThrow(/cotangent\.retrieved\[0\]/);
    expect(() => layerVjp(base, { retrieved: [[1]], energy: [0, 1] })).toThrow(/cotangent\.energy/);
    expect(() => layerVjp(base, { retrieved: [[1]], energy: [Infinity] })).toThrow(DomainError);
  });
});

describe('the modules refuse bad options and patterns by name', () => {
  it('non-integer or missing dimensions', () => {
    expect(() => new Hopfield({ stateDim: 0 })).toThrow(/options\.stateDim/);
    expect(() => new HopfieldPooling({ inputDim: 2, quantity: 1.5 })).toThrow(/options\.quantity/);
    expect(() => new HopfieldLayer({ stateDim: 2, quantity: 0 })).toThrow(/options\.quantity/);
    expect(() => new Hopfield({ stateDim: 2, similarity: 'cosine' as never })).toThrow(/similarity/);
  });

  it('patterns of the wrong width', () => {
    const hop = new Hopfield({ stateDim: 2, storedDim: 3 });
    expect(() => hop.forward({ statePatterns: [[1, 2]], storedPatterns: [[1, 2]] })).toThrow(/storedPatterns\[0\]/);
    expect(() => hop.forward({ statePatterns: [[1]], storedPatterns: [[1, 2, 3]] })).toThrow(/statePatterns\[0\]/);
    expect(() => hop.forward({ statePatterns: [[1, 2]], storedPatterns: [[1, 2, 3]], patternProjection: [[1, 2, 3], [4, 5, 6]] })).toThrow(/patternProjection/);
    expect(() => new HopfieldPooling({ inputDim: 2 }).forward([[NaN, 1]])).toThrow(DomainError);
    expect(() => new HopfieldLayer({ stateDim: 2, quantity: 3 }).forward([[1, 2, 3]])).toThrow(/statePatterns/);
  });
});
