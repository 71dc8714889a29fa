/**
 * 64-digit decimal arithmetic (mathjs BigNumber), the independent second computation behind the
 * conformance exporter and the exact checks in the properties.
 *
 * mathjs is loaded on first use, not when the package is imported: it takes longer to load than the
 * rest of the package together, and only the exporter and the exact checks need it.
 */
import { createRequire } from 'node:module';
import type { BigNumber, MathJsInstance } from 'mathjs';

export type Big = BigNumber;

const require = createRequire(import.meta.url);
let instance: MathJsInstance | undefined;
let constants: { zero: Big; one: Big } | undefined;

/** The 64-digit mathjs instance (BigNumber by default), created on the first call. */
export function bigMath(): MathJsInstance {
  if (instance === undefined) {
    const { all, create } = require('mathjs') as typeof import('mathjs');
    instance = create(all, { number: 'BigNumber', precision: 64 });
  }
  return instance;
}

/** toPrecision(100) spells out the double's own binary value (not its shortest decimal) to 100 digits. */
export const big = (v: number): Big => bigMath().bignumber(v.toPrecision(100)) as Big;

function cached(): { zero: Big; one: Big } {
  return (constants ??= { zero: big(0), one: big(1) });
}

/** 0 as a Big (one shared, immutable value). */
export const zero = (): Big => cached().zero;

/** 1 as a Big (one shared, immutable value). */
export const one = (): Big => cached().one;

export function sum(v: readonly Big[]): Big {
  return v.reduce((a, b) => a.plus(b), zero());
}
