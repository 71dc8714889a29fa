/** Correct retrieval (paper): the metric lives with the reference, hopfield/correct-retrieval.ts. */
export { nearestMemory } from '../hopfield/correct-retrieval.ts';

/** Fraction of queries whose predicted source equals the true one. */
export function accuracy(predicted: readonly number[], targets: readonly number[]): number {
  return predicted.filter((p, i) => p === targets[i]).length / targets.length;
}
