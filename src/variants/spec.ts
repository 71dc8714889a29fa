/**
 * The JSON form of a variant (docs/conformance.md, schemas/variant.schema.json): one schema object
 * that checks a spec at run time and generates the JSON Schema, and variantFromSpec, which builds
 * the Variant. Unknown fields are refused; σ and bias are a number or a vector of length d in every
 * family that has them.
 */
import { z } from 'zod';
import { AhopError, ShapeError } from '../errors.ts';
import { finite, positiveScalarOrVector, scalarOrVector } from '../schema/fields.ts';
import { parseWith } from '../schema/parse.ts';
import { biased } from './biased.ts';
import { composed } from './composed.ts';
import { masked } from './masked.ts';
import { mixed } from './mixed.ts';
import { noisy } from './noisy.ts';
import type { Variant, VariantSpec } from './variant.ts';

const rho = () => z.number().min(0).lt(1).describe('probability that a dimension is occluded, in [0, 1)');
const sigma = () => positiveScalarOrVector('standard deviation of the kept (Gaussian) value');
const bias = () => scalarOrVector('shift added to the source');
const low = () => finite().describe('lower end of the occluder range (low < high)');
const high = () => finite().describe('upper end of the occluder range (low < high)');

const Noisy = z.strictObject({ type: z.literal('noisy'), sigma: sigma() }).describe('x_i = ξ_i + σ_i z_i');
const Masked = z
  .strictObject({ type: z.literal('masked'), rho: rho(), sigma: sigma(), low: low(), high: high() })
  .describe('each dimension kept with noise σ_i (probability 1 − ρ) or replaced by a value drawn uniformly from [low, high]');
const Biased = z.strictObject({ type: z.literal('biased'), bias: bias(), sigma: sigma() }).describe('x_i = ξ_i + b_i + σ_i z_i');
const Composed = z
  .strictObject({ type: z.literal('composed'), rho: rho(), sigma: sigma(), bias: bias(), low: low(), high: high() })
  .describe('each dimension occluded (probability ρ, uniform on [low, high]) or else shifted by b_i and noisy with σ_i');

const Mixed = z
  .strictObject({
    type: z.literal('mixed'),
    components: z
      .array(
        z.strictObject({
          weight: z.number().min(0).describe('probability of this component (the weights sum to 1)'),
          get variant(): z.ZodType<VariantSpec> {
            return VariantSpecSchema;
          },
        }),
      )
      .min(1),
  })
  .describe('each query drawn from one component, chosen with probability weight');

/** The variant spec: one of the five families, told apart by `type`. */
export const VariantSpecSchema: z.ZodType<VariantSpec> = z
  .discriminatedUnion('type', [Noisy, Masked, Biased, Composed, Mixed])
  .meta({ id: 'VariantSpec', title: 'ahop variant spec', description: 'A distribution of a query x given its source pattern ξ (docs/conformance.md, section Variants). σ and bias are a number (the same for every dimension) or an array of d numbers.' });

function build(spec: VariantSpec, where: string): Variant {
  switch (spec.type) {
    case 'noisy':
      return noisy(spec.sigma);
    case 'masked':
      return masked(spec.rho, spec.sigma, spec.low, spec.high);
    case 'biased':
      return biased(spec.bias, spec.sigma);
    case 'composed':
      return composed(spec.rho, spec.sigma, spec.bias, spec.low, spec.high);
    case 'mixed':
      return mixed(spec.components.map((c, j) => ({ weight: c.weight, variant: checked(c.variant, `${where}.components[${j}].variant`) })));
  }
}

/** Builds a family's Variant, naming `where` in the message of a cross-field error (low ≥ high, lengths that disagree). */
function checked(spec: VariantSpec, where: string): Variant {
  try {
    return build(spec, where);
  } catch (e) {
    if (e instanceof AhopError && !e.message.startsWith(where)) {
      const Err = e.constructor as new (m: string) => AhopError;
      throw new Err(`${where}: ${e.message}`);
    }
    throw e;
  }
}

/**
 * Builds a Variant from its JSON form, checking every field against VariantSpecSchema; an error
 * names the offending field under `where` (`variant.components[0].variant.sigma`).
 *
 * variantFromSpec({ type, …fields }) = the family's constructor applied to the fields, so its log p_V(x | ξ) is that family's.
 * @example
 * ```ts
 * import { noisy, variantFromSpec } from 'ahop';
 * const v = variantFromSpec({ type: 'noisy', sigma: [0.5, 0.5] });
 * if (v.logLikelihood([1, 0], [0, 0]) !== noisy([0.5, 0.5]).logLikelihood([1, 0], [0, 0])) throw new Error('the same distribution');
 * ```
 */
export function variantFromSpec(spec: unknown, where = 'variant'): Variant {
  return checked(parseWith(VariantSpecSchema, spec, where), where);
}

/**
 * Checks that a variant fits data of dimension d, naming the variant's vector field when it does not
 * (a σ of length 2 with d = 16 is the variant's fault, not the data's).
 *
 * @example
 * ```ts
 * import { ShapeError } from '../errors.ts';
 * import { checkVariantDim, variantFromSpec } from './spec.ts';
 * let error: unknown;
 * try { checkVariantDim(variantFromSpec({ type: 'noisy', sigma: [1, 1] }), 16, 'variant', 'the memories'); } catch (e) { error = e; }
 * if (!(error instanceof ShapeError)) throw new Error('σ of length 2 does not fit d = 16');
 * ```
 */
export function checkVariantDim(variant: Variant, d: number, where = 'variant', data = 'the data'): void {
  if (variant.dim === undefined || variant.dim === d) return;
  const fields = vectorFields(variant.spec, where);
  throw new ShapeError(`${fields.join(' / ')} ${fields.length > 1 ? 'have' : 'has'} length ${variant.dim} but ${data} have d = ${d}`);
}

function vectorFields(spec: VariantSpec, where: string): string[] {
  if (spec.type === 'mixed') return spec.components.flatMap((c, j) => vectorFields(c.variant, `${where}.components[${j}].variant`));
  return Object.entries(spec)
    .filter(([, v]) => Array.isArray(v))
    .map(([k]) => `${where}.${k}`);
}
