/**
 * A cell: one (experiment, variant family, δ, seed) — one instance, every method on it. Cells are
 * the unit of caching and of parallel work; their spec is plain JSON so a worker process can run it.
 */
import type { TrainBudget } from '../baselines/ahop-methods.ts';
import type { Family } from './difficulty.ts';
import type { Sizes, Task } from './instance.ts';

/** The groups of the tables in docs/results.md. */
export type Group =
  | 'synthetic'
  | 'binary'
  | 'families'
  | 'mnist'
  | 'lr-synthetic'
  | 'lr-mnist'
  /** A-Hop+'s ablations on the Synthetic instances where A-Hop's run (curve.ts, plusAblationPlan). */
  | 'ablation-plus'
  /** The learning curve at P training pairs (curve.ts). */
  | `curve-${'synthetic' | 'mnist'}-${number}`;

export interface CellSpec {
  id: string;
  group: Group;
  task: Task;
  family: Family;
  delta: number;
  seed: number;
  sizes: Sizes;
  budget: Required<Pick<TrainBudget, 'epochs' | 'lr' | 'batchSize'>> & TrainBudget;
  /** Also train A-Hop's ablation rows (sort × U, single base): only where the ablation table reads them. */
  ablations: boolean;
  /** Also train A-Hop+'s ablation rows (no link, no offset, no scale, no sort, no dot). */
  plusAblations?: boolean;
    /**
   * Methods left out of this cell (absent = none). U2-Hop's d×d kernel makes it 70% of an MNIST
   * cell, so the full sweep runs it on MNIST only at the paper's levels (docs/protocol.md, "Budget").
   */
  skip?: string[];
  /** Keep the first few test queries and their A-Hop / M-Hop readouts (MNIST strip figure). */
  keepExamples: number;
  version: number;
}

export interface MethodScore {
  /** Correct retrieval: argmin_k ‖y − ξ_k‖ is the source. */
  accuracy: number;
  /** Diagnostic: argmax_k p_k is the source (ignores how sharp the readout is). */
  argmaxAccuracy: number;
  fitSeconds: number;
  retrieveSeconds: number;
}

export interface Examples {
  queries: number[][];
  targets: number[];
  /** The source memory ξ_t of each query (the strip figure's reference row). */
  sources: number[][];
  labels: number[];
  /** Readouts y per method name. */
  readouts: Record<string, number[][]>;
}

export interface CellResult {
  spec: CellSpec;
  scores: Record<string, MethodScore>;
  /** Correct retrieval of every Universal configuration, and the one chosen on the training pairs. */
  universal: { chosen: string; accuracy: Record<string, number> };
  /** Learned parameters of each A-Hop row (footprint-weight figure). */
  params: Record<string, { wDis: number[]; wDot: number[]; betaDis: number; betaDot: number }>;
  examples?: Examples;
  seconds: number;
}

export function cellId(group: Group, family: Family, delta: number, seed: number): string {
  return `${group}-${family}-${delta.toFixed(2)}-s${seed}`;
}
