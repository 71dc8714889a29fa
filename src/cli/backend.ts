/**
 * `--backend NAME` on the command line: the option and `ahop retrieve`'s rows. The backends
 * themselves (the registry, the Scorer interface, the loaders) live in backends/, outside the
 * reference; asking for one that cannot run here fails with BackendUnavailableError naming what is
 * missing — never a silent fallback to another backend.
 */
import { Option } from 'commander';
import { BACKEND_NAMES, DEFAULT_BACKEND, type Scorer } from '../../backends/index.ts';
import { retrieve } from '../hopfield/ahop.ts';
import { argmax } from '../numeric/logsumexp.ts';
import type { AhopParams } from '../similarity/adaptive.ts';
import { FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';

export { BackendUnavailableError, resolveBackend, withBackend } from '../../backends/index.ts';

/** One query's retrieval as `ahop retrieve` prints it. */
export interface RetrievedQuery {
  source: number;
  probs: number[];
  retrieved: number[];
  energy: number;
}

/**
 * `ahop retrieve`'s rows on a backend: the reference retrieves query by query exactly as before;
 * another backend scores the whole batch at once (retrieveBatch) and splits it into rows.
 */
export async function retrieveQueries(
  scorer: Scorer,
  memories: number[][],
  queries: number[][],
  params: AhopParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): Promise<RetrievedQuery[]> {
  if (scorer.name === 'reference') {
    return queries.map((q) => {
      const r = retrieve(memories, q, params, options);
      return { source: r.source, probs: r.probs, retrieved: r.retrieved, energy: r.energy };
    });
  }
  const n = memories.length;
  const d = memories[0]?.length ?? 0;
  const r = await scorer.retrieveBatch(Float64Array.from(memories.flat()), n, d, Float64Array.from(queries.flat()), queries.length, params, options);
  return queries.map((_, b) => {
    const probs = [...r.probs.subarray(b * n, (b + 1) * n)];
    return { source: argmax(probs), probs, retrieved: [...r.retrieved.subarray(b * d, (b + 1) * d)], energy: r.energy[b] };
  });
}

/** The `--backend` option, for `command.addOption(backendOption())`. */
export function backendOption(): Option {
  return new Option('--backend <name>', 'scoring backend: the float64 reference or a float32 backend (gpu.js, tfjs)')
    .choices(BACKEND_NAMES)
    .default(DEFAULT_BACKEND);
}
