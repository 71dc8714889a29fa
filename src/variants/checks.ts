/** Shape checks a variant applies to (x, ξ) before evaluating or sampling. */
import { ShapeError } from '../errors.ts';
import { checkVector } from '../validate.ts';

export function checkPair(dim: number | undefined, x: unknown, xi: unknown): [number[], number[]] {
  const xiv = checkVector('xi', xi, dim);
  const xv = checkVector('x', x);
  if (xv.length !== xiv.length) {
    throw new ShapeError(`x has length ${xv.length} but xi has length ${xiv.length}`);
  }
  return [xv, xiv];
}

export function checkSource(dim: number | undefined, xi: unknown): number[] {
  return checkVector('xi', xi, dim);
}
