/** The batched contract every backend implements, in the reference's own terms (src/hopfield/batch.ts). */
import type { scoreBatch } from '../src/hopfield/batch.ts';

/** The arguments of the reference's scoreBatch: memories (N×d, flat), N, d, queries (B×d, flat), B, params, options. */
export type BatchArgs = Parameters<typeof scoreBatch>;

/** Batch outputs as flat row-major arrays: scores and probs B×N, retrieved B×d, energy B. */
export interface BatchResult {
  /** B×N scores, S[b·N + k] = s(ξ_k, x_b). */
  scores: Float64Array;
  /** B×N probabilities, each row the softmax of its scores. */
  probs: Float64Array;
  /** B×d readouts y_b = Σ_k p_bk ξ_k. */
  retrieved: Float64Array;
  /** E_b = −lse(scores row b). */
  energy: Float64Array;
}
