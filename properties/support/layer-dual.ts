/**
 * An independent float64 implementation of the layer contract (docs/conformance.md, "The layer
 * kinds"), written from the contract alone and sharing no code with src/: a naive forward pass
 * (q per dimension, a sort, the footprint as the literal product U q̃, softmax, readout, −lse) over
 * forward-mode dual numbers. Seeding one input with derivative 1 and reading the derivative of
 * L = Σ_b ȳ_b · y_b + Σ_b Ē_b E_b gives one entry of the gradient; every entry is computed this
 * way, one forward pass each — no suffix sums, no ranks, no hand-derived chain rule.
 */

/** a + b ε with ε² = 0. */
export interface Dual {
  v: number;
  e: number;
}

const D = (v: number, e = 0): Dual => ({ v, e });
const add = (a: Dual, b: Dual): Dual => D(a.v + b.v, a.e + b.e);
const sub = (a: Dual, b: Dual): Dual => D(a.v - b.v, a.e - b.e);
const mul = (a: Dual, b: Dual): Dual => D(a.v * b.v, a.e * b.v + a.v * b.e);
const div = (a: Dual, b: Dual): Dual => D(a.v / b.v, (a.e * b.v - a.v * b.e) / (b.v * b.v));
const exp = (a: Dual): Dual => D(Math.exp(a.v), Math.exp(a.v) * a.e);
const log = (a: Dual): Dual => D(Math.log(a.v), a.e / a.v);
const total = (xs: readonly Dual[]): Dual => xs.reduce(add, D(0));

export interface PlainParams {
  w_dis: number[];
  w_dot: number[];
  beta_dis: number;
  beta_dot: number;
}

export interface PlainInputs {
  queries: number[][];
  keys: number[][];
  values: number[][];
  params: PlainParams;
}

interface DualInputs {
  queries: Dual[][];
  keys: Dual[][];
  values: Dual[][];
  wDis: Dual[];
  wDot: Dual[];
  betaDis: Dual;
  betaDot: Dual;
}

/** The j-th footprint entry written as the contract says: ftpt_j = Σ_{r ≤ j} q̃_r, q̃ = q sorted descending. */
function footprintNaive(q: readonly Dual[]): Dual[] {
  const sorted = [...q].sort((a, b) => b.v - a.v);
  return sorted.map((_, j) => total(sorted.filter((_, r) => r <= j)));
}

function similarity(xi: readonly Dual[], x: readonly Dual[], inp: DualInputs): Dual {
  const qDis = xi.map((m, i) => mul(D(-1), mul(sub(m, x[i]), sub(m, x[i]))));
  const qDot = xi.map((m, i) => mul(m, x[i]));
  const sDis = total(footprintNaive(qDis).map((f, j) => mul(inp.wDis[j], f)));
  const sDot = total(footprintNaive(qDot).map((f, j) => mul(inp.wDot[j], f)));
  return add(mul(inp.betaDis, sDis), mul(inp.betaDot, sDot));
}

function forwardDual(inp: DualInputs) {
  return inp.queries.map((x) => {
    const s = inp.keys.map((xi) => similarity(xi, x, inp));
    const top = s.reduce((a, b) => (b.v > a.v ? b : a));
    const z = total(s.map((sk) => exp(sub(sk, top))));
    const p = s.map((sk) => div(exp(sub(sk, top)), z));
    const y = inp.values[0].map((_, j) => total(inp.values.map((v, k) => mul(p[k], v[j]))));
    return { s, p, y, energy: mul(D(-1), add(top, log(z))) };
  });
}

function lift(i: PlainInputs, seed: (path: string) => number): DualInputs {
  const m = (name: string, a: number[][]) => a.map((row, r) => row.map((v, c) => D(v, seed(`${name}[${r}][${c}]`))));
  const v = (name: string, a: number[]) => a.map((x, c) => D(x, seed(`${name}[${c}]`)));
  return {
    queries: m('queries', i.queries),
    keys: m('keys', i.keys),
    values: m('values', i.values),
    wDis: v('w_dis', i.params.w_dis),
    wDot: v('w_dot', i.params.w_dot),
    betaDis: D(i.params.beta_dis, seed('beta_dis')),
    betaDot: D(i.params.beta_dot, seed('beta_dot')),
  };
}

/** The `layer` outputs of the contract: { scores, probs, retrieved, energy }. */
export function naiveLayer(i: PlainInputs) {
  const rows = forwardDual(lift(i, () => 0));
  return {
    scores: rows.map((r) => r.s.map((d) => d.v)),
    probs: rows.map((r) => r.p.map((d) => d.v)),
    retrieved: rows.map((r) => r.y.map((d) => d.v)),
    energy: rows.map((r) => r.energy.v),
  };
}

/** The `layer_vjp` outputs of the contract, one forward-mode pass per input entry. */
export function naiveLayerVjp(i: PlainInputs, ct: { retrieved: number[][]; energy: number[] }) {
  const dL = (path: string): number => {
    const rows = forwardDual(lift(i, (p) => (p === path ? 1 : 0)));
    return rows.reduce(
      (acc, r, b) => acc + r.y.reduce((a, y, j) => a + ct.retrieved[b][j] * y.e, 0) + ct.energy[b] * r.energy.e,
      0,
    );
  };
  const m = (name: string, a: number[][]) => a.map((row, r) => row.map((_, c) => dL(`${name}[${r}][${c}]`)));
  return {
    queries: m('queries', i.queries),
    keys: m('keys', i.keys),
    values: m('values', i.values),
    params: {
      w_dis: i.params.w_dis.map((_, c) => dL(`w_dis[${c}]`)),
      w_dot: i.params.w_dot.map((_, c) => dL(`w_dot[${c}]`)),
      beta_dis: dL('beta_dis'),
      beta_dot: dL('beta_dot'),
    },
  };
}
