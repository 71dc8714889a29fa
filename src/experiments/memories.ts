/**
 * Synthetic memory sets (docs/protocol.md, "Synthetic"): N patterns of dimension d, either
 * uniform on [−1, 1]^d or binary in {−1, +1}^d. Both are centred, so dot-product methods
 * (M-Hop, Sparse) are not handicapped by an offset that favours large-norm patterns; binary
 * patterns all have the same norm, where the dot product and the distance rank memories alike.
 */
import type { Rng } from '../random/rng.ts';
import type { Range } from './difficulty.ts';

export type PatternKind = 'uniform' | 'binary';

/** Both kinds live in [−1, 1]; occluders are drawn from the same range. */
export const SYNTHETIC_RANGE: Range = { low: -1, high: 1 };

export function syntheticMemories(kind: PatternKind, n: number, d: number, rng: Rng): number[][] {
  const draw = kind === 'uniform' ? () => 2 * rng.uniform() - 1 : () => (rng.uniform() < 0.5 ? -1 : 1);
  return Array.from({ length: n }, () => Array.from({ length: d }, draw));
}
