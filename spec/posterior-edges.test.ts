/**
 * The posterior's edges: the prior it normalises, and queries with zero likelihood under some or
 * all memories (possible for any user-defined Variant with bounded support).
 */
import { describe, expect, it } from 'vitest';
import { normalisePrior, posterior } from '../src/bayes/posterior.ts';
import { DomainError } from '../src/errors.ts';
import type { Variant } from '../src/variants/variant.ts';

/** A variant with bounded support: x must lie within 1 of ξ in every dimension (uniform density ½ per dimension). */
const box: Variant = {
  spec: { type: 'noisy', sigma: [1] },
  dim: undefined,
  sample: (xi) => [...xi],
  logLikelihood: (x, xi) => (x.every((v, i) => Math.abs(v - xi[i]) <= 1) ? x.length * Math.log(0.5) : -Infinity),
};

describe('posterior edges', () => {
  it('the uniform prior is 1/N for each of N memories', () => {
    expect(normalisePrior(undefined, 4)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('prior weights are divided by their total', () => {
    expect(normalisePrior([1, 3], 2)).toEqual([0.25, 0.75]);
  });

  it('a query with zero likelihood under every memory is a DomainError, not a NaN posterior', () => {
    expect(() => posterior(box, [[0], [1]], [5])).toThrow(DomainError);
  });

  it('memories with zero likelihood get posterior 0 and the others share the mass', () => {
    const r = posterior(box, [[0], [10], [0.5]], [0.2], [1, 1, 3]);
    expect(r.logPosterior[1]).toBe(-Infinity);
    expect(Math.exp(r.logPosterior[0])).toBeCloseTo(0.25, 14);
    expect(Math.exp(r.logPosterior[2])).toBeCloseTo(0.75, 14);
    expect(r.argmax).toBe(2);
  });
});
