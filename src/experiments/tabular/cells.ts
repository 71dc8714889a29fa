/** A tabular cell: one data set × one seed (split, memory subset, pairs), every classifier on it. */
import type { TrainBudget } from '../../baselines/ahop-methods.ts';
import type { DatasetName } from './datasets.ts';

export interface TabularSpec {
  id: string;
  dataset: DatasetName;
  seed: number;
  /** Fraction of rows used for training (the rest is the test split). */
  trainFraction: number;
  /** At most this many training rows are stored as memories. */
  maxMemories: number;
  /** Full-batch gradient steps of the logistic regression. */
  logregSteps: number;
  budget: Required<TrainBudget>;
  version: number;
}

export interface TabularResult {
  spec: TabularSpec;
  /** Test accuracy per classifier. */
  accuracy: Record<string, number>;
  universalChosen: string;
  n: number;
  d: number;
  seconds: number;
}

export function tabularId(dataset: DatasetName, seed: number): string {
  return `tabular-${dataset}-s${seed}`;
}
