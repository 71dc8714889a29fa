/**
 * The MNIST strip: for a few test queries (columns), the query image, the source memory it was
 * drawn from, A-Hop's readout and M-Hop's readout (rows; each image grey scale clamped to the pixel
 * range [0, 1]); each column is labelled with its number and the source digit.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Examples } from '../cells.ts';
import { CONFIG } from './svg.ts';

const ROWS = [
  ['query', 'query x'],
  ['source', 'source memory ξ_t'],
  ['ahop', 'A-Hop readout'],
  ['mhop', 'M-Hop readout'],
] as const;

export function stripSpec(title: string, ex: Examples): TopLevelSpec {
  const side = Math.round(Math.sqrt(ex.queries[0].length));
  const values = ex.queries.flatMap((q, e) =>
    ROWS.flatMap(([key, label]) => {
      const img = key === 'query' ? q : key === 'source' ? ex.sources[e] : ex.readouts[key][e];
      return img.map((v, i) => ({
        // Two header lines (split in labelExpr) so neighbouring labels never run together.
        example: `#${e + 1}|digit ${ex.labels[e]}`,
        order: e,
        row: label,
        px: i % side,
        py: Math.floor(i / side),
        v: Math.min(1, Math.max(0, v)),
      }));
    }),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: { ...CONFIG, axis: { disable: true }, facet: { spacing: 14 } },
    data: { values },
    facet: {
      row: { field: 'row', type: 'nominal', title: null, sort: ROWS.map((r) => r[1]), header: { labelAngle: 0, labelAlign: 'right', labelFontSize: 11 } },
      column: { field: 'example', type: 'nominal', title: null, sort: { field: 'order' }, header: { labelFontSize: 10, labelLimit: 0, labelExpr: "split(datum.label, '|')" } },
    },
    spec: {
      width: 56,
      height: 56,
      mark: 'rect',
      encoding: {
        x: { field: 'px', type: 'ordinal', axis: null },
        y: { field: 'py', type: 'ordinal', axis: null },
        color: { field: 'v', type: 'quantitative', scale: { domain: [0, 1], range: ['black', 'white'] }, legend: null },
      },
    },
  } as TopLevelSpec;
}
