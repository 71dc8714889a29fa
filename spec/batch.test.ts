import { afterAll, describe, expect, it } from 'vitest';
import { DomainError, ParseError, ShapeError } from '../src/errors.ts';
import { retrieve, scores } from '../src/hopfield/ahop.ts';
import { retrieveBatch, scoreBatch } from '../src/hopfield/batch.ts';
import { ASM_SOURCE, asmLoad, asmScore, compileAsm } from '../src/hopfield/batch-asm.ts';
import { digitBitsFor, rowMaxAbs } from '../src/hopfield/batch-kernel.ts';
import { lastParallelStats, MIN_PARALLEL_WORK, setBatchKernel, setBatchThreads, shutdownPool } from '../src/hopfield/batch-pool.ts';
import { logSumExp } from '../src/numeric/logsumexp.ts';
import { initialParams } from '../src/train/init.ts';
import { FULL_FOOTPRINT as FULL } from '../src/similarity/footprint.ts';
import { filled } from '../properties/support/seeded-fill.ts';

afterAll(() => {
  setBatchThreads(undefined);
  setBatchKernel(undefined);
  shutdownPool();
});

const f64 = (rows: number[][]) => Float64Array.from(rows.flat());

describe('scoreBatch: worked examples', () => {
  // ξ = (3, 1), x = (0, 2): dis q = (−9, −1), dot q = (0, 2).
  const xi = f64([[3, 1]]);
  const x = f64([[0, 2]]);
  const w = { wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 1 };
  const top1 = { wDis: [1, 0], wDot: [1, 0], betaDis: 1, betaDot: 1 };
  it('w = last unit vector: the plain base similarities, −10 + 2', () =>
    expect(scoreBatch(xi, 1, 2, x, 1, w)[0]).toBe(-8));
  it('w = first unit vector: the best dimension of each base, q̃_1 = −1 and 2', () =>
    expect(scoreBatch(xi, 1, 2, x, 1, top1)[0]).toBe(1));
  it('no sort: the first dimension instead, −9 + 0', () =>
    expect(scoreBatch(xi, 1, 2, x, 1, top1, { sort: false, cumulative: true })[0]).toBe(-9));
  it('the four ablations of w = (0, 1)', () => {
    const s = (sort: boolean, cumulative: boolean) => scoreBatch(xi, 1, 2, x, 1, w, { sort, cumulative })[0];
    expect(s(true, true)).toBe(-8); // ftpt_2 = q̃_1 + q̃_2
    expect(s(false, true)).toBe(-8); // the sum ignores the order
    expect(s(true, false)).toBe(-9); // q̃_2: the worst dimension of each base, −9 + 0
    expect(s(false, false)).toBe(1); // q_2: −1 + 2
    expect(scoreBatch(xi, 1, 2, x, 1, top1, { sort: false, cumulative: false })[0]).toBe(-9); // q_1
  });
  it('S[b·N + k] = s(ξ_k, x_b), row by row, for B queries × N memories', () => {
    const n = 5;
    const d = 7;
    const b = 3;
    const mem = filled(n * d, 1);
    const qs = filled(b * d, 2);
    const p = { wDis: Array.from(filled(d, 3)), wDot: Array.from(filled(d, 4)), betaDis: 0.7, betaDot: -1.2 };
    const s = scoreBatch(mem, n, d, qs, b, p);
    const rows = Array.from({ length: n }, (_, k) => Array.from(mem.subarray(k * d, k * d + d)));
    for (let q = 0; q < b; q++) {
      const ref = scores(rows, Array.from(qs.subarray(q * d, q * d + d)), p);
      for (let k = 0; k < n; k++) expect(s[q * n + k]).toBeCloseTo(ref[k], 12);
    }
  });
  it('d = 1, N = 1, ties and zeros', () => {
    expect(scoreBatch(f64([[2]]), 1, 1, f64([[-1]]), 1, { wDis: [2], wDot: [3], betaDis: 1, betaDot: 1 })[0]).toBe(-18 - 6);
    const zeros = new Float64Array(8);
    expect(Array.from(scoreBatch(zeros, 2, 4, zeros.subarray(0, 4), 1, initialParams(4)))).toEqual([0, 0]);
    const tied = f64([[1, 1, 1, 1]]);
    expect(scoreBatch(tied, 1, 4, f64([[1, 1, 1, 1]]), 1, { wDis: [1, 1, 1, 1], wDot: [1, 2, 3, 4], betaDis: 1, betaDot: 1 })[0]).toBe(1 * 1 + 2 * 2 + 3 * 3 + 4 * 4); // Σ_j w_j ftpt_j, ftpt_j = j
  });
});

describe('retrieveBatch', () => {
  const n = 6;
  const d = 5;
  const b = 4;
  const mem = filled(n * d, 11);
  const qs = filled(b * d, 12);
  const p = { wDis: Array.from(filled(d, 13)), wDot: Array.from(filled(d, 14)), betaDis: 2, betaDot: 0.5 };
  const r = retrieveBatch(mem, n, d, qs, b, p);
  it('has the documented shapes', () => {
    expect(r.scores.shape).toEqual([b, n]);
    expect(r.probs.shape).toEqual([b, n]);
    expect(r.retrieved.shape).toEqual([b, d]);
    expect(r.energy).toHaveLength(b);
  });
  it('each softmax row sums to 1', () => {
    for (let q = 0; q < b; q++) {
      let z = 0;
      for (let k = 0; k < n; k++) z += r.probs.get(q, k);
      expect(z).toBeCloseTo(1, 14);
    }
  });
  it('energy = −lse(scores row)', () => {
    for (let q = 0; q < b; q++) {
      const row = Array.from({ length: n }, (_, k) => r.scores.get(q, k));
      expect(r.energy[q]).toBeCloseTo(-logSumExp(row), 12);
    }
  });
  it('readout y_b = Σ_k p_bk ξ_k, and everything agrees with the single-query retrieve()', () => {
    const rows = Array.from({ length: n }, (_, k) => Array.from(mem.subarray(k * d, k * d + d)));
    for (let q = 0; q < b; q++) {
      const one = retrieve(rows, Array.from(qs.subarray(q * d, q * d + d)), p);
      for (let i = 0; i < d; i++) {
        const y = rows.reduce((acc, m, k) => acc + r.probs.get(q, k) * m[i], 0);
        expect(r.retrieved.get(q, i)).toBeCloseTo(y, 13);
        expect(r.retrieved.get(q, i)).toBeCloseTo(one.retrieved[i], 12);
      }
      for (let k = 0; k < n; k++) expect(r.probs.get(q, k)).toBeCloseTo(one.probs[k], 12);
      expect(r.energy[q]).toBeCloseTo(one.energy, 10);
    }
  });
  it('is stable at |s| ≥ 1e4: finite probabilities summing to 1, finite energy', () => {
    const big = retrieveBatch(mem, n, d, qs, b, { ...p, betaDis: 1e6, betaDot: -1e5 });
    expect(Math.max(...Array.from(big.scores.data, Math.abs))).toBeGreaterThan(1e4);
    for (let q = 0; q < b; q++) {
      let z = 0;
      for (let k = 0; k < n; k++) z += big.probs.get(q, k);
      expect(z).toBeCloseTo(1, 12);
      expect(Number.isFinite(big.energy[q])).toBe(true);
    }
    expect(Array.from(big.retrieved.data).every(Number.isFinite)).toBe(true);
  });
});

describe('bad input: typed errors naming the argument', () => {
  const p = initialParams(2);
  const mem = f64([
    [1, 2],
    [3, 4],
  ]);
  const q = f64([[0, 1]]);
  it('d not a positive integer', () => {
    expect(() => scoreBatch(mem, 2, 0, q, 1, p)).toThrow(ShapeError);
    expect(() => scoreBatch(mem, 2, 1.5, q, 1, p)).toThrow(/d must be a positive integer/);
  });
  it('N = 0 or B = 0', () => {
    expect(() => scoreBatch(new Float64Array(0), 0, 2, q, 1, p)).toThrow(/memories must have at least one row/);
    expect(() => scoreBatch(mem, 2, 2, new Float64Array(0), 0, p)).toThrow(/queries must have at least one row/);
  });
  it('a length that is not rows × d', () => {
    expect(() => scoreBatch(mem, 3, 2, q, 1, p)).toThrow(ShapeError);
    expect(() => scoreBatch(mem, 2, 2, f64([[0, 1, 2]]), 1, p)).toThrow(/queries must have 1×2 = 2 entries, got 3/);
  });
  it('not a Float64Array', () => {
    expect(() => scoreBatch([1, 2, 3, 4] as unknown as Float64Array, 2, 2, q, 1, p)).toThrow(/memories must be a Float64Array/);
  });
  it('NaN or ±Infinity in memories, queries or params', () => {
    expect(() => scoreBatch(f64([[1, NaN]]), 1, 2, q, 1, p)).toThrow(DomainError);
    expect(() => scoreBatch(f64([[1, 2]]), 1, 2, f64([[Infinity, 0]]), 1, p)).toThrow(/queries\[0\]\[0\] must be finite/);
    expect(() => scoreBatch(mem, 2, 2, q, 1, { ...p, betaDot: NaN })).toThrow(/params.betaDot must be finite/);
  });
  it('params sized for another d, or not an object', () => {
    expect(() => scoreBatch(mem, 2, 2, q, 1, initialParams(3))).toThrow(ShapeError);
    expect(() => scoreBatch(mem, 2, 2, q, 1, null as unknown as typeof p)).toThrow(ParseError);
  });
  it('footprint options that are not two booleans', () => {
    expect(() => scoreBatch(mem, 2, 2, q, 1, p, { sort: 1 } as unknown as { sort: boolean; cumulative: boolean })).toThrow(DomainError);
  });
  it('retrieveBatch validates the same way', () => {
    expect(() => retrieveBatch(mem, 2, 2, f64([[0, NaN]]), 1, p)).toThrow(DomainError);
  });
});

describe('the asm.js kernel', () => {
  /** Warnings V8 reports (on a later tick) while compiling, linking and running `source` once. */
  async function asmWarnings(source: string): Promise<string[]> {
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    // Collect instead of print (the broken module below is expected to warn).
    const others = process.listeners('warning');
    process.removeAllListeners('warning');
    process.on('warning', listen);
    try {
      const d = 5;
      const n = 3;
      const b = 2;
      const mem = filled(n * d, 31);
      const qs = filled(b * d, 32);
      const maxM = new Float64Array(n);
      const maxQ = new Float64Array(b);
      rowMaxAbs(mem, n, d, maxM);
      rowMaxAbs(qs, b, d, maxQ);
      const c = filled(d, 33);
      const r = asmLoad(compileAsm(source), null, mem, qs, maxM, maxQ, c, c, n, d, b, digitBitsFor(d));
      asmScore(r!, true, new Float64Array(b * n), 0, b, 0, n);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('warning', listen);
      for (const l of others) process.on('warning', l);
    }
    return warnings.filter((m) => /asm/i.test(m));
  }
  it('is valid asm.js: V8 compiles it without an "Invalid asm.js" or linking warning', async () => {
    expect(await asmWarnings(ASM_SOURCE)).toEqual([]);
  });
  it('(the check works: an int/intish type error in the module is reported)', async () => {
    const broken = ASM_SOURCE.replace('budget = (budget - 1) | 0;', 'budget = budget - 1;');
    expect(broken).not.toBe(ASM_SOURCE);
    expect((await asmWarnings(broken)).join('\n')).toMatch(/Invalid asm\.js/);
  });
  it('all values in one key cell and in reverse order: past the insertion budget the native sort finishes', () => {
    // ξ_i = 1 + (d − i)·2^-40, x = 0: dis and dot are distinct, descending, and 1e-9 apart at most,
    // so they share one quantised key and the insertion pass would need ~d²/2 moves.
    const d = 300;
    const xi = Float64Array.from({ length: d }, (_, i) => 1 + (d - i) * 2 ** -40);
    const x = new Float64Array(d).fill(0.5);
    const p = { wDis: Array.from(filled(d, 41)), wDot: Array.from(filled(d, 42)), betaDis: 1, betaDot: 1 };
    const ref = scores([Array.from(xi)], Array.from(x), p)[0];
    for (const kernel of ['asm', 'ts'] as const) {
      setBatchKernel(kernel);
      expect(scoreBatch(xi, 1, d, x, 1, p)[0]).toBeCloseTo(ref, 10);
    }
    setBatchKernel(undefined);
  });
  it('reuses its heap across jobs of different d and N without stale state (same scores as the TS kernel)', () => {
    setBatchThreads(1);
    for (const [n, d, b] of [
      [50, 784, 2],
      [7, 3, 4],
      [200, 64, 3],
      [1, 1, 1],
      [30, 100, 2],
    ]) {
      const mem = filled(n * d, n + d);
      const qs = filled(b * d, n + d + 1);
      const p = { wDis: Array.from(filled(d, 5)), wDot: Array.from(filled(d, 6)), betaDis: 1.5, betaDot: -0.5 };
      setBatchKernel('asm');
      const asm = scoreBatch(mem, n, d, qs, b, p);
      setBatchKernel('ts');
      expect(asm).toEqual(scoreBatch(mem, n, d, qs, b, p));
    }
    setBatchKernel(undefined);
    setBatchThreads(undefined);
  });
});

describe('worker threads', () => {
  it('a job large enough for the pool gives bit-for-bit the single-threaded scores', () => {
    for (const [n, d, b] of [
      [300, 64, 9],
      [40, 784, 5],
    ]) {
      expect(n * d * b).toBeGreaterThanOrEqual(MIN_PARALLEL_WORK);
      const mem = filled(n * d, 21 + d, 3);
      const qs = filled(b * d, 22 + d, 3);
      const p = { wDis: Array.from(filled(d, 23)), wDot: Array.from(filled(d, 24)), betaDis: 1, betaDot: 0.5 };
      for (const kernel of ['asm', 'ts'] as const) {
        setBatchKernel(kernel);
        for (const o of [FULL, { sort: false, cumulative: true }]) {
          setBatchThreads(1);
          const single = scoreBatch(mem, n, d, qs, b, p, o);
          setBatchThreads(2);
          const parallel = scoreBatch(mem, n, d, qs, b, p, o);
          expect(lastParallelStats()?.chunks).toBeGreaterThan(1);
          expect(parallel).toEqual(single);
        }
      }
      setBatchKernel(undefined);
    }
  });
  it('setBatchThreads rejects a non-positive or fractional count', () => {
    expect(() => setBatchThreads(0)).toThrow(RangeError);
    expect(() => setBatchThreads(1.5)).toThrow(RangeError);
  });
});
