/**
 * The JSON Schemas (draft 2020-12) of the four formats a user writes by hand or by program, generated
 * from the zod schema objects that validate the same input at run time, so the two cannot drift:
 * `npm run schemas` writes them to schemas/, and a test holds the committed files to this output.
 */
import { z } from 'zod';
import { ConformanceFileSchema, ConformanceCaseSchema, OutSchema } from '../conformance/format.ts';
import { KINDS } from '../conformance/kinds.ts';
import { ModelJsonSchema } from '../hopfield/model-json.ts';
import { PairsFileSchema } from '../train/pairs.ts';
import { VariantSpecSchema } from '../variants/spec.ts';


function toJson(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'throw' }) as Record<string, unknown>;
  return json;
}

/** The conformance file with each case described by its kind's schema (a kind without one: kind and out). */
function conformanceWithKinds(): z.ZodType {
  const cases = [...KINDS.values()].map(
    (k) => k.schema ?? ConformanceCaseSchema.extend({ kind: z.literal(k.kind), out: OutSchema }).describe(`a ${k.kind} case (docs/conformance.md)`),
  );
  const [first, ...rest] = cases;
  return ConformanceFileSchema.extend({ cases: z.array(rest.length === 0 ? first : z.union([first, ...rest])) });
}

/**
 * Every generated schema, by file name under schemas/.
 *
 * @example
 * ```ts
 * import { jsonSchemas } from './json-schemas.ts';
 * const names = Object.keys(jsonSchemas());
 * if (!names.includes('variant.schema.json') || !names.includes('conformance.schema.json')) throw new Error(names.join());
 * ```
 */
export function jsonSchemas(): Record<string, Record<string, unknown>> {
  return {
    'variant.schema.json': toJson(VariantSpecSchema),
    'model.schema.json': toJson(ModelJsonSchema),
    'conformance.schema.json': toJson(conformanceWithKinds()),
    'pairs.schema.json': toJson(PairsFileSchema),
  };
}

/** The text written for a schema: two-space JSON and a final newline. */
export function schemaText(schema: Record<string, unknown>): string {
  return JSON.stringify(schema, null, 2) + '\n';
}
