/**
 * Sparsemax (Martins & Astudillo 2016) and its loss, batched in tfjs for a classification head.
 * With z sorted descending, k(z) = max{k : 1 + k z₍k₎ > Σ_{j≤k} z₍j₎}, τ = (Σ_{j≤k(z)} z₍j₎ − 1)/k(z),
 *   sparsemax(z)_i = max(z_i − τ, 0)   (the float64 reference: src/baselines/sparsemax.ts),
 *   L(z, y) = −z_y + ½ Σ_{j ∈ S(z)} (z_j² − τ²) + ½,   ∂L/∂z = sparsemax(z) − e_y,
 * S(z) the support. Cross-entropy would be infinite whenever the true class gets probability 0.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { Tfjs } from './tfjs.ts';

/** τ for every row of z [B, C], as [B, 1]. */
function threshold(tf: Tfjs['tf'], z: TF.Tensor2D): TF.Tensor2D {
  const c = z.shape[1];
  const sorted = tf.topk(z, c).values;
  const cum = tf.cumsum(sorted, 1);
  const k = tf.range(1, c + 1);
  const support = tf.cast(tf.greater(tf.add(1, tf.mul(k, sorted)), cum), 'float32');
  const kz = tf.sum(support, 1, true);
  const atK = tf.oneHot(tf.cast(tf.sub(tf.reshape(kz, [-1]), 1), 'int32'), c);
  return tf.div(tf.sub(tf.sum(tf.mul(cum, atK), 1, true), 1), kz) as TF.Tensor2D;
}

/**
 * p = sparsemax(z) row by row, [B, C] → [B, C] (not differentiated; the head trains through the loss).
 *
 * @example
 * ```ts
 * import { sparsemaxRows } from './sparsemax.ts';
 * import { loadTfjs } from './tfjs.ts';
 * const tfjs = await loadTfjs('cpu');
 * const [p] = sparsemaxRows(tfjs, tfjs.tf.tensor2d([[1, 0.2, -2]])).arraySync();
 * if (Math.abs(p[0] - 0.9) > 1e-6 || Math.abs(p[1] - 0.1) > 1e-6 || p[2] !== 0) throw new Error('p = (0.9, 0.1, 0)');
 * ```
 */
export function sparsemaxRows({ tf }: Tfjs, z: TF.Tensor2D): TF.Tensor2D {
  return tf.tidy(() => tf.relu(tf.sub(z, threshold(tf, z))) as TF.Tensor2D);
}

/**
 * The mean sparsemax loss over the batch, with gradient (sparsemax(z) − y)/B with respect to z.
 * y: one-hot targets [B, C].
 *
 * @example
 * ```ts
 * import { sparsemaxLoss } from './sparsemax.ts';
 * import { loadTfjs } from './tfjs.ts';
 * const tfjs = await loadTfjs('cpu');
 * const { tf } = tfjs;
 * const l = sparsemaxLoss(tfjs, tf.tensor2d([[3, 0, 1]]), tf.tensor2d([[1, 0, 0]])).dataSync()[0];
 * if (Math.abs(l) > 1e-6) throw new Error('0 when z_y exceeds every other z_j by ≥ 1');
 * ```
 */
export function sparsemaxLoss({ tf }: Tfjs, z: TF.Tensor2D, y: TF.Tensor2D): TF.Scalar {
  const f = tf.customGrad((...args: (TF.Tensor | TF.GradSaveFunc)[]) => {
    const [zt, yy] = args.slice(0, 2) as [TF.Tensor2D, TF.Tensor2D];
    const save = args[2] as TF.GradSaveFunc;
    const tau = threshold(tf, zt);
    const p = tf.relu(tf.sub(zt, tau));
    const inS = tf.cast(tf.greater(p, 0), 'float32');
    const quad = tf.mul(0.5, tf.sum(tf.mul(inS, tf.sub(tf.square(zt), tf.square(tau))), 1));
    const value = tf.mean(tf.add(tf.sub(quad, tf.sum(tf.mul(zt, yy), 1)), 0.5)) as TF.Scalar;
    save([p, yy]);
    return {
      value,
      gradFunc: (dy: TF.Tensor, saved: TF.Tensor[]) => {
        const [ps, ys] = saved;
        const scale = tf.div(dy, ps.shape[0] as number);
        return [tf.mul(scale, tf.sub(ps, ys)), tf.zerosLike(ys)];
      },
    };
  });
  return f(z, y) as TF.Scalar;
}
