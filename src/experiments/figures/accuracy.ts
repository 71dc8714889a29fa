/**
 * Accuracy vs difficulty, one line per method (mean over seeds, error bars ± std), with the Bayes
 * oracle drawn dashed as the ceiling no method can beat in expectation. The subtitle says what the
 * bars are; each method has its own point shape and is shifted by a few thousandths of δ so that
 * methods with equal accuracy do not hide each other (every legend entry stays visible).
 */
import type { TopLevelSpec } from 'vega-lite';
import { stat, type Row } from '../aggregate.ts';
import { LABELS } from '../methods.ts';
import { CONFIG } from './svg.ts';

export const FIGURE_METHODS = ['ahop', 'ahop-plus', 'mhop', 'sparse', 'universal', 'u2hop', 'bayes'];

/** Horizontal shift of method i of m, in units of δ (the levels are 0.1 apart). */
const DODGE = 0.004;

export function accuracySpec(title: string, rows: readonly Row[]): TopLevelSpec {
  const present = FIGURE_METHODS.filter((m) => rows.some((r) => r.accuracy[m] !== undefined));
  const values = [...rows]
    .sort((a, b) => a.delta - b.delta)
    .flatMap((r) =>
      present.filter((m) => r.accuracy[m] !== undefined).map((m) => {
        const s = stat(r.accuracy[m]);
        const x = r.delta + DODGE * (present.indexOf(m) - (present.length - 1) / 2);
        return { delta: r.delta, x, method: LABELS[m] ?? m, oracle: m === 'bayes', mean: s.mean, lo: s.mean - s.std, hi: s.mean + s.std };
      }),
    );
  const order = present.map((m) => LABELS[m] ?? m);
  const seeds = [...new Set(rows.map((r) => r.seeds.length))].sort((a, b) => a - b);
  const deltas = rows.map((r) => r.delta);
  const domain = [Math.max(0, Math.min(...deltas) - 0.05), Math.min(1, Math.max(...deltas) + 0.05)];
  const legend = { labelLimit: 240, symbolSize: 80 } as const;
  const color = { field: 'method', type: 'nominal', sort: order, scale: { domain: order, scheme: 'category10' }, title: null, legend } as const;
  const shape = { field: 'method', type: 'nominal', sort: order, scale: { domain: order }, title: null, legend } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: `points: mean over ${seeds.join('/')} seed${seeds.join('/') === '1' ? '' : 's'}; error bars: ± 1 sample std across seeds; dashed: Bayes oracle (ceiling)`,
    },
    width: 420,
    height: 280,
    config: CONFIG,
    data: { values },
    encoding: { x: { field: 'x', type: 'quantitative', title: 'difficulty δ', scale: { domain } } },
    layer: [
      {
        mark: { type: 'line' },
        encoding: {
          y: { field: 'mean', type: 'quantitative', title: 'correct retrieval', scale: { domain: [0, 1] } },
          color,
          strokeDash: { field: 'oracle', type: 'nominal', legend: null, scale: { domain: [false, true], range: [[1, 0], [6, 3]] } },
        },
      },
      { mark: { type: 'point', filled: true, size: 50 }, encoding: { y: { field: 'mean', type: 'quantitative' }, color, shape } },
      { mark: { type: 'errorbar', ticks: true }, encoding: { y: { field: 'lo', type: 'quantitative', title: 'correct retrieval' }, y2: { field: 'hi' }, color } },
    ],
  } as TopLevelSpec;
}
