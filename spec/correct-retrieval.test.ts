import { describe, expect, it } from 'vitest';
import { misses, nearestMemory } from '../src/hopfield/correct-retrieval.ts';
import { trainOnPairs } from '../src/train/train.ts';
import { trainU2 } from '../src/baselines/u2hop-train.ts';

const memories = [[0, 0], [1, 1], [2, 2]];

describe('correct retrieval and what the safeguard counts as an error', () => {
  it('nearestMemory is the memory at the smallest Euclidean distance, ties to the lowest index', () => {
    expect(nearestMemory(memories, [1.4, 1.4])).toBe(1);
    expect(nearestMemory(memories, [1.5, 1.5])).toBe(1);
    expect(nearestMemory(memories, [1.6, 1.5])).toBe(2);
  });
  it("'argmax' misses when the highest score is not the source; 'readout' when the readout's nearest memory is not", () => {
    // Flat scores favouring ξ_0: argmax right, readout near the mean ξ_1.
    const flat = [0.1, 0, 0];
    expect(misses(memories, 'argmax')(flat, 0)).toBe(false);
    expect(misses(memories, 'readout')(flat, 0)).toBe(true);
    expect(misses(memories, 'readout')(flat, 1)).toBe(false);
    // Sharp scores: both rules agree.
    const sharp = [40, 0, 0];
    expect(misses(memories, 'argmax')(sharp, 0)).toBe(false);
    expect(misses(memories, 'readout')(sharp, 0)).toBe(false);
  });
  it('training refuses an unknown selection and a readout selection without memories, naming the field', () => {
    const pairs = { queries: [[0, 0.1], [1, 0.9]], targets: [0, 1] };
    expect(() => trainOnPairs(memories, pairs, { epochs: 1, selection: 'best' as never })).toThrow(/selection/);
    expect(() => trainU2(memories, pairs, { epochs: 1, selection: 'best' as never })).toThrow(/selection must be 'argmax' or 'readout'/);
  });
});
