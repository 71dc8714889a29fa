/**
 * Similarity functions of the Universal Hopfield framework (Millidge et al., 2022), one scalar per
 * (memory ξ, query x), larger = more similar:
 *   dot:            sim(ξ, x) = ξᵀx
 *   neg-euclidean:  sim(ξ, x) = −‖ξ − x‖₂
 *   neg-manhattan:  sim(ξ, x) = −‖ξ − x‖₁
 *   inv-euclidean:  sim(ξ, x) = 1 / ‖ξ − x‖₂
 *   inv-manhattan:  sim(ξ, x) = 1 / ‖ξ − x‖₁
 * Division by zero in the reciprocal forms: 1/0 = +∞ (an exact match is infinitely similar), and
 * every separation sends all weight, uniformly, to the memories with an infinite score
 * (separation.ts), which is the limit of the separation as the distance → 0. No ε is needed, so a
 * memory at distance 1e-20 is still more similar than one at distance 1e-10.
 */
export type UniversalSimilarity = 'dot' | 'neg-euclidean' | 'neg-manhattan' | 'inv-euclidean' | 'inv-manhattan';

export const UNIVERSAL_SIMILARITIES: readonly UniversalSimilarity[] = [
  'dot',
  'neg-euclidean',
  'neg-manhattan',
  'inv-euclidean',
  'inv-manhattan',
];

/** ξᵀx = Σ_i ξ_i x_i. */
export function dotProduct(xi: readonly number[], x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < xi.length; i++) s += xi[i] * x[i];
  return s;
}

/**
 * ‖ξ − x‖₂ = a · sqrt(Σ_i ((ξ_i − x_i)/a)²), a = max_i |ξ_i − x_i|, so the sum of squares neither
 * overflows for large inputs nor underflows for tiny differences.
 */
export function euclideanDistance(xi: readonly number[], x: readonly number[]): number {
  let a = 0;
  for (let i = 0; i < xi.length; i++) a = Math.max(a, Math.abs(xi[i] - x[i]));
  if (a === 0 || !Number.isFinite(a)) return a;
  let s = 0;
  for (let i = 0; i < xi.length; i++) s += ((xi[i] - x[i]) / a) ** 2;
  return a * Math.sqrt(s);
}

/** ‖ξ − x‖₁ = Σ_i |ξ_i − x_i|. */
export function manhattanDistance(xi: readonly number[], x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < xi.length; i++) s += Math.abs(xi[i] - x[i]);
  return s;
}

/** sim(ξ, x) for one of the Universal similarities (module comment); 1/0 = +∞. */
export function universalSimilarity(kind: UniversalSimilarity, xi: readonly number[], x: readonly number[]): number {
  switch (kind) {
    case 'dot':
      return dotProduct(xi, x);
    case 'neg-euclidean':
      return -euclideanDistance(xi, x);
    case 'neg-manhattan':
      return -manhattanDistance(xi, x);
    case 'inv-euclidean':
      return 1 / euclideanDistance(xi, x);
    case 'inv-manhattan':
      return 1 / manhattanDistance(xi, x);
  }
}
