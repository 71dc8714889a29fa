/**
 * Training loops for claim 9 (the U reparametrisation under Adam): full-batch Adam with a
 * step-size decay, run to convergence, built from src's own pieces (sorted rows, the analytic
 * loss/gradient, createAdam), so that the only difference between two runs is the parametrisation.
 */
import { createAdam } from '../../src/train/adam.ts';
import { sortedRows } from '../../src/train/features.ts';
import { flatten, unflatten } from '../../src/train/init.ts';
import { lossAndGradientFromRows } from '../../src/train/objective.ts';
import type { Pairs } from '../../src/train/pairs.ts';
import type { AhopParams } from '../../src/similarity/adaptive.ts';
import type { FootprintOptions } from '../../src/similarity/footprint.ts';

export interface FullBatch {
  /** Mean loss and gradient (flat θ layout) at θ. */
  evaluate(theta: ArrayLike<number>): { loss: number; grad: Float64Array };
  d: number;
}

export function fullBatch(memories: readonly (readonly number[])[], pairs: Pairs, footprint: FootprintOptions): FullBatch {
  const d = memories[0].length;
  const n = memories.length;
  const rows = pairs.queries.map((q) => sortedRows(memories, q, footprint));
  return {
    d,
    evaluate(theta) {
      const params = unflatten(theta, d);
      const grad = new Float64Array(theta.length);
      let loss = 0;
      rows.forEach((r, i) => {
        const o = lossAndGradientFromRows(r, n, pairs.targets[i], params, footprint.cumulative);
        loss += o.loss / rows.length;
        flatten(o.grad).forEach((v, j) => (grad[j] += v / rows.length));
      });
      return { loss, grad };
    },
  };
}

/**
 * Full-batch Adam from `init`, the step size halved every `halveEvery` steps (a fresh Adam state
 * each time). `frozen` lists flat indices kept fixed (their gradient is zeroed).
 */
export function adamToConvergence(
  fb: FullBatch,
  init: AhopParams,
  options: { steps: number; lr: number; halveEvery: number; frozen?: readonly number[] },
): { params: AhopParams; loss: number; gradNorm: number } {
  const theta = flatten(init);
  let adam = createAdam(theta.length, { lr: options.lr });
  for (let t = 0; t < options.steps; t++) {
    if (t > 0 && t % options.halveEvery === 0) adam = createAdam(theta.length, { lr: options.lr / 2 ** (t / options.halveEvery) });
    const { grad } = fb.evaluate(theta);
    for (const j of options.frozen ?? []) grad[j] = 0;
    adam.step(theta, grad);
  }
  const { loss, grad } = fb.evaluate(theta);
  for (const j of options.frozen ?? []) grad[j] = 0;
  return { params: unflatten(theta, fb.d), loss, gradNorm: Math.sqrt(grad.reduce((s, v) => s + v * v, 0)) };
}
