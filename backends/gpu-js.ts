/**
 * The gpu.js family (gpu/): cpu, webasm, webgpu, headlessgl, all float32. gpu.js itself and Dawn
 * load only when a backend of the family is asked for, so the reference path never pays for them.
 */
import { GPU_BACKENDS, loadBackend, releaseWebGpuDevice, type GpuBackendName } from '../gpu/backends.ts';
import { FLOAT32_TOLERANCE, GpuScorer } from '../gpu/scorer.ts';
import type { BackendSpec, Scorer } from './index.ts';

function gpuScorer(scorer: GpuScorer): Scorer {
  const backend = scorer.backend;
  return {
    name: backend.name,
    device: backend.device,
    tolerance: FLOAT32_TOLERANCE,
    scoreBatch: (memories, n, d, queries, b, params, options) => scorer.scoreBatch(memories, n, d, queries, b, params, options),
    retrieveBatch: (memories, n, d, queries, b, params, options) => scorer.retrieveBatch(memories, n, d, queries, b, params, options),
    footprintBatch: (base, xi, x, rows, d, options) => scorer.footprintBatch(base, xi, x, rows, d, options),
    exportConformance: async (options) => (await import('../gpu/conformance.ts')).exportBackendConformance(scorer, options),
    executedModes: () => [...scorer.executedModes],
    async dispose() {
      await backend.destroy();
      if (backend.name === 'webgpu') await releaseWebGpuDevice();
    },
  };
}

/** float32 unit roundoff. */
const U = 2 ** -24;

function spec(name: GpuBackendName): BackendSpec {
  return {
    name,
    family: 'gpu.js',
    tolerance: { scores: 64 * U, conformance: FLOAT32_TOLERANCE },
    // headless-gl is an optional native build; the others come with npm ci (webgpu on Mesa in CI).
    requiredInCi: name !== 'headlessgl',
    // Dawn (EGL) and headless-gl (GLX) clash in one process.
    process: name === 'headlessgl' ? 'headless-gl' : 'main',
    load: async () => gpuScorer(new GpuScorer(await loadBackend(name))),
  };
}

export const GPU_JS_BACKENDS: readonly BackendSpec[] = GPU_BACKENDS.map(spec);
