/**
 * The experiments' feature cache and training entry: every training query's sorted rows q̃ in one
 * flat array (pair-major), trained by the same loop and objective as trainOnPairs
 * (src/train/train.ts) — there is no second objective here, only no second sort.
 */
import { DomainError } from '../errors.ts';
import { FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { sortedRows } from '../train/features.ts';
import type { Pairs } from '../train/pairs.ts';
import { TRAIN_DEFAULTS, trainOnRows, type TrainOptions, type TrainResult } from '../train/train.ts';

/** q̃ rows of every training query, pair-major: dis[(i·N + k)·d + r]. */
export interface PairFeatures {
  n: number;
  d: number;
  count: number;
  dis: Float64Array;
  dot: Float64Array;
  targets: Int32Array;
}

/** Sorts every training query's base similarities once (they do not depend on the parameters). */
export function pairFeatures(memories: readonly (readonly number[])[], pairs: Pairs, footprint: FootprintOptions): PairFeatures {
  const n = memories.length;
  const d = memories[0].length;
  const count = pairs.queries.length;
  const dis = new Float64Array(count * n * d);
  const dot = new Float64Array(count * n * d);
  pairs.queries.forEach((q, i) => {
    const r = sortedRows(memories, q, footprint);
    dis.set(r.dis, i * n * d);
    dot.set(r.dot, i * n * d);
  });
  const targets = Int32Array.from(pairs.targets, (t, i) => {
    if (!Number.isInteger(t) || t < 0 || t >= n) throw new DomainError(`targets[${i}] must be an index in [0, ${n}), got ${t}`);
    return t;
  });
  return { n, d, count, dis, dot, targets };
}

/**
 * trainOnPairs on precomputed features: the same loop (train/loop.ts) and objective
 * (train/objective.ts) on zero-copy views of each pair's rows, so nothing is sorted twice.
 */
export function trainOnFeatures(f: PairFeatures, options: Partial<TrainOptions> = {}, memories?: readonly (readonly number[])[]): TrainResult {
  const o: TrainOptions = { ...TRAIN_DEFAULTS, ...options };
  if (o.bases.length === 0) throw new DomainError('bases must name at least one of dis, dot');
  const { n, d } = f;
  const rows = Array.from({ length: f.count }, (_, i) => ({
    dis: f.dis.subarray(i * n * d, (i + 1) * n * d),
    dot: f.dot.subarray(i * n * d, (i + 1) * n * d),
  }));
  return trainOnRows(rows, Array.from(f.targets), n, d, o, memories);
}

/** Drop-in for trainOnPairs(memories, pairs, options). */
export function trainFast(memories: readonly (readonly number[])[], pairs: Pairs, options: Partial<TrainOptions> = {}): TrainResult {
  const footprint = options.footprint ?? FULL_FOOTPRINT;
  return trainOnFeatures(pairFeatures(memories, pairs, footprint), { ...options, footprint }, memories);
}
