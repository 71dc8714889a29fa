/**
 * `HopfieldPooling`: S learned query patterns Q (S×d_k, in association space) pool a bag of N
 * instances Y (N×d_Y) — the state patterns are parameters, the bag is the stored patterns:
 *   K = Y W_K,  V = Y W_V,  Z = softmax_rows(s(K, Q)) V   (S×d_v),
 * the hopfield-layers `HopfieldPooling` module with the paper's symbols, for multi-instance learning
 * (a bag's label depends on which instances it holds, in any number and order). Gradients:
 * ∂L/∂Q is the layer VJP's query part; ∂L/∂W_K = Yᵀ Ḡ_K, ∂L/∂W_V = Yᵀ Ḡ_V,
 * ∂L/∂Y = Ḡ_K W_Kᵀ + Ḡ_V W_Vᵀ.
 */
import { DomainError } from '../errors.ts';
import { layerForwardValidated, type LayerCotangent, type LayerOutputs } from '../hopfield/layer.ts';
import {
  addMatrices,
  associationVjp,
  checkPatterns,
  checkSizes,
  initialModule,
  layerParams,
  matmul,
  projectionVjp,
  type Matrix,
  type ModuleOptions,
  type SimilarityKind,
  type SimilarityWeights,
} from './association.ts';

export interface HopfieldPoolingOptions extends ModuleOptions {
  /** d_Y: width of the instances (hopfield-layers `input_size`). */
  inputDim: number;
  /** d_k: the association space (`hidden_size`); default d_Y. */
  hiddenDim?: number;
  /** d_v: width of each pooled pattern; default d_Y. */
  valueDim?: number;
  /** S: number of learned query patterns (`quantity`); default 1. */
  quantity?: number;
}

export interface HopfieldPoolingWeights {
  /** Q, S×d_k: the learned state patterns. */
  query: Matrix;
  /** W_K, d_Y×d_k. */
  wK: Matrix;
  /** W_V, d_Y×d_v. */
  wV: Matrix;
  similarity: SimilarityWeights;
}

export interface HopfieldPoolingGradients {
  weights: HopfieldPoolingWeights;
  /** ∂L/∂Y for the bag. */
  storedPatterns: Matrix;
}

export class HopfieldPooling {
  readonly similarity: SimilarityKind;
  weights: HopfieldPoolingWeights;

  /**
   * Q, W_K, W_V ~ N(0, 1/fan_in) from `seed`.
   *
   * @example
   * ```ts
   * import { HopfieldPooling } from 'ahop';
   * const pool = new HopfieldPooling({ inputDim: 3, quantity: 2, seed: 1 });
   * if (pool.weights.query.length !== 2 || pool.weights.query[0]!.length !== 3) throw new Error('Q is S×d_k');
   * ```
   */
  constructor(options: HopfieldPoolingOptions) {
    if (typeof options !== 'object' || options === null) throw new DomainError('options must be an object { inputDim, … }');
    const dY = options.inputDim;
    const dK = options.hiddenDim ?? dY;
    const dV = options.valueDim ?? dY;
    const s = options.quantity ?? 1;
    checkSizes({ inputDim: dY, hiddenDim: dK, valueDim: dV, quantity: s });
    const init = initialModule(options, [[s, dK], [dY, dK], [dY, dV]], dK);
    const [query, wK, wV] = init.matrices;
    this.similarity = init.kind;
    this.weights = { query, wK, wV, similarity: init.similarity };
  }

  private associate(bag: Matrix) {
    const w = this.weights;
    const Y = checkPatterns('storedPatterns', bag, w.wK.length);
    const dK = w.wK[0].length;
    const Q = checkPatterns('weights.query', w.query, dK);
    const params = layerParams(w.similarity, dK);
    return { Y, layer: { queries: Q, keys: matmul(Y, w.wK), values: matmul(Y, w.wV), params } };
  }

  /**
   * The pooled patterns Z = softmax_rows(s(Y W_K, Q)) Y W_V (S×d_v) with scores, probabilities
   * (the attention over the bag's instances) and energies. A bag of any size N ≥ 1.
   *
   * @example
   * ```ts
   * import { HopfieldPooling } from 'ahop';
   * const pool = new HopfieldPooling({ inputDim: 2, seed: 5 });
   * const a = pool.forward([[1, 0], [0, 1], [2, 2]]);
   * const b = pool.forward([[2, 2], [1, 0], [0, 1]]);
   * // Permuting the bag permutes the attention and leaves the pooled pattern unchanged.
   * if (Math.abs(a.retrieved[0]![0]! - b.retrieved[0]![0]!) > 1e-12) throw new Error('order-invariant');
   * ```
   */
  forward(bag: Matrix): LayerOutputs {
    return layerForwardValidated(this.associate(bag).layer);
  }

  /**
   * Gradients of L = Σ_s ȳ_s · z_s + Σ_s Ē_s E_s for Q, W_K, W_V, the similarity and the bag.
   *
   * @example
   * ```ts
   * import { HopfieldPooling } from 'ahop';
   * const pool = new HopfieldPooling({ inputDim: 2, seed: 5 });
   * const bag = [[1, 0], [0, 1], [2, 2]];
   * const g = pool.backward(bag, { retrieved: [[1, -1]], energy: [0.5] });
   * const L = () => { const o = pool.forward(bag); return o.retrieved[0]![0]! - o.retrieved[0]![1]! + 0.5 * o.energy[0]!; };
   * const q0 = pool.weights.query[0]![0]!;
   * pool.weights.query[0]![0] = q0 + 1e-6; const up = L();
   * pool.weights.query[0]![0] = q0 - 1e-6; const down = L();
   * pool.weights.query[0]![0] = q0;
   * if (Math.abs((up - down) / 2e-6 - g.weights.query[0]![0]!) > 1e-7) throw new Error('∂L/∂Q');
   * ```
   */
  backward(bag: Matrix, cotangent: LayerCotangent): HopfieldPoolingGradients {
    const { Y, layer } = this.associate(bag);
    const g = associationVjp(layer, cotangent, this.similarity);
    const k = projectionVjp(Y, this.weights.wK, g.keys);
    const v = projectionVjp(Y, this.weights.wV, g.values);
    return {
      weights: { query: g.queries, wK: k.weight, wV: v.weight, similarity: g.similarity },
      storedPatterns: addMatrices(k.input, v.input),
    };
  }
}
