/**
 * `--backend NAME` for the CLI paths that score: the float64 reference (the default) or a gpu.js
 * backend (float32; gpu/). Asking for a backend that cannot run here fails with
 * BackendUnavailableError naming what is missing — never a silent fallback to another backend.
 */
import { Option } from 'commander';
import {
  BackendUnavailableError,
  GPU_BACKENDS,
  isGpuBackendName,
  loadBackend,
  releaseWebGpuDevice,
} from '../../gpu/backends.ts';
import type { SimilarityOut } from '../../gpu/conformance.ts';
import { FLOAT32_TOLERANCE, GpuScorer, type GpuRetrieval } from '../../gpu/scorer.ts';
import { REFERENCE_TOLERANCE, type ConformanceFile, type Tolerance } from '../conformance/format.ts';
import { DomainError } from '../errors.ts';
import { retrieve } from '../hopfield/ahop.ts';
import { argmax } from '../numeric/logsumexp.ts';
import { retrieveBatch, scoreBatch } from '../hopfield/batch.ts';
import type { AhopParams } from '../similarity/adaptive.ts';
import type { Base } from '../similarity/base.ts';
import { FULL_FOOTPRINT, footprint, type FootprintOptions } from '../similarity/footprint.ts';

export { BackendUnavailableError };

/** Every backend name `--backend` accepts; 'reference' is the float64 oracle. */
export const BACKEND_NAMES = ['reference', ...GPU_BACKENDS] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const DEFAULT_BACKEND: BackendName = 'reference';

/** Batch outputs as flat row-major arrays: scores and probs B×N, retrieved B×d, energy B. */
export type BatchResult = GpuRetrieval;

/** A scoring backend, as the CLI uses it. All methods are async (gpu backends are). */
export interface Scorer {
  readonly name: BackendName;
  /** What executes, in words (for webgpu the adapter). */
  readonly device: string;
  /** The tolerance this backend states in the conformance files it writes. */
  readonly tolerance: Tolerance;
  scoreBatch(
    memories: Float64Array,
    n: number,
    d: number,
    queries: Float64Array,
    b: number,
    params: AhopParams,
    options?: FootprintOptions,
  ): Promise<Float64Array>;
  retrieveBatch(
    memories: Float64Array,
    n: number,
    d: number,
    queries: Float64Array,
    b: number,
    params: AhopParams,
    options?: FootprintOptions,
  ): Promise<BatchResult>;
  /** Outputs of a conformance `similarity` case. */
  similarityCase(memories: number[][], query: number[], params: AhopParams): Promise<SimilarityOut>;
  /** Outputs of a conformance `footprint` case. */
  footprintCase(base: Base, xi: number[], x: number[]): Promise<number[]>;
  /** A conformance file written by this backend (its kinds, its tolerance). */
  exportConformance(options: { seed: number; cases: number; kinds?: readonly string[] }): Promise<ConformanceFile>;
  /** The gpu.js modes that really executed so far (['reference'] for the reference). */
  executedModes(): string[];
  /** Releases the backend (the webgpu device keeps Node alive until released). */
  dispose(): Promise<void>;
}

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
    async similarityCase(memories, query, params) {
      const r = retrieve(memories, query, params);
      return { scores: r.scores, probs: r.probs, retrieved: r.retrieved, energy: r.energy };
    },
    footprintCase: async (base, xi, x) => footprint(base, xi, x),
    // Loaded on use: the 64-digit arithmetic behind the exporters (mathjs) takes seconds to load.
    exportConformance: async (options) => (await import('../conformance/export.ts')).exportConformance(options),
    executedModes: () => ['reference'],
    dispose: async () => {},
  };
}

function gpuScorer(scorer: GpuScorer): Scorer {
  const backend = scorer.backend;
  return {
    name: backend.name,
    device: backend.device,
    tolerance: FLOAT32_TOLERANCE,
    scoreBatch: (memories, n, d, queries, b, params, options) => scorer.scoreBatch(memories, n, d, queries, b, params, options),
    retrieveBatch: (memories, n, d, queries, b, params, options) => scorer.retrieveBatch(memories, n, d, queries, b, params, options),
    similarityCase: async (memories, query, params) =>
      (await import('../../gpu/conformance.ts')).similarityOnBackend(scorer, { memories, query, params }),
    footprintCase: async (base, xi, x) => (await import('../../gpu/conformance.ts')).footprintOnBackend(scorer, { base, xi, x }),
    exportConformance: async (options) => (await import('../../gpu/conformance.ts')).exportBackendConformance(scorer, options),
    executedModes: () => [...scorer.executedModes],
    async dispose() {
      await backend.destroy();
      if (backend.name === 'webgpu') await releaseWebGpuDevice();
    },
  };
}

/**
 * The scorer for a backend name. Throws DomainError for an unknown name and
 * BackendUnavailableError (an AhopError; its message names what is missing) when the backend
 * cannot run here. Call `dispose()` when done.
 */
export async function resolveBackend(name: string): Promise<Scorer> {
  if (name === 'reference') return referenceScorer();
  if (!isGpuBackendName(name)) {
    throw new DomainError(`--backend must be one of ${BACKEND_NAMES.join(', ')}; got ${JSON.stringify(name)}`);
  }
  return gpuScorer(new GpuScorer(await loadBackend(name)));
}

/** Resolves a backend, runs `work` with it, and always disposes it. */
export async function withBackend<T>(name: string, work: (scorer: Scorer) => Promise<T>): Promise<T> {
  const scorer = await resolveBackend(name);
  try {
    return await work(scorer);
  } finally {
    await scorer.dispose();
  }
}

/** One query's retrieval as `ahop retrieve` prints it. */
export interface RetrievedQuery {
  source: number;
  probs: number[];
  retrieved: number[];
  energy: number;
}

/**
 * `ahop retrieve`'s rows on a backend: the reference retrieves query by query exactly as before;
 * a gpu backend scores the whole batch at once (retrieveBatch) and splits it into rows.
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
  return new Option('--backend <name>', 'scoring backend: the float64 reference or a gpu.js backend (float32)')
    .choices(BACKEND_NAMES)
    .default(DEFAULT_BACKEND);
}
