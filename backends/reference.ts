/** The float64 reference as a backend: the batched kernels of src/hopfield/batch.ts. */
import { exportConformance } from '../src/conformance/export.ts';
import { REFERENCE_TOLERANCE } from '../src/conformance/format.ts';
import { retrieveBatch, scoreBatch } from '../src/hopfield/batch.ts';
import { FULL_FOOTPRINT, footprint } from '../src/similarity/footprint.ts';
import { checkFlat } from '../src/validate.ts';
import type { BackendSpec, Scorer } from './index.ts';

function referenceScorer(): Scorer {
  return {
    name: 'reference',
    device: 'TypeScript, float64 (the reference)',
    tolerance: REFERENCE_TOLERANCE,
    scoreBatch: async (memories, n, d, queries, b, params, options = FULL_FOOTPRINT) =>
      scoreBatch(memories, n, d, queries, b, params, options),
    async retrieveBatch(memories, n, d, queries, b, params, options = FULL_FOOTPRINT) {
      const r = retrieveBatch(memories, n, d, queries, b, params, options);
      return { scores: r.scores.data, probs: r.probs.data, retrieved: r.retrieved.data, energy: r.energy };
    },
    async footprintBatch(base, xi, x, rows, d, options = FULL_FOOTPRINT) {
      checkFlat('xi', xi, rows, d);
      checkFlat('x', x, rows, d);
      const out = new Float64Array(rows * d);
      for (let r = 0; r < rows; r++) {
        out.set(footprint(base, [...xi.subarray(r * d, (r + 1) * d)], [...x.subarray(r * d, (r + 1) * d)], options), r * d);
      }
      return out;
    },
    exportConformance: async (options) => exportConformance(options),
    executedModes: () => ['reference'],
    dispose: async () => {},
  };
}

/**
 * float64 against the readable forms: the batched kernel sums in another order (suffix sums of w,
 * four accumulators), a difference of a few (d + 3) unit roundoffs of the scale; 2^-40 covers
 * d = 784 with room, and is 2^22 times tighter than the float32 backends' tolerance.
 */
export const REFERENCE_BACKEND: BackendSpec = {
  name: 'reference',
  family: 'reference',
  tolerance: { scores: 2 ** -40, conformance: REFERENCE_TOLERANCE },
  requiredInCi: true,
  process: 'main',
  load: async () => referenceScorer(),
};
