/**
 * U2-Hop, the kernelized Hopfield network (Wu, Hu et al., 2024) with a learned linear feature map
 * Φ(v) = W v (W ∈ ℝ^{d×d}, initialised to the identity):
 *   s_k = β ⟨W ξ_k, W x⟩ = β ξ_kᵀ WᵀW x,  p = softmax(s),  y = Ξᵀ p.
 * β is fixed (default 1/√d, so W = I is exactly M-Hop); only W is trained, on the same objective
 * as A-Hop, L = −log p_t for a query x with source t. Its gradient, with g_k = p_k − δ_kt:
 *   ∂s_k/∂W = β (W x ξ_kᵀ + W ξ_k xᵀ)   (from ds = β[(Wx)ᵀ dW ξ + (Wξ)ᵀ dW x]),
 *   ∂L/∂W  = Σ_k g_k ∂s_k/∂W = β (u ȳᵀ + v xᵀ),  u = W x,  ȳ = Σ_k g_k ξ_k,  v = W ȳ = Σ_k g_k W ξ_k.
 */
import { DomainError, ShapeError } from '../errors.ts';
import { classCrossEntropy, crossEntropy } from '../train/cross-entropy.ts';
import { checkIndex, checkVector } from '../validate.ts';
import { checkBeta, checkMemories, checkQuery } from './checks.ts';
import { softmaxSeparation } from './separation.ts';

export interface U2Model {
  d: number;
  /** W, d×d row-major: W[i][j] = w[i·d + j]. */
  w: Float64Array;
  /** Fixed inverse temperature β. */
  beta: number;
}

/** W = I. */
export function identityMap(d: number): Float64Array {
  if (!Number.isInteger(d) || d <= 0) throw new DomainError(`d must be a positive integer, got ${d}`);
  const w = new Float64Array(d * d);
  for (let i = 0; i < d; i++) w[i * d + i] = 1;
  return w;
}

/** Checks a U2 model: d positive, W finite with d² entries, β > 0. */
export function checkU2Model(model: U2Model): U2Model {
  if (typeof model !== 'object' || model === null) throw new DomainError('model must be an object { d, w, beta }');
  if (!Number.isInteger(model.d) || model.d <= 0) throw new DomainError(`model.d must be a positive integer, got ${model.d}`);
  checkVector('model.w', model.w, model.d * model.d);
  return { d: model.d, w: model.w, beta: checkBeta(model.beta, 'model.beta') };
}

/** Φ(v) = W v. */
export function applyMap(w: Float64Array, d: number, v: readonly number[]): number[] {
  const out = new Array<number>(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += w[i * d + j] * v[j];
    out[i] = s;
  }
  return out;
}

/** ⟨Φξ_k, Φx⟩ for every k, given the mapped memories A_k = W ξ_k and u = W x (β not applied). */
export function kernelScores(mapped: readonly (readonly number[])[], u: readonly number[]): number[] {
  return mapped.map((a) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * u[i];
    return s;
  });
}

/** p = softmax(β ⟨W ξ_k, W x⟩) over k, on validated input. */
export function u2Probs(memories: readonly (readonly number[])[], x: readonly number[], model: U2Model): number[] {
  const mapped = memories.map((m) => applyMap(model.w, model.d, m));
  return softmaxSeparation(kernelScores(mapped, applyMap(model.w, model.d, x)), model.beta);
}

export interface U2LossGradient {
  loss: number;
  /** ∂L/∂W, d×d row-major. */
  grad: Float64Array;
}

/**
 * ∂L/∂W = Σ_k g_k ∂s_k/∂W = β (u ȳᵀ + v xᵀ) for one query, given g = ∂L/∂s (any loss on U2-Hop's
 * scores), the mapped memories A_k = W ξ_k and u = W x. Adds `scale` · ∂L/∂W into `acc`.
 * @example
 * ```ts
 * import { u2ScoreVjp } from './u2hop.ts';
 * const acc = new Float64Array(1);
 * u2ScoreVjp([[2]], [[2]], [3], [3], [1], { d: 1, w: new Float64Array([1]), beta: 0.5 }, acc);
 * if (acc[0] !== 6) throw new Error('s = β w² ξ x: ∂s/∂w = 2 β w ξ x = 6');
 * ```
 */
export function u2ScoreVjp(
  memories: readonly (readonly number[])[],
  mapped: readonly (readonly number[])[],
  x: readonly number[],
  u: readonly number[],
  g: ArrayLike<number>,
  model: U2Model,
  acc: Float64Array,
  scale = 1,
): void {
  const { d, beta } = model;
  const ybar = new Array<number>(d).fill(0);
  const v = new Array<number>(d).fill(0);
  for (let k = 0; k < memories.length; k++) {
    if (g[k] === 0) continue;
    for (let i = 0; i < d; i++) {
      ybar[i] += g[k] * memories[k][i];
      v[i] += g[k] * mapped[k][i];
    }
  }
  const c = scale * beta;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) acc[i * d + j] += c * (u[i] * ybar[j] + v[i] * x[j]);
  }
}

/**
 * L = −log p_t and ∂L/∂W (module comment) for one query, given mapped memories A_k = W ξ_k.
 * Adds `scale` · ∂L/∂W into `acc` (training sums batch gradients this way). L and g = ∂L/∂s come
 * from the shared cross-entropy (train/cross-entropy.ts); only ∂s/∂W is U2-Hop's own (u2ScoreVjp).
 */
export function u2LossAndGradientMapped(
  memories: readonly (readonly number[])[],
  mapped: readonly (readonly number[])[],
  x: readonly number[],
  target: number,
  model: U2Model,
  acc: Float64Array,
  scale = 1,
): number {
  const u = applyMap(model.w, model.d, x);
  const { loss, g } = crossEntropy(kernelScores(mapped, u).map((v) => model.beta * v), target);
  u2ScoreVjp(memories, mapped, x, u, g, model, acc, scale);
  return loss;
}

/** Class-labelled queries for U2-Hop as a memory classifier. */
export interface U2ClassData {
  queries: number[][];
  labels: number[];
  /** Per query, the index of its own stored memory, left out of its softmax (−1 or absent: none). */
  self?: number[];
}

/**
 * U2-Hop's class cross-entropy for one query: s_k = β ⟨A_k, W x⟩ (A_k = W ξ_k), s_self = −∞,
 * L = −log Σ_{k: c_k = t} softmax(s)_k; adds `scale` · ∂L/∂W into `acc` when given (the class
 * loss's g = ∂L/∂s through U2-Hop's own ∂s/∂W, u2ScoreVjp).
 * @example
 * ```ts
 * import { applyMap, u2ClassLossMapped } from './u2hop.ts';
 * const model = { d: 1, w: new Float64Array([1]), beta: 1 };
 * const xi = [[1], [-1]];
 * const loss = u2ClassLossMapped(xi, xi.map((m) => applyMap(model.w, 1, m)), [0, 1], { queries: [[0]], labels: [0] }, 0, model);
 * if (Math.abs(loss - Math.LN2) > 1e-15) throw new Error('x = 0 scores both memories 0: P_0 = ½');
 * ```
 */
export function u2ClassLossMapped(
  xi: readonly (readonly number[])[],
  mapped: readonly (readonly number[])[],
  memoryLabels: readonly number[],
  data: U2ClassData,
  i: number,
  model: U2Model,
  acc?: Float64Array,
  scale = 1,
): number {
  const x = data.queries[i];
  const u = applyMap(model.w, model.d, x);
  const s = kernelScores(mapped, u).map((v) => model.beta * v);
  const self = data.self?.[i] ?? -1;
  if (self >= 0) s[self] = -Infinity;
  const { loss, g } = classCrossEntropy(s, memoryLabels, data.labels[i]);
  if (acc !== undefined) u2ScoreVjp(xi, mapped, x, u, g, model, acc, scale);
  return loss;
}

/** L = −log p_t and ∂L/∂W for one query with source index t (validated). */
export function u2LossAndGradient(memories: unknown, query: unknown, target: unknown, model: U2Model): U2LossGradient {
  const xi = checkMemories(memories);
  const m = checkU2Model(model);
  if (m.d !== xi[0].length) throw new ShapeError(`model.d = ${m.d} but memories have d = ${xi[0].length}`);
  const x = checkQuery(query, m.d);
  const t = checkIndex('target', target, xi.length);
  const grad = new Float64Array(m.d * m.d);
  const mapped = xi.map((row) => applyMap(m.w, m.d, row));
  const loss = u2LossAndGradientMapped(xi, mapped, x, t, m, grad);
  return { loss, grad };
}
