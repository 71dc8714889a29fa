/**
 * The instance/image encoder shared by every head and pooling: an MLP
 *   h = W₂ᵀ ReLU(W₁ᵀ x + b₁) + b₂,  x ∈ ℝ¹⁹⁶ → ℝ¹²⁸ → ℝ³²,
 * Glorot-uniform weights and zero biases drawn from the caller's RNG (same seed, same encoder).
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { Rng } from '../../random/rng.ts';
import { glorotUniform, variableOf } from './init.ts';
import type { Tfjs } from './tfjs.ts';

export const HIDDEN = 128;
export const EMBEDDING = 32;

export interface Encoder {
  vars: TF.Variable[];
  /** [B, d_in] → [B, EMBEDDING]. */
  apply(x: TF.Tensor2D): TF.Tensor2D;
}

/**
 * A freshly initialised encoder for inputs of dimension dIn.
 *
 * @example
 * ```ts
 * import { createRng } from '../../random/rng.ts';
 * import { createEncoder } from './encoder.ts';
 * import { loadTfjs } from './tfjs.ts';
 * const tfjs = await loadTfjs('cpu');
 * const enc = createEncoder(tfjs, 4, createRng(0));
 * const shape = enc.apply(tfjs.tf.zeros([3, 4])).shape;
 * if (shape[0] !== 3 || shape[1] !== 32) throw new Error('an embedding of 32 per image');
 * ```
 */
export function createEncoder({ tf }: Tfjs, dIn: number, rng: Rng): Encoder {
  const w1 = variableOf(tf, tf.tensor2d(glorotUniform(dIn, HIDDEN, rng), [dIn, HIDDEN]));
  const b1 = variableOf(tf, tf.zeros([HIDDEN]));
  const w2 = variableOf(tf, tf.tensor2d(glorotUniform(HIDDEN, EMBEDDING, rng), [HIDDEN, EMBEDDING]));
  const b2 = variableOf(tf, tf.zeros([EMBEDDING]));
  return {
    vars: [w1, b1, w2, b2],
    apply: (x) => tf.tidy(() => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)),
  };
}
