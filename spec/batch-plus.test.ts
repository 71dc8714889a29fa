/**
 * The batched A-Hop+ scorer's refusals (its scores are checked against the readable A-Hop+ in
 * properties/ahop-plus-batch.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/errors.ts';
import { scoreBatchPlus } from '../src/hopfield/batch-plus.ts';
import { ahopPlusScores, identityAhopPlusParams } from '../src/similarity/adaptive-plus.ts';

describe('scoreBatchPlus: scores too large for float64', () => {
  // d = 2; memory 1 and query 1 sit at 1e200: (x − ξ)² overflows for a pair with one of them,
  // ξ·x for the pair of both. Row-major order meets (query 0, memory 1) first.
  const params = identityAhopPlusParams({ wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 1 });
  const memories = [
    [0, 0],
    [1e200, 1e200],
  ];
  const queries = [
    [0, 0],
    [1e200, 1e200],
  ];

  it('the readable A-Hop+ refuses the same case (the inputs do overflow)', () => {
    expect(() => ahopPlusScores(memories, queries[0], params)).toThrow(DomainError);
  });

  it('are refused with a DomainError naming the first memory and query whose score is not finite', () => {
    const run = () => scoreBatchPlus(Float64Array.from(memories.flat()), 2, 2, Float64Array.from(queries.flat()), 2, params);
    expect(run).toThrow(DomainError);
    expect(run).toThrow(/score of memory 1 for query 0 is -Infinity/);
  });

  it('the very first score is checked too (memory 0 for query 0)', () => {
    const run = () => scoreBatchPlus(Float64Array.from([1e200, 1e200]), 1, 2, Float64Array.from([0, 0]), 1, params);
    expect(run).toThrow(/score of memory 0 for query 0 is -Infinity/);
  });

  it('finite scores are returned: the small memory against the small queries', () => {
    const s = scoreBatchPlus(Float64Array.from([0, 0]), 1, 2, Float64Array.from([0, 0, 1, 2]), 2, params);
    expect(Array.from(s, Number.isFinite)).toEqual([true, true]);
  });
});
