/**
 * `HopfieldLayer`: state patterns R (B×d_R) look up N learned stored patterns — the memory is a
 * parameter, as in a key–value lookup table:
 *   Q = R W_Q,  Z = softmax_rows(s(Ξ, Q)) V   (Ξ: N×d_k learned keys, V: N×d_v learned values),
 * the hopfield-layers `HopfieldLayer` module (its lookup weights, kept separate for keys and values)
 * with the paper's symbols. Gradients: ∂L/∂Ξ and ∂L/∂V are the layer VJP's key and value parts;
 * ∂L/∂W_Q = Rᵀ Ḡ_Q, ∂L/∂R = Ḡ_Q W_Qᵀ.
 */
import { DomainError } from '../errors.ts';
import { layerForwardValidated, type LayerCotangent, type LayerOutputs } from '../hopfield/layer.ts';
import {
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

export interface HopfieldLayerOptions extends ModuleOptions {
  /** d_R: width of the state patterns (hopfield-layers `input_size`). */
  stateDim: number;
  /** N: number of learned stored patterns (`quantity`). */
  quantity: number;
  /** d_k: the association space (`hidden_size`); default d_R. */
  hiddenDim?: number;
  /** d_v: width of the retrieved patterns; default d_R. */
  valueDim?: number;
}

export interface HopfieldLayerWeights {
  /** W_Q, d_R×d_k. */
  wQ: Matrix;
  /** Ξ, N×d_k: the learned stored patterns (keys). */
  storedPatterns: Matrix;
  /** V, N×d_v: the learned pattern projection (values). */
  patternProjection: Matrix;
  similarity: SimilarityWeights;
}

export interface HopfieldLayerGradients {
  weights: HopfieldLayerWeights;
  statePatterns: Matrix;
}

export class HopfieldLayer {
  readonly similarity: SimilarityKind;
  weights: HopfieldLayerWeights;

  /**
   * W_Q, Ξ, V ~ N(0, 1/fan_in) from `seed`.
   *
   * @example
   * ```ts
   * import { HopfieldLayer } from 'ahop';
   * const lookup = new HopfieldLayer({ stateDim: 4, quantity: 10, valueDim: 3, seed: 2 });
   * if (lookup.weights.storedPatterns.length !== 10 || lookup.weights.patternProjection[0]!.length !== 3) throw new Error('shapes');
   * ```
   */
  constructor(options: HopfieldLayerOptions) {
    if (typeof options !== 'object' || options === null) throw new DomainError('options must be an object { stateDim, quantity, … }');
    const dR = options.stateDim;
    const n = options.quantity;
    const dK = options.hiddenDim ?? dR;
    const dV = options.valueDim ?? dR;
    checkSizes({ stateDim: dR, quantity: n, hiddenDim: dK, valueDim: dV });
    const init = initialModule(options, [[dR, dK], [n, dK], [n, dV]], dK);
    const [wQ, storedPatterns, patternProjection] = init.matrices;
    this.similarity = init.kind;
    this.weights = { wQ, storedPatterns, patternProjection, similarity: init.similarity };
  }

  private associate(statePatterns: Matrix) {
    const w = this.weights;
    const R = checkPatterns('statePatterns', statePatterns, w.wQ.length);
    const dK = w.wQ[0].length;
    const keys = checkPatterns('weights.storedPatterns', w.storedPatterns, dK);
    const values = checkPatterns('weights.patternProjection', w.patternProjection, w.patternProjection[0]?.length ?? 0, keys.length);
    const params = layerParams(w.similarity, dK);
    return { R, layer: { queries: matmul(R, w.wQ), keys, values, params } };
  }

  /**
   * Z = softmax_rows(s(Ξ, R W_Q)) V, with scores, probabilities and energies.
   *
   * @example
   * ```ts
   * import { HopfieldLayer } from 'ahop';
   * const lookup = new HopfieldLayer({ stateDim: 2, quantity: 3, seed: 4 });
   * const out = lookup.forward([[0.5, -1], [1, 1]]);
   * if (out.retrieved.length !== 2 || out.probs[1]!.length !== 3) throw new Error('shapes');
   * ```
   */
  forward(statePatterns: Matrix): LayerOutputs {
    return layerForwardValidated(this.associate(statePatterns).layer);
  }

  /**
   * Gradients of L = Σ_b ȳ_b · z_b + Σ_b Ē_b E_b for W_Q, Ξ, V, the similarity and R.
   *
   * @example
   * ```ts
   * import { HopfieldLayer } from 'ahop';
   * const lookup = new HopfieldLayer({ stateDim: 2, quantity: 3, seed: 4 });
   * const R = [[0.5, -1]];
   * const g = lookup.backward(R, { retrieved: [[0, 1]], energy: [0] });
   * const L = () => lookup.forward(R).retrieved[0]![1]!;
   * const x0 = lookup.weights.storedPatterns[2]![0]!;
   * lookup.weights.storedPatterns[2]![0] = x0 + 1e-6; const up = L();
   * lookup.weights.storedPatterns[2]![0] = x0 - 1e-6; const down = L();
   * lookup.weights.storedPatterns[2]![0] = x0;
   * if (Math.abs((up - down) / 2e-6 - g.weights.storedPatterns[2]![0]!) > 1e-7) throw new Error('∂L/∂Ξ');
   * ```
   */
  backward(statePatterns: Matrix, cotangent: LayerCotangent): HopfieldLayerGradients {
    const { R, layer } = this.associate(statePatterns);
    const g = associationVjp(layer, cotangent, this.similarity);
    const q = projectionVjp(R, this.weights.wQ, g.queries);
    return {
      weights: { wQ: q.weight, storedPatterns: g.keys, patternProjection: g.values, similarity: g.similarity },
      statePatterns: q.input,
    };
  }
}
