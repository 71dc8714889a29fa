/** Tiny cell specs so each experiment's code path runs in CI in a second or two. */
import type { CellSpec, Group } from '../src/experiments/cells.ts';
import { cellId } from '../src/experiments/cells.ts';
import type { Family } from '../src/experiments/difficulty.ts';
import type { Task } from '../src/experiments/instance.ts';
import { PROTOCOL_VERSION } from '../src/experiments/protocol.ts';

export const TINY_BUDGET = { epochs: 2, lr: 0.1, batchSize: 8 };

export function tinyCell(over: Partial<CellSpec> & { task?: Task; family?: Family; group?: Group } = {}): CellSpec {
  const group = over.group ?? 'synthetic';
  const family = over.family ?? 'composed';
  const delta = over.delta ?? 0.4;
  const seed = over.seed ?? 0;
  return {
    id: cellId(group, family, delta, seed),
    group,
    task: { kind: 'synthetic', patterns: 'uniform', n: 6, d: 5 },
    family,
    delta,
    seed,
    sizes: { trainPairs: 16, testQueries: 12 },
    budget: TINY_BUDGET,
    ablations: true,
    keepExamples: 0,
    version: PROTOCOL_VERSION,
    ...over,
  };
}
