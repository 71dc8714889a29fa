/**
 * Seeded initial weights for the downstream models, drawn with the project's RNG (not tfjs's
 * unseeded initialisers), so the same seed gives the same network on every run and machine.
 */
import type { Rng } from '../../random/rng.ts';

/**
 * Glorot-uniform: W_ij ~ U[−a, a], a = √(6 / (fanIn + fanOut)), as a row-major [fanIn, fanOut] array.
 *
 * @example
 * glorotUniform(196, 128, createRng(0)).length; // 196 · 128
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
 * normalEntries(32, 1 / Math.sqrt(32), createRng(0)).length; // 32
 */
export function normalEntries(count: number, std: number, rng: Rng): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = std * rng.normal();
  return out;
}
