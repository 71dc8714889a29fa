/**
 * Seeded initial weights for the downstream models, drawn with the project's RNG (not tfjs's
 * unseeded initialisers), so the same seed gives the same network on every run and machine.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { Rng } from '../../random/rng.ts';
import type { Tfjs } from './tfjs.ts';

/**
 * Glorot-uniform: W_ij ~ U[−a, a], a = √(6 / (fanIn + fanOut)), as a row-major [fanIn, fanOut] array.
 *
 * @example
 * ```ts
 * import { createRng } from '../../random/rng.ts';
 * import { glorotUniform } from './init.ts';
 * const w = glorotUniform(196, 128, createRng(0));
 * const limit = Math.sqrt(6 / (196 + 128));
 * if (w.length !== 196 * 128 || w.some((v) => Math.abs(v) > limit)) throw new Error('|w| ≤ √(6 / (fan_in + fan_out))');
 * ```
 */
export function glorotUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.uniform() - 1) * a;
  return out;
}

/**
 * Normal entries, z_i ~ N(0, std²), `count` of them.
 *
 * @example
 * ```ts
 * import { createRng } from '../../random/rng.ts';
 * import { normalEntries } from './init.ts';
 * const e = normalEntries(32, 1 / Math.sqrt(32), createRng(0));
 * if (e.length !== 32 || e.every((v) => v === 0)) throw new Error('32 draws');
 * ```
 */
export function normalEntries(count: number, std: number, rng: Rng): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = std * rng.normal();
  return out;
}

/**
 * A trainable tfjs variable holding `initial`, which is then disposed (tf.variable keeps its own
 * reference to the data, and the initial tensor would otherwise stay alive).
 *
 * @example
 * ```ts
 * import { variableOf } from './init.ts';
 * import { loadTfjs } from './tfjs.ts';
 * const { tf } = await loadTfjs('cpu');
 * const w = variableOf(tf, tf.ones([3]));
 * if (!w.trainable || w.shape[0] !== 3) throw new Error('a trainable variable of the initial value');
 * w.dispose();
 * ```
 */
export function variableOf<R extends TF.Rank>(tf: Tfjs['tf'], initial: TF.Tensor<R>): TF.Variable<R> {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}
