/**
 * A-Hop+ training on a cell's cache: the loss and gradient of `ahopPlusBatchObjective`
 * (train/objective-plus.ts) arranged for speed, not a second form of the math. Per pair it uses the
 * readable per-dimension functions (`scaledResidual`, `saturationLevels`), the shared
 * cross-entropy (train/cross-entropy.ts) and `packGradient`; what differs is only where the work
 * happens:
 * - the link g = logaddexp(u, a) is evaluated as max(u, a) + log1p(e), e = e^{−|u−a|}, and the same
 *   e gives its slopes π = e^{u−g} = 1/(1 + e) or e/(1 + e) and 1 − π, so the gradient costs no
 *   exponential (the readable form takes three per entry);
 * - the ordered dot rows sort↓(ξ_k ⊙ x) do not depend on θ, so they are read from the cell's
 *   FeatureCache (the same rows A-Hop trains on) instead of being sorted every step;
 * - scratch rows are allocated once per objective, not per pair;
 * - each transformed row is ordered by the native typed-array sort, and (for the gradient only)
 *   each dimension's place found by binary search with ties in dimension order — the permutation
 *   of the readable form's stable insertion sort, at O(d log d) instead of O(d²);
 * - the footprint part ∂L/∂w = β U(Σ_k g_k q̃_k) is linear in Σ_k g_k q̃_k, so the sum runs over the
 *   whole batch before one prefix sum and one pack.
 * The loss-only pass (the safeguard's full-batch loss each epoch) skips the gradient entirely.
 * properties/ahop-plus-fast.test.ts ties loss and gradient to the readable objective.
 */
import { ShapeError } from '../errors.ts';
import { misses } from '../hopfield/correct-retrieval.ts';
import { addGateGradient, logGate, saturationLevels, scaledResidual, type AhopPlusParams } from '../similarity/adaptive-plus.ts';
import { suffixSums, type FootprintOptions } from '../similarity/footprint.ts';
import { crossEntropy, crossEntropyLoss } from '../train/cross-entropy.ts';
import { packGradient, unpackAhopPlus, type AhopPlusLayout } from '../train/objective-plus.ts';
import type { PairFeatures } from './train-fast.ts';

/** A cell's training pairs for A-Hop+, flat: memories (N×d), queries (P×d), and A-Hop's ordered dot rows. */
export interface PlusPairs {
  n: number;
  d: number;
  count: number;
  memories: Float64Array;
  queries: Float64Array;
  targets: Int32Array;
  /** sort↓(ξ_k ⊙ x_i) (or unsorted, matching the footprint), pair-major: dot[(i·N + k)·d + r]. */
  dot: Float64Array;
}

/**
 * The flat pairs from memories, the training queries, and their A-Hop features (whose `sort`
 * must be the footprint's: the FeatureCache entry of the same footprint).
 * @example
 * ```ts
 * import { FULL_FOOTPRINT } from '../similarity/footprint.ts';
 * import { plusPairs } from './plus-fast.ts';
 * import { pairFeatures } from './train-fast.ts';
 * const f = pairFeatures([[0], [1]], { queries: [[1]], targets: [1] }, FULL_FOOTPRINT);
 * const p = plusPairs([[0], [1]], [[1]], f);
 * if (p.count !== 1 || p.n !== 2 || p.dot.join() !== '0,1') throw new Error('ξ_k ⊙ x = (0, 1)');
 * ```
 */
export function plusPairs(memories: readonly (readonly number[])[], queries: readonly (readonly number[])[], features: PairFeatures): PlusPairs {
  const { n, d, count } = features;
  if (memories.length !== n || queries.length !== count) throw new ShapeError(`plusPairs: ${memories.length} memories and ${queries.length} queries, but the features hold ${n} and ${count}`);
  return { n, d, count, memories: Float64Array.from(memories.flat()), queries: Float64Array.from(queries.flat()), targets: features.targets, dot: features.dot };
}

/**
 * Orders row v[o … o + d) descending into out[o …] (native typed-array sort of a copy, read from
 * the top) and, when `rank` is given, sets rank[o + i] to dimension i's place, ties in dimension
 * order — the permutation of a stable descending sort, which the readable form uses: a tie block
 * starts at the place of its value's last ascending index, and its dimensions take its places in
 * order. `asc` and `used` are scratch of length d.
 */
function orderRow(v: Float64Array, o: number, d: number, out: Float64Array, asc: Float64Array, used: Int32Array, rank?: Int32Array): void {
  for (let i = 0; i < d; i++) asc[i] = v[o + i];
  asc.sort();
  for (let r = 0; r < d; r++) out[o + r] = asc[d - 1 - r];
  if (rank === undefined) return;
  used.fill(0);
  for (let i = 0; i < d; i++) {
    const x = v[o + i];
    // last j with asc[j] <= x (asc[j] = x, as x is in the row)
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (asc[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    const r0 = d - 1 - lo;
    rank[o + i] = r0 + used[r0]++;
  }
}

export interface PlusObjective {
  /** Mean loss over the pairs `indices` and ∂/∂θ (a reused buffer). */
  lossGrad(theta: Float64Array, indices: readonly number[]): { loss: number; grad: Float64Array };
  /** Mean loss over `indices`, no gradient. */
  loss(theta: Float64Array, indices: readonly number[]): number;
  /** How many of the pairs `indices` the factory's `miss` counts wrong (default: highest score off the source). */
  errors(theta: Float64Array, indices: readonly number[]): number;
}

/**
 * The A-Hop+ objective over cached pairs, θ under `layout` (the harness's form of
 * `ahopPlusBatchObjective`; same value and gradient up to float64 rounding).
 * @example
 * ```ts
 * import { identityAhopPlusParams } from '../similarity/adaptive-plus.ts';
 * import { FULL_FOOTPRINT } from '../similarity/footprint.ts';
 * import { ahopPlusBatchObjective, ahopPlusLayout, packAhopPlus } from '../train/objective-plus.ts';
 * import { plusObjective, plusPairs } from './plus-fast.ts';
 * import { pairFeatures } from './train-fast.ts';
 * const memories = [[0, 1], [1, 0.5]];
 * const batch = { queries: [[0.2, 0.9]], targets: [0] };
 * const t = { ...identityAhopPlusParams({ wDis: [0.5, 0.5], wDot: [0.5, 0.5], betaDis: 1, betaDot: 1 }), linkWeight: [1, 1], gateWidth: 1 };
 * const L = ahopPlusLayout(t);
 * const theta = packAhopPlus(t, L);
 * const fast = plusObjective(plusPairs(memories, batch.queries, pairFeatures(memories, batch, FULL_FOOTPRINT)), L, FULL_FOOTPRINT).lossGrad(theta, [0]);
 * const readable = ahopPlusBatchObjective(theta, memories, batch, L);
 * if (Math.abs(fast.loss - readable.loss) > 1e-12 || fast.grad.some((g, i) => Math.abs(g - readable.grad[i]) > 1e-12)) throw new Error('the readable objective');
 * ```
 */
export function plusObjective(
  data: PlusPairs,
  layout: AhopPlusLayout,
  footprint: FootprintOptions,
  miss: (s: ArrayLike<number>, target: number) => boolean = misses([], 'argmax'),
): PlusObjective {
  const { n, d } = data;
  if (layout.d !== d) throw new ShapeError(`the layout has d = ${layout.d} but the pairs have d = ${d}`);
  const U = new Float64Array(n * d);
  const G = new Float64Array(n * d);
  /** π = ∂g/∂u = e^{u−g} and 1 − π = e^{a−g} of each entry. */
  const K = new Float64Array(n * d);
  const O = new Float64Array(n * d);
  const sorted = new Float64Array(n * d);
  const rank = new Int32Array(n * d);
  const asc = new Float64Array(d);
  const used = new Int32Array(d);
  const s = new Float64Array(n);
  const sDis = new Float64Array(n);
  const sDot = new Float64Array(n);
  const x = new Array<number>(d).fill(0);
  const xq = new Float64Array(d);
  const lv = new Float64Array(d);
  const off = new Float64Array(d);
  let p: AhopPlusParams = layout.template;
  let scale2 = new Float64Array(d);
  let lam: number[] = [];
  let cDis: number[] = [];
  let cDot: number[] = [];
  let levels: number[] = [];

  const setTheta = (theta: ArrayLike<number>) => {
    p = unpackAhopPlus(theta, layout);
    scale2 = Float64Array.from(p.logScale, (l) => Math.exp(-2 * l));
    lam = p.linkWeight;
    cDis = footprint.cumulative ? suffixSums(p.wDis) : p.wDis;
    cDot = footprint.cumulative ? suffixSums(p.wDot) : p.wDot;
  };

  /** Scores s of pair q into `s` (and U, G, sorted, rank, sDis, sDot for the gradient). */
  const forward = (q: number, withRank: boolean) => {
    for (let i = 0; i < d; i++) x[i] = data.queries[q * d + i];
    levels = saturationLevels(x, p);
    for (let i = 0; i < d; i++) [xq[i], lv[i], off[i]] = [x[i], levels[i], p.offset[i]];
    const mem = data.memories;
    for (let k = 0; k < n; k++) {
      const o = k * d;
      for (let i = 0; i < d; i++) {
        const u = scaledResidual(xq[i], mem[o + i], off[i], scale2[i]);
        const a = lv[i];
        U[o + i] = u;
        if (a === -Infinity) {
          G[o + i] = u;
          K[o + i] = 1;
          O[o + i] = 0;
          continue;
        }
        // g = logaddexp(u, a) = max + log(1 + e), e = e^{−|u − a|} (bit for bit numeric/logsumexp.ts's
        // logAddExp, so ties fall as in the readable form); the same e gives the link's slopes
        // π = e^{u−g} and 1 − π = e^{a−g}, so the gradient needs no further exponentials.
        const diff = u - a;
        const e = Math.exp(diff >= 0 ? -diff : diff);
        const inv = 1 / (1 + e);
        const l = Math.log(1 + e);
        if (diff >= 0) {
          G[o + i] = u + l;
          K[o + i] = inv;
          O[o + i] = e * inv;
        } else {
          G[o + i] = a + l;
          K[o + i] = e * inv;
          O[o + i] = inv;
        }
      }
      if (footprint.sort) orderRow(G, o, d, sorted, asc, used, withRank ? rank : undefined);
      else {
        for (let i = 0; i < d; i++) {
          sorted[o + i] = G[o + i];
          rank[o + i] = i;
        }
      }
      let a = 0;
      for (let r = 0; r < d; r++) a += cDis[r] * sorted[o + r];
      const dotOff = (q * n + k) * d;
      let b = 0;
      for (let r = 0; r < d; r++) b += cDot[r] * data.dot[dotOff + r];
      sDis[k] = a;
      sDot[k] = b;
      s[k] = p.betaDis * a + p.betaDot * b;
    }
  };

  const grad = new Float64Array(layout.size);
  const gOffset = new Float64Array(d);
  const gScale = new Float64Array(d);
  const gLink = new Float64Array(d);
  const gLogGate = new Float64Array(d);
  const aDis = new Float64Array(d);
  const aDot = new Float64Array(d);
  const gGate = new Float64Array(3);

  return {
    loss(theta, indices) {
      setTheta(theta);
      let loss = 0;
      for (const q of indices) {
        forward(q, false);
        loss += crossEntropyLoss(s, data.targets[q]);
      }
      return loss / indices.length;
    },
    errors(theta, indices) {
      setTheta(theta);
      let wrong = 0;
      for (const q of indices) {
        forward(q, false);
        if (miss(s, data.targets[q])) wrong++;
      }
      return wrong;
    },
    lossGrad(theta, indices) {
      setTheta(theta);
      for (const a of [gOffset, gScale, gLink, aDis, aDot]) a.fill(0);
      let gBetaDis = 0;
      let gBetaDot = 0;
      gGate.fill(0);
      let loss = 0;
      for (const q of indices) {
        forward(q, true);
        const ce = crossEntropy(s, data.targets[q]);
        loss += ce.loss;
        const dS = ce.g;
        gLogGate.fill(0);
        for (let k = 0; k < n; k++) {
          const gk = dS[k];
          if (gk === 0) continue;
          const o = k * d;
          const dotOff = (q * n + k) * d;
          for (let r = 0; r < d; r++) {
            aDis[r] += gk * sorted[o + r];
            aDot[r] += gk * data.dot[dotOff + r];
          }
          gBetaDis += gk * sDis[k];
          gBetaDot += gk * sDot[k];
          for (let i = 0; i < d; i++) {
            const j = o + i;
            const dg = gk * p.betaDis * cDis[rank[j]];
            if (dg === 0) continue;
            const kept = K[j];
            const res = x[i] - data.memories[j] - p.offset[i];
            gOffset[i] += dg * kept * res * scale2[i];
            gScale[i] += dg * kept * (-2 * U[j]);
            if (levels[i] !== -Infinity) {
              // ∂g/∂λ = G e^{−g} = (1 − π)/λ; ∂g/∂log G = 1 − π.
              gLink[i] += (dg * O[j]) / lam[i];
              gLogGate[i] += dg * O[j];
            }
          }
        }
        // λ = 0 with an open gate: ∂g/∂λ = G e^{−u} at λ = 0⁺ (as the readable form).
        for (let i = 0; i < d; i++) {
          if (p.linkWeight[i] !== 0) continue;
          const logG = logGate(x[i], p.gateLow, p.gateHigh, p.gateWidth);
          if (logG === -Infinity) continue;
          for (let k = 0; k < n; k++) gLink[i] += dS[k] * p.betaDis * cDis[rank[k * d + i]] * Math.exp(logG - U[k * d + i]);
        }
        addGateGradient(x, gLogGate, p.gateLow, p.gateHigh, p.gateWidth, gGate);
      }
      const m = indices.length;
      const mean = (a: Float64Array) => Array.from(a, (v) => v / m);
      const prefix = (a: Float64Array, beta: number) => {
        let acc = 0;
        return Array.from(a, (v) => (acc += (beta * v) / m));
      };
      const gp: AhopPlusParams = {
        offset: mean(gOffset),
        logScale: mean(gScale),
        linkWeight: mean(gLink),
        gateLow: gGate[0] / m,
        gateHigh: gGate[1] / m,
        gateWidth: gGate[2] / m,
        wDis: footprint.cumulative ? prefix(aDis, p.betaDis) : Array.from(aDis, (v) => (p.betaDis * v) / m),
        wDot: footprint.cumulative ? prefix(aDot, p.betaDot) : Array.from(aDot, (v) => (p.betaDot * v) / m),
        betaDis: gBetaDis / m,
        betaDot: gBetaDot / m,
      };
      grad.set(packGradient(gp, p, layout));
      return { loss: loss / m, grad };
    },
  };
}
