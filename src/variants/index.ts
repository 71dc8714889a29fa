export type { Variant, VariantSpec } from './variant.ts';
export { noisy } from './noisy.ts';
export { masked } from './masked.ts';
export { biased } from './biased.ts';
export { composed } from './composed.ts';
export { mixed } from './mixed.ts';
export { checkVariantDim, variantFromSpec, VariantSpecSchema } from './spec.ts';
export { valueAt, type PerDimension } from './per-dimension.ts';
