/**
 * Correct retrieval (paper): the readout y counts as correct when the stored pattern nearest to it
 * is the query's source, argmin_k ‖y − ξ_k‖₂ = t. Ties go to the lowest index.
 */
export function nearestMemory(memories: readonly (readonly number[])[], y: readonly number[]): number {
  let best = 0;
  let bestDist = Infinity;
  memories.forEach((m, k) => {
    const dist = m.reduce((acc, v, i) => acc + (v - y[i]) ** 2, 0);
    if (dist < bestDist) {
      bestDist = dist;
      best = k;
    }
  });
  return best;
}

/** Fraction of queries whose predicted source equals the true one. */
export function accuracy(predicted: readonly number[], targets: readonly number[]): number {
  return predicted.filter((p, i) => p === targets[i]).length / targets.length;
}
