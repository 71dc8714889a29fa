/**
 * The fast batched scorer (src/hopfield/batch.ts; radix-sort kernel in batch-kernel.ts, the same
 * kernel in asm.js in batch-asm.ts) computes the same scores as the readable reference `scores()`
 * (src/hopfield/ahop.ts), for random N, d (d = 1 included), B, ties, zeros, magnitudes up to 1e3
 * and all four footprint ablations; and the two kernels agree bit for bit.
 *
 * Tolerance, and why it is principled: both sides evaluate, per base similarity, a sum of d
 * products β·c_r·q̃_r, only in a different order and with β folded in at a different step (and
 * c_r = Σ_{j≥r} w_j may itself be rounded differently). Each of the d + 3 roundings on a path is at
 * most u = 2^-53 relative to the terms it combines, so the two results differ by at most about
 * 2(d + 3)u·A, where
 *   A = Σ_base |β_base| Σ_r (Σ_{j≥r} |w_j|) |q̃_r|   (Σ_r |w_r||q̃_r| without U)
 * bounds every partial sum either side can form. We allow 4(d + 3)u·A. It is relative to the
 * terms, not to |s|: s may cancel to ~0 while the terms are large, and no order of summation can
 * then promise relative accuracy in s.
 *
 * The properties are functions of the implementation (`ScoreBatch`), so the mutation tests run
 * them against deliberately broken scorers and require fast-check to find a counterexample.
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { scores } from '../src/hopfield/ahop.ts';
import { coefficientsFor, scoreBatch } from '../src/hopfield/batch.ts';
import {
  createScratch,
  insertionFix,
  lowPass,
  highPass,
  pairKeys,
  pairValues,
  prefixSums,
  rowMaxAbs,
  scoreBlock,
} from '../src/hopfield/batch-kernel.ts';
import { setBatchKernel, setBatchThreads, type BatchKernel } from '../src/hopfield/batch-pool.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { baseSimilarities } from '../src/similarity/base.ts';
import { FULL_FOOTPRINT, ordered, type FootprintOptions } from '../src/similarity/footprint.ts';
import { finite, params, tiedEntry } from './support/arbitraries.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type ScoreBatch = typeof scoreBatch;

const U = 2 ** -53;

/** Entries: fine grid up to 1e3, raw doubles, ties, zeros. */
const entry = fc.oneof(
  { weight: 4, arbitrary: finite(1e3) },
  { weight: 2, arbitrary: finite(1) },
  { weight: 2, arbitrary: tiedEntry },
  { weight: 1, arbitrary: fc.constant(0) },
);

const options: fc.Arbitrary<FootprintOptions> = fc.record({ sort: fc.boolean(), cumulative: fc.boolean() });

interface Case {
  n: number;
  d: number;
  b: number;
  memories: number[][];
  queries: number[][];
  params: AhopParams;
  options: FootprintOptions;
}

/** d mostly small (shrinks well), sometimes up to 100 so every digit width of the kernel is used. */
const batchCase: fc.Arbitrary<Case> = fc
  .record({
    n: fc.integer({ min: 1, max: 6 }),
    d: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: 13, max: 100 }) }),
    b: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ n, d, b }) =>
    fc.record({
      n: fc.constant(n),
      d: fc.constant(d),
      b: fc.constant(b),
      memories: fc.array(fc.array(entry, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
      queries: fc.array(fc.array(entry, { minLength: d, maxLength: d }), { minLength: b, maxLength: b }),
      params: params(d),
      options,
    }),
  );

/** A of the file comment: a bound on every partial sum of the score of (ξ, x). */
export function termBound(xi: readonly number[], x: readonly number[], p: AhopParams, o: FootprintOptions): number {
  let total = 0;
  for (const [base, w, beta] of [
    ['dis', p.wDis, p.betaDis],
    ['dot', p.wDot, p.betaDot],
  ] as const) {
    const qt = ordered(baseSimilarities(base, xi, x), o);
    let acc = 0;
    const absC = new Array<number>(w.length);
    for (let r = w.length - 1; r >= 0; r--) {
      acc += Math.abs(w[r]);
      absC[r] = o.cumulative ? acc : Math.abs(w[r]);
    }
    total += Math.abs(beta) * qt.reduce((s, v, r) => s + absC[r] * Math.abs(v), 0);
  }
  return total;
}

const flat = (rows: number[][]) => Float64Array.from(rows.flat());

/** scoreBatch(…)[b·N + k] agrees with scores(Ξ, x_b)[k] within 4(d + 3)u·A. */
export const matchesReference = (scoreBatchImpl: ScoreBatch) =>
  fc.property(batchCase, (c) => {
    const s = scoreBatchImpl(flat(c.memories), c.n, c.d, flat(c.queries), c.b, c.params, c.options);
    if (s.length !== c.b * c.n) return false;
    for (let q = 0; q < c.b; q++) {
      const ref = scores(c.memories, c.queries[q], c.params, c.options);
      for (let k = 0; k < c.n; k++) {
        const tol = 4 * (c.d + 3) * U * termBound(c.memories[k], c.queries[q], c.params, c.options);
        if (!(Math.abs(s[q * c.n + k] - ref[k]) <= tol)) return false;
      }
    }
    return true;
  });

/** The kernel's sort (radix passes on quantised keys, then the insertion pass) equals the native sort. */
type SortPair = (xi: Float64Array, x: Float64Array, d: number) => { dis: Float64Array; dot: Float64Array };

export const sortsExactly = (sortPair: SortPair) =>
  fc.property(
    fc.integer({ min: 1, max: 60 }).chain((d) =>
      fc.tuple(fc.constant(d), fc.array(entry, { minLength: d, maxLength: d }), fc.array(entry, { minLength: d, maxLength: d })),
    ),
    ([d, xi, x]) => {
      const { dis, dot } = sortPair(Float64Array.from(xi), Float64Array.from(x), d);
      const wantDis = Float64Array.from(xi, (m, i) => (m - x[i]) * (m - x[i])).sort();
      const wantDot = Float64Array.from(xi, (m, i) => m * x[i]).sort();
      // Equal as numbers (−0 and +0 may trade places; they weigh the same).
      return dis.every((v, i) => v === wantDis[i]) && dot.every((v, i) => v === wantDot[i]);
    },
  );

/** The kernel's own steps, as scoreBlock runs them for one pair; `fix` false drops the insertion pass. */
function kernelSort(fix: boolean): SortPair {
  return (xi, x, d) => {
    const sc = createScratch(d);
    const D = sc.digitBits;
    const mm = new Float64Array(1);
    const mq = new Float64Array(1);
    rowMaxAbs(xi, 1, d, mm);
    rowMaxAbs(x, 1, d, mq);
    const R = sc.windowBits;
    const TOP = (1 << (20 + R)) - 1;
    const hi = (v: number) => new Int32Array(Float64Array.of(v).buffer)[1];
    pairValues(xi, 0, x, 0, sc.f, d);
    pairKeys(sc.i32, d, D, R, hi((mm[0] + mq[0]) ** 2) - TOP, hi(mm[0] * mq[0]) - TOP);
    prefixSums(sc.i32, d, D);
    lowPass(sc.f, sc.i32, d, D);
    highPass(sc.f, sc.i32, d, D, true);
    if (fix) {
      if (!insertionFix(sc.f, 0, d, 8 * d + 64)) sc.f.subarray(0, d).sort();
      if (!insertionFix(sc.f, d, d, 8 * d + 64)) sc.f.subarray(d, 2 * d).sort();
    }
    return { dis: sc.f.slice(0, d), dot: sc.f.slice(d, 2 * d) };
  };
}

/** A scorer built from the real kernel with one coefficient vector tampered with. */
function tampered(tamper: (c: { cDis: Float64Array; cDot: Float64Array }) => void): ScoreBatch {
  return (memories, n, d, queries, b, p, o = FULL_FOOTPRINT) => {
    const c = coefficientsFor(p, o);
    tamper(c);
    const maxM = new Float64Array(n);
    const maxQ = new Float64Array(b);
    rowMaxAbs(memories, n, d, maxM);
    rowMaxAbs(queries, b, d, maxQ);
    const out = new Float64Array(b * n);
    scoreBlock(memories, queries, d, n, maxM, maxQ, c.cDis, c.cDot, o.sort, out, 0, b, 0, n, createScratch(d));
    return out;
  };
}

/** scoreBatch with a given kernel (and on the calling thread: these cases are small anyway). */
const withKernel =
  (kernel: BatchKernel): ScoreBatch =>
  (...args) => {
    setBatchKernel(kernel);
    setBatchThreads(1);
    try {
      return scoreBatch(...args);
    } finally {
      setBatchKernel(undefined);
      setBatchThreads(undefined);
    }
  };

/** Two scorers give identical doubles (the kernels run the same operations in the same order). */
export const kernelsAgree = (a: ScoreBatch, b: ScoreBatch) =>
  fc.property(batchCase, (c) => {
    const args = [flat(c.memories), c.n, c.d, flat(c.queries), c.b, c.params, c.options] as const;
    const x = a(...args);
    const y = b(...args);
    return x.length === y.length && x.every((v, i) => Object.is(v, y[i]) || v === y[i]);
  });

describe('scoreBatch matches the readable reference scores()', () => {
  afterAll(() => {
    setBatchThreads(undefined);
    setBatchKernel(undefined);
  });

  for (const kernel of ['asm', 'ts'] as const) {
    it(`${kernel} kernel: within 4(d + 3)u·Σ|β c q̃| for random N, d, B, ties, zeros, |entries| ≤ 1e3, every ablation`, () => {
      expectHolds(matchesReference(withKernel(kernel)), { numRuns: 300 });
    });
  }

  it('the asm.js and TypeScript kernels give bit-for-bit the same scores', () => {
    expectHolds(kernelsAgree(withKernel('asm'), withKernel('ts')), { numRuns: 200 });
  });

  it('the radix + insertion sort of the kernel equals the native sort', () => {
    expectHolds(sortsExactly(kernelSort(true)), { numRuns: 300 });
  });
});

describe('mutations are caught', () => {
  it('q̃ sorted ascending instead of descending (dot coefficients reversed)', () => {
    expectCounterexample(matchesReference(tampered((c) => c.cDot.reverse())));
  });

  it('the dis similarity with the wrong sign (+(ξ − x)² instead of −)', () => {
    expectCounterexample(matchesReference(tampered((c) => c.cDis.forEach((v, i) => (c.cDis[i] = -v)))));
  });

  it('an off-by-one coefficient shift (c_{r+1} weighting q̃_r)', () => {
    expectCounterexample(matchesReference(tampered((c) => c.cDis.copyWithin(0, 1))));
  });

  it('float32 precision (as a float32 backend would give) is outside the float64 tolerance', () => {
    const float32: ScoreBatch = (...args) => scoreBatch(...args).map(Math.fround);
    expectCounterexample(matchesReference(float32));
  });

  it('kernels that differ in the last bit are told apart (the agreement check is exact)', () => {
    const nudged: ScoreBatch = (...args) => withKernel('ts')(...args).map((v) => (v === 0 ? v : v * (1 + Number.EPSILON)));
    expectCounterexample(kernelsAgree(withKernel('asm'), nudged));
  });

  it('radix passes without the insertion pass: equal keys left out of order', () => {
    expectCounterexample(sortsExactly(kernelSort(false)), { numRuns: 300 });
  });
});
