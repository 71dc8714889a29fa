/**
 * The `tabular` group of `ahop reproduce --only` (docs/protocol.md, "Tabular classification"):
 * every vendored data set × seed, the memory classifier with every similarity and the references;
 * rendered as the tabular table (with the paper's Adult and Heart rows for context), a figure of
 * test accuracy per method and data set, the collapse check, and summary rows.
 */
import type { TopLevelSpec } from 'vega-lite';
import { collectTabular, stat } from '../aggregate.ts';
import { CONFIG } from '../figures/svg.ts';
import { toSvg } from '../figures/svg.ts';
import { seedList, summaryRow, type ExperimentGroup, type GroupRender, type PlanOptions } from '../group.ts';
import { toMarkdown } from '../table.ts';
import { tabularLabel, tabularTable, TABULAR_METHODS } from '../tables.ts';
import { tabularSpec, type TabularResult, type TabularSpec } from './cells.ts';
import { DATASETS } from './datasets.ts';
import { runTabularCell } from './run.ts';

function figureSpec(results: readonly TabularResult[]): TopLevelSpec {
  const rows = collectTabular(results);
  const values = rows.flatMap((r) =>
    TABULAR_METHODS.filter((m) => r.accuracy[m] !== undefined).map((m) => {
      const s = stat(r.accuracy[m]);
      return { dataset: r.dataset, method: tabularLabel(m), mean: s.mean, lo: s.mean - s.std, hi: s.mean + s.std };
    }),
  );
  const order = TABULAR_METHODS.map(tabularLabel);
  const seeds = [...new Set(rows.map((r) => r.seeds.length))].join('/');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Tabular memory classifier: test accuracy', subtitle: `points: mean over ${seeds} seeds; bars: ± 1 sample std` },
    data: { values },
    facet: { column: { field: 'dataset', type: 'nominal', title: null } },
    spec: {
      width: 180,
      height: 200,
      layer: [
        { mark: { type: 'rule' }, encoding: { y: { field: 'method', type: 'nominal', sort: order, title: null }, x: { field: 'lo', type: 'quantitative', title: 'test accuracy', scale: { zero: false } }, x2: { field: 'hi' } } },
        { mark: { type: 'point', filled: true, size: 60 }, encoding: { y: { field: 'method', type: 'nominal', sort: order }, x: { field: 'mean', type: 'quantitative' }, color: { field: 'method', type: 'nominal', sort: order, legend: null } } },
      ],
    },
    config: CONFIG,
  } as TopLevelSpec;
}

/** The test split's majority-class rate: the accuracy of always answering the largest class. */
function majority(r: TabularResult): number {
  return Math.max(...r.testShare);
}

/**
 * Per-seed checks: the A-Hop and A-Hop+ classifiers' accuracy against the test split's
 * majority-class rate, and the share of test rows each assigns to each class (a collapsed
 * classifier answers one class only).
 */
function collapseLines(results: readonly TabularResult[]): string[] {
  const heads = [
    { label: 'A-Hop', method: 'ahop', share: (r: TabularResult) => r.ahopAnswerShare },
    { label: 'A-Hop+', method: 'ahop-plus', share: (r: TabularResult) => r.ahopPlusAnswerShare },
  ];
  const shares = (v: readonly number[]) => v.map((s) => s.toFixed(3)).join(' / ');
  return heads.flatMap(({ label, method, share }) => {
    const below = results.filter((r) => r.accuracy[method] < majority(r));
    const collapsed = results.filter((r) => share(r).filter((s) => s > 0).length < 2);
    return [
      below.length === 0
        ? `**On every seed the ${label} classifier's test accuracy is at least the test split's majority-class rate** (${results.length} cells).`
        : `**${label} is below the majority-class rate on ${below.length} of ${results.length} cells** (${below.map((r) => `${r.spec.dataset} seed ${r.spec.seed}`).join(', ')}).`,
      collapsed.length === 0
        ? `${label} answers more than one class on every cell (no collapse to one class).`
        : `COLLAPSE: ${label} answers a single class on ${collapsed.length} of ${results.length} cells.`,
      ...results.map(
        (r) =>
          `- ${r.spec.dataset} seed ${r.spec.seed}: ${label} ${r.accuracy[method].toFixed(4)} vs majority ${majority(r).toFixed(4)}; ${label}'s answers per class ${shares(share(r))} (test rows per class ${shares(r.testShare)})`,
      ),
      '',
    ];
  });
}

export const tabularGroup: ExperimentGroup<TabularSpec, TabularResult> = {
  plan(seeds: number, options: PlanOptions): TabularSpec[] {
    return seedList(seeds, options.firstSeed).flatMap((seed) => DATASETS.map((d) => tabularSpec(d, seed, options.tiny === true)));
  },
  runCell: (spec) => Promise.resolve(runTabularCell(spec)),
  async render(results): Promise<GroupRender> {
    const rows = collectTabular(results);
    const chosen = results.map((r) => `${r.spec.dataset} s${r.spec.seed}: ${r.universalChosen}`).join('; ');
    const markdown = [
      toMarkdown(tabularTable(rows)),
      '',
      ...collapseLines(results),
      '',
      `Universal configuration chosen on the validation split: ${chosen}.`,
      '',
    ].join('\n');
    const summary = rows.flatMap((r) =>
      TABULAR_METHODS.filter((m) => r.accuracy[m] !== undefined).map((m) => summaryRow('tabular', r.dataset, m, 'accuracy', r.accuracy[m])),
    );
    return { markdown, figures: [{ name: 'tabular', svg: await toSvg(figureSpec(results)) }], summary };
  },
};
