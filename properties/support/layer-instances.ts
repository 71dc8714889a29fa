/** fast-check instances of the A-Hop layer (queries, keys, values, params, cotangent) and flat views of them. */
import fc from 'fast-check';
import type { LayerCotangent, LayerInputs } from '../../src/hopfield/layer.ts';
import type { AhopParams } from '../../src/similarity/adaptive.ts';
import { baseSimilarities } from '../../src/similarity/base.ts';
import { finite, params, vector } from './arbitraries.ts';

export interface LayerInstance {
  inputs: LayerInputs;
  cotangent: LayerCotangent;
}

const matrix = (rows: number, cols: number, entry: fc.Arbitrary<number>) =>
  fc.array(vector(cols, entry), { minLength: rows, maxLength: rows });

/** B, N in [1, maxBN], d in [1, maxD], dv in [1, 3]; entries in [−2, 2], params in [−2, 2]. */
export const layerInstance = (maxBN = 3, maxD = 4): fc.Arbitrary<LayerInstance> =>
  fc
    .record({
      b: fc.integer({ min: 1, max: maxBN }),
      n: fc.integer({ min: 1, max: maxBN }),
      d: fc.integer({ min: 1, max: maxD }),
      dv: fc.integer({ min: 1, max: 3 }),
    })
    .chain(({ b, n, d, dv }) =>
      fc.record({
        inputs: fc.record({ queries: matrix(b, d, finite(2)), keys: matrix(n, d, finite(2)), values: matrix(n, dv, finite(2)), params: params(d, 2) }),
        cotangent: fc.record({ retrieved: matrix(b, dv, finite(2)), energy: vector(b, finite(2)) }),
      }),
    );

/** The smallest gap between adjacent sorted q over every base and query–key pair (∞ when d = 1). */
export function minGap(i: Pick<LayerInputs, 'queries' | 'keys'>): number {
  let gap = Infinity;
  for (const x of i.queries) {
    for (const xi of i.keys) {
      for (const base of ['dis', 'dot'] as const) {
        const q = baseSimilarities(base, xi, x).sort((a, b) => b - a);
        for (let r = 0; r + 1 < q.length; r++) gap = Math.min(gap, q[r] - q[r + 1]);
      }
    }
  }
  return gap;
}

/** Every input entry (or gradient entry: LayerGradients has the same shape) in one vector: queries, keys, values, w_dis, w_dot, β_dis, β_dot (row-major). */
export function flattenInputs(i: LayerInputs): number[] {
  const p = i.params;
  return [...i.queries.flat(), ...i.keys.flat(), ...i.values.flat(), ...p.wDis, ...p.wDot, p.betaDis, p.betaDot];
}

/** The inverse of flattenInputs, shaped like `like`. */
export function unflattenInputs(theta: readonly number[], like: LayerInputs): LayerInputs {
  let at = 0;
  const take = (n: number) => theta.slice(at, (at += n));
  const rows = (m: number[][]) => m.map((row) => take(row.length));
  const queries = rows(like.queries);
  const keys = rows(like.keys);
  const values = rows(like.values);
  const d = like.params.wDis.length;
  const p: AhopParams = { wDis: take(d), wDot: take(d), betaDis: theta[at], betaDot: theta[at + 1] };
  return { queries, keys, values, params: p };
}
