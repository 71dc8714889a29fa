/**
 * Variant specs for fuzzing: valid specs of every family for a given d, the slots where each can be
 * broken (σ ≤ 0, ρ ≥ 1, low ≥ high, mixture weights off by 1e-3, missing fields, unknown types), and
 * the constructors called directly with a spec's fields.
 */
import fc from 'fast-check';
import { biased, composed, masked, mixed, noisy, variantFromSpec } from '../../src/variants/index.ts';
import type { Variant, VariantSpec } from '../../src/variants/variant.ts';
import { finite, vector } from './arbitraries.ts';
import { MISSING, type Args, type Slot } from './fuzz.ts';

const sigma = fc.double({ min: 0.05, max: 3, noNaN: true });
const rho = fc.double({ min: 0, max: 0.9, noNaN: true });
/** σ and bias: one number for every dimension, or a vector of length d. */
const sigmaOf = (d: number) => fc.oneof(sigma, vector(d, sigma));
const biasOf = (d: number) => fc.oneof(finite(1), vector(d, finite(1)));

/** A valid variant spec of dimension d (mixed: two components whose weights sum to 1 exactly). */
export const specOf = (d: number, depth = 0): fc.Arbitrary<VariantSpec> => {
  const simple: fc.Arbitrary<VariantSpec>[] = [
    fc.record({ type: fc.constant('noisy' as const), sigma: sigmaOf(d) }),
    fc.record({ type: fc.constant('masked' as const), rho, sigma: sigmaOf(d), low: fc.constant(-1), high: fc.constant(1.5) }),
    fc.record({ type: fc.constant('biased' as const), bias: biasOf(d), sigma: sigmaOf(d) }),
    fc.record({
      type: fc.constant('composed' as const),
      rho,
      sigma: sigmaOf(d),
      bias: biasOf(d),
      low: fc.constant(-2),
      high: fc.constant(2),
    }),
  ];
  if (depth > 0) return fc.oneof(...simple);
  const mix = fc
    .tuple(fc.integer({ min: 1, max: 9 }), specOf(d, 1), specOf(d, 1))
    .map(([w, a, b]): VariantSpec => ({
      type: 'mixed',
      components: [
        { weight: w / 10, variant: a },
        { weight: 1 - w / 10, variant: b },
      ],
    }));
  return fc.oneof(...simple, mix);
};

const interval = (lowPath: string, highPath: string) => (a: Args): [string, unknown][] => {
  const low = lowPath.split('.').reduce<unknown>((o, k) => (o as Args)[k], a) as number;
  void highPath;
  return [
    ['equal to low', low],
    ['below low', low - 1],
  ];
};

/** The slots of a variant spec, by family (paths relative to the spec). */
export function specSlots(spec: VariantSpec, prefix = ''): Slot[] {
  const p = (s: string) => prefix + s;
  const type: Slot = {
    path: p('type'),
    kind: 'custom',
    names: ['type'],
    extra: () => [
      ['unknown', 'gaussian'],
      ['a number', 1],
      ['null', null],
      ['missing', MISSING],
    ],
  };
  const missing = (field: string): Slot => ({ path: p(field), kind: 'custom', names: [field], extra: () => [['missing', MISSING]] });
  switch (spec.type) {
    case 'noisy':
      return [type, { path: p('sigma'), kind: 'positiveOrVector', names: ['sigma'], anyLength: true }, missing('sigma')];
    case 'masked':
      return [
        type,
        { path: p('rho'), kind: 'unit' },
        { path: p('sigma'), kind: 'positiveOrVector', names: ['sigma'], anyLength: true },
        { path: p('low'), kind: 'number', names: ['low'] },
        { path: p('high'), kind: 'number', names: ['high'], extra: interval(p('low'), p('high')) },
        missing('rho'),
      ];
    case 'biased':
      // A length change in one of two vectors is refused naming either; against a number it is valid.
      return [
        type,
        { path: p('bias'), kind: 'numberOrVector', names: ['bias', 'sigma'], anyLength: true },
        { path: p('sigma'), kind: 'positiveOrVector', names: ['sigma', 'bias'], anyLength: true },
        missing('bias'),
      ];
    case 'composed':
      return [
        type,
        { path: p('rho'), kind: 'unit' },
        { path: p('sigma'), kind: 'positiveOrVector', names: ['sigma', 'bias'], anyLength: true },
        { path: p('bias'), kind: 'numberOrVector', names: ['bias', 'sigma'], anyLength: true },
        { path: p('low'), kind: 'number', names: ['low'] },
        { path: p('high'), kind: 'number', names: ['high'], extra: interval(p('low'), p('high')) },
      ];
    case 'mixed':
      return [
        type,
        {
          path: p('components'),
          kind: 'custom',
          names: ['components'],
          extra: () => [
            ['empty', []],
            ['not an array', { weight: 1 }],
            ['null', null],
            ['missing', MISSING],
            ['an entry null', [null]],
            ['an entry without a variant', [{ weight: 1 }]],
          ],
        },
        {
          path: p('components.0.weight'),
          kind: 'number',
          names: ['weight', 'weights', 'components[0].weight'],
          extra: (a) => {
            const w = (a.components as { weight: number }[])[0].weight;
            return [
              ['off by +1e-3', w + 1e-3],
              ['off by -1e-3', w - 1e-3],
              ['negative', -w],
            ];
          },
        },
        { path: p('components.1.variant'), kind: 'object', names: ['variant', 'sigma', 'bias', 'rho'] },
        ...specSlots(spec.components[0].variant, p('components.0.variant.')).filter((s) => !s.path.endsWith('.type')),
      ];
  }
}

/** The variant's constructor called directly with the spec's fields (mixed: components built from their specs). */
export function construct(spec: Args): Variant {
  const s = spec as Record<string, never>;
  switch (spec.type) {
    case 'noisy':
      return noisy(s.sigma);
    case 'masked':
      return masked(s.rho, s.sigma, s.low, s.high);
    case 'biased':
      return biased(s.bias, s.sigma);
    case 'composed':
      return composed(s.rho, s.sigma, s.bias, s.low, s.high);
    case 'mixed': {
      // Components whose variant is an object are built from their spec; anything else goes to mixed() as is.
      const comps = s.components as unknown;
      const built = Array.isArray(comps)
        ? comps.map((c: { weight: number; variant: unknown } | null) =>
            c === null || typeof c.variant !== 'object' || c.variant === null ? c : { weight: c.weight, variant: variantFromSpec(c.variant) },
          )
        : comps;
      return mixed(built as never);
    }
    default:
      return variantFromSpec(spec);
  }
}

