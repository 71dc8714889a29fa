/**
 * The shared tfjs backend suite: the same cases, against the float64 reference, on every tfjs
 * backend (tfjs-style), each with its own tolerance. Each backend runs it from its own test file
 * (tfjs/<backend>.test.ts: `defineTfjsSuite('wasm')`), so each gets its own process.
 *
 * What is checked, and against what:
 * - forward: scores, probabilities, readout and energy against the reference's `retrieve` (values
 *   = keys) and `scores` + softmax + readout + lse (separate values), within the float32 error the
 *   scores' size implies (scale = Σ_sim |β_sim| ‖c_sim‖₁ max_i (|ξ_i| + |x_i|)², as in gpu/suite.ts);
 * - backward: the custom gradient for queries, keys, values, w_dis, w_dot, β_dis, β_dot against
 *   central finite differences of the float64 reference forward (src/ functions only), on inputs
 *   drawn away from ties (adjacent sorted q differ by more than GAP), within the contract's float32
 *   tolerance |got − fd| ≤ abs + rel·|fd|. The step h = 1e-6 keeps the finite-difference error
 *   (h² f‴ ≈ 1e-12, rounding 1e-16/h ≈ 1e-10) five orders below that tolerance, and a step never
 *   moves a q by more than 4h < GAP, so no finite difference crosses a tie.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { withinTolerance, type Tolerance } from '../src/conformance/format.ts';
import { DomainError, ParseError, ShapeError } from '../src/errors.ts';
import { readout, retrieve, scores } from '../src/hopfield/ahop.ts';
import { logSumExp, softmax } from '../src/numeric/logsumexp.ts';
import { createRng, type Rng } from '../src/random/rng.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { baseSimilarities } from '../src/similarity/base.ts';
import { suffixSums } from '../src/similarity/footprint.ts';
import { expectWithin } from '../properties/support/expect-within.ts';
import { ahopAttention, cotangentLoss } from './attention.ts';
import { TfjsBackendUnavailableError, useTfjsBackend, type TfjsBackendName } from './backends.ts';
import {
  TFJS_FLOAT32_TOLERANCE,
  contractParams,
  tfjsLayerCases,
  type LayerCaseInput,
  type LayerOut,
  type LayerVjpFileOut,
  type LayerVjpOut,
} from './conformance.ts';
import { AHopLayer } from './layer.ts';

/** float32 unit roundoff. */
const U = 2 ** -24;
/** Per-backend tolerance on scores, relative to the pair's scale. Both tfjs backends are float32. */
const SCORE_REL: Record<TfjsBackendName, number> = { cpu: 64 * U, wasm: 64 * U };
/** Per-backend tolerance on gradients (the contract's float32 tolerance). */
const GRADIENT_TOL: Record<TfjsBackendName, Tolerance> = { cpu: TFJS_FLOAT32_TOLERANCE, wasm: TFJS_FLOAT32_TOLERANCE };
/** Smallest gap between adjacent sorted q in a gradient case. */
const GAP = 1e-3;
const H = 1e-6;
/** (B, N, d, dv) of the gradient cases: the degenerate sizes and a few small batches. */
const GRADIENT_CASES: readonly [number, number, number, number][] = [
  [1, 1, 1, 1],
  [1, 2, 3, 1],
  [3, 4, 5, 3],
  [2, 6, 8, 2],
];

// ---------- data ----------

interface Problem {
  queries: number[][];
  keys: number[][];
  values: number[][];
  params: AhopParams;
  cotangent: { retrieved: number[][]; energy: number[] };
}

function matrix(rng: Rng, rows: number, cols: number, value: () => number = () => 2 * rng.uniform() - 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, value));
}

function problem(rng: Rng, b: number, n: number, d: number, dv: number, value?: () => number): Problem {
  // Weights of both signs, mostly positive, scaled so scores stay O(1) whatever d is.
  const w = () => Array.from({ length: d }, () => (rng.uniform() - 0.25) * (4 / d));
  return {
    queries: matrix(rng, b, d, value),
    keys: matrix(rng, n, d, value),
    values: matrix(rng, n, dv),
    params: { wDis: w(), wDot: w(), betaDis: 0.5 + rng.uniform(), betaDot: 0.5 + rng.uniform() },
    cotangent: { retrieved: matrix(rng, b, dv, () => rng.normal()), energy: Array.from({ length: b }, () => rng.normal()) },
  };
}

/** Smallest gap between adjacent sorted q over every (query, key, base). */
function smallestGap(p: Problem): number {
  let gap = Infinity;
  for (const x of p.queries) {
    for (const xi of p.keys) {
      for (const base of ['dis', 'dot'] as const) {
        const q = baseSimilarities(base, xi, x).sort((a, c) => a - c);
        for (let i = 1; i < q.length; i++) gap = Math.min(gap, q[i] - q[i - 1]);
      }
    }
  }
  return gap;
}

/** A problem whose sorted q are all at least GAP apart (redrawn until so). */
function wellConditioned(rng: Rng, b: number, n: number, d: number, dv: number): Problem {
  for (let t = 0; t < 1000; t++) {
    const p = problem(rng, b, n, d, dv);
    if (smallestGap(p) > GAP) return p;
  }
  throw new Error('no well-conditioned problem in 1000 draws');
}

const TIES = [-1, -0.5, 0, 0.5, 1];

// ---------- mutants: the op with one deliberate bug each ----------

type AttentionOp = typeof ahopAttention;

/** Each broken version of tfjs/attention.ts that the gradient check must catch: [name, from, to]. */
const MUTATIONS: readonly [string, string, string][] = [
  ['the ranks taken ascending', "tf.topk(tf.neg(tf.cast(order, 'float32')), d, true)", "tf.topk(tf.cast(order, 'float32'), d, true)"],
  ["the dot term's key gradient using ξ instead of x", 'k: tf.sum(tf.mul(gq, xe), 0)', 'k: tf.sum(tf.mul(gq, ke), 0)'],
  ['the softmax Jacobian without its −p pᵀ term', 'tf.mul(sp, tf.sub(gP, inner))', 'tf.mul(sp, gP)'],
  ["the dis term's query gradient with the wrong sign", 'x: tf.mul(2, tf.sum(t, 1))', 'x: tf.mul(-2, tf.sum(t, 1))'],
];

/** The op compiled from a copy of tfjs/attention.ts with `from` replaced by `to` (in tfjs/.mutants/, removed after import). */
async function mutant(backend: string, index: number, from: string, to: string): Promise<AttentionOp> {
  const dir = new URL('./.mutants/', import.meta.url);
  const source = readFileSync(new URL('./attention.ts', import.meta.url), 'utf8');
  expect(source.split(from).length, `the mutation's target occurs exactly once: ${from}`).toBe(2);
  const file = new URL(`./attention-${backend}-${index}.ts`, dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, source.replace(from, to).replaceAll("from '../src/", "from '../../src/"));
  try {
    return ((await import(/* @vite-ignore */ file.href)) as { ahopAttention: AttentionOp }).ahopAttention;
  } finally {
    rmSync(file);
  }
}

// ---------- the float64 reference ----------

function referenceLayer(p: Pick<Problem, 'queries' | 'keys' | 'values' | 'params'>): LayerOut {
  const out: LayerOut = { scores: [], probs: [], retrieved: [], energy: [] };
  for (const x of p.queries) {
    const s = scores(p.keys, x, p.params);
    const pr = softmax(s);
    out.scores.push(s);
    out.probs.push(pr);
    out.retrieved.push(readout(p.values, pr));
    out.energy.push(-logSumExp(s));
  }
  return out;
}

/** L = Σ_b ȳ_b · y_b + Σ_b Ē_b E_b on the float64 reference. */
function referenceLoss(p: Problem): number {
  const o = referenceLayer(p);
  let l = 0;
  o.retrieved.forEach((y, b) => y.forEach((v, j) => (l += p.cotangent.retrieved[b][j] * v)));
  o.energy.forEach((e, b) => (l += p.cotangent.energy[b] * e));
  return l;
}

/** Central finite differences of referenceLoss in every input, in the layer_vjp output shape. */
function finiteDifferences(p: Problem): LayerVjpOut {
  const clone = (): Problem => structuredClone(p);
  const diff = (set: (q: Problem, delta: number) => void) => {
    const a = clone();
    set(a, H);
    const b = clone();
    set(b, -H);
    return (referenceLoss(a) - referenceLoss(b)) / (2 * H);
  };
  const grad = (field: 'queries' | 'keys' | 'values') =>
    p[field].map((row, r) => row.map((_, c) => diff((q, delta) => (q[field][r][c] += delta))));
  return {
    queries: grad('queries'),
    keys: grad('keys'),
    values: grad('values'),
    params: {
      wDis: p.params.wDis.map((_, j) => diff((q, delta) => (q.params.wDis[j] += delta))),
      wDot: p.params.wDot.map((_, j) => diff((q, delta) => (q.params.wDot[j] += delta))),
      betaDis: diff((q, delta) => (q.params.betaDis += delta)),
      betaDot: diff((q, delta) => (q.params.betaDot += delta)),
    },
  };
}

/** A gradient as a `layer_vjp` case's `out` writes it (the contract's snake_case params). */
function fileShaped(g: LayerVjpOut): LayerVjpFileOut {
  return { ...g, params: contractParams(g.params) };
}

// ---------- comparisons ----------

/** The worst |got − expected| / (abs + rel·|expected|) over every number of two like-shaped outputs. */
function worstRatio(got: unknown, expected: unknown, tol: Tolerance): { ratio: number; where: string } {
  const flat = (v: unknown, path: string, out: [string, number][]) => {
    if (typeof v === 'number') out.push([path, v]);
    else if (Array.isArray(v)) v.forEach((e, i) => flat(e, `${path}[${i}]`, out));
    else if (typeof v === 'object' && v !== null) for (const [k, e] of Object.entries(v).sort()) flat(e, `${path}.${k}`, out);
    return out;
  };
  const g = flat(got, '', []);
  const e = flat(expected, '', []);
  expect(g.map(([p]) => p)).toEqual(e.map(([p]) => p));
  let worst = { ratio: 0, where: '' };
  e.forEach(([path, ev], i) => {
    const gv = g[i][1];
    const ratio = Math.abs(gv - ev) / (tol.abs + tol.rel * Math.abs(ev));
    if (!(ratio <= worst.ratio)) worst = { ratio: Number.isNaN(ratio) ? Infinity : ratio, where: `${path}: got ${gv}, expected ${ev}` };
  });
  return worst;
}

/** scale[b][k] = Σ_sim |β_sim| ‖c_sim‖₁ max_i (|ξ_ki| + |x_bi|)²: a bound on every term of s_bk. */
function scales(p: Pick<Problem, 'queries' | 'keys' | 'params'>): number[][] {
  const norm = (w: number[]) => suffixSums(w).reduce((a, c) => a + Math.abs(c), 0);
  const weight = Math.abs(p.params.betaDis) * norm(p.params.wDis) + Math.abs(p.params.betaDot) * norm(p.params.wDot);
  return p.queries.map((x) => p.keys.map((xi) => weight * Math.max(...xi.map((v, i) => (Math.abs(v) + Math.abs(x[i])) ** 2))));
}

function tensorsOf(p: Pick<Problem, 'queries' | 'keys' | 'values'>) {
  return { x: tf.tensor2d(p.queries), k: tf.tensor2d(p.keys), v: tf.tensor2d(p.values) };
}

// ---------- the suite ----------

/** Registers the shared suite for one tfjs backend (call at the top level of a test file). */
export async function defineTfjsSuite(name: TfjsBackendName): Promise<void> {
  let ready: string | null = null;
  try {
    await useTfjsBackend(name);
  } catch (e) {
    if (!(e instanceof TfjsBackendUnavailableError)) throw e;
    ready = e.message;
  }
  if (ready !== null) {
    const why = ready;
    describe(`tfjs backend ${name}`, () => {
      it('is available', () => {
        throw new Error(why);
      });
    });
    return;
  }
  afterAll(() => tf.disposeVariables());
  const rel = SCORE_REL[name];
  const gtol = GRADIENT_TOL[name];

  function checkForward(p: Problem, label: string): void {
    const ref = referenceLayer(p);
    const got = tf.tidy(() => {
      const t = tensorsOf(p);
      const o = ahopAttention(t.x, t.k, t.v, p.params);
      return { scores: o.scores.arraySync(), probs: o.probs.arraySync(), retrieved: o.retrieved.arraySync(), energy: o.energy.arraySync() };
    });
    const sc = scales(p);
    p.queries.forEach((_, b) => {
      const eps = sc[b].map((s) => rel * s + 1e-30);
      const e = Math.max(...eps);
      expectWithin(`${label} scores[${b}]`, got.scores[b], ref.scores[b], (k) => eps[k]);
      // softmax: |Δp_k| ≤ p_k (e^{2ε} − 1) ≤ p_k (2ε + 4ε²), plus float32 rounding of exp and the sum.
      const probTol = (k: number) => ref.probs[b][k] * (2 * e + 4 * e * e + 8 * U) + 1e-30;
      expectWithin(`${label} probs[${b}]`, got.probs[b], ref.probs[b], probTol);
      const yTol = (j: number) => p.values.reduce((t, v, k) => t + (probTol(k) + 8 * U * ref.probs[b][k]) * Math.abs(v[j]), 1e-30);
      expectWithin(`${label} retrieved[${b}]`, got.retrieved[b], ref.retrieved[b], yTol);
      expectWithin(`${label} energy[${b}]`, [got.energy[b]], [ref.energy[b]], () => e + 8 * U * Math.abs(ref.energy[b]));
    });
  }

  function tfjsGradient(p: Problem, op: AttentionOp = ahopAttention): LayerVjpOut {
    return tf.tidy(() => {
      const t = tensorsOf(p);
      const f = cotangentLoss(tf.tensor2d(p.cotangent.retrieved), tf.tensor1d(p.cotangent.energy), op);
      const g = tf.grads(f)([t.x, t.k, t.v, tf.tensor1d(p.params.wDis), tf.tensor1d(p.params.wDot), tf.scalar(p.params.betaDis), tf.scalar(p.params.betaDot)]);
      return {
        queries: g[0].arraySync() as number[][],
        keys: g[1].arraySync() as number[][],
        values: g[2].arraySync() as number[][],
        params: {
          wDis: g[3].arraySync() as number[],
          wDot: g[4].arraySync() as number[],
          betaDis: g[5].arraySync() as number,
          betaDot: g[6].arraySync() as number,
        },
      };
    });
  }

  /** The worst tolerance ratio of the op's gradient against finite differences over GRADIENT_CASES. */
  function worstGradient(op: AttentionOp): { ratio: number; where: string } {
    const rng = createRng(5);
    let worst = { ratio: 0, where: '' };
    for (const [b, n, d, dv] of GRADIENT_CASES) {
      const p = wellConditioned(rng, b, n, d, dv);
      const w = worstRatio(tfjsGradient(p, op), finiteDifferences(p), gtol);
      if (!(w.ratio <= worst.ratio)) worst = { ratio: w.ratio, where: `B=${b} N=${n} d=${d} dv=${dv}: ${w.where}` };
    }
    return worst;
  }

  describe(`tfjs backend ${name}`, () => {
    it(`runs on ${name} (tf.getBackend() after a call)`, () => {
      const rng = createRng(1);
      checkForward(problem(rng, 2, 3, 4, 2), 'probe');
      expect(tf.getBackend()).toBe(name);
    });

    it('the forward equals the reference retrieve (values = keys) for one query', () => {
      const rng = createRng(2);
      for (const [n, d] of [[1, 1], [3, 2], [5, 7], [4, 33]]) {
        const p = problem(rng, 1, n, d, d);
        const ref = retrieve(p.keys, p.queries[0], p.params);
        const got = tf.tidy(() => {
          const t = tensorsOf(p);
          const o = ahopAttention(t.x, t.k, t.k, p.params);
          return { probs: o.probs.arraySync()[0], retrieved: o.retrieved.arraySync()[0], scores: o.scores.arraySync()[0] };
        });
        const sc = scales(p)[0];
        expectWithin(`N=${n} d=${d} scores`, got.scores, ref.scores, (k) => rel * sc[k]);
        const e = rel * Math.max(...sc);
        expectWithin(`N=${n} d=${d} probs`, got.probs, ref.probs, (k) => ref.probs[k] * (2 * e + 4 * e * e + 8 * U) + 1e-30);
        expectWithin(`N=${n} d=${d} retrieved`, got.retrieved, ref.retrieved, () => (2 * e + 16 * U) * Math.max(...p.keys.flat().map(Math.abs)));
      }
    });

    it('scores, probabilities, readout and energy match the reference for batches, with separate values', () => {
      const rng = createRng(3);
      for (const [b, n, d, dv] of [[1, 1, 1, 1], [3, 4, 5, 3], [4, 50, 64, 8], [2, 9, 784, 4]]) checkForward(problem(rng, b, n, d, dv), `B=${b} N=${n} d=${d} dv=${dv}`);
    });

    it('the forward matches with tied and zero per-dimension similarities', () => {
      const rng = createRng(4);
      for (const d of [12, 100]) checkForward(problem(rng, 3, 5, d, 2, () => TIES[rng.int(TIES.length)]), `ties d=${d}`);
    });

    it('the gradient for queries, keys, values, w_dis, w_dot, β_dis, β_dot equals float64 central differences away from ties', () => {
      const w = worstGradient(ahopAttention);
      expect(w.ratio, `worst ${w.where}`).toBeLessThanOrEqual(1);
    });

    MUTATIONS.forEach(([broken, from, to], i) => {
      it(`… and ${broken} is caught`, async () => {
        const w = worstGradient(await mutant(name, i, from, to));
        expect(w.ratio, `the broken op's worst entry: ${w.where}`).toBeGreaterThan(1);
      });
    });

    it('… and the gradient of a neighbouring problem (one key entry moved by 1e-2) is caught', () => {
      const p = wellConditioned(createRng(6), 2, 4, 5, 2);
      const moved = structuredClone(p);
      moved.keys[1][2] += 1e-2;
      const w = worstRatio(tfjsGradient(moved), finiteDifferences(p), gtol);
      expect(w.ratio).toBeGreaterThan(1);
    });

    it('the gradient of the scores alone (tfjs autodiff through the split) equals central differences', () => {
      // Cotangent only on probs: checks the softmax Jacobian's −p pᵀ term through the packed output.
      const p = wellConditioned(createRng(7), 2, 3, 4, 2);
      const ct = matrix(createRng(8), 2, 3, () => 1);
      const got = tf.tidy(() => {
        const t = tensorsOf(p);
        return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.tensor2d(ct), ahopAttention(x as tf.Tensor2D, t.k, t.v, p.params).probs)) as tf.Scalar)(t.x).arraySync() as number[][];
      });
      const loss = (q: number[][]) => referenceLayer({ ...p, queries: q }).probs.reduce((a, row, b) => a + row.reduce((s, v, k) => s + ct[b][k] * v, 0), 0);
      const fd = p.queries.map((row, b) =>
        row.map((_, i) => {
          const up = structuredClone(p.queries);
          const dn = structuredClone(p.queries);
          up[b][i] += H;
          dn[b][i] -= H;
          return (loss(up) - loss(dn)) / (2 * H);
        }),
      );
      const w = worstRatio(got, fd, gtol);
      expect(w.ratio, w.where).toBeLessThanOrEqual(1);
    });

    it('tfjsLayerCases writes layer and layer_vjp outputs that the float64 reference accepts at the float32 tolerance', async () => {
      const rng = createRng(9);
      const cases: LayerCaseInput[] = [];
      for (let i = 0; i < 6; i++) {
        const p = wellConditioned(rng, 1 + rng.int(3), 1 + rng.int(4), 1 + rng.int(6), 1 + rng.int(3));
        cases.push({ kind: 'layer', queries: p.queries, keys: p.keys, values: p.values, params: p.params });
        cases.push({ kind: 'layer_vjp', queries: p.queries, keys: p.keys, values: p.values, params: p.params, cotangent: p.cotangent });
      }
      const out = await tfjsLayerCases(name, cases);
      expect(out.map((c) => c.kind)).toEqual(cases.map((c) => c.kind));
      out.forEach((c, i) => {
        const p = { ...cases[i], cotangent: cases[i].cotangent ?? { retrieved: [], energy: [] } };
        const expected = c.kind === 'layer' ? referenceLayer(p) : fileShaped(finiteDifferences(p));
        const w = worstRatio(c.out, expected, TFJS_FLOAT32_TOLERANCE);
        expect(w.ratio, `case ${i} ${c.kind}: ${w.where}`).toBeLessThanOrEqual(1);
      });
      // and one tampered value is caught by the same comparison
      const tampered = structuredClone(out[1].out) as unknown as LayerVjpFileOut;
      tampered.keys[0][0] += 1e-3 + 1e-3 * Math.abs(tampered.keys[0][0]);
      const p1 = { ...cases[1], cotangent: cases[1].cotangent! };
      expect(worstRatio(tampered, fileShaped(finiteDifferences(p1)), TFJS_FLOAT32_TOLERANCE).ratio).toBeGreaterThan(1);
      expect(withinTolerance(1, 1 + 2e-4, TFJS_FLOAT32_TOLERANCE)).toBe(false);
    });

    it('AHopLayer starts as plain negative squared distance and its output equals the op', () => {
      const rng = createRng(10);
      const patterns = matrix(rng, 4, 6);
      const queries = matrix(rng, 3, 6);
      const layer = new AHopLayer({ storedPatterns: patterns, output: 'probs' });
      const got = tf.tidy(() => (layer.apply(tf.tensor2d(queries)) as tf.Tensor2D).arraySync());
      queries.forEach((x, b) => {
        const expected = softmax(patterns.map((m) => -m.reduce((a, v, i) => a + (v - x[i]) ** 2, 0)));
        expectWithin(`probs[${b}]`, got[b], expected, (k) => 1e-5 * expected[k] + 1e-7);
      });
    });

    it('AHopLayer trains inside a tf model (the loss falls) and survives a save/load round trip', async () => {
      const rng = createRng(11);
      const patterns = matrix(rng, 3, 8);
      const xs: number[][] = [];
      const ys: number[][] = [];
      for (let i = 0; i < 30; i++) {
        const k = i % 3;
        xs.push(patterns[k].map((v) => (rng.uniform() < 0.5 ? 2 * rng.uniform() - 1 : v + 0.1 * rng.normal())));
        ys.push([0, 1, 2].map((j) => (j === k ? 1 : 0)));
      }
      const model = tfl.sequential();
      model.add(new AHopLayer({ inputShape: [8], storedPatterns: patterns, output: 'probs', trainablePatterns: true }));
      model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
      const x = tf.tensor2d(xs);
      const y = tf.tensor2d(ys);
      const h = await model.fit(x, y, { epochs: 15, batchSize: 30, shuffle: false, verbose: 0 });
      const loss = h.history.loss as number[];
      expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
      expect(model.getWeights().map((w) => w.shape)).toEqual([[3, 8], [8], [8], [], []]);
      // round trip: JSON topology + weights give the same outputs
      const json = model.toJSON(undefined, false) as object;
      const copy = (await tfl.models.modelFromJSON(json as never)) as tfl.LayersModel;
      copy.setWeights(model.getWeights());
      const a = (model.predict(x) as tf.Tensor).arraySync() as number[][];
      const b = (copy.predict(x) as tf.Tensor).arraySync() as number[][];
      expect(b).toEqual(a);
      expect((copy.layers[0] as AHopLayer).getConfig()).toMatchObject({ output: 'probs', trainablePatterns: true, beta: { dis: 1, dot: 0 } });
      tf.dispose([x, y]);
    });

    it('leaves no tensors behind: forward alone, and forward + gradient', () => {
      const p = wellConditioned(createRng(12), 2, 3, 4, 2);
      const t = tensorsOf(p);
      const before = tf.memory().numTensors;
      tf.tidy(() => ahopAttention(t.x, t.k, t.v, p.params).retrieved.dataSync());
      expect(tf.memory().numTensors).toBe(before);
      tfjsGradient(p);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([t.x, t.k, t.v]);
    });

    it('rejects bad input with typed errors naming the field', async () => {
      const t = tf.tensor2d([[1, 2]]);
      const p = { wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 };
      expect(() => ahopAttention(t, tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[1]]), p)).toThrow(ShapeError);
      expect(() => ahopAttention(t, t, tf.tensor2d([[1], [2]]), p)).toThrow(/values have 2 rows/);
      expect(() => ahopAttention(t, t, t, { ...p, wDis: [1] })).toThrow(/params\.wDis/);
      expect(() => ahopAttention(t, t, t, { ...p, betaDis: Number.NaN })).toThrow(DomainError);
      expect(() => ahopAttention(tf.tensor1d([1]) as unknown as tf.Tensor2D, t, t, p)).toThrow(/queries must have rank 2/);
      await expect(tfjsLayerCases(name, [{ kind: 'layer', queries: [[1, Number.NaN]], keys: [[1, 2]], values: [[1]], params: p }])).rejects.toThrow(/cases\[0\]\.queries/);
      await expect(tfjsLayerCases(name, [{ kind: 'layer_vjp', queries: [[1, 2]], keys: [[1, 2]], values: [[1]], params: p }])).rejects.toThrow(ParseError);
      expect(() => new AHopLayer({ storedPatterns: [[1, 2]], output: 'nope' as never })).toThrow(/output must be one of/);
      expect(() => new AHopLayer({ storedPatterns: [[1, 2]] }).apply(tf.tensor2d([[1, 2, 3]]))).toThrow(/shape \[batch, d = 2\]/);
    });

    it('an unknown backend is refused with a message naming it and what is missing', async () => {
      await expect(useTfjsBackend('webgl')).rejects.toThrow(/^backend "tfjs-webgl" is unavailable: unknown tfjs backend; choose one of cpu, wasm/);
      expect(tf.getBackend()).toBe(name);
    });
  });

  if (name === 'cpu') {
    describe('the tfjs-node banner', () => {
      it('does not reach stderr from useTfjsBackend("cpu") and the first tensor written', async () => {
        const warn = vi.spyOn(console, 'warn');
        tf.removeBackend('cpu');
        tf.registerBackend('cpu', () => new MathBackendCPU(), 1);
        await useTfjsBackend('cpu');
        tf.tensor1d([1, 2]).dispose();
        expect(warn.mock.calls.flat().join(' ')).not.toMatch(/tfjs-node/);
        warn.mockRestore();
      });
      it('… and without the switch, a fresh cpu backend prints it (the spy would see it)', async () => {
        const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
        tf.registerBackend('cpu-unsilenced', () => new MathBackendCPU(), 0);
        await tf.setBackend('cpu-unsilenced');
        tf.tensor1d([1, 2]).dispose();
        expect(warn.mock.calls.flat().join(' ')).toMatch(/tfjs-node/);
        warn.mockRestore();
        await useTfjsBackend('cpu');
        tf.removeBackend('cpu-unsilenced');
      });
    });
  }
}
