/**
 * The project's training safeguard for tfjs models: train with a tfjs optimiser, score the
 * iterate on a held-out validation split after every epoch, and keep (then restore) the iterate
 * with the lowest validation loss. A non-finite validation loss never counts as best.
 */
import type * as TF from '@tensorflow/tfjs-core';
import { DomainError } from '../../errors.ts';
import type { Tfjs } from './tfjs.ts';

export interface BestIterateReport {
  /** Epoch of the restored iterate (0 = the initial weights). */
  bestEpoch: number;
  bestLoss: number;
  /** Validation loss after each epoch, the initial iterate first. */
  validationLoss: number[];
}

export interface FitOptions {
  vars: TF.Variable[];
  epochs: number;
  learningRate: number;
  /** The mini-batch losses of one epoch, in order (each a closure returning a scalar). */
  batches(epoch: number): Iterable<() => TF.Scalar>;
  /** The validation loss of the current weights. */
  validationLoss(): number;
}

/**
 * Adam on `vars` for `epochs` epochs, then the weights with the lowest validation loss seen
 * (the initial ones included) are written back.
 *
 * @example
 * ```ts
 * import { fitWithBestIterate } from './best-iterate.ts';
 * import { loadTfjs } from './tfjs.ts';
 * const tfjs = await loadTfjs('cpu');
 * const { tf } = tfjs;
 * const v = tf.variable(tf.scalar(3));
 * const loss = () => tf.square(v).dataSync()[0];
 * const r = fitWithBestIterate(tfjs, { vars: [v], epochs: 3, learningRate: 0.1, batches: () => [() => tf.square(v)], validationLoss: loss });
 * if (r.validationLoss.length !== 4 || loss() !== r.bestLoss || r.bestLoss > r.validationLoss[0]) throw new Error('the best iterate is restored');
 * v.dispose();
 * ```
 */
export function fitWithBestIterate({ tf }: Tfjs, o: FitOptions): BestIterateReport {
  if (!(Number.isInteger(o.epochs) && o.epochs >= 0)) throw new DomainError(`epochs must be a non-negative integer, got ${o.epochs}`);
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) throw new DomainError(`learningRate must be finite and > 0, got ${o.learningRate}`);
  const optimizer = tf.train.adam(o.learningRate);
  const history: number[] = [];
  let best: TF.Tensor[] | undefined;
  let bestLoss = Infinity;
  let bestEpoch = 0;
  const offer = (epoch: number): void => {
    const loss = o.validationLoss();
    history.push(loss);
    if (Number.isFinite(loss) && (best === undefined || loss < bestLoss)) {
      best?.forEach((t) => t.dispose());
      best = o.vars.map((v) => tf.clone(v));
      bestLoss = loss;
      bestEpoch = epoch;
    }
  };
  try {
    offer(0);
    for (let e = 1; e <= o.epochs; e++) {
      for (const batch of o.batches(e)) optimizer.minimize(batch, false, o.vars);
      offer(e);
    }
  } finally {
    optimizer.dispose();
  }
  if (best !== undefined) {
    o.vars.forEach((v, i) => v.assign(best![i]));
    best.forEach((t) => t.dispose());
  }
  return { bestEpoch, bestLoss, validationLoss: history };
}
