/** Builds a Variant from its JSON form (shared/conformance.md), checking every field. */
import { ParseError } from '../errors.ts';
import { biased } from './biased.ts';
import { composed } from './composed.ts';
import { masked } from './masked.ts';
import { mixed } from './mixed.ts';
import { noisy } from './noisy.ts';
import type { Variant } from './variant.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(o: Record<string, unknown>, key: string, where: string): unknown {
  if (!(key in o)) throw new ParseError(`${where} is missing the field "${key}"`);
  return o[key];
}

/**
 * variantFromSpec({ type, …fields }) = the family's constructor applied to the fields, so its log p_V(x | ξ) is that family's.
 * @example
 * ```ts
 * import { noisy, variantFromSpec } from 'ahop';
 * const v = variantFromSpec({ type: 'noisy', sigma: [0.5, 0.5] });
 * if (v.logLikelihood([1, 0], [0, 0]) !== noisy([0.5, 0.5]).logLikelihood([1, 0], [0, 0])) throw new Error('the same distribution');
 * ```
 */
export function variantFromSpec(spec: unknown, where = 'variant'): Variant {
  if (!isObject(spec)) throw new ParseError(`${where} must be an object with a "type" field`);
  const f = (k: string): never => field(spec, k, where) as never;
  switch (spec.type) {
    case 'noisy':
      return noisy(f('sigma'));
    case 'masked':
      return masked(f('rho'), f('sigma'), f('low'), f('high'));
    case 'biased':
      return biased(f('bias'), f('sigma'));
    case 'composed':
      return composed(f('rho'), f('sigma'), f('bias'), f('low'), f('high'));
    case 'mixed': {
      const comps = field(spec, 'components', where);
      if (!Array.isArray(comps)) throw new ParseError(`${where}.components must be an array`);
      return mixed(
        comps.map((c, j) => {
          const w = `${where}.components[${j}]`;
          if (!isObject(c)) throw new ParseError(`${w} must be an object { weight, variant }`);
          return { weight: field(c, 'weight', w) as number, variant: variantFromSpec(field(c, 'variant', w), `${w}.variant`) };
        }),
      );
    }
    default:
      throw new ParseError(`${where}.type must be one of noisy, masked, biased, composed, mixed; got ${JSON.stringify(spec.type)}`);
  }
}
