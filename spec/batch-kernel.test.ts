/**
 * The TypeScript scoring kernel (src/hopfield/batch-kernel.ts), piece by piece against each
 * piece's own contract, and as a whole against two independent oracles: the asm.js kernel
 * (batch-asm.ts, written separately; the two must agree bit for bit) and the readable scores() of
 * ahop.ts (within a rounding bound).
 *
 * Most of the kernel's key arithmetic cannot change a score (the insertion pass and the native-sort
 * fallback repair any order the radix passes leave), so the keys, histograms and radix passes are
 * checked directly here: a key monotone in the value, in range, with the documented resolution and
 * clamping; histograms that count the digits; passes that leave the values in stable key order.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { scores } from '../src/hopfield/ahop.ts';
import { coefficientsFor, scoreBatch } from '../src/hopfield/batch.ts';
import {
  createScratch,
  digitBitsFor,
  highPass,
  insertionFix,
  lowPass,
  pairKeys,
  pairValues,
  prefixSums,
  rowMaxAbs,
  scoreBlock,
  unsortedPair,
  weightedSum,
} from '../src/hopfield/batch-kernel.ts';
import { setBatchKernel, setBatchThreads, shutdownPool } from '../src/hopfield/batch-pool.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import type { FootprintOptions } from '../src/similarity/footprint.ts';
import { filled, uniform } from '../properties/support/seeded-fill.ts';

afterAll(() => {
  setBatchThreads(undefined);
  setBatchKernel(undefined);
  shutdownPool();
});

const U = 2 ** -53;

/** The high 32 bits of the IEEE-754 pattern of v (what the kernel reads through its Int32 view). */
const hiWord = (v: number) => new Int32Array(Float64Array.of(v).buffer)[1];

/**
 * Values over many binades: ±(1 + f)·2^e with e in [lo, hi], sometimes 0 or −0, sometimes a
 * repeat of an earlier value (ties).
 */
function wide(len: number, seed: number, lo = -40, hi = 10, signed = true): number[] {
  const r = uniform(seed);
  const out: number[] = [];
  for (let i = 0; i < len; i++) {
    const pick = r();
    if (pick < 0.06) out.push(0);
    else if (pick < 0.1 && signed) out.push(-0);
    else if (pick < 0.18 && i > 0) out.push(out[Math.floor(r() * i)]);
    else {
      const e = lo + Math.floor(r() * (hi - lo + 1));
      const v = (1 + r()) * 2 ** e;
      out.push(signed && r() < 0.5 ? -v : v);
    }
  }
  return out;
}

/** Number of pairs i < j with a[i] > a[j]: the element moves an insertion sort needs. */
function inversions(a: readonly number[]): number {
  let c = 0;
  for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) if (a[i] > a[j]) c++;
  return c;
}

const ascending = (a: readonly number[]) => [...a].sort((x, y) => x - y);

describe('digitBitsFor', () => {
  it('gives 4 bits up to d = 24, 5 up to 96, 6 up to 320, 7 up to 2048 and 8 above', () => {
    const cases: [number, number][] = [
      [1, 4],
      [23, 4],
      [24, 4],
      [25, 5],
      [95, 5],
      [96, 5],
      [97, 6],
      [319, 6],
      [320, 6],
      [321, 7],
      [2047, 7],
      [2048, 7],
      [2049, 8],
      [100_000, 8],
    ];
    for (const [d, bits] of cases) expect(digitBitsFor(d), `d = ${d}`).toBe(bits);
  });
});

describe('createScratch', () => {
  it('defaults to D = digitBitsFor(d) and a window of 2^5 binades', () => {
    for (const d of [1, 24, 25, 100, 321, 3000]) {
      const sc = createScratch(d);
      expect(sc.d).toBe(d);
      expect(sc.digitBits).toBe(digitBitsFor(d));
      expect(sc.windowBits).toBe(5);
    }
  });
  it('takes the digit width and the window when given, each on its own', () => {
    const both = createScratch(10, 7, 3);
    expect([both.digitBits, both.windowBits]).toEqual([7, 3]);
    const digits = createScratch(10, 6);
    expect([digits.digitBits, digits.windowBits]).toEqual([6, 5]);
    const window = createScratch(10, undefined, 4);
    expect([window.digitBits, window.windowBits]).toEqual([digitBitsFor(10), 4]);
  });
  it('holds 4d doubles and, in the same buffer, 12d ints plus 8 arrays of 2^D counters', () => {
    for (const [d, D] of [
      [1, undefined],
      [30, undefined],
      [10, 7],
    ] as const) {
      const sc = createScratch(d, D);
      expect(sc.f.length).toBe(4 * d);
      expect(sc.i32.length).toBe(12 * d + 8 * 2 ** sc.digitBits);
      expect(sc.i32.buffer).toBe(sc.f.buffer);
      expect(sc.f.byteOffset).toBe(0);
    }
  });
});

describe('rowMaxAbs', () => {
  it('gives the largest |value| of each row, whatever its sign and position', () => {
    // Row 1's maximum is not its last entry, and row 2 starts with a larger |value| than row 1 holds.
    const a = Float64Array.of(1, -5, 3, 2, /**/ 0.5, 4, -1, 2, /**/ -9, 0, -0, 1, /**/ -0.25, -0.5, -0.125, -0.375);
    const out = new Float64Array(4);
    rowMaxAbs(a, 4, 4, out);
    expect(Array.from(out)).toEqual([5, 4, 9, 0.5]);
  });
  it('writes only the `rows` entries of out and reads only rows × d entries', () => {
    const a = Float64Array.of(3, -1, /**/ 2, -7, /**/ 100, 100);
    const out = Float64Array.of(-1, -1, -1, -1);
    rowMaxAbs(a, 2, 2, out);
    expect(Array.from(out)).toEqual([3, 7, -1, -1]);
  });
  it('gives +0 (= |−0|) for rows of zeros and negative zeros', () => {
    const out = Float64Array.of(7, 7, 7);
    rowMaxAbs(Float64Array.of(0, -0, /**/ -0, -0, /**/ -0, 0), 3, 2, out);
    for (const m of out) expect(Object.is(m, 0), `${Object.is(m, -0) ? '-0' : m}`).toBe(true);
  });
});

describe('insertionFix', () => {
  const cases: number[][] = [
    [2, 3, 4, 1],
    [3, 1, 2],
    [1, 2, 1],
    [0, 1, 0, 1, 0],
    [5, 4, 3, 2, 1],
    [1, 1, 1, 1, 1, 1],
    [-1, -0.5, 0, 0.5, 1],
    [7],
    wide(40, 5),
    [...wide(30, 6, -3, 3)].sort((x, y) => x - y).map((v, i, s) => (i % 7 === 3 ? s[i + 2] ?? v : v)),
  ];
  /** The array inside guards (+100 before, −100 after) that a sort of [base, base + d) must not touch. */
  const guarded = (a: readonly number[]) => Float64Array.from([100, ...a, -100]);
  it('sorts [base, base + d) ascending and returns true when the moves needed (= inversions) fit the budget', () => {
    for (const a of cases) {
      const need = inversions(a);
      for (const budget of [need, need + 1, 10 * need + 10]) {
        const f = guarded(a);
        expect(insertionFix(f, 1, a.length, budget), `${a} with budget ${budget}`).toBe(true);
        expect(Array.from(f.subarray(1, 1 + a.length))).toEqual(ascending(a)); // both stable: ±0 keep their order
        expect([f[0], f[a.length + 1]]).toEqual([100, -100]);
      }
    }
  });
  it('returns false, leaving a permutation, exactly when more than `budget` moves are needed', () => {
    for (const a of cases) {
      const need = inversions(a);
      for (const budget of [0, need - 1, Math.floor(need / 2)].filter((bu) => bu >= 0 && bu < need)) {
        const f = guarded(a);
        expect(insertionFix(f, 1, a.length, budget), `${a} with budget ${budget}`).toBe(false);
        expect(ascending(Array.from(f.subarray(1, 1 + a.length)))).toEqual(ascending(a));
        expect([f[0], f[a.length + 1]]).toEqual([100, -100]);
      }
    }
  });
  it('equal values are no inversion: ties cost no move', () => {
    expect(insertionFix(new Float64Array(50).fill(3), 0, 50, 0)).toBe(true);
    // [1, 2, 1]: the second 1 moves past the 2 only (1 move, not 2).
    expect(insertionFix(Float64Array.of(1, 2, 1), 0, 3, 1)).toBe(true);
    expect(insertionFix(Float64Array.of(0, 1, 0, 1, 0), 0, 5, 3)).toBe(true);
  });
});

describe('weightedSum', () => {
  it('is Σ c_i f[base + i] (integer data: exact), for d through the 4-way unrolled loop and its tail', () => {
    for (let d = 1; d <= 13; d++) {
      const c = Float64Array.from({ length: d }, (_, i) => (i % 3) - 1 + 2 * i);
      const f = Float64Array.from({ length: d + 6 }, (_, i) => (i * 7) % 11 - 5);
      const base = 3;
      let want = 0;
      for (let i = 0; i < d; i++) want += c[i] * f[base + i];
      expect(weightedSum(c, f, base, d), `d = ${d}`).toBe(want);
    }
  });
});

describe('pairValues and unsortedPair', () => {
  it('pairValues writes (ξ_i − x_i)² then ξ_i x_i; unsortedPair weights them in dimension order', () => {
    const mem = Float64Array.of(9, 9, 1, -2, 3);
    const qs = Float64Array.of(4, 0, -1, 8);
    const f = new Float64Array(6);
    pairValues(mem, 2, qs, 1, f, 3);
    expect(Array.from(f)).toEqual([1, 1, 25, 0, 2, 24]);
    const cDis = Float64Array.of(1, 2, 3);
    const cDot = Float64Array.of(-1, 5, 10);
    expect(unsortedPair(mem, 2, qs, 1, cDis, cDot, 3)).toBe(1 + 2 + 75 + 0 + 10 + 240);
  });
});

describe('prefixSums', () => {
  it('turns the four histograms into exclusive prefix sums in the offsets and zeroes the counts', () => {
    const d = 5;
    const D = 3;
    const NB = 1 << D;
    const sc = createScratch(d, D);
    const counts = Array.from({ length: 4 }, (_, h) => Array.from({ length: NB }, (_, j) => (j * (h + 2)) % 5));
    counts.forEach((c, h) => sc.i32.set(c, 12 * d + h * NB));
    prefixSums(sc.i32, d, D);
    for (let h = 0; h < 4; h++) {
      let acc = 0;
      const want = counts[h].map((x) => ((acc += x), acc - x));
      expect(Array.from(sc.i32.subarray(12 * d + (4 + h) * NB, 12 * d + (5 + h) * NB))).toEqual(want);
    }
    expect(Array.from(sc.i32.subarray(12 * d, 12 * d + 4 * NB)).every((x) => x === 0)).toBe(true);
  });
});

/** pairKeys run on given dis and dot values, with the floors scoreBlock derives from per-pair bounds. */
function keysOf(dis: readonly number[], dot: readonly number[], D: number, R: number, bounds?: { dis: number; dot: number }) {
  const d = dis.length;
  const sc = createScratch(d, D, R);
  sc.f.set(dis, 0);
  sc.f.set(dot, d);
  const TOP = 2 ** (20 + R) - 1;
  const bDis = bounds?.dis ?? Math.max(...dis);
  const bDot = bounds?.dot ?? Math.max(...dot.map(Math.abs));
  pairKeys(sc.i32, d, D, R, hiWord(bDis) - TOP, hiWord(bDot) - TOP);
  const NB = 1 << D;
  const region = (start: number, len: number) => Array.from(sc.i32.subarray(start, start + len));
  return {
    sc,
    kDis: region(8 * d, d),
    kDot: region(9 * d, d),
    counts: [0, 1, 2, 3].map((h) => region(12 * d + h * NB, NB)),
    offsets: region(12 * d + 4 * NB, 4 * NB),
    bDis,
    bDot,
  };
}

/** key(a) ≤ key(b) whenever a < b. */
function expectMonotone(values: readonly number[], keys: readonly number[], what: string) {
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < values.length; j++) {
      if (values[i] < values[j] && keys[i] > keys[j]) {
        throw new Error(`${what}: ${values[i]} < ${values[j]} but key ${keys[i]} > ${keys[j]}`);
      }
    }
  }
}

const KEY_SETTINGS: [number, number][] = [
  [4, 5],
  [5, 5],
  [6, 5],
  [7, 5],
  [8, 5],
  [4, 4],
  [6, 3],
];

describe('pairKeys', () => {
  const d = 60;
  const dis = wide(d, 21, -45, 6, false);
  const dot = wide(d, 22, -45, 6, true);

  it('gives keys monotone in the value, for dis and for signed dot (−0 and 0 alike)', () => {
    for (const [D, R] of KEY_SETTINGS) {
      const k = keysOf(dis, dot, D, R);
      expectMonotone(dis, k.kDis, `dis, D = ${D}, R = ${R}`);
      expectMonotone(dot, k.kDot, `dot, D = ${D}, R = ${R}`);
      dot.forEach((v, i) => {
        if (v === 0) expect(k.kDot[i]).toBe(k.kDot[dot.indexOf(0)]);
      });
    }
  });

  it('keys lie in [0, 2^(2D))', () => {
    for (const [D, R] of KEY_SETTINGS) {
      const k = keysOf(dis, dot, D, R);
      for (const key of [...k.kDis, ...k.kDot]) {
        expect(key).toBeGreaterThanOrEqual(0);
        expect(key).toBeLessThan(2 ** (2 * D));
      }
    }
  });

  it('resolve the window: same-sign values a factor ≥ 2 apart inside the 2^R binades below the bound get different keys', () => {
    // 2^(2D) cells over 2^R binades (half of them per sign for dot): at least 4 cells per binade here.
    for (const [D, R] of KEY_SETTINGS) {
      // The random values, and a grid of 3 values per binade through the window (signed for dot).
      const grid = Array.from({ length: 3 * 2 ** R }, (_, j) => 2 ** (-j / 3));
      const top = Math.max(...dis);
      const topDot = Math.max(...dot.map(Math.abs));
      const dis2 = [...dis, ...grid.map((v) => v * top)];
      const dot2 = [...dot, ...grid.map((v, j) => (j % 2 === 0 ? v : -v) * topDot)];
      const k = keysOf(dis2, dot2, D, R);
      for (const [values, keys, bound] of [
        [dis2, k.kDis, k.bDis],
        [dot2, k.kDot, k.bDot],
      ] as const) {
        const inside = (v: number) => v !== 0 && Math.abs(v) >= bound * 2 ** -(2 ** R - 2);
        let compared = 0;
        for (let i = 0; i < values.length; i++) {
          for (let j = 0; j < values.length; j++) {
            const a = values[i];
            const b = values[j];
            if (inside(a) && inside(b) && Math.sign(a) === Math.sign(b) && Math.abs(b) >= 2 * Math.abs(a)) {
              compared++;
              if (keys[i] === keys[j]) throw new Error(`D = ${D}, R = ${R}: ${a} and ${b} share key ${keys[i]}`);
            }
          }
        }
        expect(compared, `pairs compared, D = ${D}, R = ${R}`).toBeGreaterThan(20);
      }
    }
  });

  it('clamp values more than 2^R binades below the bound to one key: 0 for dis, the key of ±0 for dot', () => {
    for (const [D, R] of KEY_SETTINGS) {
      const tiny = 2 ** -(2 ** R + 3);
      const dis2 = [1, tiny, tiny / 1024, 0, tiny * 1e-20, 0.5];
      const dot2 = [1, tiny, -tiny / 1024, 0, -0, -tiny * 1e-20];
      const k = keysOf(dis2, dot2, D, R);
      expect(k.kDis.slice(1, 5)).toEqual([0, 0, 0, 0]);
      expect(k.kDot.slice(1)).toEqual([k.kDot[3], k.kDot[3], k.kDot[3], k.kDot[3], k.kDot[3]]);
      // … while the values inside the window are told apart from them.
      expect(k.kDis[5]).toBeGreaterThan(0);
      expect(k.kDot[0]).toBeGreaterThan(k.kDot[3]);
    }
  });

  it('stay in range (and monotone) even when the values exceed the bound the floors came from', () => {
    const big = [1e10, 3e8, 1, 1e-12, 0, 5e9];
    const bigDot = [-1e10, 3e8, -1, 1e-12, 0, 5e9];
    for (const [D, R] of KEY_SETTINGS) {
      const k = keysOf(big, bigDot, D, R, { dis: 1e-3, dot: 1e-3 });
      for (const key of [...k.kDis, ...k.kDot]) {
        expect(key).toBeGreaterThanOrEqual(0);
        expect(key).toBeLessThan(2 ** (2 * D));
      }
      expectMonotone(big, k.kDis, 'dis past the bound');
      expectMonotone(bigDot, k.kDot, 'dot past the bound');
      // Histograms intact: each counts all d values.
      for (const c of k.counts) expect(c.reduce((s, x) => s + x, 0)).toBe(big.length);
    }
  });

  it('fills the four histograms with the counts of the low and high digits of the dis and dot keys (offsets untouched)', () => {
    for (const [D, R] of KEY_SETTINGS) {
      const k = keysOf(dis, dot, D, R);
      const NB = 1 << D;
      const histogram = (digits: number[]) => {
        const h = new Array<number>(NB).fill(0);
        for (const x of digits) h[x]++;
        return h;
      };
      expect(k.counts[0]).toEqual(histogram(k.kDis.map((x) => x % NB)));
      expect(k.counts[1]).toEqual(histogram(k.kDis.map((x) => Math.floor(x / NB))));
      expect(k.counts[2]).toEqual(histogram(k.kDot.map((x) => x % NB)));
      expect(k.counts[3]).toEqual(histogram(k.kDot.map((x) => Math.floor(x / NB))));
      expect(k.offsets.every((x) => x === 0)).toBe(true);
    }
  });
});

describe('the radix passes', () => {
  const d = 50;
  const dis = wide(d, 31, -40, 4, false);
  const dot = wide(d, 32, -40, 4, true);
  /** Stable sort of `values` by `rank`: an independent statement of what a stable radix pass gives. */
  const stableBy = (values: readonly number[], rank: readonly number[]) =>
    values.map((_, i) => i).sort((a, b) => rank[a] - rank[b]).map((i) => values[i]);
  const same = (got: ArrayLike<number>, want: readonly number[]) =>
    Array.from(got).every((v, i) => Object.is(v, want[i]));

  it('pairKeys, prefixSums, lowPass, highPass: values in stable key order, so only equal-key neighbours stay inverted', () => {
    for (const [D, R] of KEY_SETTINGS) {
      const k = keysOf(dis, dot, D, R);
      prefixSums(k.sc.i32, d, D);
      lowPass(k.sc.f, k.sc.i32, d, D);
      highPass(k.sc.f, k.sc.i32, d, D, true);
      const gotDis = k.sc.f.slice(0, d);
      const gotDot = k.sc.f.slice(d, 2 * d);
      expect(same(gotDis, stableBy(dis, k.kDis)), `dis, D = ${D}`).toBe(true);
      expect(same(gotDot, stableBy(dot, k.kDot)), `dot, D = ${D}`).toBe(true);
      // Then the insertion pass finishes the exact sort.
      expect(insertionFix(k.sc.f, 0, d, d * d)).toBe(true);
      expect(insertionFix(k.sc.f, d, d, d * d)).toBe(true);
      expect(Array.from(k.sc.f.subarray(0, d))).toEqual(ascending(dis));
      expect(Array.from(k.sc.f.subarray(d, 2 * d)).map((v) => v + 0)).toEqual(ascending(dot).map((v) => v + 0));
    }
  });

  it('highPass alone (pass 1 skipped) orders a copy of the values stably by the high digit of the original keys', () => {
    for (const [D, R] of KEY_SETTINGS) {
      const k = keysOf(dis, dot, D, R);
      prefixSums(k.sc.i32, d, D);
      k.sc.f.copyWithin(2 * d, 0, 2 * d);
      highPass(k.sc.f, k.sc.i32, d, D, false);
      const high = (keys: number[]) => keys.map((x) => Math.floor(x / 2 ** D));
      expect(same(k.sc.f.subarray(0, d), stableBy(dis, high(k.kDis))), `dis, D = ${D}`).toBe(true);
      expect(same(k.sc.f.subarray(d, 2 * d), stableBy(dot, high(k.kDot))), `dot, D = ${D}`).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// scoreBlock and scoreBatch with the TypeScript kernel against the asm.js kernel and scores().

interface Problem {
  name: string;
  n: number;
  d: number;
  b: number;
  mem: Float64Array;
  qs: Float64Array;
}

const problem = (name: string, mem: number[][], qs: number[][]): Problem => ({
  name,
  n: mem.length,
  d: mem[0].length,
  b: qs.length,
  mem: Float64Array.from(mem.flat()),
  qs: Float64Array.from(qs.flat()),
});

const paramsFor = (d: number, seed: number): AhopParams => ({
  wDis: Array.from(filled(d, seed)),
  wDot: Array.from(filled(d, seed + 1)),
  betaDis: 0.7,
  betaDot: -1.3,
});

const ALL_OPTIONS: FootprintOptions[] = [
  { sort: true, cumulative: true },
  { sort: true, cumulative: false },
  { sort: false, cumulative: true },
  { sort: false, cumulative: false },
];

/** Row maxima of |value|, computed here (not by the kernel's rowMaxAbs). */
function maxAbsRows(a: Float64Array, rows: number, d: number): Float64Array {
  return Float64Array.from({ length: rows }, (_, r) => Math.max(0, ...Array.from(a.subarray(r * d, r * d + d), Math.abs)));
}

function withKernel(kernel: 'asm' | 'ts', pr: Problem, p: AhopParams, o: FootprintOptions): Float64Array {
  setBatchKernel(kernel);
  setBatchThreads(1);
  try {
    return scoreBatch(pr.mem, pr.n, pr.d, pr.qs, pr.b, p, o);
  } finally {
    setBatchKernel(undefined);
    setBatchThreads(undefined);
  }
}

/** scoreBlock over [q0, q1) × [k0, k1) into `out` (given, so the cells outside can be checked). */
function block(pr: Problem, p: AhopParams, o: FootprintOptions, out: Float64Array, q0 = 0, q1 = pr.b, k0 = 0, k1 = pr.n) {
  const { cDis, cDot } = coefficientsFor(p, o);
  const sc = createScratch(pr.d);
  scoreBlock(pr.mem, pr.qs, pr.d, pr.n, maxAbsRows(pr.mem, pr.n, pr.d), maxAbsRows(pr.qs, pr.b, pr.d), cDis, cDot, o.sort, out, q0, q1, k0, k1, sc);
  return out;
}

/** 4(d + 3)u·A with A = Σ_base |β| Σ|w| Σ_i |q_i|, a bound on every partial sum of either evaluation. */
function tolerance(xi: readonly number[], x: readonly number[], p: AhopParams): number {
  const l1 = (w: readonly number[]) => w.reduce((s, v) => s + Math.abs(v), 0);
  let dis = 0;
  let dot = 0;
  for (let i = 0; i < xi.length; i++) {
    dis += (xi[i] - x[i]) ** 2;
    dot += Math.abs(xi[i] * x[i]);
  }
  return 4 * (xi.length + 3) * U * (Math.abs(p.betaDis) * l1(p.wDis) * dis + Math.abs(p.betaDot) * l1(p.wDot) * dot);
}

function expectSameDoubles(got: Float64Array, want: Float64Array, what: string) {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(got[i] === want[i] || Object.is(got[i], want[i]))) throw new Error(`${what}: cell ${i} is ${got[i]}, want ${want[i]}`);
  }
}

const row = (a: Float64Array, r: number, d: number) => Array.from(a.subarray(r * d, r * d + d));

/** Keys of one pair as scoreBlock forms them (bounds from the row maxima): to check what a case exercises. */
function pairKeysOf(pr: Problem, k: number, q: number) {
  const D = digitBitsFor(pr.d);
  const R = 5;
  const mm = maxAbsRows(pr.mem, pr.n, pr.d)[k];
  const mq = maxAbsRows(pr.qs, pr.b, pr.d)[q];
  const xi = row(pr.mem, k, pr.d);
  const x = row(pr.qs, q, pr.d);
  return keysOf(
    xi.map((m, i) => (m - x[i]) ** 2),
    xi.map((m, i) => m * x[i]),
    D,
    R,
    { dis: (mm + mq) ** 2, dot: mm * mq },
  );
}
const distinct = (xs: number[]) => new Set(xs).size;

const cases: Problem[] = [
  problem(
    'random entries, d = 7',
    Array.from({ length: 5 }, (_, k) => Array.from(filled(7, 100 + k, 3))),
    Array.from({ length: 3 }, (_, q) => Array.from(filled(7, 200 + q, 3))),
  ),
  problem(
    'negatives, −0, zeros and ties',
    [
      [-0, 0, -1, 1, 2, 2, -3, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
      [-2, -2, -2, -2, 1, 1, 1, 1],
    ],
    [
      [0, -0, 1, -1, 2, 2, 3, -0],
      [-0, -0, -0, -0, -0, -0, -0, -0],
    ],
  ),
  problem(
    'values spanning more than 32 binades (keys clamped below the window)',
    [
      [1e6, -3e-12, 1e-30, 2.5, -7e4, 1e-15, 0, 5e-20, -1, 8e2],
      [1e-300, 2e-300, -1e-290, 4e-200, 1e-100, -1e-50, 3e-20, 1e-10, 1, 1e5],
    ],
    [
      [2e-13, 1e6, -1e-25, -2.5, 3e3, 1e-15, 7, 5e-20, -1e-9, 0],
      [1e-9, -1e-9, 1e-12, -1e-15, 1e-18, 1e-21, 1e-24, 1e-27, 1e-30, 1e-33],
    ],
  ),
  ...[24, 25, 96, 97, 320, 321, 2048, 2049].map((d) =>
    problem(
      `d = ${d} (digit width ${digitBitsFor(d)})`,
      [wide(d, 300 + d, -30, 8), Array.from(filled(d, 400 + d, 5))],
      [wide(d, 500 + d, -30, 8)],
    ),
  ),
];

/** Every dis key shares its low digit (dot is all 0), the high digits differ: pass 1 is skipped. */
const lowConstCase = problem('low digits constant: only the high pass runs', [[1024, 256, 64, 16, 4, 1]], [[0, 0, 0, 0, 0, 0]]);
/** All dis values within two binades of the bound: the high digits agree, the low ones do not. */
const highConstCase = problem('high digits constant: only the low pass runs', [[0.75, 0.8, 1, 0.9]], [[0, 0, 0, 0]]);
/** dis all 0 and dot all 9: both digits constant, no pass runs. */
const bothConstCase = problem('every digit constant: no pass runs', [[3, 3, 3, 3]], [[3, 3, 3, 3]]);
/** ξ_i = 1 + (d − i)·2^-40, x = 0.5: distinct values in one key cell, descending: past the budget. */
const oneCellCase = (() => {
  const d = 300;
  return problem(
    'all values in one key cell, in reverse order (the native-sort fallback)',
    [Array.from({ length: d }, (_, i) => 1 + (d - i) * 2 ** -40)],
    [new Array<number>(d).fill(0.5)],
  );
})();

describe('scoreBlock and scoreBatch (TypeScript kernel)', () => {
  it('the special cases exercise what they claim (keys as scoreBlock forms them)', () => {
    const NB = (pr: Problem) => 2 ** digitBitsFor(pr.d);
    const low = (pr: Problem, keys: number[]) => distinct(keys.map((x) => x % NB(pr)));
    const high = (pr: Problem, keys: number[]) => distinct(keys.map((x) => Math.floor(x / NB(pr))));
    const lc = pairKeysOf(lowConstCase, 0, 0);
    expect([low(lowConstCase, lc.kDis), low(lowConstCase, lc.kDot), high(lowConstCase, lc.kDot)]).toEqual([1, 1, 1]);
    expect(high(lowConstCase, lc.kDis)).toBe(lowConstCase.d);
    const hc = pairKeysOf(highConstCase, 0, 0);
    expect([high(highConstCase, hc.kDis), high(highConstCase, hc.kDot)]).toEqual([1, 1]);
    expect(low(highConstCase, hc.kDis)).toBeGreaterThan(1);
    const bc = pairKeysOf(bothConstCase, 0, 0);
    expect([distinct(bc.kDis), distinct(bc.kDot)]).toEqual([1, 1]);
    // One cell, descending: the insertion pass alone would need d(d − 1)/2 moves, past 8d + 64.
    const oc = pairKeysOf(oneCellCase, 0, 0);
    expect([distinct(oc.kDis), distinct(oc.kDot)]).toEqual([1, 1]);
    const d = oneCellCase.d;
    expect(inversions(Array.from(oc.sc.f.subarray(0, d)))).toBeGreaterThan(8 * d + 64);
    expect(inversions(Array.from(oc.sc.f.subarray(d, 2 * d)))).toBeGreaterThan(8 * d + 64);
  });

  const all = [...cases, lowConstCase, highConstCase, bothConstCase, oneCellCase];
  it('scoreBatch with the TypeScript kernel equals the asm.js kernel bit for bit, every ablation', () => {
    for (const pr of all) {
      const p = paramsFor(pr.d, pr.d + 7);
      for (const o of ALL_OPTIONS) {
        expectSameDoubles(withKernel('ts', pr, p, o), withKernel('asm', pr, p, o), `${pr.name}, ${JSON.stringify(o)}`);
      }
    }
  });

  it('scoreBlock over all pairs equals the asm.js kernel bit for bit and scores() within 4(d + 3)u·Σ|β||w||q|', () => {
    for (const pr of all) {
      const p = paramsFor(pr.d, pr.d + 7);
      for (const o of ALL_OPTIONS) {
        const what = `${pr.name}, ${JSON.stringify(o)}`;
        const got = block(pr, p, o, new Float64Array(pr.b * pr.n));
        expectSameDoubles(got, withKernel('asm', pr, p, o), what);
        const memRows = Array.from({ length: pr.n }, (_, k) => row(pr.mem, k, pr.d));
        for (let q = 0; q < pr.b; q++) {
          const x = row(pr.qs, q, pr.d);
          const ref = scores(memRows, x, p, o);
          for (let k = 0; k < pr.n; k++) {
            const err = Math.abs(got[q * pr.n + k] - ref[k]);
            expect(err, `${what}: q = ${q}, k = ${k}`).toBeLessThanOrEqual(tolerance(memRows[k], x, p));
          }
        }
      }
    }
  });

  it('scoreBlock over q0..q1 × k0..k1 writes exactly those cells (sorted and unsorted), each the full job’s score', () => {
    const pr = problem(
      'sub-ranges',
      Array.from({ length: 5 }, (_, k) => wide(9, 600 + k, -20, 4)),
      Array.from({ length: 4 }, (_, q) => wide(9, 700 + q, -20, 4)),
    );
    const p = paramsFor(pr.d, 11);
    const SENTINEL = 12345.678;
    for (const o of ALL_OPTIONS) {
      const full = withKernel('asm', pr, p, o);
      for (const [q0, q1, k0, k1] of [
        [1, 3, 1, 3],
        [0, 1, 0, 4],
        [2, 4, 4, 5],
        [3, 4, 0, 5],
        [0, 4, 2, 2],
        [2, 2, 0, 5],
      ]) {
        const out = block(pr, p, o, new Float64Array(pr.b * pr.n).fill(SENTINEL), q0, q1, k0, k1);
        for (let q = 0; q < pr.b; q++) {
          for (let k = 0; k < pr.n; k++) {
            const inside = q >= q0 && q < q1 && k >= k0 && k < k1;
            expect(out[q * pr.n + k], `${JSON.stringify(o)} [${q0}, ${q1}) × [${k0}, ${k1}): cell (${q}, ${k})`).toBe(
              inside ? full[q * pr.n + k] : SENTINEL,
            );
          }
        }
      }
    }
  });
});
