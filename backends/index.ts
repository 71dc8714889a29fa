/**
 * The scoring backends behind `--backend NAME` and the backend suite: one registry of names →
 * loaders, each with its tolerance. The float64 reference is one entry among them; the others are
 * families (gpu.js: cpu, webasm, webgpu, headlessgl; tfjs: tfjs-cpu, tfjs-wasm) whose loaders import their code only when
 * asked for. Asking for a backend that cannot run here fails with BackendUnavailableError naming
 * what is missing — never a silent fallback to another backend.
 *
 * The reference library (src/) never imports this module; the CLI and the tests do.
 *
 * A new family is one entry in FAMILIES: a module exporting its BackendSpec list (like
 * backends/gpu-js.ts and backends/tfjs.ts).
 */
import type { ConformanceFile, Tolerance } from '../src/conformance/format.ts';
import { DomainError } from '../src/errors.ts';
import type { Base } from '../src/similarity/base.ts';
import type { FootprintOptions } from '../src/similarity/footprint.ts';
import type { BatchArgs, BatchResult } from './batch.ts';
import { BackendUnavailableError } from './errors.ts';
import { GPU_JS_BACKENDS } from './gpu-js.ts';
import { REFERENCE_BACKEND } from './reference.ts';
import { TFJS_BACKEND_SPECS } from './tfjs.ts';

export { BackendUnavailableError };
export type { BatchArgs, BatchResult };

/** A scoring backend. All methods are async (device backends are). */
export interface Scorer {
  readonly name: string;
  /** What executes, in words (for webgpu the adapter). */
  readonly device: string;
  /** The tolerance this backend states in the conformance files it writes. */
  readonly tolerance: Tolerance;
  /** S (B×N), S[b·N + k] = s(ξ_k, x_b). */
  scoreBatch(...args: BatchArgs): Promise<Float64Array>;
  /** Scores, then softmax, readout and energy per query. */
  retrieveBatch(...args: BatchArgs): Promise<BatchResult>;
  /** ftpt_base(ξ_r, x_r) for R rows (xi, x: R×d), R×d. */
  footprintBatch(base: Base, xi: Float64Array, x: Float64Array, rows: number, d: number, options?: FootprintOptions): Promise<Float64Array>;
  /** A conformance file written by this backend (its kinds, its tolerance). */
  exportConformance(options: { seed: number; cases: number; kinds?: readonly string[] }): Promise<ConformanceFile>;
  /**
   * The backends that really executed so far, read after each run (for gpu.js the kernel object it
   * ran): the backend suite requires exactly [name], so a silent fallback fails.
   */
  executedModes(): string[];
  /** Releases the backend (the webgpu device keeps Node alive until released). */
  dispose(): Promise<void>;
}

/** Tolerances of one backend (the per-backend table of the backend suite). */
export interface BackendTolerance {
  /**
   * Largest |score − s(ξ, x)| relative to the pair's scale Σ_base |β| ‖c‖₁ max_i (|ξ_i| + |x_i|)²,
   * which bounds every term summed (a score itself can be near 0 after cancellation).
   */
  readonly scores: number;
  /** What the backend states in the conformance files it writes. */
  readonly conformance: Tolerance;
}

/** One registered backend. */
export interface BackendSpec {
  readonly name: string;
  /** The family it belongs to ('reference', 'gpu.js', …), for messages and docs. */
  readonly family: string;
  readonly tolerance: BackendTolerance;
  /** In CI (CI=true) the backend suite fails when this backend is unavailable. */
  readonly requiredInCi: boolean;
  /**
   * Backends whose native libraries cannot share a process (Dawn's EGL and headless-gl's GLX)
   * name different groups; the backend suite runs each group in a test file of its own.
   */
  readonly process: string;
  /**
   * Which footprints the backend computes: 'all' (default) the full one and the ablations (no sort,
   * no U); 'full' only the full A-Hop footprint (sort and U) — it refuses the ablations with a
   * DomainError, and the backend suite checks that refusal in place of their values.
   */
  readonly footprintOptions?: 'all' | 'full';
  /** Loads the backend, or throws BackendUnavailableError saying what is missing. */
  load(): Promise<Scorer>;
}

/** Every registered backend family, in the order `--backend` lists them. */
const FAMILIES: readonly (readonly BackendSpec[])[] = [[REFERENCE_BACKEND], GPU_JS_BACKENDS, TFJS_BACKEND_SPECS];

/** Every registered backend. */
export const BACKENDS: readonly BackendSpec[] = FAMILIES.flat();

/** Every backend name `--backend` accepts; 'reference' is the float64 oracle. */
export const BACKEND_NAMES: readonly string[] = BACKENDS.map((b) => b.name);
export const DEFAULT_BACKEND = REFERENCE_BACKEND.name;

/** The registered backend of a name; DomainError for an unknown one. */
export function backendSpec(name: string): BackendSpec {
  const spec = BACKENDS.find((b) => b.name === name);
  if (spec === undefined) {
    throw new DomainError(`--backend must be one of ${BACKEND_NAMES.join(', ')}; got ${JSON.stringify(name)}`);
  }
  return spec;
}

/**
 * The scorer for a backend name. Throws DomainError for an unknown name and
 * BackendUnavailableError (an AhopError; its message names what is missing) when the backend
 * cannot run here. Call `dispose()` when done.
 */
export async function resolveBackend(name: string): Promise<Scorer> {
  return backendSpec(name).load();
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
