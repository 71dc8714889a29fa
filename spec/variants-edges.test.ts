/**
 * Edges of the variant families that the main suites did not reach (docs/mutation.md lists the
 * mutants each test kills): zero-weight and malformed mixture components, the mixture's dimension,
 * samples and occluder ranges beyond float64, σ = 0 in the masked family, the names in a length
 * mismatch, and parameters that are neither a number nor an array.
 */
import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../src/errors.ts';
import { createRng } from '../src/random/rng.ts';
import type { Variant } from '../src/variants/variant.ts';
import { biased, composed, masked, mixed, noisy } from '../src/variants/index.ts';
import { checkPerDimension } from '../src/variants/per-dimension.ts';
import { checkVariantDim, variantFromSpec } from '../src/variants/spec.ts';

describe('mixture components', () => {
  it('a zero-weight component adds nothing: the mixture has the other component\'s log-likelihood', () => {
    const a = noisy(0.5);
    const m = mixed([{ weight: 0, variant: noisy(2) }, { weight: 1, variant: a }]);
    expect(m.logLikelihood([0.3, -0.2], [0, 0])).toBe(a.logLikelihood([0.3, -0.2], [0, 0]));
  });
  it('a weight of zero is allowed; a negative weight is a DomainError naming the component', () => {
    expect(() => mixed([{ weight: 0, variant: noisy(1) }, { weight: 1, variant: noisy(2) }])).not.toThrow();
    expect(() => mixed([{ weight: -0.5, variant: noisy(1) }, { weight: 1.5, variant: noisy(2) }])).toThrow(DomainError);
    expect(() => mixed([{ weight: -0.5, variant: noisy(1) }, { weight: 1.5, variant: noisy(2) }])).toThrow(/components\[0\]\.weight must be >= 0/);
  });
  it('a component without a Variant is a ShapeError naming its index', () => {
    const notAVariant = { weight: 1, variant: {} as unknown as Variant };
    expect(() => mixed([notAVariant])).toThrow(ShapeError);
    expect(() => mixed([notAVariant])).toThrow(/components\[0\] must be an object/);
    // A missing component is the same ShapeError, not a TypeError from reading its fields.
    expect(() => mixed([undefined as unknown as { weight: number; variant: Variant }])).toThrow(ShapeError);
  });
  it('components with vector σ of length 2 fix the mixture\'s d = 2, and a source of another length is refused', () => {
    const m = mixed([{ weight: 0.5, variant: noisy([1, 1]) }, { weight: 0.5, variant: noisy(1) }]);
    expect(m.dim).toBe(2);
    // The drawn component may be the scalar one, which takes any d: the mixture checks ξ itself.
    for (let seed = 0; seed < 8; seed++) expect(() => m.sample([0, 0, 0], createRng(seed))).toThrow(ShapeError);
  });
  it('components that all take any d leave the mixture\'s d free', () => {
    expect(mixed([{ weight: 1, variant: noisy(1) }]).dim).toBeUndefined();
  });
});

describe('values beyond float64', () => {
  it('a sample that overflows float64 is a DomainError naming the entry, in every family that shifts the source', () => {
    const xi = [1, 1.7e308];
    for (const v of [biased(1e308, 1), composed(0, 1, 1e308, 0, 1)]) {
      expect(() => v.sample(xi, createRng(3))).toThrow(DomainError);
      expect(() => v.sample(xi, createRng(3))).toThrow(/entry 1/);
    }
    // Noise of scale 1e308 on 16 entries at 1.7e308: some z_i > 0.1 pushes its entry past float64.
    expect(() => noisy(1e308).sample(new Array<number>(16).fill(1.7e308), createRng(3))).toThrow(/overflows float64/);
  });
  it('an overflow in the first entry is refused too', () => {
    expect(() => biased(1e308, 1).sample([1.7e308, 0], createRng(1))).toThrow(/entry 0/);
  });
  it('an occluder range whose width overflows float64 is a DomainError', () => {
    expect(() => masked(0.1, 1, -1e308, 1e308)).toThrow(DomainError);
    expect(() => masked(0.1, 1, -1e308, 1e308)).toThrow(/high - low must be finite/);
  });
});

describe('parameters', () => {
  it('the masked family refuses σ = 0, as a number and as a vector entry', () => {
    expect(() => masked(0.1, 0, 0, 1)).toThrow(/sigma must be > 0/);
    expect(() => masked(0.1, [1, 0], 0, 1)).toThrow(/sigma\[1\] must be > 0/);
  });
  it('a length mismatch names both parameters, in the biased and the composed family', () => {
    expect(() => biased([0, 0], [1, 1, 1])).toThrow(/sigma has length 3 but bias has length 2/);
    expect(() => composed(0.1, [1, 1, 1], [0, 0], 0, 1)).toThrow(/bias has length 2 but sigma has length 3/);
  });
  it('a parameter that is neither a number nor an array is a DomainError saying what it got', () => {
    expect(() => checkPerDimension('sigma', 'wide', true)).toThrow(DomainError);
    expect(() => checkPerDimension('sigma', 'wide', true)).toThrow(/sigma must be a number or an array of numbers, got string/);
    expect(() => checkPerDimension('sigma', null, true)).toThrow(/got null/);
  });
});

describe('errors from a nested spec name its path once', () => {
  const occluder = { type: 'masked', rho: 0.1, sigma: 1, low: 1, high: 0 };
  it('a cross-field error inside a mixture component is prefixed with the component\'s path, once', () => {
    let message = '';
    try {
      variantFromSpec({ type: 'mixed', components: [{ weight: 1, variant: occluder }] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^variant\.components\[0\]\.variant: low must be < high/);
    expect(message.split('variant.components[0].variant').length).toBe(2);
    expect(message).not.toMatch(/^variant: /);
  });
  it('a cross-field error at the top level is prefixed with `where`', () => {
    expect(() => variantFromSpec(occluder, 'query.variant')).toThrow(/^query\.variant: low must be < high/);
  });
  it('a length mismatch inside a mixture names the component\'s vector fields', () => {
    const v = variantFromSpec({ type: 'mixed', components: [{ weight: 0.5, variant: { type: 'biased', bias: [0, 0], sigma: [1, 1] } }, { weight: 0.5, variant: { type: 'noisy', sigma: 1 } }] });
    expect(() => checkVariantDim(v, 16)).toThrow(ShapeError);
    expect(() => checkVariantDim(v, 16)).toThrow(/^variant\.components\[0\]\.variant\.bias \/ variant\.components\[0\]\.variant\.sigma have length 2 but the data have d = 16$/);
  });
});
