/**
 * AHopLayer: A-Hop as a drop-in tfjs-layers layer with learned stored patterns — hopfield-layers'
 * `HopfieldLayer` (a lookup into stored patterns) with A-Hop's similarity and the paper's symbols.
 *
 * Input convention: the layer's input is the batch of queries (state patterns) x, shape
 * [batch, d]. The stored patterns Ξ (keys, [N, d]) and their values V ([N, dv], or V = Ξ, the plain
 * A-Hop) are weights of the layer, as are w_dis, w_dot, β_dis, β_dot. For attention over keys and
 * values that come from elsewhere in a model, use the functional op `ahopAttention` instead.
 *
 *   s_bk = β_dis w_disᵀ U sort↓(−(ξ_k − x_b)²) + β_dot w_dotᵀ U sort↓(ξ_k ⊙ x_b),
 *   p_b = softmax(s_b),  y_b = Σ_k p_bk v_k,  E_b = −lse(s_b);
 * the layer outputs one of y (default, [batch, dv]), p or s ([batch, N]) or E ([batch]).
 *
 * The similarity starts as the reference's A-Hop initialisation (src/train/init.ts): w_dis = w_dot
 * = e_d, β_dis = 1, β_dot = 0 — plain negative squared distance — unless `beta` says otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { LayerVariable } from '@tensorflow/tfjs-layers';
import { DomainError, ShapeError } from '../src/errors.ts';
import { initialParams } from '../src/train/init.ts';
import { checkFinite, checkMatrix } from '../src/validate.ts';
import { ahopAttention } from './attention.ts';

export const AHOP_LAYER_OUTPUTS = ['retrieved', 'probs', 'scores', 'energy'] as const;
export type AHopLayerOutput = (typeof AHOP_LAYER_OUTPUTS)[number];

export interface AHopLayerArgs extends LayerArgs {
  /** Ξ: the N stored patterns (keys) of length d, their initial values when trainable. */
  storedPatterns: number[][];
  /** V: the N values of length dv; 'keys' (the default) ties V to Ξ, the plain A-Hop. */
  storedValues?: number[][] | 'keys';
  /** What the layer returns: 'retrieved' y (default), 'probs' p, 'scores' s or 'energy' E. */
  output?: AHopLayerOutput;
  /** Whether Ξ (and V when given separately) are trained too (default false: only the similarity is). */
  trainablePatterns?: boolean;
  /** Initial β (default { dis: 1, dot: 0 }); w_dis = w_dot = e_d always. */
  beta?: { dis: number; dot: number };
}

/**
 * A-Hop retrieval from learned stored patterns, trainable end to end (the VJP through the sort is
 * ahopAttention's custom gradient): input x [batch, d] → y_b = Σ_k softmax(s(Ξ, x_b))_k v_k.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { AHopLayer, useTfjsBackend } from 'ahop/tfjs';
 * await useTfjsBackend('cpu');
 * const model = tfl.sequential();
 * model.add(new AHopLayer({ inputShape: [2], storedPatterns: [[0, 1], [1, 0]], output: 'probs' }));
 * model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
 * const queries = tf.tensor2d([[0.1, 0.9], [0.8, 0.3]]);
 * const before = (await model.evaluate(queries, tf.tensor2d([[1, 0], [0, 1]])) as tf.Scalar).dataSync()[0]!;
 * await model.fit(queries, tf.tensor2d([[1, 0], [0, 1]]), { epochs: 5, verbose: 0 });
 * const after = (await model.evaluate(queries, tf.tensor2d([[1, 0], [0, 1]])) as tf.Scalar).dataSync()[0]!;
 * // p_b = softmax(s(Ξ, x_b)); training lowers −log p_b,t
 * if (!(after < before)) throw new Error(`the loss falls: ${before} → ${after}`);
 * ```
 */
export class AHopLayer extends tfl.layers.Layer {
  static className = 'AHopLayer';
  readonly storedPatterns: number[][];
  readonly storedValues: number[][] | 'keys';
  readonly returns: AHopLayerOutput;
  readonly trainablePatterns: boolean;
  readonly beta: { dis: number; dot: number };
  private xi: LayerVariable | null = null;
  private values: LayerVariable | null = null;
  private wDis: LayerVariable | null = null;
  private wDot: LayerVariable | null = null;
  private betaDis: LayerVariable | null = null;
  private betaDot: LayerVariable | null = null;

  constructor(args: AHopLayerArgs) {
    super(args);
    this.storedPatterns = checkMatrix('storedPatterns', args.storedPatterns);
    const v = args.storedValues ?? 'keys';
    if (v === 'keys') this.storedValues = 'keys';
    else {
      this.storedValues = checkMatrix('storedValues', v);
      if (this.storedValues.length !== this.storedPatterns.length) {
        throw new ShapeError(`storedValues has ${this.storedValues.length} rows but storedPatterns has N = ${this.storedPatterns.length}`);
      }
    }
    const output = args.output ?? 'retrieved';
    if (!(AHOP_LAYER_OUTPUTS as readonly string[]).includes(output)) {
      throw new DomainError(`output must be one of ${AHOP_LAYER_OUTPUTS.join(', ')}, got ${JSON.stringify(output)}`);
    }
    this.returns = output;
    this.trainablePatterns = args.trainablePatterns ?? false;
    const beta = args.beta ?? { dis: 1, dot: 0 };
    this.beta = { dis: checkFinite('beta.dis', beta.dis), dot: checkFinite('beta.dot', beta.dot) };
  }

  /** N, d, dv. */
  private get sizes(): { n: number; d: number; dv: number } {
    const n = this.storedPatterns.length;
    const d = this.storedPatterns[0].length;
    return { n, d, dv: this.storedValues === 'keys' ? d : this.storedValues[0].length };
  }

  private weight(name: string, shape: number[], init: tf.Tensor, trainable: boolean): LayerVariable {
    const w = this.addWeight(name, shape, 'float32', tfl.initializers.zeros(), undefined, trainable);
    w.write(init);
    init.dispose();
    return w;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const { n, d, dv } = this.sizes;
    if (shape.length !== 2 || shape[1] !== d) {
      throw new ShapeError(`AHopLayer input must have shape [batch, d = ${d}], got [${shape.join(', ')}]`);
    }
    const p = initialParams(d, this.beta);
    this.xi = this.weight('xi', [n, d], tf.tensor2d(this.storedPatterns), this.trainablePatterns);
    if (this.storedValues !== 'keys') this.values = this.weight('values', [n, dv], tf.tensor2d(this.storedValues), this.trainablePatterns);
    this.wDis = this.weight('w_dis', [d], tf.tensor1d(p.wDis), true);
    this.wDot = this.weight('w_dot', [d], tf.tensor1d(p.wDot), true);
    this.betaDis = this.weight('beta_dis', [], tf.scalar(p.betaDis), true);
    this.betaDot = this.weight('beta_dot', [], tf.scalar(p.betaDot), true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const { n, dv } = this.sizes;
    if (this.returns === 'retrieved') return [shape[0], dv];
    if (this.returns === 'energy') return [shape[0]];
    return [shape[0], n];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      const keys = this.xi!.read() as tf.Tensor2D;
      const values = this.values === null ? keys : (this.values.read() as tf.Tensor2D);
      const o = ahopAttention(x, keys, values, {
        wDis: this.wDis!.read() as tf.Tensor1D,
        wDot: this.wDot!.read() as tf.Tensor1D,
        betaDis: this.betaDis!.read() as tf.Scalar,
        betaDot: this.betaDot!.read() as tf.Scalar,
      });
      return o[this.returns];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      storedPatterns: this.storedPatterns,
      storedValues: this.storedValues,
      output: this.returns,
      trainablePatterns: this.trainablePatterns,
      beta: { ...this.beta },
    };
  }
}

tf.serialization.registerClass(AHopLayer);
