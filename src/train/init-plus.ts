/**
 * A fair A-Hop+ starting point from the training pairs alone (no variant parameters, no test data):
 * the plug-in composed-variant Bayes rule with parameters estimated from the residuals.
 *
 * With residuals r_ni = x_ni − ξ_{t_n, i} of the training pairs:
 * 1. Robust start: b_i = median_n r_ni (occluders are outliers), σ_i = 1.4826 · median_n |r_ni − b_i|
 *    (the MAD; 1.4826 makes it σ for Gaussian residuals; when the MAD is 0, the root mean square of
 *    r_ni − b_i, and 1 if that is 0 too); [low, high] = [min, max] of every query entry (the range
 *    occluders can take); ρ = share of |r_ni − b_i| > 3σ_i beyond the Gaussian tail P(|z| > 3).
 * 2. EM_STEPS steps of EM for the composed likelihood of each entry,
 *    (1 − ρ) N(x_ni; ξ_{t_n,i} + b_i, σ_i²) + ρ 1[low ≤ x_ni ≤ high]/(high − low), with ρ shared by
 *    all dimensions (as in the variants): the median and MAD are biased when ρ is large
 *    (occluders pull them, and inflate the MAD by 30–55% at ρ = 0.3 in spec/ahop-plus.test.ts); EM removes that bias.
 *    γ_ni = (1 − ρ)N / ((1 − ρ)N + ρ 1[…]/(high − low)); b_i = Σ_n γ r / Σ_n γ;
 *    σ_i² = Σ_n γ (r − b_i)² / Σ_n γ (floored at (10⁻⁶(high − low))²); ρ = 1 − mean γ; and
 *    [low, high] = the span of the entries with γ < ½ (more likely occluded than kept), when there
 *    are any — the min/max of all entries overstates the range, as kept values reach beyond it —
 *    with each end then moved to the candidate entry that maximises the composed likelihood.
 *    EM runs from two starts and keeps the fit with the higher composed log-likelihood of the
 *    training residuals (the usual multi-start EM): (a) the robust start, ρ from the outlier share
 *    and [low, high] the span of the queries; (b) the same b and σ with ρ = ½ and [low, high] the
 *    span of the memories' entries (occluders that look like stored values). With a large occlusion
 *    rate the robust start inflates σ, finds few outliers and stays in the "nothing is occluded"
 *    optimum; start (b) begins on the other side of it.
 * 3. ρ is clipped to [1/(M + 2), 1 − 1/(M + 2)], M = n·d, so the link starts on and can be
 *    trained (θ holds log λ); λ_i = ρ √(2π) σ_i / ((1 − ρ)(high − low)); τ = (high − low)/100;
 *    w_dis = w_dot = e_d, β_dis = 1, β_dot = 0.
 * Then s = Σ_i g_i is the composed log-likelihood at the estimated (b, σ, ρ, range), up to a constant.
 */
import { DomainError, ShapeError } from '../errors.ts';
import type { AhopPlusParams } from '../similarity/adaptive-plus.ts';
import { checkIndex, checkMatrix } from '../validate.ts';
import type { Pairs } from './pairs.ts';

/** 1/Φ⁻¹(3/4): the MAD of a standard normal is 1/1.4826. */
export const MAD_TO_SIGMA = 1.482602218505602;
const GAUSSIAN_TAIL_3 = 0.0026997960632601965;
/** EM refinement steps after the median/MAD start. */
export const EM_STEPS = 30;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function checkPairs(memories: readonly (readonly number[])[], pairs: Pairs) {
  const xi = checkMatrix('memories', memories);
  const d = xi[0].length;
  if (typeof pairs !== 'object' || pairs === null) throw new ShapeError('pairs must be an object { queries, targets }');
  const queries = checkMatrix('pairs.queries', pairs.queries, d);
  if (!Array.isArray(pairs.targets) || pairs.targets.length !== queries.length) {
    throw new ShapeError(`pairs.targets must be an array of length ${queries.length}`);
  }
  const targets = pairs.targets.map((t, j) => checkIndex(`pairs.targets[${j}]`, t, xi.length));
  return { xi, d, queries, targets };
}

/**
 * The robust start: per dimension, location b_i = median_n (x_ni − ξ_{t_n,i}) and scale
 * σ_i = 1.4826 · median_n |x_ni − ξ_{t_n,i} − b_i| (the MAD; the root mean square when the MAD is 0,
 * and 1 when that is 0 too).
 * @example
 * ```ts
 * import { MAD_TO_SIGMA, residualLocationScale } from './init-plus.ts';
 * const r = residualLocationScale([[0], [10]], { queries: [[1], [12], [3], [14], [100]], targets: [0, 1, 0, 1, 0] });
 * if (r.offset[0] !== 3 || r.sigma[0] !== MAD_TO_SIGMA) throw new Error('residualLocationScale'); // residuals 1, 2, 3, 4, 100
 * ```
 */
export function residualLocationScale(memories: readonly (readonly number[])[], pairs: Pairs): { offset: number[]; sigma: number[] } {
  return locationScale(residuals(checkPairs(memories, pairs)));
}

/** r_ni = x_ni − ξ_{t_n,i}, one row per dimension. */
function residuals({ xi, d, queries, targets }: ReturnType<typeof checkPairs>): number[][] {
  return Array.from({ length: d }, (_, i) =>
    queries.map((x, j) => {
      const r = x[i] - xi[targets[j]][i];
      if (!Number.isFinite(r)) throw new DomainError(`pairs.queries[${j}][${i}] − memories[${targets[j]}][${i}] overflows float64`);
      return r;
    }),
  );
}

/** Median and 1.4826 · MAD of each dimension's residuals (RMS when the MAD is 0, 1 when that is 0). */
function locationScale(res: readonly number[][]): { offset: number[]; sigma: number[] } {
  const offset = res.map(median);
  const sigma = res.map((r, i) => {
    const dev = r.map((v) => Math.abs(v - offset[i]));
    const mad = MAD_TO_SIGMA * median(dev);
    if (mad > 0) return mad;
    const rms = Math.sqrt(dev.reduce((a, v) => a + v * v, 0) / r.length);
    return rms > 0 ? rms : 1;
  });
  return { offset, sigma };
}

/** Σ_ni log((1 − ρ) N(r_ni; b_i, σ_i²) + ρ 1[low ≤ x_ni ≤ high]/(high − low)): the composed log-likelihood of the residuals. */
function rangeLogLikelihood(
  res: readonly (readonly number[])[],
  queries: readonly (readonly number[])[],
  offset: readonly number[],
  sigma: readonly number[],
  rho: number,
  low: number,
  high: number,
): number {
  const logOcc = Math.log(rho) - Math.log(high - low);
  let total = 0;
  res.forEach((r, i) => {
    const logKeep = Math.log1p(-rho) - Math.log(sigma[i]) - 0.5 * Math.log(2 * Math.PI);
    r.forEach((v, j) => {
      const z = (v - offset[i]) / sigma[i];
      const a = logKeep - 0.5 * z * z;
      const x = queries[j][i];
      total += x < low || x > high ? a : Math.max(a, logOcc) + Math.log1p(Math.exp(-Math.abs(a - logOcc)));
    });
  });
  return total;
}

/** How many of the outermost entries at each end are tried as the range's end. */
const RANGE_CANDIDATES = 48;

/**
 * [low, high] ⊆ [occLow, occHigh] maximising rangeLogLikelihood, each end chosen among the
 * RANGE_CANDIDATES outermost query entries inside the span (the other end held fixed): first
 * high = argmax_c L(occLow, c) over the largest candidates and occHigh, then
 * low = argmax_c L(c, high) over the smallest candidates and occLow (the first maximum wins).
 * Internal (exported for its tests): residuals and queries as in residualEmFits.
 * @example
 * ```ts
 * import { likeliestRange } from './init-plus.ts';
 * // Two residuals far from the Gaussian at 0 (x = 0.5 and 1) and four near it.
 * const x = [0, 0.01, -0.01, 0.02, 0.5, 1];
 * const [low, high] = likeliestRange([x], x.map((v) => [v]), [0], [0.01], 1 / 3, -0.01, 1);
 * if (low !== 0.5 || high !== 1) throw new Error('likeliestRange');
 * ```
 */
export function likeliestRange(
  res: readonly (readonly number[])[],
  queries: readonly (readonly number[])[],
  offset: readonly number[],
  sigma: readonly number[],
  rho: number,
  occLow: number,
  occHigh: number,
): [number, number] {
  const inside = [...new Set(queries.flatMap((x) => x.filter((v) => v >= occLow && v <= occHigh)))].sort((a, b) => a - b);
  const ll = (lo: number, hi: number) => (hi > lo ? rangeLogLikelihood(res, queries, offset, sigma, rho, lo, hi) : -Infinity);
  let [low, high] = [occLow, occHigh];
  let best = ll(low, high);
  for (const c of inside.slice(-RANGE_CANDIDATES)) {
    const v = ll(low, c);
    if (v > best) [high, best] = [c, v];
  }
  for (const c of inside.slice(0, RANGE_CANDIDATES)) {
    const v = ll(c, high);
    if (v > best) [low, best] = [c, v];
  }
  return [low, high];
}

/** One EM state: per-dimension location and scale, the shared occlusion rate and the occluders' range. */
export interface EmState {
  offset: number[];
  sigma: number[];
  rho: number;
  low: number;
  high: number;
}

const copy = (r: { offset: number[]; sigma: number[] }) => ({ offset: [...r.offset], sigma: [...r.sigma] });

/** The data EM works on: the residuals (one row per dimension), the queries, ρ's clip to [1/(M + 2), 1 − 1/(M + 2)] and σ's floor. */
export interface EmProblem {
  res: number[][];
  queries: readonly (readonly number[])[];
  clip: (v: number) => number;
  minSigma: number;
}

/**
 * One EM step for the composed likelihood (module comment, step 2): with
 * γ_ni = (1 − ρ)N(r_ni; b_i, σ_i²) / ((1 − ρ)N + ρ/(high − low)) for x_ni in [low, high] and 1 outside,
 * b_i ← Σ_n γ r / Σ_n γ, σ_i ← max(σ_min, √(Σ_n γ (r − b_i)² / Σ_n γ)) (a dimension with Σ_n γ = 0 keeps
 * both), ρ ← clip(1 − Σ γ / M), and [low, high] ← likeliestRange over the span of the entries with γ < ½
 * when they span more than one value. Internal (exported for its tests).
 * @example
 * ```ts
 * import { emStep } from './init-plus.ts';
 * const clip = (v: number) => Math.min(0.8, Math.max(0.2, v));
 * const s = emStep({ res: [[-1, 1]], queries: [[5], [6]], clip, minSigma: 0 }, { offset: [0], sigma: [1], rho: 0.5, low: 0, high: 1 });
 * if (s.offset[0] !== 0 || s.sigma[0] !== 1 || s.rho !== 0.2) throw new Error('emStep'); // both queries outside [low, high]: kept
 * ```
 */
export function emStep(em: EmProblem, state: EmState): EmState {
  const { res, queries, clip, minSigma } = em;
  const { offset, sigma } = copy(state);
  let { rho, low, high } = state;
  const m = res.length * res[0].length;
  let kept = 0;
  let occLow = Infinity;
  let occHigh = -Infinity;
  const logOcc = Math.log(rho) - Math.log(high - low);
  res.forEach((r, i) => {
    const logKeep = Math.log1p(-rho) - Math.log(sigma[i]) - 0.5 * Math.log(2 * Math.PI);
    const gamma = r.map((v, j) => {
      const x = queries[j][i];
      if (x < low || x > high) return 1;
      const z = (v - offset[i]) / sigma[i];
      const g = 1 / (1 + Math.exp(logOcc - (logKeep - 0.5 * z * z)));
      if (g < 0.5) [occLow, occHigh] = [Math.min(occLow, x), Math.max(occHigh, x)];
      return g;
    });
    const total = gamma.reduce((a, g) => a + g, 0);
    kept += total;
    if (!(total > 0)) return;
    offset[i] = gamma.reduce((a, g, j) => a + g * r[j], 0) / total;
    sigma[i] = Math.max(minSigma, Math.sqrt(gamma.reduce((a, g, j) => a + g * (r[j] - offset[i]) ** 2, 0) / total));
  });
  rho = clip(1 - kept / m);
  // The occluders' range: the span of the entries more likely occluded than kept, then each end
  // moved to the candidate that maximises the likelihood. Kept values in the Gaussian's tail can
  // look occluded and stretch the span; the likelihood pays log(high − low) for every occluder to
  // keep such an end, so it pulls the ends back to where the occluders stop.
  if (occHigh > occLow) [low, high] = likeliestRange(res, queries, offset, sigma, rho, occLow, occHigh);
  return { offset, sigma, rho, low, high };
}

/** One EM fit of the composed likelihood to the training residuals, and the start it came from. */
export interface ResidualFit extends EmState {
  start: 'robust' | 'memory-range';
  /** The composed log-likelihood of the training residuals at this fit. */
  logLikelihood: number;
}

/**
 * The two EM starts of residualEmFits (module comment, step 2) and the problem EM works on:
 * 'robust' = median/MAD b and σ, ρ = clip((share of |r − b| > 3σ − P(|z| > 3)) / (1 − P(|z| > 3))),
 * [low, high] = the span of the query entries (widened to ±½ around a single value);
 * 'memory-range' = the same b and σ, ρ = ½, [low, high] = the span of the memories' entries (absent
 * when every memory entry is equal). ρ is clipped to [1/(M + 2), 1 − 1/(M + 2)], M = n·d; σ's floor is
 * 10⁻⁶(high − low) of the queries' span. Internal (exported for its tests).
 * @example
 * ```ts
 * import { residualEmStarts } from './init-plus.ts';
 * const { starts } = residualEmStarts([[0], [1]], { queries: [[0.1], [0.9], [3]], targets: [0, 1, 0] });
 * if (starts.length !== 2 || starts[1]!.state.rho !== 0.5 || starts[0]!.state.high !== 3) throw new Error('residualEmStarts');
 * ```
 */
export function residualEmStarts(memories: readonly (readonly number[])[], pairs: Pairs): { problem: EmProblem; starts: { start: ResidualFit['start']; state: EmState }[] } {
  const checked = checkPairs(memories, pairs);
  const { xi, d, queries } = checked;
  const n = queries.length;
  const res = residuals(checked);
  const robust = locationScale(res);
  let low = Infinity;
  let high = -Infinity;
  for (const x of queries) for (const v of x) [low, high] = [Math.min(low, v), Math.max(high, v)];
  if (!(high > low)) [low, high] = [low - 0.5, high + 0.5];
  if (!Number.isFinite(high - low)) throw new DomainError('the query entries span more than float64 can hold (high − low overflows)');
  const m = n * d;
  let outliers = 0;
  res.forEach((r, i) => r.forEach((v) => (outliers += Math.abs(v - robust.offset[i]) > 3 * robust.sigma[i] ? 1 : 0)));
  const floor = 1 / (m + 2);
  const clip = (v: number) => Math.min(1 - floor, Math.max(floor, v));
  const starts: { start: ResidualFit['start']; state: EmState }[] = [
    { start: 'robust', state: { ...copy(robust), rho: clip((outliers / m - GAUSSIAN_TAIL_3) / (1 - GAUSSIAN_TAIL_3)), low, high } },
  ];
  let memLow = Infinity;
  let memHigh = -Infinity;
  for (const row of xi) for (const v of row) [memLow, memHigh] = [Math.min(memLow, v), Math.max(memHigh, v)];
  if (memHigh > memLow) starts.push({ start: 'memory-range', state: { ...copy(robust), rho: 0.5, low: memLow, high: memHigh } });
  return { problem: { res, queries, clip, minSigma: 1e-6 * (high - low) }, starts };
}

/**
 * The EM fits behind initAhopPlusFromResiduals, one per start of residualEmStarts: EM_STEPS steps of
 * emStep each. Each carries Σ_ni log((1 − ρ) N(r_ni; b_i, σ_i²) + ρ 1[low ≤ x_ni ≤ high]/(high − low))
 * at its end. Residuals too large for float64's squares (a non-finite fit) are refused.
 * @example
 * ```ts
 * import { residualEmFits } from 'ahop';
 * const fits = residualEmFits([[0, 0], [1, 1]], { queries: [[0.1, 0.9], [1, 1.1], [0.6, 0]], targets: [0, 1, 0] });
 * if (fits.length !== 2 || fits[0]!.start !== 'robust' || !fits.every((f) => Number.isFinite(f.logLikelihood))) throw new Error('residualEmFits');
 * ```
 */
export function residualEmFits(memories: readonly (readonly number[])[], pairs: Pairs): ResidualFit[] {
  const { problem, starts } = residualEmStarts(memories, pairs);
  return starts.map(({ start, state }) => {
    let f = state;
    for (let step = 0; step < EM_STEPS; step++) f = emStep(problem, f);
    const logLikelihood = rangeLogLikelihood(problem.res, problem.queries, f.offset, f.sigma, f.rho, f.low, f.high);
    if (![...f.offset, ...f.sigma, logLikelihood].every(Number.isFinite)) {
      throw new DomainError(`pairs: the training residuals are too large for float64 (the ${start} EM fit does not stay finite)`);
    }
    return { start, ...f, logLikelihood };
  });
}

/**
 * A-Hop+ params from the training pairs: the robust start (residualLocationScale), refined by EM
 * for the composed likelihood, as the plug-in composed Bayes rule (equations in the module comment):
 * offset_i = b_i, logScale_i = log σ_i, λ_i = ρ √(2π) σ_i / ((1 − ρ)(high − low)).
 * @example
 * ```ts
 * import { initAhopPlusFromResiduals } from 'ahop';
 * const p = initAhopPlusFromResiduals([[0, 0], [5, 5]], { queries: [[1, 2], [6, 7], [1, 2.5]], targets: [0, 1, 0] });
 * if (Math.abs(p.offset[0]! - 1) > 1e-12 || p.wDis[1]! !== 1 || p.betaDot !== 0 || !(p.linkWeight[0]! > 0)) throw new Error('initAhopPlusFromResiduals');
 * ```
 */
export function initAhopPlusFromResiduals(memories: readonly (readonly number[])[], pairs: Pairs): AhopPlusParams {
  // The first of the most likely fits (ties keep the robust start).
  return plugInParams(residualEmFits(memories, pairs).reduce((a, f) => (f.logLikelihood > a.logLikelihood ? f : a)));
}

/**
 * The plug-in composed Bayes rule of one fit (module comment, step 3): offset_i = b_i,
 * logScale_i = log σ_i, λ_i = ρ √(2π) σ_i / ((1 − ρ)(high − low)), gate [low, high] with
 * τ = (high − low)/100, w_dis = w_dot = e_d, β_dis = 1, β_dot = 0.
 * @example
 * ```ts
 * import { plugInParams } from './init-plus.ts';
 * const p = plugInParams({ offset: [0.5], sigma: [2], rho: 0.5, low: 0, high: 1 });
 * if (p.logScale[0] !== Math.log(2) || Math.abs(p.linkWeight[0]! - Math.sqrt(2 * Math.PI) * 2) > 1e-12) throw new Error('plugInParams');
 * ```
 */
export function plugInParams(fit: EmState): AhopPlusParams {
  const { offset, sigma, rho, low, high } = fit;
  const d = offset.length;
  const unit = () => Array.from({ length: d }, (_, j) => (j === d - 1 ? 1 : 0));
  return {
    offset,
    logScale: sigma.map(Math.log),
    linkWeight: sigma.map((s) => (rho * Math.sqrt(2 * Math.PI) * s) / ((1 - rho) * (high - low))),
    gateLow: low,
    gateHigh: high,
    gateWidth: (high - low) / 100,
    wDis: unit(),
    wDot: unit(),
    betaDis: 1,
    betaDot: 0,
  };
}
