/**
 * A-Hop as a differentiable layer: a batch of B queries (state patterns) x_b retrieves from N keys
 * (stored patterns) ξ_k and reads out N values v_k of length dv:
 *   s_bk = s(ξ_k, x_b),  p_b = softmax(s_b),  y_b = Σ_k p_bk v_k,  E_b = −lse(s_b),
 * and the vector–Jacobian product of L = Σ_b ȳ_b · y_b + Σ_b Ē_b E_b with respect to the queries,
 * keys, values and (w_dis, w_dot, β_dis, β_dot). Derivation: docs/equations.md ("The layer and
 * its VJP"). Inside a region where the order of every q is strict, ∂s_sim/∂q_i = c_sim[rank(i)]
 * with c = suffixSums(w); at a tie the function is continuous and the gradient jumps, and this
 * reference returns the gradient of the piece whose order is the stable descending sort (equal
 * q ranked by dimension index, lower first).
 */
import { DomainError, ParseError, ShapeError } from '../errors.ts';
import { logSumExp, softmax } from '../numeric/logsumexp.ts';
import { checkParams, componentSimilarity, type AhopParams } from '../similarity/adaptive.ts';
import { baseSimilarities, type Base } from '../similarity/base.ts';
import { footprintOf, suffixSums } from '../similarity/footprint.ts';
import { checkMatrix, checkVector } from '../validate.ts';
import { checkScores, readout, scores } from './ahop.ts';

export interface LayerInputs {
  /** x_b, B×d (state patterns). */
  queries: number[][];
  /** ξ_k, N×d (stored patterns). */
  keys: number[][];
  /** v_k, N×dv (pattern projections read out; the plain A-Hop has values = keys). */
  values: number[][];
  params: AhopParams;
}

export interface LayerOutputs {
  /** s_bk = s(ξ_k, x_b), B×N. */
  scores: number[][];
  /** p_b = softmax(s_b), B×N. */
  probs: number[][];
  /** y_b = Σ_k p_bk v_k, B×dv. */
  retrieved: number[][];
  /** E_b = −lse(s_b), length B. */
  energy: number[];
}

export interface LayerCotangent {
  /** ȳ_b = ∂L/∂y_b, B×dv. */
  retrieved: number[][];
  /** Ē_b = ∂L/∂E_b, length B. */
  energy: number[];
}

export interface LayerGradients {
  queries: number[][];
  keys: number[][];
  values: number[][];
  params: AhopParams;
}

type Obj = Readonly<Record<string, unknown>>;

function object(name: string, v: unknown): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ParseError(`${name} must be an object`);
  return v as Obj;
}

/**
 * Validates layer inputs at the public boundary: queries B×d, keys N×d, values N×dv, params sized d,
 * every number finite (rows of values = rows of keys = N). Throws ShapeError / DomainError / ParseError naming the field.
 *
 * @example
 * ```ts
 * import { checkLayerInputs } from 'ahop';
 * const i = checkLayerInputs({ queries: [[0, 1]], keys: [[1, 0], [0, 1]], values: [[1], [2]], params: { wDis: [0, 1], wDot: [0, 0], betaDis: 1, betaDot: 0 } });
 * if (i.keys.length !== 2) throw new Error('keys');
 * ```
 */
export function checkLayerInputs(inputs: unknown): LayerInputs {
  const o = object('inputs', inputs);
  const queries = checkMatrix('queries', o.queries);
  const d = queries[0].length;
  const keys = checkMatrix('keys', o.keys, d);
  const values = checkMatrix('values', o.values);
  if (values.length !== keys.length) {
    throw new ShapeError(`values has ${values.length} rows but keys has N = ${keys.length}`);
  }
  return { queries, keys, values, params: checkParams(o.params, d) };
}

/**
 * Validates a cotangent for inputs with B queries and values of width dv: retrieved ȳ = ∂L/∂y
 * (B×dv), energy Ē = ∂L/∂E (B).
 *
 * @example
 * ```ts
 * import { checkLayerCotangent } from 'ahop';
 * const ct = checkLayerCotangent({ retrieved: [[1, 0]], energy: [0] }, 1, 2);
 * if (ct.energy[0]! !== 0) throw new Error('energy');
 * ```
 */
export function checkLayerCotangent(cotangent: unknown, b: number, dv: number): LayerCotangent {
  const o = object('cotangent', cotangent);
  const retrieved = checkMatrix('cotangent.retrieved', o.retrieved, dv);
  if (retrieved.length !== b) {
    throw new ShapeError(`cotangent.retrieved has ${retrieved.length} rows but there are B = ${b} queries`);
  }
  return { retrieved, energy: checkVector('cotangent.energy', o.energy, b) };
}

function finiteOrThrow(what: string, rows: readonly (readonly number[])[]): void {
  rows.forEach((row, r) =>
    row.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        throw new DomainError(`${what}[${r}][${i}] = ${v}: the inputs are too large for float64 (|inputs| ~ 1e154 or more)`);
      }
    }),
  );
}

/**
 * The forward pass of layerForward on inputs already validated by checkLayerInputs (batched
 * callers validate once).
 *
 * @example
 * ```ts
 * import { checkLayerInputs, layerForwardValidated } from './layer.ts';
 * const i = checkLayerInputs({ queries: [[1]], keys: [[1], [2]], values: [[0], [1]], params: { wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 } });
 * if (layerForwardValidated(i).scores[0][1] !== -1) throw new Error('−(2 − 1)²');
 * ```
 */
export function layerForwardValidated(inputs: LayerInputs): LayerOutputs {
  const s = inputs.queries.map((x) => scores(inputs.keys, x, inputs.params));
  s.forEach(checkScores);
  const probs = s.map((row) => softmax(row));
  return {
    scores: s,
    probs,
    retrieved: probs.map((p) => readout(inputs.values, p)),
    energy: s.map((row) => -logSumExp(row)),
  };
}

/**
 * The layer's forward pass, for every query b:
 *   s_bk = β_dis w_disᵀ ftpt_dis(ξ_k, x_b) + β_dot w_dotᵀ ftpt_dot(ξ_k, x_b),
 *   p_b = softmax(s_b),  y_b = Σ_k p_bk v_k,  E_b = −lse(s_b).
 *
 * @example
 * ```ts
 * import { layerForward } from 'ahop';
 * // w_dis = e_d, β_dot = 0: attention with negative squared distance.
 * const out = layerForward({ queries: [[0, 0]], keys: [[0, 0], [3, 4]], values: [[1], [0]],
 *   params: { wDis: [0, 1], wDot: [0, 0], betaDis: 1, betaDot: 0 } });
 * if (out.scores[0]![1]! !== -25) throw new Error('score');
 * if (Math.abs(out.retrieved[0]![0]! - 1 / (1 + Math.exp(-25))) > 1e-15) throw new Error('readout');
 * ```
 */
export function layerForward(inputs: LayerInputs): LayerOutputs {
  return layerForwardValidated(checkLayerInputs(inputs));
}

/**
 * rank order of q: the indices of q sorted by value, descending; equal values keep index order
 * (Array.prototype.sort is stable), so order[r] is the dimension whose q is r-th largest and
 * q[order[r]] = q̃_r, the same q̃ as footprint.ordered.
 *
 * @example
 * ```ts
 * import { descendingOrder } from './layer.ts';
 * const o = descendingOrder([0.5, 2, 0.5, -1]);
 * if (o.join() !== '1,0,2,3') throw new Error('order');
 * ```
 */
export function descendingOrder(q: readonly number[]): number[] {
  return q.map((_, i) => i).sort((a, b) => q[b] - q[a]);
}

/**
 * ∂s_sim/∂q for one (key, query) pair: ∂(Σ_r c_r q̃_r)/∂q_i = c_{rank(i)}, c = suffixSums(w).
 * Valid where the order of q is strict; at ties, the piece of the stable descending order.
 *
 * @example
 * ```ts
 * import { similarityGradientInQ } from './layer.ts';
 * // q = (1, 3): rank(1) = 0, rank(0) = 1; w = (0, 1) → c = (1, 1); w = (1, 0) → c = (1, 0).
 * const g = similarityGradientInQ([1, 3], [1, 0]);
 * if (g.join() !== '0,1') throw new Error('gradient');
 * ```
 */
export function similarityGradientInQ(q: readonly number[], w: readonly number[]): number[] {
  const c = suffixSums(w);
  const g = new Array<number>(q.length);
  descendingOrder(q).forEach((i, r) => (g[i] = c[r]));
  return g;
}

/**
 * ∂q_i/∂x_i and ∂q_i/∂ξ_i: dis q_i = −(ξ_i − x_i)² → (2(ξ_i − x_i), −2(ξ_i − x_i));
 * dot q_i = ξ_i x_i → (ξ_i, x_i).
 *
 * @example
 * ```ts
 * import { baseDerivatives } from './layer.ts';
 * const g = baseDerivatives('dot', 3, 5);
 * if (g.dx !== 3 || g.dxi !== 5) throw new Error('dot');
 * if (baseDerivatives('dis', 3, 5).dx !== -4) throw new Error('dis');
 * ```
 */
export function baseDerivatives(base: Base, xi: number, x: number): { dx: number; dxi: number } {
  return base === 'dis' ? { dx: 2 * (xi - x), dxi: -2 * (xi - x) } : { dx: xi, dxi: x };
}

/**
 * ∂L/∂s for one query through softmax and −lse: with a_k = ∂L/∂p_k and Ē = ∂L/∂E,
 * ∂L/∂s = (diag(p) − p pᵀ) a − Ē p, i.e. ∂L/∂s_k = p_k (a_k − pᵀa) − Ē p_k.
 *
 * @example
 * ```ts
 * import { scoreCotangent } from './layer.ts';
 * // p uniform over 2, a = (1, 0): (diag(p) − p pᵀ) a = (0.25, −0.25).
 * const g = scoreCotangent([0.5, 0.5], [1, 0], 0);
 * if (g[0] !== 0.25 || g[1] !== -0.25) throw new Error('softmax VJP');
 * ```
 */
export function scoreCotangent(p: readonly number[], a: readonly number[], energyCotangent: number): number[] {
  const pa = p.reduce((acc, pk, k) => acc + pk * a[k], 0);
  return p.map((pk, k) => pk * (a[k] - pa) - energyCotangent * pk);
}

/** The three local derivatives the VJP chains together; tests swap one for a broken version. */
export interface LayerVjpParts {
  gradientInQ: typeof similarityGradientInQ;
  baseDerivatives: typeof baseDerivatives;
  scoreCotangent: typeof scoreCotangent;
}

/**
 * The correct local derivatives.
 *
 * @example
 * ```ts
 * import { LAYER_VJP_PARTS } from './layer.ts';
 * if (LAYER_VJP_PARTS.scoreCotangent([1], [5], 0)[0] !== 0) throw new Error('one memory: s does not matter');
 * ```
 */
export const LAYER_VJP_PARTS: LayerVjpParts = { gradientInQ: similarityGradientInQ, baseDerivatives, scoreCotangent };

/**
 * The VJP of layerVjp on validated inputs and cotangent; `parts` names the local derivatives it
 * chains (tests replace one to show that a property catches the broken version).
 *
 * @example
 * ```ts
 * import { checkLayerInputs, layerForward, layerVjpValidated } from './layer.ts';
 * const i = checkLayerInputs({ queries: [[1]], keys: [[1], [2]], values: [[0], [1]], params: { wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 } });
 * const g = layerVjpValidated(i, { retrieved: [[0]], energy: [1] });
 * // ∂E/∂x = −Σ_k p_k ∂s_k/∂x = −p_1 · 2(2 − 1).
 * if (Math.abs(g.queries[0][0] + 2 * layerForward(i).probs[0][1]) > 1e-15) throw new Error('∂E/∂x');
 * ```
 */
export function layerVjpValidated(
  inputs: LayerInputs,
  cotangent: LayerCotangent,
  parts: LayerVjpParts = LAYER_VJP_PARTS,
): LayerGradients {
  const { queries, keys, values, params } = inputs;
  const d = queries[0].length;
  const forward = layerForwardValidated(inputs);
  const gQueries = queries.map(() => new Array<number>(d).fill(0));
  const gKeys = keys.map(() => new Array<number>(d).fill(0));
  const gValues = values.map((v) => new Array<number>(v.length).fill(0));
  const gW = { dis: new Array<number>(d).fill(0), dot: new Array<number>(d).fill(0) };
  const gBeta = { dis: 0, dot: 0 };
  const weights = { dis: params.wDis, dot: params.wDot };
  const betas = { dis: params.betaDis, dot: params.betaDot };
  queries.forEach((x, b) => {
    const p = forward.probs[b];
    const ct = cotangent.retrieved[b];
    // ∂L/∂v_k += p_bk ȳ_b;  a_k = ∂L/∂p_bk = ȳ_b · v_k.
    const a = values.map((v, k) => {
      v.forEach((_, j) => (gValues[k][j] += p[k] * ct[j]));
      return v.reduce((acc, vj, j) => acc + vj * ct[j], 0);
    });
    const gs = parts.scoreCotangent(p, a, cotangent.energy[b]);
    keys.forEach((xi, k) => {
      if (gs[k] === 0) return;
      for (const base of ['dis', 'dot'] as const) {
        const q = baseSimilarities(base, xi, x);
        // ∂s/∂β_sim = s_sim;  ∂s/∂w_sim = β_sim ftpt_sim.
        gBeta[base] += gs[k] * componentSimilarity(base, xi, x, weights[base]);
        footprintOf(q).forEach((f, j) => (gW[base][j] += gs[k] * betas[base] * f));
        const gq = parts.gradientInQ(q, weights[base]);
        for (let i = 0; i < d; i++) {
          const g = gs[k] * betas[base] * gq[i];
          const { dx, dxi } = parts.baseDerivatives(base, xi[i], x[i]);
          gQueries[b][i] += g * dx;
          gKeys[k][i] += g * dxi;
        }
      }
    });
  });
  const grads: LayerGradients = {
    queries: gQueries,
    keys: gKeys,
    values: gValues,
    params: { wDis: gW.dis, wDot: gW.dot, betaDis: gBeta.dis, betaDot: gBeta.dot },
  };
  finiteOrThrow('∂L/∂queries', grads.queries);
  finiteOrThrow('∂L/∂keys', grads.keys);
  finiteOrThrow('∂L/∂values', grads.values);
  finiteOrThrow('∂L/∂params', [grads.params.wDis, grads.params.wDot, [grads.params.betaDis, grads.params.betaDot]]);
  return grads;
}

/**
 * The vector–Jacobian product of L = Σ_b ȳ_b · y_b + Σ_b Ē_b E_b. With a_bk = ȳ_b · v_k and
 * g_bk = ∂L/∂s_bk = p_bk (a_bk − Σ_j p_bj a_bj) − Ē_b p_bk:
 *   ∂L/∂v_k = Σ_b p_bk ȳ_b,
 *   ∂L/∂β_sim = Σ_bk g_bk s_sim(ξ_k, x_b),  ∂L/∂w_sim = β_sim Σ_bk g_bk ftpt_sim(ξ_k, x_b),
 *   ∂L/∂x_bi = Σ_k g_bk Σ_sim β_sim c_sim[rank_sim,bk(i)] ∂q_sim/∂x_bi,
 *   ∂L/∂ξ_ki = Σ_b g_bk Σ_sim β_sim c_sim[rank_sim,bk(i)] ∂q_sim/∂ξ_ki,
 * with ∂q_dis/∂x_i = 2(ξ_i − x_i) = −∂q_dis/∂ξ_i, ∂q_dot/∂x_i = ξ_i, ∂q_dot/∂ξ_i = x_i.
 *
 * @example
 * ```ts
 * import { layerForward, layerVjp } from 'ahop';
 * const inputs = { queries: [[0.3, -0.2]], keys: [[1, 0], [0, 1]], values: [[1, 0], [0, 1]],
 *   params: { wDis: [0.5, 1], wDot: [0, 1], betaDis: 1, betaDot: 0.5 } };
 * const ct = { retrieved: [[1, 0]], energy: [0] };
 * const g = layerVjp(inputs, ct);
 * // ∂L/∂v_k = p_k ȳ, and a central difference in x_0 agrees with ∂L/∂x_0.
 * const p = layerForward(inputs).probs[0]!;
 * if (Math.abs(g.values[1]![0]! - p[1]!) > 1e-15) throw new Error('values');
 * const L = (x0: number) => layerForward({ ...inputs, queries: [[x0, -0.2]] }).retrieved[0]![0]!;
 * if (Math.abs((L(0.3 + 1e-6) - L(0.3 - 1e-6)) / 2e-6 - g.queries[0]![0]!) > 1e-8) throw new Error('queries');
 * ```
 */
export function layerVjp(inputs: LayerInputs, cotangent: LayerCotangent): LayerGradients {
  const i = checkLayerInputs(inputs);
  return layerVjpValidated(i, checkLayerCotangent(cotangent, i.queries.length, i.values[0].length));
}
