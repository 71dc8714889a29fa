/**
 * The experiments' training loop: the same algorithm as trainOnPairs (src/train/train.ts) — the
 * same features, initialisation, seeded shuffles, mini-batches and Adam — with the per-query
 * objective (src/train/objective.ts) rewritten over flat typed arrays and no allocation per pair.
 *
 * Why it exists: the sweep trains ~7 models per cell and the reference objective costs ~50 ns
 * per (pair, memory, dimension) here, which would put the headline far past its 5-minute budget.
 * Every floating-point operation is done in the reference's order, so the result is bit-for-bit
 * the reference's: spec/experiments-train.test.ts asserts exact equality of the parameters.
 */
import { DomainError } from '../errors.ts';
import { createRng } from '../random/rng.ts';
import type { AhopParams } from '../similarity/adaptive.ts';
import type { Base } from '../similarity/base.ts';
import { FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { createAdam } from '../train/adam.ts';
import { sortedRows } from '../train/features.ts';
import { flatten, initialParams, unflatten } from '../train/init.ts';
import type { Pairs } from '../train/pairs.ts';
import { TRAIN_DEFAULTS, type TrainOptions, type TrainResult } from '../train/train.ts';

/** q̃ rows of every training query, pair-major: dis[(i·N + k)·d + r]. */
export interface PairFeatures {
  n: number;
  d: number;
  count: number;
  dis: Float64Array;
  dot: Float64Array;
  targets: Int32Array;
}

/** Sorts every training query's base similarities once (they do not depend on the parameters). */
export function pairFeatures(memories: readonly (readonly number[])[], pairs: Pairs, footprint: FootprintOptions): PairFeatures {
  const n = memories.length;
  const d = memories[0].length;
  const count = pairs.queries.length;
  const dis = new Float64Array(count * n * d);
  const dot = new Float64Array(count * n * d);
  pairs.queries.forEach((q, i) => {
    const r = sortedRows(memories, q, footprint);
    dis.set(r.dis, i * n * d);
    dot.set(r.dot, i * n * d);
  });
  const targets = Int32Array.from(pairs.targets, (t, i) => {
    if (!Number.isInteger(t) || t < 0 || t >= n) throw new DomainError(`targets[${i}] must be an index in [0, ${n}), got ${t}`);
    return t;
  });
  return { n, d, count, dis, dot, targets };
}

/** Suffix sums c_r = Σ_{j≥r} w_j into `out` (or a copy of w when U is ablated). */
function coefficients(w: ArrayLike<number>, offset: number, d: number, cumulative: boolean, out: Float64Array): void {
  if (!cumulative) {
    for (let r = 0; r < d; r++) out[r] = w[offset + r];
    return;
  }
  let acc = 0;
  for (let r = d - 1; r >= 0; r--) {
    acc += w[offset + r];
    out[r] = acc;
  }
}

/** Work buffers reused by every query of a run. */
interface Scratch {
  cDis: Float64Array;
  cDot: Float64Array;
  sDis: Float64Array;
  sDot: Float64Array;
  s: Float64Array;
  e: Float64Array;
  g: Float64Array;
  aDis: Float64Array;
  aDot: Float64Array;
}

function scratch(n: number, d: number): Scratch {
  const v = (len: number) => new Float64Array(len);
  return { cDis: v(d), cDot: v(d), sDis: v(n), sDot: v(n), s: v(n), e: v(n), g: v(n), aDis: v(d), aDot: v(d) };
}

/**
 * Loss of pair i at θ, and (when `grad` is given) adds scale · ∂L/∂θ into it — the reference
 * objective (objective.ts) in its operation order. The caller has filled ws.cDis / ws.cDot.
 */
function pairObjective(f: PairFeatures, i: number, theta: Float64Array, cumulative: boolean, ws: Scratch, grad?: Float64Array, scale = 1): number {
  const { n, d } = f;
  const base = i * n * d;
  const betaDis = theta[2 * d];
  const betaDot = theta[2 * d + 1];
  const { cDis, cDot, sDis, sDot, s, e, g, aDis, aDot } = ws;
  const dis = f.dis;
  const dot = f.dot;
  for (let k = 0; k < n; k++) {
    const o = base + k * d;
    let a = 0;
    for (let r = 0; r < d; r++) a += cDis[r] * dis[o + r];
    sDis[k] = a;
    let b = 0;
    for (let r = 0; r < d; r++) b += cDot[r] * dot[o + r];
    sDot[k] = b;
  }
  let top = 0;
  for (let k = 0; k < n; k++) {
    s[k] = betaDis * sDis[k] + betaDot * sDot[k];
    if (s[k] > s[top]) top = k;
  }
  const m = s[top];
  let rest = 0;
  for (let k = 0; k < n; k++) e[k] = Math.exp(s[k] - m);
  for (let k = 0; k < n; k++) if (k !== top) rest += e[k];
  const z = 1 + rest;
  const t = f.targets[i];
  const loss = m - s[t] + Math.log1p(rest);
  if (grad === undefined) return loss;
  let others = 0;
  for (let k = 0; k < n; k++) {
    g[k] = e[k] / z;
    if (k !== t) others += g[k];
  }
  g[t] = -others;
  aDis.fill(0);
  aDot.fill(0);
  let gBetaDis = 0;
  let gBetaDot = 0;
  for (let k = 0; k < n; k++) {
    const gk = g[k];
    if (gk === 0) continue;
    const o = base + k * d;
    for (let r = 0; r < d; r++) {
      aDis[r] += gk * dis[o + r];
      aDot[r] += gk * dot[o + r];
    }
    gBetaDis += gk * sDis[k];
    gBetaDot += gk * sDot[k];
  }
  // ∂L/∂w from ∂L/∂c: prefix sums when U is used (see objective.ts).
  let accDis = 0;
  let accDot = 0;
  for (let r = 0; r < d; r++) {
    const gd = betaDis * aDis[r];
    const gt = betaDot * aDot[r];
    accDis = cumulative ? accDis + gd : gd;
    accDot = cumulative ? accDot + gt : gt;
    grad[r] += accDis / scale;
    grad[d + r] += accDot / scale;
  }
  grad[2 * d] += gBetaDis / scale;
  grad[2 * d + 1] += gBetaDot / scale;
  return loss;
}

/** trainOnPairs on precomputed features: same options, same result. */
export function trainOnFeatures(f: PairFeatures, options: Partial<TrainOptions> = {}): TrainResult {
  const o: TrainOptions = { ...TRAIN_DEFAULTS, ...options };
  for (const k of ['epochs', 'pairs', 'batchSize'] as const) {
    if (!Number.isInteger(o[k]) || o[k] <= 0) throw new DomainError(`${k} must be a positive integer, got ${o[k]}`);
  }
  if (o.bases.length === 0) throw new DomainError('bases must name at least one of dis, dot');
  const { n, d } = f;
  const bases: readonly Base[] = o.bases;
  const start: AhopParams = o.init ?? initialParams(d, bases.includes('dis') ? { dis: 1, dot: 0 } : { dis: 0, dot: 1 });
  const frozen = (['dis', 'dot'] as const).filter((b) => !bases.includes(b)).map((b) => 2 * d + (b === 'dis' ? 0 : 1));
  const theta = flatten(start);
  for (const j of frozen) theta[j] = 0;
  const adam = createAdam(theta.length, { lr: o.lr });
  const rng = createRng(o.seed);
  const order = Array.from({ length: f.count }, (_, i) => i);
  const ws = scratch(n, d);
  const cumulative = o.footprint.cumulative;
  const grad = new Float64Array(theta.length);

  const batchLoss = (idx: readonly number[], withGrad: boolean): number => {
    coefficients(theta, 0, d, cumulative, ws.cDis);
    coefficients(theta, d, d, cumulative, ws.cDot);
    grad.fill(0);
    let loss = 0;
    for (const i of idx) loss += pairObjective(f, i, theta, cumulative, ws, withGrad ? grad : undefined, idx.length);
    for (const j of frozen) grad[j] = 0;
    return loss / idx.length;
  };

  const losses = [batchLoss(order, false)];
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    let epochLoss = 0;
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let s = 0; s < order.length; s += o.batchSize) {
      const batch = order.slice(s, s + o.batchSize);
      epochLoss += batchLoss(batch, true) * batch.length;
      adam.step(theta, grad);
    }
    if (!theta.every(Number.isFinite)) throw new DomainError(`training diverged at epoch ${epoch} (non-finite parameters); lower lr`);
    losses.push(epochLoss / order.length);
    o.onEpoch?.(epoch, losses[epoch]);
  }
  return { params: unflatten(theta, d), losses, finalLoss: batchLoss(order, false) };
}

/** Drop-in for trainOnPairs(memories, pairs, options). */
export function trainFast(memories: readonly (readonly number[])[], pairs: Pairs, options: Partial<TrainOptions> = {}): TrainResult {
  const footprint = options.footprint ?? FULL_FOOTPRINT;
  return trainOnFeatures(pairFeatures(memories, pairs, footprint), { ...options, footprint });
}
