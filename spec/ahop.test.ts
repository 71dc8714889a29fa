import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../src/errors.ts';
import { retrieve, scores } from '../src/hopfield/ahop.ts';
import { iterate } from '../src/hopfield/dynamics.ts';
import { logSumExp, softmax } from '../src/numeric/logsumexp.ts';
import { initialParams } from '../src/train/init.ts';

const memories = [
  [0, 0, 1],
  [1, 1, 0],
  [0, 1, 1],
];

describe('A-Hop retrieval', () => {
  const base = initialParams(3);
  it('at the initialisation the scores are the plain negative squared distances', () =>
    expect(retrieve(memories, [0, 1, 0.5], base).scores).toEqual([-1.25, -1.25, -0.25]));
  it('p = softmax(scores), y = Σ p_k ξ_k, E = −lse(scores)', () => {
    const r = retrieve(memories, [0, 1, 0.5], base);
    expect(r.probs).toEqual(softmax(r.scores));
    r.retrieved.forEach((v, i) => expect(v).toBeCloseTo(memories.reduce((a, m, k) => a + r.probs[k] * m[i], 0), 15));
    expect(r.energy).toBe(-logSumExp(r.scores));
    expect(r.source).toBe(2);
  });
  it('is stable at |s| ≥ 1e4: probabilities finite and summing to 1', () => {
    const big = { ...base, betaDis: 1e6 };
    const r = retrieve(memories, [0.1, 0.9, 0.4], big);
    expect(r.probs.every(Number.isFinite)).toBe(true);
    expect(Math.abs(r.probs.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    expect(Number.isFinite(r.energy)).toBe(true);
  });
  it('a single memory is always retrieved with probability 1', () => expect(retrieve([[3, 4]], [0, 0], initialParams(2)).probs).toEqual([1]));
});

describe('iterated dynamics', () => {
  it('returns steps + 1 states and energies, starting from the query', () => {
    const t = iterate(memories, [0.2, 0.7, 0.5], initialParams(3), 4);
    expect(t.states).toHaveLength(5);
    expect(t.energies).toHaveLength(5);
    expect(t.states[0]).toEqual([0.2, 0.7, 0.5]);
  });
  it('the energy of negative distance does not increase along the dynamics', () => {
    const t = iterate(memories, [0.2, 0.7, 0.5], initialParams(3), 10);
    t.energies.slice(1).forEach((e, i) => expect(e).toBeLessThanOrEqual(t.energies[i] + 1e-12));
  });
  it('rejects a negative number of steps', () => expect(() => iterate(memories, [0, 0, 0], initialParams(3), -1)).toThrow(DomainError));
  it('zero steps is the query alone, with its energy −lse(s(Ξ, x))', () => {
    const x = [0.2, 0.7, 0.5];
    const t = iterate(memories, x, initialParams(3), 0);
    expect(t.states).toEqual([x]);
    expect(t.energies).toHaveLength(1);
    expect(t.energies[0]).toBeCloseTo(-Math.log(scores(memories, x, initialParams(3)).reduce((a, v) => a + Math.exp(v), 0)), 12);
  });
});

describe('bad input is a typed error naming the argument', () => {
  const p = initialParams(3);
  it('query of the wrong length', () => expect(() => retrieve(memories, [0, 0], p)).toThrow(/query has length 2 but memories have d = 3/));
  it('ragged memories', () => expect(() => retrieve([[0, 0, 0], [0, 0]], [0, 0, 0], p)).toThrow(ShapeError));
  it('N = 0', () => expect(() => retrieve([], [0, 0, 0], p)).toThrow(/N = 0/));
  it('d = 0', () => expect(() => retrieve([[]], [], p)).toThrow(/d = 0/));
  it('NaN and Infinity', () => {
    expect(() => retrieve(memories, [0, Number.NaN, 0], p)).toThrow(/query\[1\] must be finite/);
    expect(() => retrieve([[0, 0, Infinity], [0, 0, 0]], [0, 0, 0], p)).toThrow(/memories\[0\]\[2\] must be finite/);
  });
  it('parameters sized for another d', () => expect(() => retrieve(memories, [0, 0, 0], initialParams(2))).toThrow(/params.wDis must have length 3/));
});
