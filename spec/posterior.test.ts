import { describe, expect, it } from 'vitest';
import { posterior } from '../src/bayes/posterior.ts';
import { DomainError, ShapeError } from '../src/errors.ts';
import { logSumExp } from '../src/numeric/logsumexp.ts';
import { masked, noisy } from '../src/variants/index.ts';

const memories = [
  [0, 0],
  [1, 1],
  [0, 1],
];

describe('Bayes posterior', () => {
  it('is normalised: lse of the log-posterior is 0', () =>
    expect(logSumExp(posterior(noisy([1, 1]), memories, [0.2, 0.9]).logPosterior)).toBeCloseTo(0, 14));
  it('for isotropic noise and a uniform prior it picks the nearest memory', () =>
    expect(posterior(noisy([0.5, 0.5]), memories, [0.9, 0.8]).argmax).toBe(1));
  it('a prior shifts the decision', () => {
    const q = [0.2, 0.6];
    expect(posterior(noisy([1, 1]), memories, q).argmax).toBe(2);
    expect(posterior(noisy([1, 1]), memories, q, [1, 1000, 1]).argmax).toBe(1);
  });
  it('log-posterior differences equal log-likelihood differences plus log prior ratios', () => {
    const v = masked(0.4, 0.1, 0, 1);
    const q = [0.05, 0.95];
    const r = posterior(v, memories, q, [1, 2, 3]);
    const expected = v.logLikelihood(q, memories[2]) - v.logLikelihood(q, memories[0]) + Math.log(3);
    expect(r.logPosterior[2] - r.logPosterior[0]).toBeCloseTo(expected, 12);
  });
  it('ties go to the lowest index', () => expect(posterior(noisy([1]), [[1], [1]], [1]).argmax).toBe(0));
  it('rejects a prior of the wrong length or with a non-positive weight', () => {
    expect(() => posterior(noisy([1, 1]), memories, [0, 0], [1, 1])).toThrow(ShapeError);
    expect(() => posterior(noisy([1, 1]), memories, [0, 0], [1, 0, 1])).toThrow(DomainError);
  });
  it('rejects empty memories, ragged memories and NaN queries', () => {
    expect(() => posterior(noisy([1]), [], [0])).toThrow(/N = 0/);
    expect(() => posterior(masked(0.1, 1, 0, 1), [[0, 0], [0]], [0, 0])).toThrow(/ragged/);
    expect(() => posterior(noisy([1, 1]), memories, [Number.NaN, 0])).toThrow(/query\[0\] must be finite/);
  });
});
