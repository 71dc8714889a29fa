/**
 * The conformance file (shared/conformance.md): format, version, generator, tolerance, cases.
 * Values match when |got − expected| ≤ abs + rel·|expected|; integer fields must match exactly.
 */
import { ParseError } from '../errors.ts';

export const CONFORMANCE_FORMAT = 'ahop-conformance';
export const CONFORMANCE_VERSION = 1;

export interface Tolerance {
  rel: number;
  abs: number;
}

/** The reference's own tolerance: float64 with sums in different orders. */
export const REFERENCE_TOLERANCE: Tolerance = { rel: 1e-9, abs: 1e-12 };

/** An output: a number, an array, or an object of outputs. */
export type Out = number | readonly Out[] | { readonly [field: string]: Out };

export interface ConformanceCase {
  kind: string;
  out: Out;
  [input: string]: unknown;
}

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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the file's envelope; cases are checked one by one later. */
export function parseConformance(text: string): ConformanceFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ParseError(`the file is not valid JSON (malformed or truncated): ${(e as Error).message}`);
  }
  if (!isObject(raw)) throw new ParseError('the file must hold a JSON object');
  if (raw.format !== CONFORMANCE_FORMAT) {
    throw new ParseError(`"format" must be "${CONFORMANCE_FORMAT}", got ${JSON.stringify(raw.format)}`);
  }
  if (raw.version !== CONFORMANCE_VERSION) {
    throw new ParseError(`"version" ${JSON.stringify(raw.version)} is not supported (this checker knows version ${CONFORMANCE_VERSION})`);
  }
  if (typeof raw.generator !== 'string') throw new ParseError('"generator" must be a string');
  const t = raw.tolerance;
  if (!isObject(t)) throw new ParseError('"tolerance" must be an object { rel, abs }');
  for (const k of ['rel', 'abs'] as const) {
    const v = t[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new ParseError(`"tolerance.${k}" must be a finite number >= 0, got ${JSON.stringify(v)}`);
    }
  }
  if (!Array.isArray(raw.cases)) throw new ParseError('"cases" must be an array');
  raw.cases.forEach((c, i) => {
    if (!isObject(c)) throw new ParseError(`cases[${i}] must be an object`);
    if (typeof c.kind !== 'string') throw new ParseError(`cases[${i}].kind must be a string`);
    if (!('out' in c)) throw new ParseError(`cases[${i}] (${c.kind}) has no "out"`);
  });
  return raw as unknown as ConformanceFile;
}
