import { describe, expect, it } from 'vitest';
import { DomainError, ParseError, ShapeError } from '../src/errors.ts';
import { createRng } from '../src/random/rng.ts';
import { biased, composed, masked, mixed, noisy, variantFromSpec } from '../src/variants/index.ts';

const LOG_2PI = Math.log(2 * Math.PI);

describe('variant log-likelihoods (worked by hand)', () => {
  it('noisy: log N(1; 0, 2²) = −1/8 − log 2 − ½ log 2π', () =>
    expect(noisy([2]).logLikelihood([1], [0])).toBeCloseTo(-1 / 8 - Math.log(2) - 0.5 * LOG_2PI, 14));
  it('biased: the mean is shifted by the bias', () =>
    expect(biased([0.5], 1).logLikelihood([1.5], [1])).toBeCloseTo(-0.5 * LOG_2PI, 14));
  it('masked: inside [low, high] the occluder density ρ/(high − low) adds to the kept Gaussian', () => {
    const kept = 0.75 * Math.exp(-0.5 * LOG_2PI);
    expect(masked(0.25, 1, 0, 2).logLikelihood([1], [1])).toBeCloseTo(Math.log(kept + 0.25 / 2), 14);
  });
  it('masked: outside [low, high] only the kept Gaussian remains', () =>
    expect(masked(0.25, 1, 0, 2).logLikelihood([3], [3])).toBeCloseTo(Math.log(0.75) - 0.5 * LOG_2PI, 14));
  it('composed: a shifted, noisy and occludable dimension', () => {
    const kept = 0.5 * Math.exp(-0.5 * LOG_2PI - Math.log(2));
    expect(composed(0.5, [2], [1], -1, 3).logLikelihood([2], [1])).toBeCloseTo(Math.log(kept + 0.5 / 4), 14);
  });
  it('mixed: log Σ_j w_j p_j', () => {
    const a = noisy([1]);
    const b = noisy([3]);
    const expected = Math.log(0.3 * Math.exp(a.logLikelihood([1], [0])) + 0.7 * Math.exp(b.logLikelihood([1], [0])));
    expect(mixed([{ weight: 0.3, variant: a }, { weight: 0.7, variant: b }]).logLikelihood([1], [0])).toBeCloseTo(expected, 14);
  });
  it('dimensions are independent: the log-likelihood of d dims is the sum over dims', () => {
    const v = masked(0.3, 0.2, -1, 1);
    expect(v.logLikelihood([0.1, 0.9], [0, 0.5])).toBeCloseTo(v.logLikelihood([0.1], [0]) + v.logLikelihood([0.9], [0.5]), 14);
  });
  it('stays finite for a query far outside the occluder range (no log 0)', () =>
    expect(Number.isFinite(masked(0.9, 0.1, 0, 1).logLikelihood([50], [0]))).toBe(true));
});

describe('variant samplers', () => {
  it('are deterministic for a seed', () => {
    const v = composed(0.3, [0.1, 0.2], [1, -1], 0, 1);
    expect(v.sample([0, 0], createRng(4))).toEqual(v.sample([0, 0], createRng(4)));
  });
  it('masked with ρ = 0 and tiny σ returns the source', () => {
    const x = masked(0, 1e-12, 0, 1).sample([0.25, 0.5], createRng(1));
    x.forEach((v, i) => expect(v).toBeCloseTo([0.25, 0.5][i], 9));
  });
});

describe('invalid variant parameters are typed errors naming the argument', () => {
  it('σ ≤ 0', () => expect(() => noisy([1, 0])).toThrow(/sigma\[1\] must be > 0/));
  it('ρ outside [0, 1)', () => expect(() => masked(1, 0.1, 0, 1)).toThrow(DomainError));
  it('low ≥ high', () => expect(() => masked(0.1, 0.1, 1, 1)).toThrow(/low must be < high/));
  it('NaN parameters', () => expect(() => biased([Number.NaN], 1)).toThrow(/bias\[0\] must be finite/));
  it('mixture weights off by 1e-3', () =>
    expect(() => mixed([{ weight: 0.5, variant: noisy([1]) }, { weight: 0.501, variant: noisy([1]) }])).toThrow(/sum to 1/));
  it('mismatched bias and sigma lengths', () => expect(() => composed(0.1, [1, 1], [0], 0, 1)).toThrow(ShapeError));
  it('x and ξ of different lengths', () => expect(() => masked(0.1, 1, 0, 1).logLikelihood([1, 2], [1])).toThrow(ShapeError));
  it('ξ of the wrong dimension for a per-dimension variant', () => expect(() => noisy([1, 1]).sample([0], createRng(1))).toThrow(ShapeError));
  it('components of different dimensions', () =>
    expect(() => mixed([{ weight: 0.5, variant: noisy([1]) }, { weight: 0.5, variant: noisy([1, 1]) }])).toThrow(ShapeError));
});

describe('variant specs (JSON)', () => {
  it('round-trip through variantFromSpec', () => {
    const v = mixed([{ weight: 1, variant: composed(0.2, [0.1], [0.3], -1, 2) }]);
    expect(variantFromSpec(JSON.parse(JSON.stringify(v.spec))).spec).toEqual(v.spec);
  });
  it('an unknown type is a ParseError', () => expect(() => variantFromSpec({ type: 'blurred' })).toThrow(ParseError));
  it('a missing field is a ParseError naming it', () => expect(() => variantFromSpec({ type: 'masked', rho: 0.1 })).toThrow(/"sigma"/));
  it('a non-object is a ParseError', () => expect(() => variantFromSpec([1, 2])).toThrow(ParseError));
});
