/**
 * 64-digit decimal arithmetic (mathjs BigNumber), the independent second computation behind the
 * conformance exporter and the exact checks in the properties.
 */
import { all, create, type BigNumber } from 'mathjs';

export type Big = BigNumber;

export const math = create(all, { number: 'BigNumber', precision: 64 });

/** toPrecision(100) spells out the double's own binary value (not its shortest decimal) to 100 digits. */
export const big = (v: number): Big => math.bignumber(v.toPrecision(100)) as Big;

export const ZERO = big(0);
export const ONE = big(1);

export function sum(v: readonly Big[]): Big {
  return v.reduce((a, b) => a.plus(b), ZERO);
}
