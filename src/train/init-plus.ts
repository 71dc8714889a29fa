/**
 * A fair A-Hop+ starting point from the training pairs alone (no variant parameters, no test data):
 * the plug-in composed-variant Bayes rule with robustly estimated parameters.
 *
 * With residuals r_ni = x_ni − ξ_{t_n, i} of the training pairs:
 *   b_i = median_n r_ni                                  (location; occluders are outliers)
 *   σ_i = 1.4826 · median_n |r_ni − b_i|   (MAD; 1.4826 makes it σ for Gaussian residuals;
 *         when the MAD is 0, the root mean square of r_ni − b_i, and 1 if that is 0 too), ℓ_i = log σ_i
 *   [low, high] = [min, max] of every query entry (the range occluders can take), τ = (high − low)/100
 *   ρ = share of |r_ni − b_i| > 3σ_i beyond the Gaussian tail P(|z| > 3) = 0.0027, clipped to
 *       [1/(M + 2), 1 − 1/(M + 2)] with M = n·d, so the link starts on and can be trained (θ holds log λ)
 *   λ_i = ρ √(2π) σ_i / ((1 − ρ)(high − low))
 *   w_dis = w_dot = e_d, β_dis = 1, β_dot = 0.
 * Then s = Σ_i g_i is the composed log-likelihood at the estimated (b, σ, ρ, range), up to a constant.
 */
import { DomainError, ShapeError } from '../errors.ts';
import type { AhopPlusParams } from '../similarity/adaptive-plus.ts';
import { checkIndex, checkMatrix } from '../validate.ts';
import type { Pairs } from './pairs.ts';

/** 1/Φ⁻¹(3/4): the MAD of a standard normal is 1/1.4826. */
export const MAD_TO_SIGMA = 1.482602218505602;
const GAUSSIAN_TAIL_3 = 0.0026997960632601965;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Robust per-dimension location (median of x − ξ_t) and scale (MAD) of the training residuals,
 * with the occlusion share and range as in the module comment, as A-Hop+ params.
 * @example
 * const p = initAhopPlusFromResiduals([[0, 0], [5, 5]], { queries: [[1, 2], [6, 7], [1, 9]], targets: [0, 1, 0] });
 * if (p.offset[0] !== 1 || p.offset[1] !== 2 || p.wDis[1] !== 1 || p.betaDot !== 0) throw new Error('initAhopPlusFromResiduals');
 */
export function initAhopPlusFromResiduals(memories: readonly (readonly number[])[], pairs: Pairs): AhopPlusParams {
  const xi = checkMatrix('memories', memories);
  const d = xi[0].length;
  if (typeof pairs !== 'object' || pairs === null) throw new ShapeError('pairs must be an object { queries, targets }');
  const queries = checkMatrix('pairs.queries', pairs.queries, d);
  if (!Array.isArray(pairs.targets) || pairs.targets.length !== queries.length) {
    throw new ShapeError(`pairs.targets must be an array of length ${queries.length}`);
  }
  const targets = pairs.targets.map((t, j) => checkIndex(`pairs.targets[${j}]`, t, xi.length));
  const n = queries.length;
  const res = Array.from({ length: d }, (_, i) => queries.map((x, j) => x[i] - xi[targets[j]][i]));
  const offset = res.map(median);
  const sigma = res.map((r, i) => {
    const dev = r.map((v) => Math.abs(v - offset[i]));
    const mad = MAD_TO_SIGMA * median(dev);
    if (mad > 0) return mad;
    const rms = Math.sqrt(dev.reduce((a, v) => a + v * v, 0) / n);
    return rms > 0 ? rms : 1;
  });
  let low = Infinity;
  let high = -Infinity;
  for (const x of queries) for (const v of x) [low, high] = [Math.min(low, v), Math.max(high, v)];
  if (!(high > low)) [low, high] = [low - 0.5, high + 0.5];
  if (!Number.isFinite(high - low)) throw new DomainError('the query entries span more than float64 can hold (high − low overflows)');
  const m = n * d;
  let outliers = 0;
  res.forEach((r, i) => r.forEach((v) => (outliers += Math.abs(v - offset[i]) > 3 * sigma[i] ? 1 : 0)));
  const floor = 1 / (m + 2);
  const rho = Math.min(1 - floor, Math.max(floor, (outliers / m - GAUSSIAN_TAIL_3) / (1 - GAUSSIAN_TAIL_3)));
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
