/**
 * The `ahop_plus` case kind (docs/conformance.md, "Further kinds"): A-Hop+ retrieval
 *   g_i = logaddexp(−(x_i − ξ_i − b_i)² e^{−2ℓ_i}/2, log λ_i + log G(x_i)),
 *   s⁺(ξ, x) = β_dis w_disᵀ U sort↓(g) + β_dot w_dotᵀ U sort↓(ξ ⊙ x),
 *   p = softmax(s⁺), y = Σ_k p_k ξ_k, E = −lse(s⁺),
 * computed by the float64 reference (hopfield/ahop-plus.ts) and a second time in 64-digit decimal
 * arithmetic (ahopPlusExact), which shares no code with it beyond the 64-digit softmax and lse.
 */
import { ParseError } from '../errors.ts';
import { retrievePlus } from '../hopfield/ahop-plus.ts';
import { big, one, sum, zero, type Big } from '../numeric/bignum.ts';
import type { Rng } from '../random/rng.ts';
import { checkAhopPlusParams, type AhopPlusParams } from '../similarity/adaptive-plus.ts';
import { checkMatrix, checkVector } from '../validate.ts';
import { footprintExact, logSoftmaxExact, lseExact } from './exact.ts';
import type { Out } from './format.ts';
import type { CaseKind, Flavor } from './kinds.ts';

const nums = (v: readonly Big[]): number[] => v.map((x) => x.toNumber());

/** G(v) in 64 digits: 1[low ≤ v ≤ high] for τ = 0, else σ((v − low)/τ) σ((high − v)/τ). */
function gateExact(v: number, p: AhopPlusParams): Big {
  if (p.gateWidth === 0) return v >= p.gateLow && v <= p.gateHigh ? one() : zero();
  const t = big(p.gateWidth);
  const sig = (z: Big) => one().div(one().plus(z.neg().exp()));
  return sig(big(v).minus(big(p.gateLow)).div(t)).times(sig(big(p.gateHigh).minus(big(v)).div(t)));
}

/** s⁺(ξ_k, x) for every memory in 64 digits. */
export function ahopPlusScoresExact(memories: readonly number[][], x: readonly number[], p: AhopPlusParams): Big[] {
  const sat = x.map((v, i) => big(p.linkWeight[i]).times(gateExact(v, p)));
  const weighted = (sorted: Big[], w: readonly number[]) => {
    let acc = zero();
    return sum(sorted.map((v, j) => (acc = acc.plus(v)).times(big(w[j]))));
  };
  return memories.map((m) => {
    const g = x.map((v, i) => {
      const r = big(v).minus(big(m[i])).minus(big(p.offset[i]));
      const u = r.pow(2).times(big(p.logScale[i]).times(-2).exp()).div(2).neg();
      return sat[i].isZero() ? u : u.exp().plus(sat[i]).ln();
    });
    const sDis = weighted(g.sort((a, b) => b.cmp(a)), p.wDis);
    const dot = footprintExact('dot', m, x);
    const sDot = sum(dot.map((f, j) => f.times(big(p.wDot[j]))));
    return big(p.betaDis).times(sDis).plus(big(p.betaDot).times(sDot));
  });
}

/** A-Hop+ retrieval in 64 digits. */
export function ahopPlusExact(memories: readonly number[][], x: readonly number[], p: AhopPlusParams) {
  const s = ahopPlusScoresExact(memories, x, p);
  const probs = logSoftmaxExact(s).map((v) => v.exp());
  const retrieved = x.map((_, i) => sum(memories.map((m, k) => probs[k].times(big(m[i])))));
  return { scores: s, probs, retrieved, energy: lseExact(s).neg() };
}

type PlusProblem = { memories: number[][]; query: number[]; params: AhopPlusParams };

function field(c: Readonly<Record<string, unknown>>, key: string): unknown {
  if (!(key in c)) throw new ParseError(`missing input "${key}"`);
  return c[key];
}

/** params_plus in the contract's snake_case → AhopPlusParams, checked (errors name params_plus.<field>). */
export function readPlusParams(c: Readonly<Record<string, unknown>>, d: number): AhopPlusParams {
  const p = field(c, 'params_plus');
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new ParseError('"params_plus" must be an object');
  const r = p as Record<string, unknown>;
  const keys = ['offset', 'log_scale', 'link_weight', 'gate_low', 'gate_high', 'gate_width', 'w_dis', 'w_dot', 'beta_dis', 'beta_dot'];
  for (const k of keys) if (!(k in r)) throw new ParseError(`params_plus is missing the field "${k}"`);
  const extra = Object.keys(r).filter((k) => !keys.includes(k));
  if (extra.length > 0) throw new ParseError(`params_plus has unknown field(s) ${extra.join(', ')}`);
  return checkAhopPlusParams(
    {
      offset: r.offset,
      logScale: r.log_scale,
      linkWeight: r.link_weight,
      gateLow: r.gate_low,
      gateHigh: r.gate_high,
      gateWidth: r.gate_width,
      wDis: r.w_dis,
      wDot: r.w_dot,
      betaDis: r.beta_dis,
      betaDot: r.beta_dot,
    },
    d,
    'params_plus',
  );
}

const TIE_VALUES = [-1, -0.5, 0, 0.5, 1];

function value(rng: Rng, flavor: Flavor, scale: number): number {
  if (flavor === 'ties') return TIE_VALUES[rng.int(TIE_VALUES.length)];
  if (flavor === 'zeros' && rng.uniform() < 0.5) return 0;
  return scale * (2 * rng.uniform() - 1);
}

/**
 * Well-conditioned parameters: ℓ near log(scale) so u stays O(1) at every input scale; λ zero
 * (link off) or e^{U[−3, 1]}; a hard gate or a width ≥ scale·e^{−4}; a gate range that covers part
 * of the inputs' range [−scale, scale]; and the footprint weights scaled so that |s⁺| stays O(10)
 * (the softmax then has several non-negligible entries, and p and y are well-conditioned).
 */
function drawPlusParams(rng: Rng, flavor: Flavor, d: number, scale: number) {
  const vec = (f: () => number) => Array.from({ length: d }, f);
  const zeroed = (f: () => number) => () => (flavor === 'zeros' && rng.uniform() < 0.5 ? 0 : f());
  const gateLow = scale * (-1.5 + rng.uniform());
  return {
    offset: vec(zeroed(() => 0.5 * scale * rng.normal())),
    log_scale: vec(() => Math.log(scale) + 2 * rng.uniform() - 1),
    link_weight: vec(() => (rng.uniform() < 0.3 ? 0 : Math.exp(4 * rng.uniform() - 3))),
    gate_low: gateLow,
    gate_high: gateLow + scale * (0.5 + 2 * rng.uniform()),
    gate_width: rng.uniform() < 0.3 ? 0 : scale * Math.exp(-4 * rng.uniform()),
    w_dis: vec(zeroed(() => rng.normal() / d)),
    w_dot: vec(zeroed(() => rng.normal() / d)),
    beta_dis: 4 * rng.uniform() - 2,
    beta_dot: (4 * rng.uniform() - 2) / (scale * scale),
  };
}

export const ahopPlusKind: CaseKind<PlusProblem> = {
  kind: 'ahop_plus',
  integerFields: [],
  parse(c) {
    const memories = checkMatrix('memories', field(c, 'memories'));
    const query = checkVector('query', field(c, 'query'), memories[0].length);
    return { memories, query, params: readPlusParams(c, query.length) };
  },
  compute(i): Out {
    const r = retrievePlus(i.memories, i.query, i.params);
    return { scores: r.scores, probs: r.probs, retrieved: r.retrieved, energy: r.energy };
  },
  exact(i): Out {
    const r = ahopPlusExact(i.memories, i.query, i.params);
    return { scores: nums(r.scores), probs: nums(r.probs), retrieved: nums(r.retrieved), energy: r.energy.toNumber() };
  },
  generate(rng, flavor) {
    const d = flavor === 'd1' ? 1 : 1 + rng.int(10);
    const n = flavor === 'n1' ? 1 : 1 + rng.int(6);
    const scale = flavor === 'large' ? 1e3 : 1;
    const vec = () => Array.from({ length: d }, () => value(rng, flavor, scale));
    return { memories: Array.from({ length: n }, vec), query: vec(), params_plus: drawPlusParams(rng, flavor, d, scale) };
  },
};
