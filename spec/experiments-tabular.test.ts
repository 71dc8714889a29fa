/**
 * The tabular memory classifier: the vendored UCI sets load with the documented shapes; the class
 * probabilities are the readout of one-hot values and sum to one; the class-loss gradient (the
 * layer's VJP with cotangent −e_t/P_t) equals finite differences, and the training form (class
 * cross-entropy on the scores through the footprint VJP, with a query's own memory left out) equals
 * it; a cell's splits are disjoint and its heads read the stored and validation rows at test; tiny
 * cells run every classifier, deterministically, and the A-Hop classifier does not collapse below
 * the majority-class rate.
 */
import { describe, expect, it } from 'vitest';
import { mhopStep } from '../src/baselines/mhop.ts';
import { layerForward, layerVjpValidated } from '../src/hopfield/layer.ts';
import { createRng } from '../src/random/rng.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { crossEntropy } from '../src/train/cross-entropy.ts';
import { flatten, unflatten } from '../src/train/init.ts';
import { footprintVjp, scoresFromRows } from '../src/train/objective.ts';
import { tabularSpec } from '../src/experiments/tabular/cells.ts';
import { parseCsv } from '../src/experiments/tabular/csv.ts';
import { loadDataset } from '../src/experiments/tabular/datasets.ts';
import {
  classifierProbabilities,
  classLoss,
  classLossGrad,
  classProbabilities,
  classProblem,
  oneHot,
  rowsClassLossGrad,
  trainClassHead,
  type Labelled,
  type LabelledMemory,
} from '../src/experiments/tabular/memory-classifier.ts';
import { mhopAsLayer, runTabularCell, standardiser, tabularSetting } from '../src/experiments/tabular/run.ts';

function fixture(seed: number, n = 7, d = 4, classes = 3, b = 5): { mem: LabelledMemory; batch: Labelled; params: AhopParams } {
  const rng = createRng(seed);
  const row = () => Array.from({ length: d }, () => rng.normal());
  const mem = { memories: Array.from({ length: n }, row), labels: Array.from({ length: n }, (_, k) => k % classes), classes };
  const batch = { queries: Array.from({ length: b }, row), labels: Array.from({ length: b }, () => rng.int(classes)) };
  const params = { wDis: row().map((v) => 0.5 * v), wDot: row().map((v) => 0.5 * v), betaDis: 0.3 + rng.uniform(), betaDot: rng.normal() };
  return { mem, batch, params };
}

/** Central differences of the class loss in every coordinate of θ = flatten(params). */
function finiteDifferences(mem: LabelledMemory, batch: Labelled, params: AhopParams, h = 1e-6): number[] {
  const theta = flatten(params);
  const d = mem.memories[0].length;
  return Array.from(theta, (_, j) => {
    const up = Float64Array.from(theta);
    const down = Float64Array.from(theta);
    up[j] += h;
    down[j] -= h;
    return (classLoss(mem, batch, unflatten(up, d)) - classLoss(mem, batch, unflatten(down, d))) / (2 * h);
  });
}

function maxGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return m;
}

describe('tabular data', () => {
  it('loads the three vendored sets', () => {
    const bc = loadDataset('breast-cancer');
    expect([bc.features.length, bc.features[0].length]).toEqual([569, 30]);
    expect(bc.labels.filter((l) => l === 1)).toHaveLength(357);
    const db = loadDataset('diabetes');
    expect([db.features.length, db.features[0].length]).toEqual([768, 8]);
    expect(db.labels.filter((l) => l === 1)).toHaveLength(268);
    const cg = loadDataset('credit-g');
    expect(cg.features).toHaveLength(1000);
    expect(cg.labels.filter((l) => l === 1)).toHaveLength(300);
    expect(cg.features[0].length).toBe(61);
  });

  it('marks the one-hot columns: none in breast cancer and diabetes; German credit\'s 54 one-hot columns sum to its 13 categorical attributes in every row', () => {
    expect(loadDataset('breast-cancer').oneHot.some(Boolean)).toBe(false);
    expect(loadDataset('diabetes').oneHot.some(Boolean)).toBe(false);
    const cg = loadDataset('credit-g');
    expect(cg.oneHot).toHaveLength(61);
    expect(cg.oneHot.filter(Boolean)).toHaveLength(54);
    for (const row of cg.features) {
      expect(row.filter((_, j) => cg.oneHot[j]).every((v) => v === 0 || v === 1)).toBe(true);
      expect(row.filter((_, j) => cg.oneHot[j]).reduce((a, b) => a + b, 0)).toBe(13);
    }
  });

  it('the standardiser z-scores the fit rows\' columns and leaves the kept ones as they are', () => {
    const rows = [[1, 0, 10], [3, 1, 10], [5, 0, 10]];
    const z = standardiser(rows, [false, true, false]);
    // Column 0: mean 3, population sd √(8/3); column 1 kept; column 2 constant: scale 1.
    expect(z([5, 1, 12])).toEqual([2 / Math.sqrt(8 / 3), 1, 2]);
    expect(standardiser(rows)([5, 1, 12])[1]).toBeCloseTo((1 - 1 / 3) / Math.sqrt(2 / 9), 12);
  });

  it('a cell with one-hot columns 0/1 keeps them 0/1 and z-scores the numeric columns', () => {
    const cg = loadDataset('credit-g');
    const s = tabularSetting({ ...tabularSpec('credit-g', 0, true), oneHotColumns: '0/1' }, cg);
    const columns = (j: number) => s.fit.queries.map((r) => r[j]);
    cg.oneHot.forEach((hot, j) => {
      const c = columns(j);
      if (hot) expect(c.every((v) => v === 0 || v === 1)).toBe(true);
      else expect(Math.abs(c.reduce((a, b) => a + b, 0) / c.length)).toBeLessThan(1e-12);
    });
    // … and by default (version 7) every column is z-scored.
    const z = tabularSetting(tabularSpec('credit-g', 0, true), cg);
    expect(z.fit.queries.some((r) => r.some((v, j) => cg.oneHot[j] && v !== 0 && v !== 1))).toBe(true);
  });

  it('parses quoted CSV fields', () => {
    expect(parseCsv('a,b\n"x,1","say ""hi"""\n').rows).toEqual([['x,1', 'say "hi"']]);
  });
});

describe('the memory classifier', () => {
  it('class probabilities are the per-class sums of the memory probabilities and sum to one', () => {
    for (let seed = 0; seed < 5; seed++) {
      const { mem, batch, params } = fixture(seed);
      const P = classifierProbabilities(mem, batch.queries, params);
      const p = layerForward({ queries: batch.queries, keys: mem.memories, values: mem.memories, params }).probs;
      P.forEach((row, b) => {
        expect(Math.abs(row.reduce((a, v) => a + v, 0) - 1)).toBeLessThan(1e-12);
        expect(maxGap(row, classProbabilities(p[b], mem.labels, mem.classes))).toBeLessThan(1e-12);
      });
    }
  });

  it('the class-loss gradient (layer VJP, cotangent −e_t/P_t) equals finite differences', () => {
    for (let seed = 0; seed < 5; seed++) {
      const { mem, batch, params } = fixture(seed);
      const { loss, grad } = classLossGrad(mem, batch, params);
      expect(loss).toBeCloseTo(classLoss(mem, batch, params), 12);
      expect(maxGap(grad, finiteDifferences(mem, batch, params))).toBeLessThan(1e-6);
    }
  });

  it('… and a gradient with the cotangent −e_t (the 1/P_t dropped) is caught', () => {
    const { mem, batch, params } = fixture(1);
    const B = batch.queries.length;
    const wrong = layerVjpValidated(
      { queries: batch.queries, keys: mem.memories, values: oneHot(mem.labels, mem.classes), params },
      { retrieved: batch.labels.map((t) => oneHot([t], mem.classes)[0].map((v) => -v / B)), energy: new Array<number>(B).fill(0) },
    );
    expect(maxGap(flatten(wrong.params), finiteDifferences(mem, batch, params))).toBeGreaterThan(1e-3);
  });

  it('the M-Hop head is the layer with w_dot = e_d and β_dis = 0: its probabilities are softmax(β ξ·x)', () => {
    const { mem, batch } = fixture(2);
    const p = layerForward({ queries: batch.queries, keys: mem.memories, values: mem.memories, params: mhopAsLayer(4, 0.7) }).probs;
    batch.queries.forEach((x, b) => expect(maxGap(p[b], mhopStep(mem.memories, x, 0.7).probs)).toBeLessThan(1e-12));
  });

  /** The training form's mean loss and gradient over a batch (rowsClassLossGrad per query). */
  const rowsBatch = (mem: LabelledMemory, batch: Labelled, params: AhopParams) => {
    const rows = classProblem(mem, batch).trainRows;
    const B = batch.queries.length;
    const grad = new Float64Array(flatten(params).length);
    let loss = 0;
    batch.queries.forEach((_, i) => {
      const r = rowsClassLossGrad(mem, batch, rows, i, params, 1 / B);
      loss += r.loss / B;
      flatten(r.grad).forEach((v, j) => (grad[j] += v));
    });
    return { loss, grad };
  };

  it('the training form (class cross-entropy on the scores, footprint VJP on sorted rows) equals the layer-VJP class gradient', () => {
    for (let seed = 0; seed < 5; seed++) {
      const { mem, batch, params } = fixture(seed);
      const readable = classLossGrad(mem, batch, params);
      const fast = rowsBatch(mem, batch, params);
      expect(Math.abs(fast.loss - readable.loss)).toBeLessThan(1e-12);
      expect(maxGap(fast.grad, readable.grad)).toBeLessThan(1e-10);
    }
  });

  it('… and a training form fed the retrieval gradient (target: the first memory of the class) is caught', () => {
    const { mem, batch, params } = fixture(4);
    const rows = classProblem(mem, batch).trainRows;
    const B = batch.queries.length;
    const grad = new Float64Array(flatten(params).length);
    batch.queries.forEach((_, i) => {
      const { sDis, sDot, s } = scoresFromRows(rows[i], mem.memories.length, params, true);
      const { g } = crossEntropy(s, mem.labels.indexOf(batch.labels[i]));
      flatten(footprintVjp(rows[i], mem.memories.length, g, sDis, sDot, params, true)).forEach((v, j) => (grad[j] += v / B));
    });
    expect(maxGap(grad, classLossGrad(mem, batch, params).grad)).toBeGreaterThan(1e-3);
  });

  it('a query that is a stored memory, with that memory left out, scores as the classifier over the other memories', () => {
    for (let seed = 0; seed < 5; seed++) {
      const { mem, params } = fixture(seed, 8, 4, 2);
      for (const k of [0, 3, 7]) {
        const batch: Labelled = { queries: [mem.memories[k]], labels: [mem.labels[k]], self: [k] };
        const others: LabelledMemory = { ...mem, memories: mem.memories.filter((_, j) => j !== k), labels: mem.labels.filter((_, j) => j !== k) };
        const fast = rowsBatch(mem, batch, params);
        const readable = classLossGrad(others, { queries: batch.queries, labels: batch.labels }, params);
        expect(Math.abs(fast.loss - readable.loss)).toBeLessThan(1e-12);
        expect(maxGap(fast.grad, readable.grad)).toBeLessThan(1e-10);
      }
    }
  });

  it('… and a query that reads its own memory (none left out) is caught', () => {
    const { mem, params } = fixture(0, 8, 4, 2);
    const k = 3;
    const others: LabelledMemory = { ...mem, memories: mem.memories.filter((_, j) => j !== k), labels: mem.labels.filter((_, j) => j !== k) };
    const leaky = rowsBatch(mem, { queries: [mem.memories[k]], labels: [mem.labels[k]] }, params);
    expect(Math.abs(leaky.loss - classLossGrad(others, { queries: [mem.memories[k]], labels: [mem.labels[k]] }, params).loss)).toBeGreaterThan(1e-3);
  });

  it('training lowers the class loss and never returns worse than the start', () => {
    const { mem, batch, params } = fixture(3, 9, 3, 2, 12);
    const traced: AhopParams[] = [];
    const { params: trained, result } = trainClassHead(classProblem(mem, batch), params, { epochs: 10, lr: 0.05, batchSize: 4, seed: 1, onEpoch: (_, p) => traced.push(p) });
    expect(classLoss(mem, batch, trained)).toBeLessThanOrEqual(classLoss(mem, batch, params));
    expect(result.finalLoss).toBeLessThan(result.losses[0]);
    // onEpoch sees every epoch's parameters; the returned iterate is the start or one of them.
    expect(traced).toHaveLength(10);
    expect([params, ...traced]).toContainEqual(trained);
  });
});

describe('a tabular cell\'s splits', () => {
  const key = (r: readonly number[]) => r.join(',');

  it('train, validation and test rows are disjoint; the test memory is the stored rows followed by the validation rows', () => {
    for (const [dataset, seed, tiny] of [['diabetes', 0, true], ['credit-g', 2, false]] as const) {
      const s = tabularSetting(tabularSpec(dataset, seed, tiny), loadDataset(dataset));
      const n = loadDataset(dataset).labels.length;
      expect(s.fit.queries.length + s.test.queries.length).toBe(n);
      expect(s.testMem.memories).toEqual([...s.mem.memories, ...s.validation.queries]);
      expect(s.testMem.labels).toEqual([...s.mem.labels, ...s.validation.labels]);
      const testRows = new Set(s.test.queries.map(key));
      expect(s.testMem.memories.some((m) => testRows.has(key(m)))).toBe(false);
      const validationRows = new Set(s.validation.queries.map(key));
      expect(s.mem.memories.some((m) => validationRows.has(key(m)))).toBe(false);
      // Every training query is a stored row, its own memory left out.
      s.train.queries.forEach((q, i) => expect(s.mem.memories[s.train.self![i]]).toEqual(q));
    }
  });

  /** M-Hop's class accuracy written out: argmax_c Σ_{k: c_k = c} softmax(β ξ_k·x)_k over `mem`. */
  function mhopAccuracy(mem: LabelledMemory, test: Labelled): number {
    const beta = 1 / Math.sqrt(mem.memories[0].length);
    let right = 0;
    test.queries.forEach((x, i) => {
      const p = mhopStep(mem.memories, x, beta).probs;
      const P = new Array<number>(mem.classes).fill(0);
      p.forEach((pk, k) => (P[mem.labels[k]] += pk));
      if (P.indexOf(Math.max(...P)) === test.labels[i]) right++;
    });
    return right / test.queries.length;
  }

  it('the M-Hop head\'s test accuracy is that of the classifier over the stored and validation rows', () => {
    for (const seed of [0, 1]) {
      const spec = tabularSpec('diabetes', seed, true);
      const s = tabularSetting(spec, loadDataset('diabetes'));
      expect(runTabularCell(spec).accuracy.mhop).toBe(mhopAccuracy(s.testMem, s.test));
    }
  }, 120_000);

  it('… and heads that read only the stored rows at test are caught', () => {
    const differs = [0, 1].some((seed) => {
      const spec = tabularSpec('diabetes', seed, true);
      const s = tabularSetting(spec, loadDataset('diabetes'));
      return runTabularCell(spec).accuracy.mhop !== mhopAccuracy(s.mem, s.test);
    });
    expect(differs).toBe(true);
  }, 120_000);
});

describe('tiny tabular cells', () => {
  const methods = ['ahop', 'ahop-plus', 'logistic-regression', 'mhop', 'mhop-learned-beta', 'random-forest', 'sparse', 'u2hop', 'universal'];

  it('run every classifier, and the A-Hop and A-Hop+ classifiers do not collapse below the majority-class rate', () => {
    for (const [dataset, seed] of [['diabetes', 0], ['diabetes', 1], ['breast-cancer', 0]] as const) {
      const r = runTabularCell(tabularSpec(dataset, seed, true));
      const majority = Math.max(...r.testShare);
      expect(Object.keys(r.accuracy).sort()).toEqual(methods);
      for (const a of Object.values(r.accuracy)) expect(a).toBeGreaterThanOrEqual(0);
      // 48 stored rows plus the validation quarter of the training split, read at test.
      const validation = Math.round(Math.round(0.7 * loadDataset(dataset).labels.length) * 0.25);
      expect(Math.abs(r.n - (48 + validation))).toBeLessThanOrEqual(2);
      expect(r.accuracy.ahop).toBeGreaterThanOrEqual(majority);
      expect(r.accuracy['ahop-plus']).toBeGreaterThanOrEqual(majority);
      // Class shares of the test rows and of the heads' answers: each sums to one; both heads answer both classes.
      for (const share of [r.testShare, r.ahopAnswerShare, r.ahopPlusAnswerShare]) expect(Math.abs(share.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      expect(r.ahopAnswerShare.every((v) => v > 0)).toBe(true);
      expect(r.ahopPlusAnswerShare.every((v) => v > 0)).toBe(true);
      // The references too (a forest fitted on class-sorted rows fell to 0.37 here).
      expect(r.accuracy['random-forest']).toBeGreaterThanOrEqual(majority);
      expect(r.accuracy['logistic-regression']).toBeGreaterThanOrEqual(majority);
      expect(r.universalChosen).toMatch(/^universal:/);
    }
  }, 120_000);

  it('the same seed gives the same result', () => {
    const strip = ({ seconds: _s, ...rest }: ReturnType<typeof runTabularCell>) => rest;
    const spec = tabularSpec('diabetes', 3, true);
    expect(strip(runTabularCell(spec))).toEqual(strip(runTabularCell(spec)));
  }, 120_000);
});
