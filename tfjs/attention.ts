/**
 * A-Hop as a differentiable attention op in TensorFlow.js, with its vector–Jacobian product
 * written out in tensor ops (tf.customGrad) rather than left to tfjs's autodiff (which cannot see
 * through the sort's permutation as a function of the inputs).
 *
 * For query b and key k (the float64 reference: src/hopfield/ahop.ts, src/similarity/*):
 *   q^dis_i = −(ξ_ki − x_bi)²,  q^dot_i = ξ_ki · x_bi,
 *   s_sim = w_simᵀ U q̃_sim = Σ_r c_sim[r] q̃_sim[r],  c_sim[r] = Σ_{j ≥ r} w_sim[j] (suffix sums),
 *   s_bk = β_dis s_dis + β_dot s_dot,  p_b = softmax(s_b),  y_b = Σ_k p_bk v_k,  E_b = −lse(s_b).
 *
 * Backward, for cotangents (ḡ_s, ḡ_p, ȳ, Ē) on (scores, probs, retrieved, energy):
 *   ḡ_p += ȳ Vᵀ;  ḡ_s += p ⊙ (ḡ_p − ⟨p, ḡ_p⟩) − Ē p            (softmax Jacobian; ∂E/∂s = −p)
 *   V̄ = pᵀ ȳ;  β̄_sim = Σ_bk ḡ_s s_sim
 *   w̄_sim[j] = Σ_bk β_sim ḡ_s,bk ftpt_sim,bk[j]  (= prefix sums over r ≤ j of Σ_bk β_sim ḡ_s q̃[r])
 *   q̄_i = β_sim ḡ_s c_sim[rank(i)]   (inside a region where the order of q is strict)
 *   dis: x̄_i += 2 (ξ_i − x_i) q̄_i, ξ̄_i −= 2 (ξ_i − x_i) q̄_i;  dot: x̄_i += ξ_i q̄_i, ξ̄_i += x_i q̄_i.
 * rank is the inverse of the sort permutation, found by sorting the permutation itself (tf.topk on
 * its negation), and c[rank(i)] by tf.gather.
 *
 * At a tie in some q the function is continuous but its gradient with respect to queries and keys
 * jumps; this op returns the one-sided value of whichever order tf.topk produced.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients of its own ops (Add, Sum, SplitV, …); the
// tfjs-layers bundle registers all of them, so importing it makes tf.grads work on this op.
import '@tensorflow/tfjs-layers';
import { DomainError, ShapeError } from '../src/errors.ts';
import { checkParams, type AhopParams } from '../src/similarity/adaptive.ts';
import type { Base } from '../src/similarity/base.ts';

/** A-Hop's parameters as tensors: w_dis, w_dot of length d, β_dis, β_dot scalars. */
export interface AhopParamTensors {
  wDis: tf.Tensor1D;
  wDot: tf.Tensor1D;
  betaDis: tf.Scalar;
  betaDot: tf.Scalar;
}

/** The layer's outputs for a batch of B queries over N keys with values of length dv. */
export interface AhopAttentionOutputs {
  /** s_bk, [B, N]. */
  scores: tf.Tensor2D;
  /** p_b = softmax(s_b), [B, N]. */
  probs: tf.Tensor2D;
  /** y_b = Σ_k p_bk v_k, [B, dv]. */
  retrieved: tf.Tensor2D;
  /** E_b = −lse(s_b), [B]. */
  energy: tf.Tensor1D;
}

type Sim = Base;

/** c[r] = Σ_{j ≥ r} w[j]: the suffix sums, so that wᵀ U q̃ = cᵀ q̃. */
function suffixSums(w: tf.Tensor1D): tf.Tensor1D {
  return tf.cumsum(w, 0, false, true);
}

/** q_i = −(ξ_i − x_i)² (dis) or ξ_i x_i (dot), elementwise with broadcasting. */
function baseSimilarity(sim: Sim, xi: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return sim === 'dis' ? tf.neg(tf.square(tf.sub(xi, x))) : tf.mul(xi, x);
}

/** q for every (query, key) pair: [B, N, d]. */
function perDimension(sim: Sim, x: tf.Tensor2D, k: tf.Tensor2D): tf.Tensor3D {
  return baseSimilarity(sim, tf.expandDims(k, 0), tf.expandDims(x, 1)) as tf.Tensor3D;
}

/**
 * Footprints ftpt_sim(ξ_r, x_r) = U sort↓(q(ξ_r, x_r)) of R row pairs (xi, x: [R, d]), [R, d]:
 * the forward's per-dimension similarity and sort, with U as a cumulative sum.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { tfjsFootprints, useTfjsBackend } from 'ahop/tfjs';
 * await useTfjsBackend('cpu');
 * const f = tfjsFootprints('dis', tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 1]])).arraySync();
 * if (f[0]?.join() !== '0,-1') throw new Error('sorted −(ξ_i − x_i)² (0, −1), cumulatively summed');
 * ```
 */
export function tfjsFootprints(sim: Sim, xi: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor2D {
  const a = rank2('xi', xi);
  const b = rank2('x', x);
  if (a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) {
    throw new ShapeError(`xi has shape [${a.shape.join(', ')}] but x has shape [${b.shape.join(', ')}]`);
  }
  const d = a.shape[1];
  return tf.tidy(() => tf.cumsum(tf.topk(baseSimilarity(sim, a, b), d, true).values, 1) as tf.Tensor2D);
}

/** q̃ (q sorted descending, [B·N, d]), the sort order ([B·N, d] int32) and s_sim = q̃ c ([B, N]). */
function similarity(sim: Sim, x: tf.Tensor2D, k: tf.Tensor2D, w: tf.Tensor1D) {
  const [b, d] = x.shape;
  const n = k.shape[0];
  // Inner scopes free each [B·N, d] intermediate as soon as it is used (the op's memory peak).
  const q = tf.tidy(() => tf.reshape(perDimension(sim, x, k), [b * n, d]) as tf.Tensor2D);
  const { values: sorted, indices: order } = tf.topk(q, d, true);
  q.dispose();
  const s = tf.tidy(() => tf.reshape(tf.matMul(sorted, tf.reshape(suffixSums(w), [d, 1])), [b, n]) as tf.Tensor2D);
  return { sorted: sorted as tf.Tensor2D, order: order as tf.Tensor2D, s };
}

/** Gradients of Σ_bk g_bk s_sim,bk with respect to x, ξ and w_sim, given the forward's sort. */
function similarityVjp(
  sim: Sim,
  g: tf.Tensor2D,
  x: tf.Tensor2D,
  k: tf.Tensor2D,
  w: tf.Tensor1D,
  sorted: tf.Tensor2D,
  order: tf.Tensor2D,
): { x: tf.Tensor2D; k: tf.Tensor2D; w: tf.Tensor1D } {
  const [b, d] = x.shape;
  const n = k.shape[0];
  const gFlat = tf.reshape(g, [b * n, 1]);
  // ∂s/∂w_j = ftpt_j = Σ_{r ≤ j} q̃_r, so w̄ = prefix sums of Σ_bk g_bk q̃_bk.
  const gc = tf.reshape(tf.matMul(gFlat, sorted, true, false), [d]) as tf.Tensor1D;
  const gw = tf.cumsum(gc, 0) as tf.Tensor1D;
  // rank(i): the position of dimension i in the sort = the inverse permutation of `order`.
  const gq = tf.tidy(() => {
    const rank = tf.topk(tf.neg(tf.cast(order, 'float32')), d, true).indices;
    return tf.reshape(tf.mul(gFlat, tf.gather(suffixSums(w), rank)), [b, n, d]) as tf.Tensor3D;
  });
  const xe = tf.expandDims(x, 1);
  const ke = tf.expandDims(k, 0);
  if (sim === 'dis') {
    const t = tf.mul(gq, tf.sub(ke, xe)); // q̄ (ξ − x)
    return { x: tf.mul(2, tf.sum(t, 1)) as tf.Tensor2D, k: tf.mul(-2, tf.sum(t, 0)) as tf.Tensor2D, w: gw };
  }
  return { x: tf.sum(tf.mul(gq, ke), 1) as tf.Tensor2D, k: tf.sum(tf.mul(gq, xe), 0) as tf.Tensor2D, w: gw };
}

/**
 * The op on tensors, packed into one [B, 2N + dv + 1] tensor (scores | probs | retrieved | energy),
 * because tf.customGrad takes one output tensor.
 */
const packedAttention = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, k, v, wDis, wDot, betaDis, betaDot] = args.slice(0, 7) as [
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor1D,
    tf.Tensor1D,
    tf.Scalar,
    tf.Scalar,
  ];
  const save = args[7] as tf.GradSaveFunc;
  const dis = similarity('dis', x, k, wDis);
  const dot = similarity('dot', x, k, wDot);
  const s = tf.add(tf.mul(betaDis, dis.s), tf.mul(betaDot, dot.s)) as tf.Tensor2D;
  const p = tf.softmax(s) as tf.Tensor2D;
  const y = tf.matMul(p, v);
  const e = tf.neg(tf.logSumExp(s, 1, true));
  save([x, k, v, wDis, wDot, betaDis, betaDot, dis.sorted, dis.order, dis.s, dot.sorted, dot.order, dot.s, p]);
  const [n, dv] = [k.shape[0], v.shape[1]];
  return {
    value: tf.concat([s, p, y, e], 1),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sk, sv, swDis, swDot, sbDis, sbDot, disSorted, disOrder, disS, dotSorted, dotOrder, dotS, sp] = saved as [
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor1D,
        tf.Tensor1D,
        tf.Scalar,
        tf.Scalar,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
      ];
      const [dS, dP, dY, dE] = tf.split(dy, [n, n, dv, 1], 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const gP = tf.add(dP, tf.matMul(dY, sv, false, true));
      const inner = tf.sum(tf.mul(sp, gP), 1, true);
      const gS = tf.sub(tf.add(dS, tf.mul(sp, tf.sub(gP, inner))), tf.mul(sp, dE)) as tf.Tensor2D;
      const gV = tf.matMul(sp, dY, true, false);
      const gDis = similarityVjp('dis', tf.mul(sbDis, gS) as tf.Tensor2D, sx, sk, swDis, disSorted, disOrder);
      const gDot = similarityVjp('dot', tf.mul(sbDot, gS) as tf.Tensor2D, sx, sk, swDot, dotSorted, dotOrder);
      return [
        tf.add(gDis.x, gDot.x),
        tf.add(gDis.k, gDot.k),
        gV,
        gDis.w,
        gDot.w,
        tf.sum(tf.mul(gS, disS)),
        tf.sum(tf.mul(gS, dotS)),
      ];
    },
  };
});

function rank2(name: string, t: unknown): tf.Tensor2D {
  if (!(t instanceof tf.Tensor)) throw new ShapeError(`${name} must be a tf.Tensor2D`);
  if (t.rank !== 2) throw new ShapeError(`${name} must have rank 2, got shape [${t.shape.join(', ')}]`);
  if (t.dtype !== 'float32') throw new DomainError(`${name} must be float32, got ${t.dtype}`);
  if (t.size === 0) throw new ShapeError(`${name} must not be empty, got shape [${t.shape.join(', ')}]`);
  return t as tf.Tensor2D;
}

function isParamTensors(p: unknown): p is AhopParamTensors {
  return typeof p === 'object' && p !== null && (p as { wDis?: unknown }).wDis instanceof tf.Tensor;
}

/**
 * θ = (w_dis, w_dot, β_dis, β_dot) as tensors: numbers are validated like the reference's (finite,
 * w of length d) and converted; tensors are checked for shape (w: [d], β: scalars) and passed through.
 *
 * @example
 * ```ts
 * import { paramTensors, useTfjsBackend } from 'ahop/tfjs';
 * await useTfjsBackend('cpu');
 * const p = paramTensors({ wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 }, 2);
 * if (p.betaDis.arraySync() !== 1 || p.wDis.shape[0] !== 2) throw new Error('β_dis = 1, w_dis of length d = 2');
 * ```
 */
export function paramTensors(params: AhopParams | AhopParamTensors, d: number): AhopParamTensors {
  if (!isParamTensors(params)) {
    const p = checkParams(params, d);
    return { wDis: tf.tensor1d(p.wDis), wDot: tf.tensor1d(p.wDot), betaDis: tf.scalar(p.betaDis), betaDot: tf.scalar(p.betaDot) };
  }
  for (const f of ['wDis', 'wDot'] as const) {
    const t = params[f];
    if (!(t instanceof tf.Tensor) || t.rank !== 1 || t.shape[0] !== d) {
      throw new ShapeError(`params.${f} must be a tf.Tensor1D of length d = ${d}, got shape [${t instanceof tf.Tensor ? t.shape.join(', ') : typeof t}]`);
    }
  }
  for (const f of ['betaDis', 'betaDot'] as const) {
    const t = params[f];
    if (!(t instanceof tf.Tensor) || t.rank !== 0) throw new ShapeError(`params.${f} must be a tf.Scalar`);
  }
  return params;
}

/**
 * A-Hop attention of B queries over N keys with N values, differentiable (tf.customGrad) in the
 * queries, keys, values and the four parameters:
 *   s_bk = β_dis w_disᵀ U sort↓(−(ξ_k − x_b)²) + β_dot w_dotᵀ U sort↓(ξ_k ⊙ x_b),
 *   p_b = softmax(s_b),  y_b = Σ_k p_bk v_k,  E_b = −lse(s_b).
 * queries [B, d], keys [N, d], values [N, dv] (float32); params as tensors (trainable variables)
 * or plain numbers. Shapes are checked (ShapeError names the field); tensor values are not read
 * back to check finiteness (that would synchronise every training step).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ahopAttention, useTfjsBackend } from 'ahop/tfjs';
 * await useTfjsBackend('cpu');
 * const x = tf.tensor2d([[0.1, 0.9]]);
 * const keys = tf.tensor2d([[0, 1], [1, 0]]);
 * const { probs } = ahopAttention(x, keys, keys, { wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 });
 * // w = e_d, β_dot = 0: p = softmax(−‖ξ_k − x‖²) = softmax(−0.02, −1.62)
 * const p0 = 1 / (1 + Math.exp(-1.6));
 * if (Math.abs(probs.arraySync()[0]![0]! - p0) > 1e-6) throw new Error('p_0 = 1/(1 + e^−1.6) in float32');
 * ```
 */
export function ahopAttention(
  queries: tf.Tensor2D,
  keys: tf.Tensor2D,
  values: tf.Tensor2D,
  params: AhopParams | AhopParamTensors,
): AhopAttentionOutputs {
  const x = rank2('queries', queries);
  const k = rank2('keys', keys);
  const v = rank2('values', values);
  const d = x.shape[1];
  if (k.shape[1] !== d) throw new ShapeError(`keys have d = ${k.shape[1]} but queries have d = ${d}`);
  if (v.shape[0] !== k.shape[0]) throw new ShapeError(`values have ${v.shape[0]} rows but keys have N = ${k.shape[0]}`);
  const [n, dv] = [k.shape[0], v.shape[1]];
  return tf.tidy(() => {
    const p = paramTensors(params, d);
    const packed = packedAttention(x, k, v, p.wDis, p.wDot, p.betaDis, p.betaDot) as tf.Tensor2D;
    const [scores, probs, retrieved, energy] = tf.split(packed, [n, n, dv, 1], 1) as tf.Tensor2D[];
    return { scores, probs, retrieved, energy: tf.reshape(energy, [-1]) as tf.Tensor1D };
  });
}

/**
 * L = Σ_b ȳ_b · y_b + Σ_b Ē_b E_b as a function of the op's seven tensor inputs (queries, keys,
 * values, w_dis, w_dot, β_dis, β_dot): `tf.grads` of it is the op's vector–Jacobian product for the
 * cotangent (ȳ, Ē) on (retrieved, energy), the product the float64 `layerVjp` computes.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ahopAttention, cotangentLoss } from './attention.ts';
 * import { useTfjsBackend } from './backends.ts';
 * await useTfjsBackend('cpu');
 * const x = tf.tensor2d([[0.1, 0.9]]);
 * const keys = tf.tensor2d([[0, 1], [1, 0]]);
 * const values = tf.tensor2d([[0, 1], [1, 0]]); // a tensor of its own: tf.grads sums the gradients of a repeated input
 * const L = cotangentLoss(tf.tensor2d([[1, 0]]), tf.tensor1d([0]));
 * const g = tf.grads(L)([x, keys, values, tf.tensor1d([0, 1]), tf.tensor1d([0, 1]), tf.scalar(1), tf.scalar(0)]);
 * const vBar = g[2]!.arraySync() as number[][];
 * const p = ahopAttention(x, keys, values, { wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 }).probs.arraySync()[0]!;
 * // V̄ = pᵀ ȳ: with ȳ = (1, 0), row k of V̄ is (p_k, 0).
 * if (Math.abs(vBar[0]![0]! - p[0]!) > 1e-6 || Math.abs(vBar[1]![0]! - p[1]!) > 1e-6 || vBar[1]![1] !== 0) throw new Error('V̄ = pᵀ ȳ');
 * ```
 */
export function cotangentLoss(
  retrievedBar: tf.Tensor2D,
  energyBar: tf.Tensor1D,
  op: typeof ahopAttention = ahopAttention,
): (...inputs: tf.Tensor[]) => tf.Scalar {
  return (...a) => {
    const o = op(a[0] as tf.Tensor2D, a[1] as tf.Tensor2D, a[2] as tf.Tensor2D, {
      wDis: a[3] as tf.Tensor1D,
      wDot: a[4] as tf.Tensor1D,
      betaDis: a[5] as tf.Scalar,
      betaDot: a[6] as tf.Scalar,
    });
    return tf.add(tf.sum(tf.mul(retrievedBar, o.retrieved)), tf.sum(tf.mul(energyBar, o.energy))) as tf.Scalar;
  };
}
