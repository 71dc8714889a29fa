/**
 * The learning curve: Bayes − method (correct retrieval, paired per seed) against the number of
 * training pairs on a log axis, one panel per task, one line per method, error bars ± 1 sample std
 * across seeds (the subtitle says so, with the seed count).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CurvePoint } from '../curve.ts';
import { LABELS } from '../methods.ts';
import { CONFIG } from './svg.ts';

export function curveSpec(title: string, points: readonly CurvePoint[]): TopLevelSpec {
  const values = points.map((p) => ({
    task: p.task,
    pairs: p.pairs,
    method: LABELS[p.method] ?? p.method,
    mean: p.gap.mean,
    lo: p.gap.mean - p.gap.std,
    hi: p.gap.mean + p.gap.std,
  }));
  const order = [...new Set(points.map((p) => LABELS[p.method] ?? p.method))];
  const seeds = [...new Set(points.map((p) => p.gap.n))].sort((a, b) => a - b).join('/');
  const color = { field: 'method', type: 'nominal', sort: order, scale: { domain: order, scheme: 'category10' }, title: null, legend: { labelLimit: 240 } } as const;
  const x = { field: 'pairs', type: 'quantitative', title: 'training pairs', scale: { type: 'log', base: 2 }, axis: { values: [64, 256, 1024, 4096] } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: `points: mean of Bayes − method over ${seeds} seed${seeds === '1' ? '' : 's'} (paired per seed); error bars: ± 1 sample std across seeds` },
    config: CONFIG,
    data: { values },
    facet: { column: { field: 'task', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 220,
      encoding: { x },
      layer: [
        { mark: { type: 'line', point: { filled: true, size: 50 } }, encoding: { y: { field: 'mean', type: 'quantitative', title: 'Bayes − method (correct retrieval)' }, color } },
        { mark: { type: 'errorbar', ticks: true }, encoding: { y: { field: 'lo', type: 'quantitative', title: 'Bayes − method (correct retrieval)' }, y2: { field: 'hi' }, color } },
      ],
    },
  } as TopLevelSpec;
}
