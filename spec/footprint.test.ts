import { describe, expect, it } from 'vitest';
import { adaptiveSimilarity } from '../src/similarity/adaptive.ts';
import { baseSimilarities } from '../src/similarity/base.ts';
import { cumulativeMatrix, footprint, footprintLiteral, footprintOf, suffixSums, weightedFootprint } from '../src/similarity/footprint.ts';

describe('footprint (worked example q = [1, −2, 3])', () => {
  const q = [1, -2, 3];
  it('sorts descending and accumulates: [3, 4, 2]', () => expect(footprintOf(q)).toEqual([3, 4, 2]));
  it('the literal U·q̃ gives the same', () => expect(footprintLiteral(q)).toEqual([3, 4, 2]));
  it('U is lower triangular ones', () => expect(cumulativeMatrix(3)).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]));
  it('no sort: cumulative q = [1, −1, 2]', () => expect(footprintOf(q, { sort: false, cumulative: true })).toEqual([1, -1, 2]));
  it('no U: sorted q = [3, 1, −2]', () => expect(footprintOf(q, { sort: true, cumulative: false })).toEqual([3, 1, -2]));
  it('suffix sums c_r = Σ_{j≥r} w_j', () => expect(suffixSums([1, 2, 3])).toEqual([6, 5, 3]));
  it('wᵀ ftpt = cᵀ q̃: with w = [1, 2, 3], 1·3 + 2·4 + 3·2 = 17', () => expect(weightedFootprint(q, [1, 2, 3])).toBe(17));
  it('the last unit vector picks the plain base similarity', () => expect(weightedFootprint(q, [0, 0, 1])).toBe(2));
});

describe('base similarities and the adaptive similarity', () => {
  it('dis is −(ξ_i − x_i)², dot is ξ_i x_i', () => {
    expect(baseSimilarities('dis', [1, 2], [0, 4])).toEqual([-1, -4]);
    expect(baseSimilarities('dot', [1, 2], [0, 4])).toEqual([0, 8]);
  });
  it('footprint of a pair is the footprint of its base similarities', () =>
    expect(footprint('dot', [1, 2], [3, -1])).toEqual([3, 1]));
  it('s = β_dis w_disᵀ ftpt_dis + β_dot w_dotᵀ ftpt_dot', () => {
    const xi = [1, 0];
    const x = [0, 2];
    // ftpt_dis = U sort([−1, −4]) = [−1, −5]; ftpt_dot = U sort([0, 0]) = [0, 0]
    expect(adaptiveSimilarity(xi, x, { wDis: [2, 1], wDot: [5, 5], betaDis: 0.5, betaDot: 3 })).toBe(0.5 * (2 * -1 + 1 * -5));
  });
});
