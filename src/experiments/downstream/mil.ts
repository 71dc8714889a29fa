/**
 * The `mil` group: multi-instance learning on MNIST-bags with the same instance encoder under five
 * poolings (docs/protocol-downstream.md, "Multi-instance learning (MNIST-bags)"). One cell = one
 * (seed, number of training bags): it trains every pooling and scores it on the seed's test bags.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { TopLevelSpec } from 'vega-lite';
import { DomainError } from '../../errors.ts';
import { CONFIG, toSvg } from '../figures/svg.ts';
import { streamRng } from '../seeds.ts';
import { auc } from './auc.ts';
import { drawBags, type Bag, type BagSize } from './bags.ts';
import { fitWithBestIterate } from './best-iterate.ts';
import { DIGIT_DIM, stratifiedSplit } from './digits.ts';
import { EMBEDDING, createEncoder } from './encoder.ts';
import { glorotUniform, variableOf } from './init.ts';
import { POOLINGS, POOLING_LABELS, createPooling, type PoolingName } from './pooling.ts';
import { meanStd, summaryRow, type Rendered, type SummaryRow } from './summary.ts';
import { loadTfjs, type TfjsBackend, type Tfjs } from './tfjs.ts';

export const MIL_VERSION = 'mil-2';
export const TRAINING_BAGS = [50, 100, 200] as const;

export interface MilSpec {
  group: 'mil';
  id: string;
  version: string;
  seed: number;
  backend: TfjsBackend;
  /** Labelled bags of this cell (the first ones of the seed's sequence of training bags). */
  trainingBags: number;
  /** Length of the seed's sequence of training bags (the largest training set), so sets are nested. */
  bagSequence: number;
  /** Fraction of the labelled bags held out for best-iterate restore. */
  validationFraction: number;
  testBags: number;
  bagSize: BagSize;
  epochs: number;
  batchBags: number;
  learningRate: number;
  poolings: PoolingName[];
}

export interface MilScore {
  method: PoolingName;
  auc: number;
  accuracy: number;
}

export interface MilResult {
  spec: MilSpec;
  scores: MilScore[];
  training: Record<string, { bestEpoch: number; bestLoss: number }>;
  /** Positive bags among the test bags. */
  testPositiveRate: number;
}

/**
 * One cell per (seed, training-set size), seeds 0 … seeds − 1 (`tiny`: 10 and 20 bags, 2 epochs).
 *
 * @example
 * ```ts
 * import { plan } from './mil.ts';
 * if (plan(5, {}).length !== 15) throw new Error('3 poolings × 5 seeds');
 * ```
 */
export function plan(seeds: number, options: { tiny?: boolean; backend?: TfjsBackend } = {}): MilSpec[] {
  if (!(Number.isInteger(seeds) && seeds >= 1)) throw new DomainError(`seeds must be a positive integer, got ${seeds}`);
  const tiny = options.tiny === true;
  const sizes: readonly number[] = tiny ? [10, 20] : TRAINING_BAGS;
  return Array.from({ length: seeds }, (_, seed) =>
    sizes.map((trainingBags) => ({
      group: 'mil' as const,
      id: `mil${tiny ? '-tiny' : ''}-b${trainingBags}-s${seed}`,
      version: MIL_VERSION,
      seed,
      backend: options.backend ?? 'wasm',
      trainingBags,
      bagSequence: Math.max(...sizes),
      validationFraction: 0.2,
      testBags: tiny ? 40 : 1000,
      bagSize: { mean: 10, sd: 2 },
      epochs: tiny ? 2 : 40,
      batchBags: 4,
      learningRate: 1e-3,
      poolings: [...POOLINGS],
    })),
  ).flat();
}

/**
 * The cell's bags: the seed's digits split into disjoint train and test pools; the first
 * `trainingBags` of the seed's training-bag sequence (the last 20 % of them for validation); the
 * seed's test bags.
 *
 * @example
 * ```ts
 * import { cellBags, plan } from './mil.ts';
 * const s = plan(1, { tiny: true })[0];
 * const { train, validation } = cellBags(s);
 * if (train.length + validation.length !== s.trainingBags) throw new Error('the labelled bags are split into train and validation');
 * ```
 */
export function cellBags(spec: MilSpec): { train: Bag[]; validation: Bag[]; test: Bag[] } {
  if (!(Number.isInteger(spec.trainingBags) && spec.trainingBags >= 2 && spec.trainingBags <= spec.bagSequence)) {
    throw new DomainError(`trainingBags must be an integer in [2, bagSequence = ${spec.bagSequence}], got ${spec.trainingBags}`);
  }
  const rng = streamRng(spec.seed, 'memories');
  const [trainPool, testPool] = stratifiedSplit([0.5, 0.5], rng);
  const labelled = drawBags(trainPool, spec.bagSequence, spec.bagSize, rng).slice(0, spec.trainingBags);
  const nVal = Math.max(1, Math.round(spec.validationFraction * spec.trainingBags));
  const test = drawBags(testPool, spec.testBags, spec.bagSize, streamRng(spec.seed, 'test'));
  return { train: labelled.slice(0, labelled.length - nVal), validation: labelled.slice(labelled.length - nVal), test };
}

/** The instances of `bags` stacked [M, 196], the bag mask [B, M] and the labels [B, 1]. */
function batchTensors(tf: Tfjs['tf'], bags: readonly Bag[]): { x: TF.Tensor2D; mask: TF.Tensor2D; y: TF.Tensor2D } {
  const m = bags.reduce((a, b) => a + b.instances.length, 0);
  const x = new Float32Array(m * DIGIT_DIM);
  const mask = new Float32Array(bags.length * m);
  let at = 0;
  bags.forEach((bag, b) => {
    for (const img of bag.instances) {
      x.set(img, at * DIGIT_DIM);
      mask[b * m + at] = 1;
      at++;
    }
  });
  return {
    x: tf.tensor2d(x, [m, DIGIT_DIM]),
    mask: tf.tensor2d(mask, [bags.length, m]),
    y: tf.tensor2d(bags.map((b) => b.label), [bags.length, 1]),
  };
}

/**
 * Trains every pooling of the spec on its training bags and scores it on the test bags (AUC, and
 * accuracy at P ≥ 0.5). Deterministic given the spec.
 *
 * @example
 * ```ts
 * import { plan, runCell } from './mil.ts';
 * let threw = false;
 * try { await runCell({ ...plan(1, { tiny: true })[0], batchBags: 0 }); } catch { threw = true; }
 * if (!threw) throw new Error('batchBags = 0 is refused before any training');
 * ```
 */
export async function runCell(spec: MilSpec): Promise<MilResult> {
  if (!(Number.isInteger(spec.batchBags) && spec.batchBags >= 1)) throw new DomainError(`batchBags must be a positive integer, got ${spec.batchBags}`);
  const tfjs = await loadTfjs(spec.backend);
  const { tf } = tfjs;
  const { train, validation, test } = cellBags(spec);
  const scores: MilScore[] = [];
  const training: MilResult['training'] = {};
  const testLabels = test.map((b) => b.label);
  for (const name of spec.poolings) {
    const initRng = streamRng(spec.seed, 'method');
    const encoder = createEncoder(tfjs, DIGIT_DIM, initRng);
    const pooling = createPooling(tfjs, name, EMBEDDING, initRng);
    const u = variableOf(tf, tf.tensor2d(glorotUniform(EMBEDDING, 1, initRng), [EMBEDDING, 1]));
    const c = variableOf(tf, tf.zeros([1]));
    const logits = (bags: readonly Bag[]): { logit: TF.Tensor2D; y: TF.Tensor2D } => {
      const t = batchTensors(tf, bags);
      return { logit: tf.add(tf.matMul(pooling.pool(encoder.apply(t.x), t.mask), u), c), y: t.y };
    };
    const loss = (bags: readonly Bag[]): TF.Scalar => {
      const { logit, y } = logits(bags);
      return tf.losses.sigmoidCrossEntropy(y, logit) as TF.Scalar;
    };
    const shuffleRng = streamRng(spec.seed, 'train');
    try {
      const report = fitWithBestIterate(tfjs, {
        vars: [...encoder.vars, ...pooling.vars, u, c],
        epochs: spec.epochs,
        learningRate: spec.learningRate,
        *batches() {
          const order = train.map((_, i) => i);
          for (let i = order.length - 1; i > 0; i--) {
            const j = shuffleRng.int(i + 1);
            [order[i], order[j]] = [order[j], order[i]];
          }
          for (let at = 0; at < order.length; at += spec.batchBags) {
            const batch = order.slice(at, at + spec.batchBags).map((i) => train[i]);
            yield () => loss(batch);
          }
        },
        validationLoss: () => tf.tidy(() => loss(validation).dataSync()[0]),
      });
      training[name] = { bestEpoch: report.bestEpoch, bestLoss: report.bestLoss };
      const probs: number[] = [];
      for (let at = 0; at < test.length; at += 100) {
        const p = tf.tidy(() => tf.sigmoid(logits(test.slice(at, at + 100)).logit).dataSync());
        probs.push(...p);
      }
      scores.push({
        method: name,
        auc: auc(probs, testLabels),
        accuracy: probs.filter((p, i) => (p >= 0.5 ? 1 : 0) === testLabels[i]).length / probs.length,
      });
    } finally {
      encoder.vars.forEach((v) => v.dispose());
      pooling.dispose();
      u.dispose();
      c.dispose();
    }
  }
  return { spec, scores, training, testPositiveRate: testLabels.filter((l) => l === 1).length / testLabels.length };
}

/**
 * The group's table (AUC and accuracy, mean ± std per training size and pooling), its figure (AUC
 * vs training bags, one line per pooling) and summary rows.
 *
 * @example
 * ```ts
 * import { render } from './mil.ts';
 * const { summary, figures } = await render([]);
 * if (summary.length !== 0 || figures.length !== 0) throw new Error('no results, no rows and no figure');
 * ```
 */
export async function render(results: readonly MilResult[]): Promise<Rendered> {
  const sorted = [...results].sort((a, b) => a.spec.seed - b.spec.seed);
  const sizes = [...new Set(sorted.map((r) => r.spec.trainingBags))].sort((a, b) => a - b);
  const methods = POOLINGS.filter((m) => sorted.some((r) => r.scores.some((s) => s.method === m)));
  const summary: SummaryRow[] = [];
  const lines = [`| training bags | metric | ${methods.map((m) => POOLING_LABELS[m]).join(' | ')} |`, `|---|---|${methods.map(() => '---|').join('')}`];
  for (const n of sizes) {
    for (const metric of ['auc', 'accuracy'] as const) {
      const cells = methods.map((m) => {
        const values = sorted.filter((r) => r.spec.trainingBags === n).flatMap((r) => r.scores.filter((s) => s.method === m).map((s) => s[metric]));
        if (values.length === 0) return '—';
        const row = summaryRow('mil', `${n} training bags`, POOLING_LABELS[m], metric, values);
        summary.push(row);
        return meanStd(row);
      });
      lines.push(`| ${n} | ${metric === 'auc' ? 'AUC' : 'accuracy'} | ${cells.join(' | ')} |`);
    }
  }
  const seeds = [...new Set(sorted.map((r) => r.spec.seed))];
  const markdown = [`MNIST-bags test AUC and accuracy, mean ± std over ${seeds.length} seed(s) (${seeds.join(', ')}).`, '', ...lines, ''].join('\n');
  const figures = summary.length === 0 ? [] : [{ name: 'mil-auc', svg: await toSvg(figureSpec(summary)) }];
  return { markdown, figures, summary };
}

function figureSpec(summary: readonly SummaryRow[]): TopLevelSpec {
  const values = summary
    .filter((r) => r.metric === 'auc')
    .map((r) => ({ bags: Number(r.setting.split(' ')[0]), method: r.method, mean: r.mean, lo: r.mean - r.std, hi: r.mean + r.std }));
  const order = POOLINGS.map((m) => POOLING_LABELS[m]);
  const color = { field: 'method', type: 'nominal', sort: order, scale: { domain: order, scheme: 'category10' }, title: null, legend: { labelLimit: 240 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'MNIST-bags: test AUC vs training bags (mean ± std over seeds)',
    width: 420,
    height: 280,
    config: CONFIG,
    data: { values },
    encoding: {
      x: { field: 'bags', type: 'quantitative', title: 'training bags (incl. 20 % validation)', scale: { type: 'log', nice: false }, axis: { values: [...new Set(values.map((v) => v.bags))] } },
    },
    layer: [
      { mark: { type: 'line', point: true, clip: true }, encoding: { y: { field: 'mean', type: 'quantitative', title: 'test AUC', scale: { domain: [0.4, 1] } }, color } },
      { mark: { type: 'errorbar', ticks: true, clip: true }, encoding: { y: { field: 'lo', type: 'quantitative', title: 'test AUC' }, y2: { field: 'hi' }, color } },
    ],
  } as TopLevelSpec;
}
