/**
 * A-Hop+: a learned per-dimension transform of the distance base, then A-Hop's sorted footprint.
 *
 * Per dimension i, for memory ξ and query x:
 *   r_i = x_i − ξ_i − b_i                                   (offset b)
 *   u_i = −r_i² e^{−2ℓ_i} / 2                               (log-scale ℓ)
 *   log G(x_i) = log σ((x_i − low)/τ) + log σ((high − x_i)/τ)   (gate: τ > 0 smooth; τ = 0 the
 *                                                            hard indicator 1[low ≤ x_i ≤ high])
 *   g_i = log(e^{u_i} + λ_i G(x_i)) = logaddexp(u_i, log λ_i + log G(x_i))   (link weight λ_i ≥ 0)
 * and the score is A-Hop's, with g in place of the distance base q_dis:
 *   s(ξ, x) = β_dis w_disᵀ U sort↓(g) + β_dot w_dotᵀ U sort↓(ξ ⊙ x).
 *
 * The link is monotone in u (∂g/∂u = e^{u−g} ∈ (0, 1]) and saturates at log(λ_i G) for a value
 * that fits badly: such a dimension stops counting. The gate knows the occluder range, because a
 * value outside it cannot be an occluder (the uniform term vanishes there and g = u).
 *
 * Two memberships define the family (docs/ahop-plus.md, docs/theory.md claim 11):
 * - A-Hop is the identity transform b = 0, ℓ = 0, λ = 0 with β_dis doubled (g = q_dis/2):
 *   `identityAhopPlusParams`, equal scores bit for bit away from under/overflow.
 * - The Bayes log-likelihood of every separable variant (noisy, masked, biased, composed) is
 *   Σ_i g_i + const(x) with b = bias, ℓ = log σ_i, λ_i = ρ√(2π)σ_i / ((1 − ρ)(high − low)), the hard
 *   gate on the variant's range, w_dis = e_d (the plain sum), β_dis = 1, β_dot = 0:
 *   `bayesAhopPlusParams`.
 *
 * The dot base stays A-Hop's (ξ ⊙ x, untransformed): it is what makes A-Hop a special case. For the
 * separable families the transform alone is exact (β_dot = 0); whether the dot base still helps a
 * trained A-Hop+ is an ablation, not an assumption.
 */
import { DomainError, ParseError, ShapeError } from '../errors.ts';
import { logAddExp } from '../numeric/logsumexp.ts';
import { checkFinite, checkMatrix, checkVector } from '../validate.ts';
import { variantFromSpec } from '../variants/spec.ts';
import type { Variant, VariantSpec } from '../variants/variant.ts';
import { checkParams, componentSimilarity, type AhopParams } from './adaptive.ts';
import { FULL_FOOTPRINT, weightedFootprint, type FootprintOptions } from './footprint.ts';

export interface AhopPlusParams {
  /** b_i: the per-dimension offset subtracted from the residual x_i − ξ_i. */
  offset: number[];
  /** ℓ_i: the per-dimension log-scale; u_i = −r_i² e^{−2ℓ_i}/2. */
  logScale: number[];
  /** λ_i ≥ 0: the weight of the saturating term; λ = 0 switches the link off (g = u). */
  linkWeight: number[];
  /** The gate's range [low, high] (low < high) and edge width τ ≥ 0 (0: the hard indicator). */
  gateLow: number;
  gateHigh: number;
  gateWidth: number;
  wDis: number[];
  wDot: number[];
  betaDis: number;
  betaDot: number;
}

/**
 * Checks that A-Hop+ params are finite, sized for dimension d (when given), with λ ≥ 0, τ ≥ 0 and
 * low < high, and every vector of length d (|offset| = |logScale| = |λ| = |w_dis| = |w_dot| = d);
 * every message names the bad field.
 * @example
 * ```ts
 * import { checkAhopPlusParams, identityAhopPlusParams } from 'ahop';
 * const p = checkAhopPlusParams(identityAhopPlusParams({ wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 }), 2);
 * if (p.betaDis !== 2 || p.linkWeight.length !== 2) throw new Error('checkAhopPlusParams');
 * ```
 */
export function checkAhopPlusParams(params: unknown, d?: number, name = 'params'): AhopPlusParams {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new ParseError(`${name} must be an object`);
  const p = params as Record<string, unknown>;
  const a = checkParams({ wDis: p.wDis, wDot: p.wDot, betaDis: p.betaDis, betaDot: p.betaDot }, d, name);
  const dim = a.wDis.length;
  const offset = checkVector(`${name}.offset`, p.offset, dim);
  const logScale = checkVector(`${name}.logScale`, p.logScale, dim);
  const linkWeight = checkVector(`${name}.linkWeight`, p.linkWeight, dim);
  linkWeight.forEach((v, i) => {
    if (!(v >= 0)) throw new DomainError(`${name}.linkWeight[${i}] must be >= 0, got ${v}`);
  });
  const gateLow = checkFinite(`${name}.gateLow`, p.gateLow);
  const gateHigh = checkFinite(`${name}.gateHigh`, p.gateHigh);
  if (!(gateLow < gateHigh)) throw new DomainError(`${name}.gateLow must be < ${name}.gateHigh, got ${gateLow} and ${gateHigh}`);
  const gateWidth = checkFinite(`${name}.gateWidth`, p.gateWidth);
  if (!(gateWidth >= 0)) throw new DomainError(`${name}.gateWidth must be >= 0, got ${gateWidth}`);
  return { offset, logScale, linkWeight, gateLow, gateHigh, gateWidth, ...a };
}

/**
 * log σ(z) = −log(1 + e^{−z}), without overflow for large |z|.
 * @example
 * ```ts
 * import { logSigmoid } from './adaptive-plus.ts';
 * if (Math.abs(logSigmoid(0) + Math.LN2) > 1e-16 || logSigmoid(-800) !== -800) throw new Error('logSigmoid');
 * ```
 */
export function logSigmoid(z: number): number {
  return z < 0 ? z - Math.log1p(Math.exp(z)) : -Math.log1p(Math.exp(-z));
}

/**
 * log G(v) = log σ((v − low)/τ) + log σ((high − v)/τ) for τ > 0, and log 1[low ≤ v ≤ high] (0 or
 * −Infinity) for τ = 0.
 * @example
 * ```ts
 * import { logGate } from './adaptive-plus.ts';
 * if (logGate(0.5, 0, 1, 0) !== 0 || logGate(2, 0, 1, 0) !== -Infinity) throw new Error('logGate');
 * ```
 */
export function logGate(v: number, low: number, high: number, width: number): number {
  if (width === 0) return v >= low && v <= high ? 0 : -Infinity;
  return logSigmoid((v - low) / width) + logSigmoid((high - v) / width);
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * The gate's share of a gradient: given ḡ_i = ∂L/∂log G(x_i), adds
 * Σ_i ḡ_i ∂log G(x_i)/∂(low, high, τ) to acc = [∂L/∂low, ∂L/∂high, ∂L/∂τ]. For τ > 0, with
 * z₁ = (x_i − low)/τ, z₂ = (high − x_i)/τ, a = σ(−z): ∂log G/∂low = −a₁/τ, ∂log G/∂high = a₂/τ,
 * ∂log G/∂τ = −(z₁a₁ + z₂a₂)/τ. A hard gate (τ = 0) adds nothing (its ends get no gradient).
 * @example
 * ```ts
 * import { addGateGradient, logGate } from './adaptive-plus.ts';
 * const acc = [0, 0, 0];
 * addGateGradient([0.3], [1], 0, 1, 0.2, acc);
 * const h = 1e-6;
 * const dLow = (logGate(0.3, h, 1, 0.2) - logGate(0.3, -h, 1, 0.2)) / (2 * h);
 * if (Math.abs(acc[0]! - dLow) > 1e-8) throw new Error('∂log G/∂low');
 * ```
 */
export function addGateGradient(
  x: ArrayLike<number>,
  gLogGate: ArrayLike<number>,
  low: number,
  high: number,
  width: number,
  acc: number[] | Float64Array,
): void {
  if (!(width > 0)) return;
  for (let i = 0; i < x.length; i++) {
    if (gLogGate[i] === 0) continue;
    const z1 = (x[i] - low) / width;
    const z2 = (high - x[i]) / width;
    const a1 = sigmoid(-z1);
    const a2 = sigmoid(-z2);
    acc[0] += gLogGate[i] * (-a1 / width);
    acc[1] += gLogGate[i] * (a2 / width);
    acc[2] += gLogGate[i] * (-(z1 * a1 + z2 * a2) / width);
  }
}

/**
 * u = −(v − m − b)² e^{−2ℓ}/2 given scale2 = e^{−2ℓ}: the scaled residual of one dimension.
 * @example
 * ```ts
 * import { scaledResidual } from './adaptive-plus.ts';
 * if (scaledResidual(3, 1, 0, 1) !== -2) throw new Error('scaledResidual');
 * ```
 */
export function scaledResidual(v: number, m: number, b: number, scale2: number): number {
  const r = v - m - b;
  return (-(r * r) * scale2) / 2;
}

/**
 * The link g = logaddexp(u, a) with a = log λ + log G(v) (a = −Infinity: g = u).
 * @example
 * ```ts
 * import { plusLink } from './adaptive-plus.ts';
 * if (plusLink(-1, -Infinity) !== -1 || Math.abs(plusLink(0, 0) - Math.LN2) > 1e-16) throw new Error('plusLink');
 * ```
 */
export function plusLink(u: number, a: number): number {
  return a === -Infinity ? u : logAddExp(u, a);
}

/**
 * a_i = log λ_i + log G(x_i), the saturation level of each dimension for query x (it does not
 * depend on the memory, so it is computed once per query).
 * @example
 * ```ts
 * import { identityAhopPlusParams, saturationLevels } from './adaptive-plus.ts';
 * const a = saturationLevels([0.5, 5], { ...identityAhopPlusParams({ wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 }), linkWeight: [1, 1], gateLow: 0, gateHigh: 1 });
 * if (a[0] !== 0 || a[1] !== -Infinity) throw new Error('saturationLevels');
 * ```
 */
export function saturationLevels(x: readonly number[], params: AhopPlusParams): number[] {
  return x.map((v, i) => {
    const lam = params.linkWeight[i];
    if (lam === 0) return -Infinity;
    return Math.log(lam) + logGate(v, params.gateLow, params.gateHigh, params.gateWidth);
  });
}

/**
 * The transformed per-dimension similarities g(ξ, x) = (g_1, …, g_d) that replace q_dis:
 * g_i = logaddexp(−(x_i − ξ_i − b_i)² e^{−2ℓ_i}/2, log λ_i + log G(x_i)).
 * @example
 * ```ts
 * import { identityAhopPlusParams, transformedSimilarities } from './adaptive-plus.ts';
 * const id = identityAhopPlusParams({ wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 });
 * const g = transformedSimilarities([1, 0], [0, 2], id);
 * if (g[0] !== -0.5 || g[1] !== -2) throw new Error('transformedSimilarities');
 * ```
 */
export function transformedSimilarities(
  xi: readonly number[],
  x: readonly number[],
  params: AhopPlusParams,
  levels: readonly number[] = saturationLevels(x, params),
): number[] {
  return xi.map((m, i) => plusLink(scaledResidual(x[i], m, params.offset[i], Math.exp(-2 * params.logScale[i])), levels[i]));
}

/**
 * s(ξ, x) = β_dis w_disᵀ U sort↓(g(ξ, x)) + β_dot w_dotᵀ U sort↓(ξ ⊙ x) (footprint ablations as in A-Hop).
 * @example
 * ```ts
 * import { ahopPlusSimilarity, identityAhopPlusParams } from 'ahop';
 * const id = identityAhopPlusParams({ wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 });
 * if (ahopPlusSimilarity([1, 0], [0, 2], id) !== -5) throw new Error('ahopPlusSimilarity'); // −‖ξ − x‖²
 * ```
 */
export function ahopPlusSimilarity(
  xi: readonly number[],
  x: readonly number[],
  params: AhopPlusParams,
  options: FootprintOptions = FULL_FOOTPRINT,
  levels: readonly number[] = saturationLevels(x, params),
): number {
  return (
    params.betaDis * weightedFootprint(transformedSimilarities(xi, x, params, levels), params.wDis, options) +
    params.betaDot * componentSimilarity('dot', xi, x, params.wDot, options)
  );
}

/**
 * s(Ξ, x) = (s(ξ_1, x), …, s(ξ_N, x)) for A-Hop+. Checks its inputs (shapes, finite values, params).
 * @example
 * ```ts
 * import { ahopPlusScores, identityAhopPlusParams } from 'ahop';
 * const id = identityAhopPlusParams({ wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 });
 * const s = ahopPlusScores([[0], [3]], [1], id);
 * if (s[0] !== -1 || s[1] !== -4) throw new Error('ahopPlusScores');
 * ```
 */
export function ahopPlusScores(
  memories: readonly (readonly number[])[],
  x: readonly number[],
  params: AhopPlusParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): number[] {
  const xi = checkMatrix('memories', memories);
  const q = checkVector('query', x);
  if (q.length !== xi[0].length) throw new ShapeError(`query has length ${q.length} but memories have d = ${xi[0].length}`);
  const p = checkAhopPlusParams(params, q.length);
  const levels = saturationLevels(q, p);
  const s = xi.map((m) => ahopPlusSimilarity(m, q, p, options, levels));
  const k = s.findIndex((v) => !Number.isFinite(v));
  if (k >= 0) throw new DomainError(`s(ξ_${k}, x) = ${s[k]}: the memories, query or params are too large for float64 scores`);
  return s;
}

/**
 * A-Hop as A-Hop+: b = 0, ℓ = 0, λ = 0 (g = −(x − ξ)²/2 = q_dis/2), β_dis doubled, everything else
 * A-Hop's. Then s_A-Hop+ = s_A-Hop exactly (halving and doubling are exact in float64).
 * @example
 * ```ts
 * import { identityAhopPlusParams } from 'ahop';
 * const p = identityAhopPlusParams({ wDis: [0, 1], wDot: [1, 0], betaDis: 0.5, betaDot: 2 });
 * if (p.betaDis !== 1 || p.linkWeight.some((v) => v !== 0) || p.betaDot !== 2) throw new Error('identityAhopPlusParams');
 * ```
 */
export function identityAhopPlusParams(ahop: AhopParams): AhopPlusParams {
  const a = checkParams(ahop, undefined, 'ahop');
  const d = a.wDis.length;
  return {
    offset: new Array<number>(d).fill(0),
    logScale: new Array<number>(d).fill(0),
    linkWeight: new Array<number>(d).fill(0),
    gateLow: -1,
    gateHigh: 1,
    gateWidth: 0,
    wDis: a.wDis,
    wDot: a.wDot,
    betaDis: 2 * a.betaDis,
    betaDot: a.betaDot,
  };
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * Closed-form A-Hop+ parameters whose scores are the Bayes log-likelihood up to a constant in x,
 * for the separable families: with σ_i, bias b_i (0 when absent), occlusion ρ (0 when absent) on
 * [low, high],
 *   log p(x | ξ) = Σ_i [log((1 − ρ)/(√(2π) σ_i)) + g_i],  g_i = logaddexp(u_i, log λ_i + log 1[low ≤ x_i ≤ high]),
 *   u_i = −(x_i − ξ_i − b_i)²/(2σ_i²),  λ_i = ρ √(2π) σ_i / ((1 − ρ)(high − low)),
 * so b = bias, ℓ = log σ_i, the hard gate (τ = 0) on [low, high], w_dis = e_d, β_dis = 1, β_dot = 0.
 * The mixed family is not separable (docs/theory.md claim 11) and is refused.
 * @example
 * ```ts
 * import { bayesAhopPlusParams } from 'ahop';
 * const p = bayesAhopPlusParams({ type: 'biased', bias: [1, -1], sigma: 2 }, 2);
 * if (p.offset[0] !== 1 || p.logScale[1] !== Math.log(2) || p.wDis[1] !== 1 || p.linkWeight[0] !== 0) throw new Error('bayesAhopPlusParams');
 * ```
 */
export function bayesAhopPlusParams(variant: VariantSpec | Variant, d: number): AhopPlusParams {
  if (!Number.isInteger(d) || d <= 0) throw new DomainError(`d must be a positive integer, got ${d}`);
  const given = variant as Partial<Variant>;
  const spec = variantFromSpec(typeof given.logLikelihood === 'function' ? given.spec : variant).spec;
  const fill = (v: number) => new Array<number>(d).fill(v);
  // σ and bias are a number (every dimension) or a length-d vector (docs/conformance.md, Variants).
  const sized = (field: string, v: number | readonly number[]) => {
    if (typeof v === 'number') return fill(v);
    if (v.length !== d) throw new ShapeError(`variant.${field} has length ${v.length} but d = ${d}`);
    return [...v];
  };
  let offset = fill(0);
  let sigma: number[];
  let rho = 0;
  let low = -1;
  let high = 1;
  switch (spec.type) {
    case 'noisy':
      sigma = sized('sigma', spec.sigma);
      break;
    case 'masked':
      sigma = sized('sigma', spec.sigma);
      ({ rho, low, high } = spec);
      break;
    case 'biased':
      sigma = sized('sigma', spec.sigma);
      offset = sized('bias', spec.bias);
      break;
    case 'composed':
      sigma = sized('sigma', spec.sigma);
      offset = sized('bias', spec.bias);
      ({ rho, low, high } = spec);
      break;
    case 'mixed':
      throw new DomainError('variant.type "mixed" is not separable: no A-Hop+ parameters give its Bayes log-likelihood (docs/theory.md claim 11)');
  }
  const w = fill(0);
  w[d - 1] = 1;
  return {
    offset,
    logScale: sigma.map(Math.log),
    linkWeight: sigma.map((s) => (rho === 0 ? 0 : (rho * SQRT_2PI * s) / ((1 - rho) * (high - low)))),
    gateLow: low,
    gateHigh: high,
    gateWidth: 0,
    wDis: w,
    wDot: fill(0),
    betaDis: 1,
    betaDot: 0,
  };
}
