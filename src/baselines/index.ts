/** The baselines harness: one Method interface, every method, and the registry over them. */
export type { Instance, Method, Retrieval, Retriever } from './method.ts';
export { METHODS, TRAINED_METHODS, type MethodFactory, type TrainBudget } from './registry.ts';
export { createInstance } from './instance.ts';
export { ahopMethod, AHOP_VARIANTS } from './ahop-methods.ts';
export { bayesMethod } from './bayes.ts';
export { defaultBeta, mhopFixedPoint, mhopMethod, mhopRetrieve } from './mhop.ts';
export { mhopScoreBatch } from './mhop-batch.ts';
export { sparseMethod, sparseRetrieve } from './sparse.ts';
export { sparsemax, sparsemaxWithThreshold } from './sparsemax.ts';
export { hardMax, polynomialSeparation, softmaxSeparation, SEPARATIONS, type Separation } from './separation.ts';
export { UNIVERSAL_SIMILARITIES, universalSimilarity, type UniversalSimilarity } from './similarities.ts';
export { universalMethod, universalRetrieve } from './universal.ts';
export { identityMap, u2LossAndGradient, type U2Model } from './u2hop.ts';
export { trainU2, u2hopMethod } from './u2hop-train.ts';
