/** Shape checks a variant applies to (x, ξ) before evaluating or sampling, and range checks on what it returns. */
import { DomainError, ShapeError } from '../errors.ts';
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

/**
 * Every family's log-likelihood is finite for finite (x, ξ) (the kept Gaussian always contributes), but
 * the float64 value can overflow when |x − ξ| / σ exceeds ~1e154: refuse it rather than return −Infinity.
 */
export function finiteLogLikelihood(v: number): number {
  if (!Number.isFinite(v)) {
    throw new DomainError(`log p(x | xi) = ${v} overflows float64: x is too far from xi for the variant's sigma`);
  }
  return v;
}

/** A sample ξ + shift + σ z beyond float64 (ξ near ±1.8e308) is refused rather than returned as ±Infinity. */
export function finiteSample(x: number[]): number[] {
  const i = x.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) throw new DomainError(`the sample's entry ${i} (${x[i]}) overflows float64: xi is too large for this variant`);
  return x;
}
