/** A tabular cell: one data set × one seed (split, memories, queries, validation), every classifier on it. */
import type { TrainBudget } from '../../baselines/ahop-methods.ts';
import type { DatasetName } from './datasets.ts';

/** Cache version of the tabular cells (bumped when the protocol of docs/protocol.md changes). */
export const TABULAR_VERSION = 7;

export interface ForestSettings {
  nEstimators: number;
  maxDepth: number;
  /** Fraction of the features each tree sees (ml-random-forest samples features per tree). */
  maxFeatures: number;
  /** Fraction of the training rows each tree's bootstrap sample draws. */
  maxSamples: number;
}

export interface TabularSpec {
  id: string;
  dataset: DatasetName;
  seed: number;
  /** Fraction of rows used for training (the rest is the test split). */
  trainFraction: number;
  /** '0/1': one-hot columns are left 0/1; absent: z-scored with the numeric ones (numeric columns are always z-scored). */
  oneHotColumns?: '0/1';
  /** Fraction of the training rows held out for validation (choices, safeguard); the rest are stored. */
  validationFraction: number;
  /** At most this many of the remaining training rows are stored as memories (a stratified subset; absent: all). */
  maxMemories?: number;
  /** At most this many stored rows are also training queries, each with its own memory left out (a stratified subset; absent: all). */
  maxQueries?: number;
  /** Full-batch gradient steps of the logistic regression. */
  logregSteps: number;
  forest: ForestSettings;
  budget: Required<Pick<TrainBudget, 'epochs' | 'lr' | 'batchSize'>>;
  version: number;
}

export interface TabularResult {
  spec: TabularSpec;
  /** Test accuracy per classifier. */
  accuracy: Record<string, number>;
  /** Share of the test rows in each class. */
  testShare: number[];
  /** Share of the test rows the A-Hop classifier assigns to each class (a collapse answers one class only). */
  ahopAnswerShare: number[];
  /** The same for the A-Hop+ classifier. */
  ahopPlusAnswerShare: number[];
  universalChosen: string;
  /** The learned β of the M-Hop head with β learned. */
  mhopBeta: number;
  /** Memories every head reads at test (the stored and the validation rows). */
  n: number;
  d: number;
  seconds: number;
}

export function tabularId(dataset: DatasetName, seed: number, tiny = false): string {
  return `tabular${tiny ? '-tiny' : ''}-${dataset}-s${seed}`;
}

/** The protocol's spec of one cell (docs/protocol.md, "Tabular classification"); `tiny`: a smoke test. */
export function tabularSpec(dataset: DatasetName, seed: number, tiny = false): TabularSpec {
  return {
    id: tabularId(dataset, seed, tiny),
    dataset,
    seed,
    trainFraction: 0.7,
    validationFraction: 0.25,
    ...(tiny ? { maxMemories: 48, maxQueries: 32 } : {}),
    logregSteps: tiny ? 20 : 2000,
    forest: tiny ? { nEstimators: 3, maxDepth: 2, maxFeatures: 0.3, maxSamples: 0.2 } : { nEstimators: 20, maxDepth: 5, maxFeatures: 0.3, maxSamples: 0.5 },
    budget: tiny ? { epochs: 2, lr: 0.1, batchSize: 8 } : { epochs: 20, lr: 0.1, batchSize: 32 },
    version: TABULAR_VERSION,
  };
}
