/**
 * The `classification` group: MNIST digit classification with the same encoder under four heads
 * (A-Hop, M-Hop, Sparse, softmax-linear), trained on clean digits and tested on clean digits and on
 * corrupted test digits (docs/protocol-downstream.md, "Image classification under corruption").
 * One cell = one seed: it trains every head and evaluates every corruption level.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { TopLevelSpec } from 'vega-lite';
import { DomainError } from '../../errors.ts';
import { CONFIG, toSvg } from '../figures/svg.ts';
import { streamRng } from '../seeds.ts';
import { fitWithBestIterate } from './best-iterate.ts';
import { CORRUPTION_FAMILIES, CORRUPTION_LEVELS, LEVEL_SYMBOL, corrupt, type CorruptionFamily } from './corruptions.ts';
import { DIGIT_DIM, stratifiedSplit } from './digits.ts';
import { EMBEDDING, createEncoder } from './encoder.ts';
import { HEADS, HEAD_LABELS, createHead, type HeadName } from './heads.ts';
import { meanStd, summaryRow, type Rendered, type SummaryRow } from './summary.ts';
import { loadTfjs, type TfjsBackend, type Tfjs } from './tfjs.ts';

export const CLASSIFICATION_VERSION = 'classification-1';
const CLASSES = 10;

export interface ClassificationSpec {
  group: 'classification';
  id: string;
  version: string;
  seed: number;
  backend: TfjsBackend;
  /** Fractions of each class's digits in the train / validation / test parts. */
  split: { train: number; validation: number; test: number };
  epochs: number;
  batchSize: number;
  learningRate: number;
  heads: HeadName[];
  levels: Record<CorruptionFamily, number[]>;
}

export interface ClassificationScore {
  method: HeadName;
  /** 'clean' or a corruption family. */
  family: 'clean' | CorruptionFamily;
  level: number;
  accuracy: number;
}

export interface ClassificationResult {
  spec: ClassificationSpec;
  /** Digits in the train / validation / test parts. */
  sizes: { train: number; validation: number; test: number };
  scores: ClassificationScore[];
  /** Per head: the restored epoch and its validation loss. */
  training: Record<string, { bestEpoch: number; bestLoss: number }>;
  /** Per head: max |Σ_c p(c | x) − 1| over the clean test digits. */
  probabilitySumError: Record<string, number>;
}

function checkSeeds(seeds: number): void {
  if (!(Number.isInteger(seeds) && seeds >= 1)) throw new DomainError(`seeds must be a positive integer, got ${seeds}`);
}

/**
 * One cell per seed 0 … seeds − 1 (full size, or `tiny`: a few hundred digits and two epochs).
 *
 * @example
 * ```ts
 * import { plan } from './classification.ts';
 * const ids = plan(5, {}).map((s) => s.id);
 * if (ids[0] !== 'classification-s0' || ids[4] !== 'classification-s4' || ids.length !== 5) throw new Error(ids.join());
 * ```
 */
export function plan(seeds: number, options: { tiny?: boolean; backend?: TfjsBackend } = {}): ClassificationSpec[] {
  checkSeeds(seeds);
  const tiny = options.tiny === true;
  return Array.from({ length: seeds }, (_, seed) => ({
    group: 'classification' as const,
    id: `classification${tiny ? '-tiny' : ''}-s${seed}`,
    version: CLASSIFICATION_VERSION,
    seed,
    backend: options.backend ?? 'wasm',
    split: tiny ? { train: 0.03, validation: 0.02, test: 0.02 } : { train: 0.4, validation: 0.1, test: 0.2 },
    epochs: tiny ? 2 : 20,
    batchSize: 64,
    learningRate: 1e-3,
    heads: [...HEADS],
    levels: Object.fromEntries(CORRUPTION_FAMILIES.map((f) => [f, [...CORRUPTION_LEVELS[f]]])) as Record<CorruptionFamily, number[]>,
  }));
}

function oneHot(tf: Tfjs['tf'], labels: readonly number[]): TF.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([...labels], 'int32'), CLASSES), 'float32') as TF.Tensor2D);
}

function matrix(tf: Tfjs['tf'], rows: readonly (readonly number[])[]): TF.Tensor2D {
  return tf.tensor2d(rows as number[][], [rows.length, DIGIT_DIM]);
}

/**
 * Trains every head of the spec on clean digits and measures test accuracy on clean and corrupted
 * digits. Deterministic given the spec (seeded split, weights, shuffling and corruptions).
 *
 * @example
 * ```ts
 * import { plan, runCell } from './classification.ts';
 * let threw = false;
 * try { await runCell({ ...plan(1, { tiny: true })[0], batchSize: 0 }); } catch { threw = true; }
 * if (!threw) throw new Error('batchSize = 0 is refused before any training');
 * ```
 */
export async function runCell(spec: ClassificationSpec): Promise<ClassificationResult> {
  if (!(Number.isInteger(spec.batchSize) && spec.batchSize >= 1)) throw new DomainError(`batchSize must be a positive integer, got ${spec.batchSize}`);
  const tfjs = await loadTfjs(spec.backend);
  const { tf } = tfjs;
  const [train, validation, test] = stratifiedSplit([spec.split.train, spec.split.validation, spec.split.test], streamRng(spec.seed, 'memories'));
  // Every corrupted test set is drawn once per seed, in a fixed order, and shared by every head.
  const corruptRng = streamRng(spec.seed, 'test');
  const testSets: { family: 'clean' | CorruptionFamily; level: number; images: number[][] }[] = [{ family: 'clean', level: 0, images: test.images }];
  for (const family of CORRUPTION_FAMILIES) {
    for (const level of spec.levels[family]) testSets.push({ family, level, images: corrupt(test.images, family, level, corruptRng) });
  }
  const xTrain = matrix(tf, train.images);
  const yTrain = oneHot(tf, train.labels);
  const xVal = matrix(tf, validation.images);
  const yVal = oneHot(tf, validation.labels);
  const testLabels = tf.tensor1d(test.labels, 'int32');
  const scores: ClassificationScore[] = [];
  const training: ClassificationResult['training'] = {};
  const probabilitySumError: Record<string, number> = {};
  try {
    for (const name of spec.heads) {
      // Same initial encoder and the same shuffling order for every head of the seed.
      const initRng = streamRng(spec.seed, 'method');
      const encoder = createEncoder(tfjs, DIGIT_DIM, initRng);
      const head = createHead(tfjs, name, EMBEDDING, CLASSES, initRng);
      const shuffleRng = streamRng(spec.seed, 'train');
      const n = train.labels.length;
      try {
        const report = fitWithBestIterate(tfjs, {
          vars: [...encoder.vars, ...head.vars],
          epochs: spec.epochs,
          learningRate: spec.learningRate,
          *batches() {
            const order = Int32Array.from({ length: n }, (_, i) => i);
            for (let i = n - 1; i > 0; i--) {
              const j = shuffleRng.int(i + 1);
              [order[i], order[j]] = [order[j], order[i]];
            }
            for (let at = 0; at < n; at += spec.batchSize) {
              const idx = order.slice(at, Math.min(n, at + spec.batchSize));
              yield () => {
                const ix = tf.tensor1d(idx, 'int32');
                return head.loss(encoder.apply(tf.gather(xTrain, ix)), tf.gather(yTrain, ix));
              };
            }
          },
          validationLoss: () => tf.tidy(() => head.loss(encoder.apply(xVal), yVal).dataSync()[0]),
        });
        training[name] = { bestEpoch: report.bestEpoch, bestLoss: report.bestLoss };
        for (const set of testSets) {
          const [accuracy, sumError] = tf.tidy(() => {
            const p = head.probs(encoder.apply(matrix(tf, set.images)));
            const acc = tf.mean(tf.cast(tf.equal(tf.argMax(p, 1), testLabels), 'float32')).dataSync()[0];
            const err = tf.max(tf.abs(tf.sub(tf.sum(p, 1), 1))).dataSync()[0];
            return [acc, err];
          });
          scores.push({ method: name, family: set.family, level: set.level, accuracy });
          if (set.family === 'clean') probabilitySumError[name] = sumError;
        }
      } finally {
        encoder.vars.forEach((v) => v.dispose());
        head.dispose();
      }
    }
  } finally {
    [xTrain, yTrain, xVal, yVal, testLabels].forEach((t) => t.dispose());
  }
  return {
    spec,
    sizes: { train: train.labels.length, validation: validation.labels.length, test: test.labels.length },
    scores,
    training,
    probabilitySumError,
  };
}

function settingName(family: 'clean' | CorruptionFamily, level: number): string {
  return family === 'clean' ? 'clean' : `${family} ${LEVEL_SYMBOL[family]}=${level}`;
}

/**
 * The group's table (accuracy mean ± std per setting and head), its figure (accuracy vs level per
 * head, one panel per family, level 0 = clean) and summary rows.
 *
 * @example
 * ```ts
 * import { render } from './classification.ts';
 * const { summary, figures } = await render([]);
 * if (summary.length !== 0 || figures.length !== 0) throw new Error('no results, no rows and no figure');
 * ```
 */
export async function render(results: readonly ClassificationResult[]): Promise<Rendered> {
  const sorted = [...results].sort((a, b) => a.spec.seed - b.spec.seed);
  const heads = HEADS.filter((h) => sorted.some((r) => r.scores.some((s) => s.method === h)));
  const settings: { family: 'clean' | CorruptionFamily; level: number }[] = [{ family: 'clean', level: 0 }];
  for (const f of CORRUPTION_FAMILIES) {
    const levels = [...new Set(sorted.flatMap((r) => r.scores.filter((s) => s.family === f).map((s) => s.level)))].sort((a, b) => a - b);
    for (const level of levels) settings.push({ family: f, level });
  }
  const summary: SummaryRow[] = [];
  const lines = [
    `| setting | ${heads.map((h) => HEAD_LABELS[h]).join(' | ')} |`,
    `|---|${heads.map(() => '---|').join('')}`,
  ];
  for (const st of settings) {
    const cells: string[] = [];
    for (const h of heads) {
      const values = sorted.flatMap((r) => r.scores.filter((s) => s.method === h && s.family === st.family && s.level === st.level).map((s) => s.accuracy));
      if (values.length === 0) {
        cells.push('—');
        continue;
      }
      const row = summaryRow('classification', settingName(st.family, st.level), HEAD_LABELS[h], 'accuracy', values);
      summary.push(row);
      cells.push(meanStd(row));
    }
    lines.push(`| ${settingName(st.family, st.level)} | ${cells.join(' | ')} |`);
  }
  const seeds = sorted.map((r) => r.spec.seed);
  const markdown = [
    `Test accuracy, mean ± std over ${seeds.length} seed(s) (${seeds.join(', ')}); trained on clean digits.`,
    '',
    ...lines,
    '',
  ].join('\n');
  const figures = summary.length === 0 ? [] : [{ name: 'classification-corruption', svg: await toSvg(figureSpec(summary)) }];
  return { markdown, figures, summary };
}

function figureSpec(summary: readonly SummaryRow[]): TopLevelSpec {
  const clean = summary.filter((r) => r.setting === 'clean');
  const values = CORRUPTION_FAMILIES.flatMap((family) => {
    const prefix = `${family} ${LEVEL_SYMBOL[family]}=`;
    const rows = [
      ...clean.map((r) => ({ r, level: 0 })),
      ...summary.filter((r) => r.setting.startsWith(prefix)).map((r) => ({ r, level: Number(r.setting.slice(prefix.length)) })),
    ];
    return rows.map(({ r, level }) => ({
      family: `${family} (${LEVEL_SYMBOL[family]})`,
      level,
      method: r.method,
      mean: r.mean,
      lo: r.mean - r.std,
      hi: r.mean + r.std,
    }));
  });
  const order = HEADS.map((h) => HEAD_LABELS[h]);
  const color = { field: 'method', type: 'nominal', sort: order, scale: { domain: order, scheme: 'category10' }, title: null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'MNIST (14×14) test accuracy vs corruption level, trained on clean digits (mean ± std over seeds)',
    config: CONFIG,
    data: { values },
    facet: { field: 'family', type: 'nominal', title: null, sort: CORRUPTION_FAMILIES.map((f) => `${f} (${LEVEL_SYMBOL[f]})`) },
    columns: 5,
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 180,
      height: 200,
      encoding: { x: { field: 'level', type: 'quantitative', title: 'level' } },
      layer: [
        { mark: { type: 'line', point: true }, encoding: { y: { field: 'mean', type: 'quantitative', title: 'test accuracy', scale: { domain: [0, 1] } }, color } },
        { mark: { type: 'errorbar', ticks: true }, encoding: { y: { field: 'lo', type: 'quantitative', title: 'test accuracy' }, y2: { field: 'hi' }, color } },
      ],
    },
  } as TopLevelSpec;
}
