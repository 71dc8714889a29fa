/**
 * A per-dimension parameter of a variant (σ, bias): one number shared by every dimension, or a
 * vector of length d. A vector ties the variant to d; a number leaves d free.
 */
import { DomainError, ShapeError } from '../errors.ts';
import { checkFinite, checkPositive, checkVector } from '../validate.ts';

export type PerDimension = number | readonly number[];

export interface CheckedPerDimension {
  /** The value as given (a number or a copied vector), for the variant's spec. */
  value: number | number[];
  /** d when the value is a vector, undefined when it is a number. */
  dim: number | undefined;
}

/**
 * Checks a per-dimension parameter; `positive` also requires every entry > 0.
 *
 * @example
 * ```ts
 * import { checkPerDimension } from './per-dimension.ts';
 * const c = checkPerDimension('sigma', [0.1, 0.2], true);
 * if (c.dim !== 2) throw new Error('a vector of length 2 fixes d = 2');
 * let threw = false;
 * try { checkPerDimension('sigma', [0.1, -1], true); } catch { threw = true; }
 * if (!threw) throw new Error('a negative σ is refused');
 * ```
 */
export function checkPerDimension(name: string, v: unknown, positive: boolean): CheckedPerDimension {
  if (typeof v === 'number') return { value: positive ? checkPositive(name, v) : checkFinite(name, v), dim: undefined };
  if (Array.isArray(v) || v instanceof Float64Array) {
    const vec = checkVector(name, v);
    if (positive) vec.forEach((x, i) => checkPositive(`${name}[${i}]`, x));
    return { value: vec, dim: vec.length };
  }
  throw new DomainError(`${name} must be a number or an array of numbers, got ${v === null ? 'null' : typeof v}`);
}

/**
 * The value of a per-dimension parameter at dimension i.
 *
 * @example
 * ```ts
 * import { valueAt } from './per-dimension.ts';
 * if (valueAt([1, 2], 1) !== 2 || valueAt(0.5, 7) !== 0.5) throw new Error('v_i, or the scalar for every i');
 * ```
 */
export function valueAt(v: PerDimension, i: number): number {
  return typeof v === 'number' ? v : v[i];
}

/** The d that several per-dimension parameters agree on (undefined when all are numbers). */
export function commonDim(params: readonly [string, CheckedPerDimension][]): number | undefined {
  const tied = params.filter(([, p]) => p.dim !== undefined);
  for (const [name, p] of tied.slice(1)) {
    if (p.dim !== tied[0][1].dim) throw new ShapeError(`${name} has length ${p.dim} but ${tied[0][0]} has length ${tied[0][1].dim}`);
  }
  return tied[0]?.[1].dim;
}
