/**
 * A variant distribution V(ξ): how a query x is generated from its source memory ξ.
 * Every family offers a sampler and its log-likelihood, and the two describe one distribution.
 */
import type { Rng } from '../random/rng.ts';

/** The JSON form of a variant (docs/conformance.md): σ and bias are a number or a vector of length d. */
export type VariantSpec =
  | { type: 'noisy'; sigma: number | number[] }
  | { type: 'masked'; rho: number; sigma: number | number[]; low: number; high: number }
  | { type: 'biased'; bias: number | number[]; sigma: number | number[] }
  | { type: 'composed'; rho: number; sigma: number | number[]; bias: number | number[]; low: number; high: number }
  | { type: 'mixed'; components: { weight: number; variant: VariantSpec }[] };

export interface Variant {
  readonly spec: VariantSpec;
  /** The dimension this variant is tied to (per-dimension σ or bias), or undefined when any d works. */
  readonly dim: number | undefined;
  /** Draw x ~ p_V(· | ξ). */
  sample(xi: readonly number[], rng: Rng): number[];
  /** log p_V(x | ξ). */
  logLikelihood(x: readonly number[], xi: readonly number[]): number;
}
