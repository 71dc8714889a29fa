/**
 * Turns a run's results into what a user reads: the console table (headline or full), the
 * markdown tables (`<out>/tables.md`), a machine-readable summary (`<out>/summary.json`) and the
 * SVG figures (`<out>/figures/`). Pure function of the cached cells, so re-rendering is free.
 */
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic.ts';
import { join } from 'node:path';
import { collect, stat } from './aggregate.ts';
import { writeFigures } from './figures/index.ts';
import { BINARY_LEVELS, DIAGNOSTIC_LR, FAMILY_LEVELS, FAMILY_ROWS, LEVELS, PAPER_LEVELS } from './protocol.ts';
import type { RunResults } from './runner.ts';
import { toMarkdown, toText, transpose, type Table } from './table.ts';
import { curveTable, plusAblationTable } from './curve.ts';
import { ablationTable, accuracyTable, argmaxTable, levelColumns, lrTable, type Column } from './tables.ts';

export interface RenderContext {
  full: boolean;
  /** A `reproduce --tiny` run (the headline's tables on tiny cells; numbers mean nothing). */
  tiny?: boolean;
  seeds: number;
  out: string;
  command: string;
  /** Recorded in tables.md and summary.json; taken from the caller so a test can fix them. */
  date: string;
  machine: string;
}

function headlineColumns(): Column[] {
  return [
    ...levelColumns('synthetic', 'composed', PAPER_LEVELS.synthetic, 'Synthetic ', 'synthetic'),
    ...levelColumns('mnist', 'composed', PAPER_LEVELS.mnist, 'MNIST ', 'mnist'),
  ];
}

function familyColumns(): Column[] {
  return FAMILY_ROWS.flatMap((f) => FAMILY_LEVELS.map((delta) => ({ label: `${f} ${delta.toFixed(1)}`, group: 'families', family: f, delta })));
}

export function buildTables(results: RunResults, full: boolean): Table[] {
  const rows = collect(results.cells);
  const headline = accuracyTable('Headline: correct retrieval at the paper\'s levels (composed variant)', rows, headlineColumns());
  if (!full) return [headline, ablationTable(rows, PAPER_LEVELS.synthetic)];
  const synth = levelColumns('synthetic', 'composed', LEVELS, 'δ ', 'synthetic');
  const mnist = levelColumns('mnist', 'composed', LEVELS, 'δ ', 'mnist');
  return [
    headline,
    transpose(accuracyTable('Synthetic uniform (N=64, d=32), composed variant, every level', rows, synth), 'δ'),
    transpose(accuracyTable('MNIST (N=32, 14×14), composed variant, every level', rows, mnist), 'δ'),
    accuracyTable('Synthetic binary ±1 (N=64, d=16), composed variant', rows, levelColumns('binary', 'composed', BINARY_LEVELS, 'δ ')),
    transpose(accuracyTable('Pure families and the mixture (Synthetic uniform)', rows, familyColumns()), 'variant'),
    ablationTable(rows, PAPER_LEVELS.synthetic),
    transpose(argmaxTable('Diagnostic: argmax accuracy, Synthetic uniform', rows, synth), 'δ'),
    transpose(argmaxTable('Diagnostic: argmax accuracy, MNIST', rows, mnist), 'δ'),
    lrTable(rows, DIAGNOSTIC_LR),
    ...[plusAblationTable(rows), curveTable(rows)].filter((t) => t !== undefined),
  ];
}

/** summary.json: every aggregated entry, for scripts and for docs/results.md. */
function summary(results: RunResults, ctx: RenderContext): unknown {
  const rows = [...collect(results.cells).values()].map((r) => ({
    group: r.group,
    family: r.family,
    delta: r.delta,
    seeds: r.seeds,
    accuracy: Object.fromEntries(Object.entries(r.accuracy).map(([m, v]) => [m, { ...stat(v), values: v }])),
    argmaxAccuracy: Object.fromEntries(Object.entries(r.argmaxAccuracy).map(([m, v]) => [m, stat(v)])),
    universalChosen: r.universalChosen,
  }));

  return { command: ctx.command, full: ctx.full, tiny: ctx.tiny === true, seeds: ctx.seeds, date: ctx.date, machine: ctx.machine, rows };
}

export async function renderAll(results: RunResults, ctx: RenderContext): Promise<{ console: string; files: string[] }> {
  const tables = buildTables(results, ctx.full);
  mkdirSync(ctx.out, { recursive: true });
  const md = join(ctx.out, 'tables.md');
  const title = ctx.full ? 'Full sweep' : ctx.tiny === true ? 'Tiny run (a smoke test on tiny sizes: the numbers mean nothing)' : 'Headline';
  const stamp = `\`npx ahop ${ctx.command}\` · ${ctx.date} · ${ctx.machine}`;
  writeFileAtomic(md, `# ${title}\n\n${stamp}\n\n${tables.map(toMarkdown).join('\n')}`);
  const js = join(ctx.out, 'summary.json');
  writeFileAtomic(js, JSON.stringify(summary(results, ctx), null, 1) + '\n');
  const figures = await writeFigures(results, join(ctx.out, 'figures'));
  return { console: tables.map(toText).join('\n'), files: [md, js, ...figures] };
}
