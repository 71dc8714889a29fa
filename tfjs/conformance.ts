/**
 * The contract's `layer` and `layer_vjp` cases (docs/conformance.md, "The layer kinds") computed
 * on a tfjs backend, in the contract's JSON shape, so that the float64 reference can check them
 * at a float32 tolerance. The inputs are given (drawn by the reference's generators, or read
 * from a file); only the outputs come from tfjs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { compareOut } from '../src/conformance/compare.ts';
import {
  CONFORMANCE_FORMAT,
  CONFORMANCE_VERSION,
  REFERENCE_TOLERANCE,
  type ConformanceCase,
  type ConformanceFile,
  type Tolerance,
} from '../src/conformance/format.ts';
import { FLAVORS, KINDS } from '../src/conformance/kinds.ts';
import { DomainError, ParseError, ShapeError } from '../src/errors.ts';
import type { LayerCotangent, LayerInputs } from '../src/hopfield/layer.ts';
import { createRng, type Rng } from '../src/random/rng.ts';
import { checkParams, type AhopParams } from '../src/similarity/adaptive.ts';
import { checkMatrix, checkVector } from '../src/validate.ts';
import { ahopAttention } from './attention.ts';
import { useTfjsBackend, type TfjsBackendName } from './backends.ts';
import { TFJS_FLOAT32_TOLERANCE } from './tolerance.ts';

export { TFJS_FLOAT32_TOLERANCE };

export const TFJS_LAYER_KINDS = ['layer', 'layer_vjp'] as const;
export type TfjsLayerKind = (typeof TFJS_LAYER_KINDS)[number];

/** The inputs of one `layer` or `layer_vjp` case (a case without its `out`). */
export interface LayerCaseInput {
  kind: TfjsLayerKind;
  queries: number[][];
  keys: number[][];
  values: number[][];
  params: AhopParams;
  /** `layer_vjp` only: cotangents on y (B×dv) and E (B). */
  cotangent?: { retrieved: number[][]; energy: number[] };
}

export interface LayerOut {
  scores: number[][];
  probs: number[][];
  retrieved: number[][];
  energy: number[];
}

export interface LayerVjpOut {
  queries: number[][];
  keys: number[][];
  values: number[][];
  params: AhopParams;
}

/** The contract's params shape (snake_case), for inputs and for `layer_vjp`'s `out.params`. */
export interface ContractParams {
  w_dis: number[];
  w_dot: number[];
  beta_dis: number;
  beta_dot: number;
}

/** `layer_vjp`'s `out` as the contract writes it (params snake_case). */
export type LayerVjpFileOut = Omit<LayerVjpOut, 'params'> & { params: ContractParams };

/**
 * θ in the contract's field names.
 *
 * @example
 * ```ts
 * import { contractParams } from 'ahop/tfjs';
 * const c = contractParams({ wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 });
 * if (c.w_dis[0] !== 1 || c.beta_dis !== 1 || c.beta_dot !== 0) throw new Error('the contract spells the fields snake_case');
 * ```
 */
export function contractParams(p: AhopParams): ContractParams {
  return { w_dis: p.wDis, w_dot: p.wDot, beta_dis: p.betaDis, beta_dot: p.betaDot };
}

interface Checked {
  kind: TfjsLayerKind;
  queries: number[][];
  keys: number[][];
  values: number[][];
  params: AhopParams;
  cotangent: { retrieved: number[][]; energy: number[] } | null;
}

/** Validates one case's inputs (every field named on error) before anything runs. */
function checkCase(c: LayerCaseInput, i: number): Checked {
  const at = `cases[${i}]`;
  if (!(TFJS_LAYER_KINDS as readonly string[]).includes(c.kind)) {
    throw new ParseError(`${at}.kind must be one of ${TFJS_LAYER_KINDS.join(', ')}, got ${JSON.stringify(c.kind)}`);
  }
  const queries = checkMatrix(`${at}.queries`, c.queries);
  const d = queries[0].length;
  const keys = checkMatrix(`${at}.keys`, c.keys, d);
  const values = checkMatrix(`${at}.values`, c.values);
  if (values.length !== keys.length) throw new ShapeError(`${at}.values has ${values.length} rows but keys has N = ${keys.length}`);
  const params = checkParams(c.params, d, `${at}.params`);
  if (c.kind === 'layer') return { kind: c.kind, queries, keys, values, params, cotangent: null };
  const ct = c.cotangent;
  if (typeof ct !== 'object' || ct === null) throw new ParseError(`${at}.cotangent must be an object { retrieved, energy }`);
  const retrieved = checkMatrix(`${at}.cotangent.retrieved`, ct.retrieved, values[0].length);
  if (retrieved.length !== queries.length) throw new ShapeError(`${at}.cotangent.retrieved has ${retrieved.length} rows but B = ${queries.length}`);
  const energy = checkVector(`${at}.cotangent.energy`, ct.energy, queries.length);
  return { kind: c.kind, queries, keys, values, params, cotangent: { retrieved, energy } };
}

function layerOut(c: Checked): LayerOut {
  return tf.tidy(() => {
    const o = ahopAttention(tf.tensor2d(c.queries), tf.tensor2d(c.keys), tf.tensor2d(c.values), c.params);
    return {
      scores: o.scores.arraySync(),
      probs: o.probs.arraySync(),
      retrieved: o.retrieved.arraySync(),
      energy: o.energy.arraySync(),
    };
  });
}

/** The gradient of L = Σ_b ȳ_b · y_b + Σ_b Ē_b E_b with respect to every input. */
function layerVjpOut(c: Checked): LayerVjpOut {
  const ct = c.cotangent!;
  return tf.tidy(() => {
    const ctY = tf.tensor2d(ct.retrieved);
    const ctE = tf.tensor1d(ct.energy);
    const loss = (...t: tf.Tensor[]) => {
      const [x, k, v, wDis, wDot, betaDis, betaDot] = t;
      const o = ahopAttention(x as tf.Tensor2D, k as tf.Tensor2D, v as tf.Tensor2D, {
        wDis: wDis as tf.Tensor1D,
        wDot: wDot as tf.Tensor1D,
        betaDis: betaDis as tf.Scalar,
        betaDot: betaDot as tf.Scalar,
      });
      return tf.add(tf.sum(tf.mul(ctY, o.retrieved)), tf.sum(tf.mul(ctE, o.energy))) as tf.Scalar;
    };
    const p = c.params;
    const g = tf.grads(loss)([
      tf.tensor2d(c.queries),
      tf.tensor2d(c.keys),
      tf.tensor2d(c.values),
      tf.tensor1d(p.wDis),
      tf.tensor1d(p.wDot),
      tf.scalar(p.betaDis),
      tf.scalar(p.betaDot),
    ]);
    return {
      queries: (g[0] as tf.Tensor2D).arraySync(),
      keys: (g[1] as tf.Tensor2D).arraySync(),
      values: (g[2] as tf.Tensor2D).arraySync(),
      params: {
        wDis: (g[3] as tf.Tensor1D).arraySync(),
        wDot: (g[4] as tf.Tensor1D).arraySync(),
        betaDis: (g[5] as tf.Scalar).arraySync(),
        betaDot: (g[6] as tf.Scalar).arraySync(),
      },
    };
  });
}

/**
 * Each case with its `out` computed on the tfjs backend: for `layer`
 * `{ scores [B][N], probs [B][N], retrieved [B][dv], energy [B] }` (s = s(keys, x_b),
 * p = softmax(s), y = Σ_k p_k v_k, E = −lse(s)); for `layer_vjp` the gradient of
 * L = Σ_b ȳ_b·y_b + Σ_b Ē_b E_b: `{ queries, keys, values, params }`. Every input is validated
 * first (typed errors naming the case and field); nothing is computed for a bad batch.
 *
 * @example
 * ```ts
 * import { tfjsLayerCases } from 'ahop/tfjs';
 * const [c] = await tfjsLayerCases('cpu', [{ kind: 'layer', queries: [[0, 1]], keys: [[0, 1], [1, 0]], values: [[1], [0]],
 *   params: { wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 } }]);
 * // s = (0, −2), y = p_0 = 1/(1 + e^−2)
 * const out = c?.out as { scores: number[][]; retrieved: number[][] };
 * if (out.scores[0]![1] !== -2 || Math.abs(out.retrieved[0]![0]! - 1 / (1 + Math.exp(-2))) > 1e-6) throw new Error('layer case');
 * ```
 */
export async function tfjsLayerCases(backend: TfjsBackendName, cases: readonly LayerCaseInput[]): Promise<ConformanceCase[]> {
  const checked = cases.map(checkCase);
  await useTfjsBackend(backend);
  return checked.map((c) => {
    const inputs: Record<string, unknown> = { queries: c.queries, keys: c.keys, values: c.values, params: contractParams(c.params) };
    if (c.cotangent !== null) inputs.cotangent = c.cotangent;
    let out: LayerOut | LayerVjpFileOut;
    if (c.kind === 'layer') out = layerOut(c);
    else {
      const g = layerVjpOut(c);
      out = { ...g, params: contractParams(g.params) };
    }
    return { kind: c.kind, ...inputs, out: out as unknown as ConformanceCase['out'] };
  });
}

/**
 * A whole conformance file of tfjs outputs, stating the float32 tolerance
 * (|got − expected| ≤ abs + rel·|expected| against the float64 reference).
 *
 * @example
 * ```ts
 * import { TFJS_FLOAT32_TOLERANCE, tfjsLayerConformance } from 'ahop/tfjs';
 * const file = await tfjsLayerConformance('cpu', [{ kind: 'layer', queries: [[0.5, 1]], keys: [[0, 1], [1, 0]], values: [[1], [0]],
 *   params: { wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 } }]);
 * // |got − expected| ≤ abs + rel·|expected| is stated at float32's tolerance
 * if (!file.generator.startsWith('ahop tfjs-cpu') || file.tolerance !== TFJS_FLOAT32_TOLERANCE || file.cases.length !== 1) {
 *   throw new Error(file.generator);
 * }
 * ```
 */
export async function tfjsLayerConformance(
  backend: TfjsBackendName,
  cases: readonly LayerCaseInput[],
  tolerance: Tolerance = TFJS_FLOAT32_TOLERANCE,
): Promise<ConformanceFile> {
  const out = await tfjsLayerCases(backend, cases);
  return {
    format: CONFORMANCE_FORMAT,
    version: CONFORMANCE_VERSION,
    generator: `ahop tfjs-${backend} (@tensorflow/tfjs-core ${tf.version_core}, float32)`,
    tolerance,
    cases: out,
  };
}

// ---------- drawing the cases ----------

const MAX_REDRAWS = 1000;
/** The relative perturbation standing in for float32's rounding of intermediates: 8 u (u = 2⁻²⁴). */
const PERTURBATION = 2 ** -21;

function mapNumbers<T>(v: T, f: (x: number) => number): T {
  if (typeof v === 'number') return f(v) as T;
  if (Array.isArray(v)) return v.map((e) => mapNumbers(e, f)) as T;
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, mapNumbers(e, f)])) as T;
  return v;
}

/**
 * Whether a case is well conditioned for float32: the float64 reference, run on the inputs rounded
 * to float32 (what a tfjs backend computes on) and on those inputs moved by ±8 u relative each
 * (for the rounding of every intermediate), lands within a quarter of the tolerance of its output
 * on the exact inputs; and that output agrees with the 64-digit one to a tenth of the reference
 * tolerance (the reference exporter's rule). Backend outputs play no part in the choice. Near-ties
 * of q (where the gradient jumps), softmaxes that a float32 ulp of a large score moves, and
 * cancellations fail it.
 */
export function float32Conditioned(kind: string, inputs: LayerInputs & { cotangent?: LayerCotangent }, tolerance: Tolerance, rng: Rng): boolean {
  const k = KINDS.get(kind)!;
  const quarter: Tolerance = { rel: tolerance.rel / 4, abs: tolerance.abs / 4 };
  const reference = k.compute(inputs);
  const rounded = mapNumbers(inputs, Math.fround);
  const moved = mapNumbers(rounded, (x) => x * (1 + (rng.uniform() < 0.5 ? -PERTURBATION : PERTURBATION)));
  if (![rounded, moved].every((i) => compareOut(reference, k.compute(i), quarter, k.integerFields).length === 0)) return false;
  const strict: Tolerance = { rel: REFERENCE_TOLERANCE.rel / 10, abs: REFERENCE_TOLERANCE.abs / 10 };
  return compareOut(k.exact(inputs), reference, strict, k.integerFields).length === 0;
}

/**
 * A conformance file of `layer` / `layer_vjp` cases computed on a tfjs backend: inputs drawn by the
 * reference's generators (src/conformance/kinds-layer.ts; kinds cycled, flavors as the reference
 * exporter cycles them, seeded), redrawn until well conditioned for float32 (the float64 reference
 * on float32-rounded and perturbed inputs, and the 64-digit output; see `float32Conditioned`),
 * outputs from `tfjsLayerCases`. The file states `TFJS_FLOAT32_TOLERANCE`.
 *
 * @example
 * ```ts
 * import { exportTfjsConformance } from 'ahop/tfjs';
 * const file = await exportTfjsConformance('cpu', { seed: 7, cases: 2, kinds: ['layer_vjp'] });
 * if (file.cases.length !== 2) throw new Error('two layer_vjp cases');
 * ```
 */
export async function exportTfjsConformance(
  backend: TfjsBackendName,
  options: { seed: number; cases: number; kinds?: readonly string[] },
): Promise<ConformanceFile> {
  if (!Number.isInteger(options.cases) || options.cases <= 0) throw new DomainError(`--cases must be a positive integer, got ${options.cases}`);
  const kinds = options.kinds ?? TFJS_LAYER_KINDS;
  const other = kinds.filter((k) => !(TFJS_LAYER_KINDS as readonly string[]).includes(k));
  if (kinds.length === 0 || other.length > 0) {
    throw new DomainError(`--kinds: the tfjs backends compute only ${TFJS_LAYER_KINDS.join(', ')}; got ${JSON.stringify(kinds)}`);
  }
  const rng = createRng(options.seed);
  const drawn: LayerCaseInput[] = [];
  for (let i = 0; i < options.cases; i++) {
    const kind = kinds[i % kinds.length] as TfjsLayerKind;
    const k = KINDS.get(kind)!;
    const flavor = FLAVORS[Math.floor(i / kinds.length) % FLAVORS.length];
    for (let attempt = 0; ; attempt++) {
      if (attempt === MAX_REDRAWS) throw new Error(`no ${kind} case well conditioned for float32 in ${MAX_REDRAWS} draws (flavor ${flavor})`);
      const inputs = k.parse(k.generate(rng, flavor)) as LayerInputs & { cotangent?: LayerCotangent };
      if (!float32Conditioned(kind, inputs, TFJS_FLOAT32_TOLERANCE, rng)) continue;
      drawn.push({ kind, queries: inputs.queries, keys: inputs.keys, values: inputs.values, params: inputs.params, cotangent: inputs.cotangent });
      break;
    }
  }
  return tfjsLayerConformance(backend, drawn);
}
