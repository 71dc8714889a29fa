/**
 * `ahop/gpu` — the gpu.js backends (float32): the scorer that mirrors the reference's batched
 * retrieval, the backends it runs on, and their conformance exporter.
 *
 * Needs the optional packages `gpu.js` (every backend) and `webgpu` (the webgpu backend); a backend
 * that cannot run throws BackendUnavailableError (or MissingPackageError from `ahop`) naming what
 * is missing. docs/gpu.md describes the backends.
 *
 * @packageDocumentation
 * @module ahop/gpu
 */
export { BackendUnavailableError } from '../backends/errors.ts';
export {
  GPU_BACKENDS,
  isGpuBackendName,
  loadBackend,
  releaseWebGpuDevice,
  type GpuBackendName,
  type LoadedBackend,
} from './backends.ts';
export { FLOAT32_TOLERANCE, GpuScorer } from './scorer.ts';
export type { BatchArgs, BatchResult } from '../backends/batch.ts';
export {
  BACKEND_KINDS,
  exportBackendConformance,
  footprintOnBackend,
  similarityOnBackend,
  type BackendExportOptions,
  type SimilarityOut,
} from './conformance.ts';
