/**
 * Accuracy vs difficulty, one line per method (mean over seeds, error bars ± std), with the Bayes
 * oracle drawn dashed as the ceiling no method can beat in expectation.
 */
import type { TopLevelSpec } from 'vega-lite';
import { stat, type Row } from '../aggregate.ts';
import { LABELS } from '../methods.ts';
import { CONFIG } from './svg.ts';

export const FIGURE_METHODS = ['ahop', 'mhop', 'sparse', 'universal', 'u2hop', 'bayes'];

export function accuracySpec(title: string, rows: readonly Row[]): TopLevelSpec {
  const values = [...rows]
    .sort((a, b) => a.delta - b.delta)
    .flatMap((r) =>
      FIGURE_METHODS.filter((m) => r.accuracy[m] !== undefined).map((m) => {
        const s = stat(r.accuracy[m]);
        return { delta: r.delta, method: LABELS[m] ?? m, oracle: m === 'bayes', mean: s.mean, lo: s.mean - s.std, hi: s.mean + s.std };
      }),
    );
  const order = FIGURE_METHODS.map((m) => LABELS[m] ?? m);
  const color = { field: 'method', type: 'nominal', sort: order, scale: { domain: order, scheme: 'category10' }, title: null, legend: { labelLimit: 240 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 420,
    height: 280,
    config: CONFIG,
    data: { values },
    encoding: { x: { field: 'delta', type: 'quantitative', title: 'difficulty δ', scale: { domain: [0, 1] } } },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          y: { field: 'mean', type: 'quantitative', title: 'correct retrieval', scale: { domain: [0, 1] } },
          color,
          strokeDash: { field: 'oracle', type: 'nominal', legend: null, scale: { domain: [false, true], range: [[1, 0], [6, 3]] } },
        },
      },
      { mark: { type: 'errorbar', ticks: true }, encoding: { y: { field: 'lo', type: 'quantitative', title: 'correct retrieval' }, y2: { field: 'hi' }, color } },
    ],
  } as TopLevelSpec;
}
