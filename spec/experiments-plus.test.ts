/**
 * A-Hop+ in the experiments harness: its rows in every cell, its ablation cells, a tiny learning
 * curve run end to end (worker pool, cache, table, figure), and its training through the one loop
 * never ending above its start.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CURVE_TASKS, curveCell, PLUS_ABLATIONS, plusAblationCell, plusPlan } from '../src/experiments/curve.ts';
import { FeatureCache } from '../src/experiments/features.ts';
import { buildExperiment } from '../src/experiments/instance.ts';
import { fullPlan, tinyPlan } from '../src/experiments/plan.ts';
import { plusObjective, plusPairs } from '../src/experiments/plus-fast.ts';
import { buildTables, renderAll } from '../src/experiments/render.ts';
import { toText } from '../src/experiments/table.ts';
import { runCell } from '../src/experiments/run-cell.ts';
import { reproduce } from '../src/experiments/runner.ts';
import type { Job } from '../src/experiments/worker.ts';
import { FULL_FOOTPRINT } from '../src/similarity/footprint.ts';
import { initAhopPlusFromResiduals } from '../src/train/init-plus.ts';
import { minimise } from '../src/train/loop.ts';
import { ahopPlusLayout, packAhopPlus } from '../src/train/objective-plus.ts';
import { TINY_BUDGET, tinyCell } from './experiments-fixtures.ts';

const out = mkdtempSync(join(tmpdir(), 'ahop-plus-exp-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const TINY_TASK = { kind: 'synthetic', patterns: 'uniform', n: 6, d: 5 } as const;
const TINY_MNIST = { kind: 'mnist', n: 4, pool: 4 } as const;

describe('A-Hop+ in the harness', () => {
  it('every retrieval cell scores A-Hop+ and its start; the ablation rows only in ablation cells', () => {
    const main = runCell(tinyCell());
    expect(Object.keys(main.scores)).toEqual(expect.arrayContaining(['ahop', 'ahop-plus', 'ahop-plus:init', 'bayes']));
    for (const m of PLUS_ABLATIONS) expect(Object.keys(main.scores)).not.toContain(m);
    expect(main.params['ahop-plus'].wDis).toHaveLength(5);
    const abl = runCell({ ...plusAblationCell(0.4, 0), task: TINY_TASK, sizes: { trainPairs: 16, testQueries: 12 }, budget: TINY_BUDGET });
    expect(Object.keys(abl.scores).sort()).toEqual([...PLUS_ABLATIONS, 'bayes'].sort());
  }, 60_000);

  it('the tiny reproduction (the determinism test\'s subject) shows the A-Hop+ rows in its headline table', () => {
    const cells = tinyPlan(1).filter((c) => c.group === 'synthetic').map(runCell);
    const text = toText(buildTables({ cells, computed: cells.length, cached: 0 }, false)[0]);
    expect(text).toMatch(/^A-Hop\+ /m);
    expect(text).toMatch(/^A-Hop\+ \(init only\)/m);
    expect(text).toMatch(/^Bayes − A-Hop\+ \(gap\)/m);
  }, 60_000);

  it('the full plan holds the ablation and learning-curve cells, at every pair count but the main tables\' 256', () => {
    const ids = fullPlan(1).map((c) => c.id);
    for (const c of plusPlan(1)) expect(ids).toContain(c.id);
    expect(ids).toContain('curve-mnist-4096-composed-0.70-s0');
    expect(ids).toContain('ablation-plus-composed-0.50-s0');
    expect(ids.some((id) => id.startsWith('curve-synthetic-256'))).toBe(false);
    // The 256-pair point is the main table's instance: same task, variant, δ and seed.
    const c = curveCell(CURVE_TASKS[0], 64, 0);
    expect([c.task, c.delta, c.sizes.testQueries]).toEqual([fullPlan(1).find((s) => s.id === 'synthetic-composed-0.50-s0')!.task, 0.5, 500]);
  });

  it('a tiny learning curve runs end to end: cells on workers, the "Learning curve" table and its figure', async () => {
    const tiny = (spec: ReturnType<typeof curveCell>, task: typeof TINY_TASK | typeof TINY_MNIST) => ({ ...spec, task, budget: TINY_BUDGET, sizes: { ...spec.sizes, testQueries: 12 } });
    const jobs: Job[] = [0, 1].flatMap((seed) => [
      { kind: 'cell' as const, spec: tiny(curveCell(CURVE_TASKS[0], 64, seed), TINY_TASK) },
      { kind: 'cell' as const, spec: tiny(curveCell(CURVE_TASKS[1], 64, seed), TINY_MNIST) },
    ]);
    const results = await reproduce({ full: true, seeds: 2, out, workers: 2, jobs });
    expect(results.computed).toBe(4);
    for (const c of results.cells) expect(Object.keys(c.scores).sort()).toEqual(['ahop', 'ahop-plus', 'ahop-plus:init', 'bayes']);
    const report = await renderAll(results, { full: true, seeds: 2, out, command: 'reproduce (test)', date: '2026-01-01', machine: 'test machine' });
    const md = readFileSync(join(out, 'tables.md'), 'utf8');
    expect(md).toMatch(/### Learning curve/);
    expect(md).toMatch(/Synthetic δ 0\.5: Bayes − A-Hop\+/);
    const line = md.split('\n').find((l) => l.startsWith('| 64 |'))!;
    expect(line.split('|').filter((c) => c.includes('±'))).toHaveLength(6);
    expect(report.files.some((f) => f.endsWith('learning-curve.svg'))).toBe(true);
    const svg = readFileSync(join(out, 'figures', 'learning-curve.svg'), 'utf8');
    expect(svg).toMatch(/± 1 sample std across seeds/);
    expect(svg).toMatch(/over 2 seeds/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { rows: { group: string; accuracy: Record<string, unknown> }[] };
    expect(summary.rows.find((r) => r.group === 'curve-mnist-64')?.accuracy['ahop-plus']).toBeDefined();
  }, 120_000);

  it('training A-Hop+ through the loop returns a training loss no higher than its start', () => {
    const exp = buildExperiment({ kind: 'synthetic', patterns: 'uniform', n: 8, d: 6 }, 'composed', 0.5, 3, { trainPairs: 48, testQueries: 4 });
    const cache = new FeatureCache(exp.instance.memories, { train: exp.instance.train, test: exp.test });
    const start = initAhopPlusFromResiduals(exp.instance.memories, exp.instance.train);
    const layout = ahopPlusLayout(start);
    const obj = plusObjective(plusPairs(exp.instance.memories, exp.instance.train.queries, cache.get('train', true)), layout, FULL_FOOTPRINT);
    for (const lr of [0.1, 1]) {
      const r = minimise({ theta0: packAhopPlus(start, layout), count: 48, batchLossGrad: obj.lossGrad, batchLoss: obj.loss }, { epochs: 30, lr, batchSize: 16, seed: 3 });
      expect(r.finalLoss).toBeLessThanOrEqual(r.losses[0]);
      expect(r.finalLoss).toBe(obj.loss(r.theta, Array.from({ length: 48 }, (_, i) => i)));
    }
  });
});
