/**
 * The vendored UCI data sets (data/tabular/, provenance in data/tabular/README.md) as numeric
 * feature rows and 0/1 labels. Categorical columns are one-hot encoded (levels in order of first
 * appearance, so the encoding is deterministic).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ParseError } from '../../errors.ts';
import { parseCsv } from './csv.ts';

export type DatasetName = 'breast-cancer' | 'diabetes' | 'credit-g';
export const DATASETS: readonly DatasetName[] = ['breast-cancer', 'diabetes', 'credit-g'];

export interface Dataset {
  name: DatasetName;
  features: number[][];
  labels: number[];
  /** Per feature column: true for a one-hot column of a categorical attribute. */
  oneHot: boolean[];
  /** What label 1 means. */
  positive: string;
}

function dataPath(name: DatasetName): string {
  // data/ sits at the package root: three levels above src/experiments/tabular, four above its
  // compiled copy in dist/src/experiments/tabular.
  const root = import.meta.url.endsWith('.ts') ? '../../../' : '../../../../';
  return fileURLToPath(new URL(`${root}data/tabular/${name}.csv`, import.meta.url));
}

/** One-hot encodes every non-numeric column; numeric columns pass through. */
function encode(rows: string[][]): { features: number[][]; oneHot: boolean[] } {
  const cols = rows[0].length;
  const numeric = Array.from({ length: cols }, (_, j) => rows.every((r) => r[j].trim() !== '' && Number.isFinite(Number(r[j]))));
  const levels = Array.from({ length: cols }, (_, j) => (numeric[j] ? [] : [...new Set(rows.map((r) => r[j]))]));
  return {
    features: rows.map((r) => r.flatMap((v, j) => (numeric[j] ? [Number(v)] : levels[j].map((l) => (l === v ? 1 : 0))))),
    oneHot: levels.flatMap((l, j) => (numeric[j] ? [false] : l.map(() => true))),
  };
}

export function loadDataset(name: DatasetName): Dataset {
  const { header, rows } = parseCsv(readFileSync(dataPath(name), 'utf8'));
  if (name === 'breast-cancer') {
    // scikit-learn's layout: the header row is "569,30,malignant,benign"; the last column is the
    // target, 0 = malignant, 1 = benign.
    const features = rows.map((r) => r.slice(0, -1).map(Number));
    return { name, features, labels: rows.map((r) => Number(r[r.length - 1])), oneHot: features[0].map(() => false), positive: 'benign' };
  }
  const last = header.length - 1;
  const positive = name === 'diabetes' ? 'tested_positive' : 'bad';
  const labels = rows.map((r) => (r[last] === positive ? 1 : 0));
  const { features, oneHot } = encode(rows.map((r) => r.slice(0, last)));
  if (features.some((f) => f.some((v) => !Number.isFinite(v)))) throw new ParseError(`${name}: non-numeric feature after encoding`);
  return { name, features, labels, oneHot, positive };
}
