/**
 * `Hopfield`: the association of state patterns R (B×d_R) with stored patterns Y (N×d_Y) through
 * learned projections, read out through a pattern projection P (N×d_P, defaults to Y):
 *   Q = R W_Q,  K = Y W_K,  V = P W_V   (association space of dimension d_k; values of width d_v),
 *   Z = softmax_rows(s(K, Q)) V        (s: A-Hop's similarity, or M-Hop's β ξ·x),
 * the hopfield-layers `Hopfield` module with the paper's symbols (docs/layers.md). The layer itself
 * (scores, softmax, readout, energy and their VJP) is src/hopfield/layer.ts; this module adds the
 * projections and their gradients by the chain rule: with Ḡ_Q = ∂L/∂Q from the layer's VJP,
 * ∂L/∂W_Q = Rᵀ Ḡ_Q and ∂L/∂R = Ḡ_Q W_Qᵀ, and likewise for K (from Y) and V (from P).
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

export interface HopfieldOptions extends ModuleOptions {
  /** d_R: width of the state patterns R (hopfield-layers `input_size`). */
  stateDim: number;
  /** d_Y: width of the stored patterns Y (`stored_pattern_size`); default d_R. */
  storedDim?: number;
  /** d_P: width of the pattern projection P (`pattern_projection_size`); default d_Y. */
  projectionDim?: number;
  /** d_k: the association space (`hidden_size`); default d_R. */
  hiddenDim?: number;
  /** d_v: width of the retrieved patterns (`output_size` without the output projection); default d_P. */
  valueDim?: number;
}

export interface HopfieldWeights {
  /** W_Q, d_R×d_k. */
  wQ: Matrix;
  /** W_K, d_Y×d_k. */
  wK: Matrix;
  /** W_V, d_P×d_v. */
  wV: Matrix;
  similarity: SimilarityWeights;
}

export interface HopfieldInputs {
  /** R, B×d_R. */
  statePatterns: Matrix;
  /** Y, N×d_Y. */
  storedPatterns: Matrix;
  /** P, N×d_P; Y when absent. */
  patternProjection?: Matrix;
}

export interface HopfieldGradients {
  weights: HopfieldWeights;
  statePatterns: Matrix;
  /** ∂L/∂Y (including the pattern projection's share when P = Y). */
  storedPatterns: Matrix;
  /** ∂L/∂P, when P was given. */
  patternProjection?: Matrix;
}

function dims(o: HopfieldOptions) {
  if (typeof o !== 'object' || o === null) throw new DomainError('options must be an object { stateDim, … }');
  const dR = o.stateDim;
  const dY = o.storedDim ?? dR;
  const dP = o.projectionDim ?? dY;
  const dK = o.hiddenDim ?? dR;
  const dV = o.valueDim ?? dP;
  checkSizes({ stateDim: dR, storedDim: dY, projectionDim: dP, hiddenDim: dK, valueDim: dV });
  return { dR, dY, dP, dK, dV };
}

export class Hopfield {
  readonly similarity: SimilarityKind;
  /** The learned parameters; replace them (same shapes) to load or perturb a model. */
  weights: HopfieldWeights;

  /**
   * W_Q, W_K, W_V ~ N(0, 1/fan_in) from `seed`; the similarity starts as in initialSimilarity.
   *
   * @example
   * ```ts
   * import { Hopfield } from 'ahop';
   * const h = new Hopfield({ stateDim: 3, storedDim: 2, hiddenDim: 4, valueDim: 5, seed: 1 });
   * if (h.weights.wQ.length !== 3 || h.weights.wK[0]!.length !== 4 || h.weights.wV[0]!.length !== 5) throw new Error('shapes');
   * ```
   */
  constructor(options: HopfieldOptions) {
    const { dR, dY, dP, dK, dV } = dims(options);
    const init = initialModule(options, [[dR, dK], [dY, dK], [dP, dV]], dK);
    const [wQ, wK, wV] = init.matrices;
    this.similarity = init.kind;
    this.weights = { wQ, wK, wV, similarity: init.similarity };
  }

  private associate(inputs: HopfieldInputs) {
    if (typeof inputs !== 'object' || inputs === null) throw new DomainError('inputs must be an object { statePatterns, storedPatterns, patternProjection? }');
    const w = this.weights;
    const R = checkPatterns('statePatterns', inputs.statePatterns, w.wQ.length);
    const Y = checkPatterns('storedPatterns', inputs.storedPatterns, w.wK.length);
    const P = inputs.patternProjection === undefined ? Y : checkPatterns('patternProjection', inputs.patternProjection, w.wV.length, Y.length);
    const params = layerParams(w.similarity, w.wK[0].length);
    const layer = { queries: matmul(R, w.wQ), keys: matmul(Y, w.wK), values: matmul(P, w.wV), params };
    return { R, Y, P, layer };
  }

  /**
   * Z = softmax_rows(s(Y W_K, R W_Q)) P W_V, with scores, probabilities and energies (LayerOutputs).
   *
   * @example
   * ```ts
   * import { Hopfield } from 'ahop';
   * const h = new Hopfield({ stateDim: 2, seed: 3 });
   * const out = h.forward({ statePatterns: [[1, 0]], storedPatterns: [[1, 0], [0, 1]] });
   * if (Math.abs(out.probs[0]![0]! + out.probs[0]![1]! - 1) > 1e-15 || out.retrieved[0]!.length !== 2) throw new Error('forward');
   * ```
   */
  forward(inputs: HopfieldInputs): LayerOutputs {
    return layerForwardValidated(this.associate(inputs).layer);
  }

  /**
   * Gradients of L = Σ_b ȳ_b · z_b + Σ_b Ē_b E_b for every parameter and input: the layer's VJP,
   * then ∂L/∂W_Q = Rᵀ Ḡ_Q, ∂L/∂W_K = Yᵀ Ḡ_K, ∂L/∂W_V = Pᵀ Ḡ_V and ∂L/∂R = Ḡ_Q W_Qᵀ,
   * ∂L/∂Y = Ḡ_K W_Kᵀ (+ Ḡ_V W_Vᵀ when P = Y), ∂L/∂P = Ḡ_V W_Vᵀ.
   *
   * @example
   * ```ts
   * import { Hopfield } from 'ahop';
   * const h = new Hopfield({ stateDim: 2, seed: 3 });
   * const inputs = { statePatterns: [[1, 0.5]], storedPatterns: [[1, 0], [0, 1]] };
   * const ct = { retrieved: [[1, 0]], energy: [0] };
   * const g = h.backward(inputs, ct);
   * const L = () => h.forward(inputs).retrieved[0]![0]!;
   * const w0 = h.weights.wV[0]![0]!;
   * h.weights.wV[0]![0] = w0 + 1e-6; const up = L();
   * h.weights.wV[0]![0] = w0 - 1e-6; const down = L();
   * h.weights.wV[0]![0] = w0;
   * if (Math.abs((up - down) / 2e-6 - g.weights.wV[0]![0]!) > 1e-8) throw new Error('∂L/∂W_V');
   * ```
   */
  backward(inputs: HopfieldInputs, cotangent: LayerCotangent): HopfieldGradients {
    const { R, Y, P, layer } = this.associate(inputs);
    const g = associationVjp(layer, cotangent, this.similarity);
    const q = projectionVjp(R, this.weights.wQ, g.queries);
    const k = projectionVjp(Y, this.weights.wK, g.keys);
    const v = projectionVjp(P, this.weights.wV, g.values);
    const shared = inputs.patternProjection === undefined;
    return {
      weights: { wQ: q.weight, wK: k.weight, wV: v.weight, similarity: g.similarity },
      statePatterns: q.input,
      storedPatterns: shared ? addMatrices(k.input, v.input) : k.input,
      ...(shared ? {} : { patternProjection: v.input }),
    };
  }
}
