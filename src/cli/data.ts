/** Reading the CLI's inputs: memories and queries (JSON, CSV or .npy), a variant spec (JSON). */
import { checkVariantDim, variantFromSpec } from '../variants/spec.ts';
import type { Variant } from '../variants/variant.ts';
import { readJson } from './io.ts';
import { readMatrixFile } from './matrix-file.ts';

export function readMatrix(path: string, what: string, cols?: number): number[][] {
  return readMatrixFile(path, what, cols);
}

/** A variant spec that must fit data of dimension d (a vector σ or bias of another length is the variant's fault). */
export function readVariant(path: string, d: number): Variant {
  const variant = variantFromSpec(readJson(path, 'variant'), 'variant');
  checkVariantDim(variant, d, 'variant', 'the memories');
  return variant;
}
