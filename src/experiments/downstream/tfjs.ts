/**
 * The downstream experiments' handle on TensorFlow.js, loaded through the project's `tfjs/` entry
 * by dynamic import: the reference and the rest of the experiments never load tfjs, and a missing
 * peer dependency surfaces as tfjs/'s TfjsBackendUnavailableError only when a downstream cell runs.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { ahopAttention } from '../../../tfjs/attention.ts';

export type TfjsBackend = 'cpu' | 'wasm';

/** tfjs-core and the A-Hop op, on the selected backend. */
export interface Tfjs {
  tf: typeof TF;
  ahopAttention: typeof ahopAttention;
}

/**
 * Loads tfjs (and the A-Hop op) and makes `backend` active.
 *
 * @example
 * ```ts
 * import { loadTfjs } from './tfjs.ts';
 * const { tf, ahopAttention } = await loadTfjs('cpu');
 * if (tf.getBackend() !== 'cpu' || typeof ahopAttention !== 'function') throw new Error('the cpu backend is active');
 * ```
 */
export async function loadTfjs(backend: TfjsBackend): Promise<Tfjs> {
  const mod = await import('../../../tfjs/index.ts');
  await mod.useTfjsBackend(backend);
  const tf = await import('@tensorflow/tfjs-core');
  return { tf, ahopAttention: mod.ahopAttention };
}
