/**
 * Writes every SVG figure the available cells support, and returns the paths written:
 * accuracy vs difficulty per group, the learned footprint weights per pure family, and the MNIST
 * strip (query → A-Hop → M-Hop) at the paper's harder MNIST level, and the learning curve when its
 * cells are there.
 */
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../../io/atomic.ts';
import { join } from 'node:path';
import { collect } from '../aggregate.ts';
import type { CellResult } from '../cells.ts';
import { PAPER_LEVELS } from '../protocol.ts';
import type { RunResults } from '../runner.ts';
import { curvePoints } from '../curve.ts';
import { accuracySpec } from './accuracy.ts';
import { curveSpec } from './curve.ts';
import { footprintData, footprintSpec } from './footprint.ts';
import { stripSpec } from './strip.ts';
import { toSvg } from './svg.ts';
import type { TopLevelSpec } from 'vega-lite';

const ACCURACY_TITLES: Record<string, string> = {
  synthetic: 'Synthetic uniform (N=64, d=32), composed variant',
  mnist: 'MNIST (N=32, 14×14), composed variant',
  binary: 'Synthetic binary ±1 (N=64, d=16), composed variant',
};

/** The figures as (file name, Vega-Lite spec) pairs. */
export function figureSpecs(cells: readonly CellResult[]): [string, TopLevelSpec][] {
  const out: [string, TopLevelSpec][] = [];
  const rows = [...collect(cells).values()];
  for (const [group, title] of Object.entries(ACCURACY_TITLES)) {
    const g = rows.filter((r) => r.group === group && r.family === 'composed');
    if (g.length > 0) out.push([`accuracy-${group}.svg`, accuracySpec(`Correct retrieval vs difficulty: ${title}`, g)]);
  }
  const fam = cells.filter((c) => c.spec.group === 'families' && ['noisy', 'masked', 'biased'].includes(c.spec.family));
  if (fam.length > 0) {
    const level = Math.min(...fam.map((c) => c.spec.delta));
    out.push([
      'footprint-weights.svg',
      footprintSpec(
        `Learned footprint weights of A-Hop by rank (Synthetic uniform, δ = ${level.toFixed(1)})`,
        footprintData(fam.filter((c) => c.spec.delta === level)),
        Math.min(...['noisy', 'masked', 'biased'].map((f) => fam.filter((c) => c.spec.family === f && c.spec.delta === level).length).filter((n) => n > 0)),
      ),
    ]);
  }
  const curve = curvePoints(collect(cells));
  if (curve.some((p) => p.pairs !== 256)) out.push(['learning-curve.svg', curveSpec('Learning curve: gap to the Bayes oracle vs training pairs (composed variant)', curve)]);
  const hard = PAPER_LEVELS.mnist[PAPER_LEVELS.mnist.length - 1];
  const strip = cells.find((c) => c.spec.group === 'mnist' && c.spec.delta === hard && c.examples !== undefined);
  if (strip?.examples !== undefined) {
    out.push(['mnist-strip.svg', stripSpec(`MNIST, δ = ${hard.toFixed(1)}, seed ${strip.spec.seed}: query, its source, A-Hop's and M-Hop's readouts`, strip.examples)]);
  }
  return out;
}

export async function writeFigures(results: RunResults, dir: string): Promise<string[]> {
  const specs = figureSpecs(results.cells);
  if (specs.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, spec] of specs) {
    const path = join(dir, name);
    writeFileAtomic(path, await toSvg(spec));
    written.push(path);
  }
  return written;
}
