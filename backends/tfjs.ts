/**
 * The TensorFlow.js family (tfjs/): `tfjs-cpu` and `tfjs-wasm`, float32, scoring with the A-Hop op
 * `ahopAttention` (values = keys). tfjs loads only when a backend of the family is asked for; a
 * missing package or a backend that fails to start is refused with BackendUnavailableError naming
 * what is missing.
 *
 * Tolerance, derived as for gpu.js (backends/gpu-js.ts): a score is Σ_sim β_sim Σ_r c_sim[r] q̃_r,
 * every term bounded by the pair's scale (backends/suite.ts); float32 rounds the inputs, each q,
 * each c and the dot product (tf.matMul, blocked sums), so the error is a modest multiple of u·scale
 * — a few u from the rounding of q and c, and of order √d·u from the length-d sum with its signs
 * mixed (the worst case d·u is not reached at d ≤ 784). 64·u is the gpu.js backends' bound; tfjs's
 * own suite (tfjs/suite.ts) holds its forward to it up to d = 784.
 *
 * The op computes the full A-Hop footprint only (sort and U): the ablations are refused with a
 * DomainError, and the backend suite checks that refusal instead (`footprintOptions: 'full'`).
 */
import { TFJS_FLOAT32_TOLERANCE } from '../tfjs/tolerance.ts';
import { BackendUnavailableError } from './errors.ts';
import type { BackendSpec } from './index.ts';

/** float32 unit roundoff. */
const U = 2 ** -24;

type TfjsName = 'cpu' | 'wasm';

function spec(backend: TfjsName): BackendSpec {
  const name = `tfjs-${backend}`;
  return {
    name,
    family: 'tfjs',
    tolerance: { scores: 64 * U, conformance: TFJS_FLOAT32_TOLERANCE },
    // Both install from npm (devDependencies) and run offline on any CPU.
    requiredInCi: true,
    // tfjs keeps one active backend per process: its own test file, apart from gpu.js.
    process: 'tfjs',
    footprintOptions: 'full',
    async load() {
      let scorer: typeof import('./tfjs-scorer.ts');
      try {
        scorer = await import('./tfjs-scorer.ts');
      } catch (e) {
        throw new BackendUnavailableError(
          name,
          `@tensorflow/tfjs-core and @tensorflow/tfjs-layers (4.x) did not load: ${(e as Error).message.split('\n')[0]}`,
        );
      }
      return scorer.loadTfjsScorer(backend);
    },
  };
}

/** `tfjs-cpu` (@tensorflow/tfjs-backend-cpu) and `tfjs-wasm` (@tensorflow/tfjs-backend-wasm). */
export const TFJS_BACKEND_SPECS: readonly BackendSpec[] = (['cpu', 'wasm'] as const).map(spec);
