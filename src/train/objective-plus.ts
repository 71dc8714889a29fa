/**
 * The A-Hop+ training objective L = −log p_t, p = softmax(s(Ξ, x)), and its analytic gradient,
 * structured as a vector–Jacobian product of the scores: the cross-entropy gives g = ∂L/∂s
 * (train/cross-entropy.ts, shared with A-Hop), the footprint part gives ∂L/∂(w, β) (footprintVjp,
 * shared with A-Hop, on the sorted transformed rows), and the transform adds, per memory k and
 * dimension i with ∂L/∂g_ki = g_k β_dis c^dis_{rank_k(i)} (the weight of i's place in the sort):
 *   π_ki = ∂g/∂u = e^{u_ki − g_ki},  1 − π_ki = e^{a_i − g_ki}   (a_i = log λ_i + log G(x_i))
 *   ∂L/∂b_i = Σ_k ∂L/∂g_ki π_ki r_ki e^{−2ℓ_i}
 *   ∂L/∂ℓ_i = Σ_k ∂L/∂g_ki π_ki (−2 u_ki)
 *   ∂L/∂λ_i = Σ_k ∂L/∂g_ki G(x_i) e^{−g_ki}
 *   ∂L/∂(low, high, τ) = Σ_{k,i} ∂L/∂g_ki (1 − π_ki) ∂log G(x_i)/∂(low, high, τ), with
 *     ∂log G/∂low = −σ(−z₁)/τ, ∂log G/∂high = σ(−z₂)/τ, ∂log G/∂τ = −(z₁σ(−z₁) + z₂σ(−z₂))/τ,
 *     z₁ = (x − low)/τ, z₂ = (high − x)/τ  (0 for the hard gate τ = 0, where G is piecewise constant).
 * The sort is piecewise linear, so the gradient is exact wherever the transformed values are
 * untied (everywhere but a null set). The same map takes g from any other loss of the scores
 * (`ahopPlusScoreVjpUnchecked`; the tabular memory classifier's class cross-entropy).
 *
 * For training, a flat vector θ holds the free parameters with λ = e^η and τ = e^κ (so both stay
 * positive): `packAhopPlus`, `unpackAhopPlus` and `ahopPlusBatchObjective` (θ, batch) → {loss, grad}.
 */
import { DomainError, ShapeError } from '../errors.ts';
import {
  checkAhopPlusParams,
  logGate,
  addGateGradient,
  saturationLevels,
  scaledResidual,
  plusLink,
  type AhopPlusParams,
} from '../similarity/adaptive-plus.ts';
import { checkFootprintOptions, FULL_FOOTPRINT, suffixSums, type FootprintOptions } from '../similarity/footprint.ts';
import { checkIndex, checkMemoriesQuery } from '../validate.ts';
import { crossEntropy } from './cross-entropy.ts';
import { sortedDotRows } from './features.ts';
import { footprintVjp, scoresFromRows, type SortedRows } from './objective.ts';

export interface AhopPlusLossGradient {
  loss: number;
  /** ∂L/∂θ for every field of the params (∂L/∂λ and ∂L/∂τ, not their logs). */
  grad: AhopPlusParams;
}

/** One query's transformed rows against N memories (row-major N×d) and what the VJP reuses. */
export interface AhopPlusRows {
  /** u_ki, g_ki (unsorted) and the rank of dimension i in memory k's sort. */
  u: Float64Array;
  gv: Float64Array;
  rank: Int32Array;
  /** The sorted rows the footprint weighs: sort↓(g(ξ_k, x)) and sort↓(ξ_k ⊙ x). */
  rows: SortedRows;
  /** a_i = log λ_i + log G(x_i) and e^{−2ℓ_i}. */
  levels: number[];
  scale2: number[];
}

/**
 * The transformed similarities g(ξ_k, x) of one query (adaptive-plus.ts) sorted into rows, with the
 * dot rows sort↓(ξ_k ⊙ x); `dotRows` passes the dot rows when the caller has them (they do not
 * depend on θ: train/features.ts sorts them once per query). Then
 * s = scoresFromRows(rows) = ahopPlusScores(Ξ, x) (a property ties the two). Assumes validated input.
 * @example
 * ```ts
 * import { identityAhopPlusParams } from '../similarity/adaptive-plus.ts';
 * import { scoresFromRows } from './objective.ts';
 * import { ahopPlusRows } from './objective-plus.ts';
 * const id = identityAhopPlusParams({ wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 });
 * const { rows } = ahopPlusRows([[0], [3]], [1], id, { sort: true, cumulative: true });
 * if (scoresFromRows(rows, 2, id, true).s.join() !== '-1,-4') throw new Error('ahopPlusRows');
 * ```
 */
export function ahopPlusRows(
  memories: readonly (readonly number[])[],
  x: readonly number[],
  p: AhopPlusParams,
  options: FootprintOptions,
  dotRows?: ArrayLike<number>,
): AhopPlusRows {
  const n = memories.length;
  const d = x.length;
  const scale2 = p.logScale.map((l) => Math.exp(-2 * l));
  const levels = saturationLevels(x, p);
  const u = new Float64Array(n * d);
  const gv = new Float64Array(n * d);
  const rank = new Int32Array(n * d);
  const dis = new Float64Array(n * d);
  const order = new Int32Array(d);
  memories.forEach((m, k) => {
    const o = k * d;
    for (let i = 0; i < d; i++) {
      u[o + i] = scaledResidual(x[i], m[i], p.offset[i], scale2[i]);
      gv[o + i] = plusLink(u[o + i], levels[i]);
      // The sort's permutation: a stable insertion sort, descending (ties keep dimension order;
      // tied values are equal, so the row matches `ordered`).
      let r = i;
      if (options.sort) while (r > 0 && gv[o + order[r - 1]] < gv[o + i]) order[r] = order[--r];
      order[r] = i;
    }
    for (let r = 0; r < d; r++) {
      rank[o + order[r]] = r;
      dis[o + r] = gv[o + order[r]];
    }
  });
  return { u, gv, rank, rows: { dis, dot: dotRows ?? sortedDotRows(memories, x, options) }, levels, scale2 };
}

/** A loss of the scores: L(s) and g = ∂L/∂s (a score of −∞, a memory left out, gets g = 0). */
export type ScoreLoss = (s: Float64Array) => { loss: number; g: Float64Array };

/**
 * L and ∂L/∂θ for one query (equations in the module comment), assuming validated input; the
 * batch objective calls this per pair.
 * @example
 * ```ts
 * import { identityAhopPlusParams } from '../similarity/adaptive-plus.ts';
 * import { ahopPlusLossAndGradientUnchecked } from './objective-plus.ts';
 * const id = identityAhopPlusParams({ wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 });
 * const r = ahopPlusLossAndGradientUnchecked([[0], [0]], [1], 0, id, { sort: true, cumulative: true }); // tied memories: ∂L/∂b = 0
 * if (Math.abs(r.loss - Math.LN2) > 1e-15 || Math.abs(r.grad.offset[0]) > 1e-15) throw new Error('ahopPlusLossAndGradientUnchecked');
 * ```
 */
export function ahopPlusLossAndGradientUnchecked(
  memories: readonly (readonly number[])[],
  x: readonly number[],
  target: number,
  p: AhopPlusParams,
  options: FootprintOptions,
): AhopPlusLossGradient {
  return ahopPlusScoreVjpUnchecked(memories, x, (s) => crossEntropy(s, target), p, options);
}

/**
 * L(s(Ξ, x)) and ∂L/∂θ for any loss of the scores: `scoreLoss` gives L and g = ∂L/∂s, and the
 * module comment's equations map g to every parameter (with L = −log p_t this is
 * ahopPlusLossAndGradientUnchecked; the tabular memory classifier passes its class cross-entropy).
 * `dotRows`: the query's sorted dot rows when the caller has them (ahopPlusRows). Assumes validated input.
 * @example
 * ```ts
 * import { identityAhopPlusParams } from '../similarity/adaptive-plus.ts';
 * import { ahopPlusScoreVjpUnchecked } from './objective-plus.ts';
 * const id = identityAhopPlusParams({ wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 });
 * // L = s_0 = −(1 − 0)²/2 · β_dis: ∂L/∂β_dis = −1/2.
 * const r = ahopPlusScoreVjpUnchecked([[0]], [1], (s) => ({ loss: s[0], g: Float64Array.of(1) }), id, { sort: true, cumulative: true });
 * if (r.loss !== -1 || r.grad.betaDis !== -0.5) throw new Error('ahopPlusScoreVjpUnchecked');
 * ```
 */
export function ahopPlusScoreVjpUnchecked(
  memories: readonly (readonly number[])[],
  x: readonly number[],
  scoreLoss: ScoreLoss,
  p: AhopPlusParams,
  options: FootprintOptions,
  dotRows?: ArrayLike<number>,
): AhopPlusLossGradient {
  const n = memories.length;
  const d = x.length;
  const { u, gv, rank, rows, levels, scale2 } = ahopPlusRows(memories, x, p, options, dotRows);
  const logLam = p.linkWeight.map(Math.log);
  const { s, sDis, sDot } = scoresFromRows(rows, n, p, options.cumulative);
  const { loss, g: dScores } = scoreLoss(s);
  const ahop = footprintVjp(rows, n, dScores, sDis, sDot, p, options.cumulative);
  const c = options.cumulative ? suffixSums(p.wDis) : p.wDis;
  const gOffset = new Array<number>(d).fill(0);
  const gScale = new Array<number>(d).fill(0);
  const gLink = new Array<number>(d).fill(0);
  const gLogGate = new Array<number>(d).fill(0);
  for (let k = 0; k < n; k++) {
    if (dScores[k] === 0) continue;
    for (let i = 0; i < d; i++) {
      const j = k * d + i;
      const dg = dScores[k] * p.betaDis * c[rank[j]];
      if (dg === 0) continue;
      const kept = levels[i] === -Infinity ? 1 : Math.exp(u[j] - gv[j]);
      const r = x[i] - memories[k][i] - p.offset[i];
      gOffset[i] += dg * kept * r * scale2[i];
      gScale[i] += dg * kept * (-2 * u[j]);
      if (levels[i] !== -Infinity) {
        gLink[i] += dg * Math.exp(levels[i] - logLam[i] - gv[j]);
        gLogGate[i] += dg * Math.exp(levels[i] - gv[j]);
      }
    }
  }
  // λ = 0 with an open gate: ∂g/∂λ = G e^{−u} at λ = 0⁺.
  for (let i = 0; i < d; i++) {
    if (p.linkWeight[i] !== 0) continue;
    const logG = logGate(x[i], p.gateLow, p.gateHigh, p.gateWidth);
    if (logG === -Infinity) continue;
    for (let k = 0; k < n; k++) {
      const j = k * d + i;
      gLink[i] += dScores[k] * p.betaDis * c[rank[j]] * Math.exp(logG - u[j]);
    }
  }
  const gGate = [0, 0, 0];
  addGateGradient(x, gLogGate, p.gateLow, p.gateHigh, p.gateWidth, gGate);
  return {
    loss,
    grad: {
      offset: gOffset,
      logScale: gScale,
      linkWeight: gLink,
      gateLow: gGate[0],
      gateHigh: gGate[1],
      gateWidth: gGate[2],
      ...ahop,
    },
  };
}

function flatGrad(g: AhopPlusParams): number[] {
  return [...g.offset, ...g.logScale, ...g.linkWeight, g.gateLow, g.gateHigh, g.gateWidth, ...g.wDis, ...g.wDot, g.betaDis, g.betaDot];
}

/**
 * L = −log softmax(s(Ξ, x))_t for A-Hop+ and ∂L/∂θ for every parameter (equations in the module
 * comment). Checks its inputs; refuses (DomainError) a loss or gradient that overflows float64.
 * @example
 * ```ts
 * import { ahopPlusLossAndGradient, identityAhopPlusParams } from 'ahop';
 * const id = identityAhopPlusParams({ wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 });
 * const r = ahopPlusLossAndGradient([[0], [0]], [1], 0, id); // equal scores: p = (½, ½)
 * if (Math.abs(r.loss - Math.LN2) > 1e-15 || r.grad.offset[0] !== 0) throw new Error('ahopPlusLossAndGradient');
 * ```
 */
export function ahopPlusLossAndGradient(
  memories: readonly (readonly number[])[],
  query: readonly number[],
  target: number,
  params: AhopPlusParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): AhopPlusLossGradient {
  const { memories: xi, query: x } = checkMemoriesQuery(memories, query);
  const p = checkAhopPlusParams(params, x.length);
  const t = checkIndex('target', target, xi.length);
  const r = ahopPlusLossAndGradientUnchecked(xi, x, t, p, checkFootprintOptions(options));
  if (!Number.isFinite(r.loss) || !flatGrad(r.grad).every(Number.isFinite)) {
    throw new DomainError('the A-Hop+ loss or its gradient overflows float64: the memories, query or params are too large');
  }
  return r;
}

// ---------- the flat parameter vector for training ----------

/** The parameter groups of A-Hop+; a group left out of `free` keeps the template's value. */
export const AHOP_PLUS_GROUPS = ['offset', 'logScale', 'link', 'gate', 'wDis', 'wDot', 'betaDis', 'betaDot'] as const;
export type AhopPlusGroup = (typeof AHOP_PLUS_GROUPS)[number];

export interface AhopPlusLayout {
  d: number;
  /** Groups that θ holds, in AHOP_PLUS_GROUPS order. */
  free: readonly AhopPlusGroup[];
  /** Values of the frozen groups. */
  template: AhopPlusParams;
  /** Length of θ. */
  size: number;
}

function groupSize(g: AhopPlusGroup, d: number): number {
  return g === 'gate' ? 3 : g === 'betaDis' || g === 'betaDot' ? 1 : d;
}

/**
 * A layout θ ↔ params: θ = [b (d), ℓ (d), η = log λ (d), low, ω = log(high − low), κ = log τ, w_dis (d),
 * w_dot (d), β_dis, β_dot], keeping only the free groups (ω keeps every θ a valid range, low < high). Ablations freeze groups: "no link" = link and gate
 * frozen with λ = 0; "no offset" = offset frozen at 0; "no scale" = logScale frozen at 0.
 * @example
 * ```ts
 * import { ahopPlusLayout, identityAhopPlusParams } from 'ahop';
 * const t = identityAhopPlusParams({ wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 });
 * if (ahopPlusLayout(t, ['wDis', 'betaDis']).size !== 3) throw new Error('ahopPlusLayout');
 * ```
 */
export function ahopPlusLayout(template: AhopPlusParams, free: readonly AhopPlusGroup[] = AHOP_PLUS_GROUPS): AhopPlusLayout {
  const t = checkAhopPlusParams(template, undefined, 'template');
  const d = t.wDis.length;
  free.forEach((g, j) => {
    if (!AHOP_PLUS_GROUPS.includes(g)) throw new DomainError(`free[${j}] must be one of ${AHOP_PLUS_GROUPS.join(', ')}, got ${JSON.stringify(g)}`);
  });
  const groups = AHOP_PLUS_GROUPS.filter((g) => free.includes(g));
  if (groups.includes('link') && t.linkWeight.some((v) => v === 0)) {
    throw new DomainError('template.linkWeight must be > 0 in every dimension when the link is trained (θ holds log λ)');
  }
  if (groups.includes('gate') && t.gateWidth === 0) throw new DomainError('template.gateWidth must be > 0 when the gate is trained (θ holds log τ)');
  return { d, free: groups, template: t, size: groups.reduce((a, g) => a + groupSize(g, d), 0) };
}

function groupValues(p: AhopPlusParams, g: AhopPlusGroup): number[] {
  switch (g) {
    case 'offset':
      return p.offset;
    case 'logScale':
      return p.logScale;
    case 'link':
      return p.linkWeight.map(Math.log);
    case 'gate':
      return [p.gateLow, Math.log(p.gateHigh - p.gateLow), Math.log(p.gateWidth)];
    case 'wDis':
      return p.wDis;
    case 'wDot':
      return p.wDot;
    case 'betaDis':
      return [p.betaDis];
    case 'betaDot':
      return [p.betaDot];
  }
}

/**
 * θ from params under a layout (λ → log λ, high → log(high − low), τ → log τ): θ = the free groups concatenated in
 * AHOP_PLUS_GROUPS order, so unpackAhopPlus(packAhopPlus(p)) = p (up to exp∘log rounding).
 * @example
 * ```ts
 * import { ahopPlusLayout, identityAhopPlusParams, packAhopPlus, unpackAhopPlus } from 'ahop';
 * const t = { ...identityAhopPlusParams({ wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 }), linkWeight: [1], gateWidth: 1 };
 * const L = ahopPlusLayout(t);
 * if (unpackAhopPlus(packAhopPlus(t, L), L).betaDis !== 2) throw new Error('packAhopPlus');
 * ```
 */
export function packAhopPlus(params: AhopPlusParams, layout: AhopPlusLayout): Float64Array {
  const p = checkAhopPlusParams(params, layout.d);
  const theta = Float64Array.from(layout.free.flatMap((g) => groupValues(p, g)));
  const bad = theta.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new DomainError(`params cannot be packed: entry ${bad} of θ is ${theta[bad]} (λ and τ must be > 0 in the free groups)`);
  return theta;
}

/**
 * Params from θ under a layout (λ = e^η, high = low + e^ω, τ = e^κ); frozen groups come from the template.
 * @example
 * ```ts
 * import { ahopPlusLayout, identityAhopPlusParams, unpackAhopPlus } from 'ahop';
 * const t = { ...identityAhopPlusParams({ wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 }), linkWeight: [1], gateWidth: 1 };
 * if (unpackAhopPlus(Float64Array.from([0.5]), ahopPlusLayout(t, ['offset'])).offset[0] !== 0.5) throw new Error('unpackAhopPlus');
 * ```
 */
export function unpackAhopPlus(theta: ArrayLike<number>, layout: AhopPlusLayout): AhopPlusParams {
  if (theta.length !== layout.size) throw new ShapeError(`theta has length ${theta.length} but the layout needs ${layout.size}`);
  const p: AhopPlusParams = structuredClone(layout.template);
  const d = layout.d;
  let o = 0;
  const take = (k: number) => Array.from({ length: k }, (_, j) => theta[o + j]);
  for (const g of layout.free) {
    const v = take(groupSize(g, d));
    o += v.length;
    if (g === 'offset') p.offset = v;
    else if (g === 'logScale') p.logScale = v;
    else if (g === 'link') p.linkWeight = v.map(Math.exp);
    else if (g === 'gate') [p.gateLow, p.gateHigh, p.gateWidth] = [v[0], v[0] + Math.exp(v[1]), Math.exp(v[2])];
    else if (g === 'wDis') p.wDis = v;
    else if (g === 'wDot') p.wDot = v;
    else if (g === 'betaDis') p.betaDis = v[0];
    else p.betaDot = v[0];
  }
  return p;
}

/**
 * ∂L/∂θ from ∂L/∂params under a layout: ∂L/∂η = λ ∂L/∂λ, ∂L/∂low|θ = ∂L/∂low + ∂L/∂high,
 * ∂L/∂ω = (high − low) ∂L/∂high, ∂L/∂κ = τ ∂L/∂τ (the chain rule of λ = e^η, high = low + e^ω,
 * τ = e^κ); other groups are copied.
 * @example
 * ```ts
 * import { identityAhopPlusParams } from '../similarity/adaptive-plus.ts';
 * import { ahopPlusLayout, packGradient } from './objective-plus.ts';
 * const t = { ...identityAhopPlusParams({ wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 }), linkWeight: [2], gateWidth: 1 };
 * if (packGradient({ ...t, linkWeight: [3] }, t, ahopPlusLayout(t, ['link']))[0] !== 6) throw new Error('packGradient');
 * ```
 */
export function packGradient(g: AhopPlusParams, p: AhopPlusParams, layout: AhopPlusLayout): number[] {
  return layout.free.flatMap((grp) => {
    if (grp === 'link') return g.linkWeight.map((v, i) => v * p.linkWeight[i]);
    // high = low + e^ω: ∂L/∂low|θ = ∂L/∂low + ∂L/∂high, ∂L/∂ω = (high − low) ∂L/∂high.
    if (grp === 'gate') return [g.gateLow + g.gateHigh, g.gateHigh * (p.gateHigh - p.gateLow), g.gateWidth * p.gateWidth];
    return groupValues(g, grp);
  });
}

export interface AhopPlusBatch {
  queries: readonly (readonly number[])[];
  targets: readonly number[];
}

/**
 * The training wave's objective: mean loss L(θ) = (1/B) Σ_b −log p_{t_b}(x_b) over a batch and
 * its gradient ∂L/∂θ, θ under `layout`. Inputs are assumed validated (memories N×d, queries B×d,
 * targets in range, as `trainOnPairs` checks them); a non-finite result is refused.
 * @example
 * ```ts
 * import { identityAhopPlusParams } from '../similarity/adaptive-plus.ts';
 * import { ahopPlusBatchObjective, ahopPlusLayout, packAhopPlus } from './objective-plus.ts';
 * const t = { ...identityAhopPlusParams({ wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 }), linkWeight: [1], gateWidth: 1 };
 * const L = ahopPlusLayout(t);
 * const r = ahopPlusBatchObjective(packAhopPlus(t, L), [[0], [2]], { queries: [[0.1]], targets: [0] }, L);
 * if (!(r.loss > 0 && r.grad.length === L.size)) throw new Error('ahopPlusBatchObjective');
 * ```
 */
export function ahopPlusBatchObjective(
  theta: ArrayLike<number>,
  memories: readonly (readonly number[])[],
  batch: AhopPlusBatch,
  layout: AhopPlusLayout,
  options: FootprintOptions = FULL_FOOTPRINT,
): { loss: number; grad: Float64Array } {
  const p = unpackAhopPlus(theta, layout);
  const b = batch.queries.length;
  if (b === 0 || batch.targets.length !== b) throw new ShapeError(`batch must hold B > 0 queries and B targets, got ${b} and ${batch.targets.length}`);
  const grad = new Float64Array(layout.size);
  let loss = 0;
  for (let q = 0; q < b; q++) {
    const r = ahopPlusLossAndGradientUnchecked(memories, batch.queries[q], batch.targets[q], p, options);
    loss += r.loss;
    packGradient(r.grad, p, layout).forEach((v, j) => (grad[j] += v));
  }
  loss /= b;
  for (let j = 0; j < grad.length; j++) grad[j] /= b;
  if (!Number.isFinite(loss) || !grad.every(Number.isFinite)) {
    throw new DomainError('the A-Hop+ batch loss or its gradient overflows float64');
  }
  return { loss, grad };
}
