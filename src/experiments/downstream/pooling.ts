/**
 * MIL poolings: a bag's instance embeddings h_1 … h_n (rows of H) → one bag vector z ∈ ℝᵈ.
 *   ahop       z = Σ_i a_i h_i, a = softmax_i s(q, h_i), s the A-Hop similarity (ahopAttention's
 *              scores; keys = values = the instances) of a learned query q — HopfieldPooling;
 *              starts as s = −‖q − h_i‖²/√d
 *   mhop       the same with s = β qᵀh_i, β learned
 *   attention  s_i = wᵀ tanh(V h_i) (Ilse, Tomczak & Welling 2018)
 *   mean       z = mean_i h_i  (a uniform attention: s_i = 0)
 *   max        z_j = max_i h_ij
 * Several bags are pooled at once: H stacks their instances and mask[b, i] = 1 iff instance i is in
 * bag b; the softmax (or max) runs within each bag, so each row of the result equals pooling that
 * bag alone (for ahop: ahopAttention(q, H_b, H_b).retrieved).
 */
import type * as TF from '@tensorflow/tfjs-core';
import { DomainError } from '../../errors.ts';
import type { Rng } from '../../random/rng.ts';
import { initialParams } from '../../train/init.ts';
import { glorotUniform, normalEntries, variableOf } from './init.ts';
import type { Tfjs } from './tfjs.ts';

export const POOLINGS = ['ahop', 'mhop', 'attention', 'mean', 'max'] as const;
export type PoolingName = (typeof POOLINGS)[number];
export const POOLING_LABELS: Record<PoolingName, string> = {
  ahop: 'HopfieldPooling (A-Hop)',
  mhop: 'HopfieldPooling (M-Hop)',
  attention: 'attention MIL',
  mean: 'mean',
  max: 'max',
};
/** Width of the attention-MIL hidden layer V. */
export const ATTENTION_HIDDEN = 64;
/** Added to scores outside a bag: exp of it is 0 in float32. */
const OUTSIDE = -1e9;

export interface Pooling {
  vars: TF.Variable[];
  /** H [M, d], mask [B, M] (1 = instance in bag) → Z [B, d]. */
  pool(h: TF.Tensor2D, mask: TF.Tensor2D): TF.Tensor2D;
  dispose(): void;
}

/**
 * A freshly initialised pooling over d-dimensional instance embeddings.
 *
 * @example
 * ```ts
 * import { createRng } from '../../random/rng.ts';
 * import { createPooling } from './pooling.ts';
 * import { loadTfjs } from './tfjs.ts';
 * const tfjs = await loadTfjs('cpu');
 * const p = createPooling(tfjs, 'ahop', 4, createRng(0));
 * // H: M = 3 instances of d = 4; mask: B = 2 bags over them
 * const shape = p.pool(tfjs.tf.zeros([3, 4]), tfjs.tf.ones([2, 3])).shape;
 * if (shape[0] !== 2 || shape[1] !== 4) throw new Error('one d-vector per bag');
 * ```
 */
export function createPooling(tfjs: Tfjs, name: PoolingName, d: number, rng: Rng): Pooling {
  const { tf } = tfjs;
  // z_b = Σ_i softmax_{i ∈ b}(s_i) h_i, with s [1, M] shared by every bag of the batch.
  const attend = (s: TF.Tensor2D, h: TF.Tensor2D, mask: TF.Tensor2D): TF.Tensor2D =>
    tf.matMul(tf.softmax(tf.add(s, tf.mul(tf.sub(1, mask), OUTSIDE))), h);
  const free = (vars: TF.Variable[]) => () => vars.forEach((v) => v.dispose());
  switch (name) {
    case 'ahop': {
      const q = variableOf(tf, tf.tensor2d(normalEntries(d, 1 / Math.sqrt(d), rng), [1, d]));
      // Soft start at M-Hop's scale, β_dis = 1/√d (docs/protocol-downstream.md): from β_dis = 1 the
      // attention saturates as the embeddings grow and the query stops learning (docs/layers.md).
      const p0 = initialParams(d, { dis: 1 / Math.sqrt(d), dot: 0 });
      const wDis = variableOf(tf, tf.tensor1d(p0.wDis));
      const wDot = variableOf(tf, tf.tensor1d(p0.wDot));
      const betaDis = variableOf(tf, tf.scalar(p0.betaDis));
      const betaDot = variableOf(tf, tf.scalar(p0.betaDot));
      const vars = [q, wDis, wDot, betaDis, betaDot];
      return {
        vars,
        pool: (h, mask) => {
          const params = { wDis: wDis as TF.Tensor1D, wDot: wDot as TF.Tensor1D, betaDis: betaDis as TF.Scalar, betaDot: betaDot as TF.Scalar };
          return attend(tfjs.ahopAttention(q as TF.Tensor2D, h, h, params).scores, h, mask);
        },
        dispose: free(vars),
      };
    }
    case 'mhop': {
      const q = variableOf(tf, tf.tensor2d(normalEntries(d, 1 / Math.sqrt(d), rng), [1, d]));
      const beta = variableOf(tf, tf.scalar(1 / Math.sqrt(d)));
      return { vars: [q, beta], pool: (h, mask) => attend(tf.mul(beta, tf.matMul(q, h, false, true)), h, mask), dispose: free([q, beta]) };
    }
    case 'attention': {
      const v = variableOf(tf, tf.tensor2d(glorotUniform(d, ATTENTION_HIDDEN, rng), [d, ATTENTION_HIDDEN]));
      const w = variableOf(tf, tf.tensor2d(glorotUniform(ATTENTION_HIDDEN, 1, rng), [ATTENTION_HIDDEN, 1]));
      return {
        vars: [v, w],
        pool: (h, mask) => attend(tf.transpose(tf.matMul(tf.tanh(tf.matMul(h, v)), w)) as TF.Tensor2D, h, mask),
        dispose: free([v, w]),
      };
    }
    case 'mean':
      return { vars: [], pool: (h, mask) => attend(tf.zeros([1, h.shape[0]]) as TF.Tensor2D, h, mask), dispose: () => undefined };
    case 'max':
      return {
        vars: [],
        pool: (h, mask) => tf.max(tf.add(tf.expandDims(h, 0), tf.expandDims(tf.mul(tf.sub(1, mask), OUTSIDE), 2)), 1) as TF.Tensor2D,
        dispose: () => undefined,
      };
    default:
      throw new DomainError(`pooling must be one of ${POOLINGS.join(', ')}, got ${JSON.stringify(name)}`);
  }
}
