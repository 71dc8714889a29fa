/** Walks an expected output and the output found in a file side by side. */
import { ParseError } from '../errors.ts';
import { withinTolerance, type Out, type Tolerance } from './format.ts';

export interface Mismatch {
  field: string;
  expected: number;
  got: number;
}

/**
 * Lists the leaves where `got` differs from `expected` beyond `tol` (exactly, for integer fields).
 * A `got` whose shape differs from `expected`, or holds a non-finite or non-number value, is malformed.
 */
export function compareOut(
  expected: Out,
  got: unknown,
  tol: Tolerance,
  integerFields: readonly string[],
  path = 'out',
): Mismatch[] {
  if (typeof expected === 'number') {
    if (typeof got !== 'number' || !Number.isFinite(got)) {
      throw new ParseError(`${path} must be a finite number, got ${JSON.stringify(got)}`);
    }
    const leaf = path.slice(path.lastIndexOf('.') + 1);
    const ok = integerFields.includes(leaf) ? got === expected : withinTolerance(expected, got, tol);
    return ok ? [] : [{ field: path, expected, got }];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(got) || got.length !== expected.length) {
      throw new ParseError(`${path} must be an array of length ${expected.length}, got ${Array.isArray(got) ? `length ${got.length}` : JSON.stringify(got)}`);
    }
    return expected.flatMap((e: Out, i: number) => compareOut(e, got[i], tol, integerFields, `${path}[${i}]`));
  }
  if (typeof got !== 'object' || got === null || Array.isArray(got)) {
    throw new ParseError(`${path} must be an object with fields ${Object.keys(expected).join(', ')}`);
  }
  const g = got as Record<string, unknown>;
  const e = expected as { readonly [field: string]: Out };
  const extra = Object.keys(g).filter((k) => !(k in e));
  if (extra.length > 0) throw new ParseError(`${path} has unknown field(s) ${extra.join(', ')}`);
  return Object.keys(e).flatMap((k) => {
    if (!(k in g)) throw new ParseError(`${path} is missing the field "${k}"`);
    return compareOut(e[k], g[k], tol, integerFields, `${path}.${k}`);
  });
}
