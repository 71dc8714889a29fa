/**
 * The conformance file (docs/conformance.md): format, version, generator, tolerance, cases.
 * Values match when |got − expected| ≤ abs + rel·|expected|; integer fields must match exactly.
 * ConformanceFileSchema checks the file's envelope at run time (each case's inputs are checked by its
 * kind) and generates schemas/conformance.schema.json.
 */
import { z } from 'zod';
import { AhopError, ParseError } from '../errors.ts';
import { parseWith } from '../schema/parse.ts';

export const CONFORMANCE_FORMAT = 'ahop-conformance';
export const CONFORMANCE_VERSION = 1;

export const ToleranceSchema = z
  .strictObject({
    rel: z.number().min(0).describe('relative tolerance'),
    abs: z.number().min(0).describe('absolute tolerance'),
  })
  .describe('a value got matches expected when |got − expected| <= abs + rel·|expected|');

export type Tolerance = z.infer<typeof ToleranceSchema>;

/** The reference's own tolerance: float64 with sums in different orders. */
export const REFERENCE_TOLERANCE: Tolerance = { rel: 1e-9, abs: 1e-12 };

/** Named tolerances a checker may be asked to apply (`ahop conformance --check F --tolerance float32`). */
export const TOLERANCE_PRESETS: Readonly<Record<'float64' | 'float32', Tolerance>> = {
  float64: REFERENCE_TOLERANCE,
  float32: { rel: 1e-4, abs: 1e-5 },
};

/** An output: a number, an array, or an object of outputs. */
export type Out = number | readonly Out[] | { readonly [field: string]: Out };

export const OutSchema: z.ZodType<Out> = z
  .union([z.number(), z.array(z.lazy(() => OutSchema)), z.record(z.string(), z.lazy(() => OutSchema))])
  .meta({ id: 'Out', description: 'an output: a finite number, an array of outputs, or an object of named outputs (the shape each kind defines)' });

/** One case: its kind, its inputs (named by the kind; see docs/conformance.md) and `out`. */
export const ConformanceCaseSchema = z
  .looseObject({
    kind: z.string().describe('the case kind: footprint, similarity, gradient, mhop, sparse, loglik, posterior, layer, layer_vjp, …'),
    out: OutSchema.describe('the outputs the writer computed, shaped as the kind defines'),
  })
  .describe('a case: its kind, the inputs that kind names, and out');

/** A strict case schema for one kind: `kind`, the kind's inputs, and `out`. */
export function caseSchema(kind: string, inputs: z.ZodRawShape, description: string) {
  return z.strictObject({ kind: z.literal(kind), ...inputs, out: OutSchema }).describe(description);
}

export interface ConformanceCase {
  kind: string;
  out: Out;
  [input: string]: unknown;
}

export const ConformanceFileSchema = z
  .strictObject({
    format: z.literal(CONFORMANCE_FORMAT),
    version: z.literal(CONFORMANCE_VERSION).describe('format version; this checker knows version 1'),
    generator: z.string().describe('free text: which backend wrote the file'),
    tolerance: ToleranceSchema.describe('the tolerance the writer claims; a checker may apply it only to be stricter than its own'),
    cases: z.array(ConformanceCaseSchema),
  })
  .meta({ id: 'ConformanceFile', title: 'ahop conformance file', description: 'Vectors another backend must reproduce, or that it wrote for the reference to check (docs/conformance.md).' });

export interface ConformanceFile {
  format: typeof CONFORMANCE_FORMAT;
  version: typeof CONFORMANCE_VERSION;
  generator: string;
  tolerance: Tolerance;
  cases: ConformanceCase[];
}

export function withinTolerance(expected: number, got: number, tol: Tolerance): boolean {
  return Math.abs(got - expected) <= tol.abs + tol.rel * Math.abs(expected);
}

/** Parses the file's envelope; cases are checked one by one later. Every problem is a ParseError (a malformed file). */
export function parseConformance(text: string): ConformanceFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ParseError(`the file is not valid JSON (malformed or truncated): ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ParseError('the file must hold a JSON object');
  try {
    return parseWith(ConformanceFileSchema, raw, 'file') as ConformanceFile;
  } catch (e) {
    if (e instanceof AhopError && !(e instanceof ParseError)) throw new ParseError(e.message);
    throw e;
  }
}
