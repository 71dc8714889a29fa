/**
 * `ahop` — the float64 reference implementation of the Adaptive Hopfield Network (A-Hop, ICLR 2026).
 *
 * ```ts
 * import { initialParams, retrieve } from 'ahop';
 * const memories = [[0, 1], [1, 0]];
 * const r = retrieve(memories, [0.9, 0.2], initialParams(2));
 * r.source; // 1: the memory nearest the query
 * ```
 *
 * Everything here needs only the core dependencies. Heavier parts are subpath entries, each with
 * its optional packages: `ahop/gpu` (gpu.js backends), `ahop/experiments` (the paper's
 * experiments: mnist, vega, ml-*). docs/package.md lists them.
 *
 * One concept per line below, in the paper's order: variants → posterior → similarity → Hopfield
 * retrieval → the memory layer → training → model files → conformance → baselines. A new module adds one line here.
 *
 * @packageDocumentation
 * @module ahop
 */

// Errors: every bad input at the public boundary throws one of these, naming the field.
export { AhopError, DomainError, ParseError, ShapeError } from './errors.ts';
export { MissingPackageError, type OptionalPackage } from './optional.ts';

// Seeded randomness.
export { createRng, seedState, splitmix64, type Rng } from './random/rng.ts';

// Numerics shared by every equation.
export { logSumExp, softmax } from './numeric/logsumexp.ts';

// Variant families: how a query x is drawn from its source ξ, with its log-likelihood.
export type { Variant, VariantSpec } from './variants/variant.ts';
export { noisy } from './variants/noisy.ts';
export { masked } from './variants/masked.ts';
export { biased } from './variants/biased.ts';
export { composed } from './variants/composed.ts';
export { mixed } from './variants/mixed.ts';
export { variantFromSpec } from './variants/spec.ts';

// The Bayes-optimal posterior p(ξ_k | x): the correctness oracle.
export { posterior, type Posterior } from './bayes/posterior.ts';

// Similarity: base similarities, the footprint, the adaptive similarity.
export { BASES, baseSimilarities, type Base } from './similarity/base.ts';
export { FULL_FOOTPRINT, footprint, weightedFootprint, type FootprintOptions } from './similarity/footprint.ts';
export { adaptiveSimilarity, componentSimilarity, type AhopParams } from './similarity/adaptive.ts';
export {
  ahopPlusScores,
  ahopPlusSimilarity,
  bayesAhopPlusParams,
  checkAhopPlusParams,
  identityAhopPlusParams,
  type AhopPlusParams,
} from './similarity/adaptive-plus.ts';

// Hopfield retrieval: one step, batched, streamed, iterated; energy is part of each result.
export { readout, retrieve, scores, type AhopRetrieval, type Retrieval } from './hopfield/ahop.ts';
export { misses, nearestMemory, type Selection } from './hopfield/correct-retrieval.ts';
export { retrievePlus } from './hopfield/ahop-plus.ts';
export { retrieveBatch, scoreBatch, type BatchRetrieval } from './hopfield/batch.ts';
export { scoreBatchPlus } from './hopfield/batch-plus.ts';
export { rowBlocks, streamRetrieve, type BlockInfo, type StreamRetrieval } from './hopfield/stream.ts';
export { iterate, type Trajectory } from './hopfield/dynamics.ts';

// A-Hop as a differentiable memory layer: forward and vector–Jacobian product through the sort,
// and the hopfield-layers-style modules over it (learned projections, pooling, lookup).
export {
  checkLayerCotangent,
  checkLayerInputs,
  layerForward,
  layerVjp,
  type LayerCotangent,
  type LayerGradients,
  type LayerInputs,
  type LayerOutputs,
} from './hopfield/layer.ts';
export type { Matrix, SimilarityKind, SimilarityWeights } from './layers/association.ts';
export {
  Hopfield,
  type HopfieldGradients,
  type HopfieldInputs,
  type HopfieldOptions,
  type HopfieldWeights,
} from './layers/hopfield.ts';
export {
  HopfieldPooling,
  type HopfieldPoolingGradients,
  type HopfieldPoolingOptions,
  type HopfieldPoolingWeights,
} from './layers/hopfield-pooling.ts';
export {
  HopfieldLayer,
  type HopfieldLayerGradients,
  type HopfieldLayerOptions,
  type HopfieldLayerWeights,
} from './layers/hopfield-layer.ts';

// Training: the one cross-entropy, loss and gradient, Adam, the training loops.
export { crossEntropy, crossEntropyLoss, type CrossEntropy } from './train/cross-entropy.ts';
export { lossAndGradient, type LossGradient } from './train/loss.ts';
export {
  AHOP_PLUS_GROUPS,
  ahopPlusLayout,
  ahopPlusLossAndGradient,
  packAhopPlus,
  unpackAhopPlus,
  type AhopPlusGroup,
  type AhopPlusLayout,
  type AhopPlusLossGradient,
} from './train/objective-plus.ts';
export { ADAM_DEFAULTS, createAdam, type Adam, type AdamOptions } from './train/adam.ts';
export { initialParams } from './train/init.ts';
export { initAhopPlusFromResiduals, residualEmFits, type ResidualFit } from './train/init-plus.ts';
export { samplePairs, type Pairs } from './train/pairs.ts';
export { holdOut, minimise, type MinimiseOptions, type MinimiseProblem, type MinimiseResult, type Split } from './train/loop.ts';
export { TRAIN_DEFAULTS, train, trainOnPairs, type TrainOptions, type TrainResult } from './train/train.ts';

// Model files.
export { loadModel, saveModel, type Model, type ModelJson } from './hopfield/model-json.ts';

// Conformance files: export the reference's vectors, check another backend's.
export {
  REFERENCE_TOLERANCE,
  type ConformanceCase,
  type ConformanceFile,
  type Out,
  type Tolerance,
} from './conformance/format.ts';
export { exportConformance, type ExportBackend, type ExportOptions } from './conformance/export.ts';
export { checkConformance, type CaseFailure, type CheckReport } from './conformance/check.ts';

// Baselines: the fixed-similarity Hopfield networks and the method registry the experiments use.
export type { Instance, Method, Retrieval as BaselineRetrieval, Retriever } from './baselines/method.ts';
export { METHODS, type MethodFactory } from './baselines/registry.ts';
export { bayesMethod } from './baselines/bayes.ts';
export { mhopRetrieve } from './baselines/mhop.ts';
export { sparseRetrieve } from './baselines/sparse.ts';
export { sparsemax } from './baselines/sparsemax.ts';
export { universalRetrieve, type UniversalOptions } from './baselines/universal.ts';
export { UNIVERSAL_SIMILARITIES, type UniversalSimilarity } from './baselines/similarities.ts';
export { trainU2, type U2TrainOptions, type U2TrainResult } from './baselines/u2hop-train.ts';
