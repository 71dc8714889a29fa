/** Reading the CLI's JSON inputs: memories and queries as arrays of rows, a variant spec. */
import { checkMatrix } from '../validate.ts';
import { variantFromSpec } from '../variants/spec.ts';
import type { Variant } from '../variants/variant.ts';
import { readJson } from './io.ts';

export function readMatrix(path: string, what: string, cols?: number): number[][] {
  return checkMatrix(what, readJson(path, what), cols);
}

export function readVariant(path: string): Variant {
  return variantFromSpec(readJson(path, 'variant'), 'variant');
}
