/**
 * Seeds → table entries: mean ± sample standard deviation per (group, family, δ, method), and
 * paired per-seed differences for A-Hop's margin over the best baseline and its gap to the oracle
 * (pairing removes the spread the seeds' instances share).
 */
import type { CellResult } from './cells.ts';
import type { TabularResult } from './tabular/cells.ts';

export interface Stat {
  mean: number;
  /** Sample std (n − 1); 0 for a single seed. */
  std: number;
  n: number;
}

export function stat(values: readonly number[]): Stat {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

export interface Row {
  group: string;
  family: string;
  delta: number;
  seeds: number[];
  /** Per method: accuracies in seed order. */
  accuracy: Record<string, number[]>;
  argmaxAccuracy: Record<string, number[]>;
  /** Universal configuration chosen per seed. */
  universalChosen: string[];
}

export function rowKey(group: string, family: string, delta: number): string {
  return `${group}|${family}|${delta.toFixed(2)}`;
}

/** Code-unit order (locale-independent, so every machine sorts alike). */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Canonical order of cells and rows: group, family, δ, then seed — never the order cells finished in. */
function byKey(a: CellResult, b: CellResult): number {
  const s = a.spec;
  const t = b.spec;
  return cmp(s.group, t.group) || cmp(s.family, t.family) || s.delta - t.delta || s.seed - t.seed;
}

/** Groups cells by (group, family, δ), in that canonical order, seeds ascending. */
export function collect(cells: readonly CellResult[]): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const c of [...cells].sort(byKey)) {
    const key = rowKey(c.spec.group, c.spec.family, c.spec.delta);
    let row = rows.get(key);
    if (row === undefined) {
      row = { group: c.spec.group, family: c.spec.family, delta: c.spec.delta, seeds: [], accuracy: {}, argmaxAccuracy: {}, universalChosen: [] };
      rows.set(key, row);
    }
    row.seeds.push(c.spec.seed);
    for (const [m, s] of Object.entries(c.scores)) {
      (row.accuracy[m] ??= []).push(s.accuracy);
      (row.argmaxAccuracy[m] ??= []).push(s.argmaxAccuracy);
    }
    row.universalChosen.push(c.universal.chosen);
  }
  return rows;
}

/** The method among `names` with the highest mean accuracy in the row. */
export function best(row: Row, names: readonly string[]): string {
  return names
    .filter((n) => row.accuracy[n] !== undefined)
    .reduce((a, b) => (stat(row.accuracy[b]).mean > stat(row.accuracy[a]).mean ? b : a));
}

/** Per-seed a − b, summarised. */
export function pairedDiff(row: Row, a: string, b: string): Stat {
  return stat(row.accuracy[a].map((v, i) => v - row.accuracy[b][i]));
}

export interface TabularRow {
  dataset: string;
  seeds: number[];
  accuracy: Record<string, number[]>;
  n: number;
  d: number;
}

export function collectTabular(results: readonly TabularResult[]): TabularRow[] {
  const by = new Map<string, TabularRow>();
  for (const r of [...results].sort((a, b) => cmp(a.spec.dataset, b.spec.dataset) || a.spec.seed - b.spec.seed)) {
    let row = by.get(r.spec.dataset);
    if (row === undefined) {
      row = { dataset: r.spec.dataset, seeds: [], accuracy: {}, n: r.n, d: r.d };
      by.set(r.spec.dataset, row);
    }
    row.seeds.push(r.spec.seed);
    for (const [m, a] of Object.entries(r.accuracy)) (row.accuracy[m] ??= []).push(a);
  }
  return [...by.values()];
}
