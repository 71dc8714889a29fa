/** Shared fast-check arbitraries: finite vectors, memory matrices and A-Hop parameters of matching d. */
import fc from 'fast-check';
import type { AhopParams } from '../../src/similarity/adaptive.ts';

/**
 * A finite double in [−max, max]. fc.double alone is uniform over bit patterns, so most of its values
 * are tiny (1e-200); mostly draw on a uniform grid of 2^21 steps instead, and keep some raw doubles
 * (denormals, ±0) and the end points.
 */
export const finite = (max = 10): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((i) => (i / 2 ** 20) * max) },
    { weight: 1, arbitrary: fc.double({ min: -max, max, noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, max, -max) },
  );

/** A vector of length d with entries drawn by `entry` (default finite(10)); small integers give ties. */
export const vector = (d: number, entry: fc.Arbitrary<number> = finite()): fc.Arbitrary<number[]> =>
  fc.array(entry, { minLength: d, maxLength: d });

/** Entries that repeat often, so sorted similarities have ties. */
export const tiedEntry = fc.constantFrom(-2, -1, -0.5, 0, 0.5, 1, 2);

export const params = (d: number, max = 3): fc.Arbitrary<AhopParams> =>
  fc.record({ wDis: vector(d, finite(max)), wDot: vector(d, finite(max)), betaDis: finite(max), betaDot: finite(max) });

/** (memories N×d, query d, params d) with d in [1, maxD], N in [1, maxN]. */
export const problem = (maxN = 6, maxD = 8, entry: fc.Arbitrary<number> = finite()) =>
  fc
    .record({ n: fc.integer({ min: 1, max: maxN }), d: fc.integer({ min: 1, max: maxD }) })
    .chain(({ n, d }) =>
      fc.record({
        memories: fc.array(vector(d, entry), { minLength: n, maxLength: n }),
        query: vector(d, entry),
        params: params(d),
      }),
    );
