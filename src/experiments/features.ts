/**
 * Sorted-feature cache for one experiment. The ordered base similarities q̃ of a query against
 * every memory do not depend on A-Hop's parameters, only on whether the footprint sorts, so the
 * six A-Hop rows of a cell share two feature sets (sorted, unsorted) for the training pairs and
 * two for the test queries instead of sorting N·d values per query per row.
 */
import type { Pairs } from '../train/pairs.ts';
import { pairFeatures, type PairFeatures } from './train-fast.ts';

export class FeatureCache {
  private readonly entries = new Map<string, PairFeatures>();

  constructor(
    private readonly memories: readonly (readonly number[])[],
    readonly sets: Record<'train' | 'test', Pairs>,
  ) {}

  get(set: 'train' | 'test', sort: boolean): PairFeatures {
    const key = `${set}:${sort}`;
    let f = this.entries.get(key);
    if (f === undefined) {
      // U does not enter the features (it acts on the weights), so `cumulative` is irrelevant here.
      f = pairFeatures(this.memories, this.sets[set], { sort, cumulative: true });
      this.entries.set(key, f);
    }
    return f;
  }
}
