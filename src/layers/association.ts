/**
 * What the three Hopfield modules share: the similarity switch (A-Hop's learned similarity, or
 * M-Hop's β ξ·x as its special case), linear projections and their VJPs, and seeded initialisation.
 *
 * M-Hop as A-Hop: β ξ·x = β_dot w_dotᵀ ftpt_dot(ξ, x) with w_dot = e_d (ftpt_dot,d = Σ_i ξ_i x_i),
 * β_dis = 0, β_dot = β. In M-Hop mode only β is learned: ∂L/∂β = ∂L/∂β_dot of the A-Hop VJP.
 */
import { DomainError, ShapeError } from '../errors.ts';
import { layerVjp, type LayerCotangent, type LayerGradients, type LayerInputs } from '../hopfield/layer.ts';
import { createRng } from '../random/rng.ts';
import type { AhopParams } from '../similarity/adaptive.ts';
import { initialParams } from '../train/init.ts';
import { checkFinite, checkMatrix } from '../validate.ts';

export type Matrix = number[][];

/** 'ahop': learned (w_dis, w_dot, β_dis, β_dot); 'mhop': β ξ·x, only β learned. */
export type SimilarityKind = 'ahop' | 'mhop';

/** The similarity's learned parameters: A-Hop's four, or M-Hop's β. */
export type SimilarityWeights = { kind: 'ahop'; params: AhopParams } | { kind: 'mhop'; beta: number };

/**
 * The A-Hop parameters a similarity stands for in association space of dimension d:
 * A-Hop's own, or for M-Hop w_dis = 0, w_dot = e_d, β_dis = 0, β_dot = β.
 *
 * @example
 * ```ts
 * import { ahopParamsOf } from './association.ts';
 * const p = ahopParamsOf({ kind: 'mhop', beta: 0.5 }, 3);
 * if (p.wDot.join() !== '0,0,1' || p.betaDot !== 0.5 || p.betaDis !== 0) throw new Error('mhop');
 * ```
 */
export function ahopParamsOf(sim: SimilarityWeights, d: number): AhopParams {
  if (sim.kind === 'ahop') return sim.params;
  const unit = Array.from({ length: d }, (_, j) => (j === d - 1 ? 1 : 0));
  return { wDis: new Array<number>(d).fill(0), wDot: unit, betaDis: 0, betaDot: sim.beta };
}

/**
 * ∂L/∂(similarity weights) from the A-Hop parameter gradient: itself for A-Hop; ∂L/∂β = ∂L/∂β_dot
 * for M-Hop (β enters only as β_dot).
 *
 * @example
 * ```ts
 * import { similarityGradient } from './association.ts';
 * const g = similarityGradient('mhop', { wDis: [1], wDot: [2], betaDis: 3, betaDot: 4 });
 * if (g.kind !== 'mhop' || g.beta !== 4) throw new Error('mhop gradient');
 * ```
 */
export function similarityGradient(kind: SimilarityKind, g: AhopParams): SimilarityWeights {
  return kind === 'ahop' ? { kind, params: g } : { kind, beta: g.betaDot };
}

/**
 * Initial similarity weights: A-Hop starts as scaled negative squared distance (train/init.ts's
 * w = e_d, β_dis = 1/√d, β_dot = 0); M-Hop as hopfield-layers' default β = 1/√d.
 *
 * @example
 * ```ts
 * import { initialSimilarity } from './association.ts';
 * const s = initialSimilarity('mhop', 4);
 * if (s.kind !== 'mhop' || s.beta !== 0.5) throw new Error('β = 1/√d');
 * ```
 */
export function initialSimilarity(kind: SimilarityKind, d: number): SimilarityWeights {
  if (kind !== 'ahop' && kind !== 'mhop') throw new DomainError(`similarity must be "ahop" or "mhop", got ${JSON.stringify(kind)}`);
  const beta = 1 / Math.sqrt(d);
  return kind === 'ahop' ? { kind, params: initialParams(d, { dis: beta, dot: 0 }) } : { kind, beta };
}

/**
 * A rows×cols matrix with N(0, 1/rows) entries from a seeded stream (Glorot-like scale for x W).
 *
 * @example
 * ```ts
 * import { randomMatrix } from './association.ts';
 * const w = randomMatrix(3, 2, 7);
 * if (w.length !== 3 || w[0].length !== 2 || randomMatrix(3, 2, 7)[2][1] !== w[2][1]) throw new Error('seeded');
 * ```
 */
export function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  for (const [name, v] of [['rows', rows], ['cols', cols]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new DomainError(`${name} must be a positive integer, got ${v}`);
  }
  const rng = createRng(seed);
  const scale = 1 / Math.sqrt(rows);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * rng.normal()));
}

/**
 * A B: (A B)_ij = Σ_k A_ik B_kj.
 *
 * @example
 * ```ts
 * import { matmul } from './association.ts';
 * if (matmul([[1, 2]], [[3], [4]])[0][0] !== 11) throw new Error('matmul');
 * ```
 */
export function matmul(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce((acc, v, k) => acc + v * b[k][j], 0)));
}

/**
 * Aᵀ.
 *
 * @example
 * ```ts
 * import { transpose } from './association.ts';
 * if (transpose([[1, 2]])[1][0] !== 2) throw new Error('transpose');
 * ```
 */
export function transpose(a: readonly (readonly number[])[]): Matrix {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

/**
 * The VJP of Z = X W: given Ḡ = ∂L/∂Z, ∂L/∂X = Ḡ Wᵀ and ∂L/∂W = Xᵀ Ḡ.
 *
 * @example
 * ```ts
 * import { projectionVjp } from './association.ts';
 * const g = projectionVjp([[1, 2]], [[1], [1]], [[3]]);
 * if (g.input.join() !== '3,3' || g.weight.flat().join() !== '3,6') throw new Error('projection VJP');
 * ```
 */
export function projectionVjp(
  x: readonly (readonly number[])[],
  w: readonly (readonly number[])[],
  g: readonly (readonly number[])[],
): { input: Matrix; weight: Matrix } {
  return { input: matmul(g, transpose(w)), weight: matmul(transpose(x), g) };
}

/**
 * Elementwise A + B.
 *
 * @example
 * ```ts
 * import { addMatrices } from './association.ts';
 * if (addMatrices([[1]], [[2]])[0][0] !== 3) throw new Error('add');
 * ```
 */
export function addMatrices(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): Matrix {
  return a.map((row, i) => row.map((v, j) => v + b[i][j]));
}

/**
 * A matrix at the public boundary with `cols` columns (rows, when given, checked too).
 *
 * @example
 * ```ts
 * import { checkPatterns } from './association.ts';
 * let threw = false;
 * try { checkPatterns('R', [[1, 2]], 3); } catch { threw = true; }
 * if (!threw) throw new Error('a 1×2 matrix is not 1×3');
 * ```
 */
export function checkPatterns(name: string, m: unknown, cols: number, rows?: number): Matrix {
  const a = checkMatrix(name, m, cols);
  if (rows !== undefined && a.length !== rows) throw new ShapeError(`${name} must have ${rows} rows, got ${a.length}`);
  return a;
}

/**
 * Similarity weights at the public boundary (checked finite, sized d).
 *
 * @example
 * ```ts
 * import { checkSimilarity } from './association.ts';
 * let threw = false;
 * try { checkSimilarity({ kind: 'mhop', beta: NaN }, 2); } catch { threw = true; }
 * if (!threw) throw new Error('β = NaN is refused');
 * ```
 */
export function checkSimilarity(sim: SimilarityWeights, d: number): SimilarityWeights {
  if (sim.kind === 'mhop') return { kind: 'mhop', beta: checkFinite('similarity.beta', sim.beta) };
  const p = sim.params;
  checkPatterns('similarity.params.wDis', [p.wDis], d);
  checkPatterns('similarity.params.wDot', [p.wDot], d);
  return { kind: 'ahop', params: { ...p, betaDis: checkFinite('similarity.params.betaDis', p.betaDis), betaDot: checkFinite('similarity.params.betaDot', p.betaDot) } };
}

/**
 * A module's sizes at the public boundary: each named size (d_R, d_k, N, …) is a positive integer.
 *
 * @example
 * ```ts
 * import { checkSizes } from './association.ts';
 * let threw = false;
 * try { checkSizes({ stateDim: 2, hiddenDim: 0 }); } catch { threw = true; }
 * if (!threw) throw new Error('d_k = 0 is refused');
 * ```
 */
export function checkSizes(sizes: Readonly<Record<string, number>>): void {
  for (const [name, v] of Object.entries(sizes)) {
    if (!Number.isInteger(v) || v <= 0) throw new DomainError(`options.${name} must be a positive integer, got ${String(v)}`);
  }
}

/** The options every Hopfield module shares. */
export interface ModuleOptions {
  /** 'ahop' (default) or 'mhop' (β ξ·x, hopfield-layers' own similarity). */
  similarity?: SimilarityKind;
  /** Seed of the initial parameters: s, s + 1, s + 2 for the three matrices (default 0). */
  seed?: number;
}

type Shape = readonly [rows: number, cols: number];

/**
 * A module's initial parameters: its three matrices ~ N(0, 1/rows) (randomMatrix) from seeds s,
 * s + 1, s + 2, and the similarity of association space d_k as in initialSimilarity.
 *
 * @example
 * ```ts
 * import { initialModule, randomMatrix } from './association.ts';
 * const m = initialModule({ similarity: 'mhop', seed: 3 }, [[2, 4], [3, 4], [3, 5]], 4);
 * if (m.kind !== 'mhop' || m.matrices[2][0].length !== 5 || m.matrices[1][2][3] !== randomMatrix(3, 4, 4)[2][3]) throw new Error('seeds s, s + 1, s + 2');
 * ```
 */
export function initialModule(
  options: ModuleOptions,
  shapes: readonly [Shape, Shape, Shape],
  dK: number,
): { kind: SimilarityKind; matrices: [Matrix, Matrix, Matrix]; similarity: SimilarityWeights } {
  const seed = options.seed ?? 0;
  const kind = options.similarity ?? 'ahop';
  const [a, b, c] = shapes;
  return {
    kind,
    matrices: [randomMatrix(a[0], a[1], seed), randomMatrix(b[0], b[1], seed + 1), randomMatrix(c[0], c[1], seed + 2)],
    similarity: initialSimilarity(kind, dK),
  };
}

/**
 * The layer's A-Hop parameters from a module's similarity weights, checked at the public boundary:
 * ahopParamsOf(checkSimilarity(sim, d_k), d_k).
 *
 * @example
 * ```ts
 * import { layerParams } from './association.ts';
 * const p = layerParams({ kind: 'mhop', beta: 2 }, 2);
 * if (p.betaDot !== 2 || p.wDot.join() !== '0,1') throw new Error('β ξ·x as A-Hop');
 * ```
 */
export function layerParams(sim: SimilarityWeights, dK: number): AhopParams {
  return ahopParamsOf(checkSimilarity(sim, dK), dK);
}

/**
 * The layer's VJP (∂L/∂Q, ∂L/∂K, ∂L/∂V, ∂L/∂θ) with ∂L/∂θ also in the module's own terms
 * (similarityGradient): the part of backward() every Hopfield module shares.
 *
 * @example
 * ```ts
 * import { associationVjp, layerParams } from './association.ts';
 * const layer = { queries: [[1]], keys: [[1], [0]], values: [[1], [2]], params: layerParams({ kind: 'mhop', beta: 1 }, 1) };
 * const g = associationVjp(layer, { retrieved: [[1]], energy: [0] }, 'mhop');
 * if (g.similarity.kind !== 'mhop' || g.similarity.beta !== g.params.betaDot) throw new Error('∂L/∂β = ∂L/∂β_dot');
 * ```
 */
export function associationVjp(
  layer: LayerInputs,
  cotangent: LayerCotangent,
  kind: SimilarityKind,
): LayerGradients & { similarity: SimilarityWeights } {
  const g = layerVjp(layer, cotangent);
  return { ...g, similarity: similarityGradient(kind, g.params) };
}
