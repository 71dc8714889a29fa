/**
 * M-Hop, the modern Hopfield network (Ramsauer et al., 2021), i.e. attention over the memories:
 *   p = softmax(β Ξ x),  y = Ξᵀ p = Σ_k p_k ξ_k,
 * with β = 1/√d by default, the scaling of the PyTorch hopfield-layers package. Optionally the
 * update x ← Ξᵀ softmax(β Ξ x) is iterated to a fixed point.
 */
import { DomainError } from '../errors.ts';
import { readout } from '../hopfield/ahop.ts';
import { checkBeta, checkInstanceMemories, checkMemories, checkQuery } from './checks.ts';
import type { Method, Retrieval } from './method.ts';
import { softmaxSeparation } from './separation.ts';
import { dotProduct } from './similarities.ts';

/** β = 1/√d (hopfield-layers' default scaling). */
export function defaultBeta(d: number): number {
  return 1 / Math.sqrt(d);
}

/** The raw similarities Ξ x = (ξ_1ᵀx, …, ξ_Nᵀx) (β is applied by the separation). */
export function dotScores(memories: readonly (readonly number[])[], x: readonly number[]): number[] {
  return memories.map((m) => dotProduct(m, x));
}

/** One M-Hop update on validated input: p = softmax(β Ξ x), y = Ξᵀ p. */
export function mhopStep(memories: readonly (readonly number[])[], x: readonly number[], beta: number): Retrieval {
  const probs = softmaxSeparation(dotScores(memories, x), beta);
  return { probs, retrieved: readout(memories, probs) };
}

/**
 * p = softmax(β Ξ x), y = Σ_k p_k ξ_k for one query (the `mhop` conformance kind).
 * @example
 * ```ts
 * import { mhopRetrieve } from 'ahop';
 * // Ξ x = (1, 0), and β = log 3 gives p = softmax(log 3, 0) = (3/4, 1/4).
 * const r = mhopRetrieve([[1, 0], [0, 1]], [1, 0], Math.log(3));
 * if (Math.abs(r.probs[0]! - 0.75) > 1e-15 || Math.abs(r.retrieved[1]! - 0.25) > 1e-15) throw new Error('p = (3/4, 1/4)');
 * ```
 */
export function mhopRetrieve(memories: unknown, query: unknown, beta: unknown): Retrieval {
  const xi = checkMemories(memories);
  return mhopStep(xi, checkQuery(query, xi[0].length), checkBeta(beta));
}

export interface FixedPointOptions {
  /** Most updates before giving up (the result is then the last iterate). */
  maxSteps: number;
  /** Stop when max_i |x_{t+1,i} − x_{t,i}| ≤ tol · (1 + max_i |x_{t,i}|). */
  tol: number;
}

export const FIXED_POINT_DEFAULTS: FixedPointOptions = { maxSteps: 100, tol: 1e-12 };

export interface FixedPointRetrieval extends Retrieval {
  /** Number of updates made (≥ 1). */
  steps: number;
  converged: boolean;
}

/**
 * Iterates x_{t+1} = Ξᵀ softmax(β Ξ x_t) from x_0 = query until x_{t+1} ≈ x_t. Returns the last
 * update's p and y = Ξᵀ p (so y is a readout of p, as for every method). Each update lowers the
 * M-Hop energy (Ramsauer et al., Thm. 1), so it converges; maxSteps bounds the cost.
 */
export function mhopFixedPoint(
  memories: unknown,
  query: unknown,
  beta: unknown,
  options: Partial<FixedPointOptions> = {},
): FixedPointRetrieval {
  const o = { ...FIXED_POINT_DEFAULTS, ...options };
  if (!Number.isInteger(o.maxSteps) || o.maxSteps < 1) throw new DomainError(`maxSteps must be an integer >= 1, got ${o.maxSteps}`);
  if (!(o.tol >= 0 && Number.isFinite(o.tol))) throw new DomainError(`tol must be a finite number >= 0, got ${o.tol}`);
  const xi = checkMemories(memories);
  const b = checkBeta(beta);
  let x = checkQuery(query, xi[0].length);
  for (let t = 1; ; t++) {
    const r = mhopStep(xi, x, b);
    let change = 0;
    let size = 0;
    r.retrieved.forEach((v, i) => {
      change = Math.max(change, Math.abs(v - x[i]));
      size = Math.max(size, Math.abs(x[i]));
    });
    const converged = change <= o.tol * (1 + size);
    if (converged || t === o.maxSteps) return { ...r, steps: t, converged };
    x = r.retrieved;
  }
}

export interface MhopOptions {
  /** Inverse temperature; default 1/√d of the instance. */
  beta?: number;
  /** Iterate to a fixed point (true: FIXED_POINT_DEFAULTS); default a single update. */
  iterate?: boolean | Partial<FixedPointOptions>;
}

/** M-Hop as a Method: nothing to train; β defaults to 1/√d. */
export function mhopMethod(options: MhopOptions = {}, name = options.iterate ? 'mhop-fixed-point' : 'mhop'): Method {
  if (options.beta !== undefined) checkBeta(options.beta);
  const fixed = options.iterate === true ? {} : options.iterate || undefined;
  return {
    name,
    prepare(raw) {
      const { memories: xi, d } = checkInstanceMemories(raw);
      const beta = options.beta ?? defaultBeta(d);
      if (fixed !== undefined) {
        return (query) => {
          const r = mhopFixedPoint(xi, query, beta, fixed);
          return { probs: r.probs, retrieved: r.retrieved };
        };
      }
      return (query) => mhopStep(xi, checkQuery(query, d), beta);
    },
  };
}
