/**
 * Adam (Kingma & Ba, 2015) on a flat parameter vector θ:
 *   m ← β1 m + (1 − β1) g,  v ← β2 v + (1 − β2) g²,
 *   θ ← θ − lr · m̂ / (√v̂ + ε),  m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t).
 */
import { DomainError, ShapeError } from '../errors.ts';
import { checkFinite, checkPositive, checkVector } from '../validate.ts';

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** The paper trains with lr 0.1; β1, β2, ε are the usual defaults. */
export const ADAM_DEFAULTS: AdamOptions = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export interface Adam {
  /** Updates θ in place with gradient g. */
  step(theta: Float64Array, g: ArrayLike<number>): void;
}

/**
 * Adam on a flat θ: m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g², θ ← θ − lr · m̂ / (√v̂ + ε),
 * m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).
 * @example
 * ```ts
 * import { createAdam } from 'ahop';
 * const theta = Float64Array.of(1);
 * createAdam(1, { lr: 0.1 }).step(theta, [3]);
 * // First step: m̂ = g and v̂ = g², so θ moves by lr · g / (|g| + ε), about lr against the gradient.
 * if (Math.abs(theta[0]! - (1 - (0.1 * 3) / (3 + 1e-8))) > 1e-12) throw new Error('θ ≈ 0.9');
 * ```
 */
export function createAdam(size: number, options: Partial<AdamOptions> = {}): Adam {
  if (!Number.isSafeInteger(size) || size <= 0) throw new DomainError(`size must be a positive integer, got ${size}`);
  const o = { ...ADAM_DEFAULTS, ...options };
  checkPositive('lr', o.lr);
  checkPositive('eps', o.eps);
  for (const k of ['beta1', 'beta2'] as const) {
    if (!(checkFinite(k, o[k]) >= 0 && o[k] < 1)) throw new DomainError(`${k} must lie in [0, 1), got ${o[k]}`);
  }
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  let t = 0;
  return {
    step(theta, g) {
      if (!(theta instanceof Float64Array) || theta.length !== size) {
        throw new ShapeError(`theta must be a Float64Array of length ${size}`);
      }
      checkVector('g', g, size);
      t++;
      const c1 = 1 - o.beta1 ** t;
      const c2 = 1 - o.beta2 ** t;
      for (let i = 0; i < size; i++) {
        m[i] = o.beta1 * m[i] + (1 - o.beta1) * g[i];
        v[i] = o.beta2 * v[i] + (1 - o.beta2) * g[i] * g[i];
        theta[i] -= (o.lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + o.eps);
      }
    },
  };
}
