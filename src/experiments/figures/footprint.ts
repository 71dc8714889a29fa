/**
 * The learned footprint weights, c_r = β · Σ_{j≥r} w_j by rank r (r = 1 is the most consistent
 * dimension), for A-Hop trained on noisy, masked and biased queries — the paper's story in one
 * picture: noise spreads weight over every rank, masking puts it on the best-matching ranks and
 * ignores the tail where occluded dimensions sort to.
 */
import type { TopLevelSpec } from 'vega-lite';
import { suffixSums } from '../../similarity/footprint.ts';
import type { CellResult } from '../cells.ts';
import { CONFIG } from './svg.ts';

/** Mean over seeds of β_dis c_dis,r and β_dot c_dot,r for A-Hop (full) in each family's cells. */
export function footprintData(cells: readonly CellResult[]): { family: string; base: string; rank: number; c: number }[] {
  const by = new Map<string, CellResult[]>();
  for (const c of cells) if (c.params.ahop !== undefined) by.set(c.spec.family, [...(by.get(c.spec.family) ?? []), c]);
  return [...by.entries()].flatMap(([family, cs]) => {
    const d = cs[0].params.ahop.wDis.length;
    return (['dis', 'dot'] as const).flatMap((base) => {
      const per = cs.map((c) => {
        const p = c.params.ahop;
        const cr = suffixSums(base === 'dis' ? p.wDis : p.wDot);
        const beta = base === 'dis' ? p.betaDis : p.betaDot;
        return cr.map((v) => beta * v);
      });
      return Array.from({ length: d }, (_, r) => ({ family, base, rank: r + 1, c: per.reduce((a, v) => a + v[r], 0) / per.length }));
    });
  });
}

/** `seeds`: how many seeds' weights are averaged (said in the caption). */
export function footprintSpec(title: string, data: ReturnType<typeof footprintData>, seeds: number): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: [
        'y: β_sim · c_r, the weight A-Hop puts on the r-th best-matching dimension (c_r = Σ_{j≥r} w_j,',
        `so s = Σ_r β c_r q̃_r); dis = −(ξ_i − x_i)², dot = ξ_i x_i; mean over ${seeds} seed${seeds === 1 ? '' : 's'}; y-scales differ per panel`,
      ],
    },
    config: CONFIG,
    data: { values: data },
    facet: { column: { field: 'family', type: 'nominal', title: null, sort: ['noisy', 'masked', 'biased'] } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 220,
      height: 180,
      mark: { type: 'line', point: { size: 12 } },
      encoding: {
        x: { field: 'rank', type: 'quantitative', title: 'rank r (1 = best-matching dimension)' },
        y: { field: 'c', type: 'quantitative', title: 'weight on rank r (β · c_r)' },
        color: { field: 'base', type: 'nominal', title: 'base', scale: { domain: ['dis', 'dot'], range: ['#1f77b4', '#ff7f0e'] } },
      },
    },
  } as TopLevelSpec;
}
