/**
 * The −∞ edges of log-sum-exp: a log-density of −∞ (zero density) is an ordinary input, and
 * adding zero to a density must leave it unchanged, +∞ included.
 */
import { describe, expect, it } from 'vitest';
import { logAddExp, logSumExp } from '../src/numeric/logsumexp.ts';

const VALUES = [-Infinity, -3, 0, 1e300, Infinity];

describe('log-sum-exp at −∞', () => {
  it('lse of entries that are all −∞ is −∞ (zero total density), not NaN', () => {
    expect(logSumExp([-Infinity])).toBe(-Infinity);
    expect(logSumExp([-Infinity, -Infinity, -Infinity])).toBe(-Infinity);
  });

  it('lse ignores −∞ entries beside finite ones', () => {
    expect(logSumExp([-Infinity, 2, -Infinity])).toBe(2);
  });

  it('logAddExp(−∞, v) = logAddExp(v, −∞) = v for every v, ±∞ included', () => {
    for (const v of VALUES) {
      expect(logAddExp(-Infinity, v)).toBe(v);
      expect(logAddExp(v, -Infinity)).toBe(v);
    }
  });
});
