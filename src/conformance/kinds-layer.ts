/**
 * The layer case kinds of the conformance contract (docs/conformance.md, "The layer kinds"):
 *   layer:     s_bk = s(keys_k, x_b), p_b = softmax(s_b), y_b = Σ_k p_bk values_k, E_b = −lse(s_b);
 *   layer_vjp: the gradient of L = Σ_b ȳ_b · y_b + Σ_b Ē_b E_b with respect to queries, keys,
 *              values and params,
 * with their second, 64-digit computation (mathjs BigNumber, as in exact.ts). A `layer_vjp` case is
 * drawn only where the order of every q is strict by a margin: adjacent sorted values of every q
 * (dis and dot, every query–key pair) differ by more than TIE_GAP relative, because at a tie the
 * gradient with respect to queries and keys jumps and two correct implementations may return
 * different one-sided values.
 */
import { ParseError } from '../errors.ts';
import { checkLayerCotangent, checkLayerInputs, layerForwardValidated, layerVjpValidated, type LayerCotangent, type LayerInputs } from '../hopfield/layer.ts';
import { big, sum, zero, type Big } from '../numeric/bignum.ts';
import type { Rng } from '../random/rng.ts';
import { BASES, baseSimilarities, type Base } from '../similarity/base.ts';
import { ordered } from '../similarity/footprint.ts';
import { baseExact, footprintExact, logSoftmaxExact, lseExact, scoresExact } from './exact.ts';
import type { Out } from './format.ts';
import type { CaseKind, Flavor } from './kinds.ts';

/** Adjacent sorted q must differ by more than this, relative to the larger magnitude. */
export const TIE_GAP = 1e-6;
const MAX_DRAWS = 1000;

const nums = (v: readonly Big[]): number[] => v.map((x) => x.toNumber());

// ---------- the 64-digit computation ----------

function readoutExact(values: readonly number[][], p: readonly Big[]): Big[] {
  return values[0].map((_, j) => sum(values.map((v, k) => p[k].times(big(v[j])))));
}

/**
 * The layer's forward pass in 64 digits: s_bk, p_b = exp(s_b − lse(s_b)), y_b = Σ_k p_bk v_k, E_b = −lse(s_b).
 *
 * @example
 * ```ts
 * import { layerExact } from './kinds-layer.ts';
 * const r = layerExact({ queries: [[0]], keys: [[0], [0]], values: [[1], [3]], params: { wDis: [1], wDot: [1], betaDis: 1, betaDot: 1 } });
 * if (r.retrieved[0][0].toNumber() !== 2 || Math.abs(r.energy[0].toNumber() + Math.LN2) > 1e-16) throw new Error('two equal scores');
 * ```
 */
export function layerExact(i: LayerInputs) {
  const rows = i.queries.map((x) => {
    const { s } = scoresExact(i.keys, x, i.params);
    const probs = logSoftmaxExact(s).map((v) => v.exp());
    return { s, probs, retrieved: readoutExact(i.values, probs), energy: lseExact(s).neg() };
  });
  return {
    scores: rows.map((r) => r.s),
    probs: rows.map((r) => r.probs),
    retrieved: rows.map((r) => r.retrieved),
    energy: rows.map((r) => r.energy),
  };
}

/** c_r = Σ_{j ≥ r} w_j in 64 digits. */
function suffixExact(w: readonly number[]): Big[] {
  const c = new Array<Big>(w.length);
  let acc = zero();
  for (let r = w.length - 1; r >= 0; r--) c[r] = acc = acc.plus(big(w[r]));
  return c;
}

/**
 * The layer's VJP in 64 digits (the equations of layerVjp: g_bk = p_bk (a_bk − pᵀa) − Ē_b p_bk,
 * ∂s_sim/∂q_i = c_sim[rank(i)], the chain through q, ∂L/∂v_k = Σ_b p_bk ȳ_b, ∂L/∂w, ∂L/∂β).
 *
 * @example
 * ```ts
 * import { layerVjpExact } from './kinds-layer.ts';
 * const g = layerVjpExact({ queries: [[1]], keys: [[1], [2]], values: [[0], [1]], params: { wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 } },
 *   { retrieved: [[0]], energy: [1] });
 * // ∂E/∂x = −p_1 · 2(2 − 1), p_1 = 1/(1 + e).
 * if (Math.abs(g.queries[0][0].toNumber() + 2 / (1 + Math.E)) > 1e-15) throw new Error('∂E/∂x');
 * ```
 */
export function layerVjpExact(i: LayerInputs, ct: LayerCotangent) {
  const d = i.queries[0].length;
  const zeros = (n: number) => Array.from({ length: n }, () => zero());
  const gQ = i.queries.map(() => zeros(d));
  const gK = i.keys.map(() => zeros(d));
  const gV = i.values.map((v) => zeros(v.length));
  const gW: Record<Base, Big[]> = { dis: zeros(d), dot: zeros(d) };
  const gB: Record<Base, Big> = { dis: zero(), dot: zero() };
  const beta: Record<Base, Big> = { dis: big(i.params.betaDis), dot: big(i.params.betaDot) };
  const c: Record<Base, Big[]> = { dis: suffixExact(i.params.wDis), dot: suffixExact(i.params.wDot) };
  i.queries.forEach((x, b) => {
    const { s, sDis, sDot } = scoresExact(i.keys, x, i.params);
    const sSim: Record<Base, Big[]> = { dis: sDis, dot: sDot };
    const p = logSoftmaxExact(s).map((v) => v.exp());
    const ctY = ct.retrieved[b].map(big);
    const a = i.values.map((v) => sum(v.map((vj, j) => big(vj).times(ctY[j]))));
    i.values.forEach((v, k) => v.forEach((_, j) => (gV[k][j] = gV[k][j].plus(p[k].times(ctY[j])))));
    const pa = sum(p.map((pk, k) => pk.times(a[k])));
    const gs = p.map((pk, k) => pk.times(a[k].minus(pa)).minus(big(ct.energy[b]).times(pk)));
    i.keys.forEach((xi, k) => {
      for (const base of BASES) {
        gB[base] = gB[base].plus(gs[k].times(sSim[base][k]));
        footprintExact(base, xi, x).forEach((f, j) => (gW[base][j] = gW[base][j].plus(gs[k].times(beta[base]).times(f))));
        const q = baseExact(base, xi, x);
        const order = q.map((_, m) => m).sort((u, v) => q[v].cmp(q[u]) || u - v);
        order.forEach((m, r) => {
          const g = gs[k].times(beta[base]).times(c[base][r]);
          const [dx, dxi] =
            base === 'dis'
              ? [big(xi[m]).minus(big(x[m])).times(2), big(x[m]).minus(big(xi[m])).times(2)]
              : [big(xi[m]), big(x[m])];
          gQ[b][m] = gQ[b][m].plus(g.times(dx));
          gK[k][m] = gK[k][m].plus(g.times(dxi));
        });
      }
    });
  });
  return { queries: gQ, keys: gK, values: gV, params: { wDis: gW.dis, wDot: gW.dot, betaDis: gB.dis, betaDot: gB.dot } };
}

// ---------- the conditioning rule ----------

/**
 * True when adjacent sorted values of q differ by more than TIE_GAP · max(|a|, |b|) (strict order, with margin).
 *
 * @example
 * ```ts
 * import { strictlyOrdered } from './kinds-layer.ts';
 * if (strictlyOrdered([1, 1 - 1e-9]) || !strictlyOrdered([3, 1, 2])) throw new Error('near-tie rule');
 * ```
 */
export function strictlyOrdered(q: readonly number[]): boolean {
  const s = ordered(q);
  for (let r = 0; r + 1 < s.length; r++) {
    if (!(s[r] - s[r + 1] > TIE_GAP * Math.max(Math.abs(s[r]), Math.abs(s[r + 1])))) return false;
  }
  return true;
}

/**
 * True when every q (both bases, every query–key pair) is strictly ordered with margin.
 *
 * @example
 * ```ts
 * import { noNearTies } from './kinds-layer.ts';
 * // q_dis = (−1, −1) for x = (0, 0), ξ = (1, −1): a tie.
 * if (noNearTies([[0, 0]], [[1, -1]]) || !noNearTies([[1, 1]], [[1, 2]])) throw new Error('ties');
 * ```
 */
export function noNearTies(queries: readonly number[][], keys: readonly number[][]): boolean {
  return queries.every((x) => keys.every((xi) => BASES.every((base) => strictlyOrdered(baseSimilarities(base, xi, x)))));
}

// ---------- input drawing and reading ----------

const TIE_VALUES = [-1, -0.5, 0, 0.5, 1];

function value(rng: Rng, flavor: Flavor, scale: number): number {
  if (flavor === 'ties') return TIE_VALUES[rng.int(TIE_VALUES.length)];
  if (flavor === 'zeros' && rng.uniform() < 0.5) return 0;
  return scale * (2 * rng.uniform() - 1);
}

function drawLayer(rng: Rng, flavor: Flavor, entries: Flavor = flavor): Record<string, unknown> {
  const d = flavor === 'd1' ? 1 : 1 + rng.int(6);
  const n = flavor === 'n1' ? 1 : 1 + rng.int(4);
  const b = 1 + rng.int(3);
  const dv = 1 + rng.int(3);
  const scale = flavor === 'large' ? 1e3 : 1;
  const mat = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => value(rng, entries, scale)));
  const w = () => Array.from({ length: d }, () => (flavor === 'zeros' && rng.uniform() < 0.5 ? 0 : rng.normal()));
  return {
    queries: mat(b, d),
    keys: mat(n, d),
    values: mat(n, dv),
    params: { w_dis: w(), w_dot: w(), beta_dis: 4 * rng.uniform() - 2, beta_dot: 4 * rng.uniform() - 2 },
  };
}

function field(c: Readonly<Record<string, unknown>>, key: string): unknown {
  if (!(key in c)) throw new ParseError(`missing input "${key}"`);
  return c[key];
}

function readInputs(c: Readonly<Record<string, unknown>>): LayerInputs {
  const p = field(c, 'params');
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new ParseError('"params" must be an object');
  const r = p as Record<string, unknown>;
  return checkLayerInputs({
    queries: field(c, 'queries'),
    keys: field(c, 'keys'),
    values: field(c, 'values'),
    params: { wDis: r.w_dis, wDot: r.w_dot, betaDis: r.beta_dis, betaDot: r.beta_dot },
  });
}

const snakeParams = <T>(p: { wDis: T; wDot: T; betaDis: unknown; betaDot: unknown }) => ({
  w_dis: p.wDis,
  w_dot: p.wDot,
  beta_dis: p.betaDis,
  beta_dot: p.betaDot,
});

// ---------- the kinds ----------

export const layerKind: CaseKind<LayerInputs> = {
  kind: 'layer',
  integerFields: [],
  parse: readInputs,
  compute(i): Out {
    const r = layerForwardValidated(i);
    return { scores: r.scores, probs: r.probs, retrieved: r.retrieved, energy: r.energy };
  },
  exact(i): Out {
    const r = layerExact(i);
    return { scores: r.scores.map(nums), probs: r.probs.map(nums), retrieved: r.retrieved.map(nums), energy: nums(r.energy) };
  },
  generate: (rng, flavor) => drawLayer(rng, flavor),
};

type VjpInputs = LayerInputs & { cotangent: LayerCotangent };

export const layerVjpKind: CaseKind<VjpInputs> = {
  kind: 'layer_vjp',
  integerFields: [],
  parse(c) {
    const i = readInputs(c);
    return { ...i, cotangent: checkLayerCotangent(field(c, 'cotangent'), i.queries.length, i.values[0].length) };
  },
  compute(i): Out {
    const g = layerVjpValidated(i, i.cotangent);
    return { queries: g.queries, keys: g.keys, values: g.values, params: snakeParams(g.params) as Out };
  },
  exact(i): Out {
    const g = layerVjpExact(i, i.cotangent);
    const p = g.params;
    return {
      queries: g.queries.map(nums),
      keys: g.keys.map(nums),
      values: g.values.map(nums),
      params: { w_dis: nums(p.wDis), w_dot: nums(p.wDot), beta_dis: p.betaDis.toNumber(), beta_dot: p.betaDot.toNumber() },
    };
  },
  generate(rng, flavor) {
    // Tied grid values and exact zeros would make almost every draw a tie: draw those entries uniformly.
    const entries: Flavor = flavor === 'ties' || flavor === 'zeros' ? 'random' : flavor;
    for (let attempt = 0; attempt < MAX_DRAWS; attempt++) {
      const raw = drawLayer(rng, flavor, entries);
      if (!noNearTies(raw.queries as number[][], raw.keys as number[][])) continue;
      const b = (raw.queries as unknown[]).length;
      const dv = (raw.values as number[][])[0].length;
      const cotangent = {
        retrieved: Array.from({ length: b }, () => Array.from({ length: dv }, () => rng.normal())),
        energy: Array.from({ length: b }, () => (flavor === 'zeros' ? 0 : rng.normal())),
      };
      return { ...raw, cotangent };
    }
    throw new Error(`no layer_vjp case without near-ties in ${MAX_DRAWS} draws (flavor ${flavor})`);
  },
};
