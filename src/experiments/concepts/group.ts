/**
 * The `concepts` group of `ahop reproduce --only` (docs/protocol.md, "Concept scaling"):
 * cross-modal retrieval accuracy per method as the number of concepts C grows, as a table and a
 * figure (accuracy vs C on a log axis, Bayes oracle dashed).
 */
import type { TopLevelSpec } from 'vega-lite';
import { stat } from '../aggregate.ts';
import { CONFIG, toSvg } from '../figures/svg.ts';
import { seedList, summaryRow, type ExperimentGroup, type GroupRender, type PlanOptions, type SummaryRow } from '../group.ts';
import { LABELS } from '../methods.ts';
import { toMarkdown } from '../table.ts';
import { CONCEPT_COUNTS, conceptsSpec, TINY_CONCEPT_COUNTS, type ConceptsResult, type ConceptsSpec } from './cells.ts';
import { runConceptsCell } from './run.ts';

export const CONCEPT_METHODS = ['ahop', 'mhop', 'sparse', 'universal', 'bayes'];

/** accuracy per (C, method), seeds in seed order. */
function collect(results: readonly ConceptsResult[]): Map<number, Record<string, number[]>> {
  const by = new Map<number, Record<string, number[]>>();
  for (const r of [...results].sort((a, b) => a.spec.concepts - b.spec.concepts || a.spec.seed - b.spec.seed)) {
    const row = by.get(r.spec.concepts) ?? {};
    for (const [m, a] of Object.entries(r.accuracy)) (row[m] ??= []).push(a);
    by.set(r.spec.concepts, row);
  }
  return by;
}

function figureSpec(by: Map<number, Record<string, number[]>>): TopLevelSpec {
  const order = CONCEPT_METHODS.map((m) => LABELS[m] ?? m);
  const values = [...by].flatMap(([c, row]) =>
    CONCEPT_METHODS.filter((m) => row[m] !== undefined).map((m) => {
      const s = stat(row[m]);
      return { concepts: c, method: LABELS[m] ?? m, oracle: m === 'bayes', mean: s.mean, lo: s.mean - s.std, hi: s.mean + s.std, n: s.n };
    }),
  );
  const seeds = [...new Set(values.map((v) => v.n))].join('/');
  const color = { field: 'method', type: 'nominal', sort: order, scale: { domain: order, scheme: 'category10' }, title: null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Concept scaling: cross-modal retrieval vs number of concepts', subtitle: `points: mean over ${seeds} seeds; error bars: ± 1 sample std; dashed: Bayes oracle (knows the query map)` },
    width: 420,
    height: 260,
    data: { values },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { x: { field: 'concepts', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'number of concepts C' }, y: { field: 'mean', type: 'quantitative', title: 'correct retrieval', scale: { domain: [0, 1] } }, color, strokeDash: { field: 'oracle', type: 'nominal', legend: null } } },
      { mark: { type: 'rule' }, encoding: { x: { field: 'concepts', type: 'quantitative' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}

export const conceptsGroup: ExperimentGroup<ConceptsSpec, ConceptsResult> = {
  plan(seeds: number, options: PlanOptions): ConceptsSpec[] {
    const tiny = options.tiny === true;
    const counts = tiny ? TINY_CONCEPT_COUNTS : CONCEPT_COUNTS;
    return seedList(seeds, options.firstSeed).flatMap((seed) => counts.map((c) => conceptsSpec(c, seed, tiny)));
  },
  runCell: (spec) => Promise.resolve(runConceptsCell(spec)),
  async render(results): Promise<GroupRender> {
    const by = collect(results);
    const counts = [...by.keys()];
    const fmt = (v: number[] | undefined) => {
      if (v === undefined) return '–';
      const s = stat(v);
      return `${s.mean.toFixed(3)} ± ${s.std.toFixed(3)}`;
    };
    const header = ['method', ...counts.map((c) => `C=${c}`)];
    const table = {
      title: 'Concept scaling: correct cross-modal retrieval (stand-in for the multimodal task)',
      header,
      rows: [
        ...CONCEPT_METHODS.map((m) => [LABELS[m] ?? m, ...counts.map((c) => fmt(by.get(c)![m]))]),
        ['paper (multimodal, A-Hop)', ...counts.map((c) => (c === 1024 ? '0.988' : ''))],
      ],
      notes: [
        'Mean ± std over seeds. Synthetic: two unknown linear views of C concepts, composed corruption of the query view, one ridge-fitted W_Q shared by every method (docs/protocol.md, "Concept scaling"). The paper\'s number is on its own multimodal data.',
      ],
    };
    const chosen = [...new Set(results.map((r) => r.universalChosen))].join(', ');
    const summary: SummaryRow[] = [...by].flatMap(([c, row]) =>
      CONCEPT_METHODS.filter((m) => row[m] !== undefined).map((m) => summaryRow('concepts', `C=${c}`, m, 'accuracy', row[m])),
    );
    return {
      markdown: [toMarkdown(table), '', `Universal configurations chosen (training pairs): ${chosen}.`, ''].join('\n'),
      figures: [{ name: 'concepts', svg: await toSvg(figureSpec(by)) }],
      summary,
    };
  },
};
