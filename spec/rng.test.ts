import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/errors.ts';
import { createRng } from '../src/random/rng.ts';

const stream = (seed: number, n = 20) => {
  const r = createRng(seed);
  return Array.from({ length: n }, () => [r.uniform(), r.normal(), r.int(7)]);
};

describe('seeded randomness', () => {
  it('the same seed gives the same stream', () => expect(stream(5)).toEqual(stream(5)));
  it('different seeds give different streams', () => expect(stream(5)).not.toEqual(stream(6)));
  it('uniform lies in [0, 1) and int in [0, n)', () => {
    const r = createRng(1);
    for (let i = 0; i < 1000; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const k = r.int(3);
      expect([0, 1, 2]).toContain(k);
    }
  });
  it('normal has mean ≈ 0 and variance ≈ 1 (4σ bounds for 20 000 draws)', () => {
    const r = createRng(2);
    const n = 20_000;
    const z = Array.from({ length: n }, () => r.normal());
    const mean = z.reduce((a, b) => a + b, 0) / n;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
  it('categorical never draws a zero-weight index and follows the weights', () => {
    const r = createRng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) counts[r.categorical([1, 0, 3])]++;
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[2] / 10_000 - 0.75)).toBeLessThan(0.02);
  });
  it('rejects a non-integer seed', () => expect(() => createRng(1.5)).toThrow(DomainError));
});
