/**
 * Classification heads over the encoder's embedding h ∈ ℝᵈ (C classes), each giving class
 * probabilities p(c | h) and its training loss:
 *   ahop    p = softmax(s), s_c = A-Hop similarity of h to a learned class memory ξ_c (ahopAttention,
 *           values = one-hot class targets, so the readout Σ_k p_k v_k is p itself); cross-entropy
 *   mhop    p = softmax(β ξ_cᵀ h), β learned; cross-entropy
 *   sparse  p = sparsemax(β ξ_cᵀ h), β learned; sparsemax loss
 *   linear  p = softmax(W h + b); cross-entropy
 * Class memories start as ξ_c ~ N(0, I/d), so initial distances and dot products are O(1).
 */
import type * as TF from '@tensorflow/tfjs-core';
import { DomainError } from '../../errors.ts';
import type { Rng } from '../../random/rng.ts';
import { initialParams } from '../../train/init.ts';
import { glorotUniform, normalEntries, variableOf } from './init.ts';
import { sparsemaxLoss, sparsemaxRows } from './sparsemax.ts';
import type { Tfjs } from './tfjs.ts';

export const HEADS = ['ahop', 'mhop', 'sparse', 'linear'] as const;
export type HeadName = (typeof HEADS)[number];
export const HEAD_LABELS: Record<HeadName, string> = { ahop: 'A-Hop', mhop: 'M-Hop', sparse: 'Sparse', linear: 'softmax-linear' };

export interface Head {
  vars: TF.Variable[];
  /** Class probabilities [B, C]; rows sum to one. */
  probs(h: TF.Tensor2D): TF.Tensor2D;
  /** The mean training loss over the batch (y one-hot [B, C]). */
  loss(h: TF.Tensor2D, y: TF.Tensor2D): TF.Scalar;
  /** Frees the head's variables and constants. */
  dispose(): void;
}

/**
 * A freshly initialised head of the given kind over d-dimensional embeddings and C classes.
 *
 * @example
 * ```ts
 * import { createRng } from '../../random/rng.ts';
 * import { createHead } from './heads.ts';
 * import { loadTfjs } from './tfjs.ts';
 * const tfjs = await loadTfjs('cpu');
 * const { tf } = tfjs;
 * const head = createHead(tfjs, 'ahop', 4, 3, createRng(0));
 * const sums = tf.sum(head.probs(tf.randomNormal([2, 4], 0, 1, 'float32', 1)), 1).arraySync() as number[];
 * if (sums.some((s) => Math.abs(s - 1) > 1e-5)) throw new Error('Σ_c p_c = 1');
 * ```
 */
export function createHead(tfjs: Tfjs, name: HeadName, d: number, classes: number, rng: Rng): Head {
  const { tf } = tfjs;
  const ce = (scores: TF.Tensor2D, y: TF.Tensor2D): TF.Scalar => tf.losses.softmaxCrossEntropy(y, scores) as TF.Scalar;
  switch (name) {
    case 'ahop': {
      const xi = variableOf(tf, tf.tensor2d(normalEntries(classes * d, 1 / Math.sqrt(d), rng), [classes, d]));
      const p0 = initialParams(d);
      const wDis = variableOf(tf, tf.tensor1d(p0.wDis));
      const wDot = variableOf(tf, tf.tensor1d(p0.wDot));
      const betaDis = variableOf(tf, tf.scalar(p0.betaDis));
      const betaDot = variableOf(tf, tf.scalar(p0.betaDot));
      const values = tf.eye(classes) as TF.Tensor2D;
      const scores = (h: TF.Tensor2D): TF.Tensor2D =>
        tfjs.ahopAttention(h, xi as TF.Tensor2D, values, {
          wDis: wDis as TF.Tensor1D,
          wDot: wDot as TF.Tensor1D,
          betaDis: betaDis as TF.Scalar,
          betaDot: betaDot as TF.Scalar,
        }).scores;
      const vars = [xi, wDis, wDot, betaDis, betaDot];
      return {
        vars,
        probs: (h) => tf.tidy(() => tf.softmax(scores(h))),
        loss: (h, y) => ce(scores(h), y),
        dispose: () => [...vars, values].forEach((t) => t.dispose()),
      };
    }
    case 'mhop':
    case 'sparse': {
      const xi = variableOf(tf, tf.tensor2d(normalEntries(classes * d, 1 / Math.sqrt(d), rng), [classes, d]));
      const beta = variableOf(tf, tf.scalar(1 / Math.sqrt(d)));
      const scores = (h: TF.Tensor2D): TF.Tensor2D => tf.mul(beta, tf.matMul(h, xi, false, true));
      const dispose = (): void => [xi, beta].forEach((t) => t.dispose());
      return name === 'mhop'
        ? { vars: [xi, beta], probs: (h) => tf.tidy(() => tf.softmax(scores(h))), loss: (h, y) => ce(scores(h), y), dispose }
        : { vars: [xi, beta], probs: (h) => tf.tidy(() => sparsemaxRows(tfjs, scores(h))), loss: (h, y) => sparsemaxLoss(tfjs, scores(h), y), dispose };
    }
    case 'linear': {
      const w = variableOf(tf, tf.tensor2d(glorotUniform(d, classes, rng), [d, classes]));
      const b = variableOf(tf, tf.zeros([classes]));
      const scores = (h: TF.Tensor2D): TF.Tensor2D => tf.add(tf.matMul(h, w), b);
      return { vars: [w, b], probs: (h) => tf.tidy(() => tf.softmax(scores(h))), loss: (h, y) => ce(scores(h), y), dispose: () => [w, b].forEach((t) => t.dispose()) };
    }
    default:
      throw new DomainError(`head must be one of ${HEADS.join(', ')}, got ${JSON.stringify(name)}`);
  }
}
