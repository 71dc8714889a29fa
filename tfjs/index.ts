/**
 * `ahop/tfjs`: A-Hop as a differentiable TensorFlow.js op and layer (float32), checked against the
 * float64 reference. Peer dependencies (optional for the core package): @tensorflow/tfjs-core,
 * @tensorflow/tfjs-layers, and @tensorflow/tfjs-backend-cpu and/or @tensorflow/tfjs-backend-wasm.
 * docs/tfjs.md explains conventions, backends and tolerance.
 *
 * @packageDocumentation
 * @module ahop/tfjs
 */
export { ahopAttention, paramTensors, tfjsFootprints, type AhopAttentionOutputs, type AhopParamTensors } from './attention.ts';
export { AHopLayer, AHOP_LAYER_OUTPUTS, type AHopLayerArgs, type AHopLayerOutput } from './layer.ts';
export { TFJS_BACKENDS, TfjsBackendUnavailableError, isTfjsBackendName, useTfjsBackend, type TfjsBackendName } from './backends.ts';
export {
  TFJS_FLOAT32_TOLERANCE,
  TFJS_LAYER_KINDS,
  contractParams,
  exportTfjsConformance,
  tfjsLayerCases,
  tfjsLayerConformance,
  type LayerCaseInput,
  type LayerOut,
  type ContractParams,
  type LayerVjpFileOut,
  type LayerVjpOut,
  type TfjsLayerKind,
} from './conformance.ts';
